import type { EntityManager } from '@mikro-orm/postgresql';
import { closeCase } from '../api/evaluation/case-closure.js';
import { registerAccident } from '../api/intake/intake.service.js';
import { createDepartment, createEnterprise, createRegion } from '../api/intake/register.service.js';
import { demoUsers, insertUsers } from './demo-users.js';
import type { Principal } from '../domain/access.js';
import { addDays, addMonths } from '../domain/calendar.js';
import type { AccountabilityKind, Sector } from '../domain/case.js';
import type { AccidentLevel } from '../domain/organiser.js';
import type { RegionLevel } from '../domain/regions.js';
import { AppUser, Region, type DepartmentKind } from '../schema/entities/index.js';

/** Ids of the demo records a newcomer (or a test) drives. */
export interface DemoData {
  regions: Record<'shanxi' | 'taiyuan' | 'xiaodian' | 'lvliang' | 'xiaoyi' | 'yunnan' | 'qujing' | 'qilin' | 'nanning', string>;
  /** 麒麟区 一般 construction fall, closed 10 months and a few days ago: its window is open. */
  qilinCase: string;
  /** 吕梁市 较大 chemical explosion in 孝义市 by a 太原 enterprise, closed 10½ months ago. */
  lvliangCase: string;
  /** 麒麟区 road accident whose report is approved but the case not yet closed. */
  openCase: string;
  /** The two cases the demo closes, and when. */
  closures: { accidentId: string; closedAt: Date }[];
}

interface CaseSpec {
  title: string;
  level: AccidentLevel;
  sector: Sector;
  occurredAt: Date;
  location: string;
  enterprise: string;
  deaths: number;
  injuries: number;
  directLossYuan: string;
  lead: string;
  departments: string[];
  documentNo: string;
  approvedAt: Date;
  measures: [string, string[]][];
  accountability: [AccountabilityKind, string, string][];
}

/**
 * The demo enters its data the way officials do: through the register and intake services, with their checks
 * and audit entries, as the administrator and the safety office of each province.
 */
const DEMO_SEED: Principal = {
  id: 'demo-seed',
  name: '演示数据',
  grants: ['140000', '530000'].flatMap((regionCode) => [
    { role: 'ADMINISTRATOR' as const, regionCode },
    { role: 'SAFETY_OFFICE' as const, regionCode },
  ]),
};

function addCase(em: EntityManager, spec: CaseSpec): Promise<string> {
  return registerAccident(em, DEMO_SEED, {
    title: spec.title,
    level: spec.level,
    sector: spec.sector,
    occurredAt: spec.occurredAt,
    locationRegionId: spec.location,
    enterpriseId: spec.enterprise,
    deaths: spec.deaths,
    injuries: spec.injuries,
    directLossYuan: spec.directLossYuan,
    investigation: {
      leadDepartmentId: spec.lead,
      departmentIds: spec.departments,
      escalated: false,
      report: {
        documentNo: spec.documentNo,
        approvedAt: spec.approvedAt,
        measures: spec.measures.map(([text, responsibleUnits]) => ({ text, responsibleUnits })),
        accountabilityItems: spec.accountability.map(([kind, subject, recommendation]) => ({ kind, subject, recommendation })),
      },
    },
  });
}

/**
 * A province, cities, districts, departments, enterprises and three accident cases, dated relative to `now`.
 * Closing is left to the caller (the same service officials use), so demo cases take the normal path.
 */
