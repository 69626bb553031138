// What the write-path benchmarks share: the whole system as `npm start` runs it (embedded PostgreSQL, a Temporal
// dev server with its SQLite file, the worker and the GraphQL API over HTTP, all on this machine), a trivial
// workflow to measure the floor on the same server, generated cases, and percentiles.
import { randomBytes } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { AuditKey } from '../activities/audit.js';
import { mintToken, type TokenSettings } from '../api/auth/tokens.js';
import { startApi, type RunningApi } from '../api/server.js';
import { addMonths } from '../domain/calendar.js';
import { insertDemoData, type DemoData } from '../infra/demo-data.js';
import { demoUsers, insertUsers } from '../infra/demo-users.js';
import { openOrm, type Orm } from '../infra/orm.js';
import { startEmbeddedPostgres } from '../infra/postgres.js';
import { createWorker, ensureSearchAttributes, workflowsPath } from '../infra/temporal.js';
import { resolveTemporalExecutable } from '../infra/temporal-binaries.js';
import { AccountabilityItem, Accident, Department, Enterprise, Investigation, InvestigationReport, Measure, Region } from '../schema/entities/index.js';
import { bumpUpdate } from './trivial.workflow.js';

export const TASK_QUEUE = 'bihuan-bench';
const TRIVIAL_QUEUE = 'bihuan-bench-trivial';

export interface BenchStack {
  orm: Orm;
  client: Client;
  api: RunningApi;
  data: DemoData;
  /** The key the API and the worker sign the audit trail with (to verify it after a run). */
  auditKey: AuditKey;
  /** A bearer header for a demo user (`qilin-office`, `qilin-leader`…). */
  bearer(userId: string): Promise<string>;
  /** Stops the worker and starts a fresh one (empty workflow cache), as a deploy would. */
  restartWorker(): Promise<void>;
  /** Stops the worker; `startWorker` brings one back. */
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  stop(): Promise<void>;
}

