import { randomUUID } from 'node:crypto';
import { insertUsers } from '../../infra/demo-users.js';
import { graphqlClient, type GraphQLResponse } from '../helpers/api.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

// Statistics over HTTP against a fixed data set whose figures are worked out by hand below: accidents of 吕梁市 in
// three quarters (002 §5(四): count, deaths, direct loss, 同比 and 环比) and evaluations due in 2025 (004 item 3).
let stack: TestStack;

const USERS = ['lvliang-office', 'lishi-office', 'lishi-housing', 'xiaoyi-town', 'shanxi-upper', 'enterprise', 'public'] as const;
type User = (typeof USERS)[number];
const as = {} as Record<User, Awaited<ReturnType<typeof graphqlClient>>>;

const id = { shanxi: randomUUID(), lvliang: randomUUID(), lishi: randomUUID(), xiaoyi: randomUUID(), xiaoyiTown: randomUUID(), yunnan: randomUUID(), qilin: randomUUID() };
const enterprise = randomUUID();
const accidents: Record<string, string> = {};

/** One accident: when (China time), where, sector, level, deaths, injuries, direct loss in yuan. */
type Row = [name: string, at: string, region: keyof typeof id, sector: string, level: string, deaths: number, injuries: number, loss: string];
const ACCIDENTS: Row[] = [
  // 2025 Q1 (the period asked for)
  ['A1', '2025-01-15T10:00:00+08:00', 'lishi', 'CONSTRUCTION', 'ORDINARY', 1, 2, '1200000.00'],
  ['A2', '2025-03-31T23:30:00+08:00', 'xiaoyiTown', 'ROAD_TRANSPORT', 'LARGER', 3, 5, '2500000.50'],
  ['A3', '2025-02-10T09:00:00+08:00', 'xiaoyi', 'CONSTRUCTION', 'ORDINARY', 0, 1, '300000.00'],
  ['A4', '2025-03-01T08:00:00+08:00', 'lvliang', 'FIRE', 'ORDINARY', 1, 0, '100000.00'],
  // 2024 Q4 (环比)
  ['B1', '2024-11-20T14:00:00+08:00', 'lishi', 'CONSTRUCTION', 'ORDINARY', 2, 0, '800000.00'],
  ['B2', '2024-12-31T23:59:00+08:00', 'xiaoyi', 'FIRE', 'ORDINARY', 1, 1, '500000.00'],
  // 2024 Q1 (同比)
  ['C1', '2024-02-05T11:00:00+08:00', 'lishi', 'CONSTRUCTION', 'ORDINARY', 1, 1, '1000000.00'],
  ['C2', '2024-03-15T16:00:00+08:00', 'xiaoyi', 'ROAD_TRANSPORT', 'LARGER', 1, 3, '1500000.00'],
  ['C3', '2024-01-20T07:00:00+08:00', 'xiaoyi', 'CONSTRUCTION', 'ORDINARY', 2, 0, '400000.00'],
  // Outside: the next quarter (its first minute), another province, and before the range.
  ['D1', '2025-04-01T00:00:00+08:00', 'lishi', 'CONSTRUCTION', 'ORDINARY', 5, 0, '9000000.00'],
  ['D2', '2025-02-01T12:00:00+08:00', 'qilin', 'CONSTRUCTION', 'ORDINARY', 9, 9, '9000000.00'],
  ['D3', '2023-12-31T23:59:00+08:00', 'xiaoyi', 'CONSTRUCTION', 'ORDINARY', 4, 0, '700000.00'],
];

