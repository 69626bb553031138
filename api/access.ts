import {
  defaultFieldResolver,
  getNamedType,
  getNullableType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
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
import { getMetadataStorage } from 'type-graphql';
import { isRecordId, notFound } from '../domain/text.js';
import type { Context } from './context.js';
import { ApiError } from './errors.js';

/** Access facts of one case, from the read model: one statement for all the cases a request reads (api/loaders.ts). */
export function caseScope(ctx: Context, accidentId: string): Promise<CaseScope | null> {
  let scope = ctx.scopes.get(accidentId);
  if (!scope) {
    // A malformed id names no case; it must never reach PostgreSQL as a uuid.
    scope = isRecordId(accidentId) ? ctx.loaders.scope.load(accidentId) : Promise.resolve(null);
    ctx.scopes.set(accidentId, scope);
  }
  return scope;
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
  return { scope, access: accessTo(ctx, scope) };
}

const accessTo = (ctx: Context, scope: CaseScope | null): CaseAccess => (scope ? caseAccess(ctx.principal, scope) : 'NONE');

/** What the principal may see of a case; null when the case is hidden (or absent: the two read the same). */
export async function viewOf(ctx: Context, accidentId: string): Promise<CaseView | null> {
  return viewWith(ctx, await caseScope(ctx, accidentId));
}

/** `viewOf` for a case whose access facts are at hand (a page read them along): no promise per row. */
export function viewWith(ctx: Context, scope: CaseScope | null): CaseView | null {
  const access = accessTo(ctx, scope);
  return scope && access !== 'NONE' ? { scope, access } : null;
}

/** The rows of a page the principal sees, each marked with its view; `scopes` in the rows' order (`primeScopes`). */
export function visibleRows<T extends object>(ctx: Context, rows: T[], scopes: CaseScope[]): T[] {
  const shown: T[] = [];
  rows.forEach((row, i) => {
    const view = viewWith(ctx, scopes[i] ?? null);
    if (view) shown.push(readAs(ctx, view, row));
  });
  return shown;
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

/**
 * Marks records as read under `view`: their fields then show or hide by the field table (domain/access.ts).
 * The marks live in the request's context (`views`): records reached through a field inherit their parent's.
 */
export function readAs<T>(ctx: Context, view: RowView, value: T): T {
  if (Array.isArray(value)) {
    for (const row of value) if (row && typeof row === 'object') ctx.views.set(row, view);
  } else if (value && typeof value === 'object') ctx.views.set(value, view);
  return value;
}

/** The evaluation, if the principal sees its case; its fields are shown or hidden by the field table. */
export async function visibleEvaluation<T extends { accident: { id: string } }>(ctx: Context, evaluation: T | null): Promise<T | null> {
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
  ctx.views.set(row, view);
  return view;
}

type FieldResolverCall = (root: unknown, args: unknown, ctx: Context, info: GraphQLResolveInfo) => unknown;

/**
 * Field resolver methods that take nothing but the root, the context and the info (no arguments to convert or
 * validate, no middleware, no roles), by GraphQL type and field name, as direct calls. type-graphql's wrapper sorts
 * the method's parameters and allocates on every call: a page of 50 evaluations called it 100 times for two
 * fields and allocated some 140 KB. A root typed as a class is left to type-graphql, which converts it.
 */
function directResolvers(): Map<string, Map<string, FieldResolverCall>> {
  const storage = getMetadataStorage();
  const direct = new Map<string, Map<string, FieldResolverCall>>();
  const instances = new Map<Function, Record<string, (...args: unknown[]) => unknown>>();
  const plainRoot = (p: { getType?: () => unknown }) => !p.getType || p.getType() === Object;
  for (const r of storage.fieldResolvers) {
    const params = [...(r.params ?? [])].sort((a, b) => a.index - b.index);
    const simple = params.every(
      (p) => p.kind === 'info' || (p.kind === 'context' && !p.propertyName) || (p.kind === 'root' && !p.propertyName && plainRoot(p)),
    );
    if (r.kind !== 'external' || r.middlewares?.length || r.roles?.length || r.resolverClassMetadata?.superResolver || !simple) continue;
    const objectType = storage.objectTypes.find((o) => o.target === r.getObjectType?.());
    if (!objectType) continue;
    let instance = instances.get(r.target);
    if (!instance) instances.set(r.target, (instance = new (r.target as new () => Record<string, (...args: unknown[]) => unknown>)()));
    const self = instance;
    const method = self[r.methodName]!;
    const order = params.map((p) => p.kind).join(',');
    // The common shapes without an array a call; any other order through one.
    const call: FieldResolverCall =
      order === 'root'
        ? (root) => method.call(self, root)
        : order === 'root,context'
          ? (root, _args, ctx) => method.call(self, root, ctx)
          : order === 'root,context,info'
            ? (root, _args, ctx, info) => method.call(self, root, ctx, info)
            : (root, _args, ctx, info) => method.apply(self, params.map((p) => (p.kind === 'root' ? root : p.kind === 'context' ? ctx : info)));
    const fields = direct.get(objectType.name) ?? new Map<string, FieldResolverCall>();
    fields.set(r.schemaName, call);
    direct.set(objectType.name, fields);
  }
  return direct;
}

const isPromise = (value: unknown): value is Promise<unknown> => typeof (value as Promise<unknown> | null)?.then === 'function';

/**
 * Fields type-graphql answers by reading a property (no resolver method, no middleware, none global either: the
 * schema is built without), by GraphQL type and field name: the guard reads the property itself, rather than
 * through type-graphql's wrapper that allocates per call.
 */
function plainProperties(): Map<string, Map<string, string>> {
  const storage = getMetadataStorage();
  const plain = new Map<string, Map<string, string>>();
  for (const objectType of storage.objectTypes) {
    const resolved = new Set(storage.fieldResolvers.filter((r) => r.getObjectType?.() === objectType.target).map((r) => r.methodName));
    const fields = new Map<string, string>();
    for (const field of storage.fields) {
      if (field.target !== objectType.target || resolved.has(field.name) || field.middlewares?.length || field.roles?.length) continue;
      fields.set(field.schemaName, field.name);
    }
    plain.set(objectType.name, fields);
  }
  return plain;
}

// Every field of a page of cases passes here (thousands a request): the common path allocates nothing.
function guarded(type: string, field: GraphQLField<unknown, Context>, property: string | undefined, direct: FieldResolverCall | undefined): GraphQLFieldResolver<unknown, Context> {
  const resolve: GraphQLFieldResolver<unknown, Context> = property ? (root) => (root as Record<string, unknown>)[property] : (direct ?? field.resolve ?? defaultFieldResolver);
  const list = isListType(getNullableType(field.type));
  const inherits = getNamedType(field.type).name in CASE_FIELDS;
  // Whoever reached the record sees an ANYONE field: nothing to decide once the record has a view.
  const everyone = audienceOf(type, field.name) === 'ANYONE';
  const show = (root: unknown, args: Record<string, unknown>, ctx: Context, info: GraphQLResolveInfo, view: RowView): unknown => {
    if (!everyone && !seesField(type, field.name, view.access, view.scope, root as FieldFacts)) return list ? [] : null;
    const value = resolve(root, args, ctx, info);
    if (!inherits) return value;
    return isPromise(value) ? value.then((v) => readAs(ctx, view, v)) : readAs(ctx, view, value);
  };
  return (root, args, ctx, info) => {
    const view = ctx.views.get(root as object);
    return view ? show(root, args, ctx, info, view) : locate(ctx, type, root as Row).then((found) => show(root, args, ctx, info, found));
  };
}

/**
 * Puts every field of every type that holds case data behind the field table in domain/access.ts. Refuses to
 * build a schema with a type or field the table does not know, or a hidden field that could not read null.
 */
export function guardCaseFields(schema: GraphQLSchema): GraphQLSchema {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
  const plain = plainProperties();
  const direct = directResolvers();
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
      } else field.resolve = guarded(type.name, field as GraphQLField<unknown, Context>, plain.get(type.name)?.get(field.name), direct.get(type.name)?.get(field.name));
    }
    for (const name of Object.keys(CASE_FIELDS[type.name as keyof typeof CASE_FIELDS])) {
      if (!fields[name]) problems.push(`${type.name}.${name}: in CASE_FIELDS but not in the schema`);
    }
  }
  for (const name of Object.keys(CASE_FIELDS)) if (!schema.getType(name)) problems.push(`type ${name}: in CASE_FIELDS but not in the schema`);
  if (problems.length) throw new Error(`field visibility (domain/access.ts) is incomplete:\n${problems.join('\n')}`);
  return schema;
}

