import { chinaDate } from '../../domain/calendar.js';
import {
  checkProfileVersion,
  checkVersionChange,
  chooseProfile,
  EVALUATION_PROFILES,
  overlappingVersion,
  profileByVersion,
  profileFor,
  ProfileOverlapError,
  type EvaluationRuleProfile,
} from '../../domain/rule-profiles.js';
import { parseProfileFile } from '../../api/profiles/profile-file.js';
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

// ---- Profiles as data (an administrator loads versions: api/profiles, npm run profiles:load) ----

const shanxi2026 = () => profileByVersion('shanxi', '2026-48')!;
/** A new Shanxi version as an administrator would load it: effective from `from`, the rules of 2026-48 otherwise. */
const shanxiDraft = (version: string, from: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...shanxi2026(),
  version,
  document: `晋安办发〔2026〕${version}号`,
  source: '001 §3-§11',
  effectiveFrom: from,
  ...extra,
});

describe('checkProfileVersion', () => {
  test.each(EVALUATION_PROFILES.map((p) => ({ id: p.id, version: p.version, p })))('should accept the shipped profile $id $version as it is', ({ p }) => {
    expect(checkProfileVersion(JSON.parse(JSON.stringify(p)))).toEqual(p);
  });

  test.each([
    { what: 'a window due before it opens', extra: { window: { opensAfterMonths: 12, dueAfterMonths: 10 } }, field: 'window.dueAfterMonths' },
    { what: 'an end date before the start', extra: { effectiveUntil: '2027-01-01' }, field: 'effectiveUntil' },
    { what: 'a date that does not exist', extra: { effectiveFrom: '2027-02-30' }, field: 'effectiveFrom' },
    { what: 'a prefix that is no division code', extra: { jurisdictionPrefix: '1' }, field: 'jurisdictionPrefix' },
    { what: 'an upper-case id', extra: { id: 'Shanxi' }, field: 'id' },
    { what: 'a fractional team limit', extra: { teamDays: 7.5 }, field: 'teamDays' },
    { what: 'a reminder given twice', extra: { reminderDaysBefore: { window: [7, 7], team: [], task: [] } }, field: 'reminderDaysBefore.window' },
    { what: 'an unknown report list', extra: { requiredLists: ['RISKS'] }, field: 'requiredLists[0]' },
    { what: 'no report section', extra: { requiredSections: [] }, field: 'requiredSections' },
    { what: 'a clause for no rule', extra: { clauses: { overdueFine: '000 §九' } }, field: 'clauses.overdueFine' },
    { what: 'a rule the engine does not know', extra: { holidaysExtend: true }, field: 'holidaysExtend' },
    { what: 'an empty document', extra: { document: '  ' }, field: 'document' },
    { what: 'a NUL character in the source', extra: { source: '001\u0000' }, field: 'source' },
  ])('should refuse with BAD_USER_INPUT on $field when a version has $what', ({ extra, field }) => {
    expect(refusalOf(() => checkProfileVersion(shanxiDraft('2027-1', '2027-03-01', extra)))).toEqual({ code: 'BAD_USER_INPUT', field });
  });
});

