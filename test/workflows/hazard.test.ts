import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { verifyAuditChain } from '../../activities/audit.js';
import { chinaDate } from '../../domain/calendar.js';
import { plusDays } from '../../domain/campaign-deadlines.js';
import {
  DEFAULT_HAZARD_PROFILE,
  hazardWorkflowId,
  whistleblowerWorkflowId,
  type Actor,
  type HazardCase,
  type HazardGrade,
  type HazardSource,
  type HazardState,
  type WhistleblowerReport,
  type WhistleblowerState,
} from '../../domain/hazard.js';
import { Enterprise, Hazard, Notification, WhistleblowerReportRow } from '../../schema/entities/index.js';
import * as m from '../../workflows/hazard/messages.js';
import { insertCampaignWorld, type CampaignWorld } from '../helpers/campaign-world.js';
import { workflowWorld } from '../helpers/workflow-world.js';

// Hazards to closure (003 §三) on a time-skipping server: the five must-haves, reminders and the three overdue
// notices climbing 城东镇 → 海安市 → 南通市 → 江苏省, extensions, acceptance, listed supervision, the advice; and a
// whistleblower report that becomes a hazard.
const world = workflowWorld();
let places: CampaignWorld;
let enterpriseId: string;

const HAIAN = '320621';
const CD = '320621101'; // 城东镇
const OFFICES = ['海安市安全生产委员会办公室', '南通市安全生产委员会办公室', '江苏省安全生产委员会办公室'];

beforeEach(async () => {
  const em = world.db.orm.em.fork();
  places = await insertCampaignWorld(em);
  const enterprise = em.create(Enterprise, { name: '海安华达化工有限公司', sector: 'HAZARDOUS_CHEMICALS', homeRegion: places.regions.chengdong });
  await em.flush();
  enterpriseId = enterprise.id;
});

// ---- who acts ----
const enterprise = (): Actor => ({ id: 'huada', name: '华达化工 安全主管 刘某', grants: [{ role: 'ENTERPRISE_CONTACT', enterpriseId }] });
const emergency = (): Actor => ({ id: 'ha-emergency', name: '海安市应急管理局 陈科长', grants: [{ role: 'DEPARTMENT_OFFICIAL', regionCode: HAIAN, departmentId: places.departments.emergency }] });
const housing = (): Actor => ({ id: 'ha-housing', name: '海安市住建局 朱科长', grants: [{ role: 'DEPARTMENT_OFFICIAL', regionCode: HAIAN, departmentId: places.departments.housing }] });
const office: Actor = { id: 'ha-office', name: '海安市安委办 顾主任', grants: [{ role: 'SAFETY_OFFICE', regionCode: HAIAN }] };
const nantongOffice: Actor = { id: 'nantong-office', name: '南通市安委办 孙某', grants: [{ role: 'SAFETY_OFFICE', regionCode: '320600' }] };
const townOfficial: Actor = { id: 'chengdong-town', name: '城东镇 安监办 王某', grants: [{ role: 'TOWN_OFFICIAL', regionCode: CD }] };

const nowMs = async (): Promise<number> => Number(await world.env.currentTimeMs());
const todayInChina = async (): Promise<string> => chinaDate(new Date(await nowMs()));

function hazardCase(grade: HazardGrade = 'MAJOR', source: HazardSource = 'SELF_REPORT'): HazardCase {
  return {
    hazardId: randomUUID(),
    enterpriseId,
    enterpriseName: '海安华达化工有限公司',
    sector: 'HAZARDOUS_CHEMICALS',
    grade,
    source,
    regionCode: CD,
    upperRegionCodes: [HAIAN, '320600', '320000'],
    upperOfficeNames: OFFICES,
    supervisingDepartmentId: places.departments.emergency,
    supervisingDepartmentName: '海安市应急管理局',
    judgementBasis: '《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》第十条',
    description: '液化烃储罐区未设置紧急切断装置',
    evidence: '现场照片3张，检查记录1份',
    reportedAt: new Date(Date.now()).toISOString(),
    reportedBy: '华达化工 安全主管 刘某',
    earlierPenalties: 0,
    profile: DEFAULT_HAZARD_PROFILE,
  };
}