/** A LIKE pattern for the codes under a grant's region (division codes are digits; escaped all the same). */
const underRegion = (code: string): string => `${regionPrefix(code).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Where a statement holds what visibility reads: the case (accident) id, its location and enterprise, and the evaluation's alias. */
export interface CaseColumns {
  accidentId: string;
  location: string;
  enterprise: string;
  evaluation: string;
}

/** A statement over accidents `t`, their evaluations left joined as `ev`. */
export const ACCIDENT_COLUMNS: CaseColumns = { accidentId: 't.id', location: 't.location_region_id', enterprise: 't.enterprise_id', evaluation: 'ev' };

/** A statement over evaluations `t`, which carry their accident's location and enterprise (migration read_indexes). */
export const EVALUATION_COLUMNS: CaseColumns = { accidentId: 't.accident_id', location: 't.location_region_id', enterprise: 't.enterprise_id', evaluation: 't' };

/**
 * The SQL side of `caseAccess`: a condition keeping the cases a principal may see at all. It is a superset: rows
 * are checked again one by one for what of them shows. Over evaluations it reads the evaluation row alone, so a
 * count is an index-only scan (index evaluation_due_at_id covers every column it reads).
 */
export function visibleCasesSql(principal: Principal, on: CaseColumns, use: 'page' | 'count' = 'page'): { sql: string; params: unknown[] } {
  const ev = on.evaluation;
  const anyOf = [`${ev}.published_at is not null`];
  const params: unknown[] = [];
  for (const g of principal.grants) {
    if (g.regionCode && ['SAFETY_OFFICE', 'DEPARTMENT_OFFICIAL', 'DISCIPLINE_INSPECTION', 'LEADER_IN_CHARGE', 'TOWN_OFFICIAL'].includes(g.role)) {
      anyOf.push(`${on.location} in (select r.id from region r where r.code like ?)`);
      params.push(underRegion(g.regionCode));
    }
    if (g.role === 'DEPARTMENT_OFFICIAL' && g.departmentId) {
      // A page probes its few cases one by one (LIMIT keeps PostgreSQL from hashing every case the department
      // investigated first); a count over all of them is better served by that hash.
      const investigated = 'from investigation i join investigation_department x on x.investigation_id = i.id';
      anyOf.push(
        use === 'page'
          ? `coalesce((select true ${investigated} where i.accident_id = ${on.accidentId} and x.department_id = ? limit 1), false)`
          : `${on.accidentId} in (select i.accident_id ${investigated} where x.department_id = ?)`,
      );
      params.push(g.departmentId);
    }
    if (g.role === 'ENTERPRISE_CONTACT' && g.enterpriseId) {
      anyOf.push(`${on.enterprise} = ?`);
      params.push(g.enterpriseId);
    }
    if (g.role === 'TEAM_MEMBER' && g.evaluationId) {
      anyOf.push(`(${ev}.id = ? and ${ev}.stage <> 'CLOSED')`);
      params.push(g.evaluationId);
    }
    if (g.role === 'UPPER_OFFICE' && g.regionCode) {
      anyOf.push(`(${ev}.filed_at is not null and ${ev}.organiser_region_id in (select o.id from region o join region p on p.id = o.parent_id where p.code = ?))`);
      params.push(g.regionCode);
    }
  }
  return { sql: `(${anyOf.join(' or ')})`, params };
}