describe('checkVersionChange', () => {
  const today = '2026-12-02';
  const unused = () => 0;

  test('should add a new Shanxi version effective tomorrow, superseding 2026-48 from that day', () => {
    const v = checkProfileVersion(shanxiDraft('2026-99', '2026-12-03'));
    expect(checkVersionChange(v, EVALUATION_PROFILES, unused, today)).toBe('ADD');
    const list = [...EVALUATION_PROFILES, v];
    // 001 §12 pattern: cases closed before the new rules keep the old ones; from the effective date the new ones apply
    expect(profileFor(regions.lvliang.code, '2026-12-02', list).version).toBe('2026-48');
    expect(profileFor(regions.lvliang.code, '2026-12-03', list).version).toBe('2026-99');
    expect(profileFor(regions.qilin.code, '2026-12-03', list).version).toBe('2022');
  });

  test('should refuse with BAD_USER_INPUT naming the conflict when two Shanxi versions take effect the same day', () => {
    const first = checkProfileVersion(shanxiDraft('2026-99', '2027-01-01'));
    const second = checkProfileVersion(shanxiDraft('2026-100', '2027-01-01'));
    let error: unknown;
    try {
      checkVersionChange(second, [...EVALUATION_PROFILES, first], unused, today);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProfileOverlapError);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'effectiveFrom', conflict: { id: 'shanxi', version: '2026-99' } });
    expect((error as Error).message).toContain('overlaps shanxi 2026-99');
  });

  test.each([
    // A pilot with an end date claims its period: a version starting inside it overlaps it
    { pilot: { effectiveFrom: '2027-01-01', effectiveUntil: '2027-07-01' }, next: { effectiveFrom: '2027-03-01' }, overlaps: true },
    { pilot: { effectiveFrom: '2027-01-01', effectiveUntil: '2027-07-01' }, next: { effectiveFrom: '2027-07-01' }, overlaps: false },
    // A later version that ends before the pilot starts does not touch it
    { pilot: { effectiveFrom: '2027-06-01' }, next: { effectiveFrom: '2027-01-01', effectiveUntil: '2027-06-01' }, overlaps: false },
    { pilot: { effectiveFrom: '2027-06-01' }, next: { effectiveFrom: '2027-01-01', effectiveUntil: '2027-06-02' }, overlaps: true },
  ])('should find an overlap $overlaps when $pilot is held and $next is added', ({ pilot, next, overlaps }) => {
    const held = checkProfileVersion(shanxiDraft('pilot', pilot.effectiveFrom, pilot));
    const candidate = checkProfileVersion(shanxiDraft('next', next.effectiveFrom, next));
    expect(overlappingVersion(candidate, [...EVALUATION_PROFILES, held])?.version).toBe(overlaps ? 'pilot' : undefined);
  });

  test('should refuse with BAD_USER_INPUT when a new version would take effect before today', () => {
    // Cases closed earlier were decided under the versions held then
    const v = checkProfileVersion(shanxiDraft('2026-99', '2026-12-01'));
    expect(refusalOf(() => checkVersionChange(v, EVALUATION_PROFILES, unused, today))).toEqual({ code: 'BAD_USER_INPUT', field: 'effectiveFrom' });
  });

  test('should refuse with INVALID_TRANSITION when a version a case uses is changed, and accept it while none does', () => {
    const v = checkProfileVersion(shanxiDraft('2026-99', '2027-01-01'));
    const held = [...EVALUATION_PROFILES, v];
    const corrected = { ...v, teamDays: 45 };
    expect(checkVersionChange(corrected, held, unused, today)).toBe('REPLACE');
    expect(refusalOf(() => checkVersionChange(corrected, held, () => 3, today))).toEqual({ code: 'INVALID_TRANSITION' });
    // The same version again is no change, used or not
    expect(checkVersionChange({ ...v }, held, () => 3, today)).toBe('UNCHANGED');
  });

  test.each([
    { what: 'another id for Shanxi\'s jurisdiction', draft: () => shanxiDraft('2027-1', '2027-01-01', { id: 'shanxi-new' }), field: 'id' },
    { what: 'the Shanxi id for another jurisdiction', draft: () => shanxiDraft('2027-1', '2027-01-01', { jurisdictionPrefix: '1411' }), field: 'jurisdictionPrefix' },
  ])('should refuse with BAD_USER_INPUT on $field when a version gives $what', ({ draft, field }) => {
    expect(refusalOf(() => checkVersionChange(checkProfileVersion(draft()), EVALUATION_PROFILES, unused, today))).toEqual({ code: 'BAD_USER_INPUT', field });
  });
});

describe('chooseProfile', () => {
  test('should say which jurisdiction and date chose the version when a 吕梁市 case closed on 2026-06-30', () => {
    const choice = chooseProfile(regions.lvliang.code, '2026-06-30');
    expect(choice.profile.version).toBe('2026-48');
    expect(choice.basis).toContain('jurisdiction 14 is the most specific one covering organiser 141100');
    expect(choice.basis).toContain('in force from 2026-04-16');
  });
});

describe('parseProfileFile', () => {
  const yaml = `# 晋安办发〔2027〕1号, as an office types it
id: shanxi
version: "2027-1"
document: 晋安办发〔2027〕1号
source: 001 §3-§11
jurisdictionPrefix: "14"
effectiveFrom: "2027-03-01"
window: { opensAfterMonths: 10, dueAfterMonths: 12 }
teamDays: 20
reminderDaysBefore: { window: [30, 7, 1], team: [7, 1], task: [7, 1] }
requiredSections: [ORGANISATION, ACCOUNTABILITY, MEASURES, CONCLUSION]
requiredLists: []
requiresMemberMeeting: false
rectificationDays: 90
clauses: { teamDays: 晋安办发〔2027〕1号 §4 }
`;

  test('should read a version from YAML that the rules accept, with the same result as its JSON', () => {
    const [fromYaml] = parseProfileFile('shanxi-2027.yaml', yaml);
    const profile = checkProfileVersion(fromYaml);
    expect(profile).toMatchObject({ id: 'shanxi', version: '2027-1', jurisdictionPrefix: '14', teamDays: 20, clauses: { teamDays: '晋安办发〔2027〕1号 §4' } });
    expect(parseProfileFile('shanxi-2027.json', JSON.stringify([fromYaml]))).toEqual([fromYaml]);
  });

  test('should refuse with BAD_USER_INPUT when the file is not YAML, or uses aliases', () => {
    expect(refusalOf(() => parseProfileFile('bad.yaml', 'id: [unclosed'))).toEqual({ code: 'BAD_USER_INPUT', field: 'file' });
    expect(refusalOf(() => parseProfileFile('bomb.yaml', 'a: &a [1]\nb: *a\n'))).toEqual({ code: 'BAD_USER_INPUT', field: 'file' });
  });
});
