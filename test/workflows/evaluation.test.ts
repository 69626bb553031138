import { randomUUID } from 'node:crypto';
import { writeFile, mkdir } from 'node:fs/promises';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { verifyAuditChain } from '../../activities/audit.js';
import { closeCase, startEvaluationWorkflow } from '../../api/evaluation/case-closure.js';
import { evaluationWorkflowId } from '../../domain/case.js';
import type { EvaluationCase, EvaluationState } from '../../domain/evaluation.js';
import { insertDemoData, type DemoData } from '../../infra/demo-data.js';
import { createWorker } from '../../infra/temporal.js';
import { AuditEntry, Evaluation, Notification, RectificationTask } from '../../schema/entities/index.js';
import * as m from '../../workflows/evaluation/messages.js';
import { closeRectificationTaskUpdate } from '../../workflows/rectification-task/messages.js';
import { driveToOnSiteVerification, evaluationSteps, officeDirector, openDemoCase } from '../helpers/evaluation-steps.js';
import { workflowBundle } from '../helpers/temporal.js';
import { workflowWorld } from '../helpers/workflow-world.js';

const world = workflowWorld();
const { withWorker } = world;

/** A fresh copy of the demo graph and its not-yet-closed case, closed now and its workflow started. */
async function closeFreshCase(taskQueue: string, continueAsNewAfterEvents?: number): Promise<{ data: DemoData; evaluationCase: EvaluationCase }> {
  const em = world.db.orm.em.fork();
  const now = new Date(await world.env.currentTimeMs());
  const data = await insertDemoData(em, now);
  const evaluationCase = await closeCase(em, data.openCase, now, officeDirector);
  await startEvaluationWorkflow(em, world.env.client, taskQueue, evaluationCase, { continueAsNewAfterEvents, startRecorded: true });
  return { data, evaluationCase };
}

/** Every official step from team formation to filing, in order; returns the state after filing (follow-up). */
async function driveToFollowUp(handle: WorkflowHandle, evaluationCase: EvaluationCase): Promise<EvaluationState> {
  const steps = await driveToOnSiteVerification(handle, evaluationCase);
  for (const check of steps.onSiteChecks) await handle.executeUpdate(m.recordOnSiteCheckUpdate, { args: [check] });
  await handle.executeUpdate(m.completeOnSiteVerificationUpdate, { args: [steps.completeOnSiteVerification] });
  await handle.executeUpdate(m.submitAssessmentUpdate, { args: [steps.submitAssessment] });
  await handle.executeUpdate(m.submitReportDraftUpdate, { args: [steps.submitReportDraft] });
  await handle.executeUpdate(m.approveReportUpdate, { args: [steps.approveReport] });
  await handle.executeUpdate(m.publishReportUpdate, { args: [steps.publishReport] });
  const filed = await handle.executeUpdate(m.fileReportUpdate, { args: [steps.fileReport] });
  // An update answers with the revision and stage its change produced, the rest is in the read model.
  expect(filed.stage).toBe('FOLLOW_UP');
  const state = await handle.query(m.evaluationStateQuery);
  expect(state.revision).toBeGreaterThanOrEqual(filed.revision);
  return state;
}

async function readModel(id: string): Promise<Evaluation> {
  return world.db.orm.em.fork().findOneOrFail(Evaluation, id);
}

