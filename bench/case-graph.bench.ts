// A page of 50 whole case graphs through the GraphQL API over HTTP, against one hand-written json_agg statement that
// returns the same document under the same visibility rules, served over HTTP from this process. The two answers
// are compared before timing: the floor hides what the field table (domain/access.ts) hides from this caller.
// Run: npm run bench   (BENCH_CASES cases, default 2000; BENCH_ROUNDS, default 60; DATABASE_URL for an external server)
import { deepStrictEqual } from 'node:assert';
import { profiled } from './harness.js';
import { FLOOR_SQL, PREFIX, QUERY, READER } from './case-graph-floor.js';
import { log, measurePair, ms, percentile, startReadStack, type FloorRoute } from './read-harness.js';

const CASES = Number(process.env.BENCH_CASES ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);
const PAGE = 50;

const caseGraph: FloorRoute = async (variables, db) => {
  // Prepared, as the API prepares its page statement (infra/prepared.ts): both sides skip re-planning alike.
  const { rows } = await db.query<{ body: string }>({ name: 'floor_case_graph', text: FLOOR_SQL, values: [PREFIX, READER.grants[0].regionCode, variables.first] });
  return rows[0]!.body;
};

const stack = await startReadStack({ cases: CASES, users: [READER], routes: { 'case-graph': caseGraph } });
try {
  const graphql = stack.graphql(READER.id);
  const floor = stack.floor('case-graph');
  const [viaGraphql, viaFloor] = [await graphql(QUERY, { first: PAGE }), await floor({ first: PAGE })];
  if (process.env.BENCH_CHECK !== '0') deepStrictEqual(JSON.parse(viaGraphql), JSON.parse(viaFloor), 'the GraphQL page and the floor differ');
  const statements = await stack.statementsDuring(() => graphql(QUERY, { first: PAGE }));

  const [api, sql, cpu] = await profiled('case-graph', () => measurePair(ROUNDS, () => graphql(QUERY, { first: PAGE }), () => floor({ first: PAGE })));
  const [apiMedian, sqlMedian] = [percentile(api, 50), percentile(sql, 50)];
  log(`case graph: a page of ${PAGE} of ${CASES} cases (${(viaGraphql.length / 1024).toFixed(0)} KB), over HTTP, ${ROUNDS} rounds each, turn about`);
  log(`  floor: one json_agg statement   median ${ms(sqlMedian)}   p95 ${ms(percentile(sql, 95))}`);
  log(`  GraphQL (${String(statements.length).padStart(2)} statements)        median ${ms(apiMedian)}   p95 ${ms(percentile(api, 95))}`);
  log(`  ratio GraphQL / floor           ${(apiMedian / sqlMedian).toFixed(2)}x   (goal <= 2x)   CPU of this process per request ${cpu.map((c) => c.toFixed(2)).join(' vs ')} ms`);
  if (process.env.BENCH_SHOW_SQL) for (const s of statements) log(s);
} finally {
  await stack.stop();
}
