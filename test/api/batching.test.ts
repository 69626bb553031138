import { ApolloServer } from '@apollo/server';
import type { Client } from '@temporalio/client';
import { contextFor, type Context } from '../../api/context.js';
import { formatError } from '../../api/errors.js';
import { updateRegion } from '../../api/intake/register.service.js';
import { buildApiSchema } from '../../api/schema.js';
import type { Principal } from '../../domain/access.js';
import { insertDemoData, type DemoData } from '../../infra/demo-data.js';
import { AccountabilityItem, Accident, Department, Enterprise, Investigation, InvestigationReport, Measure, Region } from '../../schema/entities/index.js';
import { insertSqlCases } from '../../bench/sql-cases.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

// A page of N cases with their whole graph must cost the same number of SQL statements whatever N is: the
// relations a query asks for are read with the page (api/graph.ts), the rest through per-request DataLoaders.
const statements: string[] = [];
let db: TestDatabase;
let apollo: ApolloServer<Context>;
let data: DemoData;

// Yunnan's provincial safety office sees every case in the province, so access checks run for every row too.
const YUNNAN_OFFICE: Principal = { id: 'yunnan-office', name: '云南省安委办', grants: [{ role: 'SAFETY_OFFICE', regionCode: '530000' }] };

beforeAll(async () => {
  db = await createTestDatabase({ debug: ['query'], colors: false, logger: (message: string) => statements.push(message) });
  const em = db.orm.em.fork();
  data = await insertDemoData(em, new Date('2025-06-01T00:00:00Z'));
  const [location, enterprise] = [await em.findOneOrFail(Region, data.regions.nanning), await em.findOneOrFail(Enterprise, { name: '曲靖市某建设工程有限公司' })];
  const departments = await em.find(Department, { region: data.regions.qilin });
  for (let i = 1; i <= 20; i++) {
    const accident = em.create(Accident, {
      title: `麒麟区第${i}起一般事故`, level: 'ORDINARY', sector: 'CONSTRUCTION', occurredAt: new Date(Date.UTC(2025, 0, i)),
      locationRegion: location, enterprise, deaths: 1, injuries: i % 3, directLossYuan: `${100000 * i}.00`,
    });
    const investigation = em.create(Investigation, { accident, leadDepartment: departments[i % departments.length]!, escalated: false });
    investigation.departments.set(departments.slice(0, 1 + (i % 3)));
    const report = em.create(InvestigationReport, { investigation, documentNo: `麒政复〔2025〕${100 + i}号`, approvedAt: new Date(Date.UTC(2025, 2, i)) });
    for (let s = 1; s <= 3; s++) em.create(Measure, { report, seq: s, text: `措施${s}`, responsibleUnits: ['麒麟区住房和城乡建设局'] });
    em.create(AccountabilityItem, { report, seq: 1, kind: 'ADMINISTRATIVE_PENALTY', subject: `企业${i}`, recommendation: '罚款' });
  }
  await em.flush();
  // Closed cases in every stage: teams, checks, findings, reports and tasks to read.
  await insertSqlCases(db.url, 40, 'batching');
  apollo = new ApolloServer<Context>({ schema: await buildApiSchema(), formatError });
  await apollo.start();
});

afterAll(async () => {
  await apollo?.stop();
  await db?.drop();
});

const CASE_GRAPH = `query($first: Int!) { accidents(first: $first) {
  title locationRegion { name parent { name } } enterprise { name }
  investigation { escalated leadDepartment { name } departments { name }
    report { documentNo measures { text } accountabilityItems { kind subject } } }
  evaluation { stage organiserRegion { name } team { name } onSiteChecks { place } measureFindings { status measure { text } }
    accountabilityFindings { status item { recommendation } } report { approvedAt sections { section text } } tasks { assignee measure { seq } } }
} }`;

// The same graph, and the relations read by their own loaders: the audit trail and notifications take a `first`.
const WITH_TRAILS = CASE_GRAPH.replace('tasks { assignee measure { seq } } }', 'tasks { assignee measure { seq } notifications { kind } } auditTrail { action } notifications { kind } }');

const EVALUATIONS = `query($first: Int!) { evaluations(first: $first) {
  edges { node { stage dueAt team { name } tasks { assignee } accident { title investigation { report { measures { text } } } } } }
  pageInfo { hasNextPage endCursor } COUNT
} }`;

interface Read {
  count: number;
  data: Record<string, unknown[]> & { evaluations?: { edges: unknown[] } };
}

async function read(query: string, variables: Record<string, unknown>, principal = YUNNAN_OFFICE): Promise<Read> {
  // Reads only: no Temporal call is made, so the context gets no client.
  const contextValue = contextFor({ orm: db.orm, temporal: null as unknown as Client, taskQueue: 'unused' }, principal);
  statements.length = 0;
  const response = await apollo.executeOperation({ query, variables }, { contextValue });
  const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
  expect(result?.errors).toBeUndefined();
  return { count: statements.filter((s) => /^\[query\] (select|with) /.test(s)).length, data: result?.data as Read['data'] };
}

test('should read a page of 20 cases with the same number of SQL statements as a page of 2', async () => {
  await read(WITH_TRAILS, { first: 1 }); // the region tree is read once per process
  const small = await read(WITH_TRAILS, { first: 2 });
  const large = await read(WITH_TRAILS, { first: 20 });
  expect(small.data.accidents).toHaveLength(2);
  expect(large.data.accidents).toHaveLength(20);
  expect(large.count).toBe(small.count);
  // The tree's version, the page with what it asks for, and one statement per relation read by a loader.
  expect(large.count).toBeLessThanOrEqual(5);
});

