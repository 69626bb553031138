// Two campaign evaluations (002) in the demo district 麒麟区, entered the way its officials enter them: every step is
// a GraphQL operation of the API's own schema, run in this process as the demo official whose step it is, so each
// access check, input rule, workflow validator and audit entry applies as it does to a user.
import type { Client } from '@temporalio/client';
import type { EntityManager } from '@mikro-orm/postgresql';
import { graphql, type GraphQLSchema } from 'graphql';
import { contextFor, loadPrincipal } from '../api/context.js';
import { createDepartment, createRegion } from '../api/intake/register.service.js';
import { buildApiSchema } from '../api/schema.js';
import type { Principal } from '../domain/access.js';
import { sectorWorkflowId, townWorkflowId, type CampaignStage } from '../domain/campaign.js';
import type { Sector } from '../domain/case.js';
import { addDays, addMonths, chinaDate } from '../domain/calendar.js';
import { AppUser, Department, Region, type DepartmentKind } from '../schema/entities/index.js';
import { demoUsers, insertUsers } from './demo-users.js';
import type { Orm } from './orm.js';

/** The district the demo's campaigns belong to, and its towns (区镇/街道) the campaigns evaluate. */
const DISTRICT_CODE = '530302';
const TOWNS = {
  nanning: { code: '530302001', name: '南宁街道' },
  baishijiang: { code: '530302003', name: '白石江街道' },
  yuezhou: { code: '530302101', name: '越州镇' },
} as const;
type Town = keyof typeof TOWNS;

/** The lead departments (牵头部门), each with the demo official who acts for it. */
const DEPARTMENTS = {
  housing: { name: '麒麟区住房和城乡建设局', kind: 'SECTOR_REGULATOR', user: 'qilin-housing' },
  transport: { name: '麒麟区交通运输局', kind: 'SECTOR_REGULATOR', user: 'qilin-transport' },
  emergency: { name: '麒麟区应急管理局', kind: 'EMERGENCY_MANAGEMENT', user: 'qilin-emergency' },
} as const satisfies Record<string, { name: string; kind: DepartmentKind; user: string }>;
type DepartmentKey = keyof typeof DEPARTMENTS;

/** Each town's official and its leader in charge (infra/demo-users.ts). */
const TOWN_USERS: Record<Town, { official: string; leader: string }> = {
  nanning: { official: 'nanning-town', leader: 'nanning-leader' },
  baishijiang: { official: 'baishijiang-town', leader: 'baishijiang-leader' },
  yuezhou: { official: 'yuezhou-town', leader: 'yuezhou-leader' },
};
const OFFICE = 'qilin-office';
const LEADER = 'qilin-leader';

/** The register keeper who enters missing towns and departments, as the demo's own data is entered. */
const REGISTER_KEEPER: Principal = { id: 'demo-seed', name: '演示数据', grants: [{ role: 'ADMINISTRATOR', regionCode: '530000' }] };

export interface DemoCampaigns {
  /** 三年行动 that ended about four months ago: evaluated, graded (one 优, one 差) and in follow-up. */
  finished: string;
  /** 全区性整治 that ended two weeks ago: towns evaluating themselves, one has submitted. */
  running: string;
}

/** One GraphQL operation of the API, as the user `userId`, with a context of its own (as one request has). */
type Act = <T = Record<string, any>>(userId: string, source: string, variables?: Record<string, unknown>) => Promise<T>;

function operations(orm: Orm, client: Client, taskQueue: string, schema: GraphQLSchema): Act {
  const principals = new Map<string, Principal>();
  return async (userId, source, variables = {}) => {
    let principal = principals.get(userId);
    if (!principal) {
      const found = await loadPrincipal(orm.em.fork(), userId);
      if (!found) throw new Error(`demo user ${userId} is missing`);
      principals.set(userId, (principal = found));
    }
    const result = await graphql({ schema, source, variableValues: variables, contextValue: contextFor({ orm, temporal: client, taskQueue }, principal) });
    if (result.errors?.length) {
      const [first] = result.errors;
      const code = first!.extensions?.code ?? (first!.originalError as { code?: string } | undefined)?.code;
      throw new Error(`${/\{\s*(\w+)/.exec(source)?.[1] ?? 'operation'} as ${userId}: ${code ?? 'ERROR'} ${first!.message}`);
    }
    return result.data as never;
  };
}

