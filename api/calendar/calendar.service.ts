import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../../activities/audit.js';
import { readCalendarYears, calendarYearOf, type CalendarYearDetail } from '../../activities/calendar.js';
import { allow, allowingGrant, type Principal } from '../../domain/access.js';
import type { Actor } from '../../domain/evaluation.js';
import { badInput, DomainError } from '../../domain/errors.js';
import { singleLine } from '../../domain/intake.js';
import { checkAllText } from '../../domain/text.js';
import { calendarYearProblems, MAX_DAY_NAME, type CalendarDay, type WorkingCalendar } from '../../domain/working-days.js';
import { logger } from '../../infra/logger.js';
import { AuditEntry } from '../../schema/entities/audit.js';
import { calendarLoadedSignal } from '../../workflows/campaign/messages.js';

const log = logger('api.calendar');

// The working-day calendar: an office loads a year's State Council notice; running campaigns are told by signal and
// recompute their open deadlines. One transaction for the year; the signals go out after it commits.

/** The nation: the calendar is one for the whole system (domain/access.ts LOAD_WORKING_CALENDAR). */
const NATION = { regionCode: '000000' };

export interface CalendarNoticeDraft {
  year: number;
  notice: string;
  holidays: CalendarDay[];
  workdays: CalendarDay[];
}

export interface CalendarLoad {
  year: CalendarYearDetail;
  /** False when the year already held exactly this notice (nothing written; campaigns told again). */
  changed: boolean;
  campaignsNotified: number;
}

function authorizeLoad(principal: Principal): Actor {
  if (!allow(principal, 'LOAD_WORKING_CALENDAR', NATION)) {
    throw new DomainError(
      'FORBIDDEN',
      `${principal.name} may not load the working-day calendar: only an administrator or a safety office of a province may`,
    );
  }
  return { id: principal.id, name: principal.name, role: allowingGrant(principal, 'LOAD_WORKING_CALENDAR', NATION)?.role };
}

/** The notice as typed, normalised (names on one line), checked field by field; refused with the first problem. */
function checkedNotice(draft: CalendarNoticeDraft): CalendarNoticeDraft {
  checkAllText(draft);
  const notice = singleLine('notice', draft.notice);
  const days = (list: 'holidays' | 'workdays'): CalendarDay[] => {
    if (!Array.isArray(draft[list])) throw badInput(list, 'must be a list of days');
    return draft[list].map((d, i) => ({ date: typeof d.date === 'string' ? d.date.trim() : d.date, name: singleLine(`${list}[${i}].name`, d.name, MAX_DAY_NAME) }));
  };
  const checked = { year: draft.year, notice, holidays: days('holidays'), workdays: days('workdays') };
  const [problem] = calendarYearProblems(checked);
  if (problem) throw badInput(problem[0], problem[1]);
  checked.holidays.sort((a, b) => a.date.localeCompare(b.date));
  checked.workdays.sort((a, b) => a.date.localeCompare(b.date));
  return checked;
}

function sameNotice(detail: CalendarYearDetail, draft: CalendarNoticeDraft): boolean {
  const days = (list: CalendarDay[]) => JSON.stringify(list.map((d) => [d.date, d.name]));
  return (
    detail.source === 'LOADED' &&
    detail.notice === draft.notice &&
    days(detail.holidays) === days(draft.holidays) &&
    days(detail.workdays) === days(draft.workdays)
  );
}

// Loads of one year are serialised (the audit revision is the next after the last): a transaction-scoped lock.
const LOCK_SPACE = 'working-calendar';

/**
 * Replaces a year of the calendar with the State Council's notice, in one transaction with its audit entry
 * (subject 'working-calendar', id the year). Returns the year as stored and whether anything changed.
 */