function enter(taskQueue: string, c: HazardCase): Promise<WorkflowHandle> {
  const input: m.HazardWorkflowInput = { case: c };
  return world.env.client.workflow.start('hazardWorkflow', { taskQueue, workflowId: hazardWorkflowId(c.hazardId), args: [input] });
}

const stateOf = (handle: WorkflowHandle): Promise<HazardState> => handle.query(m.hazardStateQuery);
const rowOf = (id: string): Promise<Hazard> => world.db.orm.em.fork().findOneOrFail(Hazard, id);
const noticesOf = async (hazardId: string) =>
  (await world.db.orm.em.fork().find(Notification, { subjectId: hazardId }, { orderBy: { createdAt: 'asc', key: 'asc' } })).map((n) => ({ kind: n.kind, recipient: n.recipient, key: n.key.split('/')[2]! }));

async function refusal(call: Promise<unknown>): Promise<{ type?: string; message?: string }> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (error as WorkflowUpdateFailedError).cause as { type?: string; message?: string };
  return { type: cause?.type, message: cause?.message };
}

async function plan(handle: WorkflowHandle, deadlineOn: string, actor: Actor = enterprise()) {
  return handle.executeUpdate(m.planRectificationUpdate, {
    args: [{ actor, input: { responsiblePerson: '刘某（安全主管）', measures: '加装紧急切断阀并联锁', funds: '120000.00', deadlineOn, emergencyPlan: '储罐区泄漏专项应急预案' } }],
  });
}

async function recordHistory(name: string, workflowId: string): Promise<void> {
  if (!process.env.BIHUAN_RECORD_HISTORIES) return;
  await mkdir('test/workflows/histories', { recursive: true });
  const history = await world.env.client.workflow.getHandle(workflowId).fetchHistory();
  await writeFile(`test/workflows/histories/${name}-${process.env.BIHUAN_RECORD_HISTORIES}.json`, historyToJSON(history));
}

test('should take a self-reported major hazard from its plan through rectification and acceptance to closure, advising no administrative penalty', async () => {
  await world.withWorker('hazard-lifecycle', async (taskQueue) => {
    const c = hazardCase();
    const handle = await enter(taskQueue, c);
    expect((await stateOf(handle)).stage).toBe('REPORTED');

    // A plan without one of the five must-haves is refused, naming the field (003 §三.(二)).
    const missing = await refusal(
      handle.executeUpdate(m.planRectificationUpdate, { args: [{ actor: enterprise(), input: { responsiblePerson: '刘某', measures: ' ', funds: '1000', deadlineOn: plusDays(await todayInChina(), 30), emergencyPlan: '预案' } }] }),
    );
    expect(missing).toMatchObject({ type: 'BAD_USER_INPUT', message: expect.stringContaining('measures') });
    const past = await refusal(plan(handle, await todayInChina()));
    expect(past).toMatchObject({ type: 'BAD_USER_INPUT', message: expect.stringContaining('deadlineOn') });

    const planned = await plan(handle, plusDays(await todayInChina(), 30));
    expect(planned.stage).toBe('RECTIFYING');
    // The read model holds the change before the update answers.
    expect(await rowOf(c.hazardId)).toMatchObject({ stage: 'RECTIFYING', fundsYuan: '120000.00', advice: 'NO_PENALTY', revision: planned.revision });

    await world.env.sleep('10 days');
    await handle.executeUpdate(m.submitForAcceptanceUpdate, { args: [{ actor: enterprise(), input: { evidence: '紧急切断阀安装验收记录' } }] });
    const accepted = await handle.executeUpdate(m.acceptRectificationUpdate, { args: [{ actor: emergency(), input: { evidence: '现场复核通过' } }] });
    expect(accepted.stage).toBe('CLOSED');

    const state = await stateOf(handle);
    expect(state).toMatchObject({ stage: 'CLOSED', overdue: false, overdueNotices: 0 });
    const row = await rowOf(c.hazardId);
    expect(row).toMatchObject({ stage: 'CLOSED', advice: 'NO_PENALTY', overdue: false });
    expect(row.adviceReason).toContain('不予行政处罚');
    expect(row.closedAt).toBeInstanceOf(Date);
    // The one reminder seven days ahead never fired: the rectification was done long before.
    expect(await noticesOf(c.hazardId)).toEqual([]);

    // The official decides on the advice; the decision is stored with the advice it was given, and the workflow ends.
    await handle.executeUpdate(m.recordEnforcementDecisionUpdate, { args: [{ actor: emergency(), input: { decision: 'NO_PENALTY', reason: '企业自查自报并按期整改' } }] });
    const final = (await handle.result()) as HazardState;
    expect(final.decision).toMatchObject({ decision: 'NO_PENALTY', advice: 'NO_PENALTY' });
    expect((await rowOf(c.hazardId)).decision).toMatchObject({ decision: 'NO_PENALTY', advice: 'NO_PENALTY' });
    expect(await verifyAuditChain(world.db.orm.em.fork(), world.db.auditKey, 'all')).toMatchObject({ ok: true });
    await recordHistory('hazard-lifecycle', hazardWorkflowId(c.hazardId));
  });
});

