import { addDays, chinaDate, chinaMidnight } from '../../domain/calendar.js';
import {
  applyAction,
  canTransition,
  checkAction,
  deadlineEvents,
  dueDeadlineEvents,
  evaluationWindow,
  initialEvaluationState,
  type EvaluationAction,
  type EvaluationActionType,
  type EvaluationStage,
  type EvaluationState,
  type FindingStatus,
} from '../../domain/evaluation.js';
import { profileByVersion } from '../../domain/rule-profiles.js';
import { evaluationIn, leaderInCharge, officeDirector, qilinCase, refusalOf, run, shanxiCase, steps, system } from './fixtures.js';

const HOUR = 3_600_000;
const shanxi = shanxiCase();
const qilin = qilinCase();
const sx = steps(shanxi);
const ql = steps(qilin);

/** Publication and filing of the Shanxi case on 10 and 11 May 2027, before its due date of 31 May 2027. */
const publishedOn = chinaMidnight('2027-05-10');
function inFollowUp(findings: Record<string, FindingStatus>, referrals = true): EvaluationState {
  const s = steps(shanxi, findings, referrals);
  return run(evaluationIn('PUBLICATION', shanxi, findings, referrals), [s.publishReport, s.fileReport], publishedOn);
}

describe('canTransition', () => {
  test.each([
    // 001 §3: nothing is done before the window opens 10 months after closure
    { stage: 'WAITING_FOR_WINDOW', action: 'FORM_TEAM', allowed: false },
    // 000 §四, 001 §5: the team is formed once the window is open
    { stage: 'TEAM_FORMATION', action: 'FORM_TEAM', allowed: true },
    // 001 §6: the enterprise's self-evaluation comes after the team exists
    { stage: 'TEAM_FORMATION', action: 'SUBMIT_SELF_EVALUATION', allowed: false },
    { stage: 'SELF_EVALUATION', action: 'SUBMIT_SELF_EVALUATION', allowed: true },
    // 001 §8: document review → on-site verification → comprehensive assessment, in that order
    { stage: 'DOCUMENT_REVIEW', action: 'RECORD_ON_SITE_CHECK', allowed: false },
    { stage: 'ON_SITE_VERIFICATION', action: 'RECORD_ON_SITE_CHECK', allowed: true },
    { stage: 'ON_SITE_VERIFICATION', action: 'SUBMIT_ASSESSMENT', allowed: false },
    { stage: 'COMPREHENSIVE_ASSESSMENT', action: 'SUBMIT_ASSESSMENT', allowed: true },
    // 000 §六.三: no approval, hence no publication, before the draft exists
    { stage: 'REPORT_DRAFTING', action: 'APPROVE_REPORT', allowed: false },
    { stage: 'REPORT_APPROVAL', action: 'APPROVE_REPORT', allowed: true },
    { stage: 'REPORT_APPROVAL', action: 'RETURN_REPORT', allowed: true },
    { stage: 'REPORT_APPROVAL', action: 'PUBLISH_REPORT', allowed: false },
    // 001 §10: publication and filing follow approval
    { stage: 'PUBLICATION', action: 'PUBLISH_REPORT', allowed: true },
    { stage: 'PUBLICATION', action: 'FILE_REPORT', allowed: true },
    // 001 §11(二)(三): referral outcomes can arrive from publication on
    { stage: 'REPORT_APPROVAL', action: 'RECORD_REFERRAL_OUTCOME', allowed: false },
    { stage: 'PUBLICATION', action: 'RECORD_REFERRAL_OUTCOME', allowed: true },
    { stage: 'FOLLOW_UP', action: 'RECORD_REFERRAL_OUTCOME', allowed: true },
    // 001 §11(一): tasks exist only in follow-up
    { stage: 'PUBLICATION', action: 'TASK_STATUS', allowed: false },
    { stage: 'FOLLOW_UP', action: 'TASK_STATUS', allowed: true },
    // 004 item 3: deadlines are watched in every stage
    { stage: 'WAITING_FOR_WINDOW', action: 'FIRE_DEADLINES', allowed: true },
    { stage: 'CLOSED', action: 'FIRE_DEADLINES', allowed: true },
    // 001 §11: a closed evaluation takes no more official actions
    { stage: 'CLOSED', action: 'RECORD_REFERRAL_OUTCOME', allowed: false },
    { stage: 'CLOSED', action: 'PUBLISH_REPORT', allowed: false },
  ] satisfies { stage: EvaluationStage; action: EvaluationActionType; allowed: boolean }[])(
    'should answer $allowed when $action is asked in $stage',
    ({ stage, action, allowed }) => {
      expect(canTransition(stage, action)).toBe(allowed);
    },
  );
});

