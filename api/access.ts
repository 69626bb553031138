import { allow, caseAccess, regionPrefix, seesPersonalData, seesWorkingPapers, type CaseAccess, type CaseScope, type Operation, type Principal } from '../domain/access.js';
import type { Accident, Evaluation, Investigation } from '../schema/entities/index.js';
import type { Context } from './context.js';
import { decideOrganiser } from './evaluation/case-closure.js';
import { ApiError } from './errors.js';

/** Access facts of one case, from the read model, batched through the request's loaders and memoized. */
export function caseScope(ctx: Context, accidentId: string): Promise<CaseScope | null> {
  let scope = ctx.scopes.get(accidentId);
  if (!scope) {
    scope = loadScope(ctx, accidentId);
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

export interface CaseView {
  scope: CaseScope;
  access: CaseAccess;
  workingPapers: boolean;
  personalData: boolean;
}

/** What the principal may see of a case; null when the case is hidden (or absent: the two read the same). */
export async function viewOf(ctx: Context, accidentId: string): Promise<CaseView | null> {
  const scope = await caseScope(ctx, accidentId);
  if (!scope) return null;
  const access = caseAccess(ctx.principal, scope);
  if (access === 'NONE') return null;
  return { scope, access, workingPapers: seesWorkingPapers(access, scope), personalData: seesPersonalData(access) };
}

/** Refuses an operation: NOT_FOUND when the case is hidden from the principal, FORBIDDEN when only the act is. */
export async function authorize(ctx: Context, accidentId: string, operation: Operation, field = 'evaluationId'): Promise<CaseScope> {
  const view = await viewOf(ctx, accidentId);
  if (!view) throw new ApiError('NOT_FOUND', `no such record`, field);
  if (!allow(ctx.principal, operation, view.scope)) {
    throw new ApiError('FORBIDDEN', `${ctx.principal.name} may not ${operation} on this case`);
  }
  return view.scope;
}

/** Evaluations the principal sees, with the working papers blanked out where they must not. */
export async function visibleEvaluation(ctx: Context, evaluation: Evaluation | null): Promise<Evaluation | null> {
  if (!evaluation) return null;
  const view = await viewOf(ctx, evaluation.accident.id);
  if (!view) return null;
  if (view.workingPapers) return evaluation;
  // 000 §六.三: nothing of the evaluation's content is disclosed before the report is agreed.
  return Object.assign(Object.create(Object.getPrototypeOf(evaluation) as object) as Evaluation, evaluation, {
    selfEvaluation: null,
    documentReviewSummary: null,
    assessmentSummary: null,
    actingLeader: view.personalData ? evaluation.actingLeader : null,
  });
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
