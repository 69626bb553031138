import { readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mintToken } from '../../api/auth/tokens.js';
import { startPendingEvaluations } from '../../api/evaluation/case-closure.js';
import { seedDemo } from '../../infra/demo-data.js';
import { findProjectRoot } from '../../infra/install-temporal.mjs';
import { evaluationStateQuery } from '../../workflows/evaluation/messages.js';
import { Accident, AppUser, Evaluation, Region } from '../../schema/entities/index.js';
import { graphqlClient, testTokenSettings } from '../helpers/api.js';
import { startTestStack, waitFor, type TestStack } from '../helpers/stack.js';
import { prepareFuzzCases, waitForStage, type FuzzCases } from './fuzz-cases.js';
import { ensureSchemathesis, REQUIREMENTS, runSchemathesis } from './schemathesis.js';

// A fuzz run of the whole GraphQL schema with Schemathesis: every query and mutation, every argument and input
// field, as the public and as officials, against the real stack with the demo data. Whatever the input, the
// answer is JSON with a typed error code: never INTERNAL_SERVER_ERROR, a stack trace, an HTML page or a 5xx
// other than 503. Bounded: a fixed number of examples per root field and a fixed seed (BIHUAN_FUZZ_EXAMPLES,
// BIHUAN_FUZZ_SEED change them). The exchanges are kept in .bihuan/fuzz/ for reading after a failure.
const EXAMPLES = Number(process.env.BIHUAN_FUZZ_EXAMPLES ?? 40);
const SEED = Number(process.env.BIHUAN_FUZZ_SEED ?? 20_261_202);
const PRINCIPALS = ['public', 'qilin-office', 'qilin-leader'] as const;
const TASK_QUEUE = 'schema-fuzz';
const BUDGET_MS = 6 * 60_000;

interface Exchange {
  principal: string;
  operation: string;
  status: number;
  problems: string[];
  codes?: string[];
  request?: unknown;
  response?: string;
}

let stack: TestStack;
let cases: FuzzCases;
let st: string;
const workDir = join(findProjectRoot(), '.bihuan', 'fuzz');

beforeAll(async () => {
  [stack, st] = await Promise.all([startTestStack(TASK_QUEUE), ensureSchemathesis((m) => process.stderr.write(`[fuzz] ${m}\n`))]);
  const em = () => stack.db.orm.em.fork();
  // The demo exactly as `npm start` loads it, plus one case parked in each stage of the evaluation.
  await seedDemo(em(), new Date());
  await startPendingEvaluations(em(), stack.env.client, TASK_QUEUE);
  const [office, leader] = await Promise.all([graphqlClient(stack.api.url, 'qilin-office'), graphqlClient(stack.api.url, 'qilin-leader')]);
  const qilinCase = (await em().findOneOrFail(Evaluation, { accident: { title: { $like: '%高处坠落%' } } })).id;
  const openCase = (await em().findOneOrFail(Accident, { title: { $like: '%8·02%' } })).id;
  await waitForStage(async () => (await em().findOne(Evaluation, qilinCase))?.stage, 'TEAM_FORMATION', 'the demo case');
  const userIds = (await em().find(AppUser, {})).map((u) => u.id);
  const regionIds = (await em().find(Region, {})).map((r) => r.id);
  cases = await prepareFuzzCases(em, office, leader, { qilinCase, openCase, userIds, regionIds });
  await rm(workDir, { recursive: true, force: true });
  await mkdir(workDir, { recursive: true });
  await writeFile(join(workDir, 'seeds.json'), JSON.stringify(cases.seeds, null, 2));
}, 10 * 60_000);

afterAll(() => stack?.stop());

/** What went wrong, for grouping: the problems, the status and the error message (masked ones: per root field). */
function kindOf(e: Exchange): string {
  const response = e.response ?? '';
  // A JSON error's message, or the first line of an HTML error page.
  const message = /"message":"((?:[^"\\]|\\.){0,100})/.exec(response)?.[1] ?? /<pre>([^<\n]{0,100})/.exec(response)?.[1] ?? '';
  const normal = message.replace(/[0-9a-f]{8}-[0-9a-f-]{27,}/g, '<uuid>').replace(/\d+/g, 'N');
  return `${e.problems.join(', ')} · HTTP ${e.status} · ${normal || '(no message)'}${normal === 'internal error' || !normal ? ` · ${e.operation}` : ''}`;
}

