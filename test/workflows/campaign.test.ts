import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { verifyAuditChain } from '../../activities/audit.js';
import { addMonths, chinaDate, chinaMidnight } from '../../domain/calendar.js';
import {
  applyCampaignAction,
  campaignWorkflowId,
  checkCampaignAction,
  initialCampaignState,
  lookBackWorkflowId,
  plusDays,
  sectorWorkflowId,
  townWorkflowId,
  type Actor,
  type CampaignAction,
  type CampaignCase,
  type CampaignKind,
  type CampaignState,
  type Grade,
} from '../../domain/campaign.js';
import { campaignProfileFor } from '../../domain/rule-profiles.js';
import { EMPTY_CALENDAR, type CalendarYear, type WorkingCalendar } from '../../domain/working-days.js';
import { createWorker } from '../../infra/temporal.js';
import { AuditEntry, Campaign, CampaignExtension, CampaignGrade, CampaignLookBack, CampaignSector, CampaignTown, Notification } from '../../schema/entities/index.js';
import * as m from '../../workflows/campaign/messages.js';
import { DUE_AT, OVERDUE, REGION_CODE, STAGE } from '../../workflows/search-attributes.js';
import { insertCampaignWorld, type CampaignWorld } from '../helpers/campaign-world.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { createTimeSkippingEnv, installTestRuntime, workflowBundle } from '../helpers/temporal.js';

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let world: CampaignWorld;
const bundle = workflowBundle();

beforeAll(() => installTestRuntime());

// One time-skipping server per test (time skipping is global to it), and a database holding 海安市, its towns
// 城东镇, 南莫镇 and 雅周镇, and its departments.
beforeEach(async () => {
  [env, db] = await Promise.all([createTimeSkippingEnv(), createTestDatabase()]);
  world = await insertCampaignWorld(db.orm.em.fork());
});

afterEach(async () => {
  await env?.teardown();
  await db?.drop();
});

// ---- who acts: each official carries the grants the workflow checks again ----

const HAIAN = '320621';
const CD = '320621101'; // 城东镇
const NM = '320621102'; // 南莫镇
const YZ = '320621103'; // 雅周镇

const office: Actor = { id: 'ha-office', name: '海安市安委办 顾主任', grants: [{ role: 'SAFETY_OFFICE', regionCode: HAIAN }] };
const leader: Actor = { id: 'ha-leader', name: '海安市分管副市长 许某', grants: [{ role: 'LEADER_IN_CHARGE', regionCode: HAIAN }] };
const dept = (id: string, name: string, departmentId: string): Actor => ({ id, name, grants: [{ role: 'DEPARTMENT_OFFICIAL', regionCode: HAIAN, departmentId }] });
const townOfficial = (code: string): Actor => ({ id: `town-${code}`, name: `${code} 安监办`, grants: [{ role: 'TOWN_OFFICIAL', regionCode: code }] });
const townLeader = (code: string): Actor => ({ id: `leader-${code}`, name: `${code} 分管副镇长`, grants: [{ role: 'LEADER_IN_CHARGE', regionCode: code }] });
const emergency = (): Actor => dept('ha-emergency', '海安市应急管理局 陈科长', world.departments.emergency);
const housing = (): Actor => dept('ha-housing', '海安市住建局 朱科长', world.departments.housing);

// ---- the campaign, as the API registers it ----

const nowMs = async (): Promise<number> => Number(await env.currentTimeMs());
const todayInChina = async (): Promise<string> => chinaDate(new Date(await nowMs()));

/** 海安市's campaign: hazardous chemicals (应急管理局) over 城东镇 and 南莫镇, construction (住建局) over 南莫镇 and 雅周镇. */
function haianCampaign(kind: CampaignKind, name: string, startsOn: string, endsOn: string): CampaignCase {
  const { regions: r, departments: d } = world;
  return {
    campaignId: randomUUID(),
    name,
    kind,
    startsOn,
    endsOn,
    districtRegionId: r.haian,
    districtRegionCode: HAIAN,
    districtName: '海安市',
    officeName: '海安市安全生产委员会办公室',
    sectors: [
      { sector: 'HAZARDOUS_CHEMICALS', leadDepartmentId: d.emergency, leadDepartmentName: '海安市应急管理局', townCodes: [CD, NM] },
      { sector: 'CONSTRUCTION', leadDepartmentId: d.housing, leadDepartmentName: '海安市住房和城乡建设局', townCodes: [NM, YZ] },
    ],
    towns: [
      { regionId: r.chengdong, regionCode: CD, name: '城东镇' },
      { regionId: r.nanmo, regionCode: NM, name: '南莫镇' },
      { regionId: r.yazhou, regionCode: YZ, name: '雅周镇' },
    ],
    dimensions: ['TARGET_TASKS', 'HAZARD_RECTIFICATION', 'LONG_TERM_MECHANISMS', 'ACCIDENTS'],
    profile: campaignProfileFor(HAIAN, endsOn),
  };
}

