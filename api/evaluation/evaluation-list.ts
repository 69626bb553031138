import type { GraphQLObjectType, GraphQLResolveInfo } from 'graphql';
import { needsInvestigatingDepartments, type CaseScope } from '../../domain/access.js';
import { notFound } from '../../domain/text.js';
import { EVALUATION_COLUMNS, visibleCasesSql, visibleRows } from '../access.js';
import type { Context } from '../context.js';
import { ApiError } from '../errors.js';
import { columnsFor, fromSelection, objectType, readWithGraph, selectionAt, selectionOf, selects, type Selection } from '../graph.js';
import { evaluationFacts, evaluationScope, READ_TABLES, selectFrom, toRows, type EvaluationRow } from '../loaders.js';
import type { EvaluationFilterInput } from './evaluation.inputs.js';
import { prepared } from '../../infra/prepared.js';

// Cursor: the sort key (due date, id) of the last row, opaque to clients: base64url of the JSON pair, the due date in
// milliseconds since the epoch (formatting it as an ISO instant cost more than the rest of the cursor, 51 times a
// page). A UUID holds no character JSON escapes, so the pair is written as it stands. Cursors issued with an ISO
// instant in that place still read. The board as of a past instant (api/as-of) issues and reads the same cursors.
export const encodeCursor = (e: { dueAt: Date; id: string }): string => Buffer.from(`[${e.dueAt.getTime()},"${e.id}"]`, 'latin1').toString('base64url');

export function decodeCursor(cursor: string): [Date, string] {
  try {
    const [due, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [unknown, unknown];
    const at = typeof due === 'number' || typeof due === 'string' ? new Date(due) : new Date(NaN);
    if (Number.isNaN(at.getTime()) || typeof id !== 'string') throw new Error('bad cursor');
    return [at, id];
  } catch {
    throw new ApiError('BAD_USER_INPUT', 'after: not a cursor this API issued', 'after');
  }
}

/** The filter as SQL over evaluations `t` (nothing joined: a count reads one index): the caller's visibility, then the client's. */
async function conditions(ctx: Context, filter: EvaluationFilterInput | undefined, use: 'page' | 'count'): Promise<{ where: string[]; params: unknown[] }> {
  const visible = visibleCasesSql(ctx.principal, EVALUATION_COLUMNS, use);
  const where = [visible.sql];
  const params = [...visible.params];
  if (filter?.stage?.length) {
    where.push('t.stage = any(?)');
    params.push(filter.stage);
  }
  if (filter?.overdue !== undefined && filter.overdue !== null) {
    where.push('t.overdue = ?');
    params.push(filter.overdue);
  }
  await placeConditions(ctx, filter, where, params);
  return { where, params };
}

/** The filter's due date and organiser region, which read the same now and as of a past instant (api/as-of). */
export async function placeConditions(ctx: Context, filter: EvaluationFilterInput | undefined, where: string[], params: unknown[]): Promise<void> {
  if (filter?.dueBefore) {
    where.push('t.due_at < ?');
    params.push(filter.dueBefore);
  }
  if (filter?.regionId) {
    const tree = await ctx.loaders.regions();
    if (!tree.get(filter.regionId)) throw notFound('filter.regionId');
    where.push('t.organiser_region_id = any(?)');
    params.push(tree.within(filter.regionId));
  }
}

/** Evaluations with their access facts and the selected graph (api/graph.ts), in one statement, soonest due first. */
export async function readEvaluations(
  ctx: Context,
  selection: Selection,
  type: GraphQLObjectType,
  page: { where: string[]; params: unknown[]; limit: number },
): Promise<{ rows: EvaluationRow[]; scopes: CaseScope[] }> {
  const departments = needsInvestigatingDepartments(ctx.principal);
  // The case (visibility, its access facts) and the cursor's order always; of the rest, what the client selected.
  const columns = columnsFor(type, selection, READ_TABLES.evaluation, ['id', 'accident', 'dueAt', 'stage', 'organiserRegion']);
  const select = fromSelection(selection, `evaluations:${type.name}:${departments}`, () => {
    const scope = evaluationScope('t', departments);
    return `${selectFrom(READ_TABLES.evaluation, scope.columns, columns)} ${scope.joins}`;
  });
  const [raw] = await Promise.all([
    readWithGraph(ctx.em, READ_TABLES.evaluation, type, selection, {
      // Index evaluation_due_at_id walks this order; the cursor compares the pair.
      sql: `${select} where ${page.where.join(' and ')} order by t.due_at, t.id limit ?`,
      params: [...page.params, page.limit],
      order: 'p."dueAt", p.id',
      columns,
    }),
    ctx.loaders.regions(),
  ]);
  const scopes = await ctx.loaders.primeScopes(raw.map(evaluationFacts));
  // Not handed to the by-id loader: a row carries what this selection read ahead of it, not what another may want.
  return { rows: toRows<EvaluationRow>(READ_TABLES.evaluation, raw), scopes };
}

/**
 * A Relay-style page of evaluations, soonest due first: one statement for the page, its cases' access facts and
 * what the client selected of them, and, only when the client asks for `totalCount`, one count beside it.
 */
export async function listEvaluations(ctx: Context, info: GraphQLResolveInfo, filter: EvaluationFilterInput | undefined, first: number, after: string | undefined) {
  if (first < 0 || first > 200) throw new ApiError('BAD_USER_INPUT', 'first: between 0 and 200', 'first');
  const cursor = after ? decodeCursor(after) : undefined;
  const page = await conditions(ctx, filter, 'page');
  const count = selects(info, 'totalCount') ? await conditions(ctx, filter, 'count') : undefined;
  const [{ rows, scopes }, total] = await Promise.all([
    readEvaluations(ctx, selectionAt(selectionOf(info), ['edges', 'node']), objectType(info, 'Evaluation'), {
      where: cursor ? [...page.where, '(t.due_at, t.id) > (?, ?)'] : page.where,
      params: [...page.params, ...(cursor ?? [])],
      limit: first + 1,
    }),
    count ? prepared<{ count: string }>(ctx.em, `select count(*) from evaluation t where ${count.where.join(' and ')}`, count.params, { dynamic: true }) : undefined,
  ]);
  const nodes = visibleRows(ctx, rows.slice(0, first), scopes);
  return {
    edges: nodes.map((node) => ({ cursor: encodeCursor(node), node })),
    pageInfo: { hasNextPage: rows.length > first, endCursor: nodes.length ? encodeCursor(nodes.at(-1)!) : null },
    // Not asked for: never sent.
    totalCount: total ? Number(total[0]!.count) : -1,
  };
}
