import { SECTORS } from '../../domain/case.js';
import {
  checkQuarter,
  circularBounds,
  dispatchTotal,
  enterpriseObligations,
  HAZARD_CAMPAIGN_PHASES,
  HAZARD_SECTORS,
  hazardSector,
  obligationReminder,
  obligationsDueIn,
  quarterJustEnded,
  quarterOf,
  rectificationRate,
} from '../../domain/hazard-campaign.js';

const china = (local: string): Date => new Date(`${local}+08:00`);
const leads = (sector: (typeof SECTORS)[number]) => hazardSector(sector).leadDepartments.map((l) => (l.part ? `${l.department}(${l.part})` : l.department));

describe('the sectors of seed 003 §二', () => {
  test('should list the twelve sectors in the plan\'s order, each with its clause', () => {
    expect(HAZARD_SECTORS.map((s) => s.sector)).toEqual([...SECTORS]);
    expect(HAZARD_SECTORS.map((s) => s.name)).toEqual(['煤矿', '非煤矿山', '危险化学品', '道路运输', '建筑施工', '消防', '自建房', '城镇燃气', '旅游', '工贸', '水上交通和渔业船舶', '其他重点领域']);
    expect(HAZARD_SECTORS.map((s) => s.clause)).toEqual(
      ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'].map((n) => `003 §二.(${n})`),
    );
  });

  test.each([
    // 003 §二.(一) 由区能源局牵头
    ['COAL_MINE', ['区能源局']],
    // 003 §二.(二) 由区应急管理局、区自然资源局按职责分别牵头
    ['NON_COAL_MINE', ['区应急管理局', '区自然资源局']],
    ['HAZARDOUS_CHEMICALS', ['区应急管理局']],
    ['ROAD_TRANSPORT', ['区交通运输局', '市公安局麒麟分局交警大队', '区农业农村局']],
    // 003 §二.(五): split by kind of works
    ['CONSTRUCTION', ['区住房和城乡建设局(房屋市政工程)', '区交通运输局(桥隧工程)', '有关铁路公路建设指挥机构(桥隧工程)', '区水务局(水利工程)', '麒麟供电局(电力工程)']],
    ['FIRE', ['区消防救援大队']],
    ['SELF_BUILT_HOUSING', ['区自建房专项整治领导小组办公室']],
    ['URBAN_GAS', ['区市政公用事业服务中心']],
    ['TOURISM', ['区文化和旅游局']],
    ['INDUSTRY_AND_TRADE', ['区应急管理局']],
    ['WATERWAYS_AND_FISHING', ['区交通运输局', '区农业农村局']],
  ] as const)('should name the lead departments of %s as 003 does', (sector, expected) => {
    expect(leads(sector)).toEqual(expected);
  });

  test('should keep the partners of urban gas and the parts of the other key fields', () => {
    expect(hazardSector('URBAN_GAS').partnerDepartments).toEqual(['区市场监督管理局', '市公安局麒麟分局', '区商务局', '区交通运输局', '区应急管理局', '区城市综合管理局']);
    expect(leads('OTHER')).toContain('区市场监督管理局(特种设备)');
    expect(leads('OTHER')).toContain('区卫生健康局(实验室)');
  });

  test('should mark as high-risk the six sectors 003 §三.(二)2.(7) singles out, and no other', () => {
    expect(HAZARD_SECTORS.filter((s) => s.highRisk).map((s) => s.sector)).toEqual(['COAL_MINE', 'NON_COAL_MINE', 'HAZARDOUS_CHEMICALS', 'ROAD_TRANSPORT', 'CONSTRUCTION', 'URBAN_GAS']);
  });
});

describe('the campaign phases of 003 §三', () => {
  test('should date the four phases as the plan does', () => {
    expect(HAZARD_CAMPAIGN_PHASES.map((p) => [p.phase, p.startsOn ?? null, p.endsOn, p.clause])).toEqual([
      ['MOBILISATION', null, '2023-05-25', '003 §三.(一)'],
      ['SELF_INSPECTION', '2023-05-21', '2023-06-30', '003 §三.(二)'],
      ['PRECISE_ENFORCEMENT', '2023-06-01', '2023-12-31', '003 §三.(三)'],
      ['SUMMARY', '2023-12-01', '2023-12-31', '003 §三.(四)'],
    ]);
  });
});