test('should take a case from closure to a published, filed report and close it when follow-up is done', async () => {
  await withWorker('lifecycle', async (taskQueue) => {
    const { evaluationCase } = await closeFreshCase(taskQueue);
    const handle = world.env.client.workflow.getHandle(evaluationWorkflowId(evaluationCase.accidentId));

    expect((await handle.query(m.evaluationStateQuery)).stage).toBe('WAITING_FOR_WINDOW');
    await world.env.sleep('305 days'); // 10 months after closure the window opens (001 §3)
    expect((await handle.query(m.evaluationStateQuery)).stage).toBe('TEAM_FORMATION');

    const afterFiling = await driveToFollowUp(handle, evaluationCase);
    expect((await readModel(evaluationCase.evaluationId)).teamDueAt).toBeInstanceOf(Date); // Qilin: 30-day clock

    // The update answers after the read model is written: the row already shows follow-up and its task.
    expect(afterFiling.stage).toBe('FOLLOW_UP');
    const row = await readModel(evaluationCase.evaluationId);
    expect(row.stage).toBe('FOLLOW_UP');
    expect(row.overdue).toBe(false);
    expect(row.filedWith).toBe('曲靖市安全生产委员会办公室');
    const tasks = await world.db.orm.em.fork().find(RectificationTask, { evaluation: evaluationCase.evaluationId });
    expect(tasks.map((t) => t.measure.id)).toEqual([evaluationCase.measures.at(-1)!.id]);
    expect(tasks[0]!.assignee).toBe('麒麟区交通运输局'); // the measure's responsible unit

    const task = world.env.client.workflow.getHandle(tasks[0]!.workflowId);
    await task.executeUpdate(closeRectificationTaskUpdate, { args: [{ actor: officeDirector, input: { evidence: '巡查台账已建立，附照片12张' } }] });
    const referralId = afterFiling.referrals[0]!.id;
    await handle.executeUpdate(m.recordReferralOutcomeUpdate, { args: [{ actor: officeDirector, input: { referralId, outcome: '检察院已提起公诉' } }] });

    const final = await handle.result();
    expect(final.stage).toBe('CLOSED');
    expect((await readModel(evaluationCase.evaluationId)).stage).toBe('CLOSED');
    const trail = await world.db.orm.em.fork().find(AuditEntry, { subjectId: evaluationCase.evaluationId }, { orderBy: { revision: 'asc' } });
    expect(trail.map((a) => a.action)).toEqual(
      expect.arrayContaining(['START', 'FORM_TEAM', 'SUBMIT_ASSESSMENT', 'APPROVE_REPORT', 'PUBLISH_REPORT', 'FILE_REPORT', 'TASK_STATUS']),
    );
    expect(trail.find((a) => a.action === 'APPROVE_REPORT')!.actorName).toBe('分管副区长 钱某');
    // Every entry, the rectification task's included, verifies against the keyed chain.
    expect(await verifyAuditChain(world.db.orm.em.fork(), world.db.auditKey, 'all')).toMatchObject({ ok: true, firstBroken: null });

    if (process.env.BIHUAN_RECORD_HISTORIES) {
      await mkdir('test/workflows/histories', { recursive: true });
      await writeFile(`test/workflows/histories/evaluation-lifecycle-${process.env.BIHUAN_RECORD_HISTORIES}.json`, historyToJSON(await handle.fetchHistory()));
    }
  });
});

test('should flag the evaluation overdue when the window passes with no team', async () => {
  await withWorker('overdue', async (taskQueue) => {
    const { evaluationCase } = await closeFreshCase(taskQueue);
    const handle = world.env.client.workflow.getHandle(evaluationWorkflowId(evaluationCase.accidentId));
    await world.env.sleep('370 days');
    const state = await handle.query(m.evaluationStateQuery);
    expect(state.stage).toBe('TEAM_FORMATION');
    expect(state.overdue).toEqual(['WINDOW']);
    const row = await readModel(evaluationCase.evaluationId);
    expect(row.overdue).toBe(true);
    expect(row.overdueClocks).toEqual(['WINDOW']);
    const notices = await world.db.orm.em.fork().find(Notification, { subjectId: evaluationCase.evaluationId }, { orderBy: { createdAt: 'asc' } });
    expect(notices.map((n) => n.kind)).toEqual(['REMINDER', 'REMINDER', 'REMINDER', 'REMINDER', 'OVERDUE']);
    expect(notices.at(-1)!.message).toContain('逾期');
    // Overdue stays visible: forming the team late does not clear it.
    await handle.executeUpdate(m.formTeamUpdate, { args: [evaluationSteps(evaluationCase).formTeam] });
    expect((await readModel(evaluationCase.evaluationId)).overdue).toBe(true);
  });
});