describe('evaluationWindow', () => {
  const profile = profileByVersion('shanxi', '2026-48')!;
  test.each([
    // 001 §3: 10 months to 1 year after closure
    { closedOn: '2026-05-31', opensOn: '2027-03-31', dueOn: '2027-05-31' },
    // 001 §3: a 30 April closure opens on the last day of February
    { closedOn: '2026-04-30', opensOn: '2027-02-28', dueOn: '2027-04-30' },
    // 001 §3: a 31 December closure is due a year later; opens on 31 October
    { closedOn: '2026-12-31', opensOn: '2027-10-31', dueOn: '2027-12-31' },
    // 001 §3: a leap-day closure is due on 28 February of the next year
    { closedOn: '2028-02-29', opensOn: '2028-12-29', dueOn: '2029-02-28' },
    // 001 §3: opening clamps to 30 November, due date keeps the 31st
    { closedOn: '2027-01-31', opensOn: '2027-11-30', dueOn: '2028-01-31' },
  ])('should open on $opensOn and fall due on $dueOn when the case closed on $closedOn', ({ closedOn, opensOn, dueOn }) => {
    const { opensAt, dueAt } = evaluationWindow(chinaMidnight(closedOn), profile);
    expect({ opensAt: opensAt.toISOString(), dueAt: dueAt.toISOString() }).toEqual({
      opensAt: chinaMidnight(opensOn).toISOString(),
      dueAt: chinaMidnight(dueOn).toISOString(),
    });
  });

  test('should take the months from the profile when a jurisdiction sets its own window', () => {
    // Rule profiles: deadlines belong to the versioned profile, not to constants
    const { opensAt, dueAt } = evaluationWindow(chinaMidnight('2026-05-31'), { ...profile, window: { opensAfterMonths: 11, dueAfterMonths: 12 } });
    expect([chinaDate(opensAt), chinaDate(dueAt)]).toEqual(['2027-04-30', '2027-05-31']);
  });

  test('should count from the China date when a case closed at 00:30 China time on 31 May, still 30 May in UTC', () => {
    // 001 §3 in China time: 31 May + 10 months is 31 March, not 30 March
    const { opensAt } = evaluationWindow(new Date('2026-05-30T16:30:00.000Z'), profile);
    expect(chinaDate(opensAt)).toBe('2027-03-31');
  });

  test('should start waiting for the window when an evaluation is created', () => {
    // 001 §3: the evaluation exists from closure but may not start before 10 months
    const state = initialEvaluationState(shanxi);
    expect(state).toMatchObject({
      stage: 'WAITING_FOR_WINDOW',
      revision: 1,
      opensAt: chinaMidnight('2027-03-31').toISOString(),
      dueAt: chinaMidnight('2027-05-31').toISOString(),
      overdue: [],
      tasks: [],
    });
  });
});

