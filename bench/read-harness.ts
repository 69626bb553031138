// What the read benchmarks share: PostgreSQL with generated cases, the GraphQL API over HTTP as `npm start` serves it
// (no Temporal: reads never reach it), and a floor beside it: a bare HTTP endpoint in the same process that runs one
// hand-written statement and sends its JSON. Both are called over HTTP by the same client, turn about.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import pg from 'pg';
import { AuditKey } from '../activities/audit.js';
import { mintToken, type TokenSettings } from '../api/auth/tokens.js';
import { startApi, type RunningApi } from '../api/server.js';
import type { RoleGrant } from '../domain/access.js';
import { insertDemoData, type DemoData } from '../infra/demo-data.js';
import { insertUsers } from '../infra/demo-users.js';
import { appRoleUrl, openOrm, type Orm } from '../infra/orm.js';
import { startEmbeddedPostgres } from '../infra/postgres.js';
import { insertSqlCases } from './sql-cases.js';

export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** A floor route: the request's JSON variables in, the response body (JSON text) out. */
export type FloorRoute = (variables: Record<string, unknown>, db: pg.Pool) => Promise<string>;

export interface ReadStack {
  orm: Orm;
  data: DemoData;
  /** The owner's connection URL (EXPLAIN, ANALYZE). */
  ownerUrl: string;
  /** A GraphQL client over HTTP for `userId` (inserted with `users`). */
  graphql(userId: string): (query: string, variables?: Record<string, unknown>) => Promise<string>;
  /** The floor over HTTP: POST /<route> with the variables as JSON. */
  floor(route: string): (variables?: Record<string, unknown>) => Promise<string>;
  /** SQL statements the ORM ran while `run` ran (logging is on only inside). */
  statementsDuring(run: () => Promise<unknown>): Promise<string[]>;
  /** The statements the ORM ran while `run` ran, with their parameters in place (to EXPLAIN them). */
  sqlDuring(run: () => Promise<unknown>): Promise<{ sql: string; params: unknown[] }[]>;
  /** EXPLAIN (ANALYZE, BUFFERS) of a statement, as the owner. */
  explain(sql: string, params?: unknown[]): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startReadStack(options: {
  cases: number;
  users: { id: string; name: string; grants: RoleGrant[] }[];
  routes: Record<string, FloorRoute>;
}): Promise<ReadStack> {
  const scratch = process.env.DATABASE_URL ? undefined : await mkdtemp(join(tmpdir(), 'bihuan-bench-'));
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((error: unknown) => log(`stop: ${String(error)}`));
    if (scratch) await rm(scratch, { recursive: true, force: true });
  };
  try {
    const db = scratch
      ? await startEmbeddedPostgres({ dir: join(scratch, 'pg'), port: 55000 + Math.floor(Math.random() * 500), database: 'bihuan_bench' })
      : { url: process.env.DATABASE_URL!, stop: async () => {} };
    stops.push(() => db.stop());
    const statements: string[] = [];
    let logging = false;
    const captured: { sql: string; params: unknown[] }[] = [];
    let capturing = false;
    const appPassword = randomBytes(16).toString('hex');
    const orm = await openOrm(
      db.url,
      {
        debug: ['query'],
        colors: false,
        logger: (m: string) => logging && statements.push(m),
        onQuery: (sql: string, params: readonly unknown[]) => {
          // A prepared statement (infra/prepared.ts) comes with `$n` placeholders and its values; `em.execute`'s with `?`.
          if (capturing) captured.push(/\$\d/.test(sql) ? { sql, params: [...params] } : { sql: orm.em.getPlatform().formatQuery(sql, [...params]), params: [] });
          return sql;
        },
      },
      { appPassword, auditKey: new AuditKey(randomBytes(32).toString('hex')) },
    );
    stops.push(() => orm.close(true));
    // Query logging formats every statement (~30 µs a request): on only while `statementsDuring` collects, as the
    // API runs with it off.
    const queryLog = orm.config.getLogger();
    queryLog.setDebugMode(false);

    const data = await insertDemoData(orm.em.fork(), new Date('2026-06-01T00:00:00Z'));
    await insertUsers(orm.em.fork(), options.users);
    const started = performance.now();
    await insertSqlCases(db.url, options.cases);
    log(`generated ${options.cases} cases in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const tokens: TokenSettings = { issuer: 'bihuan', audience: 'bihuan-api', secret: randomBytes(32), algorithms: ['HS256'] };
    const api: RunningApi = await startApi(
      { orm, temporal: null as unknown as Client, taskQueue: 'bench', tokens },
      // A benchmark sends thousands of pages a minute from one caller: no budget, and room for the whole graph.
      { host: '127.0.0.1', port: 0, limits: { maxCost: 1e9, budget: { points: 1e12, perSeconds: 60 } } },
    );
    stops.push(() => api.stop());

    const pool = new pg.Pool({ connectionString: appRoleUrl(db.url, appPassword), max: 10 });
    stops.push(() => pool.end());
    const owner = new pg.Pool({ connectionString: db.url, max: 1 });
    stops.push(() => owner.end());
    const floorServer: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const route = options.routes[(req.url ?? '').slice(1)];
        if (!route) {
          res.writeHead(404).end();
          return;
        }
        route(JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>, pool).then(
          (body) => res.writeHead(200, { 'content-type': 'application/json' }).end(body),
          (error: unknown) => res.writeHead(500).end(String(error)),
        );
      });
    });
    await new Promise<void>((resolve) => floorServer.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => floorServer.close(resolve)));
    const floorUrl = `http://127.0.0.1:${(floorServer.address() as { port: number }).port}`;

    const post = async (url: string, body: unknown, headers: Record<string, string> = {}): Promise<string> => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      const text = await response.text();
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${text.slice(0, 500)}`);
      return text;
    };
    return {
      orm,
      data,
      ownerUrl: db.url,
      graphql: (userId) => {
        const bearer = mintToken(tokens, userId, '1h');
        return async (query, variables = {}) => {
          const text = await post(api.url, { query, variables }, { authorization: `Bearer ${await bearer}` });
          if (text.includes('"errors"')) throw new Error(`GraphQL: ${text.slice(0, 1000)}`);
          return text;
        };
      },
      floor: (route) => (variables = {}) => post(`${floorUrl}/${route}`, variables),
      statementsDuring: async (run) => {
        statements.length = 0;
        logging = true;
        queryLog.setDebugMode(['query']);
        try {
          await run();
        } finally {
          queryLog.setDebugMode(false);
          logging = false;
        }
        return statements.filter((s) => /^\[query\] (select|with)/i.test(s));
      },
      sqlDuring: async (run) => {
        captured.length = 0;
        capturing = true;
        try {
          await run();
        } finally {
          capturing = false;
        }
        return [...captured];
      },
      explain: async (sql, params = []) =>
        (await owner.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers, summary) ${sql}`, params)).rows.map((r) => r['QUERY PLAN']),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 50);

