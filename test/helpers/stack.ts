import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startApi, type RunningApi } from '../../api/server.js';
import { createWorker } from '../../infra/temporal.js';
import { testTokenSettings } from './api.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { createDevServerEnv, installTestRuntime, workflowBundle } from './temporal.js';

/** The whole system as `npm start` runs it, on a dev server and a fresh database: for HTTP end-to-end tests. */
export interface TestStack {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  api: RunningApi;
  stop(): Promise<void>;
}

export async function startTestStack(taskQueue: string): Promise<TestStack> {
  installTestRuntime();
  const [env, db] = await Promise.all([createDevServerEnv(), createTestDatabase()]);
  const worker = await createWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, orm: db.orm, workflowBundle: workflowBundle() });
  const running = worker.run();
  const api = await startApi({ orm: db.orm, temporal: env.client, taskQueue, tokens: testTokenSettings }, { host: '127.0.0.1', port: 0 });
  return {
    env,
    db,
    api,
    stop: async () => {
      await api.stop();
      worker.shutdown();
      await running;
      await env.teardown();
      await db.drop();
    },
  };
}

/** Polls until `done` holds (workflows move on by themselves after a timer or a signal). */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
