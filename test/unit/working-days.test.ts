import { createRequire } from 'node:module';
import fc from 'fast-check';
import {
  addCalendarDays,
  addWorkingDays,
  calendarCovers,
  calendarYearProblems,
  EMPTY_CALENDAR,
  isCalendarDate,
  isWorkingDay,
  libraryCalendarDays,
  libraryCalendarYear,
  mergeCalendar,
  nextWorkingDay,
  workingDaysBetween,
  type CalendarYear,
  type LibraryCalendarData,
  type WorkingCalendar,
} from '../../domain/working-days.js';

// The maintained calendar (chinese-days), as the activity reads it.
const library = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as LibraryCalendarData;
const year2026 = libraryCalendarYear(library, 2026)!;
const cal: WorkingCalendar = { years: [year2026] };

describe('the 2026 arrangement (国务院办公厅关于2026年部分节假日安排的通知)', () => {
  test('should hold Spring Festival 15-23 Feb off and 14 and 28 Feb as make-up working days in the library data', () => {
    for (let d = 15; d <= 23; d++) expect(year2026.holidays).toContain(`2026-02-${d}`);
    expect(year2026.workdays).toEqual(expect.arrayContaining(['2026-02-14', '2026-02-28']));
    expect(year2026.workdays).toEqual(expect.arrayContaining(['2026-09-20', '2026-10-10']));
    expect(libraryCalendarDays(library, 2026)!.holidays.find((d) => d.date === '2026-02-17')?.name).toBe('春节');
  });

  test.each([
    { date: '2026-02-13', working: true, why: 'a Friday before the holiday' },
    { date: '2026-02-14', working: true, why: 'a Saturday worked in lieu (调休上班)' },
    { date: '2026-02-16', working: false, why: 'a Monday of the Spring Festival holiday' },
    { date: '2026-02-23', working: false, why: 'the last day of the holiday, a Monday' },
    { date: '2026-02-24', working: true, why: 'the first working day after it' },
    { date: '2026-02-28', working: true, why: 'the second make-up Saturday' },
    { date: '2026-03-01', working: false, why: 'an ordinary Sunday' },
    { date: '2026-10-01', working: false, why: 'National Day, a Thursday' },
    { date: '2026-10-10', working: true, why: 'the make-up Saturday after National Day' },
  ])('should count $date as working=$working ($why)', ({ date, working }) => {
    expect(isWorkingDay(cal, date)).toBe(working);
  });

  test('should roll a deadline that falls in a holiday forward to the next working day', () => {
    expect(nextWorkingDay(cal, '2026-02-15')).toBe('2026-02-24');
    expect(nextWorkingDay(cal, '2026-02-14')).toBe('2026-02-14');
    expect(nextWorkingDay(cal, '2026-10-03')).toBe('2026-10-08');
    expect(nextWorkingDay(cal, '2026-03-01')).toBe('2026-03-02');
  });

  // 002 §10(五): an extension is asked for no later than 7 working days before the deadline.
  test('should find the 7th working day before a deadline across Spring Festival', () => {
    expect(addWorkingDays(cal, '2026-03-02', -7)).toBe('2026-02-13');
    // with weekends only, the same count lands in the holiday
    expect(addWorkingDays(EMPTY_CALENDAR, '2026-03-02', -7)).toBe('2026-02-19');
  });

  test('should step over holidays and onto make-up days when adding working days', () => {
    expect(addWorkingDays(cal, '2026-02-13', 1)).toBe('2026-02-14');
    expect(addWorkingDays(cal, '2026-02-14', 1)).toBe('2026-02-24');
    expect(addWorkingDays(cal, '2026-09-30', 1)).toBe('2026-10-08');
    expect(addWorkingDays(cal, '2026-10-09', 1)).toBe('2026-10-10');
    expect(addWorkingDays(cal, '2026-10-05', 0)).toBe('2026-10-05');
  });

  test('should count the working days after one date up to and including another', () => {
    expect(workingDaysBetween(cal, '2026-02-13', '2026-02-28')).toBe(6);
    expect(workingDaysBetween(EMPTY_CALENDAR, '2026-02-13', '2026-02-28')).toBe(10);
    expect(workingDaysBetween(cal, '2026-09-19', '2026-09-20')).toBe(1);
    expect(workingDaysBetween(cal, '2026-02-28', '2026-02-13')).toBe(0);
  });
});

