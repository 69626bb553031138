import { DomainError } from '../../domain/errors.js';
import {
  allowedHazardActions,
  applyHazardAction,
  applyWhistleblowerAction,
  checkHazardAction,
  checkWhistleblowerAction,
  DEFAULT_HAZARD_PROFILE,
  dueHazardEvents,
  enforcementAdvice,
  hazardDeadlineEvents,
  hazardEventRecipients,
  hazardScope,
  initialHazardState,
  initialWhistleblowerState,
  whistleblowerStatus,
  type Actor,
  type EnforcementAdvice,
  type HazardAction,
  type HazardCase,
  type HazardState,
} from '../../domain/hazard.js';

const AT = new Date('2025-06-10T02:00:00.000Z'); // 2025-06-10 in China
const actor: Actor = { id: 'a', name: '刘某' };
const ACCIDENT = '6f1c1b8e-2d4a-4c1e-9a57-1c2b3d4e5f60';

function hazardCase(over: Partial<HazardCase> = {}): HazardCase {
  return {
    hazardId: '0d1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b',
    enterpriseId: 'e',
    enterpriseName: '华达化工',
    sector: 'HAZARDOUS_CHEMICALS',
    grade: 'MAJOR',
    source: 'SELF_REPORT',
    regionCode: '320621101',
    upperRegionCodes: ['320621', '320600', '320000'],
    upperOfficeNames: ['海安市安委办', '南通市安委办', '江苏省安委办'],
    supervisingDepartmentId: 'd',
    supervisingDepartmentName: '海安市应急管理局',
    judgementBasis: '判定标准第十条',
    description: '储罐区未设紧急切断',
    evidence: '照片',
    reportedAt: AT.toISOString(),
    reportedBy: '刘某',
    earlierPenalties: 0,
    profile: DEFAULT_HAZARD_PROFILE,
    ...over,
  };
}

const PLAN = { responsiblePerson: '刘某', measures: '加装切断阀', funds: '120000.50', deadlineOn: '2025-07-10', emergencyPlan: '专项预案' };

function run(state: HazardState, ...actions: HazardAction[]): HazardState {
  return actions.reduce((s, a) => {
    checkHazardAction(s, a, AT);
    return applyHazardAction(s, a, actor, AT);
  }, state);
}
function refused(state: HazardState, action: HazardAction): { code: string; field?: string } {
  try {
    checkHazardAction(state, action, AT);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return { code: (error as DomainError).code, field: (error as DomainError).field };
  }
  throw new Error('not refused');
}

const reported = (over: Partial<HazardCase> = {}) => initialHazardState(hazardCase(over));
const rectifying = (over: Partial<HazardCase> = {}) => run(reported(over), { type: 'PLAN_RECTIFICATION', ...PLAN });

