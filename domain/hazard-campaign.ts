// The reference data of the district's 2023 major-hazard campaign (seed 003: 麒麟区重大事故隐患专项排查整治2023行动方案;
// DOMAIN.md §3): its twelve sectors with their lead departments, its four phases with their dates, the enterprise
// obligations it sets; and the quarters its progress circulars and dispatch tables (调度表) are counted by. Pure data
// and arithmetic: each entry names the clause it comes from.
import { chinaMidnight } from './calendar.js';
import { SECTORS, type Sector } from './case.js';
import { badInput } from './errors.js';

export const HAZARD_CAMPAIGN_DOCUMENT = '曲靖市麒麟区重大事故隐患专项排查整治2023行动方案';

/** A department that leads a sector's work, for a part of it when the plan splits the sector by field. */
export interface LeadDepartment {
  department: string;
  /** The part it leads (建筑施工: 房屋市政工程 …; 其他重点领域: 特种设备 …); absent: the whole sector. */
  part?: string;
}

export interface HazardSectorInfo {
  sector: Sector;
  /** The sector as 003 names it. */
  name: string;
  clause: string;
  /** 牵头 (or, where the plan says 负责 / 按职责分别牵头, each one for its part). */
  leadDepartments: LeadDepartment[];
  /** Departments that share the work by their duties (按职责分工负责). */
  partnerDepartments: string[];
  /** A 高危行业领域 sector: principals inspect monthly and drills are half-yearly (see HIGH_RISK_SECTORS). */
  highRisk: boolean;
}

/**
 * 高危行业领域: 003 does not list them in one place; it singles out these six where it orders standing bodies against
 * illegal operation (打非治违) in the high-risk sectors (003 §三.(二)2.(7): 煤矿、非煤矿山、危险化学品、建筑施工、道路运输、
 * 城镇燃气). They are also the sectors 安全生产法 第二十四条 treats as high-risk (mines, construction, transport, dangerous goods).
 */
export const HIGH_RISK_SECTORS: readonly Sector[] = ['COAL_MINE', 'NON_COAL_MINE', 'HAZARDOUS_CHEMICALS', 'CONSTRUCTION', 'ROAD_TRANSPORT', 'URBAN_GAS'];
export const HIGH_RISK_CLAUSE = '003 §三.(二)2.(7)';

const lead = (department: string, part?: string): LeadDepartment => (part ? { department, part } : { department });

