// The evaluations list (Relay connection, soonest due first) through the GraphQL API over HTTP, against its own
// SQL: one hand-written statement per page returning the same document under the same visibility rules, served
// over HTTP from this process. Each variant's two answers are compared before timing. Prints p50, p95 and the
// p95 ratio. The plans of these statements at 100k cases: npm run bench:plans.
// Run: npm run bench:list   (BENCH_CASES cases, default 20000 — 100000 for the issue's figure, about 90 s to
// generate; BENCH_ROUNDS per variant, default 1000: a p95 of fewer samples moved 30% between runs; DATABASE_URL for an external server)
import { deepStrictEqual } from 'node:assert';
import { createHash } from 'node:crypto';
import { profiled } from './harness.js';
import { log, measurePair, ms, percentile, startReadStack, type FloorRoute } from './read-harness.js';

const CASES = Number(process.env.BENCH_CASES ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1000);
const PAGE = 50;

// Yunnan's provincial safety office: an official for Yunnan's cases (four in five), the public for the rest once published.
const READER = { id: 'yunnan-office', name: '云南省安委办', grants: [{ role: 'SAFETY_OFFICE' as const, regionCode: '530000' }] };
const PREFIX = '53%';

const QUERY = `query($first: Int!, $after: String, $filter: EvaluationFilterInput) { evaluations(first: $first, after: $after, filter: $filter) {
  edges { cursor node { id stage dueAt overdue organiserRegion { name } accident { title } } }
  pageInfo { hasNextPage endCursor } COUNT
} }`;

interface Variant {
  name: string;
  filter?: { stage?: string[]; overdue?: boolean };
  /** Start after the cursor of this many rows in. */
  offset?: number;
  count?: boolean;
}

const VARIANTS: Variant[] = [
  { name: 'first page' },
  { name: 'page 2,000 rows in (cursor)', offset: 2000 },
  { name: 'stage filter (2 stages)', filter: { stage: ['TEAM_FORMATION', 'SELF_EVALUATION'] } },
  { name: 'overdue only', filter: { overdue: true } },
  { name: 'first page + totalCount', count: true },
];

const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
// The API's cursor: base64url of JSON [due date in milliseconds since the epoch, id].
const cursorSql = `translate(encode(convert_to('[' || floor(extract(epoch from due_at) * 1000)::bigint || ',"' || id || '"]', 'UTF8'), 'base64'), '+/=' || chr(10), '-_')`;

/**
 * The page as a DBA would write it for this variant: only its own conditions, the page walking the (due_at, id)
 * order, the count (when asked) a separate aggregate. $1 region prefix, $2 page size + 1, then the filter's values.
 */
function floorSql(filter: Variant['filter'], after: boolean, count: boolean): string {
  // An evaluation carries its accident's location (migration read_indexes): the DBA's statement uses it too.
  const where = ['(ev.published_at is not null or ev.location_region_id in (select r.id from region r where r.code like $1))'];
  let n = 2;
  if (filter?.stage) where.push(`ev.stage = any($${++n})`);
  if (filter?.overdue !== undefined) where.push(`ev.overdue = $${++n}`);
  const visible = `from evaluation ev where ${where.join(' and ')}`;
  const cursor = after ? ` and (ev.due_at, ev.id) > ($${++n}, $${++n}::uuid)` : '';
  return `
with page as (
  select ev.id, ev.stage, ev.due_at, ev.overdue, ev.organiser_region_id, ev.accident_id ${visible}${cursor} order by ev.due_at, ev.id limit $2
), shown as (select * from page order by due_at, id limit $2 - 1)
select json_build_object('data', json_build_object('evaluations', json_build_object(
  'edges', coalesce((select json_agg(json_build_object('cursor', ${cursorSql}, 'node', json_build_object(
      'id', s.id, 'stage', s.stage, 'dueAt', ${iso('s.due_at')}, 'overdue', s.overdue,
      'organiserRegion', (select json_build_object('name', r.name) from region r where r.id = s.organiser_region_id),
      'accident', (select json_build_object('title', a.title) from accident a where a.id = s.accident_id))) order by s.due_at, s.id) from shown s), '[]'),
  'pageInfo', json_build_object('hasNextPage', (select count(*) from page) = $2, 'endCursor', (select ${cursorSql} from shown order by due_at desc, id desc limit 1))
  ${count ? `, 'totalCount', (select count(*) ${visible})` : ''})))::text as body`;
}

