import type { UpdateDefinition } from '@temporalio/common';
import { evaluationWorkflowId } from '../../domain/case.js';
import { checkRecordId, isRecordId, notFound } from '../../domain/text.js';
import { DomainError } from '../../domain/errors.js';
import type { EvaluationAction, EvaluationCase, EvaluationState } from '../../domain/evaluation.js';
import { REPORT_LISTS, REPORT_SECTIONS, type ReportList, type ReportSection } from '../../domain/rule-profiles.js';
import { AuditEntry, Evaluation, RectificationTask, Region } from '../../schema/entities/index.js';
import type { ActionRequest } from '../../workflows/evaluation/messages.js';
import { closeRectificationTaskUpdate } from '../../workflows/rectification-task/messages.js';
import { authorize, visibleCasesFilter, visibleEvaluation } from '../access.js';
import { actorOf, type Context } from '../context.js';
import { ApiError } from '../errors.js';
import { updateIdFor } from '../validation.js';
import { createLoaders } from '../loaders.js';
import { closeCase, loadEvaluationCase, startEvaluationWorkflow } from './case-closure.js';
import type { EvaluationFilterInput, ReportListInput, ReportSectionInput } from './evaluation.inputs.js';

/** After a change, later fields of the same request must read the new rows, not cached ones. */
function refresh(ctx: Context): void {
  ctx.em.clear();
  ctx.scopes.clear();
  ctx.loaders = createLoaders(ctx.em);
}

export async function closeAccidentCase(ctx: Context, accidentId: string, closedAt: Date, idempotencyKey?: string | null): Promise<Evaluation> {
  updateIdFor(ctx.principal.id, idempotencyKey);
  checkRecordId('accidentId', accidentId);
  // Before closure the scope's organiser is the government that will organise (api/access.ts).
  await authorize(ctx, accidentId, 'CLOSE_CASE', 'accidentId');
  let evaluationCase: EvaluationCase;
  try {
    evaluationCase = await closeCase(ctx.em.fork(), accidentId, closedAt, actorOf(ctx), idempotencyKey ?? undefined);
  } catch (error) {
    // A retry of a closure that went through (the answer was lost): the same key from the same official.
    if (!(error instanceof DomainError && error.code === 'INVALID_TRANSITION' && idempotencyKey)) throw error;
    const first = await ctx.em.fork().findOne(AuditEntry, { subjectType: 'accident', subjectId: accidentId, action: 'CLOSE_CASE', actorId: ctx.principal.id });
    if ((first?.payload as { idempotencyKey?: string } | null)?.idempotencyKey !== idempotencyKey) throw error;
    const evaluation = await ctx.em.fork().findOneOrFail(Evaluation, accidentId);
    evaluationCase = await loadEvaluationCase(ctx.em.fork(), accidentId, { id: evaluation.profileId, version: evaluation.profileVersion });
  }
  await startEvaluationWorkflow(ctx.em.fork(), ctx.temporal, ctx.taskQueue, evaluationCase);
  refresh(ctx);
  return ctx.em.findOneOrFail(Evaluation, evaluationCase.evaluationId);
}

/**
 * Runs one official action as a workflow update. The workflow validates it (stage, completeness), applies it
 * and writes the read model before answering, so the row read here is already the new state.
 */
export async function act<T extends EvaluationAction['type']>(
  ctx: Context,
  evaluationId: string,
  operation: T,
  update: UpdateDefinition<EvaluationState, [ActionRequest<T>]>,
  input: ActionRequest<T>['input'],
  idempotencyKey?: string | null,
): Promise<Evaluation> {
  const updateId = updateIdFor(ctx.principal.id, idempotencyKey);
  checkRecordId('evaluationId', evaluationId);
  const existing = await ctx.em.findOne(Evaluation, evaluationId);
  if (!existing) throw notFound('evaluationId');
  await authorize(ctx, existing.accident.id, operation);
  await ctx.temporal.workflow
    .getHandle(evaluationWorkflowId(existing.accident.id))
    .executeUpdate(update, { args: [{ actor: actorOf(ctx), input }], ...(updateId ? { updateId } : {}) });
  refresh(ctx);
  return ctx.em.findOneOrFail(Evaluation, evaluationId);
}

/** Task ids are `<evaluation id>/<measure id>`. */
const isTaskId = (id: string): boolean => {
  const [evaluationId, measureId, ...rest] = id.split('/');
  return !rest.length && isRecordId(evaluationId) && isRecordId(measureId);
};

