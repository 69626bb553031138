import {
  defaultFieldResolver,
  getNamedType,
  getNullableType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import {
  allow,
  audienceOf,
  CASE_FIELDS,
  caseAccess,
  REFERENCE_TYPES,
  regionPrefix,
  seesField,
  seesTarget,
  type CaseAccess,
  type CaseScope,
  type FieldFacts,
  type Operation,
  type Principal,
} from '../domain/access.js';
import { isRecordId, notFound } from '../domain/text.js';
import type { Accident, Evaluation, Investigation } from '../schema/entities/index.js';
import type { Context } from './context.js';
import { decideOrganiser } from './evaluation/case-closure.js';
import { ApiError } from './errors.js';

/** Access facts of one case, from the read model, batched through the request's loaders and memoized. */
export function caseScope(ctx: Context, accidentId: string): Promise<CaseScope | null> {
  let scope = ctx.scopes.get(accidentId);
  if (!scope) {
    // A malformed id names no case; it must never reach PostgreSQL as a uuid.
    scope = isRecordId(accidentId) ? loadScope(ctx, accidentId) : Promise.resolve(null);
    ctx.scopes.set(accidentId, scope);
  }
  return scope;
}

async function loadScope(ctx: Context, accidentId: string): Promise<CaseScope | null> {
  const { loaders } = ctx;
  const [accident, evaluation, investigation] = await Promise.all([
    loaders.accident.load(accidentId),
    loaders.evaluation.load(accidentId),
    loaders.investigationByAccident.load(accidentId),
  ]);
  if (!accident) return null;
  const [location, organiser, departments, report] = await Promise.all([
    loaders.region.load(accident.locationRegion.id),
    evaluation?.organiserRegion ? loaders.region.load(evaluation.organiserRegion.id) : null,
    investigation ? loaders.departmentsByInvestigation.load(investigation.id) : [],
    evaluation ? loaders.reportByEvaluation.load(evaluation.id) : null,
  ]);
  const upper = organiser?.parent ? await loaders.region.load(organiser.parent.id) : null;
  // Before closure there is no evaluation row: the organiser is the government that investigates (001 §3).
  const organiserCode = evaluation ? (organiser?.code ?? '') : await prospectiveOrganiser(ctx, accident, investigation);
  return {
    evaluationId: evaluation?.id ?? null,
    organiserRegionCode: organiserCode,
    upperRegionCode: upper?.code ?? '',
    locationRegionCode: location?.code ?? '',
    enterpriseId: accident.enterprise.id,
    departmentIds: departments.map((d) => d.id),
    stage: evaluation?.stage ?? null,
    reportApproved: Boolean(report?.approvedAt),
    published: Boolean(evaluation?.publishedAt),
    filed: Boolean(evaluation?.filedAt),
  };
}

async function prospectiveOrganiser(ctx: Context, accident: Accident, investigation: Investigation | null): Promise<string> {
  const enterprise = await ctx.loaders.enterprise.load(accident.enterprise.id);
  if (!enterprise) return '';
  try {
    const decision = await decideOrganiser((id) => ctx.loaders.region.load(id), accident, enterprise.homeRegion.id, investigation);
    return decision.organiser?.code ?? '';
  } catch {
    return ''; // an inconsistent case graph: nobody is its organiser
  }
}

/** How the principal reads a record: the access it has to the record's case (NONE only for one's own audit entries). */
export interface RowView {
  access: CaseAccess;
  scope: CaseScope | null;
}

/** A case the principal sees at all. */
export interface CaseView extends RowView {
  scope: CaseScope;
}

/** The principal's access to a case, NONE included; used where a row is shown for another reason (one's own). */
export async function rowViewOf(ctx: Context, accidentId: string): Promise<RowView> {
  const scope = await caseScope(ctx, accidentId);
  return { scope, access: scope ? caseAccess(ctx.principal, scope) : 'NONE' };
}

/** What the principal may see of a case; null when the case is hidden (or absent: the two read the same). */
export async function viewOf(ctx: Context, accidentId: string): Promise<CaseView | null> {
  const view = await rowViewOf(ctx, accidentId);
  return view.scope && view.access !== 'NONE' ? (view as CaseView) : null;
}

// The input that names the record an operation acts on, when it is not the case itself.
const TARGET_INPUT: Partial<Record<Operation, string>> = { CLOSE_TASK: 'taskId', RECORD_REFERRAL_OUTCOME: 'referralId' };

/**
 * Refuses an operation: NOT_FOUND (the same answer as for a missing record) when the case, or the record in it
 * the operation acts on (a task, a referral), is hidden from the principal; FORBIDDEN when only the act is.
 */
export async function authorize(ctx: Context, accidentId: string, operation: Operation, field = 'evaluationId'): Promise<CaseScope> {
  const view = await viewOf(ctx, accidentId);
  if (!view) throw notFound(field);
  if (!seesTarget(operation, view.access, view.scope)) throw notFound(TARGET_INPUT[operation] ?? field);
  if (!allow(ctx.principal, operation, view.scope)) {
    throw new ApiError('FORBIDDEN', `${ctx.principal.name} may not ${operation} on this case`);
  }
  return view.scope;
}

// Per request: the view each record was read under. Records reached through a field inherit their parent's.
const readViews = new WeakMap<object, WeakMap<object, RowView>>();

function viewsOf(ctx: Context): WeakMap<object, RowView> {
  let views = readViews.get(ctx);
  if (!views) {
    views = new WeakMap();
    readViews.set(ctx, views);
  }
  return views;
}

/** Marks records as read under `view`: their fields then show or hide by the field table (domain/access.ts). */
export function readAs<T>(ctx: Context, view: RowView, value: T): T {
  const views = viewsOf(ctx);
  for (const row of Array.isArray(value) ? value : [value]) {
    if (row && typeof row === 'object') views.set(row, view);
  }
  return value;
}

/** The evaluation, if the principal sees its case; its fields are shown or hidden by the field table. */
export async function visibleEvaluation(ctx: Context, evaluation: Evaluation | null): Promise<Evaluation | null> {
  if (!evaluation) return null;
  const view = await viewOf(ctx, evaluation.accident.id);
  return view ? readAs(ctx, view, evaluation) : null;
}

type Row = Record<string, unknown> & { id?: unknown; accident?: { id?: unknown } | null; evaluation?: { id?: unknown } | null };

/** A record returned without a view (a mutation's result, a page of accidents): found through its case. */
async function locate(ctx: Context, type: string, row: Row): Promise<RowView> {
  // An evaluation's id is its accident's; rows inside an evaluation point to it.
  const caseId = type === 'Accident' ? row.id : (row.accident?.id ?? row.evaluation?.id);
  if (typeof caseId !== 'string') throw new Error(`a ${type} was returned without its case: mark it with readAs()`);
  const view = await rowViewOf(ctx, caseId);
  if (view.access === 'NONE') throw new Error(`a ${type} of a case hidden from the caller was returned`);
  viewsOf(ctx).set(row, view);
  return view;
}

const isPromise = (value: unknown): value is Promise<unknown> => typeof (value as Promise<unknown> | null)?.then === 'function';

function guarded(type: string, field: GraphQLField<unknown, Context>): GraphQLFieldResolver<unknown, Context> {
  const resolve = field.resolve ?? defaultFieldResolver;
  const list = isListType(getNullableType(field.type));
  const child = getNamedType(field.type).name;
  const inherits = child in CASE_FIELDS;
  return (root, args, ctx, info) => {
    const show = (view: RowView): unknown => {
      if (!seesField(type, field.name, view.access, view.scope, root as FieldFacts)) return list ? [] : null;
      const value = resolve(root, args, ctx, info);
      if (!inherits) return value;
      return isPromise(value) ? value.then((v) => readAs(ctx, view, v)) : readAs(ctx, view, value);
    };
    const view = viewsOf(ctx).get(root as object);
    return view ? show(view) : locate(ctx, type, root as Row).then(show);
  };
}

/**
 * Puts every field of every type that holds case data behind the field table in domain/access.ts. Refuses to
 * build a schema with a type or field the table does not know, or a hidden field that could not read null.
 */
export function guardCaseFields(schema: GraphQLSchema): GraphQLSchema {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
  const problems: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || roots.has(type) || REFERENCE_TYPES.includes(type.name)) continue;
    if (!(type.name in CASE_FIELDS)) {
      problems.push(`type ${type.name}: add it to CASE_FIELDS or REFERENCE_TYPES`);
      continue;
    }
    const fields = type.getFields();
    for (const field of Object.values(fields)) {
      const audience = audienceOf(type.name, field.name);
      if (!audience) problems.push(`${type.name}.${field.name}: add it to CASE_FIELDS`);
      else if (audience !== 'ANYONE' && isNonNullType(field.type) && !isListType(field.type.ofType)) {
        problems.push(`${type.name}.${field.name}: hidden from some callers, so it must be nullable`);
      } else field.resolve = guarded(type.name, field as GraphQLField<unknown, Context>);
    }
    for (const name of Object.keys(CASE_FIELDS[type.name as keyof typeof CASE_FIELDS])) {
      if (!fields[name]) problems.push(`${type.name}.${name}: in CASE_FIELDS but not in the schema`);
    }
  }
  for (const name of Object.keys(CASE_FIELDS)) if (!schema.getType(name)) problems.push(`type ${name}: in CASE_FIELDS but not in the schema`);
  if (problems.length) throw new Error(`field visibility (domain/access.ts) is incomplete:\n${problems.join('\n')}`);
  return schema;
}

