import { createActivities } from '../../activities/index.js';
import { stateHash } from '../../activities/audit.js';
import { applyAction, type EvaluationState } from '../../domain/evaluation.js';
import { AuditEntry, Evaluation } from '../../schema/entities/index.js';
import { evaluationChange } from '../../workflows/evaluation/projection.js';
import * as m from '../../workflows/evaluation/messages.js';
import { stateHashOf } from '../../workflows/state-hash.js';
import { driveToOnSiteVerification, officeDirector, openDemoCase } from '../helpers/evaluation-steps.js';
import { workflowWorld } from '../helpers/workflow-world.js';
import { evaluationIn, officeDirector as unitActor, qilinCase } from '../unit/fixtures.js';

// The read model written change by change (a local activity inside each update, carrying only what changed) must
// be the read model a whole snapshot writes, whatever the order of retries and gaps.
const world = workflowWorld();
const { withWorker } = world;

/** Every row of the read model an evaluation owns, in a stable order, without write timestamps. */
async function readModel(id: string): Promise<Record<string, unknown[]>> {
  return world.db.asOwner(async (c) => {
    const rows = async (sql: string) => (await c.query(sql, [id])).rows;
    return {
      evaluation: (await rows(`select * from evaluation where id = $1`)).map(({ updated_at: _u, workflow_started_at: _w, ...rest }) => rest),
      team: await rows(`select * from team_member where evaluation_id = $1 order by seq`),
      checks: await rows(`select * from on_site_check where evaluation_id = $1 order by seq`),
      measureFindings: await rows(`select * from measure_finding where evaluation_id = $1 order by id`),
      accountabilityFindings: await rows(`select * from accountability_finding where evaluation_id = $1 order by id`),
      referrals: await rows(`select * from referral where evaluation_id = $1 order by code`),
      report: await rows(`select * from evaluation_report where evaluation_id = $1`),
      tasks: await rows(`select id, measure_id, workflow_id, assignee, deadline from rectification_task where evaluation_id = $1 order by id`),
    };
  });
}

const trail = (id: string) => world.db.orm.em.fork().find(AuditEntry, { subjectType: 'evaluation', subjectId: id }, { orderBy: { revision: 'asc' } });

test('should hash a state in the workflow exactly as the audit trail hashes it', () => {
  const published = evaluationIn('PUBLICATION', qilinCase());
  for (const state of [published, { ...published, onSiteChecks: [{ ...published.onSiteChecks[0]!, summary: '检查 "引号" \\ 与 \u2028 换行 😀' }] }]) {
    expect(stateHashOf(state)).toBe(stateHash(state));
  }
});

test('should carry only what a change altered to the projection, however large the case', () => {
  const start = evaluationIn('ON_SITE_VERIFICATION', qilinCase());
  let state: EvaluationState = start;
  const check = { type: 'RECORD_ON_SITE_CHECK' as const, kind: 'INTERVIEW' as const, on: '2027-01-12', place: '区住建局', summary: '座谈问询整改落实情况。'.repeat(30) };
  for (let i = 0; i < 150; i++) state = applyAction(state, check, unitActor, new Date('2027-01-12T02:00:00Z'));
  const next = applyAction(state, check, unitActor, new Date('2027-01-13T02:00:00Z'));
  const change = evaluationChange(state, next, { actor: unitActor, action: check.type, stageBefore: state.stage, stageAfter: next.stage, at: '2027-01-13T02:00:00Z' }, 'hash')!;
  expect(change).toMatchObject({ revision: next.revision, columns: {}, onSiteChecks: { from: 150, replace: false } });
  expect(change.onSiteChecks!.checks).toHaveLength(1);
  expect(JSON.stringify(change).length).toBeLessThan(JSON.stringify(next).length / 50);
});