test('should flag the team overdue when it has not finished 30 days after its formation', async () => {
  await withWorker('team', async (taskQueue) => {
    const { evaluationCase, handle } = await openDemoCase(world, taskQueue);
    await handle.executeUpdate(m.formTeamUpdate, { args: [evaluationSteps(evaluationCase).formTeam] });
    await world.env.sleep('31 days');
    const row = await readModel(evaluationCase.evaluationId);
    expect(row.overdueClocks).toEqual(['TEAM']);
    expect(row.stage).toBe('SELF_EVALUATION');
  });
});

test('should refuse an action in the wrong stage with INVALID_TRANSITION and change nothing', async () => {
  await withWorker('invalid', async (taskQueue) => {
    const { evaluationCase, handle } = await openDemoCase(world, taskQueue);
    const before = await handle.query(m.evaluationStateQuery);
    const rowBefore = await readModel(evaluationCase.evaluationId);

    const refused = await handle.executeUpdate(m.approveReportUpdate, { args: [evaluationSteps(evaluationCase).approveReport] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'INVALID_TRANSITION' });

    const noDiscipline = { ...evaluationSteps(evaluationCase).formTeam };
    noDiscipline.input = { ...noDiscipline.input, members: noDiscipline.input.members.filter((x) => x.role !== 'DISCIPLINE_INSPECTION') };
    const badTeam = await handle.executeUpdate(m.formTeamUpdate, { args: [noDiscipline] }).catch((e: unknown) => e);
    expect((badTeam as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'BAD_USER_INPUT' });
    expect((badTeam as WorkflowUpdateFailedError).cause?.message).toContain('members');

    const after = await handle.query(m.evaluationStateQuery);
    expect(after).toEqual(before);
    expect((await readModel(evaluationCase.evaluationId)).revision).toBe(rowBefore.revision);
    // The workflow is not wedged: the right action still goes through.
    const formed = await handle.executeUpdate(m.formTeamUpdate, { args: [evaluationSteps(evaluationCase).formTeam] });
    expect(formed.stage).toBe('SELF_EVALUATION');
  });
});

test('should let a new worker finish a case that a stopped worker left mid-stage', async () => {
  const taskQueue = `handover-${randomUUID()}`;
  // No workflow cache: the time-skipping server does not re-dispatch a stopped worker's sticky queue, so the
  // first worker keeps nothing in memory; the second rebuilds the case from its history alone.
  const make = () =>
    createWorker({ connection: world.env.nativeConnection, namespace: 'default', taskQueue, orm: world.db.orm, workflowBundle: workflowBundle(), extra: { maxCachedWorkflows: 0 } });
  let evaluationCase!: EvaluationCase;
  const first = await make();
  await first.runUntil(async () => {
    const opened = await openDemoCase(world, taskQueue);
    evaluationCase = opened.evaluationCase;
    const { handle } = opened;
    const steps = evaluationSteps(evaluationCase);
    await handle.executeUpdate(m.formTeamUpdate, { args: [steps.formTeam] });
    await handle.executeUpdate(m.submitSelfEvaluationUpdate, { args: [steps.submitSelfEvaluation] });
  });
  expect(first.getState()).toBe('STOPPED');

  const second = await make();
  await second.runUntil(async () => {
    const handle = world.env.client.workflow.getHandle(evaluationWorkflowId(evaluationCase.accidentId));
    const steps = evaluationSteps(evaluationCase);
    await handle.executeUpdate(m.completeDocumentReviewUpdate, { args: [steps.completeDocumentReview] });
    const state = await handle.query(m.evaluationStateQuery);
    expect(state.stage).toBe('ON_SITE_VERIFICATION');
    expect(state.selfEvaluation?.submittedBy).toBe('事故发生单位');
  });
  expect((await readModel(evaluationCase.evaluationId)).stage).toBe('ON_SITE_VERIFICATION');
});

