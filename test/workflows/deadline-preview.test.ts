import { jest } from '@jest/globals';
import type { WorkflowHandle } from '@temporalio/client';
import { closeCase, startEvaluationWorkflow } from '../../api/evaluation/case-closure.js';
import { addProfileVersion } from '../../api/profiles/profiles.service.js';
import { addDays, chinaDate } from '../../domain/calendar.js';
import { evaluationWorkflowId } from '../../domain/case.js';
import { deadlinePreview, type PreviewEvent } from '../../domain/deadline-preview.js';
import type { EvaluationCase } from '../../domain/evaluation.js';
import { profileByVersion } from '../../domain/rule-profiles.js';
import { insertDemoData } from '../../infra/demo-data.js';
import { Evaluation, Notification } from '../../schema/entities/index.js';
import * as m from '../../workflows/evaluation/messages.js';
import { evaluationSteps, officeDirector } from '../helpers/evaluation-steps.js';
import { workflowWorld } from '../helpers/workflow-world.js';

// A real case driven by its workflow through time skipping, each date it acts on compared with its preview.
const world = workflowWorld();
const MINUTE = 60_000;

/** Moves the test server's clock to `at` (no-op when it is there already). */
async function skipTo(at: number): Promise<void> {
  const now = await world.env.currentTimeMs();
  if (at > now) await world.env.sleep(at - now);
}

/**
 * For each previewed event in order: a minute before it the workflow has not fired it, a minute after it has. That
 * pins the instant of every timer the workflow set to the previewed one.
 */
async function expectFiredAsPreviewed(handle: WorkflowHandle, events: PreviewEvent[]): Promise<void> {
  for (const e of [...events].sort((a, b) => a.at.localeCompare(b.at))) {
    await skipTo(Date.parse(e.at) - MINUTE);
    expect({ key: e.key, fired: (await handle.query(m.evaluationStateQuery)).firedDeadlines.includes(e.key) }).toEqual({ key: e.key, fired: false });
    await skipTo(Date.parse(e.at) + MINUTE);
    expect({ key: e.key, fired: (await handle.query(m.evaluationStateQuery)).firedDeadlines.includes(e.key) }).toEqual({ key: e.key, fired: true });
  }
}

async function closeAndStart(taskQueue: string, accidentId: string, closedAt: Date): Promise<EvaluationCase> {
  const em = world.db.orm.em.fork();
  // closeCase refuses a closure in the future of the process's clock; the test server's clock is the one that moved.
  const clock = jest.spyOn(Date, 'now').mockReturnValue(closedAt.getTime());
  try {
    const evaluationCase = await closeCase(em, accidentId, closedAt, officeDirector);
    await startEvaluationWorkflow(em, world.env.client, taskQueue, evaluationCase, { startRecorded: true });
    return evaluationCase;
  } finally {
    clock.mockRestore();
  }
}

