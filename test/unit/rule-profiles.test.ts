import { chinaDate } from '../../domain/calendar.js';
import { EVALUATION_PROFILES, profileByVersion, profileFor, type EvaluationRuleProfile } from '../../domain/rule-profiles.js';
import { refusalOf, regions } from './fixtures.js';

describe('profileFor', () => {
  test.each([
    // 001 §12: 晋安办发〔2021〕119号 governs Shanxi until the 2026 rules are issued
    { where: '吕梁市', code: regions.lvliang.code, closedOn: '2026-04-15', id: 'shanxi', version: '2021-119' },
    // 001 §12: the 2026 rules apply from the day of issue, 2026-04-16
    { where: '吕梁市', code: regions.lvliang.code, closedOn: '2026-04-16', id: 'shanxi', version: '2026-48' },
    // 001 §12: a county of Shanxi gets the provincial rules too
    { where: '孝义市', code: regions.xiaoyi.code, closedOn: '2026-06-30', id: 'shanxi', version: '2026-48' },
    // 001 §12: a case closed years before keeps the rules of its closure date
    { where: '太原市小店区', code: regions.xiaodian.code, closedOn: '2023-09-01', id: 'shanxi', version: '2021-119' },
    // 001 §1: the province itself
    { where: '山西省', code: regions.shanxi.code, closedOn: '2026-12-31', id: 'shanxi', version: '2026-48' },
    // 000 (2022 scheme): 麒麟区 cases follow the district scheme
    { where: '麒麟区', code: regions.qilin.code, closedOn: '2025-12-31', id: 'qilin', version: '2022' },
    // 000 §二: accidents anywhere in the district, down to a sub-district
    { where: '南宁街道', code: regions.nanning.code, closedOn: '2023-03-01', id: 'qilin', version: '2022' },
    // 000: before the district scheme existed, the national measures apply
    { where: '麒麟区', code: regions.qilin.code, closedOn: '2021-11-30', id: 'national', version: '2021-4' },
    // 000 is a district scheme: its city, 曲靖市, is not covered by it
    { where: '曲靖市', code: regions.qujing.code, closedOn: '2025-12-31', id: 'national', version: '2021-4' },
    // 001 §1 (安委办〔2021〕4号): the national default for a province with no profile of its own
    { where: '云南省', code: regions.yunnan.code, closedOn: '2026-05-01', id: 'national', version: '2021-4' },
  ])('should give $id $version when a case organised by $where closed on $closedOn', ({ code, closedOn, id, version }) => {
    const profile = profileFor(code, closedOn);
    expect({ id: profile.id, version: profile.version }).toEqual({ id, version });
  });

  test('should apply 2026-48 when a case closed at 00:30 China time on 16 April, still 15 April in UTC', () => {
    // 001 §12: the effective date is a China calendar date
    const closedAt = new Date('2026-04-15T16:30:00.000Z');
    expect(profileFor(regions.lvliang.code, chinaDate(closedAt)).version).toBe('2026-48');
    expect(profileFor(regions.lvliang.code, closedAt.toISOString().slice(0, 10)).version).toBe('2021-119');
  });

  test.each([
    // 安委办〔2021〕4号 is the earliest rule held; nothing governs a 2020 closure
    { where: '吕梁市', code: regions.lvliang.code, closedOn: '2020-12-31' },
    { where: '麒麟区', code: regions.qilin.code, closedOn: '2020-06-30' },
  ])('should refuse with NOT_FOUND when a case in $where closed on $closedOn before any profile', ({ code, closedOn }) => {
    expect(refusalOf(() => profileFor(code, closedOn))).toEqual({ code: 'NOT_FOUND' });
  });

  test.each([
    // 001 §12: 2021-119 is abolished on 2026-04-16, so it no longer governs a case closed that day
    { closedOn: '2026-04-15', id: 'shanxi', version: '2021-119' },
    { closedOn: '2026-04-16', id: 'national', version: '2021-4' },
  ])('should give $id $version when only the 2021 Shanxi rules and the national measures are held and the case closed on $closedOn', ({ closedOn, id, version }) => {
    const list = [profileByVersion('shanxi', '2021-119')!, profileByVersion('national', '2021-4')!];
    const profile = profileFor(regions.lvliang.code, closedOn, list);
    expect({ id: profile.id, version: profile.version }).toEqual({ id, version });
  });

  test('should prefer the most specific jurisdiction when a caller passes its own profile list', () => {
    // 000: a district scheme overrides the provincial and national rules for its district only
    const national = profileByVersion('national', '2021-4')!;
    const xiaoyiPilot: EvaluationRuleProfile = { ...national, id: 'xiaoyi', version: 'pilot', jurisdictionPrefix: '141181', teamDays: 20 };
    const list = [...EVALUATION_PROFILES, xiaoyiPilot];
    expect(profileFor(regions.xiaoyi.code, '2026-06-01', list).id).toBe('xiaoyi');
    expect(profileFor(regions.lvliang.code, '2026-06-01', list).id).toBe('shanxi');
  });
});

describe('profile contents', () => {
  test.each([
    // 000 §四: the team finishes within 30 days; §五: three lists and a meeting of all member units
    { id: 'qilin', version: '2022', teamDays: 30, lists: ['PROBLEMS', 'RECOMMENDATIONS', 'GOOD_PRACTICES'], meeting: true },
    // 001: the Shanxi 2026 rules set no team limit, no lists and no member meeting
    { id: 'shanxi', version: '2026-48', teamDays: null, lists: [], meeting: false },
    // 001 §12: the replaced 2021 rules, as the engine holds them
    { id: 'shanxi', version: '2021-119', teamDays: null, lists: [], meeting: false },
    // 安委办〔2021〕4号 as restated in 001
    { id: 'national', version: '2021-4', teamDays: null, lists: [], meeting: false },
  ])('should require $lists and a $teamDays-day team when the profile is $id $version', ({ id, version, teamDays, lists, meeting }) => {
    const p = profileByVersion(id, version)!;
    expect({ teamDays: p.teamDays, lists: p.requiredLists, meeting: p.requiresMemberMeeting }).toEqual({ teamDays, lists, meeting });
  });

  test.each(EVALUATION_PROFILES.map((p) => ({ id: p.id, version: p.version, p })))(
    'should open the window at 10 months and close it at 12 and require all four report sections when the profile is $id $version',
    ({ p }) => {
      // 001 §3, 000 §二: 10 months to 1 year after closure; 001 §9: four report sections
      expect(p.window).toEqual({ opensAfterMonths: 10, dueAfterMonths: 12 });
      expect(p.requiredSections).toEqual(['ORGANISATION', 'ACCOUNTABILITY', 'MEASURES', 'CONCLUSION']);
    },
  );

  test('should end the 2021 Shanxi rules on the day the 2026 rules start', () => {
    // 001 §12: 2021-119 is abolished the day 2026-48 takes effect, leaving no gap and no overlap
    expect(profileByVersion('shanxi', '2021-119')!.effectiveUntil).toBe(profileByVersion('shanxi', '2026-48')!.effectiveFrom);
    expect(profileByVersion('shanxi', '2026-48')!.effectiveFrom).toBe('2026-04-16');
  });

  test.each([
    { id: 'shanxi', version: '2019-1' },
    { id: 'haimen', version: '2022' },
  ])('should find nothing when asked for $id $version, which is not held', ({ id, version }) => {
    expect(profileByVersion(id, version)).toBeUndefined();
  });
});
