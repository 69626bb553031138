// Reads the working-day calendar for workflows and the API: a year an office loaded (table `working_calendar_year`)
// wins, else the maintained `chinese-days` data, else the year is absent and its deadlines provisional. Workflows
// never look this up themselves; they get it as data (at the start, or by `calendarLoadedSignal`).
import { createRequire } from 'node:module';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  libraryCalendarDays,
  type CalendarDay,
  type CalendarYear,
  type LibraryCalendarData,
  type WorkingCalendar,
} from '../domain/working-days.js';
import type { Orm } from '../infra/orm.js';
import type { ActivityDeps } from './index.js';

let library: LibraryCalendarData | undefined;

/** The `chinese-days` data file (public holidays and make-up working days of 2004 onward), read once. */
export function libraryCalendarData(): LibraryCalendarData {
  library ??= createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as LibraryCalendarData;
  return library;
}

/** Where a year's arrangement comes from: loaded by an office, the library, or nowhere (deadlines provisional). */
export type CalendarSource = CalendarYear['source'] | 'NONE';

/** One year as the `workingCalendar` query shows it: the days with their festival names, and where they come from. */
export interface CalendarYearDetail {
  year: number;
  source: CalendarSource;
  notice: string | null;
  loadedAt: Date | null;
  holidays: CalendarDay[];
  workdays: CalendarDay[];
}

interface YearRow {
  year: number;
  notice: string;
  loaded_at: Date;
}

interface DayRow {
  date: string;
  year: number;
  kind: 'HOLIDAY' | 'WORKDAY';
  name: string;
}

/** Loaded years among `years`, with their days, in two statements. */
async function loadedYears(em: EntityManager, years: number[]): Promise<Map<number, CalendarYearDetail>> {
  const found = new Map<number, CalendarYearDetail>();
  if (years.length === 0) return found;
  // em.execute runs inside the caller's transaction, when there is one (the admin mutation reads under its lock).
  const rows = await em.execute<YearRow[]>(`select year, notice, loaded_at from working_calendar_year where year = any(?::int[])`, [`{${years.join(',')}}`]);
  if (rows.length === 0) return found;
  for (const r of rows) found.set(r.year, { year: r.year, source: 'LOADED', notice: r.notice, loadedAt: new Date(r.loaded_at), holidays: [], workdays: [] });
  const days = await em.execute<DayRow[]>(
    `select to_char(date, 'YYYY-MM-DD') as date, year, kind, name from working_calendar_day where year = any(?::int[]) order by date`,
    [`{${rows.map((r) => r.year).join(',')}}`],
  );
  for (const d of days) {
    const year = found.get(d.year)!;
    (d.kind === 'HOLIDAY' ? year.holidays : year.workdays).push({ date: d.date, name: d.name });
  }
  return found;
}

function wholeYears(years: readonly number[]): number[] {
  return [...new Set(years.filter((y) => Number.isInteger(y) && y >= 1 && y <= 9999))].sort((a, b) => a - b);
}

/** Each year's arrangement with names and source: loaded, else the library's, else NONE (no days). */
export async function readCalendarYears(em: EntityManager, years: readonly number[]): Promise<CalendarYearDetail[]> {
  const wanted = wholeYears(years);
  const loaded = await loadedYears(em, wanted);
  return wanted.map((year) => {
    const own = loaded.get(year);
    if (own) return own;
    const days = libraryCalendarDays(libraryCalendarData(), year);
    return days
      ? { year, source: 'LIBRARY', notice: null, loadedAt: null, ...days }
      : { year, source: 'NONE', notice: null, loadedAt: null, holidays: [], workdays: [] };
  });
}

/** A year's detail as the calendar data workflows count over (undefined when no source has it). */
export function calendarYearOf(detail: CalendarYearDetail): CalendarYear | undefined {
  if (detail.source === 'NONE') return undefined;
  return {
    year: detail.year,
    source: detail.source,
    holidays: detail.holidays.map((d) => d.date),
    workdays: detail.workdays.map((d) => d.date),
    ...(detail.notice ? { notice: detail.notice } : {}),
  };
}

/**
 * The working-day calendar for `years` (the years a campaign's deadlines may fall in), as workflow state holds
 * it. Years neither loaded nor in the library are left out: their deadlines count weekends only, provisionally.
 * The API calls this before it starts a workflow.
 */
export async function readWorkingCalendar(db: EntityManager | Orm, years: readonly number[]): Promise<WorkingCalendar> {
  const details = await readCalendarYears('em' in db ? (db.em.fork() as EntityManager) : db, years);
  return { years: details.map(calendarYearOf).filter((y): y is CalendarYear => y !== undefined) };
}

export function createCalendarActivities(deps: ActivityDeps) {
  return {
    /** The working-day calendar for `years`, for a workflow that needs a year it does not hold. */
    async loadWorkingCalendar(input: { years: number[] }): Promise<WorkingCalendar> {
      return readWorkingCalendar(deps.orm, input.years);
    },
  };
}
