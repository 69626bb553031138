// The plans of the statements the read path runs, at the size of a real deployment: EXPLAIN (ANALYZE, BUFFERS) of
// each statement the API ran for a few typical reads, as different callers, key lines only. Not a benchmark: it
// shows which index serves each list's filter and order.
// Run: npm run bench:plans   (BENCH_CASES cases, default 100000; DATABASE_URL for an external server)
import type { RoleGrant } from '../domain/access.js';
import { Department } from '../schema/entities/index.js';
import { log, startReadStack } from './read-harness.js';

const CASES = Number(process.env.BENCH_CASES ?? 100_000);

const users: { id: string; name: string; grants: RoleGrant[] }[] = [
  { id: 'yunnan-office', name: '云南省安委办', grants: [{ role: 'SAFETY_OFFICE', regionCode: '530000' }] },
  // The organiser of the generated Yunnan cases: an insider, who reads their audit trail.
  { id: 'qilin-office', name: '麒麟区安委办', grants: [{ role: 'SAFETY_OFFICE', regionCode: '530302' }] },
  { id: 'enterprise-contact', name: '企业安全负责人', grants: [] }, // its enterprise is filled in below
  { id: 'housing-official', name: '麒麟区住建局', grants: [] },
];

const READS: { caller: string; name: string; query: string; variables?: Record<string, unknown> }[] = [
  {
    caller: 'yunnan-office',
    name: 'accidents page with its whole graph',
    query: `{ accidents(first: 50) { title locationRegion { name } investigation { departments { name } report { measures { text } } }
      evaluation { stage team { name } measureFindings { status } report { approvedAt } tasks { assignee } } } }`,
  },
  { caller: 'yunnan-office', name: 'evaluations page', query: `{ evaluations(first: 50) { edges { node { stage dueAt accident { title } } } pageInfo { endCursor } } }` },
  {
    caller: 'yunnan-office',
    name: 'evaluations page, stage filter, with totalCount',
    query: `{ evaluations(first: 50, filter: { stage: [TEAM_FORMATION, SELF_EVALUATION] }) { edges { node { stage } } totalCount } }`,
  },
  { caller: 'yunnan-office', name: 'evaluations page, overdue filter', query: `{ evaluations(first: 50, filter: { overdue: true }) { edges { node { stage } } } }` },
  { caller: 'enterprise-contact', name: 'evaluations of one enterprise, with totalCount', query: `{ evaluations(first: 50) { edges { node { stage } } totalCount } }` },
  { caller: 'housing-official', name: 'accidents a department investigated', query: `{ accidents(first: 50) { title } }` },
  { caller: 'housing-official', name: 'evaluations a department investigated, with totalCount', query: `{ evaluations(first: 50) { edges { node { stage } } totalCount } }` },
  {
    caller: 'qilin-office',
    name: 'audit trail and notifications of a page of evaluations',
    query: `{ evaluations(first: 50) { edges { node { auditTrail { action } notifications { kind } } } } }`,
  },
  { caller: 'yunnan-office', name: "one user's audit entries", query: `{ auditEntries(actorId: "bench-office", first: 50) { action } }` },
];

const KEY = /Index|Seq Scan|Bitmap|Limit|Aggregate|Hash Join|Nested Loop|Merge|Sort Key|Execution Time|Planning Time|Heap Fetches/;

const stack = await startReadStack({ cases: CASES, users, routes: {} });
try {
  // Callers whose grants name rows of the generated data.
  const em = stack.orm.em.fork();
  const housing = await em.findOneOrFail(Department, { name: '麒麟区住房和城乡建设局' });
  const [enterprise] = await em.getConnection().execute<{ id: string }[]>(`select id from enterprise where name = '曲靖市某建设工程有限公司'`);
  await em.getConnection().execute(`insert into role_grant (id, user_id, role, enterprise_id) values (gen_random_uuid(), 'enterprise-contact', 'ENTERPRISE_CONTACT', ?)`, [enterprise!.id]);
  await em.getConnection().execute(`insert into role_grant (id, user_id, role, region_code, department_id) values (gen_random_uuid(), 'housing-official', 'DEPARTMENT_OFFICIAL', '530302', ?)`, [housing.id]);
  log(`plans at ${CASES} cases (${Math.round(CASES * 0.9)} evaluations)`);
  for (const read of READS) {
    const graphql = stack.graphql(read.caller);
    await graphql(read.query, read.variables);
    for (const statement of await stack.sqlDuring(() => graphql(read.query, read.variables))) {
      if (/^select u\.id|region_tree_version/.test(statement.sql)) continue; // the caller's grants, by primary key
      for (let i = 0; i < 2; i++) await stack.explain(statement.sql, statement.params); // warm
      log(`-- ${read.name} (${read.caller}): ${statement.sql.replace(/\s+/g, ' ').slice(0, 140)}…`);
      for (const line of await stack.explain(statement.sql, statement.params)) if (KEY.test(line) && !/Index Searches|Buffers/.test(line)) log(line);
    }
  }
} finally {
  await stack.stop();
}