test('should send the first, second and third overdue notices each one level further up the region tree', async () => {
  await world.withWorker('hazard-overdue', async (taskQueue) => {
    const c = hazardCase('MAJOR', 'INSPECTION');
    const handle = await enter(taskQueue, c);
    const deadlineOn = plusDays(await todayInChina(), 10);
    await plan(handle, deadlineOn);

    await world.env.sleep('5 days'); // seven days before: a reminder to the enterprise and the department
    expect((await noticesOf(c.hazardId)).map((n) => [n.kind, n.recipient])).toEqual([
      ['REMINDER', '海安华达化工有限公司'],
      ['REMINDER', '海安市应急管理局'],
    ]);

    await world.env.sleep('7 days'); // the deadline's day has ended: the first notice, to the county's office
    let state = await stateOf(handle);
    expect(state).toMatchObject({ overdue: true, overdueNotices: 1 });
    expect((await rowOf(c.hazardId)).overdue).toBe(true);
    await world.env.sleep('7 days'); // the second, to the city's
    await world.env.sleep('7 days'); // the third, to the province's
    state = await stateOf(handle);
    expect(state).toMatchObject({ stage: 'RECTIFYING', overdue: true, overdueNotices: 3 });

    const overdue = (await noticesOf(c.hazardId)).filter((n) => n.kind !== 'REMINDER');
    expect(overdue.map((n) => [n.kind, n.recipient, n.key])).toEqual([
      ['OVERDUE', OFFICES[0], `overdue-1@${deadlineOn}`],
      ['ESCALATION', OFFICES[1], `overdue-2@${deadlineOn}`],
      ['ESCALATION', OFFICES[2], `overdue-3@${deadlineOn}`],
    ]);
    const messages = await world.db.orm.em.fork().find(Notification, { subjectId: c.hazardId, kind: { $ne: 'REMINDER' } }, { orderBy: { createdAt: 'asc' } });
    expect(messages.map((n) => n.message.slice(0, n.message.indexOf('】') + 1))).toEqual(['【隐患整改逾期第一次通报】', '【隐患整改逾期第二次通报】', '【隐患整改逾期第三次通报】']);

    // Left in place after the third notice: penalise both (003 §三.(三)2.(1)②).
    const row = await rowOf(c.hazardId);
    expect(row).toMatchObject({ overdueNotices: 3, advice: 'PENALISE_BOTH' });
    await recordHistory('hazard-overdue', hazardWorkflowId(c.hazardId));
  });
});