describe('checkAction refusals', () => {
  type Row = { why: string; state: () => EvaluationState; action: EvaluationAction; code: string; field?: string };
  const draft = (c = qilin) => steps(c).submitReportDraft;
  const published = () => run(evaluationIn('PUBLICATION'), [sx.publishReport], publishedOn);
  const filed = () => run(evaluationIn('PUBLICATION'), [sx.fileReport], publishedOn);
  const referralAnswered = () =>
    run(evaluationIn('PUBLICATION'), [{ type: 'RECORD_REFERRAL_OUTCOME', referralId: 'R1', outcome: '检察院已提起公诉' }], publishedOn);

  const refusals = (rows: Row[]) => rows.map((row) => ({ ...row, refusal: row.field ? `${row.code} (${row.field})` : row.code }));

  test.each(refusals([
    // 001 §3: not before 10 months after closure
    { why: 'a team is formed before the window opens', state: () => evaluationIn('WAITING_FOR_WINDOW'), action: sx.formTeam, code: 'INVALID_TRANSITION' },
    // 001 §8: assessment only after on-site verification
    { why: 'the assessment is submitted during on-site verification', state: () => evaluationIn('ON_SITE_VERIFICATION'), action: sx.submitAssessment, code: 'INVALID_TRANSITION' },
    // 000 §六.三: the report is approved only once drafted
    { why: 'the report is approved while still being drafted', state: () => evaluationIn('REPORT_DRAFTING'), action: sx.approveReport, code: 'INVALID_TRANSITION' },
    // 000 §四: a team needs a leader
    { why: 'the leader has no name', state: () => evaluationIn('TEAM_FORMATION'), action: { ...sx.formTeam, leader: { ...sx.formTeam.leader, name: '  ' } }, code: 'BAD_USER_INPUT', field: 'leader.name' },
    // 000 §四: 主要领导缺位时，由分管事故调查的副职担任
    { why: 'the leader is absent and no deputy is named', state: () => evaluationIn('TEAM_FORMATION'), action: { ...sx.formTeam, leaderAbsent: true }, code: 'BAD_USER_INPUT', field: 'deputy' },
    // 001 §5: 应邀请相应纪检监察机关
    { why: 'discipline inspection is not invited', state: () => evaluationIn('TEAM_FORMATION'), action: { ...sx.formTeam, members: sx.formTeam.members.filter((m) => m.role !== 'DISCIPLINE_INSPECTION') }, code: 'BAD_USER_INPUT', field: 'members' },
    // 001 §5: 原则上由参加事故调查的部门组成
    {
      why: 'nobody comes from a department that investigated',
      state: () => evaluationIn('TEAM_FORMATION'),
      action: { ...sx.formTeam, leader: { name: '李某', departmentName: '吕梁市安委办' }, members: [{ name: '纪检监察组 周某', departmentName: '市纪委监委', role: 'DISCIPLINE_INSPECTION' }] },
      code: 'BAD_USER_INPUT',
      field: 'members',
    },
    // 001 §5: every member is a named person
    { why: 'a member has no name', state: () => evaluationIn('TEAM_FORMATION'), action: { ...sx.formTeam, members: [{ ...sx.formTeam.members[0]!, name: '' }, sx.formTeam.members[1]!] }, code: 'BAD_USER_INPUT', field: 'members[0].name' },
    // 001 §5: 组长负责制 — one leader, given on its own
    {
      why: 'a second leader is slipped in among the members',
      state: () => evaluationIn('TEAM_FORMATION'),
      action: { ...sx.formTeam, members: [{ ...sx.formTeam.members[0]!, role: 'LEADER' }, sx.formTeam.members[1]!] } as unknown as EvaluationAction,
      code: 'BAD_USER_INPUT',
      field: 'members[0].role',
    },
    // 001 §6: the self-evaluation covers each measure
    { why: 'the self-evaluation skips measure 3', state: () => evaluationIn('SELF_EVALUATION'), action: { ...sx.submitSelfEvaluation, statements: sx.submitSelfEvaluation.statements.slice(0, 2) }, code: 'BAD_USER_INPUT', field: 'statements' },
    // 001 §6: only the report's own measures
    { why: 'the self-evaluation answers a measure of another case', state: () => evaluationIn('SELF_EVALUATION'), action: { ...sx.submitSelfEvaluation, statements: [...sx.submitSelfEvaluation.statements, { measureId: 'q1', statement: '已落实' }] }, code: 'BAD_USER_INPUT', field: 'statements' },
    // 001 §6: one statement per measure
    { why: 'the self-evaluation answers measure 1 twice', state: () => evaluationIn('SELF_EVALUATION'), action: { ...sx.submitSelfEvaluation, statements: [...sx.submitSelfEvaluation.statements, { measureId: 'm1', statement: '再次说明' }] }, code: 'BAD_USER_INPUT', field: 'statements' },
    // 001 §6: 事故发生单位 submits
    { why: 'the self-evaluation names no submitter', state: () => evaluationIn('SELF_EVALUATION'), action: { ...sx.submitSelfEvaluation, submittedBy: '' }, code: 'BAD_USER_INPUT', field: 'submittedBy' },
    // 001 §8(一): the document review is recorded
    { why: 'the document review has no summary', state: () => evaluationIn('DOCUMENT_REVIEW'), action: { type: 'COMPLETE_DOCUMENT_REVIEW', summary: ' ' }, code: 'BAD_USER_INPUT', field: 'summary' },
    // 001 §8(二): each check has a date
    { why: 'an on-site check date is written the Chinese way', state: () => evaluationIn('ON_SITE_VERIFICATION'), action: { ...sx.recordOnSiteCheck, on: '2027年4月12日' }, code: 'BAD_USER_INPUT', field: 'on' },
    // 001 §8(二)3: 走访核查 names the place visited
    { why: 'an on-site check has no place', state: () => evaluationIn('ON_SITE_VERIFICATION'), action: { ...sx.recordOnSiteCheck, place: '' }, code: 'BAD_USER_INPUT', field: 'place' },
    // 001 §8(二): verification needs at least one check
    { why: 'on-site verification is completed with no check recorded', state: () => evaluationIn('ON_SITE_VERIFICATION'), action: sx.completeOnSiteVerification, code: 'INVALID_TRANSITION' },
    // 001 §7: 逐项对照防范和整改措施建议
    { why: 'the assessment has no finding for measure 3', state: () => evaluationIn('COMPREHENSIVE_ASSESSMENT'), action: { ...sx.submitAssessment, measureFindings: sx.submitAssessment.measureFindings.slice(0, 2) }, code: 'BAD_USER_INPUT', field: 'measureFindings' },
    // 001 §7(二)(三): penalties and criminal liability are assessed too
    { why: 'the assessment skips the criminal-liability item', state: () => evaluationIn('COMPREHENSIVE_ASSESSMENT'), action: { ...sx.submitAssessment, accountabilityFindings: sx.submitAssessment.accountabilityFindings.slice(0, 1) }, code: 'BAD_USER_INPUT', field: 'accountabilityFindings' },
    // 001 §8(三): findings rest on the verification
    {
      why: 'the finding for measure 2 has no evidence',
      state: () => evaluationIn('COMPREHENSIVE_ASSESSMENT'),
      action: { ...sx.submitAssessment, measureFindings: sx.submitAssessment.measureFindings.map((f) => (f.measureId === 'm2' ? { ...f, evidence: '' } : f)) },
      code: 'BAD_USER_INPUT',
      field: 'measureFindings[1].evidence',
    },
    // 001 §11(三): a referral to the procuratorate states why
    { why: 'a referral gives no reason', state: () => evaluationIn('COMPREHENSIVE_ASSESSMENT'), action: { ...sx.submitAssessment, referrals: [{ kind: 'PROCURATORATE', subject: '矿长 张某', reason: '' }] }, code: 'BAD_USER_INPUT', field: 'referrals[0].reason' },
    // 001 §9(四): the report has a conclusion
    { why: 'the Shanxi report has no conclusion', state: () => evaluationIn('REPORT_DRAFTING'), action: { ...sx.submitReportDraft, sections: { ...sx.submitReportDraft.sections, CONCLUSION: '' } }, code: 'BAD_USER_INPUT', field: 'sections.CONCLUSION' },
    // 000 §五: 附问题清单、工作建议清单以及经验做法清单
    { why: 'the Qilin report lacks the good-practice list', state: () => evaluationIn('REPORT_DRAFTING', qilin), action: { ...draft(), lists: { PROBLEMS: ['台账不全'], RECOMMENDATIONS: ['动态巡查'] } }, code: 'BAD_USER_INPUT', field: 'lists.GOOD_PRACTICES' },
    // 000 §五: a list of blanks is no list
    { why: 'the Qilin problem list holds only blanks', state: () => evaluationIn('REPORT_DRAFTING', qilin), action: { ...draft(), lists: { ...draft().lists, PROBLEMS: ['  '] } }, code: 'BAD_USER_INPUT', field: 'lists.PROBLEMS' },
    // 000 §五: 及时召开评估组成员单位人员会议
    { why: 'the Qilin report gives no member-unit meeting', state: () => evaluationIn('REPORT_DRAFTING', qilin), action: { ...draft(), memberMeetingHeldOn: undefined }, code: 'BAD_USER_INPUT', field: 'memberMeetingHeldOn' },
    // 000 §五: the meeting date is a date
    { why: 'the Qilin meeting date is free text', state: () => evaluationIn('REPORT_DRAFTING', qilin), action: { ...draft(), memberMeetingHeldOn: '11月下旬' }, code: 'BAD_USER_INPUT', field: 'memberMeetingHeldOn' },
    // 001 §10: 依法应当保密的除外 — withholding needs a reason
    { why: 'a secret part gives no reason', state: () => evaluationIn('REPORT_DRAFTING'), action: { ...sx.submitReportDraft, secretParts: [{ section: 'ACCOUNTABILITY', reason: '' }] }, code: 'BAD_USER_INPUT', field: 'secretParts[0].reason' },
    // 000 §五: a returned report says what to fix
    { why: 'the report is returned without a reason', state: () => evaluationIn('REPORT_APPROVAL'), action: { type: 'RETURN_REPORT', reason: '' }, code: 'BAD_USER_INPUT', field: 'reason' },
    // 001 §10: published once
    { why: 'the report is published twice', state: published, action: sx.publishReport, code: 'INVALID_TRANSITION' },
    // 001 §10: filed once with the upper office
    { why: 'the report is filed twice', state: filed, action: sx.fileReport, code: 'INVALID_TRANSITION' },
    // 001 §10: 备案 carries the filing reference
    { why: 'the filing has no reference', state: () => evaluationIn('PUBLICATION'), action: { ...sx.fileReport, reference: '' }, code: 'BAD_USER_INPUT', field: 'reference' },
    // 001 §11(三): only referrals this evaluation made
    { why: 'an outcome is given for an unknown referral', state: () => evaluationIn('PUBLICATION'), action: { type: 'RECORD_REFERRAL_OUTCOME', referralId: 'R9', outcome: '已督促' }, code: 'BAD_USER_INPUT', field: 'referralId' },
    // 001 §11(三): an outcome, once recorded, stands
    { why: 'an outcome is given twice', state: referralAnswered, action: { type: 'RECORD_REFERRAL_OUTCOME', referralId: 'R1', outcome: '法院已判决' }, code: 'INVALID_TRANSITION' },
    // 001 §11(三): the outcome is stated
    { why: 'the outcome is blank', state: () => evaluationIn('PUBLICATION'), action: { type: 'RECORD_REFERRAL_OUTCOME', referralId: 'R1', outcome: ' ' }, code: 'BAD_USER_INPUT', field: 'outcome' },
    // 001 §11(一): only this evaluation's tasks
    { why: 'a task status names an unknown task', state: () => inFollowUp({ m2: 'NOT_IMPLEMENTED' }), action: { type: 'TASK_STATUS', taskId: 'eval-lvliang-2026-007/m1', status: 'DONE' }, code: 'BAD_USER_INPUT', field: 'taskId' },
  ]))('should refuse with $refusal when $why', ({ state, action, code, field }) => {
    const before = state();
    const snapshot = structuredClone(before);
    expect(refusalOf(() => checkAction(before, action))).toEqual(field === undefined ? { code } : { code, field });
    expect(before).toEqual(snapshot);
  });

  // Dates that do not exist are refused (Date.parse alone would roll 2027-02-30 over to 2 March).
  test.each(refusals([
    // 001 §8(二): each check has a real date
    { why: 'an on-site check is dated 30 February', state: () => evaluationIn('ON_SITE_VERIFICATION'), action: { ...sx.recordOnSiteCheck, on: '2027-02-30' }, code: 'BAD_USER_INPUT', field: 'on' },
    // 000 §五: the member-unit meeting has a real date
    { why: 'the Qilin meeting is dated 31 November', state: () => evaluationIn('REPORT_DRAFTING', qilin), action: { ...draft(), memberMeetingHeldOn: '2026-11-31' }, code: 'BAD_USER_INPUT', field: 'memberMeetingHeldOn' },
  ]))('should refuse with $refusal when $why', ({ state, action, code, field }) => {
    expect(refusalOf(() => checkAction(state(), action))).toEqual({ code, field });
  });
});

