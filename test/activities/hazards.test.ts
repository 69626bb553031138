import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { createActivities } from '../../activities/index.js';
import { verifyAuditChain } from '../../activities/audit.js';
import type { ChangeRecord } from '../../activities/types.js';
import {
  applyHazardAction,
  DEFAULT_HAZARD_PROFILE,
  hazardWorkflowId,
  initialHazardState,
  initialWhistleblowerState,
  type HazardCase,
  type HazardState,
} from '../../domain/hazard.js';
import { AuditEntry, Department, Enterprise, Hazard, HazardCircular, Region, WhistleblowerReportRow } from '../../schema/entities/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

// The hazard read model as the workflows write it: newest revision wins, one audit entry per change, the advice of
// each state stored with it, what PostgreSQL refuses answered as bad input; and the quarterly circular in SQL.
let db: TestDatabase;
let activities: ReturnType<typeof createActivities>;
let ids: { county: string; town: string; other: string; department: string; enterprise: string; otherEnterprise: string };

beforeAll(async () => {
  db = await createTestDatabase();
  activities = createActivities({ orm: db.orm });
  const em = db.orm.em.fork();
  const county = em.create(Region, { code: '320621', name: '海安市', level: 'COUNTY', safetyOfficeName: '海安市安委办' });
  const town = em.create(Region, { code: '320621101', name: '城东镇', level: 'TOWN', parent: county, safetyOfficeName: '城东镇安委办' });
  const other = em.create(Region, { code: '320682', name: '如皋市', level: 'COUNTY', safetyOfficeName: '如皋市安委办' });
  const department = em.create(Department, { name: '海安市应急管理局', kind: 'EMERGENCY_MANAGEMENT', region: county });
  const enterprise = em.create(Enterprise, { name: '华达化工', sector: 'HAZARDOUS_CHEMICALS', homeRegion: town });
  const otherEnterprise = em.create(Enterprise, { name: '如皋某厂', sector: 'CONSTRUCTION', homeRegion: other });
  await em.flush();
  ids = { county: county.id, town: town.id, other: other.id, department: department.id, enterprise: enterprise.id, otherEnterprise: otherEnterprise.id };
});

afterAll(async () => {
  await db?.drop();
});

const actor = { id: 'huada', name: '华达化工 刘某', role: 'ENTERPRISE_CONTACT' } as ChangeRecord['actor'];
const change = (action: string, at: string, before: string | null, after: string | null, payload?: unknown): ChangeRecord => ({ actor, action, at, stageBefore: before, stageAfter: after, payload });

function hazardCase(over: Partial<HazardCase> = {}): HazardCase {
  return {
    hazardId: randomUUID(),
    enterpriseId: ids.enterprise,
    enterpriseName: '华达化工',
    sector: 'HAZARDOUS_CHEMICALS',
    grade: 'MAJOR',
    source: 'SELF_REPORT',
    regionCode: '320621101',
    upperRegionCodes: ['320621'],
    upperOfficeNames: ['海安市安委办'],
    supervisingDepartmentId: ids.department,
    supervisingDepartmentName: '海安市应急管理局',
    judgementBasis: '判定标准第十条',
    description: '储罐区未设紧急切断',
    evidence: '照片',
    reportedAt: '2025-02-10T02:00:00.000Z',
    reportedBy: '华达化工 刘某',
    origin: { kind: 'EVALUATION', evaluationId: randomUUID(), measureId: 'm1' },
    earlierPenalties: 0,
    profile: DEFAULT_HAZARD_PROFILE,
    ...over,
  };
}

const planned = (s: HazardState, funds = '120000.50', deadlineOn = '2025-03-31'): HazardState =>
  applyHazardAction(s, { type: 'PLAN_RECTIFICATION', responsiblePerson: '刘某', measures: '加装切断阀', funds, deadlineOn, emergencyPlan: '预案' }, actor, new Date('2025-02-11T02:00:00.000Z'));

test('should write a hazard from its workflow state, newest revision winning, with one audit entry per change and the advice of the state', async () => {
  const c = hazardCase();
  const first = initialHazardState(c);
  await activities.saveHazardSnapshot({ state: first, change: change('START', '2025-02-10T02:00:00.000Z', null, 'REPORTED') });
  const second = planned(first);
  await activities.saveHazardSnapshot({ state: second, change: change('PLAN_RECTIFICATION', '2025-02-11T02:00:00.000Z', 'REPORTED', 'RECTIFYING') });
  // A retry of the first snapshot changes nothing.
  await activities.saveHazardSnapshot({ state: first, change: change('START', '2025-02-10T02:00:00.000Z', null, 'REPORTED') });

  const row = await db.orm.em.fork().findOneOrFail(Hazard, c.hazardId);
  expect(row).toMatchObject({
    workflowId: hazardWorkflowId(c.hazardId),
    stage: 'RECTIFYING',
    revision: 2,
    fundsYuan: '120000.50',
    deadlineOn: '2025-03-31',
    dueAt: new Date('2025-03-31T16:00:00.000Z'),
    advice: 'NO_PENALTY',
    originEvaluationId: (c.origin as { evaluationId: string }).evaluationId,
    supervised: false,
  });
  expect(row.region.id).toBe(ids.town);
  const entries = await db.orm.em.fork().find(AuditEntry, { subjectType: 'hazard', subjectId: hazardWorkflowId(c.hazardId) }, { orderBy: { revision: 'asc' } });
  expect(entries.map((e) => [e.revision, e.action])).toEqual([
    [1, 'START'],
    [2, 'PLAN_RECTIFICATION'],
  ]);
  expect((await verifyAuditChain(db.orm.em.fork(), db.auditKey, 'all')).ok).toBe(true);
});

