import { createRequire } from 'node:module';
import { chinaMidnight } from '../../domain/calendar.js';
import {
  applyCampaignAction,
  applyLookBackAction,
  applySectorAction,
  applyTownAction,
  campaignActionScope,
  campaignDeadlineEvents,
  campaignDeadlines,
  campaignEventRecipients,
  campaignScope,
  canCampaignTransition,
  canRequestExtension,
  checkCampaignAction,
  checkLookBackAction,
  checkSectorAction,
  checkTownAction,
  dueCampaignEvents,
  gradeMarks,
  initialCampaignState,
  initialLookBackState,
  initialSectorState,
  initialTownState,
  isFullPath,
  lastDayToRequestExtension,
  lookBackDueAt,
  lookBackScope,
  markLookBackDue,
  nextDueAt,
  sectorScope,
  townScope,
  type Actor,
  type CampaignAction,
  type CampaignActionType,
  type CampaignCase,
  type CampaignStage,
  type CampaignState,
  type Grade,
  type LookBack,
  type SectorAction,
  type TownAction,
} from '../../domain/campaign.js';
import { campaignNotice, lookBackNotice } from '../../domain/notices.js';
import { campaignProfileFor } from '../../domain/rule-profiles.js';
import { EMPTY_CALENDAR, libraryCalendarYear, type CalendarYear, type LibraryCalendarData, type WorkingCalendar } from '../../domain/working-days.js';
import { refusalOf } from './fixtures.js';

// ---- fixtures: 海门区's three-year campaign (2023-2025), two sectors over three towns ----

const HOUR = 3_600_000;
const at = (date: string, hours = 0): Date => new Date(chinaMidnight(date).getTime() + hours * HOUR);

const library = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as LibraryCalendarData;
/** 2026 as the State Council's notice has it (Spring Festival 15-23 February, make-up Saturdays 14 and 28 February). */
const year2026 = libraryCalendarYear(library, 2026)!;
const cal2026: WorkingCalendar = { years: [year2026] };

const HAIMEN = '320614';
const T1 = '320614001'; // 海门街道
const T2 = '320614002'; // 三厂街道
const T3 = '320614100'; // 临江镇

function haimenCampaign(overrides: Partial<CampaignCase> = {}): CampaignCase {
  return {
    campaignId: 'c0f1a2b3-0000-4000-8000-000000000001',
    name: '海门区安全生产专项整治三年行动',
    kind: 'THREE_YEAR',
    startsOn: '2023-01-01',
    endsOn: '2025-12-31',
    districtRegionId: 'region-320614',
    districtRegionCode: HAIMEN,
    districtName: '海门区',
    officeName: '海门区安全生产委员会办公室',
    sectors: [
      { sector: 'HAZARDOUS_CHEMICALS', leadDepartmentId: 'dept-emergency', leadDepartmentName: '海门区应急管理局', townCodes: [T1, T2] },
      { sector: 'CONSTRUCTION', leadDepartmentId: 'dept-housing', leadDepartmentName: '海门区住房和城乡建设局', townCodes: [T1, T3] },
    ],
    towns: [
      { regionId: 'region-t1', regionCode: T1, name: '海门街道' },
      { regionId: 'region-t2', regionCode: T2, name: '三厂街道' },
      { regionId: 'region-t3', regionCode: T3, name: '临江镇' },
    ],
    dimensions: ['TARGET_TASKS', 'HAZARD_RECTIFICATION', 'ACCIDENTS'],
    profile: campaignProfileFor(HAIMEN, '2025-06-01'),
    ...overrides,
  };
}

/** 海门区's eight-month campaign on gas safety (May-December 2025): the short path. */
const gasCampaign = (): CampaignCase =>
  haimenCampaign({ campaignId: 'c0f1a2b3-0000-4000-8000-000000000002', name: '城镇燃气安全专项整治', kind: 'SECTOR', startsOn: '2025-05-01', endsOn: '2025-12-31' });

const office: Actor = { id: 'u-office', name: '海门区安委办 周某' };
const system: Actor = { id: 'system', name: 'Bihuan' };

const TOWN_GRADES: Record<string, { townCode: string; grade: Grade }[]> = {
  HAZARDOUS_CHEMICALS: [
    { townCode: T1, grade: 'EXCELLENT' },
    { townCode: T2, grade: 'POOR' },
  ],
  CONSTRUCTION: [
    { townCode: T1, grade: 'GOOD' },
    { townCode: T3, grade: 'FAIR' },
  ],
};

const preparation: CampaignAction = {
  type: 'SUBMIT_PREPARATION',
  schedule: '1月完成基层自评，2月完成行业复评，3月综合评议',
  scope: '全区三个区镇（街道）危险化学品、建筑施工领域',
  duties: '应急管理局牵头，住建局配合，专家参与现场核查',
  leadingGroup: [
    { name: '张某', unit: '海门区应急管理局', expert: false },
    { name: '李某', unit: '南通大学', expert: true },
  ],
};

const assessment: CampaignAction = {
  type: 'SUBMIT_ASSESSMENT',
  overall: '全区专项整治总体成效明显，危险化学品领域隐患整改率100%。',
  subReports: [
    { unit: 'HAZARDOUS_CHEMICALS', text: '危险化学品领域：重大风险全部落实管控措施。' },
    { unit: 'CONSTRUCTION', text: '建筑施工领域：高处坠落隐患整改不彻底。' },
  ],
  sectorGrades: [
    { sector: 'HAZARDOUS_CHEMICALS', grade: 'EXCELLENT' },
    { sector: 'CONSTRUCTION', grade: 'POOR' },
  ],
};

function act(state: CampaignState, action: CampaignAction, when: Date, actor: Actor = office): CampaignState {
  checkCampaignAction(state, action, when);
  return applyCampaignAction(state, action, actor, when);
}

/** Fires whatever is due at `now`, as the workflow's alarm does. */
function fire(state: CampaignState, now: Date): CampaignState {
  const { due } = dueCampaignEvents(state, now);
  return due.length ? act(state, { type: 'FIRE_DEADLINES', keys: due.map((e) => e.key) }, now, system) : state;
}

const ORDER: CampaignStage[] = ['WAITING_FOR_END', 'PREPARATION', 'SELF_EVALUATION', 'SECTOR_REVIEW', 'COMPREHENSIVE_ASSESSMENT', 'FOLLOW_UP'];