describe('checkAction acceptances', () => {
  test.each<{ why: string; state: () => EvaluationState; action: EvaluationAction }>([
    // 001: Shanxi requires neither the three lists nor a member meeting
    { why: 'a Shanxi report has no lists and no member meeting', state: () => evaluationIn('REPORT_DRAFTING'), action: { ...sx.submitReportDraft, lists: {}, memberMeetingHeldOn: undefined } },
    // 000 §五: a complete Qilin report
    { why: 'a Qilin report has its three lists and the meeting date', state: () => evaluationIn('REPORT_DRAFTING', qilin), action: ql.submitReportDraft },
    // 000 §四: the deputy in charge leads when the leader is absent
    { why: 'the leader is absent and the deputy is named', state: () => evaluationIn('TEAM_FORMATION'), action: { ...sx.formTeam, leaderAbsent: true, deputy: { name: '副局长 陈某', departmentName: '吕梁市应急管理局', departmentId: 'dept-lvliang-emergency' } } },
    // 001 §4: experts may join
    { why: 'an expert joins the team', state: () => evaluationIn('TEAM_FORMATION'), action: { ...sx.formTeam, members: [...sx.formTeam.members, { name: '注册安全工程师 吴某', departmentName: '山西某安全技术服务有限公司', role: 'EXPERT' }] } },
  ])('should accept when $why', ({ state, action }) => {
    expect(refusalOf(() => checkAction(state(), action))).toBeUndefined();
  });
});