test('should move the deadline and its notices when an extension is approved', async () => {
  await world.withWorker('hazard-extension', async (taskQueue) => {
    const c = hazardCase();
    const handle = await enter(taskQueue, c);
    const today = await todayInChina();
    const first = plusDays(today, 10);
    const moved = plusDays(today, 40);
    await plan(handle, first);

    // Only the enterprise asks; the untilOn must lie after the deadline in force.
    expect(await refusal(handle.executeUpdate(m.requestHazardExtensionUpdate, { args: [{ actor: emergency(), input: { untilOn: moved, reason: '设备到货延迟' } }] }))).toMatchObject({ type: 'FORBIDDEN' });
    expect(await refusal(handle.executeUpdate(m.requestHazardExtensionUpdate, { args: [{ actor: enterprise(), input: { untilOn: first, reason: '设备到货延迟' } }] }))).toMatchObject({
      type: 'BAD_USER_INPUT',
      message: expect.stringContaining('untilOn'),
    });
    await handle.executeUpdate(m.requestHazardExtensionUpdate, { args: [{ actor: enterprise(), input: { untilOn: moved, reason: '紧急切断阀需定制，到货延迟' } }] });
    // One at a time.
    expect(await refusal(handle.executeUpdate(m.requestHazardExtensionUpdate, { args: [{ actor: enterprise(), input: { untilOn: plusDays(today, 50), reason: '再延' } }] }))).toMatchObject({
      type: 'INVALID_TRANSITION',
    });
    // The supervising department decides; another department may not.
    expect(await refusal(handle.executeUpdate(m.decideHazardExtensionUpdate, { args: [{ actor: housing(), input: { extensionId: 'E1', approved: true, reason: '同意' } }] }))).toMatchObject({ type: 'FORBIDDEN' });
    await handle.executeUpdate(m.decideHazardExtensionUpdate, { args: [{ actor: emergency(), input: { extensionId: 'E1', approved: true, reason: '理由充分，同意延期' } }] });
    expect(await stateOf(handle)).toMatchObject({ deadlineOn: moved, extensions: [{ id: 'E1', decision: { approved: true } }] });
    expect(await rowOf(c.hazardId)).toMatchObject({ deadlineOn: moved });

    await world.env.sleep('12 days'); // past the old deadline: nothing is overdue
    expect(await stateOf(handle)).toMatchObject({ overdue: false, overdueNotices: 0 });
    expect((await noticesOf(c.hazardId)).filter((n) => n.kind !== 'REMINDER')).toEqual([]);

    await world.env.sleep('30 days'); // past the new one: the first notice, keyed to the new deadline
    expect(await stateOf(handle)).toMatchObject({ overdue: true, overdueNotices: 1 });
    const notices = await noticesOf(c.hazardId);
    expect(notices.filter((n) => n.kind !== 'REMINDER').map((n) => [n.recipient, n.key])).toEqual([[OFFICES[0], `overdue-1@${moved}`]]);
    expect(notices.filter((n) => n.kind === 'REMINDER').every((n) => n.key.endsWith(`@${moved}`))).toBe(true);
  });
});

test('should send a refused acceptance back to rectification, and accept it when submitted again', async () => {
  await world.withWorker('hazard-refused', async (taskQueue) => {
    const c = hazardCase();
    const handle = await enter(taskQueue, c);
    await plan(handle, plusDays(await todayInChina(), 30));
    await handle.executeUpdate(m.submitForAcceptanceUpdate, { args: [{ actor: enterprise(), input: { evidence: '整改照片' } }] });
    // Only the supervising department accepts or refuses.
    expect(await refusal(handle.executeUpdate(m.acceptRectificationUpdate, { args: [{ actor: enterprise(), input: { evidence: '自己验收' } }] }))).toMatchObject({ type: 'FORBIDDEN' });
    const refused = await handle.executeUpdate(m.refuseAcceptanceUpdate, { args: [{ actor: emergency(), input: { reason: '联锁未投用' } }] });
    expect(refused.stage).toBe('RECTIFYING');
    expect((await stateOf(handle)).submissions).toMatchObject([{ evidence: '整改照片', refused: { reason: '联锁未投用' } }]);
    expect(await rowOf(c.hazardId)).toMatchObject({ stage: 'RECTIFYING', submissions: [{ refused: { reason: '联锁未投用' } }] });
    // Accepting in RECTIFYING is not a transition.
    expect(await refusal(handle.executeUpdate(m.acceptRectificationUpdate, { args: [{ actor: emergency(), input: { evidence: '复核' } }] }))).toMatchObject({ type: 'INVALID_TRANSITION' });

    await handle.executeUpdate(m.submitForAcceptanceUpdate, { args: [{ actor: enterprise(), input: { evidence: '联锁投用记录' } }] });
    expect((await handle.executeUpdate(m.acceptRectificationUpdate, { args: [{ actor: emergency(), input: { evidence: '复核通过' } }] })).stage).toBe('CLOSED');
  });
});

