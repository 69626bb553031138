import ExcelJS from 'exceljs';
import { mintToken } from '../../api/auth/tokens.js';
import type { RunningApi } from '../../api/server.js';
import { chinaDate } from '../../domain/calendar.js';
import { seedDemo } from '../../infra/demo-data.js';
import { seedDemoHazards } from '../../infra/demo-hazards.js';
import { AuditEntry } from '../../schema/entities/index.js';
import { graphqlClient, testTokenSettings } from '../helpers/api.js';
import type { TestDatabase } from '../helpers/database.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

// `npm start` with BIHUAN_SEED_DEMO: the demo district's hazard ledger is entered through the API by its enterprises,
// inspector and officials (and a whistleblower as the public), and what it leaves is what a newcomer reads over
// GraphQL and downloads.
const TASK_QUEUE = 'demo-hazards';
let stack: TestStack;
let db: TestDatabase;
let api: RunningApi;

beforeAll(async () => {
  stack = await startTestStack(TASK_QUEUE);
  ({ db, api } = stack);
  expect(await seedDemo(db.orm.em.fork(), new Date())).toBe('loaded');
});

afterAll(() => stack?.stop());

const HAZARDS = `query { hazards(first: 50, filter: { regionCode: "530302" }) { totalCount edges { node {
  id stage grade source sector overdue supervised deadlineOn enterprise { name } plan { fundsYuan }
  advice { advice reason } decision { decision advice by }
  supervision { regionCode documentNo receiptSignedBy receiptReceivedOn } whistleblowerReportId
  auditTrail { action actorName } } } } }`;
const ROW = 'sector sectorName found rectified overdue rectificationRate fundsYuan';
const TABLE = `query($year: Int!, $quarter: Int!) { hazardDispatchTable(regionCode: "530302", year: $year, quarter: $quarter) {
  inProgress rows { ${ROW} } total { ${ROW} } } }`;

type Row = { sector: string | null; sectorName: string; found: number; rectified: number; overdue: number; rectificationRate: number | null; fundsYuan: string };
const figures = (r: Row) => [r.found, r.rectified, r.overdue, r.rectificationRate, r.fundsYuan];

