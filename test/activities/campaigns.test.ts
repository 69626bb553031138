import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { createActivities } from '../../activities/index.js';
import { stateHash, verifyAuditChain } from '../../activities/audit.js';
import type { ChangeRecord } from '../../activities/types.js';
import {
  campaignWorkflowId,
  lookBackWorkflowId,
  sectorWorkflowId,
  townWorkflowId,
  type CampaignCase,
  type CampaignState,
  type LookBackState,
  type SectorReviewState,
  type SelfEvaluationDraft,
  type TownSelfEvaluationState,
} from '../../domain/campaign.js';
import { AuditEntry, Campaign, CampaignExtension, CampaignTown, Department, Region } from '../../schema/entities/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

// The campaign read model as the four workflows write it: each its own rows and columns, newest revision wins,
// one audit entry per change, a value PostgreSQL refuses answered as the official's bad input.
let db: TestDatabase;
let activities: ReturnType<typeof createActivities>;

const DISTRICT = '320621';
const TOWN_A = '320621101';
const TOWN_B = '320621102';

interface Ids {
  district: string;
  townA: string;
  townB: string;
  department: string;
}
let ids: Ids;

beforeAll(async () => {
  db = await createTestDatabase();
  activities = createActivities({ orm: db.orm });
  const em = db.orm.em.fork();
  const district = em.create(Region, { code: DISTRICT, name: '海安市', level: 'COUNTY', safetyOfficeName: '海安市安委办' });
  const townA = em.create(Region, { code: TOWN_A, name: '城东镇', level: 'TOWN', parent: district, safetyOfficeName: '城东镇安委办' });
  const townB = em.create(Region, { code: TOWN_B, name: '城西镇', level: 'TOWN', parent: district, safetyOfficeName: '城西镇安委办' });
  const department = em.create(Department, { name: '海安市住房和城乡建设局', kind: 'SECTOR_REGULATOR', region: district });
  await em.flush();
  ids = { district: district.id, townA: townA.id, townB: townB.id, department: department.id };
});

afterAll(async () => {
  await db?.drop();
});

const office = { id: 'office-1', name: '安委办 王主任', role: 'SAFETY_OFFICE' } as ChangeRecord['actor'];

function change(action: string, at: string, stageBefore: string | null, stageAfter: string | null, payload?: unknown): ChangeRecord {
  return { actor: office, action, at, stageBefore, stageAfter, payload };
}

function campaignCase(campaignId: string): CampaignCase {
  return {
    campaignId,
    name: `2025年建筑施工安全专项整治 ${campaignId.slice(0, 8)}`,
    kind: 'SECTOR',
    startsOn: '2025-01-01',
    endsOn: '2025-12-31',
    districtRegionId: ids.district,
    districtRegionCode: DISTRICT,
    districtName: '海安市',
    officeName: '海安市安委办',
    sectors: [{ sector: 'CONSTRUCTION', leadDepartmentId: ids.department, leadDepartmentName: '海安市住房和城乡建设局', townCodes: [TOWN_A, TOWN_B] }],
    towns: [
      { regionId: ids.townA, regionCode: TOWN_A, name: '城东镇' },
      { regionId: ids.townB, regionCode: TOWN_B, name: '城西镇' },
    ],
    dimensions: ['TARGET_TASKS', 'HAZARD_RECTIFICATION'],
    profile: {
      id: 'haimen',
      version: '2022-17',
      document: '海安委办〔2022〕17号',
      source: '002 §8-§13',
      preparationDays: 10,
      selfEvaluationDays: 30,
      sectorReviewDays: 30,
      assessmentDays: 30,
      extensionNoticeWorkingDays: 7,
      fullPathMinMonths: 12,
      reminderDaysBefore: [7, 1],
    },
  };
}

const deadline = (clock: CampaignState['deadlines'][number]['clock'], dueOn: string) => ({
  clock,
  dueOn,
  dueAt: new Date(Date.parse(`${dueOn}T16:00:00.000Z`)).toISOString(),
  provisional: false,
  extendedDays: 0,
});