/** The campaign walked through valid actions, on time, until it reaches `stage`. */
function campaignIn(stage: CampaignStage, c = haimenCampaign(), calendar = cal2026): CampaignState {
  const target = stage === 'LEAD_ASSESSMENT' ? ORDER.indexOf('COMPREHENSIVE_ASSESSMENT') : ORDER.indexOf(stage);
  let s = initialCampaignState(c, calendar, at('2025-06-01'));
  const steps: (() => void)[] = [
    () => (s = fire(s, at('2026-01-01'))),
    () => (s = act(s, preparation, at('2026-01-08'))),
    () => {
      for (const t of s.towns) {
        s = act(s, { type: 'UNIT_SUBMITTED', unitKind: 'TOWN', unit: t.unit }, at('2026-01-20'), system);
        s = act(s, { type: 'UNIT_APPROVED', unitKind: 'TOWN', unit: t.unit }, at('2026-01-22'), system);
      }
    },
    () => {
      for (const u of s.sectors) s = act(s, { type: 'UNIT_APPROVED', unitKind: 'SECTOR', unit: u.unit, townGrades: TOWN_GRADES[u.unit] }, at('2026-02-26'), system);
    },
    () => {
      s = act(s, assessment, at('2026-03-20'));
      s = act(s, { type: 'APPROVE_ASSESSMENT' }, at('2026-03-25'), { id: 'u-leader', name: '分管副区长 陈某' });
    },
  ];
  for (let i = 0; i < target; i++) steps[i]!();
  expect(s.stage).toBe(stage);
  return s;
}

// ---- rule profile ----

describe('campaignProfileFor', () => {
  test('should give 海门区 the day limits of 海安委办〔2022〕17号 (002 §8-§13)', () => {
    expect(campaignProfileFor(HAIMEN, '2026-01-01')).toMatchObject({
      id: 'haimen',
      version: '2022-17',
      document: '海安委办〔2022〕17号',
      preparationDays: 10,
      selfEvaluationDays: 30,
      sectorReviewDays: 30,
      assessmentDays: 30,
      extensionNoticeWorkingDays: 7,
      fullPathMinMonths: 12,
      reminderDaysBefore: [7, 1],
    });
  });

  test('should refuse a date before the norm was issued (18 March 2022) with NOT_FOUND', () => {
    expect(refusalOf(() => campaignProfileFor(HAIMEN, '2022-03-17'))).toEqual({ code: 'NOT_FOUND' });
  });
});

// ---- clocks ----

describe('isFullPath', () => {
  const profile = campaignProfileFor(HAIMEN, '2026-01-01');
  test.each([
    // 002 §13: a year or more ("一年以上（包括一年）") runs all five stages
    { startsOn: '2023-01-01', endsOn: '2025-12-31', full: true, why: 'a three-year campaign' },
    { startsOn: '2026-01-01', endsOn: '2026-12-31', full: true, why: 'exactly one calendar year, both days counted' },
    { startsOn: '2026-03-01', endsOn: '2027-02-28', full: true, why: 'one year from 1 March' },
    { startsOn: '2026-03-01', endsOn: '2027-02-27', full: false, why: 'one day short of a year' },
    { startsOn: '2025-05-01', endsOn: '2025-12-31', full: false, why: 'an eight-month campaign' },
  ])('should answer $full for $why', ({ startsOn, endsOn, full }) => {
    expect(isFullPath({ startsOn, endsOn, profile })).toBe(full);
  });
});

describe('campaignDeadlines', () => {
  const dueOns = (endsOn: string, calendar: WorkingCalendar, extensions: CampaignState['extensions'] = []) =>
    campaignDeadlines(haimenCampaign({ endsOn }), calendar, extensions).map((d) => [d.clock, d.dueOn, d.provisional, d.extendedDays]);

  test.each([
    {
      why: '002 §8-§11: 10 and 30 days after the end, then 30 after each; a Saturday and a Sunday roll to Monday',
      endsOn: '2025-12-31',
      calendar: cal2026,
      expected: [
        ['PREPARATION', '2026-01-12', false, 0],
        ['SELF_EVALUATION', '2026-01-30', false, 0],
        ['SECTOR_REVIEW', '2026-03-02', false, 0],
        ['ASSESSMENT', '2026-04-01', false, 0],
      ],
    },
    {
      why: 'a self-evaluation due on the Spring Festival rolls to the first working day after it (24 February), and the review counts from there',
      endsOn: '2026-01-17',
      calendar: cal2026,
      expected: [
        ['PREPARATION', '2026-01-27', false, 0],
        ['SELF_EVALUATION', '2026-02-24', false, 0],
        ['SECTOR_REVIEW', '2026-03-26', false, 0],
        ['ASSESSMENT', '2026-04-27', false, 0],
      ],
    },
    {
      why: 'the same campaign with no calendar: weekends only, every deadline provisional',
      endsOn: '2026-01-17',
      calendar: EMPTY_CALENDAR,
      expected: [
        ['PREPARATION', '2026-01-27', true, 0],
        ['SELF_EVALUATION', '2026-02-16', true, 0],
        ['SECTOR_REVIEW', '2026-03-18', true, 0],
        ['ASSESSMENT', '2026-04-17', true, 0],
      ],
    },
    {
      why: 'a make-up working Saturday (28 February 2026, 调休) is a last day like any working day',
      endsOn: '2026-01-29',
      calendar: cal2026,
      expected: [
        ['PREPARATION', '2026-02-09', false, 0],
        ['SELF_EVALUATION', '2026-02-28', false, 0],
        ['SECTOR_REVIEW', '2026-03-30', false, 0],
        ['ASSESSMENT', '2026-04-29', false, 0],
      ],
    },
    {
      why: 'deadlines in 2027, which the calendar does not hold yet, are provisional; 2026 ones are final',
      endsOn: '2026-12-20',
      calendar: cal2026,
      expected: [
        ['PREPARATION', '2026-12-30', false, 0],
        ['SELF_EVALUATION', '2027-01-19', true, 0],
        ['SECTOR_REVIEW', '2027-02-18', true, 0],
        ['ASSESSMENT', '2027-03-22', true, 0],
      ],
    },
  ])('should count: $why', ({ endsOn, calendar, expected }) => {
    expect(dueOns(endsOn, calendar)).toEqual(expected);
  });

  test('should end a deadline at the end of its last day in China, and find the soonest open one', () => {
    const [preparationDue] = campaignDeadlines(haimenCampaign(), cal2026);
    expect(preparationDue!.dueAt).toBe('2026-01-12T16:00:00.000Z'); // 13 January, 00:00 in China
    expect(nextDueAt(campaignIn('PREPARATION'))).toBe('2026-01-12T16:00:00.000Z');
    expect(nextDueAt(campaignIn('SELF_EVALUATION'))).toBe('2026-01-30T16:00:00.000Z');
    expect(nextDueAt(campaignIn('FOLLOW_UP'))).toBeNull();
  });

  test('should move an extended clock to its new last day and every clock counted from it (002 §10(五))', () => {
    const approved = (clock: 'SELF_EVALUATION' | 'SECTOR_REVIEW', untilOn: string) => ({
      id: 'E1',
      clock,
      requestedAt: '2026-02-01T02:00:00.000Z',
      requestedBy: '张某',
      requestingUnit: '海门街道',
      explanation: '春节前后走访企业较多',
      untilOn,
      decision: { at: '2026-02-02T02:00:00.000Z', by: '周某', approved: true, reason: '同意' },
    });
    // Self-evaluation to 10 March (14 days later); the review 30 days after that; the assessment on 9 May, a make-up Saturday.
    expect(dueOns('2026-01-17', cal2026, [approved('SELF_EVALUATION', '2026-03-10')])).toEqual([
      ['PREPARATION', '2026-01-27', false, 0],
      ['SELF_EVALUATION', '2026-03-10', false, 14],
      ['SECTOR_REVIEW', '2026-04-09', false, 0],
      ['ASSESSMENT', '2026-05-09', false, 0],
    ]);
    // An extension to the National Day rolls to the first working day after the holiday.
    expect(dueOns('2026-01-17', cal2026, [approved('SECTOR_REVIEW', '2026-10-01')])[2]).toEqual(['SECTOR_REVIEW', '2026-10-08', false, 196]);
    // Refused or undecided requests move nothing.
    const refused = { ...approved('SELF_EVALUATION', '2026-03-10'), decision: { at: '2026-02-02T02:00:00.000Z', by: '周某', approved: false, reason: '理由不充分' } };
    expect(dueOns('2026-01-17', cal2026, [refused])[1]).toEqual(['SELF_EVALUATION', '2026-02-24', false, 0]);
  });
});