/** A campaign of `months` months that ends `endsInDays` days from today (China). */
async function campaignEnding(kind: CampaignKind, name: string, months: number, endsInDays: number): Promise<CampaignCase> {
  const endsOn = plusDays(await todayInChina(), endsInDays);
  const startsOn = plusDays(chinaDate(addMonths(chinaMidnight(endsOn), -months)), 1);
  return haianCampaign(kind, name, startsOn, endsOn);
}

async function register(taskQueue: string, c: CampaignCase, calendar: WorkingCalendar = EMPTY_CALENDAR): Promise<WorkflowHandle> {
  const input: m.CampaignWorkflowInput = { case: c, calendar };
  return env.client.workflow.start('campaignWorkflow', { taskQueue, workflowId: campaignWorkflowId(c.campaignId), args: [input] });
}

const stateOf = (handle: WorkflowHandle): Promise<CampaignState> => handle.query(m.campaignStateQuery);

/** Children report to the campaign by signal, after their own update answered: wait until the campaign shows it. */
async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  let value = await read();
  // Up to 30 s: on a loaded machine a child's signal reaches a campaign that is continuing as new a while later.
  for (let i = 0; i < 600 && !ok(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  if (!ok(value)) throw new Error(`timed out waiting until ${what}`);
  return value;
}

const row = (id: string): Promise<Campaign> => db.orm.em.fork().findOneOrFail(Campaign, id);

async function refusal(call: Promise<unknown>): Promise<{ type?: string; message?: string }> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (error as WorkflowUpdateFailedError).cause as { type?: string; message?: string };
  return { type: cause?.type, message: cause?.message };
}

// ---- the officials' steps ----

const preparation = {
  schedule: '结束后10日内制定方案，30日内完成基层自评，其后30日内完成行业复评',
  scope: '城东镇、南莫镇、雅周镇的危险化学品和建筑施工领域',
  duties: '应急管理局、住建局牵头，分别负责本行业领域复评',
  leadingGroup: [
    { name: '陈某', unit: '海安市应急管理局', expert: false },
    { name: '朱某', unit: '海安市住房和城乡建设局', expert: false },
    { name: '刘教授', unit: '南京工业大学', expert: true },
  ],
};

const selfEvaluation = (town: string) => ({
  report: `${town}安全生产专项整治自评报告`,
  targetTasks: ['化工企业自动化改造全部完成', '建筑工地视频监控全覆盖'],
  hazardRectifications: ['排查隐患126项，整改126项'],
  typicalPractices: ['“网格员+专家”联合巡查'],
});

const GRADES: Record<'HAZARDOUS_CHEMICALS' | 'CONSTRUCTION', { townCode: string; grade: Grade }[]> = {
  HAZARDOUS_CHEMICALS: [
    { townCode: CD, grade: 'EXCELLENT' },
    { townCode: NM, grade: 'POOR' },
  ],
  CONSTRUCTION: [
    { townCode: NM, grade: 'GOOD' },
    { townCode: YZ, grade: 'FAIR' },
  ],
};

const review = (sector: 'HAZARDOUS_CHEMICALS' | 'CONSTRUCTION') => ({
  overall: `${sector === 'HAZARDOUS_CHEMICALS' ? '危险化学品' : '建筑施工'}领域专项整治复评总体报告`,
  subReports: GRADES[sector].map((g) => ({ unit: g.townCode, text: `${g.townCode}子项报告：典型经验、存在问题与改进建议` })),
  townGrades: GRADES[sector],
});

const assessment = {
  overall: '全市专项整治综合评议报告',
  subReports: [
    { unit: 'HAZARDOUS_CHEMICALS', text: '危险化学品领域综合评议' },
    { unit: 'CONSTRUCTION', text: '建筑施工领域综合评议' },
  ],
  sectorGrades: [
    { sector: 'HAZARDOUS_CHEMICALS' as const, grade: 'EXCELLENT' as const },
    { sector: 'CONSTRUCTION' as const, grade: 'POOR' as const },
  ],
};

