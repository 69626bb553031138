import type { EntityManager } from '@mikro-orm/postgresql';
import { createDepartment, createEnterprise, createRegion } from '../../api/intake/register.service.js';
import type { Principal } from '../../domain/access.js';
import { chinaDate } from '../../domain/calendar.js';
import { plusDays } from '../../domain/campaign-deadlines.js';
import type { RegionLevel } from '../../domain/regions.js';
import { insertUsers, type DemoUser } from '../../infra/demo-users.js';
import type { DepartmentKind } from '../../schema/entities/index.js';

// A district with its hazards' cast (003): 麒麟区 in 曲靖市, 云南省, its town 南宁街道, its emergency bureau and housing
// bureau, an inspector, two enterprises and their contacts; next door 沾益区 with its own office, inspector and
// enterprise, who must not see 麒麟区's hazards. Entered through the register services, as an administrator would.

const SEED: Principal = { id: 'hazard-seed', name: '测试数据', grants: [{ role: 'ADMINISTRATOR', regionCode: '530000' }] };

export interface HazardWorld {
  regions: Record<'yunnan' | 'qujing' | 'qilin' | 'nanning' | 'zhanyi' | 'xiping', string>;
  departments: Record<'emergency' | 'housing' | 'zhanyiEmergency', string>;
  enterprises: Record<'chemical' | 'builder' | 'zhanyiChemical', string>;
}

export const HAZARD_USERS = [
  'public',
  'ql-office',
  'qj-office',
  'yn-office',
  'ql-emergency',
  'ql-housing',
  'ql-inspector',
  'ql-leader',
  'nanning-town',
  'chem-contact',
  'builder-contact',
  'zy-office',
  'zy-inspector',
  'zy-chem-contact',
] as const;
export type HazardUser = (typeof HAZARD_USERS)[number];

export async function insertHazardWorld(em: EntityManager): Promise<HazardWorld> {
  const region = (code: string, name: string, level: RegionLevel, parentId: string | null) =>
    createRegion(em, SEED, { code, name, level, parentId, safetyOfficeName: `${name}安全生产委员会办公室` });
  const yunnan = await region('530000', '云南省', 'PROVINCE', null);
  const qujing = await region('530300', '曲靖市', 'CITY', yunnan);
  const qilin = await region('530302', '麒麟区', 'COUNTY', qujing);
  const nanning = await region('530302101', '南宁街道', 'TOWN', qilin);
  const zhanyi = await region('530303', '沾益区', 'COUNTY', qujing);
  const xiping = await region('530303101', '西平街道', 'TOWN', zhanyi);
  const dept = (name: string, kind: DepartmentKind, regionId: string) => createDepartment(em, SEED, { name, kind, regionId });
  const emergency = await dept('麒麟区应急管理局', 'EMERGENCY_MANAGEMENT', qilin);
  const housing = await dept('麒麟区住房和城乡建设局', 'SECTOR_REGULATOR', qilin);
  const zhanyiEmergency = await dept('沾益区应急管理局', 'EMERGENCY_MANAGEMENT', zhanyi);
  const enterprise = (name: string, sector: string, homeRegionId: string) => createEnterprise(em, SEED, { name, sector, homeRegionId });
  const chemical = await enterprise('曲靖市麒麟区某化工有限公司', 'HAZARDOUS_CHEMICALS', nanning);
  const builder = await enterprise('麒麟区某建筑工程有限公司', 'CONSTRUCTION', qilin);
  const zhanyiChemical = await enterprise('沾益区某化工有限公司', 'HAZARDOUS_CHEMICALS', xiping);
  const users: DemoUser[] = [
    { id: 'ql-office', name: '麒麟区安委办 李主任', grants: [{ role: 'SAFETY_OFFICE', regionCode: '530302' }] },
    { id: 'qj-office', name: '曲靖市安委办 王某', grants: [{ role: 'SAFETY_OFFICE', regionCode: '530300' }] },
    { id: 'yn-office', name: '云南省安委办 赵某', grants: [{ role: 'SAFETY_OFFICE', regionCode: '530000' }] },
    { id: 'ql-emergency', name: '麒麟区应急管理局 张科长', grants: [{ role: 'DEPARTMENT_OFFICIAL', regionCode: '530302', departmentId: emergency }] },
    { id: 'ql-housing', name: '麒麟区住建局 刘科长', grants: [{ role: 'DEPARTMENT_OFFICIAL', regionCode: '530302', departmentId: housing }] },
    { id: 'ql-inspector', name: '麒麟区应急管理局 执法员 周某', grants: [{ role: 'INSPECTOR', regionCode: '530302', departmentId: emergency }] },
    { id: 'ql-leader', name: '麒麟区分管副区长 孙某', grants: [{ role: 'LEADER_IN_CHARGE', regionCode: '530302' }] },
    { id: 'nanning-town', name: '南宁街道 安监办 吴某', grants: [{ role: 'TOWN_OFFICIAL', regionCode: '530302101' }] },
    { id: 'chem-contact', name: '某化工公司 安全主管 郑某', grants: [{ role: 'ENTERPRISE_CONTACT', enterpriseId: chemical }] },
    { id: 'builder-contact', name: '某建筑公司 安全员 冯某', grants: [{ role: 'ENTERPRISE_CONTACT', enterpriseId: builder }] },
    { id: 'zy-office', name: '沾益区安委办 陈某', grants: [{ role: 'SAFETY_OFFICE', regionCode: '530303' }] },
    { id: 'zy-inspector', name: '沾益区应急管理局 执法员 褚某', grants: [{ role: 'INSPECTOR', regionCode: '530303', departmentId: zhanyiEmergency }] },
    { id: 'zy-chem-contact', name: '沾益某化工 安全主管 卫某', grants: [{ role: 'ENTERPRISE_CONTACT', enterpriseId: zhanyiChemical }] },
  ];
  await insertUsers(em, users);
  return {
    regions: { yunnan, qujing, qilin, nanning, zhanyi, xiping },
    departments: { emergency, housing, zhanyiEmergency },
    enterprises: { chemical, builder, zhanyiChemical },
  };
}

