import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { mintToken } from '../../api/auth/tokens.js';
import { createHazardActivities } from '../../activities/hazards.js';
import { circularBounds, quarterJustEnded, quarterOf } from '../../domain/hazard-campaign.js';
import { insertUsers } from '../../infra/demo-users.js';
import { ensureHazardSchedules } from '../../infra/hazard-schedules.js';
import { graphqlClient, testTokenSettings } from '../helpers/api.js';
import { startTestStack, waitFor, type TestStack } from '../helpers/stack.js';

// The quarterly dispatch table (调度表) of 麒麟区 against a fixed set of hazards inserted directly into the read model,
// with its figures worked out by hand below; its downloads as XLSX and CSV; who may read it; and the schedule that
// produces it.
let stack: TestStack;
const TASK_QUEUE = 'hazard-circular';

const USERS = ['qilin-office', 'qujing-leader', 'xuanwei-office', 'enterprise'] as const;
type User = (typeof USERS)[number];
const as = {} as Record<User | 'public', Awaited<ReturnType<typeof graphqlClient>>>;

const id = { yunnan: randomUUID(), qujing: randomUUID(), qilin: randomUUID(), qilinTown: randomUUID(), xuanwei: randomUUID() };
const enterprise = randomUUID();
const department = randomUUID();

/** name, sector, region, reported (China time), rectification deadline's end, closed (销号), plan funds. */
type HazardRow = [name: string, sector: string, region: keyof typeof id, reportedAt: string, dueAt: string | null, closedAt: string | null, funds: string | null];
const HAZARDS: HazardRow[] = [
  ['H1', 'COAL_MINE', 'qilin', '2025-02-10T09:00:00+08:00', '2025-06-01T00:00:00+08:00', '2025-05-20T10:00:00+08:00', '100000.00'],
  // Entered in the first minute of Q2: not in Q1's table.
  ['H2', 'COAL_MINE', 'qilin', '2025-04-01T00:00:00+08:00', '2025-06-21T00:00:00+08:00', null, '50000.50'],
  // Closed five days after Q2 ended: not rectified in Q2's table, and its deadline is after the quarter.
  ['H3', 'COAL_MINE', 'qilin', '2025-03-01T09:00:00+08:00', '2025-08-01T00:00:00+08:00', '2025-07-05T10:00:00+08:00', '20000.00'],
  // Fixed at once in a town of the district: counted in the district.
  ['H4', 'CONSTRUCTION', 'qilinTown', '2025-05-05T09:00:00+08:00', null, '2025-05-06T10:00:00+08:00', null],
  // Entered in the last minute of Q2, not planned yet.
  ['H5', 'CONSTRUCTION', 'qilin', '2025-06-30T23:59:00+08:00', null, null, null],
  ['H9', 'FIRE', 'qilin', '2025-01-10T09:00:00+08:00', '2025-02-02T00:00:00+08:00', '2025-03-01T10:00:00+08:00', '3000.00'],
  // Overdue at the end of Q1, closed in Q2.
  ['H10', 'FIRE', 'qilin', '2025-01-20T09:00:00+08:00', '2025-03-16T00:00:00+08:00', '2025-04-10T10:00:00+08:00', '8000.00'],
  // Outside the district's 2025 tables: Q3, another county, the year before.
  ['H6', 'COAL_MINE', 'qilin', '2025-07-01T00:00:00+08:00', null, null, '900000.00'],
  ['H7', 'COAL_MINE', 'xuanwei', '2025-05-01T09:00:00+08:00', null, null, null],
  ['H8', 'FIRE', 'qilin', '2024-12-31T23:59:00+08:00', '2025-01-10T00:00:00+08:00', null, '700.00'],
];

async function insertHazard(name: string, sector: string, region: keyof typeof id, reportedAt: Date, dueAt: Date | null, closedAt: Date | null, funds: string | null): Promise<void> {
  const hazardId = randomUUID();
  const code = { yunnan: '530000', qujing: '530300', qilin: '530302', qilinTown: '530302100', xuanwei: '530381' }[region];
  await stack.db.orm.em.fork().execute(
    `insert into hazard (id, workflow_id, enterprise_id, sector, grade, source, region_id, region_code, supervising_department_id, judgement_basis, description,
       evidence, reported_at, reported_by, stage, revision, funds_yuan, due_at, overdue, closed_at, extensions, submissions)
     values (?, ?, ?, ?, 'MAJOR', 'SELF_REPORT', ?, ?, ?, '重大事故隐患判定标准', ?, '现场照片', ?, 'test', ?, 1, ?, ?, false, ?, '[]', '[]')`,
    [hazardId, `hazard/${hazardId}`, enterprise, sector, id[region], code, department, `隐患${name}`, reportedAt, closedAt ? 'CLOSED' : 'RECTIFYING', funds, dueAt, closedAt],
  );
}