/** A campaign in PREPARATION at revision 1, as its workflow holds it after the campaign ended. */
function preparing(campaignId: string): CampaignState {
  return {
    case: campaignCase(campaignId),
    stage: 'PREPARATION',
    revision: 1,
    fullPath: true,
    deadlines: [deadline('PREPARATION', '2026-01-12'), deadline('SELF_EVALUATION', '2026-01-30'), deadline('SECTOR_REVIEW', '2026-03-02'), deadline('ASSESSMENT', '2026-04-01')],
    overdue: [],
    firedDeadlines: [],
    calendar: { years: [] },
    towns: [],
    sectors: [],
    grades: [],
    extensions: [],
    plans: [],
    lookBacks: [],
    inspections: [],
  };
}

/** The same campaign after preparation: self-evaluations running, town A submitted, an extension asked for. */
function selfEvaluating(campaignId: string, revision = 2): CampaignState {
  const s = preparing(campaignId);
  return {
    ...s,
    stage: 'SELF_EVALUATION',
    revision,
    preparation: { submittedAt: '2026-01-05T02:00:00.000Z', submittedBy: '安委办 王主任', schedule: '一月', scope: '全市', duties: '分工', leadingGroup: [{ name: '李专家', unit: '大学', expert: true }] },
    towns: [
      { unit: TOWN_A, workflowId: townWorkflowId(campaignId, TOWN_A), submittedAt: '2026-01-20T03:00:00.000Z', overdue: false },
      { unit: TOWN_B, workflowId: townWorkflowId(campaignId, TOWN_B), overdue: false },
    ],
    extensions: [
      { id: 'E1', clock: 'SELF_EVALUATION', requestedAt: '2026-01-06T01:00:00.000Z', requestedBy: '住建局 张科长', requestingUnit: '海安市住房和城乡建设局', explanation: '台账多', untilOn: '2026-02-10' },
    ],
  };
}

/** Town A's self-evaluation as its workflow holds it once the town has submitted `draft`. */
function townSubmitted(campaignId: string, draft: SelfEvaluationDraft): TownSelfEvaluationState {
  return {
    campaignId,
    campaignWorkflowId: campaignWorkflowId(campaignId),
    town: { regionId: ids.townA, regionCode: TOWN_A, name: '城东镇' },
    districtRegionCode: DISTRICT,
    sectors: ['CONSTRUCTION'],
    stage: 'AWAITING_APPROVAL',
    revision: 1,
    draft: { ...draft, submittedAt: '2026-01-20T03:00:00.000Z', submittedBy: '城东镇 刘镇长' },
    returns: [],
  };
}

async function rows(sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  return db.asOwner(async (c) => (await c.query(sql, params)).rows);
}
const campaignRow = async (id: string) => (await rows(`select * from campaign where id = $1`, [id]))[0]!;
const townRow = async (id: string, code: string) => (await rows(`select * from campaign_town where campaign_id = $1 and town_code = $2`, [id, code]))[0]!;
const sectorRow = async (id: string) => (await rows(`select * from campaign_sector where campaign_id = $1`, [id]))[0]!;
const trail = (subjectType: AuditEntry['subjectType'], subjectId: string) =>
  db.orm.em.fork().find(AuditEntry, { subjectType, subjectId }, { orderBy: { revision: 'asc' } });