test('should answer funds PostgreSQL cannot hold as the official\'s bad input, writing nothing', async () => {
  const c = hazardCase();
  const first = initialHazardState(c);
  await activities.saveHazardSnapshot({ state: first, change: change('START', '2025-02-10T02:00:00.000Z', null, 'REPORTED') });
  const tooMuch = planned(first, '99999999999999999999');
  const error = await activities.saveHazardSnapshot({ state: tooMuch, change: change('PLAN_RECTIFICATION', '2025-02-11T02:00:00.000Z', 'REPORTED', 'RECTIFYING') }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ApplicationFailure);
  expect(error).toMatchObject({ type: 'BAD_USER_INPUT', nonRetryable: true });
  expect(await db.orm.em.fork().findOneOrFail(Hazard, c.hazardId)).toMatchObject({ stage: 'REPORTED', revision: 1 });
  expect(await db.orm.em.fork().count(AuditEntry, { subjectId: hazardWorkflowId(c.hazardId) })).toBe(1);
});

test('should write a whistleblower report and link the hazard it became', async () => {
  const c = hazardCase({ source: 'WHISTLEBLOWER', origin: undefined });
  await activities.saveHazardSnapshot({ state: initialHazardState(c), change: change('START', '2025-02-10T02:00:00.000Z', null, 'REPORTED') });
  const reportId = randomUUID();
  const state = initialWhistleblowerState({
    reportId,
    receiptHash: 'b'.repeat(64),
    regionCode: '320621101',
    handlingRegionCode: '320621',
    handlingOfficeName: '海安市安委办',
    description: '违规动火',
    receivedAt: '2025-02-09T02:00:00.000Z',
  });
  await activities.saveWhistleblowerSnapshot({ state, change: change('START', '2025-02-09T02:00:00.000Z', null, 'RECEIVED') });
  const verified = {
    ...state,
    stage: 'VERIFIED' as const,
    revision: 3,
    dispatch: { departmentId: ids.department, departmentName: '应急局', at: '2025-02-09T03:00:00.000Z', by: '顾主任' },
    verification: { outcome: 'HAZARD' as const, findings: '属实', at: '2025-02-10T02:00:00.000Z', by: '陈科长', hazardId: c.hazardId },
  };
  await activities.saveWhistleblowerSnapshot({ state: verified, change: change('RECORD_VERIFICATION', '2025-02-10T02:00:00.000Z', 'DISPATCHED', 'VERIFIED') });
  const row = await db.orm.em.fork().findOneOrFail(WhistleblowerReportRow, reportId);
  expect(row).toMatchObject({ stage: 'VERIFIED', revision: 3, dispatchedDepartmentId: ids.department, reporter: null, handlingRegionCode: '320621' });
  expect(row.hazard?.id).toBe(c.hazardId);
});

test('should produce the quarterly dispatch table per sector in one statement, and replace it when produced again', async () => {
  // Q1 2023 of 海安市: three chemical hazards (one closed in the quarter, one overdue, one closed after it), one of
  // 2022 (not counted), one in 如皋市 (another region).
  const save = async (over: Partial<HazardCase>, mutate: (s: HazardState) => HazardState) => {
    const s = mutate(initialHazardState(hazardCase(over)));
    await activities.saveHazardSnapshot({ state: s, change: change('START', over.reportedAt ?? '2023-02-10T02:00:00.000Z', null, s.stage) });
  };
  const close = (when: string) => (s: HazardState): HazardState => ({ ...planned(s, '50000'), stage: 'CLOSED', acceptedAt: when, closedAt: when });
  await save({ reportedAt: '2023-01-05T02:00:00.000Z' }, close('2023-03-01T02:00:00.000Z'));
  await save({ reportedAt: '2023-02-05T02:00:00.000Z' }, (s) => planned(s, '10000.25', '2023-03-15'));
  await save({ reportedAt: '2023-03-31T15:00:00.000Z' }, close('2023-04-02T02:00:00.000Z')); // 23:00 on 31 March in China
  await save({ reportedAt: '2022-12-20T02:00:00.000Z' }, (s) => s);
  await save({ reportedAt: '2023-02-01T02:00:00.000Z', regionCode: '320682', enterpriseId: ids.otherEnterprise, sector: 'CONSTRUCTION' }, (s) => s);

  const produced = await activities.produceHazardCircular({ regionCode: '320621', year: 2023, quarter: 1 });
  expect(produced.rows).toHaveLength(12);
  const chemicals = produced.rows.find((r) => r.sector === 'HAZARDOUS_CHEMICALS');
  expect(chemicals).toEqual({ sector: 'HAZARDOUS_CHEMICALS', found: 3, rectified: 1, overdue: 1, rectificationRate: '0.3333', fundsYuan: '110000.25' });
  expect(produced.rows.find((r) => r.sector === 'CONSTRUCTION')).toMatchObject({ found: 0, rectificationRate: null, fundsYuan: '0.00' });

  const again = await activities.produceHazardCircular({ regionCode: '320621', year: 2023, quarter: 2 });
  expect(again.rows.find((r) => r.sector === 'HAZARDOUS_CHEMICALS')).toMatchObject({ found: 3, rectified: 2 });
  const repeated = await activities.produceHazardCircular({ regionCode: '320621', year: 2023, quarter: 1 });
  expect(repeated.id).toBe(produced.id);
  expect(await db.orm.em.fork().count(HazardCircular, { regionCode: '320621' })).toBe(2);
});

test('should keep the entities and the migration in step', async () => {
  const sql = await db.orm.schema.getUpdateSchemaSQL({ wrap: false });
  expect(sql.split('\n').filter((l) => /hazard|whistleblower/.test(l))).toEqual([]);
});
