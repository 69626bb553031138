// The campaign's own stage machine (002 §7-§13): what each action needs, the state it leads to, the grades it
// records (002 §14-§16), and what access rules need to know of a campaign. Pure: `at` is the caller's clock.
import { chinaDate } from './calendar.js';
import {
  CAMPAIGN_CLOCKS,
  GRADES,
  lookBackWorkflowId,
  sectorWorkflowId,
  townWorkflowId,
  type Actor,
  type CampaignAction,
  type CampaignActionType,
  type CampaignCase,
  type CampaignClock,
  type CampaignStage,
  type CampaignState,
  type Grade,
  type GradeRecord,
  type UnitStatus,
} from './campaign.js';
import {
  campaignDeadlines,
  campaignEndsAt,
  campaignDeadlineEvents,
  canRequestExtension,
  clockDone,
  daysBetween,
  deadlineOf,
  isFullPath,
  lastDayToRequestExtension,
} from './campaign-deadlines.js';
import { CAMPAIGN_CAPS, coversEach, isoDate, list, oneOf, text } from './campaign-input.js';
import type { CampaignScope } from './access.js';
import type { Sector } from './case.js';
import { CAPS } from './caps.js';
import { badInput, invalidTransition } from './errors.js';
import { mergeCalendars, type CalendarYear, type WorkingCalendar } from './working-days.js';

/** The first state of a registered campaign: waiting for its end, or (registered late) already preparing. */
export function initialCampaignState(c: CampaignCase, calendar: WorkingCalendar, now: Date): CampaignState {
  const unit = (code: string, workflowId: string): UnitStatus => ({ unit: code, workflowId, overdue: false });
  return {
    case: c,
    stage: now.toISOString() >= campaignEndsAt(c) ? 'PREPARATION' : 'WAITING_FOR_END',
    revision: 1,
    fullPath: isFullPath(c),
    deadlines: campaignDeadlines(c, calendar),
    overdue: [],
    firedDeadlines: [],
    calendar,
    towns: c.towns.map((t) => unit(t.regionCode, townWorkflowId(c.campaignId, t.regionCode))),
    sectors: c.sectors.map((s) => unit(s.sector, sectorWorkflowId(c.campaignId, s.sector))),
    grades: [],
    extensions: [],
    plans: [],
    lookBacks: [],
    inspections: [],
  };
}

/** 002 §15-§16: 优 gives priority as an advanced collective; 差 is a one-vote veto on the unit and its head. */
export function gradeMarks(grade: Grade): { priority: boolean; veto: boolean } {
  return { priority: grade === 'EXCELLENT', veto: grade === 'POOR' };
}

export function gradeRecord(unitKind: GradeRecord['unitKind'], unit: string, sector: Sector, grade: Grade, at: Date): GradeRecord {
  return { unitKind, unit, sector, grade, ...gradeMarks(grade), gradedAt: at.toISOString() };
}

const CLOCK_STAGES: readonly CampaignStage[] = ['PREPARATION', 'SELF_EVALUATION', 'SECTOR_REVIEW', 'COMPREHENSIVE_ASSESSMENT', 'LEAD_ASSESSMENT'];
const OPEN_STAGES: readonly CampaignStage[] = ['WAITING_FOR_END', ...CLOCK_STAGES, 'FOLLOW_UP'];

