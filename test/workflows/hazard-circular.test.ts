import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { circularBounds, quarterOf } from '../../domain/hazard-campaign.js';
import { insertUsers } from '../../infra/demo-users.js';
import { createWorker } from '../../infra/temporal.js';
import type { HazardCircularRow } from '../../schema/entities/hazard.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { createTimeSkippingEnv, installTestRuntime, workflowBundle } from '../helpers/temporal.js';

// The recurring hazard work as the schedules start it (infra/hazard-schedules.ts), on the time-skipping server: the
// circulars of the quarter just ended, and the monthly reminders of the enterprise obligations (003 §三.(二)1).
let env: TestWorkflowEnvironment;
let db: TestDatabase;
const bundle = workflowBundle();

const COUNTIES = [
  ['530302', '麒麟区'],
  ['530381', '宣威市'],
  ['530322', '陆良县'],
] as const;
const regionId: Record<string, string> = {};
const department = randomUUID();

beforeAll(() => installTestRuntime());

beforeEach(async () => {
  [env, db] = await Promise.all([createTimeSkippingEnv(), createTestDatabase()]);
  const em = db.orm.em.fork();
  const city = randomUUID();
  await em.execute(`insert into region (id, code, name, level, parent_id, safety_office_name) values (?, '530300', '曲靖市', 'CITY', null, '曲靖市安委办')`, [city]);
  for (const [code, name] of COUNTIES) {
    regionId[code] = randomUUID();
    await em.execute(`insert into region (id, code, name, level, parent_id, safety_office_name) values (?, ?, ?, 'COUNTY', ?, ?)`, [regionId[code], code, name, city, `${name}安委办`]);
  }
  await em.execute(`insert into department (id, name, kind, region_id) values (?, '麒麟区应急管理局', 'EMERGENCY_MANAGEMENT', ?)`, [department, regionId['530302']]);
});

afterEach(async () => {
  await env?.teardown();
  await db?.drop();
});

async function withWorker<T>(taskQueue: string, fn: () => Promise<T>): Promise<T> {
  const worker = await createWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, orm: db.orm, workflowBundle: bundle });
  return worker.runUntil(fn());
}

async function recordHistory(name: string, workflowId: string): Promise<void> {
  if (!process.env.BIHUAN_RECORD_HISTORIES) return;
  await mkdir('test/workflows/histories', { recursive: true });
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  await writeFile(`test/workflows/histories/${name}-${process.env.BIHUAN_RECORD_HISTORIES}.json`, historyToJSON(history));
}

async function enterprise(name: string, sector: string, code: string, contact: boolean): Promise<string> {
  const id = randomUUID();
  await db.orm.em.fork().execute(`insert into enterprise (id, name, sector, home_region_id) values (?, ?, ?, ?)`, [id, name, sector, regionId[code]]);
  if (contact) await insertUsers(db.orm.em.fork(), [{ id: `contact-${id}`, name: `${name} 安全员`, grants: [{ role: 'ENTERPRISE_CONTACT', enterpriseId: id }] }]);
  return id;
}

async function hazard(enterpriseId: string, sector: string, code: string, reportedAt: Date, dueAt: Date | null, closedAt: Date | null, funds: string | null): Promise<void> {
  const id = randomUUID();
  await db.orm.em.fork().execute(
    `insert into hazard (id, workflow_id, enterprise_id, sector, grade, source, region_id, region_code, supervising_department_id, judgement_basis, description,
       evidence, reported_at, reported_by, stage, revision, funds_yuan, due_at, overdue, closed_at, extensions, submissions)
     values (?, ?, ?, ?, 'MAJOR', 'INSPECTION', ?, ?, ?, '判定标准', '隐患', '照片', ?, 'test', ?, 1, ?, ?, false, ?, '[]', '[]')`,
    [id, `hazard/${id}`, enterpriseId, sector, regionId[code], code, department, reportedAt, closedAt ? 'CLOSED' : 'RECTIFYING', funds, dueAt, closedAt],
  );
}

