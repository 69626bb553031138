import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createWorker } from '../../infra/temporal.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { createTimeSkippingEnv, installTestRuntime, workflowBundle } from './temporal.js';

/** What a workflow test works in: a time-skipping server and a database of its own, fresh for each test. */
export interface WorkflowWorld {
  readonly env: TestWorkflowEnvironment;
  readonly db: TestDatabase;
  /** Runs `body` while a worker (real activities, this test's database) polls a task queue of its own. */
  withWorker(name: string, body: (taskQueue: string) => Promise<void>): Promise<void>;
}

/**
 * Registers the hooks of a workflow test file and returns its world. Time skipping is global to an environment
 * (the SDK advises one per test when tests skip time), so each test gets its own server and its own database;
 * both start in about a second.
 */
export function workflowWorld(): WorkflowWorld {
  let env: TestWorkflowEnvironment | undefined;
  let db: TestDatabase | undefined;
  beforeAll(() => installTestRuntime());
  beforeEach(async () => {
    [env, db] = await Promise.all([createTimeSkippingEnv(), createTestDatabase()]);
  });
  afterEach(async () => {
    await env?.teardown();
    await db?.drop();
    env = undefined;
    db = undefined;
  });
  const world: WorkflowWorld = {
    get env() {
      if (!env) throw new Error('the workflow world exists only inside a test');
      return env;
    },
    get db() {
      if (!db) throw new Error('the workflow world exists only inside a test');
      return db;
    },
    async withWorker(name, body) {
      const taskQueue = `${name}-${randomUUID()}`;
      const worker = await createWorker({ connection: world.env.nativeConnection, namespace: 'default', taskQueue, orm: world.db.orm, workflowBundle: workflowBundle() });
      await worker.runUntil(() => body(taskQueue));
    },
  };
  return world;
}