/** Polls until `done` holds: stages move on by the workflows' own signals, a moment after the step that caused them. */
async function waitUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The demo's towns, departments and campaign officials, whichever of them a database from before campaigns lacks. */
export async function ensureDistrict(em: EntityManager, districtId: string): Promise<{ towns: Record<Town, string>; departments: Record<DepartmentKey, string> }> {
  const towns = {} as Record<Town, string>;
  for (const [key, town] of Object.entries(TOWNS) as [Town, (typeof TOWNS)[Town]][]) {
    const found = await em.findOne(Region, { code: town.code });
    towns[key] = found
      ? found.id
      : await createRegion(em, REGISTER_KEEPER, { code: town.code, name: town.name, level: 'TOWN', parentId: districtId, safetyOfficeName: `${town.name}安全生产委员会办公室` });
  }
  const departments = {} as Record<DepartmentKey, string>;
  for (const [key, d] of Object.entries(DEPARTMENTS) as [DepartmentKey, (typeof DEPARTMENTS)[DepartmentKey]][]) {
    const found = await em.findOne(Department, { name: d.name, region: districtId });
    departments[key] = found ? found.id : await createDepartment(em, REGISTER_KEEPER, { name: d.name, kind: d.kind, regionId: districtId });
  }
  const users = await demoUsers(em);
  const present = new Set((await em.find(AppUser, { id: { $in: users.map((u) => u.id) } })).map((u) => u.id));
  await insertUsers(em, users.filter((u) => !present.has(u.id)));
  return { towns, departments };
}

const REGISTER = `mutation($in: RegisterCampaignInput!, $key: String) { registerCampaign(input: $in, idempotencyKey: $key) { id } }`;

/** What the driver reads of a campaign before each step: a step already taken (an earlier start) is not taken again. */
interface CampaignRead {
  stage: CampaignStage;
  towns: { townCode: string; submittedAt: string | null; selfEvaluation: { stage: string }; plan: { deadlineOn: string } | null }[];
  sectors: { sector: Sector; review: { stage: string; methods: { method: string }[] } }[];
  assessment: { submittedAt: string; returns: { at: string }[] } | null;
  followUp: { lookBacks: { id: string }[] };
  auditTrail: { action: string; subjectId: string }[];
}
const READ = `query($id: ID!) { campaign(id: $id) { stage
  towns { townCode submittedAt selfEvaluation { stage } plan { deadlineOn } }
  sectors { sector review { stage methods { method } } }
  assessment { submittedAt returns { at } }
  followUp { lookBacks { id } }
  auditTrail(first: 200) { action subjectId } } }`;

const STAGE_ORDER: readonly CampaignStage[] = ['WAITING_FOR_END', 'PREPARATION', 'SELF_EVALUATION', 'SECTOR_REVIEW', 'COMPREHENSIVE_ASSESSMENT', 'LEAD_ASSESSMENT', 'FOLLOW_UP', 'CLOSED'];
const reached = (stage: CampaignStage, target: CampaignStage): boolean => STAGE_ORDER.indexOf(stage) >= STAGE_ORDER.indexOf(target);

/** The idempotency keys the demo registers its campaigns with: how a later start finds them. */
const KEYS = { finished: 'demo-campaign-three-year', running: 'demo-campaign-district-wide' } as const;

/**
 * The demo's campaigns in the district, by key; null when the district holds a campaign the demo did not register
 * (it is in real use: the demo stays out of it).
 */