describe('a year the calendar does not hold', () => {
  test('should count only weekends as days off, so deadlines in it are provisional', () => {
    expect(calendarCovers(cal, 2026)).toBe(true);
    expect(calendarCovers(cal, 2027)).toBe(false);
    expect(libraryCalendarYear(library, 2027)).toBeUndefined();
    // 2027-02-08 is a Monday of the 2027 Spring Festival, unknown until its notice is loaded
    expect(isWorkingDay(cal, '2027-02-08')).toBe(true);
    expect(isWorkingDay(cal, '2027-02-06')).toBe(false);
    expect(addWorkingDays(cal, '2026-12-31', 1)).toBe('2027-01-01');
  });

  test('should take a loaded year into account once merged, replacing what was there', () => {
    const notice2027: CalendarYear = {
      year: 2027,
      source: 'LOADED',
      notice: '国办发明电〔2026〕7号',
      holidays: ['2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'],
      workdays: ['2027-02-13'],
    };
    const merged = mergeCalendar(cal, notice2027);
    expect(merged.years.map((y) => y.year)).toEqual([2026, 2027]);
    expect(isWorkingDay(merged, '2027-02-08')).toBe(false);
    expect(isWorkingDay(merged, '2027-02-13')).toBe(true);
    expect(nextWorkingDay(merged, '2027-02-06')).toBe('2027-02-13');
    // the calendar it came from is data in a workflow's state: left as it was
    expect(isWorkingDay(cal, '2027-02-08')).toBe(true);

    const replaced = mergeCalendar(merged, { ...notice2027, holidays: ['2027-02-08'], workdays: [] });
    expect(replaced.years).toHaveLength(2);
    expect(isWorkingDay(replaced, '2027-02-09')).toBe(true);
    expect(isWorkingDay(replaced, '2027-02-08')).toBe(false);
  });
});

describe('every year of the library', () => {
  const years = Array.from({ length: 23 }, (_, i) => 2004 + i);
  const full: WorkingCalendar = { years: years.map((y) => libraryCalendarYear(library, y)!) };

  test('should have data for 2004 to 2026', () => {
    expect(full.years.every(Boolean)).toBe(true);
  });

  test('should agree between adding and counting working days, and roll forward onto a working day', () => {
    const day = fc.integer({ min: 0, max: 22 * 365 }).map((n) => addCalendarDays('2004-01-01', n));
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 60 }), (date, n) => {
        const later = addWorkingDays(full, date, n);
        expect(workingDaysBetween(full, date, later)).toBe(n);
        expect(isWorkingDay(full, later)).toBe(true);
        // back again: the last working day on or before the start
        const back = addWorkingDays(full, later, -n);
        expect(back <= date && isWorkingDay(full, back) && workingDaysBetween(full, back, date) === 0).toBe(true);
        const rolled = nextWorkingDay(full, date);
        expect(isWorkingDay(full, rolled)).toBe(true);
        expect(workingDaysBetween(full, date, addCalendarDays(rolled, -1))).toBe(0);
      }),
    );
  });
});

describe('calendarYearProblems', () => {
  const base = {
    year: 2027,
    holidays: [{ date: '2027-02-08', name: '春节' }],
    workdays: [{ date: '2027-02-13', name: '春节' }],
  };

  test('should accept a notice with days off and weekend make-up days inside its year', () => {
    expect(calendarYearProblems(base)).toEqual([]);
  });

  test.each([
    { why: 'no day off', change: { holidays: [] }, field: 'holidays' },
    { why: 'no such date', change: { holidays: [{ date: '2027-02-30', name: '春节' }] }, field: 'holidays[0].date' },
    { why: 'a date of another year', change: { holidays: [{ date: '2026-12-31', name: '元旦' }] }, field: 'holidays[0].date' },
    { why: 'a day both off and worked', change: { workdays: [{ date: '2027-02-08', name: '春节' }] }, field: 'workdays[0].date' },
    // 2027-02-10 is a Wednesday: a weekday needs no make-up
    { why: 'a weekday as make-up day', change: { workdays: [{ date: '2027-02-10', name: '春节' }] }, field: 'workdays[0].date' },
    { why: 'a day listed twice', change: { holidays: [base.holidays[0]!, base.holidays[0]!] }, field: 'holidays[1].date' },
    { why: 'a blank name', change: { holidays: [{ date: '2027-02-08', name: ' ' }] }, field: 'holidays[0].name' },
    { why: 'a year out of range', change: { year: 1999 }, field: 'year' },
  ])('should refuse $why at $field', ({ change, field }) => {
    expect(calendarYearProblems({ ...base, ...change }).map(([f]) => f)).toContain(field);
  });

  test('should know a real date from a malformed one', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2027-02-29')).toBe(false);
    expect(isCalendarDate('2027-2-8')).toBe(false);
  });
});