export async function closeRectificationTask(ctx: Context, taskId: string, evidence: string, idempotencyKey?: string | null): Promise<RectificationTask> {
  const updateId = updateIdFor(ctx.principal.id, idempotencyKey);
  if (!isTaskId(taskId)) throw notFound('taskId');
  const task = await ctx.em.findOne(RectificationTask, taskId);
  if (!task) throw notFound('taskId');
  await authorize(ctx, task.evaluation.id, 'CLOSE_TASK', 'taskId');
  await ctx.temporal.workflow
    .getHandle(task.workflowId)
    .executeUpdate(closeRectificationTaskUpdate, { args: [{ actor: actorOf(ctx), input: { evidence } }], ...(updateId ? { updateId } : {}) });
  refresh(ctx);
  return ctx.em.findOneOrFail(RectificationTask, taskId);
}

export function sectionsRecord(sections: ReportSectionInput[]): Record<ReportSection, string> {
  const record = Object.fromEntries(REPORT_SECTIONS.map((s) => [s, ''])) as Record<ReportSection, string>;
  const seen = new Set<ReportSection>();
  for (const { section, text } of sections) {
    if (seen.has(section)) throw new ApiError('BAD_USER_INPUT', `sections: ${section} is given twice`, 'sections');
    seen.add(section);
    record[section] = text;
  }
  return record;
}

export function listsRecord(lists: ReportListInput[]): Partial<Record<ReportList, string[]>> {
  const record: Partial<Record<ReportList, string[]>> = {};
  for (const { list, items } of lists) {
    if (!REPORT_LISTS.includes(list)) throw new ApiError('BAD_USER_INPUT', `lists: unknown list ${list}`, 'lists');
    if (record[list]) throw new ApiError('BAD_USER_INPUT', `lists: ${list} is given twice`, 'lists');
    record[list] = items;
  }
  return record;
}

// Cursor: the sort key (due date, id) of the last row, opaque to clients.
const encodeCursor = (e: Evaluation): string => Buffer.from(JSON.stringify([e.dueAt.toISOString(), e.id])).toString('base64url');

function decodeCursor(cursor: string): [Date, string] {
  try {
    const [due, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    const at = new Date(due);
    if (Number.isNaN(at.getTime()) || typeof id !== 'string') throw new Error('bad cursor');
    return [at, id];
  } catch {
    throw new ApiError('BAD_USER_INPUT', 'after: not a cursor this API issued', 'after');
  }
}

async function regionAndDescendants(ctx: Context, regionId: string): Promise<string[]> {
  if (!isRecordId(regionId) || !(await ctx.em.findOne(Region, regionId))) throw notFound('filter.regionId');
  const rows = await ctx.em.getConnection().execute<{ id: string }[]>(
    `with recursive sub as (select id from region where id = ? union all select r.id from region r join sub on r.parent_id = sub.id) select id from sub`,
    [regionId],
  );
  return rows.map((r) => r.id);
}

/** A Relay-style page of evaluations, soonest due first. */
export async function listEvaluations(ctx: Context, filter: EvaluationFilterInput | undefined, first: number, after: string | undefined) {
  if (first < 0 || first > 200) throw new ApiError('BAD_USER_INPUT', 'first: between 0 and 200', 'first');
  const where: Record<string, unknown> = { $and: [visibleCasesFilter(ctx.principal, 'evaluation')] };
  if (filter?.stage?.length) where.stage = { $in: filter.stage };
  if (filter?.overdue !== undefined && filter.overdue !== null) where.overdue = filter.overdue;
  if (filter?.dueBefore) where.dueAt = { $lt: filter.dueBefore };
  if (filter?.regionId) where.organiserRegion = { $in: await regionAndDescendants(ctx, filter.regionId) };
  const totalCount = await ctx.em.count(Evaluation, where);
  const page: Record<string, unknown> = { ...where };
  if (after) {
    const [due, id] = decodeCursor(after);
    page.$and = [...(where.$and as unknown[]), { $or: [{ dueAt: { $gt: due } }, { dueAt: due, id: { $gt: id } }] }];
  }
  const rows = await ctx.em.find(Evaluation, page, { orderBy: { dueAt: 'asc', id: 'asc' }, limit: first + 1 });
  ctx.loaders.prime(Evaluation, rows);
  const nodes = (await Promise.all(rows.slice(0, first).map((row) => visibleEvaluation(ctx, row)))).filter((n) => n !== null);
  return {
    edges: nodes.map((node) => ({ cursor: encodeCursor(node), node })),
    pageInfo: { hasNextPage: rows.length > first, endCursor: nodes.length ? encodeCursor(nodes.at(-1)!) : null },
    totalCount,
  };
}