test('should remind the assignee and escalate an overdue rectification task to the organising office', async () => {
  await withWorker('task', async (taskQueue) => {
    const { evaluationCase, handle } = await openDemoCase(world, taskQueue);
    await driveToFollowUp(handle, evaluationCase);
    const [task] = await world.db.orm.em.fork().find(RectificationTask, { evaluation: evaluationCase.evaluationId });

    await world.env.sleep('85 days'); // 90-day deadline: the 7-day reminder is due
    let notices = await world.db.orm.em.fork().find(Notification, { subjectId: task!.id }, { orderBy: { createdAt: 'asc' } });
    expect(notices.map((n) => [n.kind, n.recipient])).toEqual([['REMINDER', '麒麟区交通运输局']]);

    await world.env.sleep('10 days'); // past the deadline
    notices = await world.db.orm.em.fork().find(Notification, { subjectId: task!.id }, { orderBy: { createdAt: 'asc' } });
    expect(notices.map((n) => [n.kind, n.recipient])).toEqual([
      ['REMINDER', '麒麟区交通运输局'],
      ['REMINDER', '麒麟区交通运输局'],
      ['ESCALATION', '麒麟区安全生产委员会办公室'],
    ]);
    const row = await world.db.orm.em.fork().findOneOrFail(RectificationTask, task!.id);
    expect(row.status).toBe('OVERDUE');
    expect(row.escalatedTo).toBe('麒麟区安全生产委员会办公室');
    const state = await handle.query(m.evaluationStateQuery);
    expect(state.tasks[0]!.status).toBe('OVERDUE');
    expect(state.stage).toBe('FOLLOW_UP');
    if (process.env.BIHUAN_RECORD_HISTORIES) {
      const taskHistory = await world.env.client.workflow.getHandle(task!.workflowId).fetchHistory();
      await writeFile(`test/workflows/histories/rectification-task-escalated-${process.env.BIHUAN_RECORD_HISTORIES}.json`, historyToJSON(taskHistory));
    }
  });
});

test('should refuse, inside the workflow, an action whose actor lacks the role, even when the API is bypassed', async () => {
  await withWorker('bypass', async (taskQueue) => {
    const { evaluationCase, handle } = await openDemoCase(world, taskQueue);
    const steps = evaluationSteps(evaluationCase);
    const before = await handle.query(m.evaluationStateQuery);
    for (const actor of [
      { id: 'x', name: '无角色的调用者' },
      { id: 'y', name: '吕梁市安委办', grants: [{ role: 'SAFETY_OFFICE' as const, regionCode: '141100' }] },
      { id: 'z', name: '曲靖市安委办', grants: [{ role: 'SAFETY_OFFICE' as const, regionCode: '530300' }] },
    ]) {
      const refused = await handle.executeUpdate(m.formTeamUpdate, { args: [{ ...steps.formTeam, actor }] }).catch((e: unknown) => e);
      expect((refused as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'FORBIDDEN' });
    }
    expect(await handle.query(m.evaluationStateQuery)).toEqual(before);
  });
});

test('should carry a case across continue-as-new runs without losing state, tasks or referrals', async () => {
  await withWorker('can', async (taskQueue) => {
    // A small threshold makes each wake-up past 40 events start a fresh run, as a year-long case would.
    const { evaluationCase } = await closeFreshCase(taskQueue, 40);
    const handle = world.env.client.workflow.getHandle(evaluationWorkflowId(evaluationCase.accidentId));
    const firstRun = (await handle.describe()).runId;
    await world.env.sleep('305 days');
    const filed = await driveToFollowUp(handle, evaluationCase);
    await world.env.sleep('1 day');

    const now = await handle.describe();
    expect(now.runId).not.toBe(firstRun);
    const carried = await handle.query(m.evaluationStateQuery);
    expect(carried.stage).toBe('FOLLOW_UP');
    expect(carried.onSiteChecks).toHaveLength(3);
    expect(carried.tasks).toEqual(filed.tasks);

    const [task] = await world.db.orm.em.fork().find(RectificationTask, { evaluation: evaluationCase.evaluationId });
    await world.env.client.workflow.getHandle(task!.workflowId).executeUpdate(closeRectificationTaskUpdate, { args: [{ actor: officeDirector, input: { evidence: '整改验收单' } }] });
    await handle.executeUpdate(m.recordReferralOutcomeUpdate, { args: [{ actor: officeDirector, input: { referralId: filed.referrals[0]!.id, outcome: '已提起公诉' } }] });
    expect((await handle.result()).stage).toBe('CLOSED');
    expect((await readModel(evaluationCase.evaluationId)).stage).toBe('CLOSED');
  });
});