const STAGES_OF: Record<CampaignActionType, readonly CampaignStage[]> = {
  // 002 §8: the plan and the leading group come first, once the campaign has ended.
  SUBMIT_PREPARATION: ['PREPARATION'],
  // 002 §10(五): an extension is asked for while a clock runs.
  REQUEST_EXTENSION: CLOCK_STAGES,
  DECIDE_EXTENSION: [...CLOCK_STAGES, 'FOLLOW_UP'],
  // 002 §11 (the office, full path); §13 (the lead department, short path).
  SUBMIT_ASSESSMENT: ['COMPREHENSIVE_ASSESSMENT', 'LEAD_ASSESSMENT'],
  // 002 §11(三): the district leader in charge approves the comprehensive assessment.
  RETURN_ASSESSMENT: ['COMPREHENSIVE_ASSESSMENT'],
  APPROVE_ASSESSMENT: ['COMPREHENSIVE_ASSESSMENT'],
  // 002 §12: follow-up.
  SUBMIT_RECTIFICATION_PLAN: ['FOLLOW_UP'],
  SCHEDULE_LOOK_BACK: ['FOLLOW_UP'],
  RECORD_INSPECTION: ['FOLLOW_UP'],
  CLOSE_FOLLOW_UP: ['FOLLOW_UP'],
  UNIT_SUBMITTED: ['SELF_EVALUATION', 'SECTOR_REVIEW'],
  UNIT_APPROVED: ['SELF_EVALUATION', 'SECTOR_REVIEW'],
  LOOK_BACK_DUE: ['FOLLOW_UP'],
  LOOK_BACK_RECORDED: ['FOLLOW_UP'],
  CALENDAR_LOADED: OPEN_STAGES,
  FIRE_DEADLINES: [...OPEN_STAGES, 'CLOSED'],
};

/**
 * Whether the campaign takes this action now, as far as its stage and the state of its assessment and
 * extensions go (the action's own fields are checked by `checkCampaignAction`). For `allowedActions`.
 */
export function canCampaignTransition(state: CampaignState, type: CampaignActionType): boolean {
  if (!STAGES_OF[type].includes(state.stage)) return false;
  const a = state.assessment;
  switch (type) {
    case 'SUBMIT_ASSESSMENT':
      return state.stage === 'LEAD_ASSESSMENT' ? !a : !a || a.status === 'RETURNED';
    case 'RETURN_ASSESSMENT':
    case 'APPROVE_ASSESSMENT':
      return a?.status === 'AWAITING_APPROVAL';
    case 'DECIDE_EXTENSION':
      return state.extensions.some((e) => !e.decision);
    default:
      return true;
  }
}

const today = (at: Date): string => chinaDate(at);

function towns(state: CampaignState): string[] {
  return state.case.towns.map((t) => t.regionCode);
}

function sectorScopeOf(state: CampaignState, sector: string) {
  return state.case.sectors.find((s) => s.sector === sector);
}

function checkGrades(field: string, expected: string[], given: unknown, key: 'sector' | 'townCode', what: string): void {
  list(field, given, expected.length, 'grades');
  coversEach(field, expected, given as Record<string, unknown>[], (g) => g?.[key], what);
  (given as { grade: unknown }[]).forEach((g, i) => oneOf(`${field}[${i}].grade`, g.grade, GRADES));
}

function checkSubReports(field: string, expected: string[], given: unknown, what: string): void {
  list(field, given, expected.length, 'sub-reports');
  coversEach(field, expected, given as Record<string, unknown>[], (r) => r?.unit, what);
  (given as { text: unknown }[]).forEach((r, i) => text(`${field}[${i}].text`, r.text, CAPS.reportSection));
}

function checkCalendarYear(field: string, year: CalendarYear): void {
  if (!year || !Number.isInteger(year.year) || year.year < 2000 || year.year > 2200) throw badInput(`${field}.year`, 'must be a year');
  for (const kind of ['holidays', 'workdays'] as const) {
    list(`${field}.${kind}`, year[kind], 366, 'days');
    year[kind].forEach((day, i) => {
      isoDate(`${field}.${kind}[${i}]`, day);
      if (!day.startsWith(`${year.year}-`)) throw badInput(`${field}.${kind}[${i}]`, `is not in ${year.year}`);
    });
  }
}

/**
 * Throws a DomainError when the campaign does not take the action now; changes nothing. The update validators
 * call it, so a refused action never reaches the history; `at` is the workflow's clock.
 */