async function demoCampaignsIn(em: EntityManager, districtId: string): Promise<Partial<Record<keyof typeof KEYS, { id: string; done: boolean }>> | null> {
  const rows = await em.execute<{ id: string; key: string | null; actorId: string | null; stage: CampaignStage; lookBacks: boolean; submissions: boolean }[]>(
    `select c.id, c.stage, a.payload->>'idempotencyKey' as key, a.actor_id as "actorId",
       exists (select 1 from campaign_look_back l where l.campaign_id = c.id) as "lookBacks",
       exists (select 1 from campaign_town t where t.campaign_id = c.id and t.submitted_at is not null) as submissions
       from campaign c left join audit_entry a on a.subject_type = 'campaign' and a.subject_id = c.workflow_id and a.action = 'REGISTER'
      where c.district_region_id = ?`,
    [districtId],
  );
  const found: Partial<Record<keyof typeof KEYS, { id: string; done: boolean }>> = {};
  for (const row of rows) {
    const key = (Object.keys(KEYS) as (keyof typeof KEYS)[]).find((k) => KEYS[k] === row.key && row.actorId === OFFICE);
    if (!key) return null;
    // Its last step taken (or the campaign moved past it since).
    const done = key === 'finished' ? row.lookBacks || row.stage === 'CLOSED' : row.submissions || reached(row.stage, 'SECTOR_REVIEW');
    found[key] = { id: row.id, done };
  }
  return found;
}

/**
 * Registers and drives the demo's two campaigns in 麒麟区, dated from `now`: a three-year campaign that ended about
 * four months ago through every stage to follow-up, and a district-wide one that ended two weeks ago to its towns'
 * self-evaluation. Each step is read first and taken only if it is not taken yet, so a start cut short is finished by
 * the next one and a finished demo is left as it is (as is a district holding a campaign of its own, or a database
 * without the demo). Runs while the worker polls: the workflows answer each step. Returns the campaigns' ids when it
 * did anything, else null.
 */