/**
 * The SQL side of `caseAccess`: a filter on accidents (or, with `via: 'accident.'`, on evaluations) that keeps
 * the cases a principal may see at all. Rows are checked again one by one for what of them shows.
 */
export function visibleCasesFilter(principal: Principal, on: 'accident' | 'evaluation'): Record<string, unknown> {
  const accident = (filter: Record<string, unknown>) => (on === 'accident' ? filter : { accident: filter });
  const evaluation = (filter: Record<string, unknown>) => (on === 'evaluation' ? filter : { evaluation: filter });
  const anyOf: Record<string, unknown>[] = [evaluation({ publishedAt: { $ne: null } })];
  for (const g of principal.grants) {
    if (g.regionCode && ['SAFETY_OFFICE', 'DEPARTMENT_OFFICIAL', 'DISCIPLINE_INSPECTION', 'LEADER_IN_CHARGE', 'TOWN_OFFICIAL'].includes(g.role)) {
      anyOf.push(accident({ locationRegion: { code: { $like: `${regionPrefix(g.regionCode)}%` } } }));
    }
    if (g.role === 'DEPARTMENT_OFFICIAL' && g.departmentId) anyOf.push(accident({ investigation: { departments: g.departmentId } }));
    if (g.role === 'ENTERPRISE_CONTACT' && g.enterpriseId) anyOf.push(accident({ enterprise: g.enterpriseId }));
    if (g.role === 'TEAM_MEMBER' && g.evaluationId) anyOf.push(evaluation({ id: g.evaluationId, stage: { $ne: 'CLOSED' } }));
    if (g.role === 'UPPER_OFFICE' && g.regionCode) anyOf.push(evaluation({ organiserRegion: { parent: { code: g.regionCode } }, filedAt: { $ne: null } }));
  }
  return { $or: anyOf };
}
