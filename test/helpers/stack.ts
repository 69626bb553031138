import type { EntityManager } from '@mikro-orm/postgresql';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startApi, type RunningApi } from '../../api/server.js';
import { addMonths } from '../../domain/calendar.js';
import { insertDemoData, type DemoData } from '../../infra/demo-data.js';
import { demoUsers, insertUsers, type DemoUser } from '../../infra/demo-users.js';
import { createWorker } from '../../infra/temporal.js';
import { clientsFor, testTokenSettings, type Client } from './api.js';
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

/** A test file's stack, seeded, with a client for each of its users. */
export interface SeededStack<W, U extends string> {
  readonly env: TestWorkflowEnvironment;
  readonly db: TestDatabase;
  readonly api: RunningApi;
  /** What the seed entered. */
  readonly world: W;
  /** A client for each user, signed in by id; `public` signs in as no one. */
  readonly as: Record<U, Client>;
}

/**
 * Registers the hooks of an HTTP test file and returns its stack: started and seeded by `seed` in a beforeAll that
 * runs before the file's own, stopped after all its tests. Its fields exist only inside hooks and tests.
 */
export function seededStack<W, U extends string>(taskQueue: string, seed: (em: EntityManager) => Promise<W>, users: readonly U[]): SeededStack<W, U> {
  let stack: TestStack | undefined;
  let world: W;
  // Filled in place, so that a file may take `as` apart from the stack when it loads.
  const as = {} as Record<U, Client>;
  beforeAll(async () => {
    stack = await startTestStack(taskQueue);
    world = await seed(stack.db.orm.em.fork());
    Object.assign(as, await clientsFor(stack.api.url, users));
  });
  afterAll(() => stack?.stop());
  const running = (): TestStack => {
    if (!stack) throw new Error('the test stack exists only inside the hooks and tests of its file');
    return stack;
  };
  return {
    get env() {
      return running().env;
    },
    get db() {
      return running().db;
    },
    get api() {
      return running().api;
    },
    get world() {
      running();
      return world;
    },
    as,
  };
}

/**
 * The demo's register, cases and users, its cases dated relative to `now` (a year back unless a file needs its
 * closures elsewhere); `extraUsers` besides. A seed for `seededStack`.
 */
export async function insertDemoWorld(em: EntityManager, extraUsers: DemoUser[] = [], now = addMonths(new Date(), -12)): Promise<DemoData> {
  const data = await insertDemoData(em.fork(), now);
  await insertUsers(em.fork(), [...(await demoUsers(em.fork())), ...extraUsers]);
  return data;
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
