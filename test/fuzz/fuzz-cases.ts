import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays, addMonths } from '../../domain/calendar.js';
import { AccountabilityItem, Accident, Department, Enterprise, Evaluation, Investigation, InvestigationReport, Measure, Region } from '../../schema/entities/index.js';
import type { graphqlClient } from '../helpers/api.js';

type Client = Awaited<ReturnType<typeof graphqlClient>>;

/** Polls for up to a minute: closing a case starts its workflow, whose timers open the window (a loaded CI box is slow). */
export async function waitForStage(stageOf: () => Promise<string | undefined>, stage: string, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if ((await stageOf()) === stage) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what} to reach ${stage} while preparing the fuzz cases`);
}

/** The stages a parked case waits in, one case each, so that every mutation has a case it applies to. */
const PARKED = [
  'SELF_EVALUATION',
  'DOCUMENT_REVIEW',
  'ON_SITE_VERIFICATION',
  'COMPREHENSIVE_ASSESSMENT',
  'REPORT_DRAFTING',
  'REPORT_APPROVAL',
  'PUBLICATION',
  'FOLLOW_UP',
] as const;
type Parked = (typeof PARKED)[number] | 'TEAM_FORMATION';

/**
 * Road accidents in 南宁街道 like the demo's open case, approved a year ago and not closed yet (the demo has only
 * three cases; the fuzz run wants one per stage).
 */
async function addRoadAccidents(em: EntityManager, count: number): Promise<string[]> {
  const location = await em.findOneOrFail(Region, { code: '530302001' });
  const enterprise = await em.findOneOrFail(Enterprise, { name: '曲靖市某物流运输有限公司' });
  const transport = await em.findOneOrFail(Department, { name: '麒麟区交通运输局' });
  const emergency = await em.findOneOrFail(Department, { name: '麒麟区应急管理局' });
  const police = await em.findOneOrFail(Department, { name: '曲靖市公安局麒麟分局' });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const accident = em.create(Accident, {
      title: `麒麟区某物流运输有限公司“9·${i + 1}”道路运输事故`,
      level: 'ORDINARY',
      sector: 'ROAD_TRANSPORT',
      occurredAt: addMonths(new Date(), -15),
      locationRegion: location,
      enterprise,
      deaths: 1,
      injuries: i,
      directLossYuan: '1200000.00',
    });
    const investigation = em.create(Investigation, { accident, leadDepartment: transport, escalated: false });
    investigation.departments.set([transport, emergency, police]);
    const report = em.create(InvestigationReport, { investigation, documentNo: `麒政复〔2025〕${90 + i}号`, approvedAt: addMonths(new Date(), -12) });
    em.create(Measure, { report, seq: 1, text: '企业落实车辆动态监控和驾驶员休息制度', responsibleUnits: ['曲靖市某物流运输有限公司'] });
    em.create(Measure, { report, seq: 2, text: '区交通运输局开展道路货运企业安全隐患排查', responsibleUnits: ['麒麟区交通运输局'] });
    em.create(AccountabilityItem, { report, seq: 1, kind: 'ADMINISTRATIVE_PENALTY', subject: '曲靖市某物流运输有限公司', recommendation: '依法处以罚款' });
    ids.push(accident.id);
  }
  await em.flush();
  return ids;
}

interface CaseGraph {
  departments: { id: string; name: string }[];
  measures: { id: string }[];
  items: { id: string }[];
}

const GRAPH = `query($id: ID!) { accident(id: $id) { investigation { departments { id name } report { measures { id } accountabilityItems { id } } } } }`;

async function graphOf(office: Client, id: string): Promise<CaseGraph> {
  const r = await office(GRAPH, { id });
  if (!r.data?.accident) throw new Error(`reading case ${id} while preparing the fuzz cases: ${JSON.stringify(r.errors)}`);
  const investigation = r.data!.accident.investigation;
  return { departments: investigation.departments, measures: investigation.report.measures, items: investigation.report.accountabilityItems };
}

/** Valid input for each mutation of a case (the permission test's realistic requests). */
function inputs(id: string, g: CaseGraph, extra: { referralId?: string; taskId?: string } = {}): Record<string, Record<string, unknown>> {
  return {
    formEvaluationTeam: {
      evaluationId: id,
      leader: { name: '李主任', departmentName: g.departments[0]!.name, departmentId: g.departments[0]!.id },
      deputy: { name: '陈副主任', departmentName: g.departments[1]!.name, departmentId: g.departments[1]!.id },
      members: [
        { name: '周某', departmentName: '麒麟区纪委监委', role: 'DISCIPLINE_INSPECTION' },
        { name: '吴某', departmentName: '麒麟区交通运输局', role: 'MEMBER', userId: 'qilin-housing' },
        { name: '注册安全工程师 郑某', departmentName: '云南某安全技术服务有限公司', role: 'EXPERT' },
      ],
    },
    submitSelfEvaluation: {
      evaluationId: id,
      submittedBy: '曲靖市某物流运输有限公司',
      summary: '对照调查报告逐项开展自查自评',
      statements: g.measures.map((m) => ({ measureId: m.id, statement: '已落实' })),
    },
    completeDocumentReview: { evaluationId: id, summary: '资料审查完毕' },
    recordOnSiteCheck: { evaluationId: id, kind: 'INTERVIEW', on: '2026-10-12', place: '企业会议室', summary: '座谈问询' },
    completeOnSiteVerification: { evaluationId: id },
    submitAssessment: {
      evaluationId: id,
      summary: '一项未落实',
      measureFindings: g.measures.map((m, i) => ({ measureId: m.id, status: i === 0 ? 'NOT_IMPLEMENTED' : 'IMPLEMENTED', evidence: '核查记录' })),
      accountabilityFindings: g.items.map((a) => ({ itemId: a.id, status: 'IMPLEMENTED', evidence: '处罚决定书' })),
      referrals: [{ kind: 'DISCIPLINE_INSPECTION', subject: '区交通运输局 某科长', reason: '监管失职' }],
    },
    submitReportDraft: {
      evaluationId: id,
      sections: ['ORGANISATION', 'ACCOUNTABILITY', 'MEASURES', 'CONCLUSION'].map((section) => ({ section, text: `${section} 正文` })),
      lists: ['PROBLEMS', 'RECOMMENDATIONS', 'GOOD_PRACTICES'].map((list) => ({ list, items: ['一项'] })),
      memberMeetingHeldOn: '2026-10-20',
      secretParts: [{ section: 'ACCOUNTABILITY', reason: '涉及正在侦查的刑事案件' }],
    },
    returnReport: { evaluationId: id, reason: '结论部分需补充证据' },
    approveReport: { evaluationId: id },
    fileReport: { evaluationId: id, reference: '麒安办备〔2026〕9号', filedWith: '曲靖市安全生产委员会办公室' },
    publishReport: { evaluationId: id, url: 'https://www.ql.gov.cn/zwgk/pgbg/2026-001.html' },
    recordReferralOutcome: { evaluationId: id, referralId: extra.referralId ?? 'R1', outcome: '已给予政务记过处分' },
    closeRectificationTask: { taskId: extra.taskId ?? id, evidence: '整改验收单' },
  };
}

// The steps that take a new case from TEAM_FORMATION to each parked stage, and who takes them.
const PATH: [mutation: string, inputType: string, by: 'office' | 'leader'][] = [
  ['formEvaluationTeam', 'FormTeamInput', 'office'],
  ['submitSelfEvaluation', 'SubmitSelfEvaluationInput', 'office'],
  ['completeDocumentReview', 'CompleteDocumentReviewInput', 'office'],
  ['recordOnSiteCheck', 'RecordOnSiteCheckInput', 'office'],
  ['completeOnSiteVerification', 'EvaluationIdInput', 'office'],
  ['submitAssessment', 'SubmitAssessmentInput', 'office'],
  ['submitReportDraft', 'SubmitReportDraftInput', 'office'],
  ['approveReport', 'EvaluationIdInput', 'leader'],
  ['fileReport', 'FileReportInput', 'office'],
  ['publishReport', 'PublishReportInput', 'office'],
];
const STEPS_TO: Record<(typeof PARKED)[number], number> = {
  SELF_EVALUATION: 1,
  DOCUMENT_REVIEW: 2,
  ON_SITE_VERIFICATION: 3,
  COMPREHENSIVE_ASSESSMENT: 5,
  REPORT_DRAFTING: 6,
  REPORT_APPROVAL: 7,
  PUBLICATION: 8,
  FOLLOW_UP: 10,
};
// Which parked case each mutation's seed acts on.
const STAGE_OF: Record<string, Parked> = {
  formEvaluationTeam: 'TEAM_FORMATION',
  submitSelfEvaluation: 'SELF_EVALUATION',
  completeDocumentReview: 'DOCUMENT_REVIEW',
  recordOnSiteCheck: 'ON_SITE_VERIFICATION',
  completeOnSiteVerification: 'ON_SITE_VERIFICATION',
  submitAssessment: 'COMPREHENSIVE_ASSESSMENT',
  submitReportDraft: 'REPORT_DRAFTING',
  returnReport: 'REPORT_APPROVAL',
  approveReport: 'REPORT_APPROVAL',
  fileReport: 'PUBLICATION',
  publishReport: 'PUBLICATION',
  recordReferralOutcome: 'FOLLOW_UP',
  closeRectificationTask: 'FOLLOW_UP',
};

export interface FuzzCases {
  /** Valid arguments per root field, for the hooks to make hostile one value at a time. */
  seeds: Record<string, Record<string, unknown>[]>;
  /** Every id worth trying in an ID argument: cases, regions, departments, measures, items, users, tasks. */
  ids: string[];
  /** Evaluation id per stage. */
  parked: Record<Parked, string>;
}

/**
 * Adds road accidents to the demo, closes them and takes each to its parked stage through the API, then
 * describes the valid requests for every root field.
 */
export async function prepareFuzzCases(
  em: () => EntityManager,
  office: Client,
  leader: Client,
  demo: { qilinCase: string; openCase: string; userIds: string[]; regionIds: string[] },
): Promise<FuzzCases> {
  const accidents = await addRoadAccidents(em(), PARKED.length);
  const closedAt = addDays(addMonths(new Date(), -10), -1).toISOString();
  const call = async (client: Client, mutation: string, inputType: string, input: Record<string, unknown>) => {
    const r = await client(`mutation($in: ${inputType}!) { ${mutation}(input: $in) { __typename } }`, { in: input });
    if (r.errors) throw new Error(`${mutation} while preparing the fuzz cases: ${JSON.stringify(r.errors)}`);
  };
  const stageOf = async (id: string) => (await em().findOne(Evaluation, id))?.stage;

  const parked = { TEAM_FORMATION: demo.qilinCase } as Record<Parked, string>;
  const graphs: Record<string, CaseGraph> = { [demo.qilinCase]: await graphOf(office, demo.qilinCase) };
  for (const [i, stage] of PARKED.entries()) {
    const id = accidents[i]!;
    await call(office, 'closeAccidentCase', 'CloseAccidentCaseInput', { accidentId: id, closedAt });
    await waitForStage(() => stageOf(id), 'TEAM_FORMATION', id);
    graphs[id] = await graphOf(office, id);
    const valid = inputs(id, graphs[id]!);
    for (const [mutation, inputType, by] of PATH.slice(0, STEPS_TO[stage])) {
      await call(by === 'office' ? office : leader, mutation, inputType, valid[mutation]!);
    }
    await waitForStage(() => stageOf(id), stage, id);
    parked[stage] = id;
  }
  const read = await office(`query($id: ID!) { evaluation(id: $id) { tasks { id } referrals { code } } }`, { id: parked.FOLLOW_UP });
  if (!read.data?.evaluation) throw new Error(`reading the follow-up case while preparing the fuzz cases: ${JSON.stringify(read.errors)}`);
  const followUp = read.data.evaluation;
  const taskId: string = followUp.tasks[0].id;
  const referralId: string = followUp.referrals[0].code;

  const seeds: FuzzCases['seeds'] = {};
  for (const [mutation, stage] of Object.entries(STAGE_OF)) {
    const id = parked[stage];
    seeds[mutation] = [{ input: inputs(id, graphs[id]!, { taskId, referralId })[mutation]! }];
  }
  seeds.closeAccidentCase = [{ input: { accidentId: demo.openCase, closedAt } }];
  const cases = [...Object.values(parked), demo.openCase];
  seeds.accident = cases.map((id) => ({ id }));
  seeds.evaluation = cases.map((id) => ({ id }));
  seeds.accidents = [{ first: 50 }];
  seeds.auditEntries = demo.userIds.map((actorId) => ({ actorId, first: 100 }));
  const regions = demo.regionIds;
  seeds.evaluations = [{ first: 20, filter: { regionId: regions[0], stage: ['TEAM_FORMATION', 'FOLLOW_UP'], overdue: false, dueBefore: new Date().toISOString() } }];

  const ids = new Set<string>([...cases, ...regions, ...demo.userIds, taskId, referralId]);
  for (const g of Object.values(graphs)) for (const x of [...g.departments, ...g.measures, ...g.items]) ids.add(x.id);
  return { seeds, ids: [...ids], parked };
}