test('should produce, once the quarter has ended, the circular of every county holding hazards and tell each safety office', async () => {
  const start = new Date(Number(await env.currentTimeMs()));
  const q = quarterOf(start);
  const { endsAt } = circularBounds(q);
  const coal = await enterprise('麒麟某煤业有限公司', 'COAL_MINE', '530302', true);
  const gas = await enterprise('宣威某燃气有限公司', 'URBAN_GAS', '530381', true);
  const chem = await enterprise('陆良某化工有限公司', 'HAZARDOUS_CHEMICALS', '530322', false);
  const minute = 60_000;
  // 麒麟区: one closed, one whose deadline passes before the quarter ends (overdue in the circular), one due after it.
  await hazard(coal, 'COAL_MINE', '530302', new Date(start.getTime() - minute), start, new Date(start.getTime() + minute), '1000.00');
  await hazard(coal, 'COAL_MINE', '530302', new Date(start.getTime() - minute), new Date(start.getTime() + minute), null, '2500.50');
  await hazard(coal, 'COAL_MINE', '530302', new Date(start.getTime() - minute), new Date(endsAt.getTime() + 30 * 86_400_000), null, null);
  await hazard(gas, 'URBAN_GAS', '530381', new Date(start.getTime() - minute), null, null, null);
  await hazard(chem, 'HAZARDOUS_CHEMICALS', '530322', new Date(start.getTime() - minute), null, null, '80000.00');

  await withWorker('hazard-circulars', async () => {
    // The schedule fires at 00:30 on the first day of the next quarter: skip to then.
    await env.sleep(endsAt.getTime() - start.getTime() + 30 * minute);
    const result = await env.client.workflow.execute('hazardCircularsWorkflow', { taskQueue: 'hazard-circulars', workflowId: 'hazard-circulars-test', args: [{}] });
    expect(result).toEqual({ year: q.year, quarter: q.quarter, regions: ['530302', '530322', '530381'] });
  });
  await recordHistory('hazard-circulars', 'hazard-circulars-test');

  const em = db.orm.em.fork();
  const stored = await em.execute<{ region_code: string; rows: HazardCircularRow[] }[]>(`select region_code, rows from hazard_circular where year = ? and quarter = ? order by region_code`, [q.year, q.quarter]);
  expect(stored.map((s) => s.region_code)).toEqual(['530302', '530322', '530381']);
  const coalRow = stored[0]!.rows.find((r) => r.sector === 'COAL_MINE')!;
  expect(coalRow).toEqual({ sector: 'COAL_MINE', found: 3, rectified: 1, overdue: 1, rectificationRate: '0.3333', fundsYuan: '3500.50' });
  expect(stored[1]!.rows.find((r) => r.sector === 'HAZARDOUS_CHEMICALS')).toMatchObject({ found: 1, rectified: 0, fundsYuan: '80000.00' });
  const notices = await em.execute<{ recipient: string; message: string }[]>(`select recipient, message from notification where key like 'hazard-circular/%' order by key`);
  expect(notices.map((n) => n.recipient)).toEqual(['麒麟区安委办', '陆良县安委办', '宣威市安委办']);
  expect(notices[0]!.message).toBe(
    `【重大事故隐患排查整治季度通报】麒麟区${q.year}年第${q.quarter}季度调度表已生成：年内排查隐患3项，已整改销号1项，逾期未整改1项，整改率33.33%，整改资金3500.50元。`,
  );
});

test('should remind each enterprise with a contact of the obligations whose period begins, once per month however often it runs', async () => {
  const ids = {
    coal: await enterprise('麒麟某煤业有限公司', 'COAL_MINE', '530302', true),
    chem: await enterprise('陆良某化工有限公司', 'HAZARDOUS_CHEMICALS', '530322', true),
    build: await enterprise('宣威某建筑工程有限公司', 'CONSTRUCTION', '530381', true),
    tour: await enterprise('麒麟某旅游开发有限公司', 'TOURISM', '530302', true),
    trade: await enterprise('麒麟某铸造有限公司', 'INDUSTRY_AND_TRADE', '530302', true),
    silent: await enterprise('麒麟某无人联系企业', 'COAL_MINE', '530302', false),
  };
  const rows = () => db.orm.em.fork().execute<{ subject_id: string; key: string; recipient: string; message: string }[]>(`select subject_id, key, recipient, message from notification order by key`);
  await withWorker('obligation-reminders', async () => {
    const january = await env.client.workflow.execute('enterpriseObligationRemindersWorkflow', { taskQueue: 'obligation-reminders', workflowId: 'obligations-2027-01', args: [{ year: 2027, month: 1 }] });
    expect(january).toEqual({ year: 2027, month: 1, reminded: 5 });
    // Run again (a retried schedule): nothing is sent twice.
    await env.client.workflow.execute('enterpriseObligationRemindersWorkflow', { taskQueue: 'obligation-reminders', workflowId: 'obligations-2027-01-again', args: [{ year: 2027, month: 1 }] });
    const sent = await rows();
    expect(sent).toHaveLength(5);
    expect(sent.map((r) => r.subject_id)).not.toContain(ids.silent);
    const tour = sent.find((r) => r.subject_id === ids.tour)!;
    expect(tour.key).toBe(`enterprise-obligations/${ids.tour}/2027-01`);
    expect(tour.message).toBe(
      '【安全生产主体责任提醒】麒麟某旅游开发有限公司：2027年1月起，请本季度内至少主要负责人带队检查本单位重大事故隐患排查整治情况1次（003 §三.(二)1.(2)五）；' +
        '本年度内至少组织开展事故应急救援预案演练1次（003 §三.(二)1.(6)）。',
    );
    // February: only the high-risk sectors inspect monthly.
    const february = await env.client.workflow.execute('enterpriseObligationRemindersWorkflow', { taskQueue: 'obligation-reminders', workflowId: 'obligations-2027-02', args: [{ year: 2027, month: 2 }] });
    expect(february).toEqual({ year: 2027, month: 2, reminded: 3 });
    const feb = (await rows()).filter((r) => r.key.endsWith('/2027-02'));
    expect(feb.map((r) => r.subject_id).sort()).toEqual([ids.coal, ids.chem, ids.build].sort());
    expect(feb.find((r) => r.subject_id === ids.coal)!.message).toContain('本月内至少主要负责人带队检查');
    expect(feb.find((r) => r.subject_id === ids.coal)!.message).not.toContain('演练');
  });
  await recordHistory('enterprise-obligation-reminders', 'obligations-2027-01');
});