describe('canRequestExtension', () => {
  test.each([
    // 002 §10(五): at least 7 working days ahead. Before 27 Feb 2026: 26, 25, 24, then the festival (15-23 Feb) is
    // skipped, the make-up Saturday 14 Feb counts, then 13, 12, 11.
    { dueOn: '2026-02-27', requestedOn: '2026-02-11', calendar: cal2026, allowed: true, why: '7 working days ahead across the Spring Festival' },
    { dueOn: '2026-02-27', requestedOn: '2026-02-12', calendar: cal2026, allowed: false, why: '6 working days ahead across the Spring Festival' },
    { dueOn: '2026-02-27', requestedOn: '2026-01-20', calendar: cal2026, allowed: true, why: 'weeks ahead' },
    // Before 4 March: 3, 2, the make-up Saturday 28 Feb, 27, 26, 25, 24.
    { dueOn: '2026-03-04', requestedOn: '2026-02-24', calendar: cal2026, allowed: true, why: '7 working days ahead counting the make-up Saturday' },
    { dueOn: '2026-03-04', requestedOn: '2026-02-25', calendar: cal2026, allowed: false, why: '6 working days ahead counting the make-up Saturday' },
    // With no calendar only weekends are days off, so the festival would wrongly count as working days.
    { dueOn: '2026-02-27', requestedOn: '2026-02-18', calendar: EMPTY_CALENDAR, allowed: true, why: 'weekends only (a provisional deadline)' },
    { dueOn: '2026-02-27', requestedOn: '2026-02-19', calendar: EMPTY_CALENDAR, allowed: false, why: 'weekends only, 6 working days ahead' },
  ])('should answer $allowed for $why', ({ dueOn, requestedOn, calendar, allowed }) => {
    expect(canRequestExtension({ dueOn }, requestedOn, calendar)).toBe(allowed);
  });

  test('should name the last day to ask', () => {
    expect(lastDayToRequestExtension({ dueOn: '2026-02-27' }, cal2026)).toBe('2026-02-11');
    expect(lastDayToRequestExtension({ dueOn: '2026-03-04' }, cal2026)).toBe('2026-02-24');
  });
});

// ---- the campaign's stages ----

describe('initialCampaignState', () => {
  test('should wait for the end of a campaign registered before it ends, with one unit per town and sector', () => {
    const s = initialCampaignState(haimenCampaign(), cal2026, at('2025-11-01'));
    expect(s).toMatchObject({ stage: 'WAITING_FOR_END', revision: 1, fullPath: true, overdue: [], grades: [] });
    expect(s.towns.map((t) => [t.unit, t.workflowId])).toEqual([
      [T1, `campaign/${s.case.campaignId}/town/${T1}`],
      [T2, `campaign/${s.case.campaignId}/town/${T2}`],
      [T3, `campaign/${s.case.campaignId}/town/${T3}`],
    ]);
    expect(s.sectors.map((u) => u.workflowId)).toEqual([
      `campaign/${s.case.campaignId}/sector/HAZARDOUS_CHEMICALS`,
      `campaign/${s.case.campaignId}/sector/CONSTRUCTION`,
    ]);
    // The campaign's evaluation starts when its last day ends in China (002 §8).
    expect(campaignDeadlineEvents(s)[0]).toMatchObject({ key: 'campaign-ends', kind: 'CAMPAIGN_ENDS', at: '2025-12-31T16:00:00.000Z' });
  });

  test('should start preparing at once when registered after the end, and take the short path when shorter than a year', () => {
    const s = initialCampaignState(gasCampaign(), cal2026, at('2026-01-05'));
    expect(s.stage).toBe('PREPARATION');
    expect(s.fullPath).toBe(false);
  });
});

describe('canCampaignTransition', () => {
  test.each([
    // 002 §8: nothing before the campaign ends; then the plan first
    { stage: 'WAITING_FOR_END', action: 'SUBMIT_PREPARATION', allowed: false },
    { stage: 'PREPARATION', action: 'SUBMIT_PREPARATION', allowed: true },
    { stage: 'SELF_EVALUATION', action: 'SUBMIT_PREPARATION', allowed: false },
    // 002 §10(五): extensions while a clock runs, not before the campaign ends nor in follow-up
    { stage: 'WAITING_FOR_END', action: 'REQUEST_EXTENSION', allowed: false },
    { stage: 'SECTOR_REVIEW', action: 'REQUEST_EXTENSION', allowed: true },
    { stage: 'FOLLOW_UP', action: 'REQUEST_EXTENSION', allowed: false },
    // 002 §11: the office assesses once every sector review is approved; the leader approves what was submitted
    { stage: 'SECTOR_REVIEW', action: 'SUBMIT_ASSESSMENT', allowed: false },
    { stage: 'COMPREHENSIVE_ASSESSMENT', action: 'SUBMIT_ASSESSMENT', allowed: true },
    { stage: 'COMPREHENSIVE_ASSESSMENT', action: 'APPROVE_ASSESSMENT', allowed: false },
    // 002 §12: follow-up acts only in follow-up
    { stage: 'COMPREHENSIVE_ASSESSMENT', action: 'SCHEDULE_LOOK_BACK', allowed: false },
    { stage: 'FOLLOW_UP', action: 'SCHEDULE_LOOK_BACK', allowed: true },
    { stage: 'FOLLOW_UP', action: 'SUBMIT_RECTIFICATION_PLAN', allowed: true },
    { stage: 'FOLLOW_UP', action: 'CLOSE_FOLLOW_UP', allowed: true },
    // deadlines are watched in every stage
    { stage: 'WAITING_FOR_END', action: 'FIRE_DEADLINES', allowed: true },
  ] satisfies { stage: CampaignStage; action: CampaignActionType; allowed: boolean }[])('should answer $allowed when $action is asked in $stage', ({ stage, action, allowed }) => {
    expect(canCampaignTransition(campaignIn(stage), action)).toBe(allowed);
  });

  test('should take the approval only while an assessment waits for it (002 §11(三))', () => {
    const submitted = act(campaignIn('COMPREHENSIVE_ASSESSMENT'), assessment, at('2026-03-20'));
    expect(canCampaignTransition(submitted, 'APPROVE_ASSESSMENT')).toBe(true);
    expect(canCampaignTransition(submitted, 'SUBMIT_ASSESSMENT')).toBe(false);
    const returned = act(submitted, { type: 'RETURN_ASSESSMENT', reason: '建筑施工领域子项报告未列明改进对策' }, at('2026-03-22'));
    expect(canCampaignTransition(returned, 'APPROVE_ASSESSMENT')).toBe(false);
    expect(canCampaignTransition(returned, 'SUBMIT_ASSESSMENT')).toBe(true);
  });
});

