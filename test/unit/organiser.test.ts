import { investigatingLevel, organiserOf, type OrganiserInput } from '../../domain/organiser.js';
import { paths, refusalOf, regions as r } from './fixtures.js';

describe('investigatingLevel', () => {
  test.each([
    // DOMAIN glossary: 一般→county, 较大→city, 重大→province, 特别重大→State Council
    { level: 'ORDINARY', escalated: false, expected: 'COUNTY' },
    { level: 'LARGER', escalated: false, expected: 'CITY' },
    { level: 'MAJOR', escalated: false, expected: 'PROVINCE' },
    { level: 'EXTRAORDINARY', escalated: false, expected: 'NATION' },
    // 004 item 2, 001 §4: 提级调查 moves the investigation one level up
    { level: 'ORDINARY', escalated: true, expected: 'CITY' },
    { level: 'LARGER', escalated: true, expected: 'PROVINCE' },
    { level: 'MAJOR', escalated: true, expected: 'NATION' },
    // nothing is above the State Council
    { level: 'EXTRAORDINARY', escalated: true, expected: 'NATION' },
  ] as const)('should investigate at $expected when the accident level is $level and escalated is $escalated', ({ level, escalated, expected }) => {
    expect(investigatingLevel(level, escalated)).toBe(expected);
  });
});

describe('organiserOf', () => {
  const names = (refs: { name: string }[]): string[] => refs.map((x) => x.name);

  test.each([
    // 001 §3: the city that investigated a 较大 accident organises
    { why: 'a 较大 accident in 孝义市 by a 孝义市 enterprise', level: 'LARGER', location: paths.xiaoyi, home: paths.xiaoyi, organiser: '吕梁市', assisting: [] },
    // 001 §3: location organises, home assists
    { why: 'a 较大 accident in 孝义市 by a 太原市小店区 enterprise', level: 'LARGER', location: paths.xiaoyi, home: paths.xiaodian, organiser: '吕梁市', assisting: ['太原市'] },
    // 001 §3: "不在同一级行政区域" is judged at the investigating level: two counties of one city do not differ
    { why: 'a 较大 accident in 孝义市 by a 离石区 enterprise', level: 'LARGER', location: paths.xiaoyi, home: paths.lishi, organiser: '吕梁市', assisting: [] },
    // 000 §二: 一般事故由区人民政府组织评估, even when the accident is in a sub-district
    { why: 'an ordinary accident in 南宁街道 by a 麒麟区 enterprise', level: 'ORDINARY', location: paths.nanning, home: paths.qilin, organiser: '麒麟区', assisting: [] },
    // 001 §3: at county level, 离石区 assists 孝义市
    { why: 'an ordinary accident in 孝义市 by a 离石区 enterprise', level: 'ORDINARY', location: paths.xiaoyi, home: paths.lishi, organiser: '孝义市', assisting: ['离石区'] },
    // 001 §3: a 重大 accident in Shanxi by a Yunnan enterprise — Shanxi organises, Yunnan assists
    { why: 'a 重大 accident in 孝义市 by a 麒麟区 enterprise', level: 'MAJOR', location: paths.xiaoyi, home: paths.qilin, organiser: '山西省', assisting: ['云南省'] },
    // 001 §3: an enterprise registered at city level with no county still has a city ancestor
    { why: 'an ordinary accident in 孝义市 by an enterprise registered with 吕梁市', level: 'ORDINARY', location: paths.xiaoyi, home: paths.lvliang, organiser: '孝义市', assisting: [] },
  ] as const)('should name $organiser organiser and $assisting assisting when $why', ({ level, location, home, organiser, assisting }) => {
    const decision = organiserOf({ level, location, enterpriseHome: home, escalated: false });
    expect(decision.organiser?.name).toBe(organiser);
    expect(names(decision.assisting)).toEqual(assisting);
  });

  test('should say the location organises and the home assists when they differ', () => {
    // 001 §3: the basis an official reads must name the rule that decided
    const decision = organiserOf({ level: 'LARGER', location: paths.xiaoyi, enterpriseHome: paths.xiaodian, escalated: false });
    expect(decision.basis).toMatch(/^001 §3/);
    expect(decision.basis).toContain('assists');
  });

  test.each([
    // DOMAIN glossary: 特别重大 → State Council
    { why: 'the accident is 特别重大', level: 'EXTRAORDINARY', escalated: false },
    // 004 item 2: a 重大 accident escalated goes to the State Council
    { why: 'a 重大 accident is escalated', level: 'MAJOR', escalated: true },
  ] as const)('should leave the organiser to the State Council when $why', ({ level, escalated }) => {
    const decision = organiserOf({ level, location: paths.xiaoyi, enterpriseHome: paths.xiaodian, escalated });
    expect(decision).toEqual({ organiser: null, assisting: [], basis: expect.stringContaining('State Council') });
  });

  test.each([
    // 001 §4 with 004 item 2: an escalated ordinary accident is evaluated by the city
    { why: 'an ordinary accident is escalated', level: 'ORDINARY', organiser: '吕梁市' },
    // 001 §4: an escalated 较大 accident is evaluated by the province
    { why: 'a 较大 accident is escalated', level: 'LARGER', organiser: '山西省' },
  ] as const)('should name $organiser organiser when $why', ({ level, organiser }) => {
    expect(organiserOf({ level, location: paths.xiaoyi, enterpriseHome: paths.xiaoyi, escalated: true }).organiser?.name).toBe(organiser);
  });

  test.each([
    // 001 §4: 提级调查的生产安全事故可以指定下级人民政府负责评估
    { why: 'the province investigated a 较大 accident and named 吕梁市', level: 'LARGER', delegatedTo: r.lvliang },
    // 001 §4: any lower government that contains the location may be named
    { why: 'the province investigated a 较大 accident and named 孝义市', level: 'LARGER', delegatedTo: r.xiaoyi },
    // 001 §4: the State Council investigated an escalated 重大 accident and named the province
    { why: 'the State Council investigated a 重大 accident and named 山西省', level: 'MAJOR', delegatedTo: r.shanxi },
  ] as const)('should let the named government organise when $why', ({ level, delegatedTo }) => {
    const decision = organiserOf({ level, location: paths.xiaoyi, enterpriseHome: paths.xiaodian, escalated: true, delegatedTo });
    expect(decision.organiser).toEqual(delegatedTo);
    expect(decision.basis).toMatch(/^001 §4/);
  });

  const base: OrganiserInput = { level: 'LARGER', location: paths.xiaoyi, enterpriseHome: paths.xiaoyi, escalated: true };
  test.each([
    // 001 §4: only an escalated investigation may name another government
    { why: 'the investigation was not escalated', input: { ...base, escalated: false, delegatedTo: r.xiaoyi }, field: 'delegatedTo' },
    // 001 §4: "下级" — the province investigated, so it cannot name itself
    { why: 'the named government is the investigating level itself', input: { ...base, delegatedTo: r.shanxi }, field: 'delegatedTo' },
    // 001 §4: the named government must govern the accident location
    { why: 'the named city does not contain the location', input: { ...base, delegatedTo: r.taiyuan }, field: 'delegatedTo' },
    // 001 §3: an ordinary accident needs a county government at the location
    { why: 'the location has no county', input: { level: 'ORDINARY', location: paths.lvliang, enterpriseHome: paths.xiaoyi, escalated: false }, field: 'locationRegionId' },
  ] as const)('should refuse with BAD_USER_INPUT on $field when $why', ({ input, field }) => {
    expect(refusalOf(() => organiserOf(input as OrganiserInput))).toEqual({ code: 'BAD_USER_INPUT', field });
  });
});