describe('the hazard from entry to closure (003 §三.(二))', () => {
  test('a general hazard fixed at once is closed; a major one goes to acceptance first', () => {
    expect(run(reported({ grade: 'GENERAL' }), { type: 'FIX_AT_ONCE', evidence: '已更换' })).toMatchObject({ stage: 'CLOSED', revision: 2 });
    const major = run(reported(), { type: 'FIX_AT_ONCE', evidence: '已更换' });
    expect(major).toMatchObject({ stage: 'ACCEPTANCE', submissions: [{ evidence: '已更换' }] });
    expect(run(major, { type: 'ACCEPT_RECTIFICATION', evidence: '复核' }).stage).toBe('CLOSED');
    // Refused, with no plan behind it: back to the ledger, to be fixed or planned.
    expect(run(major, { type: 'REFUSE_ACCEPTANCE', reason: '未整改' }).stage).toBe('REPORTED');
  });

  test.each([
    ['responsiblePerson', { responsiblePerson: '' }],
    ['measures', { measures: '  ' }],
    ['funds', { funds: '-1' }],
    ['funds', { funds: '12,000' }],
    ['funds', { funds: '1.234' }],
    ['deadlineOn', { deadlineOn: '2025-06-10' }],
    ['deadlineOn', { deadlineOn: '2025-02-30' }],
    ['emergencyPlan', { emergencyPlan: '' }],
  ])('a plan is refused without a valid %s (all five must-haves)', (field, change) => {
    expect(refused(reported(), { type: 'PLAN_RECTIFICATION', ...PLAN, ...change })).toEqual({ code: 'BAD_USER_INPUT', field });
  });

  test('a plan sets the deadline, which ends at China midnight after its day', () => {
    expect(rectifying()).toMatchObject({ stage: 'RECTIFYING', deadlineOn: '2025-07-10', dueAt: '2025-07-10T16:00:00.000Z', plan: { funds: '120000.50', by: '刘某' } });
  });

  test.each<[string, HazardAction['type'], HazardState]>([
    ['submitting before any plan', 'SUBMIT_FOR_ACCEPTANCE', reported()],
    ['accepting while rectifying', 'ACCEPT_RECTIFICATION', rectifying()],
    ['planning twice', 'PLAN_RECTIFICATION', rectifying()],
    ['deciding with no extension pending', 'DECIDE_EXTENSION', rectifying()],
    ['lifting a listing never made', 'LIFT_SUPERVISION', rectifying()],
  ])('%s is an invalid transition', (_what, type, state) => {
    const action = { type, ...PLAN, evidence: 'x', reason: 'x', extensionId: 'E1', approved: true } as unknown as HazardAction;
    expect(refused(state, action).code).toBe('INVALID_TRANSITION');
  });

  test('an extension is asked at least three days before the deadline, one at a time; approval moves the deadline', () => {
    const s = rectifying();
    expect(refused(s, { type: 'REQUEST_EXTENSION', untilOn: '2025-07-10', reason: '延期' })).toEqual({ code: 'BAD_USER_INPUT', field: 'untilOn' });
    const late = run(reported(), { type: 'PLAN_RECTIFICATION', ...PLAN, deadlineOn: '2025-06-12' });
    expect(refused(late, { type: 'REQUEST_EXTENSION', untilOn: '2025-07-01', reason: '延期' }).code).toBe('INVALID_TRANSITION');
    const asked = run(s, { type: 'REQUEST_EXTENSION', untilOn: '2025-08-10', reason: '设备到货延迟' });
    expect(refused(asked, { type: 'REQUEST_EXTENSION', untilOn: '2025-08-20', reason: '再延' }).code).toBe('INVALID_TRANSITION');
    expect(refused(asked, { type: 'DECIDE_EXTENSION', extensionId: 'E9', approved: true, reason: '同意' })).toEqual({ code: 'NOT_FOUND', field: 'extensionId' });
    const approved = run(asked, { type: 'DECIDE_EXTENSION', extensionId: 'E1', approved: true, reason: '同意' });
    expect(approved).toMatchObject({ deadlineOn: '2025-08-10', dueAt: '2025-08-10T16:00:00.000Z' });
    expect(hazardDeadlineEvents(approved).map((e) => e.key)).toEqual(['reminder-7d@2025-08-10', 'reminder-1d@2025-08-10', 'overdue-1@2025-08-10', 'overdue-2@2025-08-10', 'overdue-3@2025-08-10']);
    const denied = run(asked, { type: 'DECIDE_EXTENSION', extensionId: 'E1', approved: false, reason: '理由不充分' });
    expect(denied.deadlineOn).toBe('2025-07-10');
  });

  test('listed supervision keeps an accepted hazard open until the listing is lifted', () => {
    const listed = run(rectifying(), { type: 'LIST_SUPERVISION', regionCode: '320621', officeName: '海安市安委办', documentNo: '海安委办〔2025〕12号', listedOn: '2025-06-10' });
    expect(refused(rectifying(), { type: 'LIST_SUPERVISION', regionCode: '320682', officeName: '如皋', documentNo: '1', listedOn: '2025-06-10' })).toEqual({ code: 'BAD_USER_INPUT', field: 'regionCode' });
    expect(refused(listed, { type: 'RECORD_SUPERVISION_RECEIPT', signedBy: '赵某', receivedOn: '2025-06-09' })).toEqual({ code: 'BAD_USER_INPUT', field: 'receivedOn' });
    const accepted = run(listed, { type: 'SUBMIT_FOR_ACCEPTANCE', evidence: '完成' }, { type: 'ACCEPT_RECTIFICATION', evidence: '合格' });
    expect(accepted).toMatchObject({ stage: 'ACCEPTANCE', acceptedBy: '刘某' });
    expect(allowedHazardActions(accepted)).toContain('LIFT_SUPERVISION');
    expect(run(accepted, { type: 'LIFT_SUPERVISION' })).toMatchObject({ stage: 'CLOSED', supervision: { liftedBy: '刘某' } });
    expect(hazardScope(listed)).toMatchObject({ supervisionRegionCode: '320621', regionCode: '320621101', supervisingDepartmentId: 'd' });
  });
});

