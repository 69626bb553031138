// The demo district's hazard ledger (隐患台账, seed 003), entered the way its enterprises, inspector and officials
// enter it: every step is a GraphQL operation of the API's own schema, run in this process as the demo user whose
// step it is (the whistleblower as the public), so each access check, input rule, workflow validator and audit
// entry applies as it does to a user.
import type { Client } from '@temporalio/client';
import type { EntityManager } from '@mikro-orm/postgresql';
import { graphql, type GraphQLSchema } from 'graphql';
import { contextFor, loadPrincipal } from '../api/context.js';
import { buildApiSchema } from '../api/schema.js';
import { PUBLIC_PRINCIPAL, type Principal } from '../domain/access.js';
import { addDays, chinaDate } from '../domain/calendar.js';
import type { HazardStage } from '../domain/hazard.js';
import { AppUser, Department, Enterprise, Region } from '../schema/entities/index.js';
import { ensureDistrict } from './demo-campaigns.js';
import type { Orm } from './orm.js';

const DISTRICT_CODE = '530302';
const OFFICE = 'qilin-office';
const INSPECTOR = 'qilin-inspector';
const BUILDER = { name: '曲靖市某建设工程有限公司', contact: 'builder-contact' } as const;
const CARRIER = { name: '曲靖市某物流运输有限公司', contact: 'logistics-contact' } as const;
/** The supervising departments (they accept the rectifications), with the demo official who acts for each. */
const HOUSING = { name: '麒麟区住房和城乡建设局', user: 'qilin-housing' } as const;
const TRANSPORT = { name: '麒麟区交通运输局', user: 'qilin-transport' } as const;

/**
 * The idempotency keys the demo enters its hazards with, and who enters each: how a later start finds them (the
 * REPORT audit entry keeps `key:<user>:<key>`). The whistleblower's hazard is found through its report.
 */
const KEYS = {
  closed: { user: BUILDER.contact, key: 'demo-hazard-self-reported-closed' },
  rectifying: { user: CARRIER.contact, key: 'demo-hazard-rectifying' },
  fixedAtOnce: { user: BUILDER.contact, key: 'demo-hazard-fixed-at-once' },
  listed: { user: INSPECTOR, key: 'demo-hazard-listed-supervision' },
} as const;
type Key = keyof typeof KEYS;
const retryKeyOf = (k: Key): string => `key:${KEYS[k].user}:${KEYS[k].key}`;

/** What the public reports (how a later start finds the demo's report: the district's report with this text). */
const REPORT_TEXT = '举报：曲靖市某建设工程有限公司南宁街道工地夜间违规动火切割钢筋，未办理动火审批，现场未配备灭火器材，附近堆放保温材料。';

export interface DemoHazards {
  /** A self-reported major hazard: planned, rectified, accepted and closed (销号); advice NO_PENALTY and the decision recorded. */
  closed: string;
  /** A self-reported major hazard under rectification, its deadline ahead. */
  rectifying: string;
  /** A self-reported general hazard fixed at once (closed). */
  fixedAtOnce: string;
  /** A major hazard the inspector found: under listed supervision (挂牌督办) with the enterprise's receipt, planned. */
  listed: string;
  /** The whistleblower's report, dispatched and verified, and the hazard it became. */
  report: string;
  reportHazard: string;
  /** The report's receipt code when this start submitted it (shown once: try `whistleblowerReportStatus`), else null. */
  receipt: string | null;
}

/** One GraphQL operation of the API, as the user `userId` (or the public), with a context of its own (as one request has). */
type Act = <T = Record<string, any>>(userId: string | null, source: string, variables?: Record<string, unknown>) => Promise<T>;

