import type { UpdateDefinition } from '@temporalio/common';
import { evaluationWorkflowId } from '../../domain/case.js';
import { checkRecordId, isRecordId, notFound } from '../../domain/text.js';
import { DomainError } from '../../domain/errors.js';
import type { CaseScope } from '../../domain/access.js';
import type { EvaluationAction, EvaluationCase } from '../../domain/evaluation.js';
import { REPORT_LISTS, REPORT_SECTIONS, type ReportList, type ReportSection } from '../../domain/rule-profiles.js';
import { AuditEntry, Evaluation, RectificationTask } from '../../schema/entities/index.js';
import type { ActionRequest, UpdateResult } from '../../workflows/evaluation/messages.js';
import { closeRectificationTaskUpdate } from '../../workflows/rectification-task/messages.js';
import { authorize, caseScope } from '../access.js';
import { actorOf, type Context } from '../context.js';
import { ApiError } from '../errors.js';
import { updateIdFor } from '../validation.js';
import { createLoaders, READ_TABLES, scopeOf, toRows, type EvaluationRow } from '../loaders.js';
import type { RegionTree } from '../region-tree.js';
import { closeCase, closedRow, loadEvaluationCase, startEvaluationWorkflow, type CaseFacts } from './case-closure.js';
import type { ReportListInput, ReportSectionInput } from './evaluation.inputs.js';
import { executeUpdate } from '../workflow-update.js';

/**
 * After a change, later fields of the same request must read the new rows, not cached ones. The access facts of
 * the changed case are kept, with what the change may have moved (`moved`): the rest of a case's scope (its
 * regions, enterprise, departments) no action of an evaluation changes, so the request reads the scope once.
 */
async function refresh(ctx: Context, moved?: { accidentId: string; scope: CaseScope }): Promise<void> {
  const tree = await ctx.loaders.regions();
  ctx.em.clear();
  ctx.scopes.clear();
  if (moved) ctx.scopes.set(moved.accidentId, Promise.resolve(moved.scope));
  ctx.loaders = createLoaders(ctx.em, tree.version);
}

/** A case's access facts once an evaluation action went through (api/loaders.ts `scopeOf` reads the same). */
function scopeAfter(scope: CaseScope, row: EvaluationRow, operation: EvaluationAction['type']): CaseScope {
  return {
    ...scope,
    stage: row.stage,
    // Approval is never taken back: a draft is returned before it is approved.
    reportApproved: scope.reportApproved || operation === 'APPROVE_REPORT',
    published: Boolean(row.publishedAt),
    filed: Boolean(row.filedAt),
  };
}

/** The scope of a case just closed, from what the closure read (no statement). */
function scopeOfClosed(evaluationCase: EvaluationCase): CaseScope {
  return {
    evaluationId: evaluationCase.evaluationId,
    organiserRegionCode: evaluationCase.organiserRegionCode,
    upperRegionCode: evaluationCase.upperRegionCode ?? '',
    locationRegionCode: evaluationCase.locationRegionCode ?? '',
    enterpriseId: evaluationCase.enterpriseId ?? '',
    departmentIds: evaluationCase.investigatingDepartments.map((d) => d.id).sort(),
    stage: null,
    reportApproved: false,
    published: false,
    filed: false,
  };
}

/** The access facts of a case not yet closed, from what closure read of it (api/loaders.ts `scopeOf` decides its organiser). */
function scopeOfOpen(facts: CaseFacts, tree: RegionTree): CaseScope {
  return scopeOf(
    {
      id: facts.id,
      caseLevel: facts.level,
      locationRegionId: facts.locationRegionId,
      enterpriseId: facts.enterpriseId,
      homeRegionId: facts.homeRegionId,
      evaluationId: null,
      organiserRegionId: null,
      caseStage: null,
      published: false,
      filed: false,
      reportApproved: false,
      escalated: facts.escalated,
      delegatedRegionId: facts.delegatedRegionId,
      departmentIds: facts.departments.map((d) => d.id).sort(),
    },
    tree,
  );
}