export const today = (): string => chinaDate(new Date());
export const daysFromToday = (days: number): string => plusDays(today(), days);

/** A major hazard of the chemical enterprise, supervised by the emergency bureau. */
export function hazardInput(world: HazardWorld, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    enterpriseId: world.enterprises.chemical,
    grade: 'MAJOR',
    source: 'SELF_REPORT',
    supervisingDepartmentId: world.departments.emergency,
    judgementBasis: '《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》第三条',
    description: '液氯储罐区可燃有毒气体检测报警装置失效',
    evidence: '自查记录 2026-001',
    ...overrides,
  };
}

/** The hazard graph a front end reads. */
export const HAZARD_GRAPH = `id stage grade sector source judgementBasis description evidence reportedAt reportedBy deadlineOn dueAt overdue overdueNotices
  fixedAtOnceAt acceptedAt closedAt supervised accidentId allowedActions whistleblowerReportId
  enterprise { id name } region { code } supervisingDepartment { id name }
  origin { kind evaluationId measureId campaignId }
  plan { responsiblePerson measures fundsYuan deadlineOn emergencyPlan plannedBy }
  supervision { regionCode officeName documentNo listedOn listedBy receiptSignedBy receiptReceivedOn liftedAt liftedBy }
  suspectedCrime { reason } advice { advice reason } decision { decision reason by advice }
  extensions { id untilOn approved decisionReason } submissions { evidence refusalReason }
  auditTrail { action actorName stageAfter }`;

/**
 * A closed accident of the chemical enterprise whose evaluation (organised by 麒麟区) found one measure not
 * implemented and one implemented, as the read model holds them (no workflow): for createHazardFromFinding.
 */
export async function insertEvaluationFixture(em: EntityManager, world: HazardWorld): Promise<{ evaluationId: string; gap: string; done: string }> {
  const [{ a, i, r, gap, done }] = await em.execute<{ a: string; i: string; r: string; gap: string; done: string }[]>(
    `select gen_random_uuid()::text as a, gen_random_uuid()::text as i, gen_random_uuid()::text as r, gen_random_uuid()::text as gap, gen_random_uuid()::text as done`,
  );
  await em.execute(
    `insert into accident (id, title, level, sector, occurred_at, location_region_id, enterprise_id, deaths, injuries, direct_loss_yuan)
     values (?, '某化工公司"4·12"中毒事故', 'ORDINARY', 'HAZARDOUS_CHEMICALS', now() - interval '400 days', ?, ?, 1, 2, 1500000)`,
    [a, world.regions.nanning, world.enterprises.chemical],
  );
  await em.execute(`insert into investigation (id, accident_id, lead_department_id, escalated) values (?, ?, ?, false)`, [i, a, world.departments.emergency]);
  await em.execute(`insert into investigation_department (investigation_id, department_id) values (?, ?)`, [i, world.departments.emergency]);
  await em.execute(
    `insert into investigation_report (id, investigation_id, document_no, approved_at, closed_at) values (?, ?, '麒政复〔2025〕9号', now() - interval '350 days', now() - interval '330 days')`,
    [r, i],
  );
  await em.execute(
    `insert into measure (id, report_id, seq, text, responsible_units) values (?, ?, 1, '完善有毒气体检测报警系统', '{某化工公司}'), (?, ?, 2, '开展全员培训', '{某化工公司}')`,
    [gap, r, done, r],
  );
  await em.execute(
    `insert into evaluation (id, accident_id, workflow_id, profile_id, profile_version, organiser_region_id, assisting_region_ids, stage, revision,
       opens_at, due_at, overdue, overdue_clocks, location_region_id, enterprise_id)
     values (?, ?, ?, 'national', '2021', ?, '{}', 'ASSESSMENT', 5, now() - interval '30 days', now() + interval '30 days', false, '{}', ?, ?)`,
    [a, a, `accident-evaluation/${a}`, world.regions.qilin, world.regions.nanning, world.enterprises.chemical],
  );
  await em.execute(
    `insert into measure_finding (id, evaluation_id, measure_id, status, evidence) values (?, ?, ?, 'NOT_IMPLEMENTED', '报警系统仍未联锁'), (?, ?, ?, 'IMPLEMENTED', '培训记录齐全')`,
    [`${a}/${gap}`, a, gap, `${a}/${done}`, a, done],
  );
  return { evaluationId: a, gap, done };
}