function operations(orm: Orm, client: Client, taskQueue: string, schema: GraphQLSchema): Act {
  const principals = new Map<string, Principal>();
  return async (userId, source, variables = {}) => {
    let principal = userId === null ? PUBLIC_PRINCIPAL : principals.get(userId);
    if (!principal) {
      const found = await loadPrincipal(orm.em.fork(), userId!);
      if (!found) throw new Error(`demo user ${userId} is missing`);
      principals.set(userId!, (principal = found));
    }
    const result = await graphql({ schema, source, variableValues: variables, contextValue: contextFor({ orm, temporal: client, taskQueue }, principal) });
    if (result.errors?.length) {
      const [first] = result.errors;
      const code = first!.extensions?.code ?? (first!.originalError as { code?: string } | undefined)?.code;
      throw new Error(`${/\{\s*(\w+)/.exec(source)?.[1] ?? 'operation'} as ${userId ?? 'the public'}: ${code ?? 'ERROR'} ${first!.message}`);
    }
    return result.data as never;
  };
}

interface Found {
  hazards: Partial<Record<Key | 'reportHazard', { id: string; stage: HazardStage; decided: boolean; receipt: boolean }>>;
  report: { id: string; stage: string } | null;
}

/** The demo's hazards and report in the district; null when the district holds a hazard the demo did not enter. */
async function demoHazardsIn(em: EntityManager): Promise<Found | null> {
  const [report] = await em.execute<{ id: string; stage: string }[]>(
    `select id, stage from whistleblower_report where handling_region_code = ? and description = ? order by received_at limit 1`,
    [DISTRICT_CODE, REPORT_TEXT],
  );
  const rows = await em.execute<{ id: string; stage: HazardStage; key: string | null; decided: boolean; receipt: boolean }[]>(
    `select h.id, h.stage, a.payload->>'retryKey' as key, h.decision is not null as decided, (h.supervision -> 'receipt') is not null as receipt
       from hazard h left join audit_entry a on a.subject_type = 'hazard' and a.subject_id = h.workflow_id and a.revision = 0
      where h.region_code like ?`,
    [`${DISTRICT_CODE}%`],
  );
  const found: Found = { hazards: {}, report: report ?? null };
  for (const row of rows) {
    const key = (Object.keys(KEYS) as Key[]).find((k) => retryKeyOf(k) === row.key) ?? (report && row.key === `report:${report.id}` ? 'reportHazard' : undefined);
    if (!key) return null;
    found.hazards[key] = { id: row.id, stage: row.stage, decided: row.decided, receipt: row.receipt };
  }
  return found;
}

/** Every step of the demo taken (or the hazard moved past it since). */
function finished(f: Found): boolean {
  const h = f.hazards;
  return Boolean(
    h.closed?.stage === 'CLOSED' && h.closed.decided &&
      h.rectifying && h.rectifying.stage !== 'REPORTED' &&
      h.fixedAtOnce?.stage === 'CLOSED' &&
      h.listed && h.listed.receipt && h.listed.stage !== 'REPORTED' &&
      h.reportHazard && f.report && f.report.stage !== 'RECEIVED' && f.report.stage !== 'DISPATCHED',
  );
}

const REPORT_HAZARD = `mutation($in: ReportHazardInput!, $key: String) { reportHazard(input: $in, idempotencyKey: $key) {
  id stage supervision { receiptSignedBy } decision { decision } } }`;
interface HazardRead {
  id: string;
  stage: HazardStage;
  supervision: { receiptSignedBy: string | null } | null;
  decision: { decision: string } | null;
}

/**
 * Enters and drives the demo's hazards in 麒麟区, dated from `now`, each step by the demo user whose step it is:
 * - a major hazard 曲靖市某建设工程有限公司 reported itself, planned with the five must-haves, rectified, accepted by
 *   the district's housing bureau and closed: its advice reads NO_PENALTY (self-found, reported, remedied), and the
 *   bureau records that decision;
 * - a major hazard 曲靖市某物流运输有限公司 reported itself, under rectification with its deadline ahead;
 * - a general hazard the builder fixed at once (closed);
 * - a major hazard the district's inspector found at the carrier, listed for supervision (挂牌督办) by the district's
 *   safety office, with the carrier's signed receipt, and planned;
 * - a whistleblower's report (as the public) of the builder's site, dispatched by the office to the housing bureau
 *   and verified by it into a hazard.
 * Each step is read first and taken only if it is not taken yet (the actions also carry idempotency keys), so a
 * start cut short is finished by the next one and a finished demo is left as it is; so is a district holding a
 * hazard of its own, or a database without the demo. Runs while the worker polls: the workflows answer each step.
 * Returns the ids when it did anything, else null.
 */