/** 003 §二 整治重点: the twelve sectors, in the plan's order, with the departments it names for each. */
export const HAZARD_SECTORS: readonly HazardSectorInfo[] = (
  [
    { sector: 'COAL_MINE', name: '煤矿', clause: '003 §二.(一)', leadDepartments: [lead('区能源局')], partnerDepartments: [] },
    {
      sector: 'NON_COAL_MINE',
      name: '非煤矿山',
      clause: '003 §二.(二)',
      // 按职责分别牵头; 区自然资源局 also leads the campaign against illegal mining (盗采矿产资源).
      leadDepartments: [lead('区应急管理局'), lead('区自然资源局')],
      partnerDepartments: [],
    },
    { sector: 'HAZARDOUS_CHEMICALS', name: '危险化学品', clause: '003 §二.(三)', leadDepartments: [lead('区应急管理局')], partnerDepartments: [] },
    {
      sector: 'ROAD_TRANSPORT',
      name: '道路运输',
      clause: '003 §二.(四)',
      leadDepartments: [lead('区交通运输局'), lead('市公安局麒麟分局交警大队'), lead('区农业农村局')],
      partnerDepartments: [],
    },
    {
      sector: 'CONSTRUCTION',
      name: '建筑施工',
      clause: '003 §二.(五)',
      leadDepartments: [
        lead('区住房和城乡建设局', '房屋市政工程'),
        lead('区交通运输局', '桥隧工程'),
        lead('有关铁路公路建设指挥机构', '桥隧工程'),
        lead('区水务局', '水利工程'),
        lead('麒麟供电局', '电力工程'),
      ],
      partnerDepartments: [],
    },
    { sector: 'FIRE', name: '消防', clause: '003 §二.(六)', leadDepartments: [lead('区消防救援大队')], partnerDepartments: ['区消安委有关成员单位'] },
    { sector: 'SELF_BUILT_HOUSING', name: '自建房', clause: '003 §二.(七)', leadDepartments: [lead('区自建房专项整治领导小组办公室')], partnerDepartments: [] },
    {
      sector: 'URBAN_GAS',
      name: '城镇燃气',
      clause: '003 §二.(八)',
      leadDepartments: [lead('区市政公用事业服务中心')],
      partnerDepartments: ['区市场监督管理局', '市公安局麒麟分局', '区商务局', '区交通运输局', '区应急管理局', '区城市综合管理局'],
    },
    { sector: 'TOURISM', name: '旅游', clause: '003 §二.(九)', leadDepartments: [lead('区文化和旅游局')], partnerDepartments: ['区商务局', '区市场监督管理局'] },
    {
      sector: 'INDUSTRY_AND_TRADE',
      name: '工贸',
      clause: '003 §二.(十)',
      leadDepartments: [lead('区应急管理局')],
      partnerDepartments: ['区工业和信息化局', '麒麟工业园区管委会', '区能源局', '市生态环境局麒麟分局'],
    },
    {
      sector: 'WATERWAYS_AND_FISHING',
      name: '水上交通和渔业船舶',
      clause: '003 §二.(十一)',
      leadDepartments: [lead('区交通运输局'), lead('区农业农村局')],
      partnerDepartments: [],
    },
    {
      sector: 'OTHER',
      name: '其他重点领域',
      clause: '003 §二.(十二)',
      leadDepartments: [
        lead('区市场监督管理局', '特种设备'),
        lead('区工业和信息化局', '民爆物品和军工'),
        lead('区发展改革局', '民爆物品和军工'),
        lead('区水务局', '水利'),
        lead('麒麟供电局', '电力'),
        lead('区商务局', '商贸服务业和仓储物流'),
        lead('区农业农村局', '畜禽屠宰和农村沼气'),
        lead('区教育体育局', '校园'),
        lead('区卫生健康局', '医院'),
        lead('区工业和信息化局', '实验室'),
        lead('区教育体育局', '实验室'),
        lead('区卫生健康局', '实验室'),
      ],
      partnerDepartments: [],
    },
  ] satisfies Omit<HazardSectorInfo, 'highRisk'>[]
).map((s) => ({ ...s, highRisk: HIGH_RISK_SECTORS.includes(s.sector) }));

export function hazardSector(sector: Sector): HazardSectorInfo {
  const found = HAZARD_SECTORS.find((s) => s.sector === sector);
  if (!found) throw badInput('sector', `one of ${SECTORS.join(', ')}`);
  return found;
}

export const HAZARD_CAMPAIGN_PHASE_IDS = ['MOBILISATION', 'SELF_INSPECTION', 'PRECISE_ENFORCEMENT', 'SUMMARY'] as const;
export type HazardCampaignPhaseId = (typeof HAZARD_CAMPAIGN_PHASE_IDS)[number];

export interface HazardCampaignPhase {
  phase: HazardCampaignPhaseId;
  name: string;
  /** China dates; `startsOn` is absent where the plan gives only an end. */
  startsOn?: string;
  endsOn: string;
  /** The dates as the plan words them. */
  period: string;
  clause: string;
}

/** 003 §三 方法步骤: four phases, pressed one on the next (压茬推进), so they overlap. */
export const HAZARD_CAMPAIGN_PHASES: readonly HazardCampaignPhase[] = [
  { phase: 'MOBILISATION', name: '动员部署', endsOn: '2023-05-25', period: '2023 年 5 月 25 日前', clause: '003 §三.(一)' },
  // 下旬: from the 21st of the month.
  { phase: 'SELF_INSPECTION', name: '自查自改和督导帮扶', startsOn: '2023-05-21', endsOn: '2023-06-30', period: '2023 年 5 月下旬到 6 月底', clause: '003 §三.(二)' },
  { phase: 'PRECISE_ENFORCEMENT', name: '精准执法', startsOn: '2023-06-01', endsOn: '2023-12-31', period: '2023 年 6 月至 12 月', clause: '003 §三.(三)' },
  { phase: 'SUMMARY', name: '总结提高', startsOn: '2023-12-01', endsOn: '2023-12-31', period: '2023 年 12 月', clause: '003 §三.(四)' },
];