test('should read a page of whole case graphs in one statement after the region tree version when every relation is read ahead', async () => {
  const page = await read(CASE_GRAPH, { first: 50 });
  expect(page.data.accidents).toHaveLength(50);
  expect(page.count).toBe(2);
});

test('should read a page of evaluations with the same number of statements as a page of 2, and count them only when asked', async () => {
  const small = await read(EVALUATIONS.replace('COUNT', ''), { first: 2 });
  const large = await read(EVALUATIONS.replace('COUNT', ''), { first: 20 });
  const counted = await read(EVALUATIONS.replace('COUNT', 'totalCount'), { first: 20 });
  expect(small.data.evaluations!.edges).toHaveLength(2);
  expect(large.data.evaluations!.edges).toHaveLength(20);
  expect(large.count).toBe(small.count);
  expect(counted.count).toBe(large.count + 1);
  // 40 cases, one in ten not closed, one in five in Shanxi (none of those four published): 32 evaluations in Yunnan.
  expect((counted.data.evaluations as unknown as { totalCount: number }).totalCount).toBe(32);
});

test('should walk the evaluations list page by page by its cursors, and read a cursor issued in the earlier form (an ISO instant)', async () => {
  const PAGE = `query($first: Int!, $after: String) { evaluations(first: $first, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;
  type Page = { edges: { cursor: string; node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  const page = async (first: number, after?: string | null) => (await read(PAGE, { first, after })).data.evaluations as unknown as Page;
  const whole = (await page(200)).edges.map((e) => e.node.id);
  expect(whole).toHaveLength(32);
  const walked: string[] = [];
  let after: string | null = null;
  do {
    const next: Page = await page(5, after);
    walked.push(...next.edges.map((e) => e.node.id));
    expect(next.pageInfo.endCursor).toBe(next.edges.at(-1)?.cursor ?? null);
    after = next.pageInfo.hasNextPage ? next.pageInfo.endCursor : null;
  } while (after);
  expect(walked).toEqual(whole);

  // A client that kept a cursor from before cursors carried milliseconds goes on where it stopped.
  const [due, id] = JSON.parse(Buffer.from((await page(7)).pageInfo.endCursor!, 'base64url').toString()) as [number, string];
  const earlier = Buffer.from(JSON.stringify([new Date(due).toISOString(), id])).toString('base64url');
  expect((await page(5, earlier)).edges.map((e) => e.node.id)).toEqual(whole.slice(7, 12));
});

test('should show a region renamed through the register in the next request when the tree is cached', async () => {
  const before = await read(`query($id: ID!) { accident(id: $id) { locationRegion { name } } }`, { id: data.qilinCase });
  expect(before.data.accident).toEqual({ locationRegion: { name: '南宁街道' } });
  const admin: Principal = { id: 'yunnan-admin', name: '云南省系统管理员', grants: [{ role: 'ADMINISTRATOR', regionCode: '530000' }] };
  await updateRegion(db.orm.em.fork(), admin, data.regions.nanning, { name: '南宁街道办事处' });
  const after = await read(`query($id: ID!) { accident(id: $id) { locationRegion { name } } }`, { id: data.qilinCase });
  expect(after.data.accident).toEqual({ locationRegion: { name: '南宁街道办事处' } });
  await updateRegion(db.orm.em.fork(), admin, data.regions.nanning, { name: '南宁街道' });
});

test('should list exactly the cases a department investigated, and an enterprise its own, when their officials read the lists', async () => {
  const owner = (sql: string, params: unknown[]) => db.asOwner(async (c) => (await c.query<{ id: string }>(sql, params)).rows.map((r) => r.id).sort());
  const [housing] = await owner(`select id from department where name = '麒麟区住房和城乡建设局'`, []);
  const [builder] = await owner(`select id from enterprise where name = '曲靖市某建设工程有限公司'`, []);
  const department: Principal = { id: 'housing', name: '麒麟区住建局', grants: [{ role: 'DEPARTMENT_OFFICIAL', departmentId: housing! }] };
  const enterprise: Principal = { id: 'builder', name: '企业安全负责人', grants: [{ role: 'ENTERPRISE_CONTACT', enterpriseId: builder! }] };
  // What each may see (domain/access.ts), counted straight from the tables: published cases are everyone's.
  const investigated = await owner(
    `select a.id from accident a left join evaluation ev on ev.accident_id = a.id
     where ev.published_at is not null or exists (select 1 from investigation i join investigation_department x on x.investigation_id = i.id where i.accident_id = a.id and x.department_id = $1)`,
    [housing],
  );
  const own = await owner(`select a.id from accident a left join evaluation ev on ev.accident_id = a.id where ev.published_at is not null or a.enterprise_id = $1`, [builder]);
  const ids = (read: Read) => (read.data.accidents as { id: string }[]).map((a) => a.id).sort();
  const evaluationIds = (read: Read) => (read.data.evaluations!.edges as { node: { id: string } }[]).map((e) => e.node.id).sort();
  expect(ids(await read(`{ accidents(first: 200) { id } }`, {}, department))).toEqual(investigated);
  expect(ids(await read(`{ accidents(first: 200) { id } }`, {}, enterprise))).toEqual(own);
  const closed = await owner(`select id from evaluation`, []);
  const listed = await read(`{ evaluations(first: 200) { edges { node { id } } totalCount } }`, {}, department);
  expect(evaluationIds(listed)).toEqual(investigated.filter((id) => closed.includes(id)));
  expect((listed.data.evaluations as unknown as { totalCount: number }).totalCount).toBe(evaluationIds(listed).length);
});