export async function seedDemoCampaigns(orm: Orm, client: Client, taskQueue: string, now: Date): Promise<DemoCampaigns | null> {
  const em = orm.em.fork();
  const district = await em.findOne(Region, { code: DISTRICT_CODE });
  if (!district || !(await em.findOne(AppUser, { id: OFFICE }))) return null;
  const existing = await demoCampaignsIn(em, district.id);
  if (!existing || (existing.finished?.done && existing.running?.done)) return null;
  const { towns, departments } = await ensureDistrict(em, district.id);
  const act = operations(orm, client, taskQueue, await buildApiSchema());

  const read = async (id: string): Promise<CampaignRead> => (await act<{ campaign: CampaignRead }>(OFFICE, READ, { id })).campaign;
  const readUntil = (id: string, done: (c: CampaignRead) => boolean, what: string) => waitUntil(() => read(id), done, `campaign ${id}: ${what}`);
  const mutate = (userId: string, mutation: string, inputType: string, input: Record<string, unknown>) =>
    act(userId, `mutation($in: ${inputType}!) { ${mutation}(input: $in) { stage } }`, { in: input });
  /**
   * A stage shows in the read model a moment before its towns' or sectors' workflows have started: a step on one of
   * them waits for the workflow's first entry in the trail.
   */
  const started = (id: string, workflowIds: string[]) =>
    readUntil(id, (c) => workflowIds.every((w) => c.auditTrail.some((e) => e.subjectId === w && e.action === 'START')), 'its units\' workflows to start');
  const day = (days: number) => chinaDate(addDays(now, days));
  const townOf = (code: string) => (Object.keys(TOWNS) as Town[]).find((t) => TOWNS[t].code === code)!;

  // ---- 1: a three-year campaign that ended about four months ago, evaluated through to follow-up ----
  const finishedEnds = addMonths(now, -4);
  const finishedStarts = addDays(addMonths(finishedEnds, -36), 1);
  const finished =
    existing.finished?.id ??
    (
      await act<{ registerCampaign: { id: string } }>(OFFICE, REGISTER, {
        key: KEYS.finished,
        in: {
          name: `麒麟区安全生产专项整治三年行动（${chinaDate(finishedStarts).slice(0, 4)}—${chinaDate(finishedEnds).slice(0, 4)}）`,
          kind: 'THREE_YEAR',
          startsOn: chinaDate(finishedStarts),
          endsOn: chinaDate(finishedEnds),
          districtRegionId: district.id,
          dimensions: ['TARGET_TASKS', 'HAZARD_RECTIFICATION', 'LONG_TERM_MECHANISMS', 'ACCIDENTS'],
          sectors: [
            { sector: 'CONSTRUCTION', leadDepartmentId: departments.housing, townRegionIds: [towns.nanning, towns.baishijiang] },
            { sector: 'ROAD_TRANSPORT', leadDepartmentId: departments.transport, townRegionIds: [towns.nanning, towns.yuezhou] },
          ],
        },
      })
    ).registerCampaign.id;
  // Ended long ago: the workflow starts the evaluation by itself.
  let c = await readUntil(finished, (x) => reached(x.stage, 'PREPARATION'), 'to reach PREPARATION');
  if (c.stage === 'PREPARATION') {
    await mutate(OFFICE, 'submitCampaignPreparation', 'SubmitCampaignPreparationInput', {
      campaignId: finished,
      schedule: '评估工作分准备、自评、领域评估、综合评估四个阶段，三个月内完成',
      scope: '全区三个街道（镇），建筑施工、道路运输两个重点领域',
      duties: '区安委办牵头组织，区住建局、区交通运输局分领域评估，各街道（镇）开展自评',
      leadingGroup: [
        { name: '李主任', unit: '麒麟区安委办' },
        { name: '王科长', unit: '麒麟区住房和城乡建设局' },
        { name: '赵科长', unit: '麒麟区交通运输局' },
        { name: '杨教授', unit: '昆明理工大学', expert: true },
      ],
    });
    c = await readUntil(finished, (x) => reached(x.stage, 'SELF_EVALUATION'), 'to reach SELF_EVALUATION');
  }

  if (c.stage === 'SELF_EVALUATION') {
    c = await started(finished, c.towns.map((t) => townWorkflowId(finished, t.townCode)));
    for (const t of c.towns) {
      const town = townOf(t.townCode);
      if (t.selfEvaluation.stage === 'DRAFTING') {
        await mutate(TOWN_USERS[town].official, 'submitTownSelfEvaluation', 'SubmitTownSelfEvaluationInput', { campaignId: finished, townRegionId: towns[town], ...SELF_EVALUATIONS[town] });
      }
      if (t.selfEvaluation.stage !== 'APPROVED') {
        await mutate(TOWN_USERS[town].leader, 'approveTownSelfEvaluation', 'CampaignTownInput', { campaignId: finished, townRegionId: towns[town] });
      }
    }
    c = await readUntil(finished, (x) => reached(x.stage, 'SECTOR_REVIEW'), 'to reach SECTOR_REVIEW');
  }

  if (c.stage === 'SECTOR_REVIEW') {
    c = await started(finished, c.sectors.map((s) => sectorWorkflowId(finished, s.sector)));
    for (const review of SECTOR_REVIEWS) {
      const current = c.sectors.find((s) => s.sector === review.sector)!.review;
      const lead = DEPARTMENTS[review.lead].user;
      if (current.stage === 'REVIEWING' && !current.methods.length) {
        await mutate(lead, 'recordReviewMethod', 'RecordReviewMethodInput', { campaignId: finished, sector: review.sector, method: review.method, on: day(-3), summary: review.summary });
      }
      if (current.stage === 'REVIEWING') {
        await mutate(lead, 'submitSectorReview', 'SubmitSectorReviewInput', {
          campaignId: finished,
          sector: review.sector,
          overall: review.overall,
          subReports: review.towns.map(([town, , text]) => ({ townRegionId: towns[town], text })),
          townGrades: review.towns.map(([town, grade]) => ({ townRegionId: towns[town], grade })),
        });
      }
      if (current.stage !== 'APPROVED') await mutate(LEADER, 'approveSectorReview', 'CampaignSectorRefInput', { campaignId: finished, sector: review.sector });
    }
    c = await readUntil(finished, (x) => reached(x.stage, 'COMPREHENSIVE_ASSESSMENT'), 'to reach COMPREHENSIVE_ASSESSMENT');
  }

  if (c.stage === 'COMPREHENSIVE_ASSESSMENT') {
    const a = c.assessment;
    // Not submitted yet, or sent back since it was.
    const returned = a !== null && a.returns.some((x) => x.at >= a.submittedAt);
    if (!a || returned) await mutate(OFFICE, 'submitCampaignAssessment', 'SubmitCampaignAssessmentInput', { campaignId: finished, ...ASSESSMENT });
    await mutate(LEADER, 'approveCampaignAssessment', 'CampaignIdInput', { campaignId: finished });
    c = await readUntil(finished, (x) => reached(x.stage, 'FOLLOW_UP'), 'to reach FOLLOW_UP');
  }

  // 002 §12: the vetoed town's rectification plan, and a look-back some weeks ahead by its sector's lead department.
  if (c.stage === 'FOLLOW_UP') {
    if (!c.towns.find((t) => t.townCode === TOWNS.yuezhou.code)?.plan) {
      await mutate(TOWN_USERS.yuezhou.official, 'submitRectificationPlan', 'SubmitRectificationPlanInput', {
        campaignId: finished,
        townRegionId: towns.yuezhou,
        responsibility: '越州镇人民政府主要负责人负总责，镇安监站、交管站具体落实',
        measures: '临水临崖路段增设护栏 12.6 公里；农村客运车辆动态监控全部接入；重大隐患逐项挂牌督办、销号管理',
        deadlineOn: day(90),
      });
    }
    if (!c.followUp.lookBacks.length) {
      await mutate(DEPARTMENTS.transport.user, 'scheduleLookBack', 'ScheduleLookBackInput', {
        campaignId: finished,
        townRegionId: towns.yuezhou,
        sector: 'ROAD_TRANSPORT',
        reason: 'MAJOR_HAZARDS',
        scheduledOn: day(35),
      });
    }
  }

  // ---- 2: a district-wide campaign that ended two weeks ago; the towns are evaluating themselves ----
  const runningEnds = addDays(now, -14);
  const running =
    existing.running?.id ??
    (
      await act<{ registerCampaign: { id: string } }>(OFFICE, REGISTER, {
        key: KEYS.running,
        in: {
          name: `麒麟区安全隐患大排查大整治行动（${chinaDate(runningEnds).slice(0, 4)}年）`,
          kind: 'DISTRICT_WIDE',
          startsOn: chinaDate(addMonths(runningEnds, -8)),
          endsOn: chinaDate(runningEnds),
          districtRegionId: district.id,
          dimensions: ['TARGET_TASKS', 'HAZARD_RECTIFICATION'],
          sectors: [
            { sector: 'CONSTRUCTION', leadDepartmentId: departments.housing, townRegionIds: [towns.nanning, towns.baishijiang] },
            { sector: 'HAZARDOUS_CHEMICALS', leadDepartmentId: departments.emergency, townRegionIds: [towns.baishijiang, towns.yuezhou] },
          ],
        },
      })
    ).registerCampaign.id;
  let r = await readUntil(running, (x) => reached(x.stage, 'PREPARATION'), 'to reach PREPARATION');
  if (r.stage === 'PREPARATION') {
    await mutate(OFFICE, 'submitCampaignPreparation', 'SubmitCampaignPreparationInput', {
      campaignId: running,
      schedule: `${day(16)} 前完成街道（镇）自评`,
      scope: '全区三个街道（镇），建筑施工、危险化学品两个领域',
      duties: '区安委办牵头，区住建局、区应急管理局分领域评估',
      leadingGroup: [
        { name: '李主任', unit: '麒麟区安委办' },
        { name: '张科长', unit: '麒麟区应急管理局' },
      ],
    });
    r = await readUntil(running, (x) => reached(x.stage, 'SELF_EVALUATION'), 'to reach SELF_EVALUATION');
  }
  if (r.stage === 'SELF_EVALUATION' && r.towns.every((t) => t.selfEvaluation.stage === 'DRAFTING')) {
    await started(running, [townWorkflowId(running, TOWNS.nanning.code)]);
    await mutate(TOWN_USERS.nanning.official, 'submitTownSelfEvaluation', 'SubmitTownSelfEvaluationInput', {
      campaignId: running,
      townRegionId: towns.nanning,
      report: '南宁街道大排查大整治自评报告：排查在建项目 23 个，发现隐患 41 项，已整改 37 项。',
      targetTasks: ['在建项目排查全覆盖'],
      hazardRectifications: ['隐患 41 项，已整改 37 项，4 项限期整改'],
      typicalPractices: ['网格员日常巡查与部门专项检查联动'],
    });
  }
  // The campaign hears of the submission by signal: done once its town list shows it.
  if (r.stage === 'SELF_EVALUATION') {
    await readUntil(running, (x) => x.stage !== 'SELF_EVALUATION' || x.towns.some((t) => t.submittedAt), `to record ${TOWNS.nanning.name}'s submission`);
  }
  return { finished, running };
}