/**
 * Times `a` and `b` turn about (after `BENCH_WARM_UP` rounds, default 50), so drift in the machine's load weighs on both alike. Returns their samples (ms) and this thread's CPU per call of each: the client and
 * the server both run here (one thread), so the difference between the two is the server's.
 */
export async function measurePair(rounds: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number[], number[], [number, number]]> {
  // Steady state: V8 optimizes a path only after it has run a while (with 5 rounds, the first variant's p95 was its warm-up).
  for (let i = 0; i < WARM_UP; i++) {
    await a();
    await b();
  }
  const [as, bs]: [number[], number[]] = [[], []];
  const cpu = [0, 0];
  const threadCpu = (): number => {
    const { user, system } = process.threadCpuUsage();
    return (user + system) / 1000;
  };
  for (let i = 0; i < rounds; i++) {
    for (const [run, samples, slot] of i % 2 ? ([[b, bs, 1], [a, as, 0]] as const) : ([[a, as, 0], [b, bs, 1]] as const)) {
      const start = performance.now();
      const cpuStart = threadCpu();
      await run();
      samples.push(performance.now() - start);
      cpu[slot]! += threadCpu() - cpuStart;
    }
  }
  return [as, bs, [cpu[0]! / rounds, cpu[1]! / rounds]];
}

export const ms = (value: number): string => `${value.toFixed(2)} ms`.padStart(10);