describe('checkCampaignAction', () => {
  const inPrep = () => campaignIn('PREPARATION');
  const inFollowUp = () => campaignIn('FOLLOW_UP');
  test.each([
    {
      why: '002 §8(二): the leading group is department staff; experts only join them',
      state: inPrep,
      action: { ...preparation, leadingGroup: [{ name: '李某', unit: '南通大学', expert: true }] },
      when: at('2026-01-08'),
      refusal: { code: 'BAD_USER_INPUT', field: 'leadingGroup' },
    },
    { why: 'the plan names its schedule', state: inPrep, action: { ...preparation, schedule: '  ' }, when: at('2026-01-08'), refusal: { code: 'BAD_USER_INPUT', field: 'schedule' } },
    {
      why: '002 §11(二): a grade for every sector, no more',
      state: () => campaignIn('COMPREHENSIVE_ASSESSMENT'),
      action: { ...assessment, sectorGrades: [{ sector: 'HAZARDOUS_CHEMICALS', grade: 'GOOD' }] },
      when: at('2026-03-20'),
      refusal: { code: 'BAD_USER_INPUT', field: 'sectorGrades' },
    },
    {
      why: '002 §11(三): one sub-report per sector',
      state: () => campaignIn('COMPREHENSIVE_ASSESSMENT'),
      action: { ...assessment, subReports: [...(assessment as { subReports: { unit: string; text: string }[] }).subReports, { unit: 'FIRE', text: '消防' }] },
      when: at('2026-03-20'),
      refusal: { code: 'BAD_USER_INPUT', field: 'subReports' },
    },
    {
      why: 'grades are 优良中差',
      state: () => campaignIn('COMPREHENSIVE_ASSESSMENT'),
      action: { ...assessment, sectorGrades: [{ sector: 'HAZARDOUS_CHEMICALS', grade: 'BEST' }, { sector: 'CONSTRUCTION', grade: 'GOOD' }] },
      when: at('2026-03-20'),
      refusal: { code: 'BAD_USER_INPUT', field: 'sectorGrades[0].grade' },
    },
    {
      why: '002 §12(一): a plan is for a town of the campaign',
      state: inFollowUp,
      action: { type: 'SUBMIT_RECTIFICATION_PLAN', townCode: '530302001', responsibility: '镇长', measures: '整改', deadlineOn: '2026-06-30' },
      when: at('2026-04-01'),
      refusal: { code: 'BAD_USER_INPUT', field: 'townCode' },
    },
    {
      why: '002 §12(二): a look-back is of a town in the sector it concerns',
      state: inFollowUp,
      action: { type: 'SCHEDULE_LOOK_BACK', townCode: T3, sector: 'HAZARDOUS_CHEMICALS', reason: 'MAJOR_HAZARDS', scheduledOn: '2026-09-01' },
      when: at('2026-04-01'),
      refusal: { code: 'BAD_USER_INPUT', field: 'townCode' },
    },
    {
      why: 'a look-back is held later, not in the past',
      state: inFollowUp,
      action: { type: 'SCHEDULE_LOOK_BACK', townCode: T2, sector: 'HAZARDOUS_CHEMICALS', reason: 'MAJOR_HAZARDS', scheduledOn: '2026-03-31' },
      when: at('2026-04-01'),
      refusal: { code: 'BAD_USER_INPUT', field: 'scheduledOn' },
    },
    {
      why: 'an inspection is recorded once held',
      state: inFollowUp,
      action: { type: 'RECORD_INSPECTION', townCode: T2, on: '2026-04-02', findings: '台账不全' },
      when: at('2026-04-01'),
      refusal: { code: 'BAD_USER_INPUT', field: 'on' },
    },
    {
      why: '002 §12: follow-up closes once every town has a plan',
      state: inFollowUp,
      action: { type: 'CLOSE_FOLLOW_UP' },
      when: at('2026-04-01'),
      refusal: { code: 'INVALID_TRANSITION' },
    },
    { why: 'dates are real dates', state: inFollowUp, action: { type: 'RECORD_INSPECTION', townCode: T2, on: '2026-02-30', findings: '台账不全' }, when: at('2026-04-01'), refusal: { code: 'BAD_USER_INPUT', field: 'on' } },
  ] as { why: string; state: () => CampaignState; action: CampaignAction; when: Date; refusal: object }[])('should refuse: $why', ({ state, action, when, refusal }) => {
    expect(refusalOf(() => checkCampaignAction(state(), action, when))).toEqual(refusal);
  });
});