const SELF_EVALUATIONS: Record<Town, { report: string; targetTasks: string[]; hazardRectifications: string[]; typicalPractices: string[] }> = {
  nanning: {
    report: '南宁街道三年行动自评报告：目标任务全部完成，建筑施工和道路运输领域隐患动态清零。',
    targetTasks: ['在建项目安全巡查全覆盖，建立巡查台账 46 本', '辖区货运企业动态监控接入率 100%'],
    hazardRectifications: ['排查建筑施工隐患 132 项，已整改 132 项', '道路运输隐患 58 项，已整改 56 项，2 项限期整改'],
    typicalPractices: ['“街道吹哨、部门报到”联合执法机制'],
  },
  baishijiang: {
    report: '白石江街道三年行动自评报告：目标任务基本完成，老旧小区改造工地安全管理有待加强。',
    targetTasks: ['在建项目安全巡查全覆盖', '建筑工人安全培训 1200 人次'],
    hazardRectifications: ['排查建筑施工隐患 87 项，已整改 85 项'],
    typicalPractices: ['工地安全“红黄绿”分级管理'],
  },
  yuezhou: {
    report: '越州镇三年行动自评报告：农村道路交通安全整治任务未全部完成，临水临崖路段防护设施缺口较大。',
    targetTasks: ['农村客运车辆动态监控接入率 92%'],
    hazardRectifications: ['排查道路交通隐患 64 项，已整改 41 项'],
    typicalPractices: ['村级交通安全劝导站'],
  },
};

