import type { EntityManager } from '@mikro-orm/postgresql';
import { createDepartment, createRegion } from '../../api/intake/register.service.js';
import type { Principal } from '../../domain/access.js';
import { addMonths, chinaDate } from '../../domain/calendar.js';
import { plusDays } from '../../domain/campaign-deadlines.js';
import type { RegionLevel } from '../../domain/regions.js';
import { insertUsers, type DemoUser } from '../../infra/demo-users.js';
import type { DepartmentKind } from '../../schema/entities/index.js';

// A district with towns, departments and one official per campaign role (002): 海安市 in 南通市, its towns 城东镇,
// 南莫镇 and 雅周镇, and next door 如皋市 with 如城街道, whose officials must not see 海安's campaigns. Entered through
// the register services, as an administrator would.

const SEED: Principal = {
  id: 'campaign-seed',
  name: '测试数据',
  grants: [{ role: 'ADMINISTRATOR', regionCode: '320000' }],
};

export interface CampaignWorld {
  regions: Record<'jiangsu' | 'nantong' | 'haian' | 'chengdong' | 'nanmo' | 'yazhou' | 'rugao' | 'rucheng', string>;
  departments: Record<'emergency' | 'housing' | 'transport' | 'rugaoEmergency', string>;
}

/** Users by id, each with the grant its name says. */
export const CAMPAIGN_USERS = [
  'public',
  'ha-office',
  'ha-leader',
  'ha-discipline',
  'ha-emergency',
  'ha-housing',
  'ha-transport',
  'chengdong-town',
  'chengdong-leader',
  'nanmo-town',
  'nanmo-leader',
  'yazhou-town',
  'yazhou-leader',
  'nantong-office',
  'rugao-office',
  'rucheng-town',
] as const;
export type CampaignUser = (typeof CAMPAIGN_USERS)[number];

export async function insertCampaignWorld(em: EntityManager): Promise<CampaignWorld> {
  const region = (code: string, name: string, level: RegionLevel, parentId: string | null) =>
    createRegion(em, SEED, { code, name, level, parentId, safetyOfficeName: `${name}安全生产委员会办公室` });
  const jiangsu = await region('320000', '江苏省', 'PROVINCE', null);
  const nantong = await region('320600', '南通市', 'CITY', jiangsu);
  const haian = await region('320621', '海安市', 'COUNTY', nantong);
  const chengdong = await region('320621101', '城东镇', 'TOWN', haian);
  const nanmo = await region('320621102', '南莫镇', 'TOWN', haian);
  const yazhou = await region('320621103', '雅周镇', 'TOWN', haian);
  const rugao = await region('320682', '如皋市', 'COUNTY', nantong);
  const rucheng = await region('320682001', '如城街道', 'TOWN', rugao);
  const dept = (name: string, kind: DepartmentKind, regionId: string) => createDepartment(em, SEED, { name, kind, regionId });
  const emergency = await dept('海安市应急管理局', 'EMERGENCY_MANAGEMENT', haian);
  const housing = await dept('海安市住房和城乡建设局', 'SECTOR_REGULATOR', haian);
  const transport = await dept('海安市交通运输局', 'SECTOR_REGULATOR', haian);
  const rugaoEmergency = await dept('如皋市应急管理局', 'EMERGENCY_MANAGEMENT', rugao);
  const users: DemoUser[] = [
    { id: 'ha-office', name: '海安市安委办 顾主任', grants: [{ role: 'SAFETY_OFFICE', regionCode: '320621' }] },
    { id: 'ha-leader', name: '海安市分管副市长 许某', grants: [{ role: 'LEADER_IN_CHARGE', regionCode: '320621' }] },
    { id: 'ha-discipline', name: '海安市纪委监委 吴某', grants: [{ role: 'DISCIPLINE_INSPECTION', regionCode: '320621' }] },
    { id: 'ha-emergency', name: '海安市应急管理局 陈科长', grants: [{ role: 'DEPARTMENT_OFFICIAL', regionCode: '320621', departmentId: emergency }] },
    { id: 'ha-housing', name: '海安市住建局 朱科长', grants: [{ role: 'DEPARTMENT_OFFICIAL', regionCode: '320621', departmentId: housing }] },
    { id: 'ha-transport', name: '海安市交通运输局 沈科长', grants: [{ role: 'DEPARTMENT_OFFICIAL', regionCode: '320621', departmentId: transport }] },
    { id: 'chengdong-town', name: '城东镇 安监办 王某', grants: [{ role: 'TOWN_OFFICIAL', regionCode: '320621101' }] },
    { id: 'chengdong-leader', name: '城东镇分管副镇长 李某', grants: [{ role: 'LEADER_IN_CHARGE', regionCode: '320621101' }] },
    { id: 'nanmo-town', name: '南莫镇 安监办 张某', grants: [{ role: 'TOWN_OFFICIAL', regionCode: '320621102' }] },
    { id: 'nanmo-leader', name: '南莫镇分管副镇长 周某', grants: [{ role: 'LEADER_IN_CHARGE', regionCode: '320621102' }] },
    { id: 'yazhou-town', name: '雅周镇 安监办 钱某', grants: [{ role: 'TOWN_OFFICIAL', regionCode: '320621103' }] },
    { id: 'yazhou-leader', name: '雅周镇分管副镇长 郑某', grants: [{ role: 'LEADER_IN_CHARGE', regionCode: '320621103' }] },
    { id: 'nantong-office', name: '南通市安委办 孙某', grants: [{ role: 'SAFETY_OFFICE', regionCode: '320600' }] },
    { id: 'rugao-office', name: '如皋市安委办 冯某', grants: [{ role: 'SAFETY_OFFICE', regionCode: '320682' }] },
    { id: 'rucheng-town', name: '如城街道 安监办 何某', grants: [{ role: 'TOWN_OFFICIAL', regionCode: '320682001' }] },
  ];
  await insertUsers(em, users);
  return {
    regions: { jiangsu, nantong, haian, chengdong, nanmo, yazhou, rugao, rucheng },
    departments: { emergency, housing, transport, rugaoEmergency },
  };
}

