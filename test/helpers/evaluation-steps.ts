import type { WorkflowHandle } from '@temporalio/client';
import { closeCase, startEvaluationWorkflow } from '../../api/evaluation/case-closure.js';
import { evaluationWorkflowId } from '../../domain/case.js';
import type { Actor, EvaluationAction, EvaluationCase } from '../../domain/evaluation.js';
import { insertDemoData } from '../../infra/demo-data.js';
import * as m from '../../workflows/evaluation/messages.js';
import type { ActionRequest } from '../../workflows/evaluation/messages.js';
import type { WorkflowWorld } from './workflow-world.js';

// Actors of the Qilin district (530302), which organises its 一般 accidents.
export const officeDirector: Actor = {
  id: 'u-qilin-office-director',
  name: '麒麟区安委办主任 赵某',
  role: 'SAFETY_OFFICE',
  grants: [{ role: 'SAFETY_OFFICE', regionCode: '530302' }],
};
export const leaderInCharge: Actor = {
  id: 'u-qilin-deputy-head',
  name: '分管副区长 钱某',
  role: 'LEADER_IN_CHARGE',
  grants: [{ role: 'LEADER_IN_CHARGE', regionCode: '530302' }],
};
export const enterpriseContactOf = (c: EvaluationCase): Actor => ({
  id: 'u-enterprise-contact',
  name: '企业安全负责人 孙某',
  role: 'ENTERPRISE_CONTACT',
  grants: [{ role: 'ENTERPRISE_CONTACT', enterpriseId: c.enterpriseId }],
});

const req = <T extends EvaluationAction['type']>(_type: T, actor: Actor, input: ActionRequest<T>['input']): ActionRequest<T> => ({ actor, input });

/** Realistic requests for each stage of an evaluation of `c`, in order. */
export function evaluationSteps(c: EvaluationCase, findings: 'all-implemented' | 'gaps' = 'gaps') {
  const [leadDept, ...otherDepts] = c.investigatingDepartments;
  return {
    formTeam: req('FORM_TEAM', officeDirector, {
      leader: { name: '赵某', departmentName: leadDept!.name, departmentId: leadDept!.id },
      members: [
        ...otherDepts.map((d, i) => ({ name: `成员${i + 1}`, departmentName: d.name, departmentId: d.id, role: 'MEMBER' as const })),
        { name: '纪检监察组 周某', departmentName: '区纪委监委', role: 'DISCIPLINE_INSPECTION' as const },
        { name: '注册安全工程师 吴某', departmentName: '云南某安全技术服务有限公司', role: 'EXPERT' as const },
      ],
    }),
    submitSelfEvaluation: req('SUBMIT_SELF_EVALUATION', enterpriseContactOf(c), {
      submittedBy: '事故发生单位',
      summary: '对照调查报告逐项开展自查自评，形成自查自评报告。',
      statements: c.measures.map((m) => ({ measureId: m.id, statement: `已落实：${m.text}` })),
    }),
    completeDocumentReview: req('COMPLETE_DOCUMENT_REVIEW', officeDirector, {
      summary: '审查了属地政府书面报告、企业自查自评报告及结案批复。',
    }),
    onSiteChecks: [
      req('RECORD_ON_SITE_CHECK', officeDirector, { kind: 'INTERVIEW', on: '2026-10-12', place: '南宁街道办事处会议室', summary: '座谈问询属地及行业部门整改情况' }),
      req('RECORD_ON_SITE_CHECK', officeDirector, { kind: 'DOCUMENT_CHECK', on: '2026-10-13', place: '区住建局', summary: '查阅会议纪要、财务凭证和处罚文书' }),
      req('RECORD_ON_SITE_CHECK', officeDirector, { kind: 'SITE_VISIT', on: '2026-10-14', place: '事故项目工地及两家同类企业', summary: '实地检查临边防护设施' }),
    ],
    completeOnSiteVerification: req('COMPLETE_ON_SITE_VERIFICATION', officeDirector, {}),
    submitAssessment: req('SUBMIT_ASSESSMENT', officeDirector, {
      summary: '整改措施总体落实，个别措施落实不到位。',
      measureFindings: c.measures.map((m, i) => ({
        measureId: m.id,
        status: findings === 'gaps' && i === c.measures.length - 1 ? ('PARTLY_IMPLEMENTED' as const) : ('IMPLEMENTED' as const),
        evidence: `现场核查记录第${i + 1}号`,
      })),
      accountabilityFindings: c.accountabilityItems.map((a, i) => ({ itemId: a.id, status: 'IMPLEMENTED' as const, evidence: `处罚决定书第${i + 1}号` })),
      referrals:
        findings === 'gaps'
          ? [{ kind: 'PROCURATORATE' as const, subject: '项目经理 王某', reason: '刑事责任追究明显滞后（001 §11(三)）' }]
          : [],
    }),
    submitReportDraft: req('SUBMIT_REPORT_DRAFT', officeDirector, {
      sections: {
        ORGANISATION: '区政府组织，区安委办牵头，评估组于现场核查后形成报告。',
        ACCOUNTABILITY: '行政处罚已执行；刑事责任追究进展滞后。',
        MEASURES: '三项措施中两项已落实，一项部分落实。',
        CONCLUSION: '整改措施基本落实，需继续跟踪。',
      },
      lists: {
        PROBLEMS: ['属地巡查台账不完整'],
        RECOMMENDATIONS: ['建立在建项目动态巡查机制'],
        GOOD_PRACTICES: ['临边防护标准化做法'],
      },
      memberMeetingHeldOn: '2026-10-20',
      secretParts: [],
    }),
    approveReport: req('APPROVE_REPORT', leaderInCharge, {}),
    publishReport: req('PUBLISH_REPORT', officeDirector, { url: 'https://www.ql.gov.cn/zwgk/pgbg/2026-001.html' }),
    fileReport: req('FILE_REPORT', officeDirector, { reference: '麒安办备〔2026〕12号' }),
  };
}

/**
 * The demo's open case in a fresh copy of the demo data, closed now and its workflow started as the API starts it
 * (the closure recorded its first snapshot), then ten months on, when its window opens (001 §3).
 */
export async function openDemoCase(world: WorkflowWorld, taskQueue: string): Promise<{ evaluationCase: EvaluationCase; handle: WorkflowHandle }> {
  const em = world.db.orm.em.fork();
  const now = new Date(await world.env.currentTimeMs());
  const data = await insertDemoData(em, now);
  const evaluationCase = await closeCase(em, data.openCase, now, officeDirector);
  await startEvaluationWorkflow(em, world.env.client, taskQueue, evaluationCase, { startRecorded: true });
  const handle = world.env.client.workflow.getHandle(evaluationWorkflowId(evaluationCase.accidentId));
  await world.env.sleep('305 days');
  return { evaluationCase, handle };
}

/**
 * Team formed, self-evaluation submitted, documents reviewed: the case waits for its on-site checks. Returns the
 * case's steps, for the ones still to come.
 */
export async function driveToOnSiteVerification(handle: WorkflowHandle, evaluationCase: EvaluationCase): Promise<ReturnType<typeof evaluationSteps>> {
  const steps = evaluationSteps(evaluationCase);
  await handle.executeUpdate(m.formTeamUpdate, { args: [steps.formTeam] });
  await handle.executeUpdate(m.submitSelfEvaluationUpdate, { args: [steps.submitSelfEvaluation] });
  await handle.executeUpdate(m.completeDocumentReviewUpdate, { args: [steps.completeDocumentReview] });
  return steps;
}