const now = new Date();
const justEnded = quarterJustEnded(now);
const current = quarterOf(now);

beforeAll(async () => {
  stack = await startTestStack(TASK_QUEUE);
  const em = stack.db.orm.em.fork();
  const regions: [keyof typeof id, string, string, string, keyof typeof id | null][] = [
    ['yunnan', '530000', '云南省', 'PROVINCE', null],
    ['qujing', '530300', '曲靖市', 'CITY', 'yunnan'],
    ['qilin', '530302', '麒麟区', 'COUNTY', 'qujing'],
    ['qilinTown', '530302100', '越州镇', 'TOWN', 'qilin'],
    ['xuanwei', '530381', '宣威市', 'COUNTY', 'qujing'],
  ];
  for (const [key, code, name, level, parent] of regions) {
    await em.execute(`insert into region (id, code, name, level, parent_id, safety_office_name) values (?, ?, ?, ?, ?, ?)`, [
      id[key], code, name, level, parent ? id[parent] : null, `${name}安委办`,
    ]);
  }
  await em.execute(`insert into department (id, name, kind, region_id) values (?, '麒麟区应急管理局', 'EMERGENCY_MANAGEMENT', ?)`, [department, id.qilin]);
  await em.execute(`insert into enterprise (id, name, sector, home_region_id) values (?, '麒麟某煤业有限公司', 'COAL_MINE', ?)`, [enterprise, id.qilin]);
  for (const [name, sector, region, reportedAt, dueAt, closedAt, funds] of HAZARDS) {
    await insertHazard(name, sector, region, new Date(reportedAt), dueAt ? new Date(dueAt) : null, closedAt ? new Date(closedAt) : null, funds);
  }
  await insertUsers(stack.db.orm.em.fork(), [
    { id: 'qilin-office', name: '麒麟区安委办 李主任', grants: [{ role: 'SAFETY_OFFICE', regionCode: '530302' }] },
    { id: 'qujing-leader', name: '曲靖市分管副市长 王某', grants: [{ role: 'LEADER_IN_CHARGE', regionCode: '530300' }] },
    { id: 'xuanwei-office', name: '宣威市安委办 张某', grants: [{ role: 'SAFETY_OFFICE', regionCode: '530381' }] },
    { id: 'enterprise', name: '麒麟某煤业有限公司 赵某', grants: [{ role: 'ENTERPRISE_CONTACT', enterpriseId: enterprise }] },
  ]);
  for (const user of USERS) as[user] = await graphqlClient(stack.api.url, user);
  as.public = await graphqlClient(stack.api.url);
});

afterAll(() => stack?.stop());

const ROW = 'sector sectorName leadDepartments found rectified overdue rectificationRate fundsYuan';
const TABLE = `query($region: String!, $year: Int!, $quarter: Int!) { hazardDispatchTable(regionCode: $region, year: $year, quarter: $quarter) {
  regionCode regionName year quarter countedFrom endsOn asOf inProgress stored producedAt rows { ${ROW} } total { ${ROW} } } }`;

type Row = { sector: string | null; found: number; rectified: number; overdue: number; rectificationRate: number | null; fundsYuan: string };
const figures = (found: number, rectified: number, overdue: number, rectificationRate: number | null, fundsYuan: string) => ({ found, rectified, overdue, rectificationRate, fundsYuan });
const of = (rows: Row[], sector: string) => {
  const row = rows.find((r) => r.sector === sector)!;
  return figures(row.found, row.rectified, row.overdue, row.rectificationRate, row.fundsYuan);
};
const totalOf = (row: Row) => figures(row.found, row.rectified, row.overdue, row.rectificationRate, row.fundsYuan);