export async function seedDemoHazards(orm: Orm, client: Client, taskQueue: string, now: Date): Promise<DemoHazards | null> {
  const em = orm.em.fork();
  const district = await em.findOne(Region, { code: DISTRICT_CODE });
  if (!district || !(await em.findOne(AppUser, { id: OFFICE }))) return null;
  const builder = await em.findOne(Enterprise, { name: BUILDER.name });
  const carrier = await em.findOne(Enterprise, { name: CARRIER.name });
  if (!builder || !carrier) return null;
  const existing = await demoHazardsIn(em);
  if (!existing || finished(existing)) return null;
  // The departments and demo users (the inspector, the carrier's contact) a database from before hazards lacks.
  await ensureDistrict(em, district.id);
  const departmentId = async (name: string) => (await em.findOneOrFail(Department, { name, region: district.id })).id;
  const housing = await departmentId(HOUSING.name);
  const transport = await departmentId(TRANSPORT.name);
  const act = operations(orm, client, taskQueue, await buildApiSchema());
  const day = (days: number) => chinaDate(addDays(now, days));
  const year = day(0).slice(0, 4);

  const enter = async (k: Key, input: Record<string, unknown>): Promise<HazardRead> =>
    (await act<{ reportHazard: HazardRead }>(KEYS[k].user, REPORT_HAZARD, { key: KEYS[k].key, in: input })).reportHazard;
  /** One action on a hazard, with an idempotency key of its own (a retry is answered as the first attempt was). */
  const step = async (k: Key, userId: string, mutation: string, inputType: string, input: Record<string, unknown>): Promise<HazardRead> =>
    (
      await act<Record<string, HazardRead>>(
        userId,
        `mutation($in: ${inputType}!, $key: String) { ${mutation}(input: $in, idempotencyKey: $key) { id stage supervision { receiptSignedBy } decision { decision } } }`,
        { in: input, key: `demo-hazard-${k}-${mutation}` },
      )
    )[mutation]!;

  // ---- 1: self-reported, major, to closure (销号); advice NO_PENALTY and the decision recorded ----
  let closed = await enter('closed', {
    enterpriseId: builder.id,
    grade: 'MAJOR',
    source: 'SELF_REPORT',
    supervisingDepartmentId: housing,
    judgementBasis: '《房屋市政工程生产安全重大事故隐患判定标准（2022版）》第九条：高大模板支撑系统的基础承载力和变形不满足设计要求',
    description: '麒麟区某住宅项目 3 号楼高大模板支撑体系立杆基础未按专项方案硬化，部分立杆悬空',
    evidence: `企业自查记录 JZ-${year}-014，现场照片 6 张`,
  });
  if (closed.stage === 'REPORTED') {
    closed = await step('closed', BUILDER.contact, 'planHazardRectification', 'PlanHazardRectificationInput', {
      hazardId: closed.id,
      responsiblePerson: '项目经理 刘某',
      measures: '停止该区域混凝土浇筑；按专项方案硬化立杆基础，补设扫地杆和剪刀撑；经专家论证复核后恢复施工',
      funds: '85000.00',
      deadlineOn: day(45),
      emergencyPlan: '高大模板坍塌专项应急预案：警戒区封闭，每日两次变形监测',
    });
  }
  if (closed.stage === 'RECTIFYING') {
    closed = await step('closed', BUILDER.contact, 'submitHazardForAcceptance', 'HazardEvidenceInput', {
      hazardId: closed.id,
      evidence: '立杆基础硬化验收记录、支撑体系检查表、专家复核意见',
    });
  }
  if (closed.stage === 'ACCEPTANCE') {
    closed = await step('closed', HOUSING.user, 'acceptHazardRectification', 'HazardEvidenceInput', {
      hazardId: closed.id,
      evidence: '区住建局现场验收合格，准予销号',
    });
  }
  if (closed.stage === 'CLOSED' && !closed.decision) {
    closed = await step('closed', HOUSING.user, 'recordEnforcementDecision', 'RecordEnforcementDecisionInput', {
      hazardId: closed.id,
      decision: 'NO_PENALTY',
      reason: '企业自查发现并主动报告，按期整改到位，依 003 §三.(三) 不予行政处罚',
    });
  }

  // ---- 2: self-reported, major, under rectification on time ----
  let rectifying = await enter('rectifying', {
    enterpriseId: carrier.id,
    grade: 'MAJOR',
    source: 'SELF_REPORT',
    supervisingDepartmentId: transport,
    judgementBasis: '《道路运输企业和城市客运企业安全生产重大事故隐患判定标准（试行）》：未按规定对车辆进行动态监控',
    description: '12 辆重型货车卫星定位装置离线超过 7 日，动态监控平台未发现、未处置',
    evidence: '动态监控平台离线车辆清单（自查导出）',
  });
  if (rectifying.stage === 'REPORTED') {
    rectifying = await step('rectifying', CARRIER.contact, 'planHazardRectification', 'PlanHazardRectificationInput', {
      hazardId: rectifying.id,
      responsiblePerson: '安全负责人 吴某',
      measures: '更换离线车载终端；动态监控平台配足专职监控人员，实行 24 小时值守；离线车辆停运至恢复在线',
      funds: '260000.00',
      deadlineOn: day(60),
      emergencyPlan: '离线车辆一律停运，驾驶员每日电话报备行驶线路',
    });
  }

  // ---- 3: self-reported, general, fixed at once ----
  let fixedAtOnce = await enter('fixedAtOnce', {
    enterpriseId: builder.id,
    grade: 'GENERAL',
    source: 'SELF_REPORT',
    supervisingDepartmentId: housing,
    judgementBasis: '《建筑施工高处作业安全技术规范》JGJ 80-2016 第 4.1.1 条',
    description: '5 号楼 6 层电梯井口防护门缺失一处',
    evidence: '班前安全检查记录',
  });
  if (fixedAtOnce.stage === 'REPORTED') {
    fixedAtOnce = await step('fixedAtOnce', BUILDER.contact, 'fixHazardAtOnce', 'FixHazardAtOnceInput', {
      hazardId: fixedAtOnce.id,
      evidence: '当日补装定型化防护门，整改前后照片',
    });
  }

  // ---- 4: found by inspection, listed for supervision (挂牌督办) with its receipt, planned ----
  let listed = await enter('listed', {
    enterpriseId: carrier.id,
    grade: 'MAJOR',
    source: 'INSPECTION',
    supervisingDepartmentId: transport,
    judgementBasis: '《道路运输企业和城市客运企业安全生产重大事故隐患判定标准（试行）》：危险货物运输车辆未按规定安装紧急切断装置',
    description: '3 辆危险货物罐式车辆紧急切断装置失效，仍在营运',
    evidence: `执法检查记录 麒应急检〔${year}〕21号`,
  });
  const documentNo = `麒安办督〔${year}〕1号`;
  if (!listed.supervision && listed.stage !== 'CLOSED') {
    listed = await step('listed', OFFICE, 'listHazardSupervision', 'ListHazardSupervisionInput', {
      hazardId: listed.id,
      regionCode: DISTRICT_CODE,
      documentNo,
      listedOn: day(0),
    });
  }
  if (listed.supervision && !listed.supervision.receiptSignedBy) {
    listed = await step('listed', CARRIER.contact, 'recordSupervisionReceipt', 'RecordSupervisionReceiptInput', {
      hazardId: listed.id,
      signedBy: '曲靖市某物流运输有限公司 法定代表人 郑某',
      receivedOn: day(0),
    });
  }
  if (listed.stage === 'REPORTED') {
    listed = await step('listed', CARRIER.contact, 'planHazardRectification', 'PlanHazardRectificationInput', {
      hazardId: listed.id,
      responsiblePerson: '法定代表人 郑某',
      measures: '涉事车辆立即停运；更换紧急切断装置并经检验合格；全面排查其余罐式车辆',
      funds: '48000.00',
      deadlineOn: day(30),
      emergencyPlan: '危险货物运输车辆泄漏专项应急预案',
    });
  }

  // ---- 5: a whistleblower's report, dispatched and verified into a hazard ----
  let receipt: string | null = null;
  let reportId = existing.report?.id;
  if (!reportId) {
    const nanning = await em.findOneOrFail(Region, { code: '530302001' });
    const submitted = await act<{ submitWhistleblowerReport: { receipt: string } }>(
      null,
      `mutation($in: SubmitWhistleblowerReportInput!) { submitWhistleblowerReport(input: $in) { receipt } }`,
      { in: { regionId: nanning.id, sector: 'CONSTRUCTION', enterpriseName: BUILDER.name, description: REPORT_TEXT } },
    );
    receipt = submitted.submitWhistleblowerReport.receipt;
    reportId = (await demoHazardsIn(em.fork()))?.report?.id;
    if (!reportId) throw new Error('the demo whistleblower report was not stored');
  }
  const READ_REPORT = `query($id: String!) { whistleblowerReport(id: $id) { stage verification { hazardId } } }`;
  let report = (await act<{ whistleblowerReport: { stage: string; verification: { hazardId: string | null } | null } }>(OFFICE, READ_REPORT, { id: reportId }))
    .whistleblowerReport;
  if (report.stage === 'RECEIVED') {
    report = (
      await act<{ dispatchWhistleblowerReport: typeof report }>(
        OFFICE,
        `mutation($in: DispatchWhistleblowerReportInput!, $key: String) { dispatchWhistleblowerReport(input: $in, idempotencyKey: $key) { stage verification { hazardId } } }`,
        { in: { reportId, departmentId: housing }, key: 'demo-hazard-report-dispatch' },
      )
    ).dispatchWhistleblowerReport;
  }
  if (report.stage === 'DISPATCHED') {
    report = (
      await act<{ recordWhistleblowerVerification: typeof report }>(
        HOUSING.user,
        `mutation($in: RecordWhistleblowerVerificationInput!, $key: String) { recordWhistleblowerVerification(input: $in, idempotencyKey: $key) { stage verification { hazardId } } }`,
        {
          key: 'demo-hazard-report-verification',
          in: {
            reportId,
            outcome: 'HAZARD',
            findings: '区住建局现场核查属实：工地夜间动火未办理审批，现场无灭火器材，责令立即停止动火作业',
            hazard: {
              enterpriseId: builder.id,
              grade: 'GENERAL',
              supervisingDepartmentId: housing,
              judgementBasis: '《建设工程施工现场消防安全技术规范》GB 50720-2011 第 6.3.1 条',
              description: '南宁街道项目工地夜间违规动火切割钢筋，未办理动火审批，未配备灭火器材',
              evidence: '举报核查记录、现场照片',
            },
          },
        },
      )
    ).recordWhistleblowerVerification;
  }
  const reportHazard = report.verification?.hazardId;
  if (!reportHazard) throw new Error(`the demo whistleblower report is ${report.stage} without a hazard`);

  return { closed: closed.id, rectifying: rectifying.id, fixedAtOnce: fixedAtOnce.id, listed: listed.id, report: reportId, reportHazard, receipt };
}