describe('applyAction through the stages', () => {
  test.each<{ from: EvaluationStage; action: EvaluationAction; to: EvaluationStage }>([
    // 001 §5 → §6: team, then the enterprise's self-evaluation
    { from: 'TEAM_FORMATION', action: sx.formTeam, to: 'SELF_EVALUATION' },
    // 001 §6 → §8(一)
    { from: 'SELF_EVALUATION', action: sx.submitSelfEvaluation, to: 'DOCUMENT_REVIEW' },
    // 001 §8(一) → §8(二)
    { from: 'DOCUMENT_REVIEW', action: sx.completeDocumentReview, to: 'ON_SITE_VERIFICATION' },
    // 001 §8(二): recording a check keeps the verification open
    { from: 'ON_SITE_VERIFICATION', action: sx.recordOnSiteCheck, to: 'ON_SITE_VERIFICATION' },
    // 001 §8(三) → §9
    { from: 'COMPREHENSIVE_ASSESSMENT', action: sx.submitAssessment, to: 'REPORT_DRAFTING' },
    { from: 'REPORT_DRAFTING', action: sx.submitReportDraft, to: 'REPORT_APPROVAL' },
    // 000 §五: the organising government may send the draft back
    { from: 'REPORT_APPROVAL', action: { type: 'RETURN_REPORT', reason: '责任追究部分表述不完整' }, to: 'REPORT_DRAFTING' },
    { from: 'REPORT_APPROVAL', action: sx.approveReport, to: 'PUBLICATION' },
    // 001 §10: publication alone does not start follow-up; filing is still due
    { from: 'PUBLICATION', action: sx.publishReport, to: 'PUBLICATION' },
  ])('should move to $to and bump the revision when $action.type is applied in $from', ({ from, action, to }) => {
    const before = evaluationIn(from);
    const at = new Date(Date.parse(before.opensAt) + 15 * 86_400_000);
    const after = run(before, [action], at);
    expect({ stage: after.stage, revision: after.revision }).toEqual({ stage: to, revision: before.revision + 1 });
  });

  test.each([
    // 000 §四: 评估组自成立后 30 日内完成
    { profile: 'Qilin', c: qilin, formedAt: '2026-11-02T09:00:00+08:00', teamDueAt: '2026-12-02T09:00:00+08:00' },
    // 001 sets no team time limit
    { profile: 'Shanxi 2026-48', c: shanxi, formedAt: '2027-04-01T09:00:00+08:00', teamDueAt: undefined },
  ])('should set the team deadline to $teamDueAt when a team forms under $profile', ({ c, formedAt, teamDueAt }) => {
    const state = applyAction(evaluationIn('TEAM_FORMATION', c), steps(c).formTeam, officeDirector, new Date(formedAt));
    expect(state.teamDueAt).toBe(teamDueAt && new Date(teamDueAt).toISOString());
  });

  test('should let the deputy lead when the leader is absent', () => {
    // 000 §四: 主要领导缺位时，由分管事故调查的副职担任
    const deputy = { name: '副局长 陈某', departmentName: '吕梁市应急管理局', departmentId: 'dept-lvliang-emergency' };
    const state = run(evaluationIn('TEAM_FORMATION'), [{ ...sx.formTeam, leaderAbsent: true, deputy }], publishedOn);
    expect(state.team!.actingLeader).toBe('副局长 陈某');
    expect(state.team!.members.map((m) => m.role)).toEqual(['LEADER', 'DEPUTY_LEADER', 'MEMBER', 'DISCIPLINE_INSPECTION']);
  });

  test('should record who made an on-site check when it is recorded', () => {
    // 001 §8(二): checks are attributed to the official
    const state = run(evaluationIn('ON_SITE_VERIFICATION'), [sx.recordOnSiteCheck], publishedOn, leaderInCharge);
    expect(state.onSiteChecks.map((c) => c.recordedBy)).toEqual([leaderInCharge.name]);
  });

  test('should number referrals R1, R2 when the assessment refers two problems', () => {
    // 001 §11(二)(三): party committee and procuratorate
    const action = {
      ...sx.submitAssessment,
      referrals: [
        { kind: 'PARTY_COMMITTEE' as const, subject: '孝义市能源局', reason: '顶板隐患久拖不改，涉嫌失职渎职' },
        { kind: 'PROCURATORATE' as const, subject: '矿长 张某', reason: '刑事责任追究明显滞后' },
      ],
    };
    const state = run(evaluationIn('COMPREHENSIVE_ASSESSMENT'), [action], publishedOn);
    expect(state.referrals.map((r) => [r.id, r.kind])).toEqual([
      ['R1', 'PARTY_COMMITTEE'],
      ['R2', 'PROCURATORATE'],
    ]);
  });

  test('should keep the earlier returns when a returned report is resubmitted and approved', () => {
    // 000 §五: the approval trail shows each return
    const state = run(
      evaluationIn('REPORT_APPROVAL'),
      [{ type: 'RETURN_REPORT', reason: '责任追究部分表述不完整' }, sx.submitReportDraft, sx.approveReport],
      publishedOn,
      leaderInCharge,
    );
    expect(state.report!.returns.map((r) => r.reason)).toEqual(['责任追究部分表述不完整']);
    expect(state.report!.approvedBy).toBe(leaderInCharge.name);
  });
});