describe('the campaign from its end to follow-up (002 §7-§12)', () => {
  test('should go through every stage, grade towns and sectors, and mark 优 for priority and 差 for the veto (002 §15-§16)', () => {
    const s = campaignIn('FOLLOW_UP');
    expect(s.preparation).toMatchObject({ submittedBy: office.name, leadingGroup: [{ name: '张某' }, { name: '李某', expert: true }] });
    expect(s.towns.every((t) => t.submittedAt && t.approvedAt && !t.overdue)).toBe(true);
    expect(s.grades.map((g) => [g.unitKind, g.unit, g.sector, g.grade, g.priority, g.veto])).toEqual([
      ['TOWN', T1, 'HAZARDOUS_CHEMICALS', 'EXCELLENT', true, false],
      ['TOWN', T2, 'HAZARDOUS_CHEMICALS', 'POOR', false, true],
      ['TOWN', T1, 'CONSTRUCTION', 'GOOD', false, false],
      ['TOWN', T3, 'CONSTRUCTION', 'FAIR', false, false],
      ['SECTOR', 'HAZARDOUS_CHEMICALS', 'HAZARDOUS_CHEMICALS', 'EXCELLENT', true, false],
      ['SECTOR', 'CONSTRUCTION', 'CONSTRUCTION', 'POOR', false, true],
    ]);
    expect(s.assessment).toMatchObject({ status: 'APPROVED', approvedBy: '分管副区长 陈某' });
    expect(s.overdue).toEqual([]);
  });

  test.each([
    { grade: 'EXCELLENT', priority: true, veto: false },
    { grade: 'GOOD', priority: false, veto: false },
    { grade: 'FAIR', priority: false, veto: false },
    { grade: 'POOR', priority: false, veto: true },
  ] satisfies { grade: Grade; priority: boolean; veto: boolean }[])('gradeMarks should mark $grade: priority $priority, veto $veto', ({ grade, priority, veto }) => {
    expect(gradeMarks(grade)).toEqual({ priority, veto });
  });

  test('should wait for every town before the sector review, and for every sector before the assessment', () => {
    let s = campaignIn('SELF_EVALUATION');
    s = act(s, { type: 'UNIT_APPROVED', unitKind: 'TOWN', unit: T1 }, at('2026-01-20'), system);
    s = act(s, { type: 'UNIT_APPROVED', unitKind: 'TOWN', unit: T2 }, at('2026-01-20'), system);
    expect(s.stage).toBe('SELF_EVALUATION');
    s = act(s, { type: 'UNIT_APPROVED', unitKind: 'TOWN', unit: T3 }, at('2026-01-21'), system);
    expect(s.stage).toBe('SECTOR_REVIEW');
    // A town that reports again, or out of its stage, is refused (the workflow ignores it).
    expect(refusalOf(() => checkCampaignAction(s, { type: 'UNIT_APPROVED', unitKind: 'TOWN', unit: T1 }, at('2026-01-22')))).toEqual({ code: 'INVALID_TRANSITION' });
    // A sector's grades cover exactly the towns in its scope.
    const partial: CampaignAction = { type: 'UNIT_APPROVED', unitKind: 'SECTOR', unit: 'CONSTRUCTION', townGrades: [{ townCode: T1, grade: 'GOOD' }] };
    expect(refusalOf(() => checkCampaignAction(s, partial, at('2026-02-20')))).toEqual({ code: 'BAD_USER_INPUT', field: 'townGrades' });
    s = act(s, { type: 'UNIT_APPROVED', unitKind: 'SECTOR', unit: 'CONSTRUCTION', townGrades: TOWN_GRADES.CONSTRUCTION }, at('2026-02-20'), system);
    expect(s.stage).toBe('SECTOR_REVIEW');
  });

  test('should take the short path: the lead department files its own assessment and the campaign closes (002 §13)', () => {
    const s = campaignIn('LEAD_ASSESSMENT', gasCampaign());
    expect(canCampaignTransition(s, 'APPROVE_ASSESSMENT')).toBe(false);
    const closed = act(s, assessment, at('2026-03-20'), { id: 'u-emergency', name: '海门区应急管理局 张某' });
    expect(closed.stage).toBe('CLOSED');
    expect(closed.assessment).toMatchObject({ status: 'FILED', submittedBy: '海门区应急管理局 张某' });
    expect(closed.grades.filter((g) => g.unitKind === 'SECTOR').map((g) => [g.unit, g.veto])).toEqual([
      ['HAZARDOUS_CHEMICALS', false],
      ['CONSTRUCTION', true],
    ]);
    expect(campaignDeadlineEvents(closed)).toEqual([]);
  });

  test('should close follow-up once every town has a plan and every look-back is recorded (002 §12)', () => {
    let s = campaignIn('FOLLOW_UP');
    for (const town of [T1, T2, T3]) {
      s = act(s, { type: 'SUBMIT_RECTIFICATION_PLAN', townCode: town, responsibility: '区镇主要负责人', measures: '逐项整改', deadlineOn: '2026-09-30' }, at('2026-04-10'));
    }
    s = act(s, { type: 'SCHEDULE_LOOK_BACK', townCode: T2, sector: 'HAZARDOUS_CHEMICALS', reason: 'MAJOR_HAZARDS', scheduledOn: '2026-10-15' }, at('2026-04-12'));
    expect(s.lookBacks[0]).toMatchObject({ id: 'L1', workflowId: `campaign/${s.case.campaignId}/look-back/L1`, scheduledBy: office.name });
    expect(refusalOf(() => checkCampaignAction(s, { type: 'CLOSE_FOLLOW_UP' }, at('2026-05-01')))).toEqual({ code: 'INVALID_TRANSITION' });
    s = act(s, { type: 'LOOK_BACK_DUE', lookBackId: 'L1' }, at('2026-10-15'), system);
    s = act(s, { type: 'LOOK_BACK_RECORDED', lookBackId: 'L1', findings: '重大隐患已整改到位', resolved: true }, at('2026-10-16'), system);
    s = act(s, { type: 'RECORD_INSPECTION', townCode: T2, on: '2026-10-20', findings: '整改台账齐全' }, at('2026-10-21'));
    s = act(s, { type: 'CLOSE_FOLLOW_UP' }, at('2026-11-01'));
    expect(s).toMatchObject({ stage: 'CLOSED', closedAt: at('2026-11-01').toISOString() });
  });
});