/** Preparation, every town's self-evaluation and every sector's review: the campaign reaches its assessment. */
async function driveToAssessment(handle: WorkflowHandle, c: CampaignCase): Promise<CampaignState> {
  const prepared = await handle.executeUpdate(m.submitPreparationUpdate, { args: [{ actor: office, input: preparation }] });
  expect(prepared.stage).toBe('SELF_EVALUATION');

  for (const town of c.towns) {
    const child = env.client.workflow.getHandle(townWorkflowId(c.campaignId, town.regionCode));
    await child.executeUpdate(m.submitTownSelfEvaluationUpdate, { args: [{ actor: townOfficial(town.regionCode), input: selfEvaluation(town.name) }] });
    if (town.regionCode === CD) {
      // 002 §9(三): the leader in charge checks it first; a return sends it back to the town.
      await child.executeUpdate(m.returnTownSelfEvaluationUpdate, { args: [{ actor: townLeader(CD), input: { reason: '问题隐患清单缺整改时限' } }] });
      await child.executeUpdate(m.submitTownSelfEvaluationUpdate, { args: [{ actor: townOfficial(CD), input: selfEvaluation(town.name) }] });
    }
    const approved = await child.executeUpdate(m.approveTownSelfEvaluationUpdate, { args: [{ actor: townLeader(town.regionCode), input: {} }] });
    expect(approved.stage).toBe('APPROVED');
  }
  await until(() => stateOf(handle), (s) => s.stage === 'SECTOR_REVIEW', 'every town is approved');

  for (const [sector, lead] of [
    ['HAZARDOUS_CHEMICALS', emergency()],
    ['CONSTRUCTION', housing()],
  ] as const) {
    const child = env.client.workflow.getHandle(sectorWorkflowId(c.campaignId, sector));
    const today = await todayInChina();
    await child.executeUpdate(m.recordReviewMethodUpdate, { args: [{ actor: lead, input: { method: 'MEETING', on: today, summary: '召开区镇座谈会' } }] });
    await child.executeUpdate(m.recordReviewMethodUpdate, { args: [{ actor: lead, input: { method: 'LEDGER_SPOT_CHECK', on: today, summary: '抽查台账40本' } }] });
    await child.executeUpdate(m.submitSectorReviewUpdate, { args: [{ actor: lead, input: review(sector) }] });
    if (sector === 'HAZARDOUS_CHEMICALS') {
      await child.executeUpdate(m.returnSectorReviewUpdate, { args: [{ actor: leader, input: { reason: '南莫镇子项报告未列明改进对策' } }] });
      await child.executeUpdate(m.submitSectorReviewUpdate, { args: [{ actor: lead, input: review(sector) }] });
    }
    await child.executeUpdate(m.approveSectorReviewUpdate, { args: [{ actor: leader, input: {} }] });
  }
  return until(() => stateOf(handle), (s) => s.stage === 'COMPREHENSIVE_ASSESSMENT' || s.stage === 'LEAD_ASSESSMENT', 'every sector is approved');
}

async function gradesOf(campaignId: string): Promise<[string, string, string, Grade, boolean, boolean][]> {
  const grades = await db.orm.em.fork().find(CampaignGrade, { campaign: campaignId }, { orderBy: { unitKind: 'desc', sector: 'asc', unit: 'asc' } });
  return grades.map((g) => [g.unitKind, g.unit, g.sector, g.grade, g.priority, g.veto]);
}

async function recordHistory(name: string, workflowId: string): Promise<void> {
  if (!process.env.BIHUAN_RECORD_HISTORIES) return;
  await mkdir('test/workflows/histories', { recursive: true });
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  await writeFile(`test/workflows/histories/${name}-${process.env.BIHUAN_RECORD_HISTORIES}.json`, historyToJSON(history));
}

// ---- the tests ----