export const OBLIGATION_KINDS = ['PRINCIPAL_INSPECTION', 'EMERGENCY_DRILL'] as const;
export type ObligationKind = (typeof OBLIGATION_KINDS)[number];

export const OBLIGATION_PERIODS = ['MONTH', 'QUARTER', 'HALF_YEAR', 'YEAR'] as const;
/** How often an obligation falls due: at least once in each such period. */
export type ObligationPeriod = (typeof OBLIGATION_PERIODS)[number];

const MONTHS_OF: Record<ObligationPeriod, number> = { MONTH: 1, QUARTER: 3, HALF_YEAR: 6, YEAR: 12 };

export interface EnterpriseObligation {
  obligation: ObligationKind;
  name: string;
  /** At least once a … for this sector. */
  every: ObligationPeriod;
  highRisk: boolean;
  clause: string;
}

const OBLIGATION_RULES: readonly { obligation: ObligationKind; name: string; every: ObligationPeriod; everyHighRisk: ObligationPeriod; clause: string }[] = [
  {
    obligation: 'PRINCIPAL_INSPECTION',
    name: '主要负责人带队检查本单位重大事故隐患排查整治情况',
    // 每季度…至少开展 1 次检查（高危行业领域企业每月至少 1 次）
    every: 'QUARTER',
    everyHighRisk: 'MONTH',
    clause: '003 §三.(二)1.(2)五',
  },
  {
    obligation: 'EMERGENCY_DRILL',
    name: '组织开展事故应急救援预案演练',
    // 每年至少组织开展 1 次…（高危行业领域企业每半年至少 1 次）
    every: 'YEAR',
    everyHighRisk: 'HALF_YEAR',
    clause: '003 §三.(二)1.(6)',
  },
];

/** What an enterprise of `sector` must do, and how often (003 §三.(二)1). */
export function enterpriseObligations(sector: Sector): EnterpriseObligation[] {
  const highRisk = hazardSector(sector).highRisk;
  return OBLIGATION_RULES.map((r) => ({ obligation: r.obligation, name: r.name, every: highRisk ? r.everyHighRisk : r.every, highRisk, clause: r.clause }));
}

/** The obligations whose period begins in `month` (1-12): a reminder goes out on the period's first month. */
export function obligationsDueIn(sector: Sector, month: number): EnterpriseObligation[] {
  return enterpriseObligations(sector).filter((o) => (month - 1) % MONTHS_OF[o.every] === 0);
}

const PERIOD_WORDS: Record<ObligationPeriod, string> = { MONTH: '本月', QUARTER: '本季度', HALF_YEAR: '本半年', YEAR: '本年度' };

/** The reminder an enterprise receives at the start of a month in which obligations fall due. */
export function obligationReminder(enterpriseName: string, year: number, month: number, due: readonly EnterpriseObligation[]): string {
  const items = due.map((o) => `${PERIOD_WORDS[o.every]}内至少${o.name}1次（${o.clause}）`).join('；');
  return `【安全生产主体责任提醒】${enterpriseName}：${year}年${month}月起，请${items}。`;
}

// ---- Quarters of the circulars (003 §三 组织保障(三): 每季度通报整治进展情况) ----

export interface Quarter {
  year: number;
  quarter: number;
}

export const MIN_CIRCULAR_YEAR = 2000;
export const MAX_CIRCULAR_YEAR = 2100;

/** A quarter a client asked for, or BAD_USER_INPUT naming the field. */
export function checkQuarter(year: unknown, quarter: unknown): Quarter {
  if (typeof year !== 'number' || !Number.isInteger(year) || year < MIN_CIRCULAR_YEAR || year > MAX_CIRCULAR_YEAR) {
    throw badInput('year', `a year from ${MIN_CIRCULAR_YEAR} to ${MAX_CIRCULAR_YEAR}`);
  }
  if (typeof quarter !== 'number' || !Number.isInteger(quarter) || quarter < 1 || quarter > 4) throw badInput('quarter', '1 to 4');
  return { year, quarter };
}

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
const pad = (n: number) => String(n).padStart(2, '0');