/**
 * 002 §10: each lead department reviews its towns and grades them; the district leader approves. 优 gives 南宁街道
 * priority as an advanced collective (§15); 差 is a one-vote veto on 越州镇 (§16).
 */
const SECTOR_REVIEWS: { sector: Sector; lead: DepartmentKey; method: string; summary: string; overall: string; towns: [Town, string, string][] }[] = [
  {
    sector: 'CONSTRUCTION',
    lead: 'housing',
    method: 'LEDGER_SPOT_CHECK',
    summary: '现场抽查在建项目 12 个、安全台账 30 本',
    overall: '建筑施工领域评估报告：两个街道在建项目安全管理规范，高处坠落整治成效明显。',
    towns: [
      ['nanning', 'EXCELLENT', '南宁街道：巡查台账完整，隐患全部销号，整治成效显著'],
      ['baishijiang', 'GOOD', '白石江街道：目标任务完成较好，个别老旧小区工地防护不到位'],
    ],
  },
  {
    sector: 'ROAD_TRANSPORT',
    lead: 'transport',
    method: 'RANDOM_VISIT',
    summary: '随机走访货运企业 8 家、农村客运站 3 个',
    overall: '道路运输领域评估报告：城区货运企业动态监控到位，农村道路安全防护短板突出。',
    towns: [
      ['nanning', 'FAIR', '南宁街道：动态监控到位，2 项隐患尚在整改'],
      ['yuezhou', 'POOR', '越州镇：临水临崖路段防护设施缺口大，重大隐患未按期整改'],
    ],
  },
];

/** 002 §11: the office's comprehensive assessment, a grade and a sub-report per sector. */
const ASSESSMENT = {
  overall: '麒麟区安全生产专项整治三年行动综合评估报告：目标任务总体完成，建筑施工领域成效显著，农村道路运输安全仍是突出短板。',
  subReports: [
    { sector: 'CONSTRUCTION', text: '建筑施工领域：高处坠落专项整治成效显著，巡查机制形成常态。' },
    { sector: 'ROAD_TRANSPORT', text: '道路运输领域：城区货运监管到位，越州镇农村道路隐患整改滞后。' },
  ],
  sectorGrades: [
    { sector: 'CONSTRUCTION', grade: 'GOOD' },
    { sector: 'ROAD_TRANSPORT', grade: 'FAIR' },
  ],
};