export async function storeCalendarNotice(em: EntityManager, principal: Principal, draft: CalendarNoticeDraft): Promise<{ year: CalendarYearDetail; changed: boolean }> {
  const actor = authorizeLoad(principal);
  const notice = checkedNotice(draft);
  const changed = await em.fork().transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtext(?), ?)`, [LOCK_SPACE, notice.year]);
    const [before] = await readCalendarYears(tx, [notice.year]);
    if (before && sameNotice(before, notice)) return false;
    const at = new Date();
    await tx.execute(`delete from working_calendar_year where year = ?`, [notice.year], 'run');
    await tx.execute(
      `insert into working_calendar_year (year, notice, loaded_at, loaded_by) values (?, ?, ?, ?)`,
      [notice.year, notice.notice, at, actor.id],
      'run',
    );
    const rows = [...notice.holidays.map((d) => ({ ...d, kind: 'HOLIDAY' })), ...notice.workdays.map((d) => ({ ...d, kind: 'WORKDAY' }))];
    await tx.execute(
      `insert into working_calendar_day (date, year, kind, name)
       select d.date::date, ?, d.kind, d.name from jsonb_to_recordset(?::jsonb) as d(date text, kind text, name text)`,
      [notice.year, JSON.stringify(rows)],
      'run',
    );
    const last = await tx.findOne(AuditEntry, { subjectType: 'working-calendar', subjectId: String(notice.year) }, { orderBy: { revision: 'desc' }, fields: ['revision'] });
    const state = { year: notice.year, notice: notice.notice, holidays: notice.holidays, workdays: notice.workdays };
    await audit(
      tx,
      'working-calendar',
      String(notice.year),
      (last?.revision ?? 0) + 1,
      {
        actor,
        action: 'LOAD_WORKING_CALENDAR',
        stageBefore: before?.source ?? 'NONE',
        stageAfter: 'LOADED',
        at: at.toISOString(),
        payload: { ...state, replaced: before?.source === 'LOADED' ? before.notice : null },
      },
      state,
    );
    return true;
  });
  const [year] = await readCalendarYears(em.fork(), [notice.year]);
  return { year: year!, changed };
}

/** Workflow ids of the campaigns still running (read model: not CLOSED). */
export async function runningCampaignIds(em: EntityManager): Promise<string[]> {
  const rows = await em.execute<{ workflow_id: string }[]>(`select workflow_id from campaign where stage <> 'CLOSED' order by workflow_id`);
  return rows.map((r) => r.workflow_id);
}

// Signals go out a few at a time: a deployment has tens of campaigns, not thousands.
const SIGNAL_BATCH = 16;

/**
 * Tells every running campaign about the years just loaded (`calendarLoadedSignal`); each merges them into its
 * calendar and recomputes its open deadlines. A campaign whose workflow is gone is skipped and logged. Returns how
 * many were told.
 */
export async function tellRunningCampaigns(em: EntityManager, temporal: Client, calendar: WorkingCalendar): Promise<number> {
  const ids = await runningCampaignIds(em);
  let told = 0;
  for (let i = 0; i < ids.length; i += SIGNAL_BATCH) {
    const outcomes = await Promise.all(
      ids.slice(i, i + SIGNAL_BATCH).map(async (workflowId) => {
        try {
          await temporal.workflow.getHandle(workflowId).signal(calendarLoadedSignal, { calendar });
          return true;
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
          log.warn({ workflowId, years: calendar.years.map((y) => y.year) }, 'a running campaign has no running workflow; not told of the calendar');
          return false;
        }
      }),
    );
    told += outcomes.filter(Boolean).length;
  }
  return told;
}

/** The admin mutation: store the notice, then tell the running campaigns (again, when the same notice comes twice). */
export async function loadWorkingCalendar(em: EntityManager, temporal: Client, principal: Principal, draft: CalendarNoticeDraft): Promise<CalendarLoad> {
  const { year, changed } = await storeCalendarNotice(em, principal, draft);
  const loaded = calendarYearOf(year);
  const campaignsNotified = loaded ? await tellRunningCampaigns(em.fork(), temporal, { years: [loaded] }) : 0;
  log.info({ year: year.year, changed, campaignsNotified, by: principal.id }, 'working-day calendar loaded');
  return { year, changed, campaignsNotified };
}