export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Starts everything; `workerOptions` are passed to `createWorker` (cache size, sticky timeout…). */
export async function startBenchStack(options: { workerOptions?: Partial<WorkerOptions> } = {}): Promise<BenchStack> {
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
  const scratch = await mkdtemp(join(tmpdir(), 'bihuan-bench-'));
  const stops: (() => Promise<unknown>)[] = [() => rm(scratch, { recursive: true, force: true })];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log(`stop: ${String(error)}`));
  };
  try {
    const db = process.env.DATABASE_URL
      ? { url: process.env.DATABASE_URL, stop: async () => {} }
      : await startEmbeddedPostgres({ dir: join(scratch, 'pg'), port: 55000 + Math.floor(Math.random() * 500), database: 'bihuan_bench' });
    stops.push(() => db.stop());
    // The API and the worker each with their own connection pool, as `npm run api` and `npm run worker` run them.
    const access = { appPassword: randomBytes(16).toString('hex'), auditKey: new AuditKey(randomBytes(32).toString('hex')) };
    const orm = await openOrm(db.url, {}, access);
    stops.push(() => orm.close(true));
    const workerOrm = await openOrm(db.url, {}, access);
    stops.push(() => workerOrm.close(true));

    const { executable } = await resolveTemporalExecutable('cli', { log: () => undefined });
    const env = await TestWorkflowEnvironment.createLocal({
      server: { executable, dbFilename: join(scratch, 'temporal.db'), log: { format: 'pretty', level: 'error' } },
    });
    stops.push(() => env.teardown());
    await ensureSearchAttributes(env.connection, 'default');

    const [bundle, trivialBundle] = await Promise.all([
      bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: new DefaultLogger('ERROR') }),
      bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('./trivial.workflow.js', import.meta.url)), logger: new DefaultLogger('ERROR') }),
    ]);
    const trivial = await Worker.create({ connection: env.nativeConnection, taskQueue: TRIVIAL_QUEUE, workflowBundle: trivialBundle });
    const trivialRunning = trivial.run();
    stops.push(async () => {
      trivial.shutdown();
      await trivialRunning;
    });

    let worker: Worker | null = null;
    let running: Promise<void> | null = null;
    const startWorker = async () => {
      worker = await createWorker({
        connection: env.nativeConnection,
        namespace: 'default',
        taskQueue: TASK_QUEUE,
        orm: workerOrm,
        workflowBundle: bundle,
        extra: options.workerOptions,
      });
      running = worker.run();
    };
    const stopWorker = async () => {
      if (!worker) return;
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      worker = null;
    };
    await startWorker();
    stops.push(stopWorker);

    const tokens: TokenSettings = { issuer: 'bihuan', audience: 'bihuan-api', secret: randomBytes(32), algorithms: ['HS256'] };
    const api = await startApi(
      { orm, temporal: env.client, taskQueue: TASK_QUEUE, tokens },
      // The per-caller budget would throttle one official sending hundreds of mutations a minute.
      { host: '127.0.0.1', port: 0, limits: { budget: { points: 1e12, perSeconds: 60 } } },
    );
    stops.push(() => api.stop());

    const data = await insertDemoData(orm.em.fork(), addMonths(new Date(), -12));
    await insertUsers(orm.em.fork(), await demoUsers(orm.em.fork()));
    return {
      orm,
      client: env.client,
      api,
      data,
      auditKey: access.auditKey,
      bearer: async (userId) => `Bearer ${await mintToken(tokens, userId)}`,
      restartWorker: async () => {
        await stopWorker();
        await startWorker();
      },
      stopWorker,
      startWorker,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

export interface GraphQLAnswer {
  data?: Record<string, any>;
  errors?: { message: string; extensions?: { code?: string } }[];
}

// One keep-alive pool for the benchmarks' requests, as many sockets as callers.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/**
 * A GraphQL client over HTTP, as a front end uses the API. Throws on any error in the answer. It is node:http with
 * a keep-alive agent, as load generators are lean: the client runs on the same two cores as the system it measures,
 * where the write benchmarks' floors (Temporal calls) pay for no HTTP client at all, and `fetch` spent about 0.3 ms
 * more CPU per request than node:http against the same server (a closure's whole API side is a few ms).
 */
export function graphql(url: string, bearer: string) {
  const post = (body: string, retry: boolean): Promise<GraphQLAnswer> =>
    new Promise<GraphQLAnswer>((resolve, reject) => {
      const request = httpRequest(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: bearer } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as GraphQLAnswer);
          } catch (error) {
            reject(new Error(`HTTP ${response.statusCode}: not JSON (${String(error)})`));
          }
        });
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive socket the server closed as idle just as it was reused: the request never reached it
        // (Node's documented case for one retry, `reusedSocket`).
        if (retry && request.reusedSocket && error.code === 'ECONNRESET') resolve(post(body, false));
        else reject(error);
      });
      request.end(body);
    });
  return async (query: string, variables: Record<string, unknown> = {}): Promise<Record<string, any>> => {
    const answer = await post(JSON.stringify({ query, variables }), true);
    if (answer.errors?.length) throw new Error(`GraphQL: ${JSON.stringify(answer.errors)}`);
    return answer.data!;
  };
}

/**
 * Closable Qilin cases (一般 accidents the district organises), written straight into the tables: an approved
 * report with three measures and two accountability items, investigated by three departments.
 */
export async function insertClosableCases(orm: Orm, data: DemoData, count: number): Promise<string[]> {
  const em = orm.em.fork();
  const location = await em.findOneOrFail(Region, data.regions.nanning);
  const enterprise = await em.findOneOrFail(Enterprise, { name: '曲靖市某建设工程有限公司' });
  const names = ['麒麟区应急管理局', '麒麟区住房和城乡建设局', '曲靖市公安局麒麟分局'];
  const departments = await Promise.all(names.map((name) => em.findOneOrFail(Department, { name })));
  const ids: string[] = [];
  const stamp = Date.now().toString(36);
  for (let i = 1; i <= count; i++) {
    const accident = em.create(Accident, {
      title: `麒麟区第${i}起建筑施工高处坠落事故`,
      level: 'ORDINARY',
      sector: 'CONSTRUCTION',
      occurredAt: addMonths(new Date(), -14),
      locationRegion: location,
      enterprise,
      deaths: 1,
      injuries: i % 3,
      directLossYuan: `${100000 + i}.00`,
    });
    const investigation = em.create(Investigation, { accident, leadDepartment: departments[0]!, escalated: false });
    investigation.departments.set(departments);
    const report = em.create(InvestigationReport, { investigation, documentNo: `麒政复〔bench-${stamp}〕${i}号`, approvedAt: addMonths(new Date(), -11) });
    const measures = ['施工单位落实高处作业安全防护', '区住建局开展建筑施工高处坠落专项整治', '南宁街道建立在建项目巡查台账'];
    measures.forEach((text, s) => em.create(Measure, { report, seq: s + 1, text, responsibleUnits: ['麒麟区住房和城乡建设局'] }));
    em.create(AccountabilityItem, { report, seq: 1, kind: 'ADMINISTRATIVE_PENALTY', subject: `施工企业${i}`, recommendation: '依法处以罚款' });
    em.create(AccountabilityItem, { report, seq: 2, kind: 'CRIMINAL', subject: `项目经理${i}`, recommendation: '移送司法机关' });
    ids.push(accident.id);
    if (i % 200 === 0) {
      await em.flush();
      em.clear();
    }
  }
  await em.flush();
  return ids;
}