test('should write a campaign its workflow started, then what a newer snapshot changed, each with its audit entry', async () => {
  const id = randomUUID();
  const first = preparing(id);
  await activities.saveCampaignSnapshot({ state: first, change: change('CAMPAIGN_ENDED', '2026-01-01T16:00:00.000Z', 'WAITING_FOR_END', 'PREPARATION') });

  let row = await campaignRow(id);
  expect(row).toMatchObject({ workflow_id: campaignWorkflowId(id), stage: 'PREPARATION', revision: 1, year: 2025, district_code: DISTRICT, full_path: true, overdue: false, preparation: null });
  // The soonest open deadline orders the list.
  expect((row.next_due_at as Date).toISOString()).toBe('2026-01-12T16:00:00.000Z');
  expect(await rows(`select town_code, town_region_id, sectors, workflow_id, submitted_at, self_stage from campaign_town where campaign_id = $1 order by town_code`, [id])).toEqual([
    { town_code: TOWN_A, town_region_id: ids.townA, sectors: ['CONSTRUCTION'], workflow_id: townWorkflowId(id, TOWN_A), submitted_at: null, self_stage: 'DRAFTING' },
    { town_code: TOWN_B, town_region_id: ids.townB, sectors: ['CONSTRUCTION'], workflow_id: townWorkflowId(id, TOWN_B), submitted_at: null, self_stage: 'DRAFTING' },
  ]);
  expect(await sectorRow(id)).toMatchObject({ sector: 'CONSTRUCTION', lead_department_id: ids.department, town_codes: [TOWN_A, TOWN_B], workflow_id: sectorWorkflowId(id, 'CONSTRUCTION') });

  const second = selfEvaluating(id);
  await activities.saveCampaignSnapshot({ state: second, change: change('SUBMIT_PREPARATION', '2026-01-05T02:00:00.000Z', 'PREPARATION', 'SELF_EVALUATION') });
  row = await campaignRow(id);
  expect(row).toMatchObject({ stage: 'SELF_EVALUATION', revision: 2, preparation: second.preparation });
  expect((row.next_due_at as Date).toISOString()).toBe('2026-01-30T16:00:00.000Z');
  expect((await townRow(id, TOWN_A)).submitted_at).toEqual(new Date('2026-01-20T03:00:00.000Z'));
  expect(await rows(`select id, clock, until_on::text, approved from campaign_extension where campaign_id = $1`, [id])).toEqual([{ id: 'E1', clock: 'SELF_EVALUATION', until_on: '2026-02-10', approved: null }]);

  const entries = await trail('campaign', campaignWorkflowId(id));
  expect(entries.map((e) => [e.revision, e.action, e.stateHash])).toEqual([
    [1, 'CAMPAIGN_ENDED', stateHash(first)],
    [2, 'SUBMIT_PREPARATION', stateHash(second)],
  ]);
  expect(entries[1]!.previousHash).toBe(stateHash(first));
  expect((await verifyAuditChain(db.orm.em.fork(), db.auditKey, 'all')).ok).toBe(true);

  // What the API reads, through the entities.
  const em = db.orm.em.fork();
  const campaign = await em.findOneOrFail(Campaign, id);
  expect(campaign).toMatchObject({ startsOn: '2025-01-01', endsOn: '2025-12-31', stage: 'SELF_EVALUATION', deadlines: second.deadlines, dimensions: ['TARGET_TASKS', 'HAZARD_RECTIFICATION'] });
  const towns = await em.find(CampaignTown, { campaign: id }, { orderBy: { townCode: 'asc' } });
  expect(towns.map((t) => [t.townCode, t.townRegion.id, t.submittedAt, t.returns])).toEqual([
    [TOWN_A, ids.townA, new Date('2026-01-20T03:00:00.000Z'), []],
    [TOWN_B, ids.townB, null, []],
  ]);
  const [extension] = await em.find(CampaignExtension, { campaign: id });
  expect(extension).toMatchObject({ id: 'E1', untilOn: '2026-02-10', requestedAt: new Date('2026-01-06T01:00:00.000Z') });
});

test('should update the row the registration inserted, keeping what registration recorded', async () => {
  const id = randomUUID();
  const c = campaignCase(id);
  const registeredAt = new Date('2025-12-01T00:00:00.000Z');
  const em = db.orm.em.fork();
  em.create(Campaign, {
    id,
    workflowId: campaignWorkflowId(id),
    name: c.name,
    kind: c.kind,
    startsOn: c.startsOn,
    endsOn: c.endsOn,
    year: 2025,
    districtRegion: ids.district,
    districtCode: DISTRICT,
    stage: 'WAITING_FOR_END',
    dimensions: c.dimensions,
    profileId: c.profile.id,
    profileVersion: c.profile.version,
    registeredAt,
  });
  await em.flush();
  await activities.saveCampaignSnapshot({ state: preparing(id), change: change('CAMPAIGN_ENDED', '2026-01-01T16:00:00.000Z', 'WAITING_FOR_END', 'PREPARATION') });
  expect(await campaignRow(id)).toMatchObject({ stage: 'PREPARATION', revision: 1, registered_at: registeredAt });
});