export async function insertDemoData(em: EntityManager, now: Date): Promise<DemoData> {
  const region = (code: string, name: string, level: RegionLevel, parentId: string | null, safetyOfficeName: string): Promise<string> =>
    createRegion(em, DEMO_SEED, { code, name, level, parentId, safetyOfficeName });
  const shanxi = await region('140000', '山西省', 'PROVINCE', null, '山西省安全生产委员会办公室');
  const taiyuan = await region('140100', '太原市', 'CITY', shanxi, '太原市安全生产委员会办公室');
  const xiaodian = await region('140105', '小店区', 'COUNTY', taiyuan, '小店区安全生产委员会办公室');
  const lvliang = await region('141100', '吕梁市', 'CITY', shanxi, '吕梁市安全生产委员会办公室');
  const xiaoyi = await region('141181', '孝义市', 'COUNTY', lvliang, '孝义市安全生产委员会办公室');
  const yunnan = await region('530000', '云南省', 'PROVINCE', null, '云南省安全生产委员会办公室');
  const qujing = await region('530300', '曲靖市', 'CITY', yunnan, '曲靖市安全生产委员会办公室');
  const qilin = await region('530302', '麒麟区', 'COUNTY', qujing, '麒麟区安全生产委员会办公室');
  const nanning = await region('530302001', '南宁街道', 'TOWN', qilin, '南宁街道安全生产委员会办公室');

  const dept = (name: string, kind: DepartmentKind, regionId: string): Promise<string> => createDepartment(em, DEMO_SEED, { name, kind, regionId });
  await dept('麒麟区安委办', 'SAFETY_OFFICE', qilin);
  const qilinEmergency = await dept('麒麟区应急管理局', 'EMERGENCY_MANAGEMENT', qilin);
  const qilinHousing = await dept('麒麟区住房和城乡建设局', 'SECTOR_REGULATOR', qilin);
  const qilinTransport = await dept('麒麟区交通运输局', 'SECTOR_REGULATOR', qilin);
  const qilinPolice = await dept('曲靖市公安局麒麟分局', 'PUBLIC_SECURITY', qilin);
  await dept('麒麟区纪委监委', 'DISCIPLINE_INSPECTION', qilin);
  const lvliangEmergency = await dept('吕梁市应急管理局', 'EMERGENCY_MANAGEMENT', lvliang);
  const lvliangPolice = await dept('吕梁市公安局', 'PUBLIC_SECURITY', lvliang);
  const lvliangIndustry = await dept('吕梁市工业和信息化局', 'SECTOR_REGULATOR', lvliang);
  await dept('吕梁市纪委监委', 'DISCIPLINE_INSPECTION', lvliang);
  await dept('吕梁市安委办', 'SAFETY_OFFICE', lvliang);

  const enterprise = (name: string, creditCode: string, sector: Sector, homeRegionId: string): Promise<string> =>
    createEnterprise(em, DEMO_SEED, { name, creditCode, sector, homeRegionId });
  const builder = await enterprise('曲靖市某建设工程有限公司', '91530302MA6K000001', 'CONSTRUCTION', qilin);
  const chemical = await enterprise('山西某焦化化工有限公司', '91140105MA0K000002', 'HAZARDOUS_CHEMICALS', xiaodian);
  const carrier = await enterprise('曲靖市某物流运输有限公司', '91530302MA6K000003', 'ROAD_TRANSPORT', nanning);

  const qilinClosed = addDays(addMonths(now, -10), -5);
  const qilinCase = await addCase(em, {
    title: '麒麟区某建设工程有限公司“3·14”高处坠落事故',
    level: 'ORDINARY',
    sector: 'CONSTRUCTION',
    occurredAt: addMonths(qilinClosed, -4),
    location: nanning,
    enterprise: builder,
    deaths: 1,
    injuries: 0,
    directLossYuan: '1380000.00',
    lead: qilinEmergency,
    departments: [qilinEmergency, qilinHousing, qilinPolice],
    documentNo: '麒政复〔2025〕37号',
    approvedAt: addDays(qilinClosed, -20),
    measures: [
      ['施工单位落实高处作业安全防护，临边洞口防护设施全覆盖', ['曲靖市某建设工程有限公司']],
      ['区住建局开展建筑施工高处坠落专项整治', ['麒麟区住房和城乡建设局']],
      ['南宁街道落实属地监管责任，建立在建项目巡查台账', ['南宁街道办事处']],
    ],
    accountability: [
      ['ADMINISTRATIVE_PENALTY', '曲靖市某建设工程有限公司', '依法处以罚款（一案双罚）'],
      ['CRIMINAL', '项目经理 王某', '涉嫌重大责任事故罪，移送司法机关'],
    ],
  });

  const lvliangClosed = addDays(addMonths(now, -10), -15);
  const lvliangCase = await addCase(em, {
    title: '孝义市山西某焦化化工有限公司“5·20”较大爆炸事故',
    level: 'LARGER',
    sector: 'HAZARDOUS_CHEMICALS',
    occurredAt: addMonths(lvliangClosed, -7),
    location: xiaoyi,
    enterprise: chemical,
    deaths: 3,
    injuries: 5,
    directLossYuan: '8620000.00',
    lead: lvliangEmergency,
    departments: [lvliangEmergency, lvliangPolice, lvliangIndustry],
    documentNo: '吕政函〔2025〕112号',
    approvedAt: addDays(lvliangClosed, -30),
    measures: [
      ['企业全面排查动火作业和受限空间作业风险，落实作业票证管理', ['山西某焦化化工有限公司']],
      ['孝义市开展危险化学品企业特殊作业专项检查', ['孝义市人民政府']],
      ['市应急管理局督导全市焦化企业开展“回头看”', ['吕梁市应急管理局']],
      ['太原市小店区督促企业总部落实安全生产主体责任', ['太原市小店区人民政府']],
    ],
    accountability: [
      ['ADMINISTRATIVE_PENALTY', '山西某焦化化工有限公司及其主要负责人', '一案双罚，依法处以罚款'],
      ['PARTY_GOVERNMENT_DISCIPLINE', '孝义市应急管理局有关监管人员', '给予政务处分'],
      ['CRIMINAL', '车间主任 李某、安全员 张某', '追究刑事责任'],
    ],
  });

  const openCase = await addCase(em, {
    title: '麒麟区某物流运输有限公司“8·02”道路运输事故',
    level: 'ORDINARY',
    sector: 'ROAD_TRANSPORT',
    occurredAt: addMonths(now, -5),
    location: nanning,
    enterprise: carrier,
    deaths: 2,
    injuries: 1,
    directLossYuan: '2150000.00',
    lead: qilinTransport,
    departments: [qilinTransport, qilinEmergency, qilinPolice],
    documentNo: '麒政复〔2026〕58号',
    approvedAt: addDays(now, -10),
    measures: [
      ['企业落实车辆动态监控和驾驶员休息制度', ['曲靖市某物流运输有限公司']],
      ['区交通运输局开展道路货运企业安全隐患排查', ['麒麟区交通运输局']],
    ],
    accountability: [['ADMINISTRATIVE_PENALTY', '曲靖市某物流运输有限公司', '依法处以罚款']],
  });

  return {
    regions: { shanxi, taiyuan, xiaodian, lvliang, xiaoyi, yunnan, qujing, qilin, nanning },
    qilinCase,
    lvliangCase,
    openCase,
    closures: [
      { accidentId: qilinCase, closedAt: qilinClosed },
      { accidentId: lvliangCase, closedAt: lvliangClosed },
    ],
  };
}

/**
 * Loads the demo into an empty database and closes its two closed cases through the same service officials
 * use; their workflows are started by `startPendingEvaluations`. A database holding the demo from before
 * sign-in existed gets the demo users. Returns what it did.
 */
export async function seedDemo(em: EntityManager, now: Date): Promise<'loaded' | 'users-added' | 'nothing'> {
  if ((await em.count(Region, {})) > 0) {
    const demoPresent = (await em.count(Region, { code: '530302' })) > 0 && (await em.count(AppUser, {})) === 0;
    if (!demoPresent) return 'nothing';
    await insertUsers(em, await demoUsers(em));
    return 'users-added';
  }
  const data = await insertDemoData(em, now);
  await insertUsers(em, await demoUsers(em));
  for (const { accidentId, closedAt } of data.closures) {
    await closeCase(em.fork(), accidentId, closedAt, { id: 'demo-seed', name: '演示数据', role: 'SYSTEM' });
  }
  return 'loaded';
}