/** Runs `task` over `items` with at most `concurrency` at a time. */
export async function pool<T>(items: T[], concurrency: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await task(items[index]!, index);
      }
    }),
  );
}

export async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Times round trips of a trivial update (it only counts) on one trivial workflow: the floor of any update. */
export async function trivialUpdater(client: Client): Promise<(count: number) => Promise<number[]>> {
  const handle = await client.workflow.start('trivialWorkflow', { taskQueue: TRIVIAL_QUEUE, workflowId: `trivial-${randomBytes(6).toString('hex')}` });
  for (let i = 0; i < 5; i++) await handle.executeUpdate(bumpUpdate);
  return async (count) => {
    const samples: number[] = [];
    for (let i = 0; i < count; i++) samples.push(await timed(() => handle.executeUpdate(bumpUpdate)));
    return samples;
  };
}

export async function trivialUpdates(client: Client, count: number): Promise<number[]> {
  return (await trivialUpdater(client))(count);
}

/** Trivial workflow starts per second with `concurrency` callers: the floor of any start. */
export async function trivialStartRate(client: Client, count: number, concurrency: number): Promise<number> {
  const prefix = `trivial-start-${randomBytes(6).toString('hex')}`;
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  const elapsed = await timed(() =>
    pool(ids, concurrency, async (workflowId) => {
      await client.workflow.start('trivialWorkflow', { taskQueue: TRIVIAL_QUEUE, workflowId });
    }),
  );
  return count / (elapsed / 1000);
}

export const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;

/**
 * CPU seconds so far of the local Temporal server and PostgreSQL processes, and of this process's threads by name
 * (the main thread, the workflow threads, the SDK core's threads…), from /proc.
 */
export async function cpuSnapshot(): Promise<Record<string, number>> {
  const { readdir, readFile } = await import('node:fs/promises');
  const ticks = 100; // USER_HZ on Linux
  const seconds = (stat: string) => {
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticks;
  };
  const totals: Record<string, number> = { temporal: 0, postgres: 0 };
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const [cmdline, stat] = await Promise.all([readFile(`/proc/${pid}/cmdline`, 'utf8'), readFile(`/proc/${pid}/stat`, 'utf8')]);
      if (/temporal/.test(cmdline) && /start-dev/.test(cmdline)) totals.temporal! += seconds(stat);
      else if (/^postgres/.test(cmdline) || /\/postgres\0/.test(cmdline)) totals.postgres! += seconds(stat);
    } catch {
      // the process ended while it was read
    }
  }
  for (const tid of await readdir('/proc/self/task')) {
    try {
      const [comm, stat] = await Promise.all([readFile(`/proc/self/task/${tid}/comm`, 'utf8'), readFile(`/proc/self/task/${tid}/stat`, 'utf8')]);
      const name = `node:${comm.trim().replace(/[-_ ]?\d+$/, '')}`;
      totals[name] = (totals[name] ?? 0) + seconds(stat);
    } catch {
      // the thread ended while it was read
    }
  }
  return totals;
}

/** CPU milliseconds per item between two snapshots, as "temporal 14.0 · postgres 4.1 · node:node 6.2 …" (0.1 ms or more). */
export function cpuPerItem(before: Record<string, number>, after: Record<string, number>, items: number): string {
  return Object.keys(after)
    .map((k) => [k, ((after[k]! - (before[k] ?? 0)) * 1000) / items] as const)
    .filter(([, v]) => v >= 0.1)
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join(' · ') + ' ms';
}

/**
 * With BENCH_CPU_PROFILE=<dir>, records a CPU profile of this process's main thread while `run` runs (open it in
 * Chrome's DevTools); otherwise just runs it.
 */
export async function profiled<T>(name: string, run: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_CPU_PROFILE;
  if (!dir) return run();
  const { Session } = await import('node:inspector/promises');
  const { mkdir, writeFile } = await import('node:fs/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}