test('should ignore a snapshot older than the one stored, and write a retried one once', async () => {
  const id = randomUUID();
  await activities.saveCampaignSnapshot({ state: preparing(id), change: change('CAMPAIGN_ENDED', '2026-01-01T16:00:00.000Z', 'WAITING_FOR_END', 'PREPARATION') });
  const third = { ...selfEvaluating(id, 3), overdue: ['PREPARATION' as const] };
  const thirdChange = change('FIRE_DEADLINES', '2026-01-13T16:00:00.000Z', 'SELF_EVALUATION', 'SELF_EVALUATION');
  await activities.saveCampaignSnapshot({ state: third, change: thirdChange });
  // Revision 2 arrives late (its first attempt timed out after it was written elsewhere, say).
  const late = { ...selfEvaluating(id, 2), preparation: { ...selfEvaluating(id).preparation!, scope: '旧范围' }, extensions: [] };
  await activities.saveCampaignSnapshot({ state: late, change: change('SUBMIT_PREPARATION', '2026-01-05T02:00:00.000Z', 'PREPARATION', 'SELF_EVALUATION') });
  let row = await campaignRow(id);
  expect(row).toMatchObject({ revision: 3, overdue: true, overdue_clocks: ['PREPARATION'] });
  expect((row.preparation as { scope: string }).scope).toBe('全市');
  expect(await rows(`select id from campaign_extension where campaign_id = $1`, [id])).toEqual([{ id: 'E1' }]);

  // The same revision again (a retry whose answer was lost): nothing changes, one entry.
  await activities.saveCampaignSnapshot({ state: third, change: thirdChange });
  await activities.saveCampaignSnapshot({ state: { ...third, stage: 'SECTOR_REVIEW' }, change: thirdChange });
  row = await campaignRow(id);
  expect(row).toMatchObject({ revision: 3, stage: 'SELF_EVALUATION' });
  const entries = await trail('campaign', campaignWorkflowId(id));
  expect(entries.filter((e) => e.revision === 3)).toHaveLength(1);
  expect(entries.find((e) => e.revision === 3)!.stateHash).toBe(stateHash(third));
});