/** Failures grouped by what went wrong, most frequent first, with one example each. */
function group(failures: Exchange[]) {
  const groups = new Map<string, { kind: string; count: number; principals: Set<string>; operations: Set<string>; example: Exchange }>();
  for (const f of failures) {
    const kind = kindOf(f);
    const g = groups.get(kind) ?? { kind, count: 0, principals: new Set(), operations: new Set(), example: f };
    g.count++;
    g.principals.add(f.principal);
    g.operations.add(f.operation);
    groups.set(kind, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

const TOOL = (() => {
  const pins = readFileSync(REQUIREMENTS, 'utf8');
  const version = (name: string) => new RegExp(`^${name}==(\\S+)`, 'm').exec(pins)?.[1] ?? '?';
  return `Schemathesis ${version('schemathesis')} (hypothesis-graphql ${version('hypothesis-graphql')})`;
})();

test('should answer every fuzzed request of the whole schema with a typed error or data, as the public and as officials', async () => {
  const runs: { principal: string; requests: number; failures: number; seconds: number; exit: number; timedOut: boolean }[] = [];
  const all: Exchange[] = [];
  for (const [i, principal] of PRINCIPALS.entries()) {
    const logFile = join(workDir, `${principal}.jsonl`);
    const ran = await runSchemathesis({
      st,
      url: stack.api.url,
      principal,
      token: principal === 'public' ? undefined : await mintToken(testTokenSettings, principal),
      examples: EXAMPLES,
      seed: SEED + i,
      logFile,
      ids: cases.ids,
      seedsFile: join(workDir, 'seeds.json'),
      workDir,
      budgetMs: BUDGET_MS,
    });
    await writeFile(join(workDir, `${principal}.out.txt`), ran.output);
    const exchanges: Exchange[] = (await readFile(logFile, 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Exchange);
    all.push(...exchanges);
    const failures = exchanges.filter((e) => e.problems.length > 0).length;
    runs.push({ principal, requests: exchanges.length, failures, seconds: Math.round(ran.ms / 1000), exit: ran.code, timedOut: ran.timedOut });
    // Schemathesis itself must have run (exit 1 only reports the failures counted here).
    if (![0, 1].includes(ran.code) || exchanges.length === 0) throw new Error(`Schemathesis did not run as ${principal} (exit ${ran.code}):\n${ran.output.slice(-3000)}`);
  }

  const failures = all.filter((e) => e.problems.length > 0);
  const groups = group(failures);
  const codes: Record<string, number> = {};
  for (const e of all) for (const c of e.codes ?? []) codes[c] = (codes[c] ?? 0) + 1;
  const summary = {
    tool: TOOL,
    examplesPerField: EXAMPLES,
    seed: SEED,
    runs,
    codes,
    groups: groups.map((g) => ({ ...g, principals: [...g.principals], operations: [...g.operations] })),
  };
  await writeFile(join(workDir, 'summary.json'), JSON.stringify(summary, null, 2));
  process.stderr.write(
    `[fuzz] ${summary.tool}: ${all.length} requests, ${failures.length} failures (${runs.map((r) => `${r.principal}: ${r.requests} requests, ${r.failures} failures, ${r.seconds} s`).join('; ')})\n` +
      `[fuzz] answers by code: ${JSON.stringify(codes)}; details in ${workDir}\n`,
  );

  // Nothing wedged: every case's read model caught up with its workflow, and the API still answers.
  const wedged: string[] = [];
  for (const row of await stack.db.orm.em.fork().find(Evaluation, { workflowStartedAt: { $ne: null } })) {
    const state = await stack.env.client.workflow.getHandle(row.workflowId).query(evaluationStateQuery);
    const caughtUp = await waitFor(
      async () => (await stack.db.orm.em.fork().findOneOrFail(Evaluation, row.id)).revision,
      (revision) => revision >= state.revision,
      'the read model',
    ).catch(() => -1);
    if (caughtUp < state.revision) wedged.push(`${row.id}: workflow at ${state.stage} r${state.revision}, read model at ${row.stage} r${row.revision}`);
  }
  const office = await graphqlClient(stack.api.url, 'qilin-office');
  expect((await office(`query($id: ID!) { evaluation(id: $id) { id } }`, { id: cases.parked.FOLLOW_UP })).data).toEqual({ evaluation: { id: cases.parked.FOLLOW_UP } });
  expect(wedged).toEqual([]);
  expect(runs.filter((r) => r.timedOut)).toEqual([]);
  expect(groups.map((g) => `${g.count}× ${g.kind} (${[...g.principals].join(', ')}) e.g. ${JSON.stringify(g.example.request).slice(0, 300)}`)).toEqual([]);
}, 25 * 60_000);
