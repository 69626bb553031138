import type { GraphQLResolveInfo } from 'graphql';
import { caseAccess, type CaseScope } from '../../domain/access.js';
import { accessAsOf, scopeAsOf } from '../../domain/as-of.js';
import type { EvaluationState } from '../../domain/evaluation.js';
import { isRecordId } from '../../domain/text.js';
import { caseScope, readAs, visibleCasesSql, type RowView } from '../access.js';
import type { Context } from '../context.js';
import { ApiError } from '../errors.js';
import { selects } from '../graph.js';
import type { EvaluationFilterInput } from '../evaluation/evaluation.inputs.js';
import { decodeCursor, encodeCursor, placeConditions } from '../evaluation/evaluation-list.js';
import { prepared } from '../../infra/prepared.js';
import { rebuildAsOf } from './as-of.rebuild.js';
import { rowAsOf, type EvaluationRowAsOf } from './as-of.row.js';

// Clocks of the API and the database may differ a little: an instant this close ahead reads as now.
const CLOCK_SKEW_MS = 60_000;

/** The instant asked about: a date-time, not ahead of now. */
export function checkAsOf(asOf: Date): Date {
  if (!(asOf instanceof Date) || Number.isNaN(asOf.getTime())) throw new ApiError('BAD_USER_INPUT', 'asOf: an ISO date-time', 'asOf');
  if (asOf.getTime() > Date.now() + CLOCK_SKEW_MS) throw new ApiError('BAD_USER_INPUT', 'asOf: an instant in the past; the present is read without asOf', 'asOf');
  return asOf;
}

/**
 * How the caller reads the case as it was: with the lesser of its access now and its access then (a case not yet
 * published then is not public as of then; a team member whose case has closed since sees it no longer).
 */
function viewAsOf(ctx: Context, now: CaseScope, then: EvaluationState): RowView | null {
  const scope = scopeAsOf(now, then);
  const access = accessAsOf(ctx.principal, now, scope);
  return access === 'NONE' ? null : { access, scope };
}

/** One evaluation as it stood at `asOf`, shown by the field table like the live one; null when hidden or not yet there. */
export async function evaluationAsOf(ctx: Context, id: string, asOf: Date): Promise<EvaluationRowAsOf | null> {
  checkAsOf(asOf);
  if (!isRecordId(id)) return null;
  // A case hidden now is hidden as of any time: nothing is read of its history.
  const now = await caseScope(ctx, id);
  if (!now?.evaluationId || caseAccess(ctx.principal, now) === 'NONE') return null;
  const rebuilt = await rebuildAsOf(ctx, id, asOf);
  if (!rebuilt) return null;
  const row = rowAsOf(rebuilt);
  const view = viewAsOf(ctx, now, rebuilt.state);
  return view ? readAs(ctx, view, row) : null;
}

/**
 * Evaluations `t` with, as of `?`, their stage from the audit trail (`h`: the last entry by then; an evaluation
 * with none did not exist yet) and the facts visibility reads (`ev`: published, filed, stage as of then).
 */
const AS_OF_FROM = `from evaluation t
  join lateral (select a.stage_after from audit_entry a
    where a.subject_type = 'evaluation' and a.subject_id = t.id::text and a.at <= ? order by a.revision desc limit 1) h on true
  cross join lateral (select t.id, t.organiser_region_id, h.stage_after as stage,
    case when t.published_at <= ? then t.published_at end as published_at,
    case when t.filed_at <= ? then t.filed_at end as filed_at) ev`;

/**
 * Overdue as of `?` (both clocks), as the workflow marks it (domain/evaluation.ts deadlineEvents): the window's
 * due date had passed and the report was not published by then; or the team's time limit had passed and the
 * report was not approved by then. Like the live mark, it stays once set.
 */
const OVERDUE_AS_OF = `((t.due_at <= ? and coalesce(t.published_at, 'infinity'::timestamptz) > t.due_at)
  or (t.team_due_at is not null and t.team_due_at <= ?
    and coalesce((select rp.approved_at from evaluation_report rp where rp.evaluation_id = t.id), 'infinity'::timestamptz) > t.team_due_at))`;

async function conditions(ctx: Context, filter: EvaluationFilterInput | undefined, asOf: Date, use: 'page' | 'count'): Promise<{ where: string[]; params: unknown[] }> {
  const columns = { accidentId: 't.accident_id', location: 't.location_region_id', enterprise: 't.enterprise_id' };
  // Seen now and seen then (rows are checked again one by one).
  const now = visibleCasesSql(ctx.principal, { ...columns, evaluation: 't' }, use);
  const then = visibleCasesSql(ctx.principal, { ...columns, evaluation: 'ev' }, use);
  const where = [now.sql, then.sql];
  const params: unknown[] = [asOf, asOf, asOf, ...now.params, ...then.params];
  if (filter?.stage?.length) {
    where.push('h.stage_after = any(?)');
    params.push(filter.stage);
  }
  if (filter?.overdue !== undefined && filter.overdue !== null) {
    where.push(filter.overdue ? OVERDUE_AS_OF : `not ${OVERDUE_AS_OF}`);
    params.push(asOf, asOf);
  }
  await placeConditions(ctx, filter, where, params);
  return { where, params };
}

// Rebuilding replays each case's trail: a few at a time, so a page does not take every connection of the pool.
const REBUILDS_AT_ONCE = 8;

/**
 * `evaluations(asOf:)`: the board as it stood at `asOf`, soonest due first: the evaluations that existed then,
 * filtered by their stage and overdue mark then, each rebuilt as of then and shown by the caller's stricter view.
 */
export async function listEvaluationsAsOf(
  ctx: Context,
  info: GraphQLResolveInfo,
  filter: EvaluationFilterInput | undefined,
  first: number,
  after: string | undefined,
  asOf: Date,
) {
  checkAsOf(asOf);
  if (first < 0 || first > 200) throw new ApiError('BAD_USER_INPUT', 'first: between 0 and 200', 'first');
  const cursor = after ? decodeCursor(after) : undefined;
  const page = await conditions(ctx, filter, asOf, 'page');
  const count = selects(info, 'totalCount') ? await conditions(ctx, filter, asOf, 'count') : undefined;
  const [ids, total] = await Promise.all([
    prepared<{ id: string }>(
      ctx.em,
      `select t.id ${AS_OF_FROM} where ${[...page.where, ...(cursor ? ['(t.due_at, t.id) > (?, ?)'] : [])].join(' and ')} order by t.due_at, t.id limit ?`,
      [...page.params, ...(cursor ?? []), first + 1],
      { dynamic: true },
    ),
    count ? prepared<{ count: string }>(ctx.em, `select count(*) ${AS_OF_FROM} where ${count.where.join(' and ')}`, count.params, { dynamic: true }) : undefined,
  ]);
  const nodes: EvaluationRowAsOf[] = [];
  const wanted = ids.slice(0, first).map((r) => r.id);
  for (let i = 0; i < wanted.length; i += REBUILDS_AT_ONCE) {
    const found = await Promise.all(wanted.slice(i, i + REBUILDS_AT_ONCE).map((id) => evaluationAsOf(ctx, id, asOf)));
    for (const node of found) if (node) nodes.push(node);
  }
  return {
    edges: nodes.map((node) => ({ cursor: encodeCursor(node), node })),
    pageInfo: { hasNextPage: ids.length > first, endCursor: nodes.length ? encodeCursor(nodes.at(-1)!) : null },
    // Not asked for: never sent.
    totalCount: total ? Number(total[0]!.count) : -1,
  };
}