export function checkCampaignAction(state: CampaignState, action: CampaignAction, at: Date): void {
  if (!STAGES_OF[action.type]?.includes(state.stage)) {
    throw invalidTransition(`${action.type} is not allowed while the campaign is in ${state.stage}`);
  }
  const c = state.case;
  switch (action.type) {
    case 'SUBMIT_PREPARATION': {
      text('schedule', action.schedule, CAPS.text);
      text('scope', action.scope, CAPS.text);
      text('duties', action.duties, CAPS.text);
      list('leadingGroup', action.leadingGroup, CAMPAIGN_CAPS.leadingGroup, 'members');
      action.leadingGroup.forEach((m, i) => {
        text(`leadingGroup[${i}].name`, m?.name, CAPS.name);
        text(`leadingGroup[${i}].unit`, m?.unit, CAPS.name);
        if (typeof m.expert !== 'boolean') throw badInput(`leadingGroup[${i}].expert`, 'must be true or false');
      });
      // 002 §8(二): district lead and related departments' staff; third-party experts may join them.
      if (!action.leadingGroup.some((m) => !m.expert)) {
        throw badInput('leadingGroup', 'the leading group is made of staff of the lead and related departments; experts may only join them (002 §8(二))');
      }
      return;
    }
    case 'REQUEST_EXTENSION': {
      oneOf('clock', action.clock, CAMPAIGN_CLOCKS);
      isoDate('untilOn', action.untilOn);
      text('explanation', action.explanation, CAPS.text);
      text('requestingUnit', action.requestingUnit, CAPS.name);
      const deadline = deadlineOf(state, action.clock);
      if (clockDone(state, action.clock)) throw invalidTransition(`the ${action.clock} stage is done: its deadline needs no extension`);
      if (state.overdue.includes(action.clock) || at.toISOString() >= deadline.dueAt) {
        throw invalidTransition(`the ${action.clock} deadline, ${deadline.dueOn}, has passed`);
      }
      if (state.extensions.some((e) => e.clock === action.clock && !e.decision)) {
        throw invalidTransition(`an extension of the ${action.clock} deadline is already waiting for the safety office's decision`);
      }
      if (state.extensions.length >= CAMPAIGN_CAPS.extensions) throw badInput('input', `a campaign holds at most ${CAMPAIGN_CAPS.extensions} extension requests`);
      if (action.untilOn <= deadline.dueOn) throw badInput('untilOn', `must be after the current last day, ${deadline.dueOn}`);
      if (daysBetween(deadline.dueOn, action.untilOn) > CAMPAIGN_CAPS.daysAhead) throw badInput('untilOn', `must be within ${CAMPAIGN_CAPS.daysAhead} days of the current last day`);
      const notice = c.profile.extensionNoticeWorkingDays;
      if (!canRequestExtension(deadline, today(at), state.calendar, notice)) {
        const last = lastDayToRequestExtension(deadline, state.calendar, notice);
        throw invalidTransition(
          `an extension is asked for at least ${notice} working days before the last day, ${deadline.dueOn}: the last day to ask was ${last} (002 §10(五))`,
        );
      }
      return;
    }
    case 'DECIDE_EXTENSION': {
      const request = state.extensions.find((e) => e.id === action.extensionId);
      if (!request) throw badInput('extensionId', `no extension request ${String(action.extensionId)} in this campaign`);
      if (request.decision) throw invalidTransition(`extension request ${request.id} is already decided`);
      if (typeof action.approved !== 'boolean') throw badInput('approved', 'must be true or false');
      if (action.approved) {
        if (typeof action.reason !== 'string') throw badInput('reason', 'must be text');
        if (action.reason) text('reason', action.reason, CAPS.text);
      } else {
        text('reason', action.reason, CAPS.text);
      }
      return;
    }
    case 'SUBMIT_ASSESSMENT': {
      if (!canCampaignTransition(state, 'SUBMIT_ASSESSMENT')) throw invalidTransition('the assessment is already submitted');
      const sectors = c.sectors.map((s) => s.sector);
      text('overall', action.overall, CAPS.reportSection);
      checkSubReports('subReports', sectors, action.subReports, 'sector');
      checkGrades('sectorGrades', sectors, action.sectorGrades, 'sector', 'sector');
      return;
    }
    case 'RETURN_ASSESSMENT':
      if (!canCampaignTransition(state, action.type)) throw invalidTransition('no assessment is waiting for approval');
      if (state.assessment!.returns.length >= CAMPAIGN_CAPS.returns) throw badInput('input', `an assessment may be returned at most ${CAMPAIGN_CAPS.returns} times`);
      text('reason', action.reason, CAPS.text);
      return;
    case 'APPROVE_ASSESSMENT':
      if (!canCampaignTransition(state, action.type)) throw invalidTransition('no assessment is waiting for approval');
      return;
    case 'SUBMIT_RECTIFICATION_PLAN':
      if (!towns(state).includes(action.townCode)) throw badInput('townCode', `${String(action.townCode)} is not a town of this campaign`);
      if (state.plans.some((p) => p.townCode === action.townCode)) throw invalidTransition(`the rectification plan of ${action.townCode} is already submitted`);
      text('responsibility', action.responsibility, CAPS.text);
      text('measures', action.measures, CAPS.reportSection);
      isoDate('deadlineOn', action.deadlineOn);
      if (action.deadlineOn < today(at)) throw badInput('deadlineOn', 'must not be in the past');
      return;
    case 'SCHEDULE_LOOK_BACK': {
      const scope = sectorScopeOf(state, action.sector);
      if (!scope) throw badInput('sector', `${String(action.sector)} is not a sector of this campaign`);
      if (!scope.townCodes.includes(action.townCode)) throw badInput('townCode', `${String(action.townCode)} is not in the ${scope.sector} sector's scope`);
      oneOf('reason', action.reason, ['PROMINENT_PROBLEMS', 'MAJOR_HAZARDS'] as const);
      isoDate('scheduledOn', action.scheduledOn);
      if (action.scheduledOn < today(at)) throw badInput('scheduledOn', 'must not be in the past');
      if (daysBetween(today(at), action.scheduledOn) > CAMPAIGN_CAPS.daysAhead) throw badInput('scheduledOn', `must be within ${CAMPAIGN_CAPS.daysAhead} days`);
      if (state.lookBacks.length >= CAMPAIGN_CAPS.lookBacks) throw badInput('input', `a campaign holds at most ${CAMPAIGN_CAPS.lookBacks} look-back reviews`);
      return;
    }
    case 'RECORD_INSPECTION':
      if (!towns(state).includes(action.townCode)) throw badInput('townCode', `${String(action.townCode)} is not a town of this campaign`);
      isoDate('on', action.on);
      if (action.on > today(at)) throw badInput('on', 'an inspection is recorded once it took place: must not be in the future');
      text('findings', action.findings, CAPS.text);
      if (state.inspections.length >= CAMPAIGN_CAPS.inspections) throw badInput('input', `a campaign holds at most ${CAMPAIGN_CAPS.inspections} inspections`);
      return;
    case 'CLOSE_FOLLOW_UP': {
      // 002 §12(一)(二): every town reports its plan; every look-back is held and recorded.
      const withoutPlan = towns(state).filter((code) => !state.plans.some((p) => p.townCode === code));
      if (withoutPlan.length) throw invalidTransition(`towns without a rectification plan: ${withoutPlan.join(', ')}`);
      const open = state.lookBacks.filter((l) => !l.recordedAt);
      if (open.length) throw invalidTransition(`look-back reviews not yet recorded: ${open.map((l) => l.id).join(', ')}`);
      return;
    }
    case 'UNIT_SUBMITTED':
    case 'UNIT_APPROVED': {
      const stage = action.unitKind === 'TOWN' ? 'SELF_EVALUATION' : 'SECTOR_REVIEW';
      if (state.stage !== stage) throw invalidTransition(`a ${action.unitKind} reports only during ${stage}`);
      const unit = (action.unitKind === 'TOWN' ? state.towns : state.sectors).find((u) => u.unit === action.unit);
      if (!unit) throw badInput('unit', `${String(action.unit)} is not a ${action.unitKind} of this campaign`);
      if (unit.approvedAt) throw invalidTransition(`${action.unit} is already approved`);
      if (action.type === 'UNIT_APPROVED' && action.unitKind === 'SECTOR') {
        checkGrades('townGrades', sectorScopeOf(state, action.unit)!.townCodes, action.townGrades, 'townCode', 'town');
      }
      return;
    }
    case 'LOOK_BACK_DUE':
    case 'LOOK_BACK_RECORDED': {
      const lookBack = state.lookBacks.find((l) => l.id === action.lookBackId);
      if (!lookBack) throw badInput('lookBackId', `no look-back ${String(action.lookBackId)} in this campaign`);
      if (action.type === 'LOOK_BACK_DUE' && lookBack.dueSince) throw invalidTransition(`look-back ${lookBack.id} is already due`);
      if (action.type === 'LOOK_BACK_RECORDED') {
        if (lookBack.recordedAt) throw invalidTransition(`look-back ${lookBack.id} is already recorded`);
        text('findings', action.findings, CAPS.text);
        if (typeof action.resolved !== 'boolean') throw badInput('resolved', 'must be true or false');
      }
      return;
    }
    case 'CALENDAR_LOADED':
      list('calendar.years', action.calendar?.years, 50, 'years');
      action.calendar.years.forEach((y, i) => checkCalendarYear(`calendar.years[${i}]`, y));
      return;
    case 'FIRE_DEADLINES':
      list('keys', action.keys, 100, 'keys');
      return;
  }
}