test('should take a three-year campaign from its end to follow-up and close it, with a look-back four months later that resumes by itself', async () => {
  await withWorker('lifecycle', async (taskQueue) => {
    const c = await campaignEnding('THREE_YEAR', '安全生产专项整治三年行动', 36, 4);
    const handle = await register(taskQueue, c);
    expect((await stateOf(handle)).stage).toBe('WAITING_FOR_END');
    expect((await row(c.campaignId)).stage).toBe('WAITING_FOR_END');

    await env.sleep('6 days'); // the campaign's last day ends (002 §8)
    const started = await stateOf(handle);
    expect(started).toMatchObject({ stage: 'PREPARATION', fullPath: true });
    expect(started.deadlines[0]!.dueOn >= plusDays(c.endsOn, 10)).toBe(true);
    expect((await row(c.campaignId)).stage).toBe('PREPARATION');

    const atAssessment = await driveToAssessment(handle, c);
    expect(atAssessment.stage).toBe('COMPREHENSIVE_ASSESSMENT');
    // The town's self-evaluation and the sector's review are in the read model, written by their own workflows.
    const cd = await db.orm.em.fork().findOneOrFail(CampaignTown, { campaign: c.campaignId, townCode: CD });
    expect(cd).toMatchObject({ selfStage: 'APPROVED', returns: [expect.objectContaining({ reason: '问题隐患清单缺整改时限' })] });
    const hc = await db.orm.em.fork().findOneOrFail(CampaignSector, { campaign: c.campaignId, sector: 'HAZARDOUS_CHEMICALS' });
    expect(hc.reviewStage).toBe('APPROVED');
    expect(hc.methods.map((x) => x.method)).toEqual(['MEETING', 'LEDGER_SPOT_CHECK']);

    // 002 §11: the office grades the sectors; the district leader returns it once, then approves.
    await handle.executeUpdate(m.submitCampaignAssessmentUpdate, { args: [{ actor: office, input: assessment }] });
    await handle.executeUpdate(m.returnCampaignAssessmentUpdate, { args: [{ actor: leader, input: { reason: '建筑施工领域问题分析不够具体' } }] });
    await handle.executeUpdate(m.submitCampaignAssessmentUpdate, { args: [{ actor: office, input: assessment }] });
    const approved = await handle.executeUpdate(m.approveCampaignAssessmentUpdate, { args: [{ actor: leader, input: {} }] });
    expect(approved.stage).toBe('FOLLOW_UP');
    // The update answers once the read model is written.
    expect((await row(c.campaignId)).stage).toBe('FOLLOW_UP');

    // 002 §15-§16: 优 marks priority as an advanced collective, 差 the one-vote veto.
    expect(await gradesOf(c.campaignId)).toEqual([
      ['TOWN', NM, 'CONSTRUCTION', 'GOOD', false, false],
      ['TOWN', YZ, 'CONSTRUCTION', 'FAIR', false, false],
      ['TOWN', CD, 'HAZARDOUS_CHEMICALS', 'EXCELLENT', true, false],
      ['TOWN', NM, 'HAZARDOUS_CHEMICALS', 'POOR', false, true],
      ['SECTOR', 'CONSTRUCTION', 'CONSTRUCTION', 'POOR', false, true],
      ['SECTOR', 'HAZARDOUS_CHEMICALS', 'HAZARDOUS_CHEMICALS', 'EXCELLENT', true, false],
    ]);

    // 002 §12: every town's plan; a look-back for 南莫镇's major hazards four months on.
    for (const town of c.towns) {
      const input = { townCode: town.regionCode, responsibility: `${town.name}主要负责人`, measures: '对照复评问题逐项整改', deadlineOn: plusDays(await todayInChina(), 90) };
      await handle.executeUpdate(m.submitRectificationPlanUpdate, { args: [{ actor: townOfficial(town.regionCode), input }] });
    }
    const lookBackOn = plusDays(await todayInChina(), 120);
    await handle.executeUpdate(m.scheduleLookBackUpdate, {
      args: [{ actor: emergency(), input: { townCode: NM, sector: 'HAZARDOUS_CHEMICALS', reason: 'MAJOR_HAZARDS', scheduledOn: lookBackOn } }],
    });
    // Follow-up cannot close while the look-back is open.
    expect((await refusal(handle.executeUpdate(m.closeFollowUpUpdate, { args: [{ actor: office, input: {} }] }))).type).toBe('INVALID_TRANSITION');

    await env.sleep('121 days');
    await resumeLookBack(handle, c, lookBackOn);

    await handle.executeUpdate(m.recordInspectionUpdate, { args: [{ actor: office, input: { townCode: NM, on: await todayInChina(), findings: '整改台账齐全' } }] });
    const closed = await handle.executeUpdate(m.closeFollowUpUpdate, { args: [{ actor: office, input: {} }] });
    expect(closed.stage).toBe('CLOSED');
    expect((await handle.result()).stage).toBe('CLOSED');
    expect((await row(c.campaignId)).stage).toBe('CLOSED');
    const trail = await db.orm.em.fork().find(AuditEntry, { subjectId: campaignWorkflowId(c.campaignId) }, { orderBy: { revision: 'asc' } });
    expect(trail.map((a) => a.action)).toEqual(
      expect.arrayContaining(['START', 'SUBMIT_PREPARATION', 'UNIT_APPROVED', 'APPROVE_ASSESSMENT', 'SCHEDULE_LOOK_BACK', 'LOOK_BACK_RECORDED', 'CLOSE_FOLLOW_UP']),
    );
    expect(await verifyAuditChain(db.orm.em.fork(), db.auditKey, 'all')).toMatchObject({ ok: true, firstBroken: null });

    await recordHistory('campaign-lifecycle', campaignWorkflowId(c.campaignId));
    await recordHistory('campaign-town', townWorkflowId(c.campaignId, CD));
    await recordHistory('campaign-sector', sectorWorkflowId(c.campaignId, 'HAZARDOUS_CHEMICALS'));
    await recordHistory('campaign-look-back', lookBackWorkflowId(c.campaignId, 'L1'));
  });
});