test('should write change by change the same read model a whole snapshot writes', async () => {
  await withWorker('projection', async (taskQueue) => {
    const { evaluationCase, handle } = await openDemoCase(world, taskQueue);
    const id = evaluationCase.evaluationId;
    const steps = await driveToOnSiteVerification(handle, evaluationCase);
    for (const check of steps.onSiteChecks) await handle.executeUpdate(m.recordOnSiteCheckUpdate, { args: [check] });
    await handle.executeUpdate(m.completeOnSiteVerificationUpdate, { args: [steps.completeOnSiteVerification] });
    await handle.executeUpdate(m.submitAssessmentUpdate, { args: [steps.submitAssessment] });
    await handle.executeUpdate(m.submitReportDraftUpdate, { args: [steps.submitReportDraft] });
    await handle.executeUpdate(m.returnReportUpdate, { args: [{ actor: steps.approveReport.actor, input: { reason: '问题清单需补充整改时限' } }] });
    await handle.executeUpdate(m.submitReportDraftUpdate, { args: [steps.submitReportDraft] });
    await handle.executeUpdate(m.approveReportUpdate, { args: [steps.approveReport] });
    await handle.executeUpdate(m.publishReportUpdate, { args: [steps.publishReport] });
    await handle.executeUpdate(m.fileReportUpdate, { args: [steps.fileReport] });
    const state = await handle.query(m.evaluationStateQuery);
    expect(state.stage).toBe('FOLLOW_UP');
    const changed = await readModel(id);
    expect(changed.evaluation[0]).toMatchObject({ revision: state.revision, stage: 'FOLLOW_UP' });

    // The same state written whole, over a read model taken back one revision.
    await world.db.asOwner((c) => c.query(`update evaluation set revision = revision - 1 where id = $1`, [id]));
    await createActivities({ orm: world.db.orm }).saveEvaluationSnapshot({ state });
    expect(await readModel(id)).toEqual(changed);

    // Only changes to what operators search on reach the visibility store: on-site checks and the publication
    // (before filing) leave stage, due date and overdue flag as they were. (The test server may not hand the
    // attributes set at start to the workflow: one upsert more.)
    const upserts = (await handle.fetchHistory()).events!.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes).length;
    const stageChanges = (await trail(id)).filter((e) => e.action !== 'START' && e.stageBefore !== e.stageAfter).length;
    expect(upserts).toBeLessThanOrEqual(stageChanges + 1);
    expect(upserts).toBeLessThanOrEqual(state.revision - 4);
  });
});

test('should record the first snapshot with the closure, and the workflow none', async () => {
  await withWorker('projection', async (taskQueue) => {
    const { evaluationCase, handle } = await openDemoCase(world, taskQueue);
    const entries = await trail(evaluationCase.evaluationId);
    // START by the closure, then the window opening by the workflow: one entry each, chained.
    expect(entries.map((e) => [e.revision, e.action])).toEqual([
      [1, 'START'],
      [2, 'FIRE_DEADLINES'],
    ]);
    expect(entries[1]!.previousHash).toBe(entries[0]!.stateHash);
    expect((await handle.query(m.evaluationStateQuery)).revision).toBe(2);
  });
});

test('should write the whole snapshot when the read model is not at the revision before a change', async () => {
  await withWorker('projection', async (taskQueue) => {
    const { evaluationCase, handle } = await openDemoCase(world, taskQueue);
    const id = evaluationCase.evaluationId;
    const steps = await driveToOnSiteVerification(handle, evaluationCase);
    await handle.executeUpdate(m.recordOnSiteCheckUpdate, { args: [steps.onSiteChecks[0]!] });
    // A read model restored from an older backup: two revisions behind, its last check gone.
    await world.db.asOwner(async (c) => {
      await c.query(`update evaluation set revision = revision - 2 where id = $1`, [id]);
      await c.query(`delete from on_site_check where evaluation_id = $1`, [id]);
    });
    const answer = await handle.executeUpdate(m.recordOnSiteCheckUpdate, { args: [steps.onSiteChecks[1]!] });
    const state = await handle.query(m.evaluationStateQuery);
    expect(answer).toEqual({ revision: state.revision, stage: 'ON_SITE_VERIFICATION' });
    const model = await readModel(id);
    expect(model.evaluation[0]).toMatchObject({ revision: state.revision });
    expect(model.checks.map((c) => (c as { place: string }).place)).toEqual(state.onSiteChecks.map((c) => c.place));
    expect((await trail(id)).at(-1)).toMatchObject({ revision: state.revision, action: 'RECORD_ON_SITE_CHECK' });
  });
});

test('should write a change once when its projection runs again', async () => {
  await withWorker('projection', async (taskQueue) => {
    const { evaluationCase, handle } = await openDemoCase(world, taskQueue);
    const id = evaluationCase.evaluationId;
    const steps = await driveToOnSiteVerification(handle, evaluationCase);
    const before = await handle.query(m.evaluationStateQuery);
    await handle.executeUpdate(m.recordOnSiteCheckUpdate, { args: [steps.onSiteChecks[0]!] });
    const after = await handle.query(m.evaluationStateQuery);
    const written = await readModel(id);
    const entries = await trail(id);

    // The local activity ran, wrote, and its answer was lost: it runs again with the same change.
    const change = { actor: officeDirector, action: 'RECORD_ON_SITE_CHECK', stageBefore: before.stage, stageAfter: after.stage, at: new Date().toISOString() };
    const again = await createActivities({ orm: world.db.orm }).saveEvaluationChange(evaluationChange(before, after, change, stateHashOf(after))!);
    expect(again).toBe('ALREADY_WRITTEN');
    expect(await readModel(id)).toEqual(written);
    expect(await trail(id)).toEqual(entries);
    expect((await world.db.orm.em.fork().findOneOrFail(Evaluation, id)).revision).toBe(after.revision);
  });
});