/**
 * The deadlines recomputed after the calendar or an extension changed: a clock flagged overdue whose deadline now
 * lies after `at` is no longer overdue (nor its towns or sectors, for that clock), and its timers start again.
 */
function recompute(state: CampaignState, at: Date): CampaignState {
  const deadlines = campaignDeadlines(state.case, state.calendar, state.extensions);
  const lifted = state.overdue.filter((clock) => deadlines.find((d) => d.clock === clock)!.dueAt > at.toISOString());
  const unflag = (units: UnitStatus[], clock: CampaignClock): UnitStatus[] =>
    lifted.includes(clock) ? units.map((u) => (u.overdue ? { ...u, overdue: false } : u)) : units;
  return {
    ...state,
    deadlines,
    overdue: state.overdue.filter((clock) => !lifted.includes(clock)),
    towns: unflag(state.towns, 'SELF_EVALUATION'),
    sectors: unflag(state.sectors, 'SECTOR_REVIEW'),
  };
}

/** All towns approved → the sector review; all sectors approved → the assessment of the campaign's path. */
function advance(state: CampaignState): CampaignState {
  if (state.stage === 'SELF_EVALUATION' && state.towns.every((t) => t.approvedAt)) return { ...state, stage: 'SECTOR_REVIEW' };
  if (state.stage === 'SECTOR_REVIEW' && state.sectors.every((s) => s.approvedAt)) {
    return { ...state, stage: state.fullPath ? 'COMPREHENSIVE_ASSESSMENT' : 'LEAD_ASSESSMENT' };
  }
  return state;
}

