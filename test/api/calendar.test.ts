import { randomUUID } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { readWorkingCalendar } from '../../activities/calendar.js';
import { isWorkingDay, nextWorkingDay, type WorkingCalendar } from '../../domain/working-days.js';
import { AuditEntry } from '../../schema/entities/index.js';
import type { GraphQLResponse } from '../helpers/api.js';
import { insertDemoWorld, seededStack } from '../helpers/stack.js';

// The working-day calendar over HTTP: anyone reads a year; a province's administrator or safety office loads the
// State Council's notice for a year, which wins over the library's data and is sent to every running campaign.
const USERS = ['public', 'yunnan-admin', 'yunnan-safety', 'qujing-admin', 'qilin-office'] as const;
const stack = seededStack(
  'calendar',
  (em) =>
    insertDemoWorld(em, [
      { id: 'yunnan-safety', name: '云南省安委办 马某', grants: [{ role: 'SAFETY_OFFICE', regionCode: '530000' }] },
      { id: 'qujing-admin', name: '曲靖市 系统管理员', grants: [{ role: 'ADMINISTRATOR', regionCode: '530300' }] },
    ]),
  USERS,
);
const { as } = stack;

const YEAR = `year source provisional notice loadedAt holidays { date name } workdays { date name }`;
const QUERY = `query($year: Int!) { workingCalendar(year: $year) { ${YEAR} } }`;
const LOAD = `mutation($in: LoadWorkingCalendarInput!) { loadWorkingCalendar(input: $in) { changed campaignsNotified calendar { ${YEAR} } } }`;

function refusal(response: GraphQLResponse): { code?: string; field?: string; message?: string } {
  expect(response.data?.loadWorkingCalendar ?? null).toBeNull();
  const error = response.errors?.[0];
  return { code: error?.extensions?.code, field: error?.extensions?.field, message: error?.message };
}

const days = (from: number, to: number, month: string, year: number, name: string) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ date: `${year}-${month}-${String(from + i).padStart(2, '0')}`, name }));

/** A 2027 notice as an office would type it: Spring Festival 6-12 Feb, worked Saturday 13 Feb; National Day 1-7 Oct. */
const notice2027 = (overrides: Record<string, unknown> = {}) => ({
  year: 2027,
  notice: '国办发明电〔2026〕12号',
  holidays: [...days(1, 3, '01', 2027, '元旦'), ...days(6, 12, '02', 2027, '春节'), ...days(1, 7, '10', 2027, '国庆节')],
  workdays: [
    { date: '2027-02-13', name: '春节' },
    { date: '2027-10-09', name: '国庆节' },
  ],
  ...overrides,
});

const auditEntries = (year: number) =>
  stack.db.orm.em.fork().find(AuditEntry, { subjectType: 'working-calendar', subjectId: String(year) }, { orderBy: { revision: 'asc' } });

test('should show the library calendar of 2026 to the public when no office has loaded the year', async () => {
  const answer = await as.public(QUERY, { year: 2026 });
  expect(answer.errors).toBeUndefined();
  const year = answer.data!.workingCalendar;
  expect(year).toMatchObject({ year: 2026, source: 'LIBRARY', provisional: false, notice: null, loadedAt: null });
  expect(year.holidays).toEqual(expect.arrayContaining(days(15, 23, '02', 2026, '春节')));
  expect(year.workdays).toEqual(expect.arrayContaining([{ date: '2026-02-14', name: '春节' }, { date: '2026-02-28', name: '春节' }, { date: '2026-10-10', name: '国庆节' }]));

  const unknown = await as.public(QUERY, { year: 2030 });
  expect(unknown.data!.workingCalendar).toEqual({ year: 2030, source: 'NONE', provisional: true, notice: null, loadedAt: null, holidays: [], workdays: [] });
});