describe('the demo hazards', () => {
  test('should leave a ledger at every stage, entered by the demo users, whose dispatch table downloads with its figures, once', async () => {
    const now = new Date();
    const seeded = await seedDemoHazards(db.orm, stack.env.client, TASK_QUEUE, now);
    expect(seeded).not.toBeNull();
    const office = await graphqlClient(api.url, 'qilin-office');

    const listed = await office(HAZARDS);
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.hazards.totalCount).toBe(5);
    const byId = new Map(listed.data!.hazards.edges.map((e: { node: { id: string } }) => [e.node.id, e.node]));
    const h = (id: string) => byId.get(id) as Record<string, any>;

    // Self-found, reported, rectified, accepted and closed (销号): no administrative penalty, and the bureau decided so.
    expect(h(seeded!.closed)).toMatchObject({
      stage: 'CLOSED', grade: 'MAJOR', source: 'SELF_REPORT', sector: 'CONSTRUCTION', plan: { fundsYuan: '85000.00' },
      advice: { advice: 'NO_PENALTY', reason: expect.stringContaining('003') },
      decision: { decision: 'NO_PENALTY', advice: 'NO_PENALTY', by: '麒麟区住建局 王科长' },
    });
    expect(h(seeded!.closed).auditTrail.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['REPORT', 'PLAN_RECTIFICATION', 'SUBMIT_FOR_ACCEPTANCE', 'ACCEPT_RECTIFICATION', 'RECORD_ENFORCEMENT_DECISION']),
    );
    // Under rectification, its deadline ahead: not overdue, and still no penalty advised.
    expect(h(seeded!.rectifying)).toMatchObject({ stage: 'RECTIFYING', grade: 'MAJOR', overdue: false, sector: 'ROAD_TRANSPORT', advice: { advice: 'NO_PENALTY' } });
    expect(h(seeded!.rectifying).deadlineOn > chinaDate(now)).toBe(true);
    expect(h(seeded!.fixedAtOnce)).toMatchObject({ stage: 'CLOSED', grade: 'GENERAL', plan: null });
    // Found by the inspector, listed for supervision by the district, the receipt signed by the enterprise.
    expect(h(seeded!.listed)).toMatchObject({
      stage: 'RECTIFYING', source: 'INSPECTION', supervised: true,
      supervision: { regionCode: '530302', documentNo: `麒安办督〔${chinaDate(now).slice(0, 4)}〕1号`, receiptSignedBy: expect.stringContaining('郑某'), receiptReceivedOn: chinaDate(now) },
    });
    expect(h(seeded!.listed).auditTrail[0]).toEqual({ action: 'REPORT', actorName: '麒麟区应急管理局 执法检查员 冯某' });
    // The whistleblower's report, dispatched and verified into a hazard, linked both ways.
    expect(h(seeded!.reportHazard)).toMatchObject({ stage: 'REPORTED', source: 'WHISTLEBLOWER', whistleblowerReportId: seeded!.report });
    const report = await office(`query($id: String!) { whistleblowerReport(id: $id) { stage dispatch { departmentName } verification { outcome hazardId by } } }`, { id: seeded!.report });
    expect(report.data!.whistleblowerReport).toEqual({
      stage: 'VERIFIED', dispatch: { departmentName: '麒麟区住房和城乡建设局' }, verification: { outcome: 'HAZARD', hazardId: seeded!.reportHazard, by: '麒麟区住建局 王科长' },
    });
    // The receipt the public kept reads the status, and nothing else.
    const status = await (await graphqlClient(api.url))(`query($r: String!) { whistleblowerReportStatus(receipt: $r) { stage outcome receivedOn } }`, { r: seeded!.receipt });
    expect(status.data!.whistleblowerReportStatus).toEqual({ stage: 'VERIFIED', outcome: 'HAZARD', receivedOn: chinaDate(now) });

    // This quarter's dispatch table, counted live: 建筑施工 3 found, 2 closed; 道路运输 2 found, both rectifying.
    const [year, month] = chinaDate(now).split('-').map(Number) as [number, number];
    const quarter = Math.ceil(month / 3);
    const table = await office(TABLE, { year, quarter });
    expect(table.errors).toBeUndefined();
    const t = table.data!.hazardDispatchTable;
    expect(t.inProgress).toBe(true);
    const construction = t.rows.find((r: Row) => r.sector === 'CONSTRUCTION') as Row;
    const road = t.rows.find((r: Row) => r.sector === 'ROAD_TRANSPORT') as Row;
    expect(figures(construction)).toEqual([3, 2, 0, 0.6667, '85000.00']);
    expect(figures(road)).toEqual([2, 0, 0, 0, '308000.00']);
    expect(figures(t.total)).toEqual([5, 2, 0, 0.4, '393000.00']);
    expect(t.rows.filter((r: Row) => r.found > 0)).toHaveLength(2);

    // The same table as the XLSX the office downloads.
    const base = api.url.replace(/\/graphql$/, '');
    const res = await fetch(`${base}/downloads/hazard-dispatch/530302/${year}/Q${quarter}.xlsx`, {
      headers: { authorization: `Bearer ${await mintToken(testTokenSettings, 'qilin-office')}` },
    });
    expect(res.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const sheet = workbook.getWorksheet('调度表')!;
    const rowNamed = (name: string) => {
      for (let n = 3; n <= sheet.rowCount; n++) {
        const values = (sheet.getRow(n).values as unknown[]).slice(1);
        if (values[0] === name) return [values[0], ...values.slice(2)];
      }
      throw new Error(`no row ${name}`);
    };
    expect(String(sheet.getCell('A1').value)).toContain(`麒麟区重大事故隐患排查整治调度表（${year}年第${quarter}季度`);
    expect(rowNamed(construction.sectorName)).toEqual([construction.sectorName, 3, 2, 0, 0.6667, 85000]);
    expect(rowNamed(road.sectorName)).toEqual([road.sectorName, 2, 0, 0, 0, 308000]);
    expect(rowNamed('合计')).toEqual(['合计', 5, 2, 0, 0.4, 393000]);

    // A second start adds nothing: no hazard, no report, no audit entry.
    const counts = async () => {
      const em = db.orm.em.fork();
      const [row] = await em.execute<{ hazards: string; reports: string }[]>(
        `select (select count(*) from hazard) as hazards, (select count(*) from whistleblower_report) as reports`,
      );
      return { hazards: Number(row!.hazards), reports: Number(row!.reports), audit: await em.count(AuditEntry, {}) };
    };
    let before = await counts();
    for (let settled = false; !settled; ) {
      await new Promise((r) => setTimeout(r, 500));
      const again = await counts();
      settled = JSON.stringify(again) === JSON.stringify(before);
      before = again;
    }
    expect(before).toMatchObject({ hazards: 5, reports: 1 });
    expect(await seedDemoHazards(db.orm, stack.env.client, TASK_QUEUE, new Date())).toBeNull();
    expect(await counts()).toEqual(before);

    // The demo is live: the enterprise under rectification submits for acceptance, as a user would.
    const carrier = await graphqlClient(api.url, 'logistics-contact');
    const submitted = await carrier(`mutation($in: HazardEvidenceInput!) { submitHazardForAcceptance(input: $in) { stage } }`, {
      in: { hazardId: seeded!.rectifying, evidence: '车载终端更换清单' },
    });
    expect(submitted.errors).toBeUndefined();
    expect(submitted.data!.submitHazardForAcceptance.stage).toBe('ACCEPTANCE');
  });
});