/** The look-back L1 falls due (a reminder to the lead department), then its lead department records it. */
async function resumeLookBack(handle: WorkflowHandle, c: CampaignCase, lookBackOn: string): Promise<void> {
  const lookBack = env.client.workflow.getHandle(lookBackWorkflowId(c.campaignId, 'L1'));
  const due = await until(() => lookBack.query(m.lookBackStateQuery), (s) => s.stage === 'DUE', 'the look-back falls due');
  expect(due.lookBack.dueSince! >= chinaMidnight(lookBackOn).toISOString()).toBe(true);
  await until(() => stateOf(handle), (s) => Boolean(s.lookBacks[0]?.dueSince), 'the campaign knows the look-back is due');
  const notices = await db.orm.em.fork().find(Notification, { subjectId: c.campaignId, recipient: '海安市应急管理局', kind: 'REMINDER' });
  expect(notices.map((n) => n.message)).toContain(`【整改落实“回头看”】海安市应急管理局：南莫镇的“回头看”定于${lookBackOn}，请组织开展并记录结果。`);

  // Only the sector's lead department records it.
  const byHousing = lookBack.executeUpdate(m.recordLookBackUpdate, { args: [{ actor: housing(), input: { findings: '—', resolved: true } }] });
  expect((await refusal(byHousing)).type).toBe('FORBIDDEN');
  await lookBack.executeUpdate(m.recordLookBackUpdate, { args: [{ actor: emergency(), input: { findings: '储罐区重大隐患已整改到位', resolved: true } }] });
  await until(() => stateOf(handle), (s) => Boolean(s.lookBacks[0]?.recordedAt), 'the campaign knows the look-back is recorded');
  const stored = await db.orm.em.fork().findOneOrFail(CampaignLookBack, { campaign: c.campaignId, id: 'L1' });
  expect(stored).toMatchObject({ stage: 'RECORDED', resolved: true, findings: '储罐区重大隐患已整改到位' });
}

/** A campaign that ended months ago, already in follow-up with every town's plan, as its workflow holds it. */
function inFollowUp(c: CampaignCase, now: Date): CampaignState {
  const system: Actor = { id: 'system', name: 'Bihuan' };
  const step = (s: CampaignState, action: CampaignAction, actor: Actor = office): CampaignState => {
    checkCampaignAction(s, action, now);
    return applyCampaignAction(s, action, actor, now);
  };
  let s = initialCampaignState(c, EMPTY_CALENDAR, now);
  s = step(s, { type: 'SUBMIT_PREPARATION', ...preparation });
  for (const town of c.towns) s = step(s, { type: 'UNIT_APPROVED', unitKind: 'TOWN', unit: town.regionCode }, system);
  for (const sector of ['HAZARDOUS_CHEMICALS', 'CONSTRUCTION'] as const) s = step(s, { type: 'UNIT_APPROVED', unitKind: 'SECTOR', unit: sector, townGrades: GRADES[sector] }, system);
  s = step(s, { type: 'SUBMIT_ASSESSMENT', ...assessment });
  s = step(s, { type: 'APPROVE_ASSESSMENT' }, leader);
  for (const town of c.towns) {
    s = step(s, { type: 'SUBMIT_RECTIFICATION_PLAN', townCode: town.regionCode, responsibility: '区镇主要负责人', measures: '逐项整改', deadlineOn: chinaDate(now) });
  }
  expect(s.stage).toBe('FOLLOW_UP');
  return s;
}

test('should resume a sleeping look-back months later on a new worker after the first one stopped', async () => {
  const taskQueue = `restart-${randomUUID()}`;
  // No workflow cache: the time-skipping server does not re-dispatch a stopped worker's sticky queue, so the first
  // worker keeps nothing in memory, and the second rebuilds the campaign and the look-back from their histories.
  const make = (): Promise<Worker> =>
    createWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, orm: db.orm, workflowBundle: bundle, extra: { maxCachedWorkflows: 0 } });
  const now = new Date(await nowMs());
  const c = haianCampaign('THREE_YEAR', '安全生产专项整治三年行动', plusDays(chinaDate(now), -1200), plusDays(chinaDate(now), -100));
  const handle = env.client.workflow.getHandle(campaignWorkflowId(c.campaignId));
  const lookBackOn = plusDays(chinaDate(now), 120);

  const first = await make();
  await first.runUntil(async () => {
    const input: m.CampaignWorkflowInput = { case: c, calendar: EMPTY_CALENDAR, state: inFollowUp(c, now) };
    await env.client.workflow.start('campaignWorkflow', { taskQueue, workflowId: campaignWorkflowId(c.campaignId), args: [input] });
    await handle.executeUpdate(m.scheduleLookBackUpdate, {
      args: [{ actor: emergency(), input: { townCode: NM, sector: 'HAZARDOUS_CHEMICALS', reason: 'MAJOR_HAZARDS', scheduledOn: lookBackOn } }],
    });
    // Stop only once the look-back sleeps on its timer.
    const lookBack = env.client.workflow.getHandle(lookBackWorkflowId(c.campaignId, 'L1'));
    await until(() => lookBack.fetchHistory(), (h) => Boolean(h.events?.some((e) => e.timerStartedEventAttributes)), 'the look-back sleeps');
  });
  expect(first.getState()).toBe('STOPPED');

  const second = await make();
  await second.runUntil(async () => {
    await env.sleep('121 days');
    await resumeLookBack(handle, c, lookBackOn);
    const closed = await handle.executeUpdate(m.closeFollowUpUpdate, { args: [{ actor: office, input: {} }] });
    expect(closed.stage).toBe('CLOSED');
    expect((await handle.result()).lookBacks[0]).toMatchObject({ resolved: true, findings: '储罐区重大隐患已整改到位' });
  });
  expect((await row(c.campaignId)).stage).toBe('CLOSED');
});