test('should keep a hazard under listed supervision open after acceptance until the listing office lifts it', async () => {
  await world.withWorker('hazard-supervision', async (taskQueue) => {
    const c = hazardCase();
    const handle = await enter(taskQueue, c);
    const today = await todayInChina();
    // A town is below the hazard's supervising levels; the city lists at its own level only.
    expect(
      await refusal(handle.executeUpdate(m.listSupervisionUpdate, { args: [{ actor: townOfficial, input: { regionCode: CD, officeName: '城东镇', documentNo: '城安〔2025〕1号', listedOn: today } }] })),
    ).toMatchObject({ type: 'FORBIDDEN' });
    await handle.executeUpdate(m.listSupervisionUpdate, {
      args: [{ actor: office, input: { regionCode: HAIAN, officeName: OFFICES[0], documentNo: '海安委办〔2025〕12号', listedOn: today } }],
    });
    await handle.executeUpdate(m.recordSupervisionReceiptUpdate, { args: [{ actor: enterprise(), input: { signedBy: '华达化工 总经理 赵某', receivedOn: today } }] });
    expect(await rowOf(c.hazardId)).toMatchObject({ supervised: true, supervision: { documentNo: '海安委办〔2025〕12号', receipt: { signedBy: '华达化工 总经理 赵某' } } });

    await plan(handle, plusDays(today, 30));
    // Lifting before acceptance is refused.
    expect(await refusal(handle.executeUpdate(m.liftSupervisionUpdate, { args: [{ actor: office, input: {} }] }))).toMatchObject({ type: 'INVALID_TRANSITION' });
    await handle.executeUpdate(m.submitForAcceptanceUpdate, { args: [{ actor: enterprise(), input: { evidence: '整改完成' } }] });
    const accepted = await handle.executeUpdate(m.acceptRectificationUpdate, { args: [{ actor: emergency(), input: { evidence: '验收合格' } }] });
    expect(accepted.stage).toBe('ACCEPTANCE');
    expect(await rowOf(c.hazardId)).toMatchObject({ stage: 'ACCEPTANCE', supervised: true });

    // Only the office that listed it lifts it.
    expect(await refusal(handle.executeUpdate(m.liftSupervisionUpdate, { args: [{ actor: nantongOffice, input: {} }] }))).toMatchObject({ type: 'FORBIDDEN' });
    const lifted = await handle.executeUpdate(m.liftSupervisionUpdate, { args: [{ actor: office, input: {} }] });
    expect(lifted.stage).toBe('CLOSED');
    expect(await rowOf(c.hazardId)).toMatchObject({ stage: 'CLOSED', supervised: false });
    await recordHistory('hazard-supervision', hazardWorkflowId(c.hazardId));
  });
});

test('should refuse an actor without the role with FORBIDDEN when Temporal is called directly', async () => {
  await world.withWorker('hazard-forbidden', async (taskQueue) => {
    const c = hazardCase();
    const handle = await enter(taskQueue, c);
    const other: Actor = { id: 'other', name: '别家企业 安全员', grants: [{ role: 'ENTERPRISE_CONTACT', enterpriseId: randomUUID() }] };
    for (const actor of [other, housing(), townOfficial, { id: 'nobody', name: '无角色' } as Actor]) {
      expect(await refusal(plan(handle, plusDays(await todayInChina(), 30), actor))).toMatchObject({ type: 'FORBIDDEN' });
    }
    expect(await refusal(handle.executeUpdate(m.markSuspectedCrimeUpdate, { args: [{ actor: emergency(), input: { reason: '伪造记录' } }] }))).toMatchObject({ type: 'FORBIDDEN' });
    // Nothing reached the history or the read model.
    expect(await stateOf(handle)).toMatchObject({ stage: 'REPORTED', revision: 1 });
    expect(await rowOf(c.hazardId)).toMatchObject({ stage: 'REPORTED', revision: 1 });
  });
});