function download(path: string, userId?: string | null, token?: string): Promise<Response> {
  const base = stack.api.url.replace(/\/graphql$/, '');
  return (async () => {
    const bearer = token ?? (userId ? await mintToken(testTokenSettings, userId) : undefined);
    return fetch(`${base}${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
  })();
}

describe('the reference data of seed 003', () => {
  test('should list the twelve sectors with their lead departments, the phases and a sector\'s obligations to anyone', async () => {
    const res = await as.public(`{ hazardSectors { sector name clause highRisk leadDepartments { department part } }
      hazardCampaignPhases { phase name startsOn endsOn clause }
      coal: enterpriseObligations(sector: COAL_MINE) { obligation every clause } tourism: enterpriseObligations(sector: TOURISM) { obligation every } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.hazardSectors).toHaveLength(12);
    expect(res.data!.hazardSectors[1]).toEqual({
      sector: 'NON_COAL_MINE', name: '非煤矿山', clause: '003 §二.(二)', highRisk: true,
      leadDepartments: [{ department: '区应急管理局', part: null }, { department: '区自然资源局', part: null }],
    });
    expect(res.data!.hazardCampaignPhases[0]).toEqual({ phase: 'MOBILISATION', name: '动员部署', startsOn: null, endsOn: '2023-05-25', clause: '003 §三.(一)' });
    expect(res.data!.coal).toEqual([
      { obligation: 'PRINCIPAL_INSPECTION', every: 'MONTH', clause: '003 §三.(二)1.(2)五' },
      { obligation: 'EMERGENCY_DRILL', every: 'HALF_YEAR', clause: '003 §三.(二)1.(6)' },
    ]);
    expect(res.data!.tourism).toEqual([{ obligation: 'PRINCIPAL_INSPECTION', every: 'QUARTER' }, { obligation: 'EMERGENCY_DRILL', every: 'YEAR' }]);
  });
});