test('should load a year from the State Council notice, make it win over the library and keep one audit entry per change', async () => {
  const loaded = await as['yunnan-admin'](LOAD, { in: notice2027({ holidays: [...notice2027().holidays].reverse() }) });
  expect(loaded.errors).toBeUndefined();
  const result = loaded.data!.loadWorkingCalendar;
  expect(result).toMatchObject({ changed: true, campaignsNotified: 0, calendar: { year: 2027, source: 'LOADED', provisional: false, notice: '国办发明电〔2026〕12号' } });
  // stored in date order, whatever order they were typed in
  expect(result.calendar.holidays.map((d: { date: string }) => d.date)).toEqual(notice2027().holidays.map((d) => d.date));
  expect((await as.public(QUERY, { year: 2027 })).data!.workingCalendar).toEqual(result.calendar);

  // What a campaign is started with: the loaded year, the library's 2026, nothing for 2030 (provisional).
  const calendar = await readWorkingCalendar(stack.db.orm.em.fork(), [2027, 2026, 2030, 2027]);
  expect(calendar.years.map((y) => [y.year, y.source])).toEqual([
    [2026, 'LIBRARY'],
    [2027, 'LOADED'],
  ]);
  expect(isWorkingDay(calendar, '2027-02-08')).toBe(false);
  expect(nextWorkingDay(calendar, '2027-02-06')).toBe('2027-02-13');

  const [entry] = await auditEntries(2027);
  expect(entry).toMatchObject({ revision: 1, action: 'LOAD_WORKING_CALENDAR', actorId: 'yunnan-admin', actorRole: 'ADMINISTRATOR', stageBefore: 'NONE', stageAfter: 'LOADED' });

  // The same notice again writes nothing.
  const again = await as['yunnan-safety'](LOAD, { in: notice2027() });
  expect(again.data!.loadWorkingCalendar).toMatchObject({ changed: false, calendar: { notice: '国办发明电〔2026〕12号' } });
  expect(await auditEntries(2027)).toHaveLength(1);

  // A corrected notice replaces the whole year: a day it no longer lists is an ordinary day again.
  const corrected = await as['yunnan-safety'](LOAD, {
    in: notice2027({ notice: '国办发明电〔2026〕13号', holidays: days(6, 12, '02', 2027, '春节'), workdays: [{ date: '2027-02-13', name: '春节' }] }),
  });
  expect(corrected.errors).toBeUndefined();
  expect(corrected.data!.loadWorkingCalendar.calendar.holidays).toHaveLength(7);
  expect(corrected.data!.loadWorkingCalendar.calendar.workdays).toEqual([{ date: '2027-02-13', name: '春节' }]);
  expect(isWorkingDay(await readWorkingCalendar(stack.db.orm, [2027]), '2027-10-04')).toBe(true);
  const entries = await auditEntries(2027);
  expect(entries.map((e) => [e.revision, e.actorId, e.actorRole])).toEqual([
    [1, 'yunnan-admin', 'ADMINISTRATOR'],
    [2, 'yunnan-safety', 'SAFETY_OFFICE'],
  ]);
  expect(entries[1]!.previousHash).toBe(entries[0]!.stateHash);
});