describe('applyAction publication, filing and follow-up', () => {
  test.each([
    // 001 §10: 报上一级安全生产委员会办公室备案 by default
    { why: 'no office is named', filedWith: undefined, expected: '山西省安全生产委员会办公室' },
    { why: 'a blank office is named', filedWith: '  ', expected: '山西省安全生产委员会办公室' },
    { why: 'the office is named', filedWith: '山西省应急管理厅', expected: '山西省应急管理厅' },
  ])('should file with $expected when $why', ({ filedWith, expected }) => {
    const state = run(evaluationIn('PUBLICATION'), [{ ...sx.fileReport, filedWith }], publishedOn);
    expect(state.filing!.filedWith).toBe(expected);
    expect(state.stage).toBe('PUBLICATION');
  });

  type TaskRow = { why: string; findings: Record<string, FindingStatus>; tasks: string[][] };
  const taskRows = (rows: TaskRow[]) => rows.map((row) => ({ ...row, measures: row.tasks.map((t) => t[0]).join(', ') || 'none' }));

  test.each(taskRows([
    // 001 §11(一): 未落实、落实不到位 → tasks; implemented measures need none
    { why: 'measure 2 is partly and measure 3 not implemented', findings: { m2: 'PARTLY_IMPLEMENTED', m3: 'NOT_IMPLEMENTED' }, tasks: [['m2', '孝义市能源局、孝义市应急管理局'], ['m3', '吕梁市安全生产委员会办公室']] },
    // 001 §11(一): the enterprise itself carries its measure
    { why: 'only measure 1 is not implemented', findings: { m1: 'NOT_IMPLEMENTED' }, tasks: [['m1', '孝义市某煤业有限公司']] },
    // 001 §11: nothing to rectify
    { why: 'every measure is implemented', findings: {}, tasks: [] },
  ]))(
    'should create tasks for $measures when $why',
    ({ findings, tasks }) => {
      const state = inFollowUp(findings);
      expect(state.tasks.map((t) => [t.measureId, t.assignee])).toEqual(tasks);
      expect(state.stage).toBe('FOLLOW_UP');
    },
  );

  test('should give each task 90 days from filing and its own workflow id when follow-up starts', () => {
    // 001 §11(一): tracked until done; profile default of 90 days
    const [task] = inFollowUp({ m2: 'PARTLY_IMPLEMENTED' }).tasks;
    expect(task).toEqual({
      id: 'eval-lvliang-2026-007/m2',
      workflowId: 'rectification-task/eval-lvliang-2026-007/m2',
      measureId: 'm2',
      assignee: '孝义市能源局、孝义市应急管理局',
      deadline: addDays(addDays(publishedOn, 1), 90).toISOString(),
      status: 'OPEN',
    });
    expect(chinaDate(new Date(task!.deadline))).toBe('2027-08-09');
  });

  test("should use the profile's rectification days when the profile sets them", () => {
    // office practice held in the profile (rectificationDays), not a constant
    const c = shanxiCase({ profile: { ...shanxi.profile, rectificationDays: 60 } });
    const s = steps(c, { m2: 'PARTLY_IMPLEMENTED' });
    const state = run(evaluationIn('PUBLICATION', c, { m2: 'PARTLY_IMPLEMENTED' }), [s.publishReport, s.fileReport], publishedOn);
    expect(chinaDate(new Date(state.tasks[0]!.deadline))).toBe('2027-07-10');
  });

  test.each([
    // 001 §10 → §11: filing first, then publication, starts follow-up too
    { order: 'file then publish', actions: [sx.fileReport, sx.publishReport] },
    { order: 'publish then file', actions: [sx.publishReport, sx.fileReport] },
  ])('should close at once when every measure is implemented, nothing is referred, and the office does $order', ({ actions }) => {
    // 001 §11: nothing left to follow up
    const state = run(evaluationIn('PUBLICATION', shanxi, {}, false), actions, publishedOn);
    expect(state.stage).toBe('CLOSED');
    expect(state.closedAt).toBe(addDays(publishedOn, 1).toISOString());
  });

  test('should close on filing when the only referral was answered before publication', () => {
    // 001 §11(三): the outcome may arrive during publication; follow-up then has nothing left
    const state = run(
      evaluationIn('PUBLICATION'),
      [{ type: 'RECORD_REFERRAL_OUTCOME', referralId: 'R1', outcome: '检察院已提起公诉' }, sx.publishReport, sx.fileReport],
      publishedOn,
    );
    expect(state.stage).toBe('CLOSED');
  });

  const tasksDone = (...ids: string[]): EvaluationAction[] =>
    ids.map((id) => ({ type: 'TASK_STATUS', taskId: `eval-lvliang-2026-007/${id}`, status: 'DONE', evidence: '整改验收材料' }));
  const referralAnswer: EvaluationAction = { type: 'RECORD_REFERRAL_OUTCOME', referralId: 'R1', outcome: '检察院已提起公诉' };

  test.each([
    // 001 §11(一): one task still open
    { why: 'only one of two tasks is done', actions: [...tasksDone('m2'), referralAnswer], stage: 'FOLLOW_UP' },
    // 001 §11(三): the procuratorate has not answered
    { why: 'both tasks are done but the referral is unanswered', actions: tasksDone('m2', 'm3'), stage: 'FOLLOW_UP' },
    // 001 §11(一): an overdue task is not a done task
    { why: 'a task is marked overdue', actions: [...tasksDone('m2'), referralAnswer, { type: 'TASK_STATUS', taskId: 'eval-lvliang-2026-007/m3', status: 'OVERDUE' }], stage: 'FOLLOW_UP' },
    // 001 §11: tasks done and referral answered
    { why: 'both tasks are done and the referral is answered', actions: [...tasksDone('m2'), referralAnswer, ...tasksDone('m3')], stage: 'CLOSED' },
    { why: 'the referral is answered last', actions: [...tasksDone('m2', 'm3'), referralAnswer], stage: 'CLOSED' },
  ] satisfies { why: string; actions: EvaluationAction[]; stage: EvaluationStage }[])('should be in $stage when $why', ({ actions, stage }) => {
    const state = run(inFollowUp({ m2: 'PARTLY_IMPLEMENTED', m3: 'NOT_IMPLEMENTED' }), actions, chinaMidnight('2027-07-01'), system);
    expect(state.stage).toBe(stage);
    expect(state.closedAt !== undefined).toBe(stage === 'CLOSED');
  });

  test('should keep the evidence and closing time when a task is done', () => {
    // 001 §11(一): done means evidenced
    const at = chinaMidnight('2027-07-01');
    const state = run(inFollowUp({ m2: 'PARTLY_IMPLEMENTED' }), tasksDone('m2'), at, system);
    expect(state.tasks[0]).toMatchObject({ status: 'DONE', closedAt: at.toISOString(), evidence: '整改验收材料' });
  });
});

