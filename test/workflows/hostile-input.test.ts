import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import fc from 'fast-check';
import { CAPS } from '../../domain/caps.js';
import { textProblem } from '../../domain/text.js';
import type { EvaluationCase } from '../../domain/evaluation.js';
import { Evaluation, OnSiteCheck } from '../../schema/entities/index.js';
import * as m from '../../workflows/evaluation/messages.js';
import { driveToOnSiteVerification, evaluationSteps, officeDirector, openDemoCase } from '../helpers/evaluation-steps.js';
import { workflowWorld } from '../helpers/workflow-world.js';

// Text that PostgreSQL cannot store once wedged a case for good: the workflow had committed the change and the
// projection retried for ever. These tests send hostile text straight to the workflow (no API in front), so
// the workflow's own validators and the projection's refusal are what is tested.
const world = workflowWorld();
const { withWorker } = world;

/** A fresh case, driven to on-site verification, where checks can be recorded again and again. */
async function caseInOnSiteVerification(taskQueue: string): Promise<{ handle: WorkflowHandle; evaluationCase: EvaluationCase }> {
  const opened = await openDemoCase(world, taskQueue);
  await driveToOnSiteVerification(opened.handle, opened.evaluationCase);
  return opened;
}

const failureOf = async (run: Promise<unknown>): Promise<ApplicationFailure | null> => {
  try {
    await run;
    return null;
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) return error.cause;
    throw error;
  }
};

async function readModel(id: string): Promise<{ revision: number; stage: string; checks: OnSiteCheck[] }> {
  const em = world.db.orm.em.fork();
  const row = await em.findOneOrFail(Evaluation, id);
  return { revision: row.revision, stage: row.stage, checks: await em.find(OnSiteCheck, { evaluation: id }, { orderBy: { seq: 'asc' } }) };
}

// Strings a client might send: ordinary Chinese and ASCII text, and text laced with NUL, lone surrogates and
// control characters at random places.
const hostile = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  fc
    .tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom('\u0000', '\ud800', '\udfff', '\u0007', '\u001b', '\u007f'), fc.string({ maxLength: 20 }))
    .map(([a, bad, b]) => a + bad + b),
);

test('should refuse text that cannot be stored with BAD_USER_INPUT and keep the case moving, whatever the string', async () => {
  await withWorker('hostile', async (taskQueue) => {
    const { handle, evaluationCase } = await caseInOnSiteVerification(taskQueue);
    const id = evaluationCase.evaluationId;
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(hostile, hostile, async (place, summary) => {
        const before = await readModel(id);
        const failure = await failureOf(
          handle.executeUpdate(m.recordOnSiteCheckUpdate, { args: [{ actor: officeDirector, input: { kind: 'INTERVIEW', on: '2026-10-12', place, summary } }] }),
        );
        const after = await readModel(id);
        const workflow = await handle.query(m.evaluationStateQuery);
        // The workflow and the read model always agree: nothing is committed that was not stored.
        expect(workflow.revision).toBe(after.revision);
        expect(workflow.onSiteChecks).toHaveLength(after.checks.length);
        const storable = textProblem(place, CAPS.name) === null && textProblem(summary, CAPS.onSiteCheckSummary) === null && place.trim() !== '' && summary.trim() !== '';
        if (failure) {
          refused++;
          expect(failure.type).toBe('BAD_USER_INPUT');
          expect(storable).toBe(false);
          expect(after.revision).toBe(before.revision);
        } else {
          accepted++;
          expect(storable).toBe(true);
          expect(after.checks.at(-1)).toMatchObject({ place, summary });
        }
      }),
      { numRuns: 60, seed: 20261202 },
    );
    expect(accepted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    // After all that, an ordinary action still goes through.
    const steps = evaluationSteps(evaluationCase);
    const state = await handle.executeUpdate(m.completeOnSiteVerificationUpdate, { args: [steps.completeOnSiteVerification] });
    expect(state.stage).toBe('COMPREHENSIVE_ASSESSMENT');
    expect((await readModel(id)).stage).toBe('COMPREHENSIVE_ASSESSMENT');
  });
});

test('should undo a change the read model refuses, answer with a typed error, and take the next update', async () => {
  // A rule only PostgreSQL knows, standing in for anything the projection may still refuse.
  await world.db.asOwner((c) => c.query(`alter table on_site_check add constraint test_refuses_place check (place <> '拒收地点')`));
  try {
    await withWorker('hostile', async (taskQueue) => {
      const { handle, evaluationCase } = await caseInOnSiteVerification(taskQueue);
      const id = evaluationCase.evaluationId;
      const before = await readModel(id);
      const request = (place: string) => ({ actor: officeDirector, input: { kind: 'SITE_VISIT' as const, on: '2026-10-14', place, summary: '实地检查临边防护设施' } });

      const failure = await failureOf(handle.executeUpdate(m.recordOnSiteCheckUpdate, { args: [request('拒收地点')] }));
      expect(failure?.type).toBe('BAD_USER_INPUT');
      expect(failure?.message).toMatch(/could not be stored/);
      expect((await handle.query(m.evaluationStateQuery)).revision).toBe(before.revision);
      expect(await readModel(id)).toEqual(before);

      await handle.executeUpdate(m.recordOnSiteCheckUpdate, { args: [request('事故项目工地')] });
      expect((await handle.query(m.evaluationStateQuery)).onSiteChecks.map((c) => c.place)).toEqual(['事故项目工地']);
      expect((await readModel(id)).checks.map((c) => c.place)).toEqual(['事故项目工地']);
    });
  } finally {
    await world.db.asOwner((c) => c.query(`alter table on_site_check drop constraint test_refuses_place`));
  }
});

test('should refuse an on-site check past the cap and a case that would outgrow one payload', async () => {
  await withWorker('hostile', async (taskQueue) => {
    const { handle } = await caseInOnSiteVerification(taskQueue);
    const big = '检'.repeat(CAPS.onSiteCheckSummary);
    const record = (summary: string) =>
      failureOf(handle.executeUpdate(m.recordOnSiteCheckUpdate, { args: [{ actor: officeDirector, input: { kind: 'INTERVIEW', on: '2026-10-12', place: '会议室', summary } }] }));
    expect((await record(big + '检'))?.type).toBe('BAD_USER_INPUT');
    // 4,000 Chinese characters are 12 kB each in UTF-8: the case's size limit comes before the count cap.
    let refusal: ApplicationFailure | null = null;
    for (let i = 0; i < CAPS.onSiteChecks && !refusal; i++) refusal = await record(big);
    expect(refusal?.type).toBe('BAD_USER_INPUT');
    expect(refusal?.message).toMatch(/kB/);
    const state = await handle.query(m.evaluationStateQuery);
    expect(Buffer.byteLength(JSON.stringify(state))).toBeLessThan(1_000_000);
  });
});