test('should take an eight-month campaign the short path: the lead department files its own assessment and it closes (002 §13)', async () => {
  await withWorker('short', async (taskQueue) => {
    const c = await campaignEnding('SECTOR', '城镇燃气和建筑施工安全专项整治', 8, 2);
    const handle = await register(taskQueue, c);
    await env.sleep('3 days');
    const state = await driveToAssessment(handle, c);
    expect(state).toMatchObject({ stage: 'LEAD_ASSESSMENT', fullPath: false });
    expect((await row(c.campaignId)).fullPath).toBe(false);

    // No office assessment and no approval on the short path: the lead department's assessment closes it.
    expect((await refusal(handle.executeUpdate(m.submitCampaignAssessmentUpdate, { args: [{ actor: office, input: assessment }] }))).type).toBe('FORBIDDEN');
    // Operators find it by stage, district, next deadline and overdue flag (search attributes).
    const attributes = (await handle.describe()).typedSearchAttributes;
    expect([attributes.get(STAGE), attributes.get(REGION_CODE), attributes.get(OVERDUE)]).toEqual(['LEAD_ASSESSMENT', HAIAN, false]);
    expect(attributes.get(DUE_AT)?.toISOString()).toBe(state.deadlines.find((d) => d.clock === 'ASSESSMENT')!.dueAt);
    const filed = await handle.executeUpdate(m.submitCampaignAssessmentUpdate, { args: [{ actor: housing(), input: assessment }] });
    expect(filed.stage).toBe('CLOSED');
    const final = await handle.result();
    expect(final.assessment).toMatchObject({ status: 'FILED', submittedBy: '海安市住建局 朱科长' });
    expect((await row(c.campaignId)).stage).toBe('CLOSED');
    const sectorGrades = (await gradesOf(c.campaignId)).filter((g) => g[0] === 'SECTOR');
    expect(sectorGrades).toEqual([
      ['SECTOR', 'CONSTRUCTION', 'CONSTRUCTION', 'POOR', false, true],
      ['SECTOR', 'HAZARDOUS_CHEMICALS', 'HAZARDOUS_CHEMICALS', 'EXCELLENT', true, false],
    ]);
  });
});

/**
 * Next year's notice as an office loads it, in the shape of the Spring Festival arrangement: nine days off from a
 * Friday `F` (F … F+8), and the Sunday F+9 and the Saturday F+15 made working days (调休). Built from the test
 * server's clock, so the test holds whatever year it runs in.
 */
function springFestival(year: number): { calendar: CalendarYear; friday: string } {
  let friday = `${year}-02-05`;
  while (new Date(`${friday}T00:00:00Z`).getUTCDay() !== 5) friday = plusDays(friday, 1);
  return {
    friday,
    calendar: {
      year,
      source: 'LOADED',
      notice: `国务院办公厅关于${year}年部分节假日安排的通知`,
      holidays: Array.from({ length: 9 }, (_, i) => plusDays(friday, i)),
      workdays: [plusDays(friday, 9), plusDays(friday, 15)],
    },
  };
}