describe('extensions (002 §10(五))', () => {
  // Self-evaluation due 24 February 2026, after the Spring Festival.
  const festival = () => initialCampaignState(haimenCampaign({ endsOn: '2026-01-17' }), cal2026, at('2026-01-18'));
  const request = (untilOn: string): CampaignAction => ({ type: 'REQUEST_EXTENSION', clock: 'SELF_EVALUATION', untilOn, explanation: '春节前后企业停产，现场核查推迟', requestingUnit: '海门街道' });

  test('should accept a request 7 working days ahead and refuse one 6 working days ahead', () => {
    // Before 24 Feb: 14 (make-up Saturday), 13, 12, 11, 10, 9, 6 → the last day to ask is 6 February.
    expect(lastDayToRequestExtension({ dueOn: '2026-02-24' }, cal2026)).toBe('2026-02-06');
    expect(refusalOf(() => checkCampaignAction(festival(), request('2026-03-10'), at('2026-02-06', 17)))).toBeUndefined();
    const late = refusalOf(() => checkCampaignAction(festival(), request('2026-03-10'), at('2026-02-09', 9)));
    expect(late).toEqual({ code: 'INVALID_TRANSITION' });
  });

  test('should move the clock and the later ones when the office approves, and nothing when it refuses', () => {
    let s = act(festival(), request('2026-03-10'), at('2026-02-02'), { id: 'u-t1', name: '海门街道 王某' });
    expect(s.extensions[0]).toMatchObject({ id: 'E1', clock: 'SELF_EVALUATION', requestedBy: '海门街道 王某', untilOn: '2026-03-10' });
    // One request per clock at a time.
    expect(refusalOf(() => checkCampaignAction(s, request('2026-03-12'), at('2026-02-02')))).toEqual({ code: 'INVALID_TRANSITION' });
    const refused = act(s, { type: 'DECIDE_EXTENSION', extensionId: 'E1', approved: false, reason: '理由不充分' }, at('2026-02-03'));
    expect(refused.deadlines.map((d) => d.dueOn)).toEqual(['2026-01-27', '2026-02-24', '2026-03-26', '2026-04-27']);
    s = act(s, { type: 'DECIDE_EXTENSION', extensionId: 'E1', approved: true, reason: '' }, at('2026-02-03'));
    expect(s.deadlines.map((d) => [d.dueOn, d.extendedDays])).toEqual([
      ['2026-01-27', 0],
      ['2026-03-10', 14],
      ['2026-04-09', 0],
      ['2026-05-09', 0],
    ]);
    expect(refusalOf(() => checkCampaignAction(s, { type: 'DECIDE_EXTENSION', extensionId: 'E1', approved: true, reason: '' }, at('2026-02-04')))).toEqual({ code: 'INVALID_TRANSITION' });
  });

  test.each([
    { why: 'a new last day after the current one', untilOn: '2026-02-20', when: at('2026-02-02'), refusal: { code: 'BAD_USER_INPUT', field: 'untilOn' } },
    { why: 'a written explanation', untilOn: '2026-03-10', explanation: ' ', when: at('2026-02-02'), refusal: { code: 'BAD_USER_INPUT', field: 'explanation' } },
    { why: 'a deadline not yet passed', untilOn: '2026-03-10', when: at('2026-02-25'), refusal: { code: 'INVALID_TRANSITION' } },
  ])('should require $why', ({ untilOn, explanation, when, refusal }) => {
    const action = { ...request(untilOn), ...(explanation === undefined ? {} : { explanation }) } as CampaignAction;
    expect(refusalOf(() => checkCampaignAction(festival(), action, when))).toEqual(refusal);
  });

  test('should refuse an extension of a clock whose work is done', () => {
    const s = campaignIn('COMPREHENSIVE_ASSESSMENT');
    const action: CampaignAction = { type: 'REQUEST_EXTENSION', clock: 'SECTOR_REVIEW', untilOn: '2026-04-30', explanation: '已完成', requestingUnit: '海门区应急管理局' };
    expect(refusalOf(() => checkCampaignAction(s, action, at('2026-02-27')))).toEqual({ code: 'INVALID_TRANSITION' });
  });
});

describe('deadline events', () => {
  test('should remind 7 days and 1 day before, then flag the stage and every town not approved overdue', () => {
    let s = campaignIn('SELF_EVALUATION');
    s = act(s, { type: 'UNIT_APPROVED', unitKind: 'TOWN', unit: T1 }, at('2026-01-20'), system);
    const upcoming = campaignDeadlineEvents(s).filter((e) => e.clock === 'SELF_EVALUATION');
    expect(upcoming.map((e) => [e.key, e.at])).toEqual([
      ['SELF_EVALUATION-reminder-7d@2026-01-30', '2026-01-23T16:00:00.000Z'],
      ['SELF_EVALUATION-reminder-1d@2026-01-30', '2026-01-29T16:00:00.000Z'],
      ['SELF_EVALUATION-overdue@2026-01-30', '2026-01-30T16:00:00.000Z'],
    ]);
    const reminder = upcoming[0]!;
    expect(campaignEventRecipients(s, reminder)).toEqual(['三厂街道', '临江镇']);
    expect(campaignNotice(s, reminder, at('2026-01-24'))).toBe('【专项整治评估提醒】海门区安全生产专项整治三年行动：须于2026-01-30前完成基层自评并经区镇分管领导审核，还剩7天。');

    s = fire(s, at('2026-01-31'));
    expect(s.overdue).toEqual(['SELF_EVALUATION']);
    expect(s.towns.map((t) => [t.unit, t.overdue])).toEqual([
      [T1, false],
      [T2, true],
      [T3, true],
    ]);
    // Overdue stays when the town is approved late.
    s = act(s, { type: 'UNIT_APPROVED', unitKind: 'TOWN', unit: T2 }, at('2026-02-02'), system);
    expect(s.towns.find((t) => t.unit === T2)!.overdue).toBe(true);
  });

  test('should announce only the last of several reminders due together, and none once the clock is overdue', () => {
    const s = campaignIn('PREPARATION');
    const { due, announce } = dueCampaignEvents(s, at('2026-01-12', 12));
    expect(due.map((e) => e.key)).toEqual(['PREPARATION-reminder-7d@2026-01-12', 'PREPARATION-reminder-1d@2026-01-12']);
    expect(announce.map((e) => e.key)).toEqual(['PREPARATION-reminder-1d@2026-01-12']);
    const late = dueCampaignEvents(s, at('2026-01-14'));
    expect(late.announce.map((e) => e.kind)).toEqual(['OVERDUE']);
    expect(campaignEventRecipients(s, late.announce[0]!)).toEqual(['海门区应急管理局', '海门区住房和城乡建设局', '海门区安全生产委员会办公室']);
  });

  test.each([
    {
      why: 'the campaign ended: the lead departments prepare (002 §8)',
      state: () => campaignIn('WAITING_FOR_END'),
      now: at('2026-01-01'),
      text: '【专项整治评估】海门区安全生产专项整治三年行动已于2025-12-31结束，请于2026-01-12前制定评估工作方案、组建评估工作领导小组。',
    },
    {
      why: 'the preparation is overdue',
      state: () => campaignIn('PREPARATION'),
      now: at('2026-01-13'),
      text: '【专项整治评估逾期】海门区安全生产专项整治三年行动：未在2026-01-12前制定评估工作方案、组建评估工作领导小组，已标记逾期。',
    },
    {
      why: 'a reminder of a provisional deadline says it may move',
      state: () => campaignIn('PREPARATION', haimenCampaign(), EMPTY_CALENDAR),
      now: at('2026-01-11'),
      text: '【专项整治评估提醒】海门区安全生产专项整治三年行动：须于2026-01-12前制定评估工作方案、组建评估工作领导小组，还剩2天（该年度节假日安排尚未公布，期限可能调整）。',
    },
    {
      why: 'the short path\'s assessment is the lead department\'s, filed with the office (002 §13)',
      state: () => campaignIn('LEAD_ASSESSMENT', gasCampaign()),
      now: at('2026-03-31'),
      text: '【专项整治评估提醒】城镇燃气安全专项整治：须于2026-04-01前完成牵头部门综合评议并报区安委办备案，还剩2天。',
    },
  ])('campaignNotice should say: $why', ({ state, now, text }) => {
    const s = state();
    const { announce } = dueCampaignEvents(s, now);
    expect(announce.map((e) => campaignNotice(s, e, now))).toContain(text);
  });

  test('should flag each sector not approved when the review is overdue', () => {
    let s = campaignIn('SECTOR_REVIEW');
    s = act(s, { type: 'UNIT_APPROVED', unitKind: 'SECTOR', unit: 'HAZARDOUS_CHEMICALS', townGrades: TOWN_GRADES.HAZARDOUS_CHEMICALS }, at('2026-02-20'), system);
    s = fire(s, at('2026-03-03'));
    expect(s.overdue).toEqual(['SECTOR_REVIEW']);
    expect(s.sectors.map((u) => [u.unit, u.overdue])).toEqual([
      ['HAZARDOUS_CHEMICALS', false],
      ['CONSTRUCTION', true],
    ]);
  });

  test('should lift an overdue flag, and arm fresh reminders, when an approved extension moves the deadline later', () => {
    let s = initialCampaignState(haimenCampaign({ endsOn: '2026-01-17' }), cal2026, at('2026-01-18'));
    s = act(s, preparation, at('2026-01-20'));
    s = act(s, { type: 'REQUEST_EXTENSION', clock: 'SELF_EVALUATION', untilOn: '2026-03-10', explanation: '节后复工晚', requestingUnit: '海门区应急管理局' }, at('2026-02-02'));
    s = fire(s, at('2026-02-25')); // the office decides only after the old last day
    expect(s.overdue).toEqual(['SELF_EVALUATION']);
    s = act(s, { type: 'DECIDE_EXTENSION', extensionId: 'E1', approved: true, reason: '同意延期' }, at('2026-02-26'));
    expect(s.overdue).toEqual([]);
    expect(s.towns.every((t) => !t.overdue)).toBe(true);
    expect(campaignDeadlineEvents(s).filter((e) => e.clock === 'SELF_EVALUATION').map((e) => e.key)).toEqual([
      'SELF_EVALUATION-reminder-7d@2026-03-10',
      'SELF_EVALUATION-reminder-1d@2026-03-10',
      'SELF_EVALUATION-overdue@2026-03-10',
    ]);
  });
});

