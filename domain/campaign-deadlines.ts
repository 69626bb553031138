// The clocks of a campaign's evaluation (002 §8-§11, §10(五)): last days counted in calendar days and rolled off
// days that are not working days, extensions, and the timed events (the campaign's end, reminders, overdue).
// Pure: the working-day calendar is data in the campaign's state.
import { addMonths, chinaDate, chinaMidnight } from './calendar.js';
import type { CampaignCase, CampaignClock, CampaignRuleProfile, CampaignState, Deadline, ExtensionRequest } from './campaign.js';
import { CAMPAIGN_CLOCKS } from './campaign.js';
import { addCalendarDays, addWorkingDays, calendarCovers, nextWorkingDay, yearOf, type WorkingCalendar } from './working-days.js';

const DAY_MS = 86_400_000;

/** A China date `days` calendar days later (or earlier). */
export const plusDays = addCalendarDays;

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The instant a China date ends (the next day's China midnight): a deadline's timer counts to it. */
export function endOfChinaDay(date: string): string {
  return chinaMidnight(plusDays(date, 1)).toISOString();
}

/** The instant the campaign ends: the end of its last day in China. Its evaluation starts then (002 §8). */
export function campaignEndsAt(c: Pick<CampaignCase, 'endsOn'>): string {
  return endOfChinaDay(c.endsOn);
}

/** The year the campaign's grades count for: the year it ends (002 §14). */
export function campaignYear(c: Pick<CampaignCase, 'endsOn'>): number {
  return yearOf(c.endsOn);
}

/**
 * 002 §13: a campaign of a year or more ("一年以上（包括一年）") runs all five stages. Both days count: 1 January
 * to 31 December is one year.
 */
export function isFullPath(c: Pick<CampaignCase, 'startsOn' | 'endsOn'> & { profile: Pick<CampaignRuleProfile, 'fullPathMinMonths'> }): boolean {
  const fullFrom = chinaDate(addMonths(chinaMidnight(c.startsOn), c.profile.fullPathMinMonths));
  return fullFrom <= plusDays(c.endsOn, 1);
}

function latestApproved(extensions: readonly ExtensionRequest[], clock: CampaignClock): string | null {
  let until: string | null = null;
  for (const e of extensions) {
    if (e.clock === clock && e.decision?.approved && (until === null || e.untilOn > until)) until = e.untilOn;
  }
  return until;
}

/**
 * The four deadlines of a campaign (002 §8(一) 10 days and §9(四) 30 days after the end; §10(五) 30 days after the
 * self-evaluation's; §11(四) 30 days after the sector review's; the short path's own assessment keeps the last
 * clock). A last day that is not a working day rolls forward to the next working day. An approved extension sets
 * its clock's last day (never earlier than the rule's), and the clocks counted from it follow. A deadline is
 * provisional while a year it is counted in has no calendar, or while the deadline it counts from is.
 */
export function campaignDeadlines(c: Pick<CampaignCase, 'endsOn' | 'profile'>, calendar: WorkingCalendar, extensions: readonly ExtensionRequest[] = []): Deadline[] {
  const p = c.profile;
  const make = (clock: CampaignClock, base: string, from: Deadline | null): Deadline => {
    const byRule = nextWorkingDay(calendar, base);
    const until = latestApproved(extensions, clock);
    const extended = until === null ? byRule : nextWorkingDay(calendar, until);
    const dueOn = extended > byRule ? extended : byRule;
    const raw = dueOn === byRule ? base : (until as string);
    const provisional = !calendarCovers(calendar, yearOf(raw)) || !calendarCovers(calendar, yearOf(dueOn)) || (dueOn === byRule && Boolean(from?.provisional));
    return { clock, dueOn, dueAt: endOfChinaDay(dueOn), provisional, extendedDays: daysBetween(byRule, dueOn) };
  };
  const preparation = make('PREPARATION', plusDays(c.endsOn, p.preparationDays), null);
  const self = make('SELF_EVALUATION', plusDays(c.endsOn, p.selfEvaluationDays), null);
  const sector = make('SECTOR_REVIEW', plusDays(self.dueOn, p.sectorReviewDays), self);
  const assessment = make('ASSESSMENT', plusDays(sector.dueOn, p.assessmentDays), sector);
  return [preparation, self, sector, assessment];
}

export function deadlineOf(state: Pick<CampaignState, 'deadlines'>, clock: CampaignClock): Deadline {
  const deadline = state.deadlines.find((d) => d.clock === clock);
  if (!deadline) throw new Error(`campaign has no ${clock} deadline`);
  return deadline;
}

/** 002 §10(五): the last China date an extension of this deadline may be asked for ("提前7个工作日"). */
export function lastDayToRequestExtension(deadline: Pick<Deadline, 'dueOn'>, calendar: WorkingCalendar, noticeWorkingDays = 7): string {
  return addWorkingDays(calendar, deadline.dueOn, -noticeWorkingDays);
}

/**
 * 002 §10(五): an extension is asked for at least 7 working days before the deadline: on a day no later than the
 * last day minus 7 working days, holidays and make-up working days (调休) counted as the calendar says.
 */
export function canRequestExtension(deadline: Pick<Deadline, 'dueOn'>, requestedOn: string, calendar: WorkingCalendar, noticeWorkingDays = 7): boolean {
  return requestedOn <= lastDayToRequestExtension(deadline, calendar, noticeWorkingDays);
}

/** Whether a clock's work is done: its stage's result is in (approved where an approval is needed). */
export function clockDone(state: CampaignState, clock: CampaignClock): boolean {
  if (state.stage === 'CLOSED') return true;
  switch (clock) {
    case 'PREPARATION':
      return Boolean(state.preparation);
    case 'SELF_EVALUATION':
      return state.stage !== 'WAITING_FOR_END' && state.stage !== 'PREPARATION' && state.towns.every((t) => t.approvedAt);
    case 'SECTOR_REVIEW':
      return ['COMPREHENSIVE_ASSESSMENT', 'LEAD_ASSESSMENT', 'FOLLOW_UP'].includes(state.stage);
    case 'ASSESSMENT':
      return state.assessment?.status === 'APPROVED' || state.assessment?.status === 'FILED';
  }
}

/** The clocks still running (their deadline may have passed already). */
export function openClocks(state: CampaignState): CampaignClock[] {
  return CAMPAIGN_CLOCKS.filter((clock) => !clockDone(state, clock));
}

/** The soonest deadline whose work is not done (passed ones included), or null when none is open. */
export function nextDueAt(state: CampaignState): string | null {
  const open = new Set(openClocks(state));
  const due = state.deadlines.filter((d) => open.has(d.clock)).map((d) => d.dueAt);
  return due.length ? due.reduce((a, b) => (a < b ? a : b)) : null;
}

/** Units whose own part of a clock is not done: towns for the self-evaluation, sectors for the sector review. */
export function unitsBehind(state: CampaignState, clock: CampaignClock): string[] {
  if (clock === 'SELF_EVALUATION') return state.towns.filter((t) => !t.approvedAt).map((t) => t.unit);
  if (clock === 'SECTOR_REVIEW') return state.sectors.filter((s) => !s.approvedAt).map((s) => s.unit);
  return [];
}

export interface CampaignEvent {
  /** Unique per deadline date: a moved deadline (extension, calendar) gets fresh reminders and overdue checks. */
  key: string;
  at: string;
  kind: 'CAMPAIGN_ENDS' | 'REMINDER' | 'OVERDUE';
  /** Null for the campaign's end. */
  clock: CampaignClock | null;
  /** The instant the deadline (or the campaign) ends. */
  deadline: string;
  /** OVERDUE of the self-evaluation or the sector review: the towns or sectors not approved, which it marks. */
  units: string[];
}

/** Every timed event still ahead of the campaign, earliest first. */
export function campaignDeadlineEvents(state: CampaignState): CampaignEvent[] {
  if (state.stage === 'CLOSED') return [];
  const events: CampaignEvent[] = [];
  if (state.stage === 'WAITING_FOR_END') {
    const endsAt = campaignEndsAt(state.case);
    events.push({ key: 'campaign-ends', at: endsAt, kind: 'CAMPAIGN_ENDS', clock: null, deadline: endsAt, units: [] });
  }
  for (const clock of openClocks(state)) {
    const d = deadlineOf(state, clock);
    const units = unitsBehind(state, clock);
    for (const days of state.case.profile.reminderDaysBefore) {
      const at = new Date(Date.parse(d.dueAt) - days * DAY_MS).toISOString();
      events.push({ key: `${clock}-reminder-${days}d@${d.dueOn}`, at, kind: 'REMINDER', clock, deadline: d.dueAt, units });
    }
    events.push({ key: `${clock}-overdue@${d.dueOn}`, at: d.dueAt, kind: 'OVERDUE', clock, deadline: d.dueAt, units });
  }
  const fired = new Set(state.firedDeadlines);
  return events.filter((e) => !fired.has(e.key)).sort((a, b) => a.at.localeCompare(b.at) || a.key.localeCompare(b.key));
}

/**
 * The events due at `now`, and those to announce: of several reminders of one clock due together (a campaign
 * registered late, a worker down for a while) only the last, and none once the clock is overdue.
 */
export function dueCampaignEvents(state: CampaignState, now: Date): { due: CampaignEvent[]; announce: CampaignEvent[] } {
  const due = campaignDeadlineEvents(state).filter((e) => Date.parse(e.at) <= now.getTime());
  const announce = due.filter((e) => {
    if (e.kind !== 'REMINDER') return true;
    const overdueNow = due.some((o) => o.kind === 'OVERDUE' && o.clock === e.clock);
    const laterReminder = due.some((o) => o.kind === 'REMINDER' && o.clock === e.clock && o.at > e.at);
    return !overdueNow && !laterReminder;
  });
  return { due, announce };
}

/** Who a campaign event is addressed to: names of offices, departments and towns (never persons). */
export function campaignEventRecipients(state: CampaignState, event: CampaignEvent): string[] {
  const c = state.case;
  const leads = [...new Set(c.sectors.map((s) => s.leadDepartmentName))];
  // An overdue stage is also reported to the safety office, which oversees every clock (002 §3).
  const withOffice = (names: string[]): string[] => (event.kind === 'OVERDUE' && !names.includes(c.officeName) ? [...names, c.officeName] : names);
  return withOffice(responsible());
  function responsible(): string[] {
    switch (event.clock) {
      case null:
      case 'PREPARATION':
        return leads;
      case 'SELF_EVALUATION':
        return c.towns.filter((t) => event.units.includes(t.regionCode)).map((t) => t.name);
      case 'SECTOR_REVIEW':
        return [...new Set(c.sectors.filter((s) => event.units.includes(s.sector)).map((s) => s.leadDepartmentName))];
      case 'ASSESSMENT':
        return state.fullPath ? [c.officeName] : leads;
    }
  }
}
