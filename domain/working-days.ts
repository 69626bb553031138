// China's working-day calendar as data: public holidays and make-up working days (调休) per year. Pure: the data is
// loaded by an activity (or before a workflow starts) from the project's calendar table and the `chinese-days`
// library, and travels in workflow state; these functions only count over it.

export interface CalendarYear {
  year: number;
  /** LOADED: an office loaded the State Council notice (table `working_calendar_day`); LIBRARY: `chinese-days`. */
  source: 'LOADED' | 'LIBRARY';
  /** Days off that fall on weekdays or weekends (China dates, YYYY-MM-DD). */
  holidays: string[];
  /** Weekend days that are working days (调休上班). */
  workdays: string[];
  /** The notice it was loaded from, when LOADED. */
  notice?: string;
}

/** The years a calendar knows. A year absent here counts weekends only, and deadlines in it are provisional. */
export interface WorkingCalendar {
  years: CalendarYear[];
}

export const EMPTY_CALENDAR: WorkingCalendar = { years: [] };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether `value` is a real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

function dayNumber(date: string): number {
  if (!isCalendarDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${String(date)}`);
  return Date.parse(`${date}T00:00:00.000Z`) / DAY_MS;
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The year a YYYY-MM-DD date falls in. */
export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/** `date` moved by `days` calendar days (negative: earlier). */
export function addCalendarDays(date: string, days: number): string {
  return dateOf(dayNumber(date) + days);
}

/** Saturday or Sunday. */
export function isWeekend(date: string): boolean {
  const weekday = new Date(dayNumber(date) * DAY_MS).getUTCDay();
  return weekday === 0 || weekday === 6;
}

interface YearLookup {
  holidays: Set<string>;
  workdays: Set<string>;
}

// Calendars travel in workflow state and are read many times per recomputation; the sets are derived once per
// calendar object (a WeakMap is deterministic, and a merged calendar is a new object).
const lookups = new WeakMap<WorkingCalendar, Map<number, YearLookup>>();

function lookupOf(cal: WorkingCalendar, year: number): YearLookup | undefined {
  let byYear = lookups.get(cal);
  if (!byYear) {
    byYear = new Map();
    for (const y of cal.years) byYear.set(y.year, { holidays: new Set(y.holidays), workdays: new Set(y.workdays) });
    lookups.set(cal, byYear);
  }
  return byYear.get(year);
}

/** Whether the calendar holds the State Council's arrangement for `year` (else its deadlines are provisional). */
export function calendarCovers(cal: WorkingCalendar, year: number): boolean {
  return cal.years.some((y) => y.year === year);
}

/**
 * A working day: a make-up working day (调休上班) of a known year, or a weekday that is not a public holiday.
 * In a year the calendar does not hold, Saturdays and Sundays are the only days off.
 */
export function isWorkingDay(cal: WorkingCalendar, date: string): boolean {
  const known = lookupOf(cal, yearOf(date));
  if (known?.workdays.has(date)) return true;
  if (known?.holidays.has(date)) return false;
  return !isWeekend(date);
}

// Long holidays are at most nine days and weekends two; no real calendar has a year without working days, but a
// loaded year is data, so the walk is bounded rather than trusted.
const MAX_WALK = 400;

/** `date` itself when it is a working day, else the first working day after it (a deadline rolls forward). */
export function nextWorkingDay(cal: WorkingCalendar, date: string): string {
  let day = dayNumber(date);
  for (let i = 0; i <= MAX_WALK; i++, day++) {
    const d = dateOf(day);
    if (isWorkingDay(cal, d)) return d;
  }
  throw new RangeError(`no working day within ${MAX_WALK} days of ${date}`);
}

/**
 * The `n`th working day after `date` (n > 0) or before it (n < 0; -7 is the 7th working day before); `date`
 * itself, whatever it is, when n is 0. `date` is never counted.
 */
export function addWorkingDays(cal: WorkingCalendar, date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`working days must be a whole number: ${n}`);
  const step = n < 0 ? -1 : 1;
  let day = dayNumber(date);
  let left = Math.abs(n);
  let walked = 0;
  while (left > 0) {
    day += step;
    if (++walked > MAX_WALK + Math.abs(n) * 7) throw new RangeError(`no ${n} working days from ${date}`);
    if (isWorkingDay(cal, dateOf(day))) left--;
  }
  return dateOf(day);
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(cal: WorkingCalendar, from: string, to: string): number {
  const end = dayNumber(to);
  let count = 0;
  for (let day = dayNumber(from) + 1; day <= end; day++) if (isWorkingDay(cal, dateOf(day))) count++;
  return count;
}

/** The calendar with `year` added, or replacing the year it already holds; years stay in order. */
export function mergeCalendar(cal: WorkingCalendar, year: CalendarYear): WorkingCalendar {
  const years = cal.years.filter((y) => y.year !== year.year).concat(year);
  years.sort((a, b) => a.year - b.year);
  return { years };
}

/** The calendar with every year of `loaded` merged in (what `calendarLoadedSignal` carries: the years just loaded). */
export function mergeCalendars(cal: WorkingCalendar, loaded: WorkingCalendar): WorkingCalendar {
  return loaded.years.reduce(mergeCalendar, cal);
}

/** A day of a State Council notice, as loaded into the calendar table: its name is the festival (春节, 国庆节). */
export interface CalendarDay {
  date: string;
  name: string;
}

/** The shape of `chinese-days`' data file (dist/chinese-days.json): date → "English,中文,n" per map. */
export interface LibraryCalendarData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/** The festival's Chinese name from a `chinese-days` value ("Spring Festival,春节,4" → 春节). */
export function libraryDayName(value: string): string {
  const parts = value.split(',');
  return (parts[1] ?? parts[0] ?? '').trim();
}

/** One year's days off and make-up working days from the library data, or undefined when it does not have the year. */
export function libraryCalendarDays(data: LibraryCalendarData, year: number): { holidays: CalendarDay[]; workdays: CalendarDay[] } | undefined {
  const inYear = (map: Record<string, string>): CalendarDay[] =>
    Object.entries(map)
      .filter(([date]) => isCalendarDate(date) && yearOf(date) === year)
      .map(([date, value]) => ({ date, name: libraryDayName(value) }))
      .sort((a, b) => a.date.localeCompare(b.date));
  const holidays = inYear(data.holidays);
  if (holidays.length === 0) return undefined;
  return { holidays, workdays: inYear(data.workdays) };
}

/** The library's arrangement for `year` as calendar data (source LIBRARY), or undefined when it does not have the year. */
export function libraryCalendarYear(data: LibraryCalendarData, year: number): CalendarYear | undefined {
  const days = libraryCalendarDays(data, year);
  return days && { year, source: 'LIBRARY', holidays: days.holidays.map((d) => d.date), workdays: days.workdays.map((d) => d.date) };
}

/**
 * Why a year's arrangement cannot be loaded, as [field, problem] pairs (empty when it can): every date a real date
 * inside the year, at least one day off, no date listed twice or both off and working, and make-up working days on
 * weekends only (the notice moves weekend days; a weekday is a working day already).
 */
/** At most this many days off (or make-up working days) in one year's notice; a real one has about 30 (and 6). */
export const MAX_CALENDAR_DAYS = 100;
/** Longest name of a festival (春节, 中秋节、国庆节). */
export const MAX_DAY_NAME = 50;

export function calendarYearProblems(input: { year: number; holidays: CalendarDay[]; workdays: CalendarDay[] }): [string, string][] {
  const problems: [string, string][] = [];
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100) problems.push(['year', 'must be a year from 2000 to 2100']);
  if (input.holidays.length === 0) problems.push(['holidays', 'must list at least one day off']);
  const seen = new Map<string, string>();
  const check = (list: 'holidays' | 'workdays', days: CalendarDay[]): void => {
    if (days.length > MAX_CALENDAR_DAYS) return void problems.push([list, `must list at most ${MAX_CALENDAR_DAYS} days`]);
    days.forEach((day, i) => {
      const field = `${list}[${i}].date`;
      if (!isCalendarDate(day.date)) return void problems.push([field, 'must be a date written YYYY-MM-DD']);
      if (yearOf(day.date) !== input.year) return void problems.push([field, `must fall in ${input.year}`]);
      const before = seen.get(day.date);
      if (before === list) return void problems.push([field, `lists ${day.date} twice`]);
      if (before) return void problems.push([field, `${day.date} cannot be both a day off and a working day`]);
      seen.set(day.date, list);
      if (list === 'workdays' && !isWeekend(day.date)) problems.push([field, `${day.date} is a weekday, a working day already`]);
      if (!day.name.trim()) problems.push([`${list}[${i}].name`, 'must not be empty']);
      else if (day.name.length > MAX_DAY_NAME) problems.push([`${list}[${i}].name`, `must be at most ${MAX_DAY_NAME} characters`]);
    });
  };
  check('holidays', input.holidays);
  check('workdays', input.workdays);
  return problems;
}