test('should make next year\'s provisional deadlines final when its calendar is loaded, and take an extension 7 working days ahead but not 6 (002 §10(五))', async () => {
  await withWorker('extension', async (taskQueue) => {
    const year = Number((await todayInChina()).slice(0, 4)) + 1;
    const { calendar, friday: F } = springFestival(year);
    const at = (days: number) => plusDays(F, days);
    // A's self-evaluation is due on the make-up Saturday F+15, B's on the Friday before it (F+14). On F-1, the last
    // working day before the festival, A's is 7 working days away (F+9, F+10 … F+14, F+15) and B's only 6.
    const a = haianCampaign('DISTRICT_WIDE', '危险化学品安全专项整治（甲）', `${year - 2}-01-01`, at(-15));
    const b = haianCampaign('DISTRICT_WIDE', '危险化学品安全专项整治（乙）', `${year - 2}-01-01`, at(-16));
    const handleA = await register(taskQueue, a);
    const handleB = await register(taskQueue, b);

    // With no calendar for that year, weekends are the only days off: A's last day rolls from Saturday to Monday.
    const self = (s: CampaignState) => s.deadlines.find((d) => d.clock === 'SELF_EVALUATION')!;
    expect(self(await stateOf(handleA))).toMatchObject({ dueOn: at(17), provisional: true });
    expect(self(await stateOf(handleB))).toMatchObject({ dueOn: at(14), provisional: true });

    // The office loads the year (the admin mutation signals every running campaign).
    for (const handle of [handleA, handleB]) await handle.signal(m.calendarLoadedSignal, { calendar: { years: [calendar] } });
    const loadedA = await until(() => stateOf(handleA), (s) => !self(s).provisional, 'A has the calendar');
    expect(self(loadedA)).toMatchObject({ dueOn: at(15), provisional: false }); // the make-up Saturday is a working day
    expect(self(await until(() => stateOf(handleB), (s) => !self(s).provisional, 'B has the calendar'))).toMatchObject({ dueOn: at(14), provisional: false });
    const deadlinesA = await until(() => row(a.campaignId), (r) => r.deadlines.some((d) => d.clock === 'SELF_EVALUATION' && !d.provisional), 'the read model has the calendar');
    expect(deadlinesA.deadlines.find((d) => d.clock === 'SELF_EVALUATION')).toMatchObject({ dueOn: at(15), provisional: false });

    // F-1, 10:00 in China. Nobody filed A's plan: its preparation is overdue, and the office was told.
    await env.sleep(chinaMidnight(at(-1)).getTime() + 10 * 3_600_000 - (await nowMs()));
    const overdueA = await row(a.campaignId);
    expect(overdueA).toMatchObject({ overdue: true, overdueClocks: ['PREPARATION'] });
    const overdueNotices = await db.orm.em.fork().find(Notification, { subjectId: a.campaignId, kind: 'OVERDUE' });
    expect(overdueNotices.map((n) => n.recipient).sort()).toEqual(['海安市住房和城乡建设局', '海安市安全生产委员会办公室', '海安市应急管理局'].sort());

    const ask = (untilOn: string) => ({ actor: emergency(), input: { clock: 'SELF_EVALUATION' as const, untilOn, explanation: '春节前后企业停产检修，现场核查无法按期完成', requestingUnit: '海安市应急管理局' } });
    const requested = await handleA.executeUpdate(m.requestExtensionUpdate, { args: [ask(at(28))] });
    expect(requested.stage).toBe('PREPARATION');
    const refused = await refusal(handleB.executeUpdate(m.requestExtensionUpdate, { args: [ask(at(28))] }));
    expect(refused.type).toBe('INVALID_TRANSITION');
    expect(refused.message).toContain(`the last day to ask was ${at(-2)}`);

    // The office approves A's: its self-evaluation and the clocks counted from it move.
    expect((await refusal(handleA.executeUpdate(m.decideExtensionUpdate, { args: [{ actor: emergency(), input: { extensionId: 'E1', approved: true, reason: '' } }] }))).type).toBe(
      'FORBIDDEN',
    );
    await handleA.executeUpdate(m.decideExtensionUpdate, { args: [{ actor: office, input: { extensionId: 'E1', approved: true, reason: '同意延期至节后两周' } }] });
    const extended = await stateOf(handleA);
    expect(self(extended)).toMatchObject({ dueOn: at(28), extendedDays: 13 });
    expect(extended.deadlines.find((d) => d.clock === 'SECTOR_REVIEW')!.dueOn >= plusDays(at(28), 30)).toBe(true);
    const stored = await db.orm.em.fork().findOneOrFail(CampaignExtension, { campaign: a.campaignId, id: 'E1' });
    expect(stored).toMatchObject({ approved: true, decidedBy: office.name, untilOn: at(28), requestingUnit: '海安市应急管理局' });
    expect((await row(a.campaignId)).deadlines.find((d) => d.clock === 'SELF_EVALUATION')).toMatchObject({ dueOn: at(28) });
    const trail = await db.orm.em.fork().find(AuditEntry, { subjectId: campaignWorkflowId(a.campaignId) }, { orderBy: { revision: 'asc' } });
    expect(trail.map((x) => x.action)).toEqual(expect.arrayContaining(['CALENDAR_LOADED', 'REQUEST_EXTENSION', 'DECIDE_EXTENSION']));
  });
});