/** Evaluations: the case, the organiser, deadline, team formed, report approved, published (China time), stage. */
type EvaluationFixture = [accident: string, organiser: keyof typeof id, dueAt: string, teamFormedAt: string | null, approvedAt: string | null, publishedAt: string | null, stage: string];
const EVALUATIONS: EvaluationFixture[] = [
  // Due in 2024, never published: still to circulate at the end of 2025.
  ['D3', 'xiaoyi', '2024-12-01T00:00:00+08:00', '2024-10-01T00:00:00+08:00', null, null, 'ON_SITE_VERIFICATION'],
  // Due in 2025:
  ['C1', 'lishi', '2025-03-01T00:00:00+08:00', '2025-01-05T00:00:00+08:00', '2025-02-10T00:00:00+08:00', '2025-02-20T00:00:00+08:00', 'FOLLOW_UP'], // on time
  ['C3', 'xiaoyi', '2025-04-10T00:00:00+08:00', '2025-02-01T00:00:00+08:00', '2025-04-20T00:00:00+08:00', '2025-05-01T00:00:00+08:00', 'FOLLOW_UP'], // late
  ['C2', 'lvliang', '2025-06-15T00:00:00+08:00', '2025-04-01T00:00:00+08:00', '2025-06-01T00:00:00+08:00', null, 'PUBLICATION'], // approved, unpublished
  ['B1', 'lishi', '2025-11-20T00:00:00+08:00', null, null, null, 'TEAM_FORMATION'], // never started
  // Published only after the asOf of the year-end circular: unpublished at it.
  ['B2', 'xiaoyi', '2025-12-31T12:00:00+08:00', '2025-10-01T00:00:00+08:00', null, '2026-01-05T00:00:00+08:00', 'FOLLOW_UP'],
  // Due in 2026.
  ['A1', 'lishi', '2026-03-01T00:00:00+08:00', null, null, null, 'WAITING_FOR_WINDOW'],
];

const YEAR_END = '2026-01-01T00:00:00+08:00';