describe('a calendar loaded later', () => {
  // 2027 as an office would load it (holidays and make-up days invented for the test, in the shape of a notice).
  const year2027: CalendarYear = {
    year: 2027,
    source: 'LOADED',
    notice: '国务院办公厅关于2027年部分节假日安排的通知',
    holidays: ['2027-01-01', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12', '2027-02-13'],
    workdays: ['2027-02-14', '2027-02-20'],
  };

  test('should make provisional deadlines final, and move one that falls on a holiday (and the ones after it)', () => {
    let s = initialCampaignState(haimenCampaign({ startsOn: '2026-01-01', endsOn: '2027-01-09' }), cal2026, at('2026-12-01'));
    // Self-evaluation: 8 February 2027, a Monday without a calendar.
    expect(s.deadlines.map((d) => [d.dueOn, d.provisional])).toEqual([
      ['2027-01-19', true],
      ['2027-02-08', true],
      ['2027-03-10', true],
      ['2027-04-09', true],
    ]);
    s = act(s, { type: 'CALENDAR_LOADED', calendar: { years: [year2027] } }, at('2026-12-10'), system);
    expect(s.deadlines.map((d) => [d.dueOn, d.provisional])).toEqual([
      ['2027-01-19', false],
      ['2027-02-14', false], // the festival holiday rolls to the make-up Sunday
      ['2027-03-16', false],
      ['2027-04-15', false],
    ]);
    // Loading the same year again changes nothing (no new revision).
    expect(applyCampaignAction(s, { type: 'CALENDAR_LOADED', calendar: { years: [year2027] } }, system, at('2026-12-11'))).toBe(s);
  });

  test('should refuse a calendar year that is not calendar data', () => {
    const s = campaignIn('PREPARATION');
    const bad: CampaignAction = { type: 'CALENDAR_LOADED', calendar: { years: [{ ...year2027, holidays: ['2026-02-05'] }] } };
    expect(refusalOf(() => checkCampaignAction(s, bad, at('2026-01-05')))).toEqual({ code: 'BAD_USER_INPUT', field: 'calendar.years[0].holidays[0]' });
  });
});

// ---- the children ----

describe('a town self-evaluation (002 §9)', () => {
  const c = haimenCampaign();
  const town = () =>
    initialTownState({ campaignId: c.campaignId, campaignWorkflowId: `campaign/${c.campaignId}`, town: c.towns[1]!, districtRegionCode: HAIMEN, sectors: ['HAZARDOUS_CHEMICALS'] });
  const submit: Extract<TownAction, { type: 'SUBMIT_TOWN_SELF_EVALUATION' }> = {
    type: 'SUBMIT_TOWN_SELF_EVALUATION',
    report: '三厂街道专项整治自评报告',
    targetTasks: ['化工企业自动化改造完成率100%'],
    hazardRectifications: ['重大隐患3项全部整改'],
    typicalPractices: ['园区封闭化管理'],
  };
  const chief: Actor = { id: 'u-t2-chief', name: '三厂街道 分管副主任 吴某' };

  test('should count only once the town leader in charge approves; a return sends it back to drafting', () => {
    let s = town();
    checkTownAction(s, submit);
    s = applyTownAction(s, submit, { id: 'u-t2', name: '三厂街道安监办 朱某' }, at('2026-01-15'));
    expect(s).toMatchObject({ stage: 'AWAITING_APPROVAL', revision: 2, draft: { submittedBy: '三厂街道安监办 朱某' } });
    s = applyTownAction(s, { type: 'RETURN_TOWN_SELF_EVALUATION', reason: '隐患清单缺整改时限' }, chief, at('2026-01-16'));
    expect(s.stage).toBe('DRAFTING');
    expect(refusalOf(() => checkTownAction(s, { type: 'APPROVE_TOWN_SELF_EVALUATION' }))).toEqual({ code: 'INVALID_TRANSITION' });
    s = applyTownAction(applyTownAction(s, submit, chief, at('2026-01-18')), { type: 'APPROVE_TOWN_SELF_EVALUATION' }, chief, at('2026-01-19'));
    expect(s).toMatchObject({ stage: 'APPROVED', approvedBy: chief.name, returns: [{ reason: '隐患清单缺整改时限' }] });
  });

  test.each([
    { field: 'targetTasks', action: { ...submit, targetTasks: [] } },
    { field: 'hazardRectifications[0]', action: { ...submit, hazardRectifications: [' '] } },
    { field: 'report', action: { ...submit, report: '' } },
  ])('should require each part of the material (002 §9(二)): $field', ({ field, action }) => {
    expect(refusalOf(() => checkTownAction(town(), action as never))).toEqual({ code: 'BAD_USER_INPUT', field });
  });

  test('should scope access to its town', () => {
    expect(townScope(town())).toMatchObject({ districtRegionCode: HAIMEN, townCode: T2, townCodes: [T2], stage: 'SELF_EVALUATION' });
  });
});

describe('a sector review (002 §10)', () => {
  const c = haimenCampaign();
  const sector = () => initialSectorState({ campaignId: c.campaignId, campaignWorkflowId: `campaign/${c.campaignId}`, districtRegionCode: HAIMEN, scope: c.sectors[1]! });
  const review: Extract<SectorAction, { type: 'SUBMIT_SECTOR_REVIEW' }> = {
    type: 'SUBMIT_SECTOR_REVIEW',
    overall: '建筑施工领域复评总体报告',
    subReports: [
      { unit: T1, text: '海门街道子项报告' },
      { unit: T3, text: '临江镇子项报告' },
    ],
    townGrades: TOWN_GRADES.CONSTRUCTION!,
  };
  const dept: Actor = { id: 'u-housing', name: '海门区住房和城乡建设局 孙某' };

  test('should need a review method first, then a grade and a sub-report for every town in scope', () => {
    let s = sector();
    expect(refusalOf(() => checkSectorAction(s, review, at('2026-02-10')))).toEqual({ code: 'INVALID_TRANSITION' });
    const method = { type: 'RECORD_REVIEW_METHOD', method: 'RANDOM_VISIT', on: '2026-02-09', summary: '随机走访工地12处' } as const;
    checkSectorAction(s, method, at('2026-02-10'));
    s = applySectorAction(s, method, dept, at('2026-02-10'));
    expect(refusalOf(() => checkSectorAction(s, { ...review, townGrades: [{ townCode: T1, grade: 'GOOD' }] }, at('2026-02-10')))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'townGrades',
    });
    expect(refusalOf(() => checkSectorAction(s, { ...review, subReports: [{ unit: T1, text: 'x' }, { unit: T2, text: 'y' }] }, at('2026-02-10')))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'subReports[1]',
    });
    checkSectorAction(s, review, at('2026-02-10'));
    s = applySectorAction(s, review, dept, at('2026-02-10'));
    s = applySectorAction(s, { type: 'APPROVE_SECTOR_REVIEW' }, { id: 'u-leader', name: '分管副区长 陈某' }, at('2026-02-12'));
    expect(s).toMatchObject({ stage: 'APPROVED', revision: 4, review: { townGrades: TOWN_GRADES.CONSTRUCTION } });
    expect(sectorScope(s)).toMatchObject({ sector: 'CONSTRUCTION', sectors: [{ leadDepartmentId: 'dept-housing', townCodes: [T1, T3] }] });
  });

  test('should refuse a review method used in the future', () => {
    const method = { type: 'RECORD_REVIEW_METHOD', method: 'MEETING', on: '2026-02-11', summary: '座谈会' } as const;
    expect(refusalOf(() => checkSectorAction(sector(), method, at('2026-02-10')))).toEqual({ code: 'BAD_USER_INPUT', field: 'on' });
  });
});