test('should refuse, inside the workflows, an official whose grants do not allow the act, even when the API is bypassed', async () => {
  await withWorker('forbidden', async (taskQueue) => {
    const c = await campaignEnding('THREE_YEAR', '安全生产专项整治三年行动', 36, 1);
    const handle = await register(taskQueue, c);
    await env.sleep('2 days');
    const before = await stateOf(handle);
    expect(before.stage).toBe('PREPARATION');
    for (const actor of [
      { id: 'x', name: '无角色的调用者' },
      { id: 'rugao-office', name: '如皋市安委办 冯某', grants: [{ role: 'SAFETY_OFFICE' as const, regionCode: '320682' }] },
      { id: 'nantong-office', name: '南通市安委办 孙某', grants: [{ role: 'SAFETY_OFFICE' as const, regionCode: '320600' }] },
      townOfficial(CD),
    ]) {
      expect(await refusal(handle.executeUpdate(m.submitPreparationUpdate, { args: [{ actor, input: preparation }] }))).toMatchObject({ type: 'FORBIDDEN' });
    }
    expect(await stateOf(handle)).toEqual(before);

    await handle.executeUpdate(m.submitPreparationUpdate, { args: [{ actor: emergency(), input: preparation }] });
    const town = env.client.workflow.getHandle(townWorkflowId(c.campaignId, CD));
    // Another town's official, and the town's own official approving its own material.
    expect((await refusal(town.executeUpdate(m.submitTownSelfEvaluationUpdate, { args: [{ actor: townOfficial(NM), input: selfEvaluation('城东镇') }] }))).type).toBe('FORBIDDEN');
    await town.executeUpdate(m.submitTownSelfEvaluationUpdate, { args: [{ actor: townOfficial(CD), input: selfEvaluation('城东镇') }] });
    expect((await refusal(town.executeUpdate(m.approveTownSelfEvaluationUpdate, { args: [{ actor: townOfficial(CD), input: {} }] }))).type).toBe('FORBIDDEN');
    // A bad request from the right official is a typed refusal, and the workflow goes on.
    expect(await refusal(town.executeUpdate(m.returnTownSelfEvaluationUpdate, { args: [{ actor: townLeader(CD), input: { reason: ' ' } }] }))).toMatchObject({
      type: 'BAD_USER_INPUT',
    });
    expect((await town.executeUpdate(m.approveTownSelfEvaluationUpdate, { args: [{ actor: townLeader(CD), input: {} }] })).stage).toBe('APPROVED');
    await until(() => stateOf(handle), (s) => Boolean(s.towns.find((t) => t.unit === CD)?.approvedAt), 'the campaign knows 城东镇 is approved');
  });
});

test('should carry a campaign across continue-as-new runs while its towns and sectors report to it', async () => {
  await withWorker('continue', async (taskQueue) => {
    const c = await campaignEnding('THREE_YEAR', '安全生产专项整治三年行动', 36, 1);
    const input: m.CampaignWorkflowInput = { case: c, calendar: EMPTY_CALENDAR, continueAsNewAfterEvents: 40 };
    const handle = await env.client.workflow.start('campaignWorkflow', { taskQueue, workflowId: campaignWorkflowId(c.campaignId), args: [input] });
    const firstRun = (await handle.describe()).runId;
    await env.sleep('2 days');
    const state = await driveToAssessment(handle, c);
    expect((await env.client.workflow.getHandle(campaignWorkflowId(c.campaignId)).describe()).runId).not.toBe(firstRun);
    expect(state.towns.every((t) => t.approvedAt)).toBe(true);
    expect(state.grades.filter((g) => g.unitKind === 'TOWN')).toHaveLength(4);
    expect(state.preparation?.leadingGroup).toHaveLength(3);
    const latest = env.client.workflow.getHandle(campaignWorkflowId(c.campaignId));
    await latest.executeUpdate(m.submitCampaignAssessmentUpdate, { args: [{ actor: office, input: assessment }] });
    expect((await latest.executeUpdate(m.approveCampaignAssessmentUpdate, { args: [{ actor: leader, input: {} }] })).stage).toBe('FOLLOW_UP');
    expect((await row(c.campaignId)).stage).toBe('FOLLOW_UP');
  });
});

/** Runs `body` while a worker polls a task queue of its own. */
async function withWorker(name: string, body: (taskQueue: string) => Promise<void>): Promise<void> {
  const taskQueue = `${name}-${randomUUID()}`;
  const worker = await createWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, orm: db.orm, workflowBundle: bundle });
  await worker.runUntil(() => body(taskQueue));
}