describe('reminders and the three overdue notices climbing the region tree', () => {
  test('each notice goes one level further up, the last level when the tree is shorter', () => {
    const events = hazardDeadlineEvents(rectifying()).filter((e) => e.kind !== 'REMINDER');
    expect(events.map((e) => [e.kind, e.at, e.officeName])).toEqual([
      ['OVERDUE', '2025-07-10T16:00:00.000Z', '海安市安委办'],
      ['ESCALATION', '2025-07-17T16:00:00.000Z', '南通市安委办'],
      ['ESCALATION', '2025-07-24T16:00:00.000Z', '江苏省安委办'],
    ]);
    const short = hazardDeadlineEvents(rectifying({ regionCode: '320621', upperRegionCodes: ['320600'], upperOfficeNames: ['南通市安委办'] }));
    expect(short.filter((e) => e.notice).map((e) => e.officeName)).toEqual(['南通市安委办', '南通市安委办', '南通市安委办']);
  });

  test('of reminders due together only the last is announced, none once overdue; firing marks the hazard overdue', () => {
    const s = rectifying();
    const lateWorker = dueHazardEvents(s, new Date('2025-07-10T00:00:00.000Z'));
    expect(lateWorker.due.map((e) => e.key)).toEqual(['reminder-7d@2025-07-10', 'reminder-1d@2025-07-10']);
    expect(lateWorker.announce.map((e) => e.key)).toEqual(['reminder-1d@2025-07-10']);
    expect(hazardEventRecipients(s, lateWorker.announce[0]!)).toEqual(['华达化工', '海安市应急管理局']);
    const downLong = dueHazardEvents(s, new Date('2025-07-20T00:00:00.000Z'));
    expect(downLong.announce.map((e) => e.key)).toEqual(['overdue-1@2025-07-10', 'overdue-2@2025-07-10']);
    const fired = applyHazardAction(s, { type: 'FIRE_DEADLINES', keys: downLong.due.map((e) => e.key) }, actor, AT);
    expect(fired).toMatchObject({ overdue: true, overdueNotices: 2 });
    expect(hazardDeadlineEvents(fired).map((e) => e.key)).toEqual(['overdue-3@2025-07-10']);
    // Nothing is timed once the work is submitted for acceptance.
    expect(hazardDeadlineEvents(run(s, { type: 'SUBMIT_FOR_ACCEPTANCE', evidence: '完成' }))).toEqual([]);
  });
});