describe('applyAction FIRE_DEADLINES', () => {
  test('should open team formation when the window-opening deadline fires', () => {
    // 001 §3: 10 months after closure the work starts
    const state = applyAction(initialEvaluationState(shanxi), { type: 'FIRE_DEADLINES', keys: ['window-opens'] }, system, chinaMidnight('2027-03-31'));
    expect({ stage: state.stage, fired: state.firedDeadlines, revision: state.revision }).toEqual({
      stage: 'TEAM_FORMATION',
      fired: ['window-opens'],
      revision: 2,
    });
  });

  test.each([
    // nothing due under that name: the state is unchanged, not a new revision
    { why: 'the key is unknown', keys: ['window-reminder-15d'] },
    // a deadline fires once
    { why: 'the key already fired', keys: ['window-opens'] },
    // 000 §四: Shanxi has no team clock, so there is no team deadline to fire
    { why: 'the key is a team deadline under a profile with no team clock', keys: ['team-overdue'] },
  ])('should return the same state when $why', ({ keys }) => {
    const before = evaluationIn('SELF_EVALUATION');
    expect(applyAction(before, { type: 'FIRE_DEADLINES', keys }, system, chinaMidnight('2027-05-31'))).toBe(before);
  });

  test('should flag the window overdue without changing the stage when the due date passes', () => {
    // 004 item 3: evaluations not done on time are flagged
    const state = run(evaluationIn('SELF_EVALUATION'), [{ type: 'FIRE_DEADLINES', keys: ['window-overdue'] }], chinaMidnight('2027-05-31'), system);
    expect({ stage: state.stage, overdue: state.overdue }).toEqual({ stage: 'SELF_EVALUATION', overdue: ['WINDOW'] });
  });

  test('should keep the window overdue flag when a later team reminder fires', () => {
    // 004 item 3 and 000 §四: a Qilin team formed on 20 Dec 2026 runs past the 31 Dec due date; its reminders
    // must not wipe the window's overdue flag
    const formed = applyAction(evaluationIn('TEAM_FORMATION', qilin), ql.formTeam, officeDirector, new Date('2026-12-20T10:00:00+08:00'));
    const state = run(
      formed,
      [
        { type: 'FIRE_DEADLINES', keys: ['window-reminder-30d', 'window-reminder-7d', 'window-reminder-1d', 'window-overdue'] },
        { type: 'FIRE_DEADLINES', keys: ['team-reminder-7d'] },
      ],
      chinaMidnight('2026-12-31'),
      system,
    );
    expect(state.firedDeadlines).toContain('team-reminder-7d');
    expect(state.overdue).toEqual(['WINDOW']);
  });

  test('should keep the overdue flags set when the late report is later published and filed', () => {
    // 004 item 3: lateness counts in the yearly assessment even once the report is out; 000 §四: team clock too
    const late = run(
      evaluationIn('PUBLICATION', qilin),
      [
        { type: 'FIRE_DEADLINES', keys: ['window-overdue'] },
        ql.publishReport,
        ql.fileReport,
      ],
      chinaMidnight('2026-12-31'),
    );
    const withTeam = run(evaluationIn('REPORT_APPROVAL', qilin), [{ type: 'FIRE_DEADLINES', keys: ['team-overdue'] }, ql.approveReport, { type: 'FIRE_DEADLINES', keys: ['window-overdue'] }], chinaMidnight('2026-12-02'), system);
    expect(late.overdue).toEqual(['WINDOW']);
    expect(late.stage).toBe('FOLLOW_UP');
    expect([...withTeam.overdue].sort()).toEqual(['TEAM', 'WINDOW']);
  });
});

describe('deadlineEvents', () => {
  const keysAndDates = (state: EvaluationState) => deadlineEvents(state).map((e) => [e.key, chinaDate(new Date(e.at))]);

  test.each([
    // 001 §3: window opens 2027-03-31, due 2027-05-31; reminders 30, 7 and 1 days before
    {
      why: 'a Shanxi case is waiting for its window',
      state: () => initialEvaluationState(shanxi),
      events: [['window-opens', '2027-03-31'], ['window-reminder-30d', '2027-05-01'], ['window-reminder-7d', '2027-05-24'], ['window-reminder-1d', '2027-05-30'], ['window-overdue', '2027-05-31']],
    },
    // 001 §3: once open, only the due date is watched
    { why: 'the Shanxi window has opened', state: () => evaluationIn('TEAM_FORMATION'), events: [['window-reminder-30d', '2027-05-01'], ['window-reminder-7d', '2027-05-24'], ['window-reminder-1d', '2027-05-30'], ['window-overdue', '2027-05-31']] },
    // 001: no team clock in Shanxi
    { why: 'a Shanxi team has formed', state: () => evaluationIn('SELF_EVALUATION'), events: [['window-reminder-30d', '2027-05-01'], ['window-reminder-7d', '2027-05-24'], ['window-reminder-1d', '2027-05-30'], ['window-overdue', '2027-05-31']] },
    // 000 §四: a Qilin team formed on 2 Nov 2026 must finish by 2 Dec 2026
    {
      why: 'a Qilin team has formed',
      state: () => evaluationIn('SELF_EVALUATION', qilin),
      events: [['team-reminder-7d', '2026-11-25'], ['window-reminder-30d', '2026-12-01'], ['team-reminder-1d', '2026-12-01'], ['team-overdue', '2026-12-02'], ['window-reminder-7d', '2026-12-24'], ['window-reminder-1d', '2026-12-30'], ['window-overdue', '2026-12-31']],
    },
    // 000 §四: the team's work runs until the report is approved
    {
      why: 'a Qilin report awaits approval',
      state: () => evaluationIn('REPORT_APPROVAL', qilin),
      events: [['team-reminder-7d', '2026-11-25'], ['window-reminder-30d', '2026-12-01'], ['team-reminder-1d', '2026-12-01'], ['team-overdue', '2026-12-02'], ['window-reminder-7d', '2026-12-24'], ['window-reminder-1d', '2026-12-30'], ['window-overdue', '2026-12-31']],
    },
    // 000 §四: approval ends the team clock; the window clock runs until publication
    { why: 'a Qilin report is approved', state: () => evaluationIn('PUBLICATION', qilin), events: [['window-reminder-30d', '2026-12-01'], ['window-reminder-7d', '2026-12-24'], ['window-reminder-1d', '2026-12-30'], ['window-overdue', '2026-12-31']] },
    // 004 item 3: publication on time stops the window clock
    { why: 'the Shanxi report is published but not yet filed', state: () => run(evaluationIn('PUBLICATION'), [sx.publishReport], publishedOn), events: [] },
    // fired deadlines are not fired again
    {
      why: 'the 30-day reminder already fired',
      state: () => run(evaluationIn('SELF_EVALUATION'), [{ type: 'FIRE_DEADLINES', keys: ['window-reminder-30d'] }], chinaMidnight('2027-05-01'), system),
      events: [['window-reminder-7d', '2027-05-24'], ['window-reminder-1d', '2027-05-30'], ['window-overdue', '2027-05-31']],
    },
  ].map((row) => ({ ...row, listed: row.events.map((e) => e[0]).join(', ') || 'nothing' })))('should list $listed when $why', ({ state, events }) => {
    expect(keysAndDates(state())).toEqual(events);
  });

  test('should list nothing when the evaluation is closed', () => {
    // 001 §11: a closed evaluation has no deadlines, even if it was never published on time
    const closed = run(evaluationIn('PUBLICATION', shanxi, {}, false), [sx.fileReport, sx.publishReport], publishedOn);
    expect(closed.stage).toBe('CLOSED');
    expect(deadlineEvents(closed)).toEqual([]);
  });
});