test('should open the window, remind, flag overdue and run the team clock at exactly the previewed instants when a Qilin case runs', async () => {
  await world.withWorker('preview-qilin', async (taskQueue) => {
    const now = new Date(await world.env.currentTimeMs());
    const data = await insertDemoData(world.db.orm.em.fork(), now);
    const evaluationCase = await closeAndStart(taskQueue, data.openCase, now);
    expect(evaluationCase.profile).toMatchObject({ id: 'qilin', version: '2022', teamDays: 30 });
    const handle = world.env.client.workflow.getHandle(evaluationWorkflowId(evaluationCase.accidentId));

    // Before the case runs: the window as previewed (the team assumed formed when the window opens).
    const before = deadlinePreview(evaluationCase);
    const row = await world.db.orm.em.fork().findOneOrFail(Evaluation, evaluationCase.evaluationId);
    expect([row.opensAt.toISOString(), row.dueAt.toISOString()]).toEqual([before.opensAt, before.dueAt]);
    await expectFiredAsPreviewed(handle, before.window.filter((e) => e.kind === 'WINDOW_OPENS'));
    expect((await handle.query(m.evaluationStateQuery)).stage).toBe('TEAM_FORMATION');

    // The team is formed a week after opening: its deadline and reminders follow from that day (000 §四: 30 days).
    await skipTo(Date.parse(before.opensAt) + 7 * 86_400_000);
    await handle.executeUpdate(m.formTeamUpdate, { args: [evaluationSteps(evaluationCase).formTeam] });
    const state = await handle.query(m.evaluationStateQuery);
    const preview = deadlinePreview(evaluationCase, { teamFormedAt: new Date(state.team!.formedAt) });
    expect(state.teamDueAt).toBe(preview.team!.dueAt);
    expect((await world.db.orm.em.fork().findOneOrFail(Evaluation, evaluationCase.evaluationId)).teamDueAt?.toISOString()).toBe(preview.team!.dueAt);

    // Then every reminder and both overdue flags, team and window, in time order.
    await expectFiredAsPreviewed(handle, [...preview.team!.events, ...preview.window.filter((e) => e.kind !== 'WINDOW_OPENS')]);
    expect((await handle.query(m.evaluationStateQuery)).overdue.sort()).toEqual(['TEAM', 'WINDOW']);
    // Each notice names the deadline the preview gave.
    const notices = await world.db.orm.em.fork().find(Notification, { subjectId: evaluationCase.evaluationId }, { orderBy: { createdAt: 'asc' } });
    const deadlines = new Map([...preview.team!.events, ...preview.window].map((e) => [e.deadline, e]));
    expect(notices.length).toBeGreaterThan(0);
    for (const n of notices) expect(deadlines.has(n.dueAt!.toISOString())).toBe(true);
  });
}, 120_000);

test('should give a case closed the day after a new version takes effect that version, and run its team clock as previewed', async () => {
  await world.withWorker('preview-new-version', async (taskQueue) => {
    const now = new Date(await world.env.currentTimeMs());
    const data = await insertDemoData(world.db.orm.em.fork(), now);
    const tomorrow = chinaDate(addDays(now, 1));
    const admin = { id: 'shanxi-admin', name: '山西省应急管理厅 系统管理员', grants: [{ role: 'ADMINISTRATOR' as const, regionCode: '140000' }] };
    const added = await addProfileVersion(world.db.orm.em.fork(), admin, {
      ...profileByVersion('shanxi', '2026-48')!,
      version: '2026-99',
      document: '晋安办发〔2026〕99号',
      effectiveFrom: tomorrow,
      teamDays: 20,
    }, now);
    expect(added.change).toBe('ADD');

    await world.env.sleep('1 day');
    const closedAt = new Date(await world.env.currentTimeMs());
    expect(chinaDate(closedAt)).toBe(tomorrow);
    const evaluationCase = await closeAndStart(taskQueue, data.lvliangCase, closedAt);
    const handle = world.env.client.workflow.getHandle(evaluationWorkflowId(evaluationCase.accidentId));
    // The workflow carries the new version: the pinned profile travels in its input.
    expect((await handle.query(m.evaluationStateQuery)).case.profile).toMatchObject({ id: 'shanxi', version: '2026-99', teamDays: 20 });

    const preview = deadlinePreview(evaluationCase);
    await expectFiredAsPreviewed(handle, preview.window.filter((e) => e.kind === 'WINDOW_OPENS'));
    const lvliangOffice = { id: 'u-lvliang-office', name: '吕梁市安委办 郭主任', role: 'SAFETY_OFFICE', grants: [{ role: 'SAFETY_OFFICE' as const, regionCode: '141100' }] };
    await handle.executeUpdate(m.formTeamUpdate, { args: [{ ...evaluationSteps(evaluationCase).formTeam, actor: lvliangOffice }] });
    const formed = await handle.query(m.evaluationStateQuery);
    const withTeam = deadlinePreview(evaluationCase, { teamFormedAt: new Date(formed.team!.formedAt) });
    expect(formed.teamDueAt).toBe(withTeam.team!.dueAt);
    await expectFiredAsPreviewed(handle, withTeam.team!.events);
    expect((await handle.query(m.evaluationStateQuery)).overdue).toEqual(['TEAM']);
  });
}, 120_000);
