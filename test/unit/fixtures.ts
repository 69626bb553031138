import { addDays, chinaDate, chinaMidnight } from '../../domain/calendar.js';
import { DomainError } from '../../domain/errors.js';
import {
  EVALUATION_STAGES,
  applyAction,
  checkAction,
  initialEvaluationState,
  type Actor,
  type EvaluationAction,
  type EvaluationCase,
  type EvaluationStage,
  type EvaluationState,
  type FindingStatus,
  type RectificationTask,
} from '../../domain/evaluation.js';
import { initialTaskState, type TaskState } from '../../domain/rectification-task.js';
import { profileFor } from '../../domain/rule-profiles.js';
import type { RegionLevel, RegionPath, RegionRef } from '../../domain/regions.js';

const region = (code: string, name: string, level: RegionLevel): RegionRef => ({ id: `region-${code}`, code, name, level });

export const regions = {
  shanxi: region('140000', '山西省', 'PROVINCE'),
  taiyuan: region('140100', '太原市', 'CITY'),
  xiaodian: region('140105', '小店区', 'COUNTY'),
  lvliang: region('141100', '吕梁市', 'CITY'),
  lishi: region('141102', '离石区', 'COUNTY'),
  xiaoyi: region('141181', '孝义市', 'COUNTY'),
  yunnan: region('530000', '云南省', 'PROVINCE'),
  qujing: region('530300', '曲靖市', 'CITY'),
  qilin: region('530302', '麒麟区', 'COUNTY'),
  nanning: region('530302001', '南宁街道', 'TOWN'),
} as const;

const r = regions;
/** Region paths, province first, as the organiser rules take them. */
export const paths = {
  xiaoyi: [r.shanxi, r.lvliang, r.xiaoyi],
  lishi: [r.shanxi, r.lvliang, r.lishi],
  lvliang: [r.shanxi, r.lvliang],
  xiaodian: [r.shanxi, r.taiyuan, r.xiaodian],
  nanning: [r.yunnan, r.qujing, r.qilin, r.nanning],
  qilin: [r.yunnan, r.qujing, r.qilin],
} satisfies Record<string, RegionPath>;

export const officeDirector: Actor = { id: 'u-lvliang-office-director', name: '吕梁市安委办主任 李某', role: 'SAFETY_OFFICE' };
export const leaderInCharge: Actor = { id: 'u-lvliang-deputy-mayor', name: '分管副市长 王某', role: 'LEADER_IN_CHARGE' };
export const system: Actor = { id: 'system', name: '系统' };

/**
 * A 较大 roof-fall accident at a coal mine in 孝义市, investigated and evaluated by 吕梁市, closed on
 * 2026-05-31 (China), so under 晋安办发〔2026〕48号.
 */
export function shanxiCase(overrides: Partial<EvaluationCase> = {}): EvaluationCase {
  const closedOn = '2026-05-31';
  return {
    evaluationId: 'eval-lvliang-2026-007',
    accidentId: 'acc-xiaoyi-2026-0531',
    title: '孝义市某煤业有限公司“5·31”较大顶板事故',
    closedAt: chinaMidnight(closedOn).toISOString(),
    organiserRegionId: r.lvliang.id,
    organiserRegionCode: r.lvliang.code,
    organiserName: '吕梁市安全生产委员会办公室',
    assistingRegionIds: [],
    upperOfficeName: '山西省安全生产委员会办公室',
    profile: profileFor(r.lvliang.code, closedOn),
    measures: [
      { id: 'm1', seq: 1, text: '完善顶板管理制度，落实敲帮问顶', responsibleUnits: ['孝义市某煤业有限公司'] },
      { id: 'm2', seq: 2, text: '开展煤矿顶板灾害专项排查整治', responsibleUnits: ['孝义市能源局', '孝义市应急管理局'] },
      { id: 'm3', seq: 3, text: '加强驻矿安监员履职监督', responsibleUnits: [] },
    ],
    accountabilityItems: [
      { id: 'a1', kind: 'ADMINISTRATIVE_PENALTY', subject: '孝义市某煤业有限公司' },
      { id: 'a2', kind: 'CRIMINAL', subject: '矿长 张某' },
    ],
    investigatingDepartments: [
      { id: 'dept-lvliang-emergency', name: '吕梁市应急管理局' },
      { id: 'dept-lvliang-energy', name: '吕梁市能源局' },
    ],
    ...overrides,
  };
}