const list: FloorRoute = async (v, db) => {
  const filter = v.filter as Variant['filter'];
  const cursor = v.after ? (JSON.parse(Buffer.from(String(v.after), 'base64url').toString()) as [number, string]) : undefined;
  const after = cursor && [new Date(cursor[0]), cursor[1]];
  const params = [PREFIX, Number(v.first) + 1, ...(filter?.stage ? [filter.stage] : []), ...(filter?.overdue !== undefined ? [filter.overdue] : []), ...(after ?? [])];
  // Prepared, as the API prepares its page statement (infra/prepared.ts): both sides skip re-planning alike.
  const text = floorSql(filter, Boolean(after), Boolean(v.count));
  const name = `floor_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
  const { rows } = await db.query<{ body: string }>({ name, text, values: params });
  return rows[0]!.body;
};

const nothing: FloorRoute = async (_v, db) => JSON.stringify((await db.query('select 1 as one')).rows);

const stack = await startReadStack({ cases: CASES, users: [READER], routes: { list, nothing } });
try {
  const graphql = stack.graphql(READER.id);
  const floor = stack.floor('list');
  log(`evaluations list: pages of ${PAGE} of ${Math.round(CASES * 0.9)} evaluations, over HTTP, ${ROUNDS} rounds each, turn about`);
  // What any request costs before it reads a row: a GraphQL query of nothing (with the caller's token, so the
  // caller's grants are read) against \`select 1\` over the same HTTP. No page can come closer to its SQL than this.
  const [empty, one] = await measurePair(ROUNDS, () => graphql('{ __typename }'), stack.floor('nothing'));
  log(`  ${'empty query vs select 1'.padEnd(30)} SQL p50 ${ms(percentile(one, 50))} p95 ${ms(percentile(one, 95))} | GraphQL p50 ${ms(percentile(empty, 50))} p95 ${ms(percentile(empty, 95))}`);
  for (const variant of VARIANTS) {
    const query = QUERY.replace('COUNT', variant.count ? 'totalCount' : '');
    let after: string | undefined;
    if (variant.offset) {
      const skip = JSON.parse(await graphql(query, { first: 1, filter: variant.filter })) as { data: { evaluations: { pageInfo: { endCursor: string } } } };
      after = skip.data.evaluations.pageInfo.endCursor;
      for (let done = 1; done < variant.offset; done += 200) {
        const next = JSON.parse(await graphql(query, { first: Math.min(200, variant.offset - done), after, filter: variant.filter })) as typeof skip;
        after = next.data.evaluations.pageInfo.endCursor;
      }
    }
    const variables = { first: PAGE, after, filter: variant.filter };
    const viaGraphql = JSON.parse(await graphql(query, variables)) as unknown;
    deepStrictEqual(viaGraphql, JSON.parse(await floor({ ...variables, count: variant.count })), `${variant.name}: the GraphQL page and its SQL differ`);
    const [api, sql, cpu] = await profiled(`list-${VARIANTS.indexOf(variant) + 1}`, () => measurePair(ROUNDS, () => graphql(query, variables), () => floor({ ...variables, count: variant.count })));
    log(
      `  ${variant.name.padEnd(30)} SQL p50 ${ms(percentile(sql, 50))} p95 ${ms(percentile(sql, 95))} | GraphQL p50 ${ms(percentile(api, 50))} p95 ${ms(percentile(api, 95))} | p95 ratio ${(percentile(api, 95) / percentile(sql, 95)).toFixed(2)}x (goal <= 1.5x) | CPU ${cpu.map((c) => c.toFixed(2)).join(' vs ')} ms`,
    );
  }
} finally {
  await stack.stop();
}