test('should refuse a load from anyone below a province, and a notice that does not add up, writing nothing', async () => {
  const before = await stack.db.orm.em.fork().getConnection().execute<{ n: string }[]>(`select count(*) as n from working_calendar_day`);
  for (const user of ['public', 'qujing-admin', 'qilin-office'] as const) {
    expect(refusal(await as[user](LOAD, { in: notice2027({ year: 2028, holidays: [{ date: '2028-01-01', name: '元旦' }], workdays: [] }) }))).toMatchObject({
      code: 'FORBIDDEN',
    });
  }
  const admin = as['yunnan-admin'];
  const cases: [Record<string, unknown>, string][] = [
    [{ holidays: [] }, 'holidays'],
    [{ holidays: [{ date: '2026-12-31', name: '元旦' }] }, 'holidays[0].date'],
    [{ holidays: [{ date: '2027-02-30', name: '春节' }] }, 'holidays[0].date'],
    [{ holidays: [{ date: '2027/02/08', name: '春节' }] }, 'holidays[0].date'],
    // 2027-02-10 is a Wednesday, a working day already
    [{ workdays: [{ date: '2027-02-10', name: '春节' }] }, 'workdays[0].date'],
    [{ workdays: [{ date: '2027-02-06', name: '春节' }] }, 'workdays[0].date'],
    [{ holidays: [{ date: '2027-02-08', name: '   ' }] }, 'holidays[0].name'],
    // unstorable text is refused before any resolver runs, named from the variable
    [{ notice: '国办发明电\u0000〔2026〕12号' }, 'in.notice'],
    [{ notice: '通'.repeat(201) }, 'notice'],
    [{ holidays: days(1, 28, '02', 2027, '春').concat(days(1, 31, '03', 2027, '春'), days(1, 30, '04', 2027, '春'), days(1, 31, '05', 2027, '春')) }, 'holidays'],
    [{ year: 1999 }, 'year'],
  ];
  for (const [change, field] of cases) {
    expect({ change, ...refusal(await admin(LOAD, { in: notice2027({ year: 2028, holidays: [{ date: '2028-01-01', name: '元旦' }], workdays: [], ...change }) })) }).toMatchObject({
      code: 'BAD_USER_INPUT',
      field,
    });
  }
  const after = await stack.db.orm.em.fork().getConnection().execute<{ n: string }[]>(`select count(*) as n from working_calendar_day`);
  expect(after[0]!.n).toBe(before[0]!.n);
  expect((await as.public(QUERY, { year: 2028 })).data!.workingCalendar.source).toBe('NONE');
  expect(refusal(await as.public(QUERY, { year: 99999 }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'year' });
});

test('should tell every running campaign of a loaded year, skipping closed ones and ones whose workflow is gone', async () => {
  // A campaign workflow nobody polls for: it runs, and its history shows what it was sent.
  const running = `campaign/${randomUUID()}`;
  const handle = await stack.env.client.workflow.start('campaignWorkflow', { taskQueue: 'calendar-test-unpolled', workflowId: running, args: [] });
  const campaigns = [
    [running, 'SELF_EVALUATION'],
    [`campaign/${randomUUID()}`, 'SECTOR_REVIEW'], // its workflow is gone
    [`campaign/${randomUUID()}`, 'CLOSED'],
  ];
  for (const [workflowId, stage] of campaigns) {
    await stack.db.orm.em.fork().execute(
      `insert into campaign (id, workflow_id, name, kind, starts_on, ends_on, year, district_region_id, district_code, stage, overdue_clocks, deadlines, inspections, dimensions, profile_id, profile_version)
       values (?, ?, '麒麟区安全生产专项整治三年行动 ' || ?, 'THREE_YEAR', '2024-01-01', '2026-12-31', 2026, ?, '530302', ?, '{}', '{}', '[]', '{}', 'haimen', '2022-17')`,
      [randomUUID(), workflowId, workflowId, stack.world.regions.qilin, stage],
    );
  }
  try {
    const loaded = await as['yunnan-admin'](LOAD, { in: notice2027() });
    expect(loaded.errors).toBeUndefined();
    expect(loaded.data!.loadWorkingCalendar.campaignsNotified).toBe(1);

    const { events } = await handle.fetchHistory();
    const signals = (events ?? []).flatMap((e) => (e.workflowExecutionSignaledEventAttributes ? [e.workflowExecutionSignaledEventAttributes] : []));
    expect(signals.map((s) => s.signalName)).toEqual(['calendarLoaded']);
    const sent = defaultPayloadConverter.fromPayload<{ calendar: WorkingCalendar }>(signals[0]!.input!.payloads![0]!);
    expect(sent.calendar.years).toHaveLength(1);
    expect(sent.calendar.years[0]).toMatchObject({ year: 2027, source: 'LOADED', notice: '国办发明电〔2026〕12号' });
    expect(sent.calendar.years[0]!.workdays).toEqual(['2027-02-13', '2027-10-09']);
  } finally {
    await handle.terminate('test over');
  }
});
