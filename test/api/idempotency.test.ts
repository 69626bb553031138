import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { closeCase, loadEvaluationCase, startPendingEvaluations } from '../../api/evaluation/case-closure.js';
import { startApi, type RunningApi } from '../../api/server.js';
import { addMonths } from '../../domain/calendar.js';
import { evaluationWorkflowId } from '../../domain/case.js';
import type { DemoData } from '../../infra/demo-data.js';
import { createWorker } from '../../infra/temporal.js';
import { Evaluation, OnSiteCheck } from '../../schema/entities/index.js';
import * as m from '../../workflows/evaluation/messages.js';
import { graphqlClient, testTokenSettings } from '../helpers/api.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { driveToOnSiteVerification } from '../helpers/evaluation-steps.js';
import { insertDemoWorld, waitFor } from '../helpers/stack.js';
import { createDevServerEnv, installTestRuntime, workflowBundle } from '../helpers/temporal.js';

// A client whose request was cut cannot know whether it applied. With an idempotency key it retries safely:
// the change is applied once and the retry gets the first answer. Here the API is killed mid-mutation.
const TASK_QUEUE = 'idempotency';
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let data: DemoData;
let evaluationId: string;

async function startWorker(): Promise<{ worker: Worker; running: Promise<void> }> {
  const worker = await createWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue: TASK_QUEUE, orm: db.orm, workflowBundle: workflowBundle() });
  return { worker, running: worker.run() };
}

const apiOn = () => startApi({ orm: db.orm, temporal: env.client, taskQueue: TASK_QUEUE, tokens: testTokenSettings }, { host: '127.0.0.1', port: 0 });

const RECORD = `mutation($in: RecordOnSiteCheckInput!, $key: String) { recordOnSiteCheck(input: $in, idempotencyKey: $key) { id onSiteChecks { place } } }`;
const checkInput = () => ({ evaluationId, kind: 'SITE_VISIT', on: '2026-10-14', place: '事故项目工地', summary: '实地检查临边防护设施' });
const checksStored = () => db.orm.em.fork().count(OnSiteCheck, { evaluation: evaluationId });

beforeAll(async () => {
  installTestRuntime();
  [env, db] = await Promise.all([createDevServerEnv(), createTestDatabase()]);
  data = await insertDemoWorld(db.orm.em.fork());
  // The demo's Qilin case, closed ten months ago, its team formed and its documents reviewed: on-site checks are
  // being recorded. (The demo's open case is left for the closure test.)
  const { worker, running } = await startWorker();
  const api = await apiOn();
  const { closedAt } = data.closures.find((c) => c.accidentId === data.qilinCase)!;
  await closeCase(db.orm.em.fork(), data.qilinCase, closedAt, { id: 'qilin-office', name: '麒麟区安委办', role: 'SAFETY_OFFICE' });
  await startPendingEvaluations(db.orm.em.fork(), env.client, TASK_QUEUE);
  evaluationId = data.qilinCase;
  const evaluationCase = await loadEvaluationCase(db.orm.em.fork(), data.qilinCase);
  const handle = env.client.workflow.getHandle(evaluationWorkflowId(data.qilinCase));
  await waitFor(() => handle.query(m.evaluationStateQuery), (s) => s.stage === 'TEAM_FORMATION', 'the window to open');
  await driveToOnSiteVerification(handle, evaluationCase);
  await api.stop();
  worker.shutdown();
  await running;
});

afterAll(async () => {
  await env?.teardown();
  await db?.drop();
});

/** Stops an API the way a crash does: every connection dropped at once, no answer sent. */
function kill(api: RunningApi): void {
  api.server.closeAllConnections();
  api.server.close();
}

test('should apply a mutation once when the API is killed mid-request and the client retries with the same key', async () => {
  const key = randomUUID();
  // No worker is polling, so the update is with Temporal but not yet applied when the API dies.
  const first = await apiOn();
  const cut = (await graphqlClient(first.url, 'qilin-office'))(RECORD, { in: checkInput(), key }).then(
    () => 'answered',
    () => 'cut',
  );
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  kill(first);
  expect(await cut).toBe('cut');
  // What a crash would have ended with the process: the dead API's own listener and Apollo.
  await first.stop().catch(() => undefined);

  const { worker, running } = await startWorker();
  try {
    const second = await apiOn();
    const office = await graphqlClient(second.url, 'qilin-office');
    const retried = await office(RECORD, { in: checkInput(), key });
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.recordOnSiteCheck.onSiteChecks).toEqual([{ place: '事故项目工地' }]);
    const again = await office(RECORD, { in: checkInput(), key });
    expect(again.data!.recordOnSiteCheck.onSiteChecks).toHaveLength(1);
    expect(await checksStored()).toBe(1);

    // Without the key, the same request is a second check: the key is what makes the retry safe.
    const fresh = await office(RECORD, { in: checkInput(), key: randomUUID() });
    expect(fresh.data!.recordOnSiteCheck.onSiteChecks).toHaveLength(2);
    expect(await checksStored()).toBe(2);
    await second.stop();
  } finally {
    worker.shutdown();
    await running;
  }
});

test('should refuse a malformed idempotency key with BAD_USER_INPUT and change nothing', async () => {
  const { worker, running } = await startWorker();
  try {
    const api = await apiOn();
    const office = await graphqlClient(api.url, 'qilin-office');
    const before = await checksStored();
    const refused = await office(RECORD, { in: checkInput(), key: 'no spaces or 符号 please' });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
    expect(await checksStored()).toBe(before);
    await api.stop();
  } finally {
    worker.shutdown();
    await running;
  }
});

test('should close a case once when closeAccidentCase is retried with the same key', async () => {
  const { worker, running } = await startWorker();
  try {
    const api = await apiOn();
    const office = await graphqlClient(api.url, 'qilin-office');
    const key = randomUUID();
    const close = () =>
      office(`mutation($in: CloseAccidentCaseInput!, $key: String) { closeAccidentCase(input: $in, idempotencyKey: $key) { id stage } }`, {
        in: { accidentId: data.openCase, closedAt: addMonths(new Date(), -1).toISOString() },
        key,
      });
    const first = await close();
    expect(first.errors).toBeUndefined();
    const retried = await close();
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.closeAccidentCase.id).toBe(first.data!.closeAccidentCase.id);
    // Another key is another request: the case is already closed.
    const other = await office(`mutation($in: CloseAccidentCaseInput!) { closeAccidentCase(input: $in) { id } }`, {
      in: { accidentId: data.openCase },
    });
    expect(other.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
    await api.stop();
    // The closure's workflow start is recorded by the time the API has stopped (its stop writes the marks waiting).
    expect((await db.orm.em.fork().findOneOrFail(Evaluation, data.openCase)).workflowStartedAt).toBeInstanceOf(Date);
  } finally {
    worker.shutdown();
    await running;
  }
});