/** Today in China, and dates counted from it. */
export const today = (): string => chinaDate(new Date());
export const daysFromToday = (days: number): string => plusDays(today(), days);
export const monthsFromToday = (months: number): string => chinaDate(addMonths(new Date(), months));

/**
 * A campaign of 海安: hazardous chemicals led by the emergency bureau over 城东镇 and 南莫镇, construction led by the
 * housing bureau over 南莫镇 and 雅周镇. By default three years long, ended yesterday.
 */
export function campaignInput(world: CampaignWorld, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { regions: r, departments: d } = world;
  return {
    name: '安全生产专项整治三年行动',
    kind: 'THREE_YEAR',
    startsOn: monthsFromToday(-36),
    endsOn: daysFromToday(-1),
    districtRegionId: r.haian,
    dimensions: ['TARGET_TASKS', 'HAZARD_RECTIFICATION', 'LONG_TERM_MECHANISMS'],
    sectors: [
      { sector: 'HAZARDOUS_CHEMICALS', leadDepartmentId: d.emergency, townRegionIds: [r.chengdong, r.nanmo] },
      { sector: 'CONSTRUCTION', leadDepartmentId: d.housing, townRegionIds: [r.nanmo, r.yazhou] },
    ],
    ...overrides,
  };
}

/** The campaign graph a front end reads, every level. */
export const CAMPAIGN_GRAPH = `id name kind stage fullPath startsOn endsOn year overdue overdueClocks nextDueAt dimensions allowedActions
  districtRegion { id code name } profile { id version preparationDays }
  deadlines { clock dueOn dueAt provisional extendedDays overdue }
  preparation { submittedAt submittedBy schedule leadingGroup { name unit expert } }
  sectors { sector townCodes overdue approvedAt leadDepartment { id name }
    towns { townCode } grade { grade priority veto }
    review { stage methods { method on summary recordedBy } proposedGrades { townCode grade } submittedBy approvedBy returns { at reason }
      report { overall approvedAt subReports { unit townRegionId sector text } } grades { unit grade priority veto } } }
  towns { townCode sectors overdue submittedAt approvedAt town { id name }
    selfEvaluation { stage report targetTasks hazardRectifications typicalPractices submittedBy approvedBy returns { reason } }
    grades { sector grade priority veto } plan { responsibility measures deadlineOn } lookBacks { id stage } }
  assessment { submittedAt submittedBy approvedAt approvedBy returns { reason }
    report { overall subReports { unit sector text } } grades { unit grade priority veto } }
  grades { unitKind unit sector grade priority veto year townRegion { name } }
  followUp { plans { townCode measures } lookBacks { id townCode sector reason scheduledOn stage dueSince findings resolved recordedAt } inspections { on townCode findings recordedBy } }
  extensions { id clock untilOn approved requestingUnit requestedBy reason }
  auditTrail { action subjectType actorName stageAfter }`;

/** A campaign as the read model holds it, written straight into the tables (no workflow): for read-path tests. */
export interface CampaignFixture {
  name: string;
  stage: string;
  endsOn: string;
  overdue?: boolean;
  nextDueAt?: string | null;
  /** Sector review reports of HAZARDOUS_CHEMICALS, and the assessment's. */
  reports?: boolean;
  grades?: { unitKind: 'TOWN' | 'SECTOR'; unit: string; sector: string; grade: 'EXCELLENT' | 'GOOD' | 'FAIR' | 'POOR' }[];
}

const TOWN_CODES = { chengdong: '320621101', nanmo: '320621102', yazhou: '320621103' } as const;