beforeAll(async () => {
  stack = await startTestStack('statistics');
  const em = stack.db.orm.em.fork();
  const regions: [keyof typeof id, string, string, string, keyof typeof id | null][] = [
    ['shanxi', '140000', '山西省', 'PROVINCE', null],
    ['lvliang', '141100', '吕梁市', 'CITY', 'shanxi'],
    ['lishi', '141102', '离石区', 'COUNTY', 'lvliang'],
    ['xiaoyi', '141181', '孝义市', 'COUNTY', 'lvliang'],
    ['xiaoyiTown', '141181100', '兑镇镇', 'TOWN', 'xiaoyi'],
    ['yunnan', '530000', '云南省', 'PROVINCE', null],
    ['qilin', '530302', '麒麟区', 'COUNTY', 'yunnan'],
  ];
  for (const [key, code, name, level, parent] of regions) {
    await em.execute(`insert into region (id, code, name, level, parent_id, safety_office_name) values (?, ?, ?, ?, ?, ?)`, [
      id[key], code, name, level, parent ? id[parent] : null, `${name}安委办`,
    ]);
  }
  await em.execute(`insert into enterprise (id, name, sector, home_region_id) values (?, '吕梁某建设工程有限公司', 'CONSTRUCTION', ?)`, [enterprise, id.lishi]);
  for (const [name, at, region, sector, level, deaths, injuries, loss] of ACCIDENTS) {
    accidents[name] = randomUUID();
    await em.execute(
      `insert into accident (id, title, level, sector, occurred_at, location_region_id, enterprise_id, deaths, injuries, direct_loss_yuan) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [accidents[name], `吕梁事故${name}`, level, sector, new Date(at), id[region], enterprise, deaths, injuries, loss],
    );
  }
  for (const [accident, organiser, dueAt, teamFormedAt, approvedAt, publishedAt, stage] of EVALUATIONS) {
    const evaluationId = accidents[accident]!;
    const due = new Date(dueAt);
    await em.execute(
      `insert into evaluation (id, accident_id, workflow_id, profile_id, profile_version, organiser_region_id, assisting_region_ids, stage, revision,
         opens_at, due_at, overdue, overdue_clocks, team_formed_at, published_at)
       values (?, ?, ?, 'shanxi-2026', '2026-04-16', ?, '{}', ?, 1, ?, ?, false, '{}', ?, ?)`,
      [evaluationId, evaluationId, `accident-evaluation/${evaluationId}`, id[organiser], stage, new Date(due.getTime() - 60 * 86_400_000), due,
        teamFormedAt ? new Date(teamFormedAt) : null, publishedAt ? new Date(publishedAt) : null],
    );
    if (approvedAt) {
      await em.execute(
        `insert into evaluation_report (evaluation_id, sections, lists, secret_parts, submitted_at, approved_at, approved_by, returns) values (?, '[]', '[]', '[]', ?, ?, '分管领导', '[]')`,
        [evaluationId, new Date(approvedAt), new Date(approvedAt)],
      );
    }
  }
  await insertUsers(stack.db.orm.em.fork(), [
    { id: 'lvliang-office', name: '吕梁市安委办 郭主任', grants: [{ role: 'SAFETY_OFFICE', regionCode: '141100' }] },
    { id: 'lishi-office', name: '离石区安委办 王某', grants: [{ role: 'SAFETY_OFFICE', regionCode: '141102' }] },
    { id: 'lishi-housing', name: '离石区住建局 张某', grants: [{ role: 'DEPARTMENT_OFFICIAL', regionCode: '141102' }] },
    { id: 'xiaoyi-town', name: '兑镇镇 安全员 刘某', grants: [{ role: 'TOWN_OFFICIAL', regionCode: '141181100' }] },
    { id: 'shanxi-upper', name: '山西省安委办 赵某', grants: [{ role: 'UPPER_OFFICE', regionCode: '140000' }] },
    { id: 'enterprise', name: '吕梁某建设工程有限公司 孙某', grants: [{ role: 'ENTERPRISE_CONTACT', enterpriseId: enterprise }] },
  ]);
  for (const user of USERS) as[user] = await graphqlClient(stack.api.url, user === 'public' ? undefined : user);
});

afterAll(() => stack?.stop());

const FIGURES = 'count deaths injuries directLossYuan';
const CHANGE = `count { difference ratio } deaths { difference ratio } injuries { difference ratio } directLossYuan { difference ratio }`;
const ROW = `key region { code } current { ${FIGURES} } previousPeriod { ${FIGURES} } samePeriodLastYear { ${FIGURES} } periodOnPeriod { ${CHANGE} } yearOnYear { ${CHANGE} }`;
const ACCIDENT_STATISTICS = `query($region: String!, $period: StatisticsPeriodInput!, $groupBy: StatisticsGroup!) {
  accidentStatistics(regionCode: $region, period: $period, groupBy: $groupBy) {
    region { code } groupBy period { kind year number startsOn endsOn } previousPeriod { year number startsOn } samePeriodLastYear { year number endsOn }
    rows { ${ROW} } total { ${ROW} } } }`;

const figures = (count: number, deaths: number, injuries: number, directLossYuan: string) => ({ count, deaths, injuries, directLossYuan });
const moved = (count: [number, number | null], deaths: [number, number | null], injuries: [number, number | null], loss: [string, number | null]) => ({
  count: { difference: count[0], ratio: count[1] },
  deaths: { difference: deaths[0], ratio: deaths[1] },
  injuries: { difference: injuries[0], ratio: injuries[1] },
  directLossYuan: { difference: loss[0], ratio: loss[1] },
});

function refusal(response: GraphQLResponse) {
  return { data: response.data ?? null, code: response.errors?.[0]?.extensions?.code, field: response.errors?.[0]?.extensions?.field };
}

describe('accidentStatistics', () => {
  test('should sum 2025 Q1 by sector against 2024 Q4 (环比) and 2024 Q1 (同比), as worked out by hand', async () => {
    const res = await as['lvliang-office'](ACCIDENT_STATISTICS, { region: '141100', period: { kind: 'QUARTER', year: 2025, number: 1 }, groupBy: 'SECTOR' });
    expect(res.errors).toBeUndefined();
    const stats = res.data!.accidentStatistics;
    expect(stats.period).toEqual({ kind: 'QUARTER', year: 2025, number: 1, startsOn: '2025-01-01', endsOn: '2025-03-31' });
    expect(stats.previousPeriod).toEqual({ year: 2024, number: 4, startsOn: '2024-10-01' });
    expect(stats.samePeriodLastYear).toEqual({ year: 2024, number: 1, endsOn: '2024-03-31' });
    // Ordered by deaths in the quarter, then count: road transport (3), construction (1, two accidents), fire (1, one).
    expect(stats.rows.map((r: { key: string }) => r.key)).toEqual(['ROAD_TRANSPORT', 'CONSTRUCTION', 'FIRE']);
    const [road, construction, fire] = stats.rows;
    // Construction: A1 + A3 | B1 | C1 + C3.
    expect(construction).toEqual({
      key: 'CONSTRUCTION',
      region: null,
      current: figures(2, 1, 3, '1500000.00'),
      previousPeriod: figures(1, 2, 0, '800000.00'),
      samePeriodLastYear: figures(2, 3, 1, '1400000.00'),
      periodOnPeriod: moved([1, 1], [-1, -0.5], [3, null], ['700000', 0.875]),
      // 同比: as many accidents, two deaths fewer (−66.67%), loss up 100,000 of 1,400,000 (7.14%).
      yearOnYear: moved([0, 0], [-2, -0.6667], [2, 2], ['100000', 0.0714]),
    });
    // Road transport: A2 (23:30 on 31 March, China time: still Q1) | none | C2.
    expect(road.current).toEqual(figures(1, 3, 5, '2500000.50'));
    expect(road.previousPeriod).toEqual(figures(0, 0, 0, '0'));
    expect(road.periodOnPeriod.count).toEqual({ difference: 1, ratio: null });
    expect(road.yearOnYear).toEqual(moved([0, 0], [2, 2], [2, 0.6667], ['1000000.5', 0.6667]));
    // Fire: A4 | B2 (23:59 on 31 December) | none.
    expect([fire.current, fire.previousPeriod, fire.samePeriodLastYear]).toEqual([figures(1, 1, 0, '100000.00'), figures(1, 1, 1, '500000.00'), figures(0, 0, 0, '0')]);
    expect(fire.yearOnYear.deaths).toEqual({ difference: 1, ratio: null });
    // The total: the next quarter's first minute (D1), another province (D2) and 2023 (D3) are not counted.
    expect(stats.total).toEqual({
      key: 'TOTAL',
      region: null,
      current: figures(4, 5, 8, '4100000.50'),
      previousPeriod: figures(2, 3, 1, '1300000.00'),
      samePeriodLastYear: figures(3, 4, 4, '2900000.00'),
      periodOnPeriod: moved([2, 1], [2, 0.6667], [7, 7], ['2800000.5', 2.1538]),
      yearOnYear: moved([1, 0.3333], [1, 0.25], [4, 1], ['1200000.5', 0.4138]),
    });
  });

  test('should group by the regions directly under the one asked for, a town counting in its county and the city\'s own cases under the city', async () => {
    const res = await as['lvliang-office'](ACCIDENT_STATISTICS, { region: '141100', period: { kind: 'QUARTER', year: 2025, number: 1 }, groupBy: 'REGION' });
    expect(res.errors).toBeUndefined();
    const rows = res.data!.accidentStatistics.rows as { key: string; region: { code: string }; current: unknown; previousPeriod: unknown; samePeriodLastYear: unknown; yearOnYear: { deaths: unknown } }[];
    expect(rows.map((r) => [r.key, r.region.code])).toEqual([['141181', '141181'], ['141100', '141100'], ['141102', '141102']]);
    // 孝义市: A2 (in its town) + A3 | B2 | C2 + C3.
    expect([rows[0]!.current, rows[0]!.previousPeriod, rows[0]!.samePeriodLastYear]).toEqual([
      figures(2, 3, 6, '2800000.50'),
      figures(1, 1, 1, '500000.00'),
      figures(2, 3, 3, '1900000.00'),
    ]);
    expect(rows[0]!.yearOnYear.deaths).toEqual({ difference: 0, ratio: 0 });
    expect(rows[2]!.current).toEqual(figures(1, 1, 2, '1200000.00'));
    expect(res.data!.accidentStatistics.total.current).toEqual(figures(4, 5, 8, '4100000.50'));
  });

  test('should count a month by China dates: March 2025 against February 2025 and March 2024, by level', async () => {
    const res = await as['lvliang-office'](ACCIDENT_STATISTICS, { region: '141100', period: { kind: 'MONTH', year: 2025, number: 3 }, groupBy: 'LEVEL' });
    expect(res.errors).toBeUndefined();
    const stats = res.data!.accidentStatistics;
    // A2 and A4 | A3 | C2.
    expect([stats.total.current.count, stats.total.previousPeriod.count, stats.total.samePeriodLastYear.count]).toEqual([2, 1, 1]);
    expect(stats.rows.map((r: { key: string; current: { count: number } }) => [r.key, r.current.count])).toEqual([['LARGER', 1], ['ORDINARY', 1]]);
    expect(stats.total.yearOnYear.directLossYuan).toEqual({ difference: '1100000.5', ratio: 0.7333 });
  });

  test('should compare a year with the year before: 2025 against 2024', async () => {
    const res = await as['lishi-office'](ACCIDENT_STATISTICS, { region: '141102', period: { kind: 'YEAR', year: 2025 }, groupBy: 'SECTOR' });
    expect(res.errors).toBeUndefined();
    const total = res.data!.accidentStatistics.total;
    // 离石区: A1 + D1 in 2025 | B1 + C1 in 2024.
    expect(total.current).toEqual(figures(2, 6, 2, '10200000.00'));
    expect(total.samePeriodLastYear).toEqual(figures(2, 3, 1, '1800000.00'));
    expect(total.yearOnYear).toEqual(moved([0, 0], [3, 1], [1, 1], ['8400000', 4.6667]));
    expect(total.periodOnPeriod).toEqual(total.yearOnYear);
  });

  test('should answer the district alone its own cases, and with nothing counted an empty total', async () => {
    const lishi = await as['lishi-housing'](ACCIDENT_STATISTICS, { region: '141102', period: { kind: 'QUARTER', year: 2025, number: 1 }, groupBy: 'SECTOR' });
    expect(lishi.errors).toBeUndefined();
    expect(lishi.data!.accidentStatistics.total.current).toEqual(figures(1, 1, 2, '1200000.00'));
    const empty = await as['lvliang-office'](ACCIDENT_STATISTICS, { region: '141100', period: { kind: 'MONTH', year: 2020, number: 6 }, groupBy: 'SECTOR' });
    expect(empty.data!.accidentStatistics.rows).toEqual([]);
    expect(empty.data!.accidentStatistics.total.current).toEqual(figures(0, 0, 0, '0'));
    expect(empty.data!.accidentStatistics.total.yearOnYear.count).toEqual({ difference: 0, ratio: null });
  });

  test('should refuse callers who do not see every case of the region, and bad input, with typed errors', async () => {
    const ask = (user: User, region: string, period: object = { kind: 'QUARTER', year: 2025, number: 1 }) =>
      as[user](ACCIDENT_STATISTICS, { region, period, groupBy: 'SECTOR' }).then(refusal);
    // A district office does not see the other district's cases, so it gets no city figures.
    expect(await ask('lishi-office', '141100')).toEqual({ data: null, code: 'FORBIDDEN', field: 'regionCode' });
    expect(await ask('xiaoyi-town', '141181')).toEqual({ data: null, code: 'FORBIDDEN', field: 'regionCode' });
    expect(await ask('shanxi-upper', '141100')).toEqual({ data: null, code: 'FORBIDDEN', field: 'regionCode' });
    expect(await ask('enterprise', '141102')).toEqual({ data: null, code: 'FORBIDDEN', field: 'regionCode' });
    expect(await ask('public', '141100')).toEqual({ data: null, code: 'FORBIDDEN', field: 'regionCode' });
    expect(await ask('lvliang-office', '149999')).toEqual({ data: null, code: 'NOT_FOUND', field: 'regionCode' });
    expect(await ask('lvliang-office', 'lvliang')).toEqual({ data: null, code: 'BAD_USER_INPUT', field: 'regionCode' });
    expect(await ask('lvliang-office', '141100', { kind: 'MONTH', year: 2025, number: 13 })).toEqual({ data: null, code: 'BAD_USER_INPUT', field: 'period.number' });
    expect(await ask('lvliang-office', '141100', { kind: 'QUARTER', year: 2025 })).toEqual({ data: null, code: 'BAD_USER_INPUT', field: 'period.number' });
  });
});

const EVALUATION_STATISTICS = `query($region: String!, $year: Int!, $asOf: DateTimeISO) {
  evaluationStatistics(regionCode: $region, year: $year, asOf: $asOf) {
    region { code } year
    regions { region { code } due publishedOnTime publishedLate unpublished notYetDue onTimeRate publicationRate }
    total { region { code } due publishedOnTime publishedLate unpublished notYetDue onTimeRate publicationRate } } }`;

const counted = (code: string | null, due: number, onTime: number, late: number, unpublished: number, notYetDue: number, onTimeRate: number | null, publicationRate: number | null) => ({
  region: code ? { code } : null,
  due,
  publishedOnTime: onTime,
  publishedLate: late,
  unpublished,
  notYetDue,
  onTimeRate,
  publicationRate,
});

describe('evaluationStatistics', () => {
  test('should count 2025\'s evaluations per organising government at the year end: on time, late, unpublished, and the rates', async () => {
    const res = await as['lvliang-office'](EVALUATION_STATISTICS, { region: '141100', year: 2025, asOf: new Date(YEAR_END).toISOString() });
    expect(res.errors).toBeUndefined();
    expect(res.data!.evaluationStatistics.regions).toEqual([
      counted('141100', 1, 0, 0, 1, 0, 0, 0), // C2: approved, never published
      counted('141102', 2, 1, 0, 1, 0, 0.5, 0.5), // C1 on time; B1 never started
      counted('141181', 2, 0, 1, 1, 0, 0, 0.5), // C3 late; B2 published only after the year end
    ]);
    expect(res.data!.evaluationStatistics.total).toEqual(counted(null, 5, 1, 1, 3, 0, 0.2, 0.4));
  });

  test('should count as at mid-year: evaluations whose deadline is still ahead are not yet due', async () => {
    const res = await as['lvliang-office'](EVALUATION_STATISTICS, { region: '141100', year: 2025, asOf: new Date('2025-07-01T00:00:00+08:00').toISOString() });
    expect(res.data!.evaluationStatistics.total).toEqual(counted(null, 3, 1, 1, 1, 2, 0.3333, 0.6667));
  });

  test('should give a district only its own evaluations, and refuse one that asks for its city', async () => {
    const res = await as['lishi-office'](EVALUATION_STATISTICS, { region: '141102', year: 2025, asOf: new Date(YEAR_END).toISOString() });
    expect(res.data!.evaluationStatistics.total).toEqual(counted(null, 2, 1, 0, 1, 0, 0.5, 0.5));
    expect(refusal(await as['lishi-office'](EVALUATION_STATISTICS, { region: '141100', year: 2025 }))).toEqual({ data: null, code: 'FORBIDDEN', field: 'regionCode' });
    expect(refusal(await as['lvliang-office'](EVALUATION_STATISTICS, { region: '141100', year: 3025 }))).toEqual({ data: null, code: 'BAD_USER_INPUT', field: 'year' });
  });
});

const CIRCULATE = `query($region: String!, $asOf: DateTimeISO, $first: Int!) {
  evaluationsToCirculate(regionCode: $region, asOf: $asOf, first: $first) {
    evaluationId organiserRegion { code } dueAt daysOverdue reason evaluation { id stage accident { title } } } }`;

describe('evaluationsToCirculate', () => {
  test('should list, most overdue first, the evaluations past their deadline and unpublished at the year end, with why', async () => {
    const res = await as['lvliang-office'](CIRCULATE, { region: '141100', asOf: new Date(YEAR_END).toISOString(), first: 50 });
    expect(res.errors).toBeUndefined();
    const list = res.data!.evaluationsToCirculate as { evaluationId: string; organiserRegion: { code: string }; daysOverdue: number; reason: string; evaluation: { id: string; stage: string; accident: { title: string } } }[];
    expect(list.map((e) => [e.evaluation.accident.title, e.organiserRegion.code, e.daysOverdue, e.reason, e.evaluation.stage])).toEqual([
      ['吕梁事故D3', '141181', 396, 'IN_PROGRESS', 'ON_SITE_VERIFICATION'],
      ['吕梁事故C2', '141100', 200, 'NOT_PUBLISHED', 'PUBLICATION'],
      ['吕梁事故B1', '141102', 42, 'NOT_STARTED', 'TEAM_FORMATION'],
      ['吕梁事故B2', '141181', 0, 'IN_PROGRESS', 'FOLLOW_UP'],
    ]);
    expect(list.every((e) => e.evaluation.id === e.evaluationId)).toBe(true);
    const first = await as['lvliang-office'](CIRCULATE, { region: '141100', asOf: new Date(YEAR_END).toISOString(), first: 1 });
    expect(first.data!.evaluationsToCirculate).toHaveLength(1);
  });

  test('should drop an evaluation once it is published: by February 2026 B2 is', async () => {
    const res = await as['lvliang-office'](CIRCULATE, { region: '141100', asOf: new Date('2026-02-01T00:00:00+08:00').toISOString(), first: 50 });
    expect(res.data!.evaluationsToCirculate.map((e: { evaluation: { accident: { title: string } } }) => e.evaluation.accident.title)).toEqual(['吕梁事故D3', '吕梁事故C2', '吕梁事故B1']);
  });

  test('should give a district its own list, and refuse the public and a first out of range', async () => {
    const own = await as['lishi-office'](CIRCULATE, { region: '141102', asOf: new Date(YEAR_END).toISOString(), first: 50 });
    expect(own.data!.evaluationsToCirculate.map((e: { reason: string }) => e.reason)).toEqual(['NOT_STARTED']);
    expect(refusal(await as.public(CIRCULATE, { region: '141100', first: 10 }))).toEqual({ data: null, code: 'FORBIDDEN', field: 'regionCode' });
    expect(refusal(await as['lvliang-office'](CIRCULATE, { region: '141100', first: 201 })).code).toBe('BAD_USER_INPUT');
  });
});