/** The China-time quarter an instant falls in. */
export function quarterOf(at: Date): Quarter {
  const local = new Date(at.getTime() + CHINA_OFFSET_MS);
  return { year: local.getUTCFullYear(), quarter: Math.floor(local.getUTCMonth() / 3) + 1 };
}

export function previousQuarter(q: Quarter): Quarter {
  return q.quarter > 1 ? { year: q.year, quarter: q.quarter - 1 } : { year: q.year - 1, quarter: 4 };
}

/** The quarter that ended last before `at` (the one a circular produced at `at` reports). */
export function quarterJustEnded(at: Date): Quarter {
  return previousQuarter(quarterOf(at));
}

/**
 * What a dispatch table counts: hazards entered from the start of the year to the end of the quarter (China
 * time), cumulative over the year as the dispatch table is kept; `endsAt` is the first instant after the quarter.
 */
export function circularBounds(q: Quarter): { countedFrom: string; endsOn: string; startsAt: Date; endsAt: Date } {
  const lastMonth = q.quarter * 3;
  const lastDay = new Date(Date.UTC(q.year, lastMonth, 0)).getUTCDate();
  const next = q.quarter === 4 ? `${q.year + 1}-01-01` : `${q.year}-${pad(lastMonth + 1)}-01`;
  return { countedFrom: `${q.year}-01-01`, endsOn: `${q.year}-${pad(lastMonth)}-${pad(lastDay)}`, startsAt: chinaMidnight(`${q.year}-01-01`), endsAt: chinaMidnight(next) };
}

/** One sector's figures in a dispatch table (调度表). Funds are yuan as decimal strings; the rate is 0-1 with four decimals. */
export interface DispatchFigures {
  found: number;
  rectified: number;
  overdue: number;
  rectificationRate: string | null;
  fundsYuan: string;
}

/** Yuan as integer fen, for exact sums. */
function fen(yuan: string): bigint {
  const [whole, fraction = ''] = yuan.split('.');
  const sign = whole!.startsWith('-') ? -1n : 1n;
  return sign * (BigInt(whole!.replace('-', '') || '0') * 100n + BigInt((fraction + '00').slice(0, 2)));
}

function yuanOf(f: bigint): string {
  const sign = f < 0n ? '-' : '';
  const abs = f < 0n ? -f : f;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** rectified / found, rounded half up to four decimals, as the circular SQL rounds it; null when none were found. */
export function rectificationRate(rectified: number, found: number): string | null {
  if (found === 0) return null;
  const scaled = (BigInt(rectified) * 100_000n) / BigInt(found);
  return (Number((scaled + 5n) / 10n) / 10_000).toFixed(4);
}

/** The 合计 row of a dispatch table: sums of the sectors', and the rate of the sums. */
export function dispatchTotal(rows: readonly DispatchFigures[]): DispatchFigures {
  const found = rows.reduce((n, r) => n + r.found, 0);
  const rectified = rows.reduce((n, r) => n + r.rectified, 0);
  const overdue = rows.reduce((n, r) => n + r.overdue, 0);
  const funds = rows.reduce((n, r) => n + fen(r.fundsYuan), 0n);
  return { found, rectified, overdue, rectificationRate: rectificationRate(rectified, found), fundsYuan: yuanOf(funds) };
}

/** Funds as the table shows them: two decimals. */
export function yuan(value: string): string {
  return yuanOf(fen(value));
}

/** The columns of a dispatch table as it is downloaded (XLSX and CSV). */
export const DISPATCH_COLUMNS = ['行业领域', '牵头部门', '排查隐患（项）', '已整改销号（项）', '逾期未整改（项）', '整改率', '整改资金（元）'] as const;

export function sectorLeadText(info: HazardSectorInfo): string {
  return [...new Set(info.leadDepartments.map((l) => l.department))].join('、');
}