export async function insertCampaignFixture(em: EntityManager, world: CampaignWorld, f: CampaignFixture): Promise<string> {
  const [{ id }] = await em.execute<{ id: string }[]>(`select gen_random_uuid()::text as id`);
  const r = world.regions;
  const year = Number(f.endsOn.slice(0, 4));
  await em.execute(
    `insert into campaign (id, workflow_id, name, kind, starts_on, ends_on, year, district_region_id, district_code, stage, full_path, revision, overdue,
       overdue_clocks, deadlines, next_due_at, inspections, dimensions, profile_id, profile_version, registered_at, updated_at)
     values (?, ?, ?, 'THREE_YEAR', ?, ?, ?, ?, '320621', ?, true, 5, ?, '{}', '[]'::jsonb, ?, '[]'::jsonb, '{TARGET_TASKS}', 'haimen', '2022-17', now(), now())`,
    [id, `campaign/${id}`, f.name, `${year - 3}-01-01`, f.endsOn, year, r.haian, f.stage, f.overdue ?? false, f.nextDueAt ?? null],
  );
  await em.execute(
    `insert into campaign_sector (campaign_id, sector, lead_department_id, town_codes, workflow_id, overdue, revision, review_stage, methods, returns, review_revision)
     values (?, 'HAZARDOUS_CHEMICALS', ?, string_to_array(?, ','), ?, false, 0, 'APPROVED', '[]'::jsonb, '[]'::jsonb, 3),
            (?, 'CONSTRUCTION', ?, string_to_array(?, ','), ?, false, 0, 'APPROVED', '[]'::jsonb, '[]'::jsonb, 3)`,
    [
      id, world.departments.emergency, `${TOWN_CODES.chengdong},${TOWN_CODES.nanmo}`, `campaign/${id}/sector/HAZARDOUS_CHEMICALS`,
      id, world.departments.housing, `${TOWN_CODES.nanmo},${TOWN_CODES.yazhou}`, `campaign/${id}/sector/CONSTRUCTION`,
    ],
  );
  for (const [town, code] of Object.entries(TOWN_CODES)) {
    const sectors = town === 'chengdong' ? ['HAZARDOUS_CHEMICALS'] : town === 'nanmo' ? ['HAZARDOUS_CHEMICALS', 'CONSTRUCTION'] : ['CONSTRUCTION'];
    await em.execute(
      `insert into campaign_town (campaign_id, town_code, town_region_id, sectors, workflow_id, overdue, revision, self_stage, returns, self_revision)
       values (?, ?, ?, string_to_array(?, ','), ?, false, 0, 'APPROVED', '[]'::jsonb, 2)`,
      [id, code, r[town as keyof typeof TOWN_CODES], sectors.join(','), `campaign/${id}/town/${code}`],
    );
  }
  if (f.reports) {
    const rows: [string, string, string | null, string, string | null, string][] = [
      [`${id}/SECTOR_REVIEW/HAZARDOUS_CHEMICALS/OVERALL`, 'SECTOR_REVIEW', 'HAZARDOUS_CHEMICALS', 'OVERALL', null, '危化品领域评估总报告'],
      [`${id}/SECTOR_REVIEW/HAZARDOUS_CHEMICALS/SUB/${TOWN_CODES.chengdong}`, 'SECTOR_REVIEW', 'HAZARDOUS_CHEMICALS', 'SUB', TOWN_CODES.chengdong, '城东镇分报告：隐患整改到位'],
      [`${id}/SECTOR_REVIEW/HAZARDOUS_CHEMICALS/SUB/${TOWN_CODES.nanmo}`, 'SECTOR_REVIEW', 'HAZARDOUS_CHEMICALS', 'SUB', TOWN_CODES.nanmo, '南莫镇分报告：台账不全'],
      [`${id}/ASSESSMENT/OVERALL`, 'ASSESSMENT', null, 'OVERALL', null, '综合评估总报告'],
      [`${id}/ASSESSMENT/SUB/HAZARDOUS_CHEMICALS`, 'ASSESSMENT', null, 'SUB', 'HAZARDOUS_CHEMICALS', '危化品领域分报告'],
    ];
    for (const [reportId, stage, sector, kind, unit, text] of rows) {
      await em.execute(
        `insert into campaign_report (id, campaign_id, stage, sector, kind, unit, text, submitted_at, approved_at) values (?, ?, ?, ?, ?, ?, ?, now(), now())`,
        [reportId, id, stage, sector, kind, unit, text],
      );
    }
  }
  for (const g of f.grades ?? []) {
    const townRegion = g.unitKind === 'TOWN' ? Object.entries(TOWN_CODES).find(([, code]) => code === g.unit)![0] : null;
    await em.execute(
      `insert into campaign_grade (id, campaign_id, year, unit_kind, unit, town_region_id, sector, grade, priority, veto, graded_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())`,
      [
        `${id}/${g.unitKind}/${g.unit}/${g.sector}`, id, year, g.unitKind, g.unit, townRegion ? r[townRegion as keyof typeof TOWN_CODES] : null, g.sector, g.grade,
        g.grade === 'EXCELLENT', g.grade === 'POOR',
      ],
    );
  }
  return id;
}

export { TOWN_CODES };