/** The new state after an action `checkCampaignAction` accepted; the same object when nothing changed. */
export function applyCampaignAction(state: CampaignState, action: CampaignAction, actor: Actor, at: Date): CampaignState {
  const next = applyUnversioned(state, action, actor, at);
  return next === state ? state : { ...next, revision: state.revision + 1 };
}

function applyUnversioned(state: CampaignState, action: CampaignAction, actor: Actor, at: Date): CampaignState {
  const now = at.toISOString();
  switch (action.type) {
    case 'SUBMIT_PREPARATION': {
      const { schedule, scope, duties } = action;
      const leadingGroup = action.leadingGroup.map(({ name, unit, expert }) => ({ name, unit, expert }));
      return { ...state, stage: 'SELF_EVALUATION', preparation: { submittedAt: now, submittedBy: actor.name, schedule, scope, duties, leadingGroup } };
    }
    case 'REQUEST_EXTENSION': {
      const { clock, untilOn, explanation, requestingUnit } = action;
      const id = `E${state.extensions.length + 1}`;
      return { ...state, extensions: [...state.extensions, { id, clock, requestedAt: now, requestedBy: actor.name, requestingUnit, explanation, untilOn }] };
    }
    case 'DECIDE_EXTENSION': {
      const decision = { at: now, by: actor.name, approved: action.approved, reason: action.reason };
      const decided = { ...state, extensions: state.extensions.map((e) => (e.id === action.extensionId ? { ...e, decision } : e)) };
      return action.approved ? recompute(decided, at) : decided;
    }
    case 'SUBMIT_ASSESSMENT': {
      const overall = action.overall;
      const subReports = action.subReports.map(({ unit, text }) => ({ unit, text }));
      const sectorGrades = action.sectorGrades.map(({ sector, grade }) => ({ sector, grade }));
      const returns = state.assessment?.returns ?? [];
      if (state.stage === 'LEAD_ASSESSMENT') {
        // 002 §13: the lead department's own assessment is filed with the safety office, and the campaign ends.
        return {
          ...state,
          stage: 'CLOSED',
          closedAt: now,
          assessment: { overall, subReports, sectorGrades, status: 'FILED', submittedAt: now, submittedBy: actor.name, returns },
          grades: [...state.grades, ...sectorGrades.map((g) => gradeRecord('SECTOR', g.sector, g.sector, g.grade, at))],
        };
      }
      return { ...state, assessment: { overall, subReports, sectorGrades, status: 'AWAITING_APPROVAL', submittedAt: now, submittedBy: actor.name, returns } };
    }
    case 'RETURN_ASSESSMENT':
      return { ...state, assessment: { ...state.assessment!, status: 'RETURNED', returns: [...state.assessment!.returns, { at: now, reason: action.reason }] } };
    case 'APPROVE_ASSESSMENT': {
      const a = state.assessment!;
      return {
        ...state,
        stage: 'FOLLOW_UP',
        assessment: { ...a, status: 'APPROVED', approvedAt: now, approvedBy: actor.name },
        grades: [...state.grades, ...a.sectorGrades.map((g) => gradeRecord('SECTOR', g.sector, g.sector, g.grade, at))],
      };
    }
    case 'SUBMIT_RECTIFICATION_PLAN': {
      const { townCode, responsibility, measures, deadlineOn } = action;
      return { ...state, plans: [...state.plans, { townCode, submittedAt: now, submittedBy: actor.name, responsibility, measures, deadlineOn }] };
    }
    case 'SCHEDULE_LOOK_BACK': {
      const id = `L${state.lookBacks.length + 1}`;
      const { townCode, sector, reason, scheduledOn } = action;
      const lookBack = { id, workflowId: lookBackWorkflowId(state.case.campaignId, id), townCode, sector, reason, scheduledOn, scheduledBy: actor.name };
      return { ...state, lookBacks: [...state.lookBacks, lookBack] };
    }
    case 'RECORD_INSPECTION':
      return { ...state, inspections: [...state.inspections, { on: action.on, townCode: action.townCode, findings: action.findings, recordedBy: actor.name }] };
    case 'CLOSE_FOLLOW_UP':
      return { ...state, stage: 'CLOSED', closedAt: now };
    case 'UNIT_SUBMITTED': {
      const mark = (units: UnitStatus[]) => units.map((u) => (u.unit === action.unit ? { ...u, submittedAt: now } : u));
      return action.unitKind === 'TOWN' ? { ...state, towns: mark(state.towns) } : { ...state, sectors: mark(state.sectors) };
    }
    case 'UNIT_APPROVED': {
      const mark = (units: UnitStatus[]) => units.map((u) => (u.unit === action.unit ? { ...u, approvedAt: now } : u));
      if (action.unitKind === 'TOWN') return advance({ ...state, towns: mark(state.towns) });
      // 002 §10(二)(四): the sector's grades of its towns count once the district leader approved the review.
      const sector = action.unit as Sector;
      const grades = (action.townGrades ?? []).map((g) => gradeRecord('TOWN', g.townCode, sector, g.grade, at));
      return advance({ ...state, sectors: mark(state.sectors), grades: [...state.grades, ...grades] });
    }
    case 'LOOK_BACK_DUE':
      return { ...state, lookBacks: state.lookBacks.map((l) => (l.id === action.lookBackId ? { ...l, dueSince: now } : l)) };
    case 'LOOK_BACK_RECORDED':
      return {
        ...state,
        lookBacks: state.lookBacks.map((l) => (l.id === action.lookBackId ? { ...l, findings: action.findings, resolved: action.resolved, recordedAt: now } : l)),
      };
    case 'CALENDAR_LOADED': {
      const calendar = mergeCalendars(state.calendar, action.calendar);
      if (JSON.stringify(calendar) === JSON.stringify(state.calendar)) return state;
      return recompute({ ...state, calendar }, at);
    }
    case 'FIRE_DEADLINES': {
      const events = campaignDeadlineEvents(state).filter((e) => action.keys.includes(e.key));
      if (!events.length) return state;
      let next: CampaignState = { ...state, firedDeadlines: [...state.firedDeadlines, ...events.map((e) => e.key)] };
      for (const e of events) {
        if (e.kind === 'CAMPAIGN_ENDS' && next.stage === 'WAITING_FOR_END') next = { ...next, stage: 'PREPARATION' };
        if (e.kind !== 'OVERDUE' || !e.clock) continue;
        if (!next.overdue.includes(e.clock)) next = { ...next, overdue: [...next.overdue, e.clock] };
        // Per town (self-evaluation) and per sector (sector review): the ones not approved when the day ended.
        const flag = (units: UnitStatus[]) => units.map((u) => (e.units.includes(u.unit) && !u.overdue ? { ...u, overdue: true } : u));
        if (e.clock === 'SELF_EVALUATION') next = { ...next, towns: flag(next.towns) };
        if (e.clock === 'SECTOR_REVIEW') next = { ...next, sectors: flag(next.sectors) };
      }
      return next;
    }
  }
}