describe('hazardDispatchTable', () => {
  test('should count 2025 Q2 of 麒麟区 from 1 January to 30 June, as worked out by hand', async () => {
    const res = await as['qilin-office'](TABLE, { region: '530302', year: 2025, quarter: 2 });
    expect(res.errors).toBeUndefined();
    const t = res.data!.hazardDispatchTable;
    expect([t.regionName, t.countedFrom, t.endsOn, t.asOf, t.inProgress, t.stored]).toEqual(['麒麟区', '2025-01-01', '2025-06-30', '2025-06-30T16:00:00.000Z', false, false]);
    expect(t.rows.map((r: Row) => r.sector)).toHaveLength(12);
    // 煤矿: H1 (closed 20 May), H2 (past its deadline of 20 June), H3 (closed only on 5 July); H6 (Q3) and H7 (宣威市) not counted.
    expect(of(t.rows, 'COAL_MINE')).toEqual(figures(3, 1, 1, 0.3333, '170000.50'));
    // 建筑施工: H4 (in a town of the district, fixed at once), H5 (entered in the quarter's last minute).
    expect(of(t.rows, 'CONSTRUCTION')).toEqual(figures(2, 1, 0, 0.5, '0.00'));
    // 消防: H9 and H10 both closed by the end of June; H8 (2024) not counted.
    expect(of(t.rows, 'FIRE')).toEqual(figures(2, 2, 0, 1, '11000.00'));
    expect(of(t.rows, 'TOURISM')).toEqual(figures(0, 0, 0, null, '0.00'));
    expect(t.rows[0].leadDepartments).toEqual(['区能源局']);
    expect(totalOf(t.total)).toEqual(figures(7, 4, 1, 0.5714, '181000.50'));
    expect(t.total.sectorName).toBe('合计');
  });

  test('should count Q1 as things stood at its end: H10 overdue, H1 and H3 still open, H2 not yet found', async () => {
    const res = await as['qilin-office'](TABLE, { region: '530302', year: 2025, quarter: 1 });
    expect(res.errors).toBeUndefined();
    const t = res.data!.hazardDispatchTable;
    expect(of(t.rows, 'COAL_MINE')).toEqual(figures(2, 0, 0, 0, '120000.00'));
    expect(of(t.rows, 'FIRE')).toEqual(figures(2, 1, 1, 0.5, '11000.00'));
    expect(totalOf(t.total)).toEqual(figures(4, 1, 1, 0.25, '131000.00'));
  });

  test('should count the whole city for the city\'s leader (宣威市\'s H7 too)', async () => {
    const res = await as['qujing-leader'](TABLE, { region: '530300', year: 2025, quarter: 2 });
    expect(res.errors).toBeUndefined();
    expect(of(res.data!.hazardDispatchTable.rows, 'COAL_MINE')).toEqual(figures(4, 1, 1, 0.25, '170000.50'));
  });

  test('should serve the stored circular once produced, with the figures the live count gave', async () => {
    const live = (await as['qilin-office'](TABLE, { region: '530302', year: 2025, quarter: 2 })).data!.hazardDispatchTable;
    await createHazardActivities({ orm: stack.db.orm }).produceHazardCircular({ regionCode: '530302', year: 2025, quarter: 2 });
    await createHazardActivities({ orm: stack.db.orm }).produceHazardCircular({ regionCode: '530302', year: 2025, quarter: 1 });
    const stored = (await as['qilin-office'](TABLE, { region: '530302', year: 2025, quarter: 2 })).data!.hazardDispatchTable;
    expect(stored.stored).toBe(true);
    expect(stored.producedAt).not.toBeNull();
    expect(stored.rows).toEqual(live.rows);
    expect(stored.total).toEqual(live.total);

    const list = await as['qilin-office'](`{ hazardCirculars(regionCode: "530302", first: 10) { year quarter stored total { found rectified overdue rectificationRate fundsYuan } } }`);
    expect(list.errors).toBeUndefined();
    expect(list.data!.hazardCirculars).toEqual([
      { year: 2025, quarter: 2, stored: true, total: figures(7, 4, 1, 0.5714, '181000.50') },
      { year: 2025, quarter: 1, stored: true, total: figures(4, 1, 1, 0.25, '131000.00') },
    ]);
  });

  test('should compute the quarter in progress live, as of now: a deadline passed a minute ago is overdue, one next week is not', async () => {
    await insertHazard('L1', 'TOURISM', 'qilin', new Date(now.getTime() - 120_000), new Date(now.getTime() - 60_000), null, '500.00');
    await insertHazard('L2', 'TOURISM', 'qilin', new Date(now.getTime() - 120_000), new Date(now.getTime() + 7 * 86_400_000), null, '600.00');
    const res = await as['qilin-office'](TABLE, { region: '530302', year: current.year, quarter: current.quarter });
    expect(res.errors).toBeUndefined();
    const t = res.data!.hazardDispatchTable;
    expect([t.inProgress, t.stored, t.producedAt]).toEqual([true, false, null]);
    expect(Date.parse(t.asOf)).toBeGreaterThanOrEqual(now.getTime());
    expect(of(t.rows, 'TOURISM')).toEqual(figures(2, 0, 1, 0, '1100.00'));
  });

  test('should refuse a caller outside the region, an enterprise and the public, and a quarter not begun', async () => {
    const vars = { region: '530302', year: 2025, quarter: 2 };
    for (const caller of ['xuanwei-office', 'enterprise', 'public'] as const) {
      const res = await as[caller](TABLE, vars);
      expect([res.data, res.errors?.[0]?.extensions?.code, res.errors?.[0]?.extensions?.field]).toEqual([null, 'FORBIDDEN', 'regionCode']);
    }
    const later = await as['qilin-office'](TABLE, { region: '530302', year: current.year + 1, quarter: 1 });
    expect([later.errors?.[0]?.extensions?.code, later.errors?.[0]?.extensions?.field]).toEqual(['BAD_USER_INPUT', 'quarter']);
    const bad = await as['qilin-office'](TABLE, { region: '530302', year: 2025, quarter: 5 });
    expect([bad.errors?.[0]?.extensions?.code, bad.errors?.[0]?.extensions?.field]).toEqual(['BAD_USER_INPUT', 'quarter']);
    const unknown = await as['qilin-office'](TABLE, { region: '530399', year: 2025, quarter: 2 });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('downloads of the dispatch table', () => {
  test('should download 2025 Q2 of 麒麟区 as an XLSX that opens with the figures worked out by hand', async () => {
    const res = await download('/downloads/hazard-dispatch/530302/2025/Q2.xlsx', 'qilin-office');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('content-disposition')).toContain('hazard-dispatch-530302-2025-Q2.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const sheet = workbook.getWorksheet('调度表')!;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(String(sheet.getCell('A1').value)).toContain('麒麟区重大事故隐患排查整治调度表（2025年第2季度');
    expect(values(2)).toEqual(['行业领域', '牵头部门', '排查隐患（项）', '已整改销号（项）', '逾期未整改（项）', '整改率', '整改资金（元）']);
    expect(values(3)).toEqual(['煤矿', '区能源局', 3, 1, 1, 0.3333, 170000.5]);
    expect(values(7).slice(0, 1).concat(values(7).slice(2))).toEqual(['建筑施工', 2, 1, 0, 0.5, 0]);
    expect(values(8)).toEqual(['消防', '区消防救援大队', 2, 2, 0, 1, 11000]);
    const total = values(15);
    expect([total[0], ...total.slice(2)]).toEqual(['合计', 7, 4, 1, 0.5714, 181000.5]);
    expect(sheet.rowCount).toBe(15);
  });

  test('should download the same table as CSV with a UTF-8 BOM, so Excel reads the Chinese text', async () => {
    const res = await download('/downloads/hazard-dispatch/530302/2025/Q2.csv', 'qilin-office');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1).split('\r\n');
    expect(lines[0]).toBe('行业领域,牵头部门,排查隐患（项）,已整改销号（项）,逾期未整改（项）,整改率,整改资金（元）');
    expect(lines[1]).toBe('煤矿,区能源局,3,1,1,33.33%,170000.50');
    expect(lines[5]).toBe('建筑施工,区住房和城乡建设局、区交通运输局、有关铁路公路建设指挥机构、区水务局、麒麟供电局,2,1,0,50.00%,0.00');
    expect(lines[9]).toBe('旅游,区文化和旅游局,0,0,0,,0.00');
    expect(lines[13]).toBe('合计,,7,4,1,57.14%,181000.50');
    expect(lines[14]).toBe('');
  });

  test('should refuse the download to a caller outside the region, the public and a bad token, with the GraphQL error shape', async () => {
    const outside = await download('/downloads/hazard-dispatch/530302/2025/Q2.xlsx', 'xuanwei-office');
    expect(outside.status).toBe(403);
    expect(((await outside.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('FORBIDDEN');
    expect((await download('/downloads/hazard-dispatch/530302/2025/Q2.csv', 'enterprise')).status).toBe(403);
    expect((await download('/downloads/hazard-dispatch/530302/2025/Q2.csv')).status).toBe(403);
    const forged = await download('/downloads/hazard-dispatch/530302/2025/Q2.csv', null, 'not-a-token');
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect((await download('/downloads/hazard-dispatch/530302/2025/Q5.xlsx', 'qilin-office')).status).toBe(400);
    expect((await download('/downloads/hazard-dispatch/530302/20x5/Q2.xlsx', 'qilin-office')).status).toBe(400);
    expect((await download('/downloads/hazard-dispatch/530399/2025/Q2.xlsx', 'qilin-office')).status).toBe(404);
  });
});

describe('the schedules', () => {
  test('should create the schedules once, however often workers boot, and produce the circular of the quarter just ended when triggered', async () => {
    expect(await ensureHazardSchedules(stack.env.client, TASK_QUEUE)).toEqual(['hazard-circulars', 'enterprise-obligation-reminders']);
    expect(await ensureHazardSchedules(stack.env.client, TASK_QUEUE)).toEqual(['hazard-circulars', 'enterprise-obligation-reminders']);
    const handle = stack.env.client.schedule.getHandle('hazard-circulars');
    const described = await handle.describe();
    expect(described.spec.timezone).toBe('Asia/Shanghai');
    expect(described.action).toMatchObject({ workflowType: 'hazardCircularsWorkflow', taskQueue: TASK_QUEUE });
    const schedules: string[] = [];
    for await (const s of stack.env.client.schedule.list()) schedules.push(s.scheduleId);
    expect(schedules.sort()).toEqual(['enterprise-obligation-reminders', 'hazard-circulars']);

    // A hazard entered on the last day of the quarter just ended, in 麒麟区's water transport.
    await insertHazard('S1', 'WATERWAYS_AND_FISHING', 'qilin', new Date(circularBounds(justEnded).endsAt.getTime() - 86_400_000), null, null, '4200.00');
    await handle.trigger();
    const em = () => stack.db.orm.em.fork();
    const [circular] = await waitFor(
      () => em().execute<{ rows: Row[] }[]>(`select rows from hazard_circular where region_code = '530302' and year = ? and quarter = ?`, [justEnded.year, justEnded.quarter]),
      (rows) => rows.length === 1,
      'the scheduled circular',
    );
    const water = circular!.rows.find((r) => r.sector === 'WATERWAYS_AND_FISHING')!;
    expect([water.found, water.rectified, water.fundsYuan]).toEqual([1, 0, '4200.00']);
    const [notice] = await waitFor(
      () => em().execute<{ recipient: string; message: string }[]>(`select recipient, message from notification where key = ?`, [`hazard-circular/530302/${justEnded.year}-Q${justEnded.quarter}`]),
      (rows) => rows.length === 1,
      'the circular notice',
    );
    expect(notice!.recipient).toBe('麒麟区安委办');
    expect(notice!.message).toContain(`麒麟区${justEnded.year}年第${justEnded.quarter}季度调度表已生成`);
  });
});