export async function closeAccidentCase(ctx: Context, accidentId: string, closedAt: Date, idempotencyKey?: string | null): Promise<EvaluationRow> {
  updateIdFor(ctx.principal.id, idempotencyKey);
  checkRecordId('accidentId', accidentId);
  const tree = await ctx.loaders.regions();
  // Closure's own read of the case gives its access facts; a closed case's are the read model's (another statement).
  // Before closure the scope's organiser is the government that will organise (api/access.ts).
  const authorizeAsRead = async (facts: CaseFacts | null): Promise<void> => {
    if (!facts || !facts.closedAt) ctx.scopes.set(accidentId, Promise.resolve(facts && scopeOfOpen(facts, tree)));
    else ctx.scopes.delete(accidentId);
    await authorize(ctx, accidentId, 'CLOSE_CASE', 'accidentId');
  };
  let evaluationCase: EvaluationCase;
  try {
    evaluationCase = await closeCase(ctx.em.fork(), accidentId, closedAt, actorOf(ctx), idempotencyKey ?? undefined, authorizeAsRead);
  } catch (error) {
    // A retry of a closure that went through (the answer was lost): the same key from the same official.
    if (!(error instanceof DomainError && error.code === 'INVALID_TRANSITION' && idempotencyKey)) throw error;
    const first = await ctx.em.fork().findOne(AuditEntry, { subjectType: 'accident', subjectId: accidentId, action: 'CLOSE_CASE', actorId: ctx.principal.id });
    if ((first?.payload as { idempotencyKey?: string } | null)?.idempotencyKey !== idempotencyKey) throw error;
    const evaluation = await ctx.em.fork().findOneOrFail(Evaluation, accidentId);
    evaluationCase = await loadEvaluationCase(ctx.em.fork(), accidentId, { id: evaluation.profileId, version: evaluation.profileVersion });
  }
  // The row this closure wrote is the answer; a retry has none and reads it again, as the evaluation may have moved on.
  const written = closedRow(evaluationCase);
  await startEvaluationWorkflow(ctx.em, ctx.temporal, ctx.taskQueue, evaluationCase, { startRecorded: Boolean(written), markLater: true });
  await refresh(ctx);
  const row = written ? toRows<EvaluationRow>(READ_TABLES.evaluation, [written])[0] : await ctx.loaders.evaluation.load(evaluationCase.evaluationId);
  if (!row) throw new Error(`the evaluation of ${accidentId} was not recorded`);
  if (written) {
    ctx.loaders.evaluation.prime(evaluationCase.evaluationId, row);
    ctx.scopes.set(accidentId, Promise.resolve({ ...scopeOfClosed(evaluationCase), stage: row.stage }));
  }
  return row;
}

/**
 * Runs one official action as a workflow update. The workflow validates it (stage, completeness), applies it
 * and writes the read model before answering, so the row read here is already the new state.
 */
export async function act<T extends EvaluationAction['type']>(
  ctx: Context,
  evaluationId: string,
  operation: T,
  update: UpdateDefinition<UpdateResult, [ActionRequest<T>]>,
  input: ActionRequest<T>['input'],
  idempotencyKey?: string | null,
): Promise<EvaluationRow> {
  const updateId = updateIdFor(ctx.principal.id, idempotencyKey);
  checkRecordId('evaluationId', evaluationId);
  // An evaluation's id is its accident's: the case's access facts say whether it has one (a closed case).
  if (!(await caseScope(ctx, evaluationId))?.evaluationId) throw notFound('evaluationId');
  const scope = await authorize(ctx, evaluationId, operation);
  await executeUpdate(ctx.temporal.workflow.getHandle(evaluationWorkflowId(evaluationId)), update, { args: [{ actor: actorOf(ctx), input }], updateId });
  await refresh(ctx);
  const row = await ctx.loaders.evaluation.load(evaluationId);
  if (!row) throw notFound('evaluationId');
  ctx.scopes.set(evaluationId, Promise.resolve(scopeAfter(scope, row, operation)));
  return row;
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
  const scope = await authorize(ctx, task.evaluation.id, 'CLOSE_TASK', 'taskId');
  await executeUpdate(ctx.temporal.workflow.getHandle(task.workflowId), closeRectificationTaskUpdate, { args: [{ actor: actorOf(ctx), input: { evidence } }], updateId });
  // The evaluation hears of the task by signal, after this answer: its scope as read stays this request's view.
  await refresh(ctx, { accidentId: task.evaluation.id, scope });
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
