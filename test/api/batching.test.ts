import { ApolloServer } from '@apollo/server';
import type { Client } from '@temporalio/client';
import { contextFor, type Context } from '../../api/context.js';
import { formatError } from '../../api/errors.js';
import { buildApiSchema } from '../../api/schema.js';
import { insertDemoData } from '../../infra/demo-data.js';
import { AccountabilityItem, Accident, Department, Enterprise, Investigation, InvestigationReport, Measure, Region } from '../../schema/entities/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

// A page of N cases with their whole graph must cost the same number of SQL statements whatever N is:
// every relation goes through a per-request DataLoader.
const statements: string[] = [];
let db: TestDatabase;
let apollo: ApolloServer<Context>;

beforeAll(async () => {
  db = await createTestDatabase({ debug: ['query'], colors: false, logger: (message: string) => statements.push(message) });
  const em = db.orm.em.fork();
  const data = await insertDemoData(em, new Date('2025-06-01T00:00:00Z'));
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
  evaluation { stage team { name } tasks { assignee } auditTrail { action } }
} }`;

async function statementsFor(first: number): Promise<{ count: number; cases: number }> {
  // Reads only: no Temporal call is made, so the context gets no client. The reader is Yunnan's provincial
  // safety office, which sees every case in the province, so access checks run for every row too.
  const contextValue = contextFor(
    { orm: db.orm, temporal: null as unknown as Client, taskQueue: 'unused' },
    { id: 'yunnan-office', name: '云南省安委办', grants: [{ role: 'SAFETY_OFFICE', regionCode: '530000' }] },
  );
  statements.length = 0;
  const response = await apollo.executeOperation({ query: CASE_GRAPH, variables: { first } }, { contextValue });
  const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
  expect(result?.errors).toBeUndefined();
  return { count: statements.filter((s) => /^\[query\] select /.test(s)).length, cases: (result?.data?.accidents as unknown[]).length };
}

test('should read a page of 20 cases with the same number of SQL statements as a page of 2', async () => {
  const small = await statementsFor(2);
  const large = await statementsFor(20);
  expect(small.cases).toBe(2);
  expect(large.cases).toBe(20);
  expect(large.count).toBe(small.count);
  // One statement per relation and per level of the region tree walked for access checks, whatever N is.
  expect(large.count).toBeLessThanOrEqual(20);
});