/** What access rules (domain/access.ts) need to know of a campaign, and of the town, sector or clock an act is on. */
export function campaignScope(state: CampaignState, about: { townCode?: string; sector?: Sector; clock?: CampaignClock } = {}): CampaignScope {
  const c = state.case;
  return {
    campaignId: c.campaignId,
    districtRegionCode: c.districtRegionCode,
    townCodes: c.towns.map((t) => t.regionCode),
    sectors: c.sectors.map((s) => ({ sector: s.sector, leadDepartmentId: s.leadDepartmentId, townCodes: s.townCodes })),
    stage: state.stage,
    fullPath: state.fullPath,
    ...(about.townCode === undefined ? {} : { townCode: about.townCode }),
    ...(about.sector === undefined ? {} : { sector: about.sector }),
    ...(about.clock === undefined ? {} : { clock: about.clock }),
  };
}

/** Which town or sector an official action on the campaign is about, for its access check. */
export function campaignActionScope(state: CampaignState, action: CampaignAction): CampaignScope {
  switch (action.type) {
    case 'SUBMIT_RECTIFICATION_PLAN':
    case 'RECORD_INSPECTION':
      return campaignScope(state, { townCode: action.townCode });
    case 'SCHEDULE_LOOK_BACK':
      return campaignScope(state, { townCode: action.townCode, sector: action.sector });
    case 'REQUEST_EXTENSION':
      return campaignScope(state, { clock: action.clock });
    case 'DECIDE_EXTENSION': {
      const clock = state.extensions.find((e) => e.id === action.extensionId)?.clock;
      return campaignScope(state, clock ? { clock } : {});
    }
    default:
      return campaignScope(state);
  }
}