test('should take a whistleblower report through dispatch and verification into a hazard, reward and close it', async () => {
  await world.withWorker('whistleblower', async (taskQueue) => {
    const c = hazardCase('MAJOR', 'WHISTLEBLOWER');
    await enter(taskQueue, c);
    const reportId = randomUUID();
    const report: WhistleblowerReport = {
      reportId,
      receiptHash: 'a'.repeat(64),
      regionCode: CD,
      handlingRegionCode: HAIAN,
      handlingOfficeName: OFFICES[0]!,
      sector: 'HAZARDOUS_CHEMICALS',
      enterpriseName: '海安华达化工有限公司',
      description: '储罐区夜间无人值守，切断阀长期损坏',
      reporter: { name: '匿名职工', contact: '13800000000' },
      receivedAt: new Date(await nowMs()).toISOString(),
    };
    const handle = await world.env.client.workflow.start('whistleblowerReportWorkflow', { taskQueue, workflowId: whistleblowerWorkflowId(reportId), args: [{ report }] });
    const read = () => world.db.orm.em.fork().findOneOrFail(WhistleblowerReportRow, reportId);
    expect(await handle.query(m.whistleblowerStateQuery)).toMatchObject({ stage: 'RECEIVED', revision: 1 });

    // The handling office dispatches; a department may not.
    expect(
      await refusal(handle.executeUpdate(m.dispatchReportUpdate, { args: [{ actor: emergency(), input: { departmentId: places.departments.emergency, departmentName: '海安市应急管理局' } }] })),
    ).toMatchObject({ type: 'FORBIDDEN' });
    await handle.executeUpdate(m.dispatchReportUpdate, { args: [{ actor: office, input: { departmentId: places.departments.emergency, departmentName: '海安市应急管理局' } }] });
    expect(await read()).toMatchObject({ stage: 'DISPATCHED', dispatchedDepartmentId: places.departments.emergency });

    // The department it went to verifies; a hazard outcome names the hazard.
    expect(
      await refusal(handle.executeUpdate(m.recordVerificationUpdate, { args: [{ actor: emergency(), input: { outcome: 'HAZARD', findings: '属实' } }] })),
    ).toMatchObject({ type: 'BAD_USER_INPUT', message: expect.stringContaining('hazardId') });
    await handle.executeUpdate(m.recordVerificationUpdate, { args: [{ actor: emergency(), input: { outcome: 'HAZARD', findings: '经核查属实，已录入隐患台账', hazardId: c.hazardId } }] });
    const verified = await read();
    expect(verified.stage).toBe('VERIFIED');
    expect(verified.hazard?.id).toBe(c.hazardId);

    await handle.executeUpdate(m.recordRewardUpdate, { args: [{ actor: office, input: { amountYuan: '2000', note: '举报属实，按规定奖励' } }] });
    await handle.executeUpdate(m.closeReportUpdate, { args: [{ actor: office, input: {} }] });
    const final = (await handle.result()) as WhistleblowerState;
    expect(final).toMatchObject({ stage: 'CLOSED', reward: { amountYuan: '2000' }, verification: { outcome: 'HAZARD', hazardId: c.hazardId } });
    expect(await read()).toMatchObject({ stage: 'CLOSED', reward: { amountYuan: '2000' } });
    expect(await verifyAuditChain(world.db.orm.em.fork(), world.db.auditKey, 'all')).toMatchObject({ ok: true });
    await recordHistory('whistleblower-report', whistleblowerWorkflowId(reportId));
  });
});
