// Reading a page of case graphs through GraphQL (resolvers, DataLoaders, access checks) against one
// hand-written SQL query returning the same data, in the same process, on the same database.
// Run: npm run bench   (DATABASE_URL to use an external PostgreSQL; BENCH_CASES, BENCH_ROUNDS to resize)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ApolloServer } from '@apollo/server';
import type { Client } from '@temporalio/client';
import pg from 'pg';
import { contextFor, type Context } from '../api/context.js';
import { formatError } from '../api/errors.js';
import { buildApiSchema } from '../api/schema.js';
import { insertDemoData } from '../infra/demo-data.js';
import { openOrm } from '../infra/orm.js';
import { startEmbeddedPostgres } from '../infra/postgres.js';
import { AccountabilityItem, Accident, Department, Enterprise, Investigation, InvestigationReport, Measure, Region } from '../schema/entities/index.js';

const CASES = Number(process.env.BENCH_CASES ?? 200);
const PAGE = 50;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);

const QUERY = `query($first: Int!) { accidents(first: $first) {
  id title level occurredAt locationRegion { name } enterprise { name }
  investigation { leadDepartment { name } departments { name } report { documentNo measures { seq text } accountabilityItems { kind subject } } }
} }`;

// The same page, as one statement a DBA would write.
const BASELINE = `
select a.id, a.title, a.level, a.occurred_at, r.name as region, e.name as enterprise, ld.name as lead_department, ir.document_no,
  (select json_agg(d.name order by d.name) from investigation_department idp join department d on d.id = idp.department_id where idp.investigation_id = i.id) as departments,
  (select json_agg(json_build_object('seq', m.seq, 'text', m.text) order by m.seq) from measure m where m.report_id = ir.id) as measures,
  (select json_agg(json_build_object('kind', ai.kind, 'subject', ai.subject) order by ai.seq) from accountability_item ai where ai.report_id = ir.id) as items
from accident a
join region r on r.id = a.location_region_id
join enterprise e on e.id = a.enterprise_id
left join investigation i on i.accident_id = a.id
left join department ld on ld.id = i.lead_department_id
left join investigation_report ir on ir.investigation_id = i.id
where r.code like '53%'
order by a.occurred_at desc, a.id asc
limit $1`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(run: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 3; i++) await run(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return samples;
}

const scratch = process.env.DATABASE_URL ? undefined : await mkdtemp(join(tmpdir(), 'bihuan-bench-'));
const db = scratch
  ? await startEmbeddedPostgres({ dir: join(scratch, 'pg'), port: 55000 + Math.floor(Math.random() * 500), database: 'bihuan_bench' })
  : { url: process.env.DATABASE_URL!, stop: async () => {} };
const statements: string[] = [];
const orm = await openOrm(db.url, { debug: ['query'], colors: false, logger: (m: string) => statements.push(m) });
try {
  process.stdout.write(`preparing ${CASES} cases…\n`);
  const em = orm.em.fork();
  if ((await em.count(Region, {})) === 0) {
    const data = await insertDemoData(em, new Date('2025-06-01T00:00:00Z'));
    const location = await em.findOneOrFail(Region, data.regions.nanning);
    const enterprise = await em.findOneOrFail(Enterprise, { name: '曲靖市某建设工程有限公司' });
    const departments = await em.find(Department, { region: data.regions.qilin });
    for (let i = 1; i <= CASES; i++) {
      const accident = em.create(Accident, {
        title: `麒麟区第${i}起一般事故`, level: 'ORDINARY', sector: 'CONSTRUCTION', occurredAt: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000),
        locationRegion: location, enterprise, deaths: 1, injuries: i % 4, directLossYuan: `${10000 * i}.00`,
      });
      const investigation = em.create(Investigation, { accident, leadDepartment: departments[i % departments.length]!, escalated: false });
      investigation.departments.set(departments.slice(0, 1 + (i % 3)));
      const report = em.create(InvestigationReport, { investigation, documentNo: `麒政复〔2024〕${i}号`, approvedAt: new Date(Date.UTC(2024, 5, 1)) });
      for (let s = 1; s <= 4; s++) em.create(Measure, { report, seq: s, text: `第${s}项整改措施`, responsibleUnits: ['麒麟区住房和城乡建设局'] });
      em.create(AccountabilityItem, { report, seq: 1, kind: 'ADMINISTRATIVE_PENALTY', subject: `企业${i}`, recommendation: '罚款' });
      if (i % 50 === 0) await em.flush();
    }
    await em.flush();
  }

  const apollo = new ApolloServer<Context>({ schema: await buildApiSchema(), formatError });
  await apollo.start();
  const reader = { id: 'bench', name: '云南省安委办', grants: [{ role: 'SAFETY_OFFICE' as const, regionCode: '530000' }] };
  const graphql = async () => {
    const contextValue = contextFor({ orm, temporal: null as unknown as Client, taskQueue: 'bench' }, reader);
    const response = await apollo.executeOperation({ query: QUERY, variables: { first: PAGE } }, { contextValue });
    if (response.body.kind !== 'single' || response.body.singleResult.errors) throw new Error(JSON.stringify(response.body));
  };
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  const baseline = async () => {
    const { rowCount } = await pool.query(BASELINE, [PAGE]);
    if (rowCount !== PAGE) throw new Error(`baseline returned ${rowCount} rows`);
  };

  statements.length = 0;
  await graphql();
  const perRequest = statements.filter((s) => s.startsWith('[query] select ')).length;
  orm.config.getLogger().setDebugMode(false); // logging would weigh on the timed runs

  const base = median(await time(baseline));
  const subject = median(await time(graphql));
  process.stdout.write(
    [
      `case graph, page of ${PAGE} of ${CASES + 3} cases, ${ROUNDS} rounds, medians:`,
      `  hand-written SQL (1 statement)            ${base.toFixed(2)} ms`,
      `  GraphQL with DataLoaders (${perRequest} statements)  ${subject.toFixed(2)} ms`,
      `  ratio GraphQL / SQL                       ${(subject / base).toFixed(2)}x`,
      '',
    ].join('\n'),
  );
  await apollo.stop();
  await pool.end();
} finally {
  await orm.close();
  await db.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
}