/** An ordinary accident on a construction site in 南宁街道, evaluated by 麒麟区 under its 2022 scheme. */
export function qilinCase(overrides: Partial<EvaluationCase> = {}): EvaluationCase {
  const closedOn = '2025-12-31';
  return {
    evaluationId: 'eval-qilin-2025-012',
    accidentId: 'acc-nanning-2025-1231',
    title: '南宁街道某在建项目“12·31”高处坠落事故',
    closedAt: chinaMidnight(closedOn).toISOString(),
    organiserRegionId: r.qilin.id,
    organiserRegionCode: r.qilin.code,
    organiserName: '麒麟区安全生产委员会办公室',
    assistingRegionIds: [],
    upperOfficeName: '曲靖市安全生产委员会办公室',
    profile: profileFor(r.qilin.code, closedOn),
    measures: [
      { id: 'q1', seq: 1, text: '完善临边防护设施', responsibleUnits: ['曲靖市某建设工程有限公司'] },
      { id: 'q2', seq: 2, text: '加强在建项目动态巡查', responsibleUnits: ['麒麟区住房和城乡建设局', '南宁街道办事处'] },
    ],
    accountabilityItems: [{ id: 'qa1', kind: 'ADMINISTRATIVE_PENALTY', subject: '曲靖市某建设工程有限公司' }],
    investigatingDepartments: [
      { id: 'dept-qilin-emergency', name: '麒麟区应急管理局' },
      { id: 'dept-qilin-housing', name: '麒麟区住房和城乡建设局' },
    ],
    ...overrides,
  };
}

/** Valid actions for each stage of `c`, in order. `findings` gives each measure's status by measure id. */
export function steps(c: EvaluationCase, findings: Record<string, FindingStatus> = {}, referrals = true) {
  const [lead, ...others] = c.investigatingDepartments;
  const opensAt = initialEvaluationState(c).opensAt;
  const daysAfterOpening = (days: number): string => chinaDate(addDays(new Date(opensAt), days));
  return {
    formTeam: {
      type: 'FORM_TEAM',
      leader: { name: '李某', departmentName: lead!.name, departmentId: lead!.id },
      members: [
        ...others.map((d, i) => ({ name: `成员${i + 1}`, departmentName: d.name, departmentId: d.id, role: 'MEMBER' as const })),
        { name: '纪检监察组 周某', departmentName: '市纪委监委', role: 'DISCIPLINE_INSPECTION' as const },
      ],
    },
    submitSelfEvaluation: {
      type: 'SUBMIT_SELF_EVALUATION',
      submittedBy: '事故发生单位',
      summary: '对照调查报告逐项开展自查自评。',
      statements: c.measures.map((m) => ({ measureId: m.id, statement: `已落实：${m.text}` })),
    },
    completeDocumentReview: { type: 'COMPLETE_DOCUMENT_REVIEW', summary: '审查了属地政府书面报告和企业自查自评报告。' },
    recordOnSiteCheck: { type: 'RECORD_ON_SITE_CHECK', kind: 'SITE_VISIT', on: daysAfterOpening(12), place: '事故矿井及两家同类煤矿', summary: '实地检查顶板支护' },
    completeOnSiteVerification: { type: 'COMPLETE_ON_SITE_VERIFICATION' },
    submitAssessment: {
      type: 'SUBMIT_ASSESSMENT',
      summary: '整改措施总体落实。',
      measureFindings: c.measures.map((m, i) => ({ measureId: m.id, status: findings[m.id] ?? 'IMPLEMENTED', evidence: `现场核查记录第${i + 1}号` })),
      accountabilityFindings: c.accountabilityItems.map((a, i) => ({ itemId: a.id, status: 'IMPLEMENTED' as const, evidence: `处罚决定书第${i + 1}号` })),
      referrals: referrals ? [{ kind: 'PROCURATORATE' as const, subject: '矿长 张某', reason: '刑事责任追究明显滞后（001 §11(三)）' }] : [],
    },
    submitReportDraft: {
      type: 'SUBMIT_REPORT_DRAFT',
      sections: {
        ORGANISATION: '市政府组织，市安委办牵头实施。',
        ACCOUNTABILITY: '行政处罚已执行；刑事责任追究进展滞后。',
        MEASURES: '逐项评估整改措施落实情况。',
        CONCLUSION: '整改措施基本落实，需继续跟踪。',
      },
      lists: { PROBLEMS: ['驻矿安监员履职记录不全'], RECOMMENDATIONS: ['建立顶板隐患月度排查机制'], GOOD_PRACTICES: ['顶板离层在线监测'] },
      memberMeetingHeldOn: daysAfterOpening(20),
      secretParts: [],
    },
    approveReport: { type: 'APPROVE_REPORT' },
    publishReport: { type: 'PUBLISH_REPORT', url: 'https://www.lvliang.gov.cn/pgbg/2027-007.html' },
    fileReport: { type: 'FILE_REPORT', reference: '吕安办备〔2027〕7号' },
  } satisfies Record<string, EvaluationAction>;
}