describe('enterprise obligations (003 §三.(二)1.(2), (6))', () => {
  test('should ask a coal mine for a monthly inspection and a half-yearly drill', () => {
    expect(enterpriseObligations('COAL_MINE').map((o) => [o.obligation, o.every, o.clause])).toEqual([
      ['PRINCIPAL_INSPECTION', 'MONTH', '003 §三.(二)1.(2)五'],
      ['EMERGENCY_DRILL', 'HALF_YEAR', '003 §三.(二)1.(6)'],
    ]);
  });

  test('should ask a tourism business for a quarterly inspection and a yearly drill', () => {
    expect(enterpriseObligations('TOURISM').map((o) => [o.obligation, o.every, o.highRisk])).toEqual([
      ['PRINCIPAL_INSPECTION', 'QUARTER', false],
      ['EMERGENCY_DRILL', 'YEAR', false],
    ]);
  });

  test.each([
    // month → what falls due for a coal mine, and for a tourism business
    [1, ['PRINCIPAL_INSPECTION', 'EMERGENCY_DRILL'], ['PRINCIPAL_INSPECTION', 'EMERGENCY_DRILL']],
    [2, ['PRINCIPAL_INSPECTION'], []],
    [4, ['PRINCIPAL_INSPECTION'], ['PRINCIPAL_INSPECTION']],
    [7, ['PRINCIPAL_INSPECTION', 'EMERGENCY_DRILL'], ['PRINCIPAL_INSPECTION']],
    [12, ['PRINCIPAL_INSPECTION'], []],
  ])('should remind in month %i of the obligations whose period begins', (month, coal, tourism) => {
    expect(obligationsDueIn('COAL_MINE', month).map((o) => o.obligation)).toEqual(coal);
    expect(obligationsDueIn('TOURISM', month).map((o) => o.obligation)).toEqual(tourism);
  });

  test('should word the reminder with each obligation and its clause', () => {
    expect(obligationReminder('麒麟某煤矿有限公司', 2026, 7, obligationsDueIn('COAL_MINE', 7))).toBe(
      '【安全生产主体责任提醒】麒麟某煤矿有限公司：2026年7月起，请本月内至少主要负责人带队检查本单位重大事故隐患排查整治情况1次（003 §三.(二)1.(2)五）；' +
        '本半年内至少组织开展事故应急救援预案演练1次（003 §三.(二)1.(6)）。',
    );
  });
});

describe('quarters of the circulars', () => {
  test('should take the quarter by China time: 23:30 on 31 March in China is still Q1, 00:10 on 1 April is Q2', () => {
    expect(quarterOf(china('2026-03-31T23:30:00'))).toEqual({ year: 2026, quarter: 1 });
    expect(quarterOf(china('2026-04-01T00:10:00'))).toEqual({ year: 2026, quarter: 2 });
    expect(quarterJustEnded(china('2026-04-01T00:30:00'))).toEqual({ year: 2026, quarter: 1 });
    expect(quarterJustEnded(china('2026-01-01T00:30:00'))).toEqual({ year: 2025, quarter: 4 });
  });

  test('should count from the year\'s first day to the quarter\'s end', () => {
    const q2 = circularBounds({ year: 2025, quarter: 2 });
    expect([q2.countedFrom, q2.endsOn, q2.startsAt.toISOString(), q2.endsAt.toISOString()]).toEqual(['2025-01-01', '2025-06-30', '2024-12-31T16:00:00.000Z', '2025-06-30T16:00:00.000Z']);
    expect(circularBounds({ year: 2024, quarter: 4 }).endsAt.toISOString()).toBe('2024-12-31T16:00:00.000Z');
  });

  test.each([
    [1999, 1, 'year'],
    [2025, 0, 'quarter'],
    [2025, 5, 'quarter'],
    [2025.5, 1, 'year'],
  ])('should refuse year %p quarter %p naming the field', (year, quarter, field) => {
    expect(() => checkQuarter(year, quarter)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', field }));
  });
});

describe('the dispatch table total', () => {
  test('should sum the sectors exactly and rate the sums, as 003\'s 调度表 is kept', () => {
    const total = dispatchTotal([
      { found: 3, rectified: 1, overdue: 1, rectificationRate: '0.3333', fundsYuan: '170000.50' },
      { found: 2, rectified: 1, overdue: 0, rectificationRate: '0.5000', fundsYuan: '0.00' },
      { found: 1, rectified: 1, overdue: 0, rectificationRate: '1.0000', fundsYuan: '3000.00' },
      { found: 0, rectified: 0, overdue: 0, rectificationRate: null, fundsYuan: '0.00' },
    ]);
    expect(total).toEqual({ found: 6, rectified: 3, overdue: 1, rectificationRate: '0.5000', fundsYuan: '173000.50' });
  });

  test.each([
    [1, 3, '0.3333'],
    [2, 3, '0.6667'],
    [1, 8, '0.1250'],
    [0, 5, '0.0000'],
    [0, 0, null],
  ])('should round %i of %i to %p', (rectified, found, rate) => {
    expect(rectificationRate(rectified, found)).toBe(rate);
  });
});