describe('a look-back review (002 §12(二))', () => {
  const c = haimenCampaign();
  const lookBack: LookBack = {
    id: 'L1',
    workflowId: `campaign/${c.campaignId}/look-back/L1`,
    townCode: T2,
    sector: 'HAZARDOUS_CHEMICALS',
    reason: 'MAJOR_HAZARDS',
    scheduledOn: '2026-10-15',
    scheduledBy: '海门区应急管理局 张某',
  };
  const state = () =>
    initialLookBackState({
      campaignId: c.campaignId,
      campaignWorkflowId: `campaign/${c.campaignId}`,
      districtRegionCode: HAIMEN,
      lookBack,
      leadDepartmentId: 'dept-emergency',
      leadDepartmentName: '海门区应急管理局',
      townName: '三厂街道',
    });

  test('should fall due at the start of its day in China and be recorded only from then on', () => {
    let s = state();
    expect(lookBackDueAt(s)).toBe('2026-10-14T16:00:00.000Z');
    const record = { type: 'RECORD_LOOK_BACK', findings: '重大隐患已整改', resolved: true } as const;
    expect(refusalOf(() => checkLookBackAction(s, record))).toEqual({ code: 'INVALID_TRANSITION' });
    s = markLookBackDue(s, at('2026-10-15'));
    expect(s).toMatchObject({ stage: 'DUE', lookBack: { dueSince: at('2026-10-15').toISOString() } });
    expect(lookBackNotice(s)).toBe('【整改落实“回头看”】海门区应急管理局：三厂街道的“回头看”定于2026-10-15，请组织开展并记录结果。');
    checkLookBackAction(s, record);
    s = applyLookBackAction(s, record, office, at('2026-10-16'));
    expect(s).toMatchObject({ stage: 'RECORDED', revision: 3, lookBack: { findings: '重大隐患已整改', resolved: true } });
    expect(refusalOf(() => checkLookBackAction(s, record))).toEqual({ code: 'INVALID_TRANSITION' });
    expect(lookBackScope(s)).toMatchObject({ sector: 'HAZARDOUS_CHEMICALS', townCode: T2, sectors: [{ leadDepartmentId: 'dept-emergency' }] });
  });
});

describe('campaignScope', () => {
  test('should tell access rules the town, sector or clock an action is on', () => {
    const s = campaignIn('FOLLOW_UP');
    expect(campaignScope(s)).toMatchObject({ districtRegionCode: HAIMEN, townCodes: [T1, T2, T3], stage: 'FOLLOW_UP', fullPath: true });
    expect(campaignActionScope(s, { type: 'SUBMIT_RECTIFICATION_PLAN', townCode: T2, responsibility: 'x', measures: 'y', deadlineOn: '2026-09-30' })).toMatchObject({ townCode: T2 });
    expect(campaignActionScope(s, { type: 'SCHEDULE_LOOK_BACK', townCode: T2, sector: 'HAZARDOUS_CHEMICALS', reason: 'MAJOR_HAZARDS', scheduledOn: '2026-10-15' })).toMatchObject({
      townCode: T2,
      sector: 'HAZARDOUS_CHEMICALS',
    });
    const prep = campaignIn('PREPARATION');
    expect(
      campaignActionScope(prep, { type: 'REQUEST_EXTENSION', clock: 'SELF_EVALUATION', untilOn: '2026-02-20', explanation: 'x', requestingUnit: '海门街道' }),
    ).toMatchObject({ clock: 'SELF_EVALUATION' });
  });
});