test('should let each child write only its own columns, without undoing the campaign', async () => {
  const id = randomUUID();
  const parent = selfEvaluating(id);
  await activities.saveCampaignSnapshot({ state: parent, change: change('SUBMIT_PREPARATION', '2026-01-05T02:00:00.000Z', 'PREPARATION', 'SELF_EVALUATION') });

  // The town's self-evaluation, submitted.
  const town = townSubmitted(id, { report: '自评报告：完成 "三项" 任务 \\ 50%', targetTasks: ['任务一'], hazardRectifications: ['隐患一', '隐患二'], typicalPractices: [] });
  const townChange = { ...change('SUBMIT_TOWN_SELF_EVALUATION', '2026-01-20T03:00:00.000Z', 'DRAFTING', 'AWAITING_APPROVAL'), actor: { id: 'town-1', name: '城东镇 刘镇长' } };
  await activities.saveTownSnapshot({ state: town, change: townChange });
  await activities.saveTownSnapshot({ state: town, change: townChange });
  expect(await townRow(id, TOWN_A)).toMatchObject({
    // The campaign's columns, as the campaign wrote them.
    submitted_at: new Date('2026-01-20T03:00:00.000Z'),
    revision: 2,
    // The town's.
    self_stage: 'AWAITING_APPROVAL',
    report: '自评报告：完成 "三项" 任务 \\ 50%',
    target_tasks: ['任务一'],
    hazard_rectifications: ['隐患一', '隐患二'],
    submitted_by: '城东镇 刘镇长',
    self_revision: 1,
  });
  expect(await trail('campaign-town', townWorkflowId(id, TOWN_A))).toHaveLength(1);
  // Approved by the town's leader; the submission's write, retried late, does not undo it.
  await activities.saveTownSnapshot({
    state: { ...town, stage: 'APPROVED', revision: 2, approvedAt: '2026-01-25T03:00:00.000Z', approvedBy: '城东镇 赵书记' },
    change: change('APPROVE_TOWN_SELF_EVALUATION', '2026-01-25T03:00:00.000Z', 'AWAITING_APPROVAL', 'APPROVED'),
  });
  await activities.saveTownSnapshot({ state: town, change: townChange });
  expect(await townRow(id, TOWN_A)).toMatchObject({ self_stage: 'APPROVED', approved_by: '城东镇 赵书记', report: town.draft!.report, self_revision: 2 });
  expect(await trail('campaign-town', townWorkflowId(id, TOWN_A))).toHaveLength(2);
  // The other town's row is untouched.
  expect(await townRow(id, TOWN_B)).toMatchObject({ self_stage: 'DRAFTING', report: null, self_revision: 0 });

  // The sector's review, submitted.
  const sector: SectorReviewState = {
    campaignId: id,
    campaignWorkflowId: campaignWorkflowId(id),
    districtRegionCode: DISTRICT,
    scope: parent.case.sectors[0]!,
    stage: 'AWAITING_APPROVAL',
    revision: 2,
    methods: [{ method: 'MEETING', on: '2026-02-03', summary: '座谈', recordedBy: '住建局 张科长' }],
    review: {
      overall: '总体良好',
      subReports: [
        { unit: TOWN_A, text: '城东镇：优' },
        { unit: TOWN_B, text: '城西镇：差' },
      ],
      townGrades: [
        { townCode: TOWN_A, grade: 'EXCELLENT' },
        { townCode: TOWN_B, grade: 'POOR' },
      ],
      submittedAt: '2026-02-20T03:00:00.000Z',
      submittedBy: '住建局 张科长',
    },
    returns: [],
  };
  await activities.saveSectorSnapshot({ state: sector, change: change('SUBMIT_SECTOR_REVIEW', '2026-02-20T03:00:00.000Z', 'REVIEWING', 'AWAITING_APPROVAL') });

  // The campaign moves on: the town approved, a plan, grades, an assessment, a look-back scheduled.
  const later: CampaignState = {
    ...parent,
    stage: 'FOLLOW_UP',
    revision: 9,
    towns: parent.towns.map((t) => ({ ...t, approvedAt: '2026-01-25T03:00:00.000Z', submittedAt: t.submittedAt ?? '2026-01-24T03:00:00.000Z' })),
    sectors: [{ unit: 'CONSTRUCTION', workflowId: sectorWorkflowId(id, 'CONSTRUCTION'), submittedAt: '2026-02-20T03:00:00.000Z', approvedAt: '2026-02-22T03:00:00.000Z', overdue: false }],
    plans: [{ townCode: TOWN_B, submittedAt: '2026-04-10T03:00:00.000Z', submittedBy: '城西镇 周镇长', responsibility: '镇长负责', measures: '整改', deadlineOn: '2026-06-30' }],
    grades: [
      { unitKind: 'TOWN', unit: TOWN_A, sector: 'CONSTRUCTION', grade: 'EXCELLENT', priority: true, veto: false, gradedAt: '2026-02-22T03:00:00.000Z' },
      { unitKind: 'TOWN', unit: TOWN_B, sector: 'CONSTRUCTION', grade: 'POOR', priority: false, veto: true, gradedAt: '2026-02-22T03:00:00.000Z' },
      { unitKind: 'SECTOR', unit: 'CONSTRUCTION', sector: 'CONSTRUCTION', grade: 'GOOD', priority: false, veto: false, gradedAt: '2026-03-20T03:00:00.000Z' },
    ],
    assessment: {
      overall: '综合评估报告',
      subReports: [{ unit: 'CONSTRUCTION', text: '建筑施工：良' }],
      sectorGrades: [{ sector: 'CONSTRUCTION', grade: 'GOOD' }],
      status: 'APPROVED',
      submittedAt: '2026-03-15T03:00:00.000Z',
      submittedBy: '安委办 王主任',
      approvedAt: '2026-03-20T03:00:00.000Z',
      approvedBy: '区领导 陈区长',
      returns: [],
    },
    lookBacks: [{ id: 'L1', workflowId: lookBackWorkflowId(id, 'L1'), townCode: TOWN_B, sector: 'CONSTRUCTION', reason: 'MAJOR_HAZARDS', scheduledOn: '2026-09-01', scheduledBy: '住建局 张科长' }],
  };
  await activities.saveCampaignSnapshot({ state: later, change: change('SCHEDULE_LOOK_BACK', '2026-04-12T03:00:00.000Z', 'FOLLOW_UP', 'FOLLOW_UP') });

  // The campaign's write kept the town's and the sector's own columns.
  expect(await townRow(id, TOWN_A)).toMatchObject({ approved_at: new Date('2026-01-25T03:00:00.000Z'), revision: 9, self_stage: 'APPROVED', report: town.draft!.report, self_revision: 2 });
  expect((await townRow(id, TOWN_B)).plan).toEqual(later.plans[0]);
  expect(await sectorRow(id)).toMatchObject({ approved_at: new Date('2026-02-22T03:00:00.000Z'), revision: 9, review_stage: 'AWAITING_APPROVAL', overall_report: '总体良好', review_revision: 2 });
  expect(await rows(`select unit_kind, unit, town_region_id, grade, priority, veto, year from campaign_grade where campaign_id = $1 order by unit_kind desc, unit`, [id])).toEqual([
    { unit_kind: 'TOWN', unit: TOWN_A, town_region_id: ids.townA, grade: 'EXCELLENT', priority: true, veto: false, year: 2025 },
    { unit_kind: 'TOWN', unit: TOWN_B, town_region_id: ids.townB, grade: 'POOR', priority: false, veto: true, year: 2025 },
    { unit_kind: 'SECTOR', unit: 'CONSTRUCTION', town_region_id: null, grade: 'GOOD', priority: false, veto: false, year: 2025 },
  ]);
  // No deadline is open after the assessment.
  expect((await campaignRow(id)).next_due_at).toBeNull();
  expect((await campaignRow(id)).assessment).toMatchObject({ status: 'APPROVED', sectorGrades: [{ sector: 'CONSTRUCTION', grade: 'GOOD' }], approvedBy: '区领导 陈区长' });

  // The sector's review approved: its reports carry the approval; the assessment's reports stay.
  await activities.saveSectorSnapshot({
    state: { ...sector, stage: 'APPROVED', revision: 3, approvedAt: '2026-02-22T03:00:00.000Z', approvedBy: '区领导 陈区长' },
    change: change('APPROVE_SECTOR_REVIEW', '2026-02-22T03:00:00.000Z', 'AWAITING_APPROVAL', 'APPROVED'),
  });
  expect(await rows(`select stage, sector, kind, unit, text, approved_at from campaign_report where campaign_id = $1 order by stage, kind, unit`, [id])).toEqual([
    { stage: 'ASSESSMENT', sector: null, kind: 'OVERALL', unit: null, text: '综合评估报告', approved_at: new Date('2026-03-20T03:00:00.000Z') },
    { stage: 'ASSESSMENT', sector: null, kind: 'SUB', unit: 'CONSTRUCTION', text: '建筑施工：良', approved_at: new Date('2026-03-20T03:00:00.000Z') },
    { stage: 'SECTOR_REVIEW', sector: 'CONSTRUCTION', kind: 'OVERALL', unit: null, text: '总体良好', approved_at: new Date('2026-02-22T03:00:00.000Z') },
    { stage: 'SECTOR_REVIEW', sector: 'CONSTRUCTION', kind: 'SUB', unit: TOWN_A, text: '城东镇：优', approved_at: new Date('2026-02-22T03:00:00.000Z') },
    { stage: 'SECTOR_REVIEW', sector: 'CONSTRUCTION', kind: 'SUB', unit: TOWN_B, text: '城西镇：差', approved_at: new Date('2026-02-22T03:00:00.000Z') },
  ]);
  expect(await sectorRow(id)).toMatchObject({ review_stage: 'APPROVED', approved_by: '区领导 陈区长', approved_at: new Date('2026-02-22T03:00:00.000Z'), revision: 9 });

  // The look-back's day comes and its result is recorded; the campaign's next snapshot does not reset it.
  const lookBack: LookBackState = {
    campaignId: id,
    campaignWorkflowId: campaignWorkflowId(id),
    districtRegionCode: DISTRICT,
    lookBack: { ...later.lookBacks[0]!, dueSince: '2026-08-31T16:00:00.000Z', findings: '已整改', resolved: true, recordedAt: '2026-09-03T03:00:00.000Z' },
    leadDepartmentId: ids.department,
    leadDepartmentName: '海安市住房和城乡建设局',
    stage: 'RECORDED',
    revision: 2,
  };
  await activities.saveLookBackSnapshot({ state: lookBack, change: change('RECORD_LOOK_BACK', '2026-09-03T03:00:00.000Z', 'DUE', 'RECORDED') });
  await activities.saveCampaignSnapshot({ state: { ...later, revision: 10 }, change: change('LOOK_BACK_DUE', '2026-08-31T16:00:00.000Z', 'FOLLOW_UP', 'FOLLOW_UP') });
  // An older look-back snapshot (its DUE write, retried late) changes nothing.
  await activities.saveLookBackSnapshot({ state: { ...lookBack, stage: 'DUE', revision: 1, lookBack: { ...later.lookBacks[0]!, dueSince: '2026-08-31T16:00:00.000Z' } } });
  expect(await rows(`select id, workflow_id, town_code, reason, scheduled_on::text, stage, findings, resolved, revision from campaign_look_back where campaign_id = $1`, [id])).toEqual([
    { id: 'L1', workflow_id: lookBackWorkflowId(id, 'L1'), town_code: TOWN_B, reason: 'MAJOR_HAZARDS', scheduled_on: '2026-09-01', stage: 'RECORDED', findings: '已整改', resolved: true, revision: 2 },
  ]);
  expect(await trail('campaign-look-back', lookBackWorkflowId(id, 'L1'))).toHaveLength(1);
  expect(await trail('campaign-sector', sectorWorkflowId(id, 'CONSTRUCTION'))).toHaveLength(2);
});