describe('enforcement advice (003 §三.(三)2.(1) ①②③)', () => {
  const fire = (s: HazardState, n: number): HazardState =>
    applyHazardAction(s, { type: 'FIRE_DEADLINES', keys: hazardDeadlineEvents(s).filter((e) => (e.notice ?? 0) >= 1 && e.notice! <= n).map((e) => e.key) }, actor, AT);
  const accepted = (s: HazardState) => run(s, { type: 'SUBMIT_FOR_ACCEPTANCE', evidence: '完成' }, { type: 'ACCEPT_RECTIFICATION', evidence: '合格' });
  const rows: [string, HazardState, EnforcementAdvice, string][] = [
    // ① self-found, reported and under effective remediation: no administrative penalty.
    ['self-reported, fixed at once', run(reported(), { type: 'FIX_AT_ONCE', evidence: '已整改' }), 'NO_PENALTY', '①'],
    ['self-reported, rectifying on time', rectifying(), 'NO_PENALTY', '①'],
    ['self-reported, accepted', accepted(rectifying()), 'NO_PENALTY', '①'],
    // ② left in place, or an accident followed: 一案双罚.
    ['self-reported, just reported (remediation to start)', reported(), 'NO_PENALTY', '①'],
    ['self-reported, fixed at once but acceptance refused', run(reported({ grade: 'MAJOR' }), { type: 'FIX_AT_ONCE', evidence: '已整改' }, { type: 'REFUSE_ACCEPTANCE', reason: '未整改到位' }), 'PENALISE_BOTH', '②'],
    ['self-reported, overdue', fire(rectifying(), 1), 'PENALISE_BOTH', '②'],
    ['overdue past the third notice', fire(rectifying(), 3), 'PENALISE_BOTH', '②'],
    ['found by inspection, nobody remedying it', reported({ source: 'INSPECTION' }), 'PENALISE_BOTH', '②'],
    ['found by inspection, even when rectified', accepted(rectifying({ source: 'INSPECTION' })), 'PENALISE_BOTH', '②'],
    ['self-reported and rectifying, but an accident followed', run(rectifying(), { type: 'ACCIDENT_LINKED', accidentId: ACCIDENT }), 'PENALISE_BOTH', '②'],
    // ③ penalised repeatedly: closure and an industry ban; suspected crime: the judiciary.
    ['left in place after two earlier penalties', fire(rectifying({ earlierPenalties: 2 }), 3), 'CLOSURE_AND_BAN', '③'],
    ['self-reported and on time after two earlier penalties', rectifying({ earlierPenalties: 2 }), 'NO_PENALTY', '①'],
    ['a suspected crime', run(rectifying(), { type: 'MARK_SUSPECTED_CRIME', reason: '伪造检测报告' }), 'TRANSFER_TO_JUDICIARY', '③'],
  ];
  test.each(rows.map(([what, state, advice, clause]) => [what, advice, state, clause] as const))('%s → %s', (_what, advice, state, clause) => {
    const result = enforcementAdvice(state);
    expect(result.advice).toBe(advice);
    expect(result.reason).toContain(`003 §三.(三)2.(1)${clause}`);
  });

  test('the decision is recorded with the advice it was given, once', () => {
    const decided = run(fire(rectifying(), 3), { type: 'RECORD_ENFORCEMENT_DECISION', decision: 'PENALTY', reason: '罚款' });
    expect(decided.decision).toMatchObject({ decision: 'PENALTY', advice: 'PENALISE_BOTH' });
    expect(refused(decided, { type: 'RECORD_ENFORCEMENT_DECISION', decision: 'PENALTY', reason: '再罚' }).code).toBe('INVALID_TRANSITION');
    expect(refused(rectifying(), { type: 'RECORD_ENFORCEMENT_DECISION', decision: 'WARN' as never, reason: 'x' })).toEqual({ code: 'BAD_USER_INPUT', field: 'decision' });
  });
});

describe('whistleblower reports (003 §三.三)', () => {
  const report = initialWhistleblowerState({
    reportId: 'r',
    receiptHash: 'h',
    regionCode: '320621101',
    handlingRegionCode: '320621',
    handlingOfficeName: '海安市安委办',
    description: '夜间违规动火',
    reporter: { name: '张某', contact: '138' },
    receivedAt: '2025-06-01T02:00:00.000Z',
  });
  const step = (s: typeof report, a: Parameters<typeof applyWhistleblowerAction>[1]) => {
    checkWhistleblowerAction(s, a, AT);
    return applyWhistleblowerAction(s, a, actor, AT);
  };

  test('dispatched, verified as a hazard, rewarded and closed; the status shows the stage, dates and outcome only', () => {
    const dispatched = step(report, { type: 'DISPATCH_REPORT', departmentId: ACCIDENT, departmentName: '应急局' });
    const verified = step(dispatched, { type: 'RECORD_VERIFICATION', outcome: 'HAZARD', findings: '属实', hazardId: ACCIDENT });
    const closed = step(step(verified, { type: 'RECORD_REWARD', amountYuan: '500', note: '奖励' }), { type: 'CLOSE_REPORT' });
    expect(whistleblowerStatus(closed)).toEqual({ stage: 'CLOSED', receivedOn: '2025-06-01', dispatchedOn: '2025-06-10', verifiedOn: '2025-06-10', closedOn: '2025-06-10', outcome: 'HAZARD' });
  });

  test('an unfounded report names no hazard and earns no reward', () => {
    expect(() => checkWhistleblowerAction(report, { type: 'RECORD_VERIFICATION', outcome: 'UNFOUNDED', findings: '不属实', hazardId: ACCIDENT }, AT)).toThrow(/hazardId/);
    const unfounded = step(report, { type: 'RECORD_VERIFICATION', outcome: 'UNFOUNDED', findings: '不属实' });
    expect(() => checkWhistleblowerAction(unfounded, { type: 'RECORD_REWARD', amountYuan: '500', note: '奖励' }, AT)).toThrow(/no reward/);
    expect(() => checkWhistleblowerAction(report, { type: 'CLOSE_REPORT' }, AT)).toThrow(/not possible/);
  });
});