// The stages this fixture can walk a case to, in order (follow-up needs the task workflows).
const ORDER: readonly EvaluationStage[] = EVALUATION_STAGES.slice(0, EVALUATION_STAGES.indexOf('PUBLICATION') + 1);

/** Checks and applies each action, one day apart starting at `from`; throws if any is refused. */
export function run(state: EvaluationState, actions: EvaluationAction[], from: Date, actor: Actor = officeDirector): EvaluationState {
  return actions.reduce((s, action, i) => {
    checkAction(s, action);
    return applyAction(s, action, actor, new Date(from.getTime() + i * 86_400_000));
  }, state);
}

/**
 * The evaluation of `c` walked through valid actions until it reaches `stage` (a stage before follow-up);
 * actions start the day after the window opens.
 */
export function evaluationIn(
  stage: EvaluationStage,
  c: EvaluationCase = shanxiCase(),
  findings: Record<string, FindingStatus> = {},
  referrals = true,
): EvaluationState {
  const s = steps(c, findings, referrals);
  const initial = initialEvaluationState(c);
  const sequence: EvaluationAction[] = [
    { type: 'FIRE_DEADLINES', keys: ['window-opens'] },
    s.formTeam,
    s.submitSelfEvaluation,
    s.completeDocumentReview,
    s.recordOnSiteCheck,
    s.completeOnSiteVerification,
    s.submitAssessment,
    s.submitReportDraft,
    s.approveReport,
  ];
  const from = new Date(Date.parse(initial.opensAt) + 86_400_000);
  let state = initial;
  for (const [i, action] of sequence.entries()) {
    if (state.stage === stage) return state;
    state = run(state, [action], new Date(from.getTime() + i * 86_400_000));
  }
  if (state.stage !== stage || !ORDER.includes(stage)) throw new Error(`fixture cannot reach ${stage}`);
  return state;
}

/** The code and field of the DomainError `fn` throws, or undefined when it accepts. */
export function refusalOf(fn: () => unknown): { code: string; field?: string } | undefined {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return error.field === undefined ? { code: error.code } : { code: error.code, field: error.field };
  }
  return undefined;
}

/**
 * The rectification task for measure 2 of the Shanxi case (partly implemented), as the follow-up of an
 * evaluation filed on 2027-05-11 hands it to its own workflow: due 90 days later, on 2027-08-09 (China).
 */
export function rectificationTaskState(overrides: Partial<RectificationTask> = {}): TaskState {
  const c = shanxiCase();
  return initialTaskState({
    task: {
      id: `${c.evaluationId}/m2`,
      workflowId: `rectification-task/${c.evaluationId}/m2`,
      measureId: 'm2',
      assignee: '孝义市能源局、孝义市应急管理局',
      deadline: chinaMidnight('2027-08-09').toISOString(),
      status: 'OPEN',
      ...overrides,
    },
    evaluationId: c.evaluationId,
    measureText: c.measures[1]!.text,
    organiserName: c.organiserName,
    reminderDaysBefore: c.profile.reminderDaysBefore.task,
  });
}