test('should refuse text PostgreSQL cannot store as bad input that no retry repeats, and write nothing', async () => {
  const id = randomUUID();
  await activities.saveCampaignSnapshot({ state: preparing(id), change: change('CAMPAIGN_ENDED', '2026-01-01T16:00:00.000Z', 'WAITING_FOR_END', 'PREPARATION') });
  const bad = selfEvaluating(id);
  bad.preparation = { ...bad.preparation!, schedule: 'a\u0000b' };
  const refusal = await activities.saveCampaignSnapshot({ state: bad, change: change('SUBMIT_PREPARATION', '2026-01-05T02:00:00.000Z', 'PREPARATION', 'SELF_EVALUATION') }).then(
    () => null,
    (error: unknown) => error,
  );
  expect(refusal).toBeInstanceOf(ApplicationFailure);
  expect(refusal).toMatchObject({ type: 'BAD_USER_INPUT', nonRetryable: true });
  expect(await campaignRow(id)).toMatchObject({ revision: 1, stage: 'PREPARATION', preparation: null });
  expect(await trail('campaign', campaignWorkflowId(id))).toHaveLength(1);

  const town = townSubmitted(id, { report: '报告\u0000', targetTasks: [], hazardRectifications: [], typicalPractices: [] });
  await expect(activities.saveTownSnapshot({ state: town, change: change('SUBMIT_TOWN_SELF_EVALUATION', '2026-01-20T03:00:00.000Z', 'DRAFTING', 'AWAITING_APPROVAL') })).rejects.toMatchObject({
    type: 'BAD_USER_INPUT',
    nonRetryable: true,
  });
  expect(await townRow(id, TOWN_A)).toMatchObject({ self_stage: 'DRAFTING', report: null, self_revision: 0 });
  expect(await trail('campaign-town', townWorkflowId(id, TOWN_A))).toHaveLength(0);
});