describe('dueDeadlineEvents', () => {
  const keys = (events: { key: string }[]) => events.map((e) => e.key);
  const oneHourAfter = (date: string) => new Date(chinaMidnight(date).getTime() + HOUR);
  const firedUpTo = (state: EvaluationState, keysToFire: string[]) =>
    applyAction(state, { type: 'FIRE_DEADLINES', keys: keysToFire }, system, chinaMidnight('2027-05-01'));

  test.each([
    // 001 §3: nothing before 10 months
    { why: 'the window has not opened', state: () => initialEvaluationState(shanxi), now: new Date(chinaMidnight('2027-03-31').getTime() - 1), due: [], announce: [] },
    // 001 §3: the opening is announced on the day
    { why: 'the window opens', state: () => initialEvaluationState(shanxi), now: chinaMidnight('2027-03-31'), due: ['window-opens'], announce: ['window-opens'] },
    // 001 §3, 到期一起评估一起: a case entered late gets the opening and the one reminder due
    { why: 'a case is entered after the 30-day reminder', state: () => initialEvaluationState(shanxi), now: oneHourAfter('2027-05-01'), due: ['window-opens', 'window-reminder-30d'], announce: ['window-opens', 'window-reminder-30d'] },
    // only the latest reminder is sent when several fell due together
    { why: 'the 30- and 7-day reminders fell due together', state: () => initialEvaluationState(shanxi), now: oneHourAfter('2027-05-24'), due: ['window-opens', 'window-reminder-30d', 'window-reminder-7d'], announce: ['window-opens', 'window-reminder-7d'] },
    // 004 item 3: no reminder once the clock is overdue, only the overdue flag
    { why: 'the case is entered after its due date', state: () => initialEvaluationState(shanxi), now: oneHourAfter('2027-05-31'), due: ['window-opens', 'window-reminder-30d', 'window-reminder-7d', 'window-reminder-1d', 'window-overdue'], announce: ['window-opens', 'window-overdue'] },
    // the worker was down from 24 to 30 May: only the 1-day reminder goes out
    { why: 'the 7- and 1-day reminders fell due together', state: () => firedUpTo(evaluationIn('SELF_EVALUATION'), ['window-reminder-30d']), now: oneHourAfter('2027-05-30'), due: ['window-reminder-7d', 'window-reminder-1d'], announce: ['window-reminder-1d'] },
    // 000 §四 and 004 item 3: the team and window clocks are announced separately
    { why: 'Qilin team reminders and a window reminder fall due together', state: () => evaluationIn('SELF_EVALUATION', qilin), now: oneHourAfter('2026-12-01'), due: ['team-reminder-7d', 'window-reminder-30d', 'team-reminder-1d'], announce: ['window-reminder-30d', 'team-reminder-1d'] },
    // 000 §四: the team is overdue; the window is not, so its reminder still goes out
    { why: 'the Qilin team clock runs out with its reminders unsent', state: () => evaluationIn('SELF_EVALUATION', qilin), now: oneHourAfter('2026-12-02'), due: ['team-reminder-7d', 'window-reminder-30d', 'team-reminder-1d', 'team-overdue'], announce: ['window-reminder-30d', 'team-overdue'] },
    // 000 §四: a Qilin team formed on 20 Nov 2026 at noon gets its 7-day reminder on 13 Dec, after the window's
    // 30-day reminder of 1 Dec; a later reminder of the other clock must not silence it
    {
      why: 'an unsent window reminder and a later team reminder fall due together',
      state: () => applyAction(evaluationIn('TEAM_FORMATION', qilin), ql.formTeam, officeDirector, new Date('2026-11-20T12:00:00+08:00')),
      now: new Date('2026-12-13T13:00:00+08:00'),
      due: ['window-reminder-30d', 'team-reminder-7d'],
      announce: ['window-reminder-30d', 'team-reminder-7d'],
    },
  ])('should announce $announce when $why', ({ state, now, due, announce }) => {
    const result = dueDeadlineEvents(state(), now);
    expect({ due: keys(result.due), announce: keys(result.announce) }).toEqual({ due, announce });
  });
});
