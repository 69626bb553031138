// Major accident hazards (重大事故隐患) to closure (销号), listed supervision (挂牌督办) and enforcement advice (seed 003;
// seed 004 items 1, 12-13; DOMAIN.md §3). Pure: types, rules, and the state changes the hazard workflow makes.
// Dates the rules count in are China calendar dates (YYYY-MM-DD); instants are ISO strings in UTC.
import type { HazardScope, WhistleblowerScope } from './access.js';
import { chinaDate } from './calendar.js';
import { daysBetween, endOfChinaDay, plusDays } from './campaign-deadlines.js';
import { isoDate, oneOf, text } from './campaign-input.js';
import { CAPS } from './caps.js';
import { badInput, DomainError, invalidTransition } from './errors.js';
import { isRecordId } from './text.js';
import type { Sector } from './case.js';
import type { Actor } from './evaluation.js';

export const HAZARD_GRADES = ['MAJOR', 'GENERAL'] as const;
/** 重大事故隐患 / 一般事故隐患. */
export type HazardGrade = (typeof HAZARD_GRADES)[number];

export const HAZARD_SOURCES = ['SELF_REPORT', 'INSPECTION', 'WHISTLEBLOWER', 'EVALUATION', 'CAMPAIGN'] as const;
/** Where a hazard came from: the enterprise's own report, an inspection, a whistleblower report, a problem an accident evaluation or a campaign review found. */
export type HazardSource = (typeof HAZARD_SOURCES)[number];

/**
 * REPORTED: in the ledger, not yet fixed or planned. RECTIFYING: planned with the five must-haves, under way.
 * ACCEPTANCE: the enterprise says it is fixed; the supervising department checks. CLOSED: 销号 (accepted, and any
 * listed supervision lifted).
 */
export const HAZARD_STAGES = ['REPORTED', 'RECTIFYING', 'ACCEPTANCE', 'CLOSED'] as const;
export type HazardStage = (typeof HAZARD_STAGES)[number];

/** 五落实: responsible person, measures, funds, deadline, emergency plan (003 §三.(二)). */
export interface FiveMustHaves {
  responsiblePerson: string;
  measures: string;
  /** Yuan, as a decimal string. */
  funds: string;
  /** China date. */
  deadlineOn: string;
  emergencyPlan: string;
}

/** What the workflow needs of a hazard, fixed when it is entered in the ledger. */
export interface HazardCase {
  hazardId: string;
  enterpriseId: string;
  enterpriseName: string;
  sector: Sector;
  grade: HazardGrade;
  source: HazardSource;
  /** The enterprise's location: town or county code; overdue notices climb the region tree from here. */
  regionCode: string;
  /** Codes of the regions above `regionCode`, nearest first (county, city, province): the three notices' addressees. */
  upperRegionCodes: string[];
  /** Names of those regions' safety offices, in the same order. */
  upperOfficeNames: string[];
  /** The department that supervises the enterprise's sector in its region, and accepts the rectification. */
  supervisingDepartmentId: string;
  supervisingDepartmentName: string;
  /** 判定依据: the standard or rule the hazard is judged by. */
  judgementBasis: string;
  description: string;
  evidence: string;
  reportedAt: string;
  reportedBy: string;
  /** Link back: the evaluation (and measure) or campaign whose finding this hazard is, when it is one. */
  origin?: { kind: 'EVALUATION'; evaluationId: string; measureId?: string } | { kind: 'CAMPAIGN'; campaignId: string; townCode?: string };
  /** Penalties the enterprise already received for earlier hazards (for the enforcement advice; read at entry). */
  earlierPenalties: number;
  profile: HazardRuleProfile;
}

export interface HazardRuleProfile {
  id: string;
  version: string;
  document: string;
  source: string;
  /** Reminders before the rectification deadline, in days. */
  reminderDaysBefore: number[];
  /** Days between the first, second and third overdue notices. */
  overdueNoticeIntervalDays: number;
  /** How many overdue notices, each one level further up the region tree. */
  overdueNotices: number;
  /** An extension is asked for at least this many days before the deadline. */
  extensionNoticeDays: number;
}

export const ENFORCEMENT_ADVICE = ['NO_PENALTY', 'PENALISE_BOTH', 'CLOSURE_AND_BAN', 'TRANSFER_TO_JUDICIARY'] as const;
/**
 * 003 §三 enforcement rules: a self-found, reported hazard under effective remediation → no administrative penalty;
 * left in place, or an accident followed → 一案双罚 (the enterprise and its principal); penalised repeatedly →
 * propose closure and an industry ban; suspected crime → transfer to the judiciary.
 */
export type EnforcementAdvice = (typeof ENFORCEMENT_ADVICE)[number];

export interface Advice {
  advice: EnforcementAdvice;
  /** Why, in words an official reads, citing the clause. */
  reason: string;
}

export const ENFORCEMENT_DECISIONS = ['NO_PENALTY', 'PENALTY', 'CLOSURE_AND_BAN', 'TRANSFERRED_TO_JUDICIARY'] as const;
export type EnforcementDecision = (typeof ENFORCEMENT_DECISIONS)[number];

export interface ListedSupervision {
  /** The supervising level's region code and office name. */
  regionCode: string;
  officeName: string;
  documentNo: string;
  listedOn: string;
  listedBy: string;
  /** The receiving unit's signed receipt. */
  receipt?: { signedBy: string; receivedOn: string; recordedAt: string };
  liftedAt?: string;
  liftedBy?: string;
}

export interface HazardExtension {
  id: string;
  requestedAt: string;
  requestedBy: string;
  untilOn: string;
  reason: string;
  decision?: { at: string; by: string; approved: boolean; reason: string };
}

export interface HazardState {
  case: HazardCase;
  stage: HazardStage;
  revision: number;
  fixedAtOnce?: { at: string; by: string; evidence: string };
  plan?: FiveMustHaves & { at: string; by: string };
  /** The deadline in force (the plan's, or an approved extension's), China date, and the instant it ends. */
  deadlineOn?: string;
  dueAt?: string;
  /** How many overdue notices went out (0-3). */
  overdueNotices: number;
  overdue: boolean;
  firedDeadlines: string[];
  extensions: HazardExtension[];
  /** Submitted for acceptance with the rectification's evidence; refusals send it back to RECTIFYING. */
  submissions: { at: string; by: string; evidence: string; refused?: { at: string; by: string; reason: string } }[];
  acceptedAt?: string;
  acceptedBy?: string;
  acceptanceEvidence?: string;
  supervision?: ListedSupervision;
  /** An accident that followed (an accident case names this hazard as its origin). */
  accidentId?: string;
  suspectedCrime?: { at: string; by: string; reason: string };
  decision?: { decision: EnforcementDecision; reason: string; at: string; by: string; advice: EnforcementAdvice };
  closedAt?: string;
}

export type HazardAction =
  | { type: 'FIX_AT_ONCE'; evidence: string }
  | ({ type: 'PLAN_RECTIFICATION' } & FiveMustHaves)
  | { type: 'REQUEST_EXTENSION'; untilOn: string; reason: string }
  | { type: 'DECIDE_EXTENSION'; extensionId: string; approved: boolean; reason: string }
  | { type: 'SUBMIT_FOR_ACCEPTANCE'; evidence: string }
  | { type: 'ACCEPT_RECTIFICATION'; evidence: string }
  | { type: 'REFUSE_ACCEPTANCE'; reason: string }
  | { type: 'LIST_SUPERVISION'; regionCode: string; officeName: string; documentNo: string; listedOn: string }
  | { type: 'RECORD_SUPERVISION_RECEIPT'; signedBy: string; receivedOn: string }
  | { type: 'LIFT_SUPERVISION' }
  | { type: 'MARK_SUSPECTED_CRIME'; reason: string }
  | { type: 'RECORD_ENFORCEMENT_DECISION'; decision: EnforcementDecision; reason: string }
  // The workflow's own: an accident case naming this hazard, timers.
  | { type: 'ACCIDENT_LINKED'; accidentId: string }
  | { type: 'FIRE_DEADLINES'; keys: string[] };

export type HazardActionType = HazardAction['type'];

export const HAZARD_OFFICIAL_ACTIONS = [
  'FIX_AT_ONCE',
  'PLAN_RECTIFICATION',
  'REQUEST_EXTENSION',
  'DECIDE_EXTENSION',
  'SUBMIT_FOR_ACCEPTANCE',
  'ACCEPT_RECTIFICATION',
  'REFUSE_ACCEPTANCE',
  'LIST_SUPERVISION',
  'RECORD_SUPERVISION_RECEIPT',
  'LIFT_SUPERVISION',
  'MARK_SUSPECTED_CRIME',
  'RECORD_ENFORCEMENT_DECISION',
] as const satisfies readonly HazardActionType[];

// ---- Whistleblower reports (举报, 003 §三.三, 004 items 12-13) ----

export const REPORT_STAGES = ['RECEIVED', 'DISPATCHED', 'VERIFIED', 'CLOSED'] as const;
export type WhistleblowerStage = (typeof REPORT_STAGES)[number];

export const VERIFICATION_OUTCOMES = ['UNFOUNDED', 'HAZARD', 'LISTED_SUPERVISION'] as const;
/** 不属实; converted into a hazard in the ledger; converted and put under listed supervision. */
export type VerificationOutcome = (typeof VERIFICATION_OUTCOMES)[number];

export interface WhistleblowerReport {
  reportId: string;
  /** What the reporter keeps to read the status; stored only as a hash. */
  receiptHash: string;
  regionCode: string;
  /** The office that handles it: the safety office of `regionCode`'s county (or the region itself). */
  handlingRegionCode: string;
  handlingOfficeName: string;
  sector?: Sector;
  enterpriseName?: string;
  description: string;
  /** Given when the reporter chose to: seen only by the handling office. */
  reporter?: { name: string; contact: string };
  receivedAt: string;
}

export interface WhistleblowerState {
  report: WhistleblowerReport;
  stage: WhistleblowerStage;
  revision: number;
  dispatch?: { departmentId: string; departmentName: string; at: string; by: string };
  verification?: { outcome: VerificationOutcome; findings: string; at: string; by: string; hazardId?: string };
  reward?: { amountYuan: string; at: string; by: string; note: string };
  closedAt?: string;
}

export type WhistleblowerAction =
  | { type: 'DISPATCH_REPORT'; departmentId: string; departmentName: string }
  | { type: 'RECORD_VERIFICATION'; outcome: VerificationOutcome; findings: string; hazardId?: string }
  | { type: 'RECORD_REWARD'; amountYuan: string; note: string }
  | { type: 'CLOSE_REPORT' };

export function hazardWorkflowId(hazardId: string): string {
  return `hazard/${hazardId}`;
}
export function whistleblowerWorkflowId(reportId: string): string {
  return `whistleblower-report/${reportId}`;
}

export type { Actor };

// ---- Rules (pure: `at` and `now` are the caller's clock) ----

const DAY_MS = 86_400_000;

/** The rules a hazard is handled by. One default: the seed's campaign plan and the offices' practice. */
export const HAZARD_PROFILES: readonly HazardRuleProfile[] = [
  {
    id: 'default',
    version: '2023',
    document: '麒麟区重大事故隐患专项排查整治2023行动方案',
    source: '003 §三 (five must-haves, closure); reminders and notice intervals are office practice',
    reminderDaysBefore: [7, 1],
    overdueNoticeIntervalDays: 7,
    overdueNotices: 3,
    extensionNoticeDays: 3,
  },
];

export const DEFAULT_HAZARD_PROFILE: HazardRuleProfile = HAZARD_PROFILES[0]!;

/** Caps on what one hazard may hold (each keeps its workflow's state bounded). */
export const HAZARD_CAPS = {
  /** Extension requests over one hazard's life. */
  extensions: 20,
  /** Submissions for acceptance (each refusal allows another). */
  submissions: 20,
  /** A deadline or an extension reaches this many days ahead at most. */
  daysAhead: 3 * 366,
} as const;

/** Funds in yuan: a decimal ≥ 0 with at most two decimals, as numeric(18,2) holds it. */
const YUAN = /^\d{1,16}(\.\d{1,2})?$/;

export function isYuan(value: unknown): value is string {
  return typeof value === 'string' && YUAN.test(value);
}

/** The first state of a hazard entered in the ledger (revision 1: the API's entry is revision 0). */
export function initialHazardState(c: HazardCase): HazardState {
  return { case: c, stage: 'REPORTED', revision: 1, overdueNotices: 0, overdue: false, firedDeadlines: [], extensions: [], submissions: [] };
}

/** The listing in force: listed and not lifted. */
export function activeSupervision(state: Pick<HazardState, 'supervision'>): ListedSupervision | undefined {
  return state.supervision && !state.supervision.liftedAt ? state.supervision : undefined;
}

export function pendingExtension(state: Pick<HazardState, 'extensions'>): HazardExtension | undefined {
  return state.extensions.find((e) => !e.decision);
}

const OPEN: readonly HazardStage[] = ['REPORTED', 'RECTIFYING', 'ACCEPTANCE'];
const ANY: readonly HazardStage[] = HAZARD_STAGES;

const STAGES_OF: Record<HazardActionType, readonly HazardStage[]> = {
  // 003 §三.(二): what can be fixed at once is fixed at once; what needs time is planned with the five must-haves.
  FIX_AT_ONCE: ['REPORTED'],
  PLAN_RECTIFICATION: ['REPORTED'],
  REQUEST_EXTENSION: ['RECTIFYING'],
  DECIDE_EXTENSION: ['RECTIFYING', 'ACCEPTANCE'],
  SUBMIT_FOR_ACCEPTANCE: ['RECTIFYING'],
  ACCEPT_RECTIFICATION: ['ACCEPTANCE'],
  REFUSE_ACCEPTANCE: ['ACCEPTANCE'],
  // 挂牌督办 (004 item 1): listed, signed for and lifted in any stage before closure.
  LIST_SUPERVISION: OPEN,
  RECORD_SUPERVISION_RECEIPT: OPEN,
  LIFT_SUPERVISION: OPEN,
  // Advice and decisions follow the hazard after its closure too.
  MARK_SUSPECTED_CRIME: ANY,
  RECORD_ENFORCEMENT_DECISION: ANY,
  ACCIDENT_LINKED: ANY,
  FIRE_DEADLINES: ANY,
};

/** Whether the hazard takes this action now, as far as its stage and records go (for `allowedActions`). */
export function canHazardTransition(state: HazardState, type: HazardActionType): boolean {
  if (!STAGES_OF[type].includes(state.stage)) return false;
  switch (type) {
    case 'REQUEST_EXTENSION':
      return !pendingExtension(state) && state.extensions.length < HAZARD_CAPS.extensions;
    case 'DECIDE_EXTENSION':
      return Boolean(pendingExtension(state));
    case 'SUBMIT_FOR_ACCEPTANCE':
      return state.submissions.length < HAZARD_CAPS.submissions;
    case 'ACCEPT_RECTIFICATION':
    case 'REFUSE_ACCEPTANCE':
      return !state.acceptedAt;
    case 'LIST_SUPERVISION':
      return !activeSupervision(state);
    case 'RECORD_SUPERVISION_RECEIPT':
      return Boolean(activeSupervision(state)) && !state.supervision!.receipt;
    case 'LIFT_SUPERVISION':
      return Boolean(activeSupervision(state)) && Boolean(state.acceptedAt);
    case 'MARK_SUSPECTED_CRIME':
      return !state.suspectedCrime;
    case 'RECORD_ENFORCEMENT_DECISION':
      return !state.decision;
    default:
      return true;
  }
}

/** The official actions open now. */
export function allowedHazardActions(state: HazardState): (typeof HAZARD_OFFICIAL_ACTIONS)[number][] {
  return HAZARD_OFFICIAL_ACTIONS.filter((type) => canHazardTransition(state, type));
}

const WHY_NOT: Partial<Record<HazardActionType, string>> = {
  REQUEST_EXTENSION: 'an extension is already waiting for a decision',
  DECIDE_EXTENSION: 'no extension is waiting for a decision',
  ACCEPT_RECTIFICATION: 'the rectification is already accepted',
  REFUSE_ACCEPTANCE: 'the rectification is already accepted',
  LIST_SUPERVISION: 'the hazard is already under listed supervision',
  RECORD_SUPERVISION_RECEIPT: 'there is no listed supervision without a receipt',
  LIFT_SUPERVISION: 'listed supervision is lifted only after the rectification is accepted',
  MARK_SUSPECTED_CRIME: 'a suspected crime is already recorded',
  RECORD_ENFORCEMENT_DECISION: 'the enforcement decision is already recorded',
};

const today = (at: Date): string => chinaDate(at);

function futureDate(field: string, value: unknown, after: string, afterWhat: string): asserts value is string {
  isoDate(field, value);
  if (value <= after) throw badInput(field, `must be after ${afterWhat} (${after})`);
  if (daysBetween(after, value) > HAZARD_CAPS.daysAhead) throw badInput(field, `must be within ${HAZARD_CAPS.daysAhead} days`);
}

/**
 * Refuses an action the hazard does not take now (INVALID_TRANSITION) or whose fields are wrong (BAD_USER_INPUT,
 * naming the field). The actor's permission is checked by the workflow's validator (`allowHazard`).
 */
export function checkHazardAction(state: HazardState, action: HazardAction, at: Date): void {
  if (!STAGES_OF[action.type]) throw badInput('type', `unknown action ${String(action.type)}`);
  if (!STAGES_OF[action.type].includes(state.stage)) {
    throw invalidTransition(`${action.type} is not possible while the hazard is ${state.stage}`);
  }
  if (!canHazardTransition(state, action.type)) {
    throw invalidTransition(
      action.type === 'SUBMIT_FOR_ACCEPTANCE' ? `at most ${HAZARD_CAPS.submissions} submissions for acceptance` : (WHY_NOT[action.type] ?? `${action.type} is not possible now`),
    );
  }
  const now = today(at);
  switch (action.type) {
    case 'FIX_AT_ONCE':
    case 'SUBMIT_FOR_ACCEPTANCE':
    case 'ACCEPT_RECTIFICATION':
      return text('evidence', action.evidence, CAPS.text);
    case 'PLAN_RECTIFICATION':
      // 003 §三.(二): 责任人、措施、资金、期限和应急预案, all five.
      text('responsiblePerson', action.responsiblePerson, CAPS.name);
      text('measures', action.measures, CAPS.text);
      if (!isYuan(action.funds)) throw badInput('funds', 'must be an amount in yuan ≥ 0, e.g. 12000 or 3500.50');
      futureDate('deadlineOn', action.deadlineOn, now, 'today');
      return text('emergencyPlan', action.emergencyPlan, CAPS.text);
    case 'REQUEST_EXTENSION': {
      text('reason', action.reason, CAPS.text);
      const deadline = state.deadlineOn!;
      futureDate('untilOn', action.untilOn, deadline, 'the deadline in force');
      const lastDay = plusDays(deadline, -state.case.profile.extensionNoticeDays);
      if (now > lastDay) {
        throw invalidTransition(`an extension is asked for at least ${state.case.profile.extensionNoticeDays} days before the deadline (${deadline}): the last day was ${lastDay}`);
      }
      return;
    }
    case 'DECIDE_EXTENSION': {
      text('reason', action.reason, CAPS.text);
      if (typeof action.approved !== 'boolean') throw badInput('approved', 'must be true or false');
      const pending = pendingExtension(state)!;
      if (action.extensionId !== pending.id) {
        if (state.extensions.some((e) => e.id === action.extensionId)) throw invalidTransition(`extension ${action.extensionId} is already decided`);
        throw new DomainError('NOT_FOUND', 'no such record', 'extensionId');
      }
      return;
    }
    case 'REFUSE_ACCEPTANCE':
      return text('reason', action.reason, CAPS.text);
    case 'LIST_SUPERVISION': {
      const levels = [state.case.regionCode, ...state.case.upperRegionCodes];
      if (typeof action.regionCode !== 'string' || !levels.includes(action.regionCode)) {
        throw badInput('regionCode', `must be the hazard's region or one above it (${levels.join(', ')})`);
      }
      text('officeName', action.officeName, CAPS.name);
      text('documentNo', action.documentNo, CAPS.name);
      isoDate('listedOn', action.listedOn);
      if (action.listedOn > now) throw badInput('listedOn', 'must not be in the future');
      return;
    }
    case 'RECORD_SUPERVISION_RECEIPT': {
      text('signedBy', action.signedBy, CAPS.name);
      isoDate('receivedOn', action.receivedOn);
      if (action.receivedOn > now) throw badInput('receivedOn', 'must not be in the future');
      const listedOn = state.supervision!.listedOn;
      if (action.receivedOn < listedOn) throw badInput('receivedOn', `must not be before the listing (${listedOn})`);
      return;
    }
    case 'LIFT_SUPERVISION':
      return;
    case 'MARK_SUSPECTED_CRIME':
      return text('reason', action.reason, CAPS.text);
    case 'RECORD_ENFORCEMENT_DECISION':
      oneOf('decision', action.decision, ENFORCEMENT_DECISIONS);
      return text('reason', action.reason, CAPS.text);
    case 'ACCIDENT_LINKED':
      if (!isRecordId(action.accidentId)) throw badInput('accidentId', 'must be an accident id');
      return;
    case 'FIRE_DEADLINES':
      if (!Array.isArray(action.keys)) throw badInput('keys', 'must be a list');
      return;
  }
}

/** Closure (销号) once accepted, unless a listing is still in force: then it waits in ACCEPTANCE for the lift. */
function closeIfFree(state: HazardState, at: string): HazardState {
  if (!state.acceptedAt || activeSupervision(state)) return state;
  return { ...state, stage: 'CLOSED', closedAt: at };
}

/**
 * The state an action leads to. Call `checkHazardAction` first. Returns the same object when the action changes
 * nothing (a repeated accident link, timers already fired), so the caller records no change.
 */
export function applyHazardAction(state: HazardState, action: HazardAction, actor: Actor, at: Date): HazardState {
  const iso = at.toISOString();
  const by = actor.name;
  const next = (changes: Partial<HazardState>): HazardState => ({ ...state, ...changes, revision: state.revision + 1 });
  switch (action.type) {
    case 'FIX_AT_ONCE': {
      const fixedAtOnce = { at: iso, by, evidence: action.evidence };
      // A general hazard fixed at once is closed; a major one is accepted by the supervising department first.
      if (state.case.grade === 'GENERAL') return closeIfFree(next({ fixedAtOnce, acceptedAt: iso, acceptedBy: by, acceptanceEvidence: action.evidence, stage: 'ACCEPTANCE' }), iso);
      return next({ fixedAtOnce, stage: 'ACCEPTANCE', submissions: [...state.submissions, { at: iso, by, evidence: action.evidence }] });
    }
    case 'PLAN_RECTIFICATION': {
      const { responsiblePerson, measures, funds, deadlineOn, emergencyPlan } = action;
      return next({
        stage: 'RECTIFYING',
        plan: { responsiblePerson, measures, funds, deadlineOn, emergencyPlan, at: iso, by },
        deadlineOn,
        dueAt: endOfChinaDay(deadlineOn),
        overdue: false,
        overdueNotices: 0,
      });
    }
    case 'REQUEST_EXTENSION':
      return next({ extensions: [...state.extensions, { id: `E${state.extensions.length + 1}`, requestedAt: iso, requestedBy: by, untilOn: action.untilOn, reason: action.reason }] });
    case 'DECIDE_EXTENSION': {
      const decision = { at: iso, by, approved: action.approved, reason: action.reason };
      const extensions = state.extensions.map((e) => (e.id === action.extensionId ? { ...e, decision } : e));
      if (!action.approved) return next({ extensions });
      const pending = state.extensions.find((e) => e.id === action.extensionId)!;
      // The deadline moves: the notices of the old one that are still ahead give way to those of the new one.
      const dueAt = endOfChinaDay(pending.untilOn);
      const moved = dueAt > iso ? { overdue: false, overdueNotices: 0 } : {};
      return next({ extensions, deadlineOn: pending.untilOn, dueAt, ...moved });
    }
    case 'SUBMIT_FOR_ACCEPTANCE':
      return next({ stage: 'ACCEPTANCE', submissions: [...state.submissions, { at: iso, by, evidence: action.evidence }] });
    case 'ACCEPT_RECTIFICATION':
      return closeIfFree(next({ acceptedAt: iso, acceptedBy: by, acceptanceEvidence: action.evidence }), iso);
    case 'REFUSE_ACCEPTANCE': {
      const submissions = state.submissions.map((s, i) => (i === state.submissions.length - 1 ? { ...s, refused: { at: iso, by, reason: action.reason } } : s));
      // Back to the rectification under way; a hazard said to be fixed at once, with no plan, back to the ledger.
      return next({ submissions, stage: state.plan ? 'RECTIFYING' : 'REPORTED', ...(state.plan ? {} : { fixedAtOnce: undefined }) });
    }
    case 'LIST_SUPERVISION': {
      const { regionCode, officeName, documentNo, listedOn } = action;
      return next({ supervision: { regionCode, officeName, documentNo, listedOn, listedBy: by } });
    }
    case 'RECORD_SUPERVISION_RECEIPT':
      return next({ supervision: { ...state.supervision!, receipt: { signedBy: action.signedBy, receivedOn: action.receivedOn, recordedAt: iso } } });
    case 'LIFT_SUPERVISION':
      return closeIfFree(next({ supervision: { ...state.supervision!, liftedAt: iso, liftedBy: by } }), iso);
    case 'MARK_SUSPECTED_CRIME':
      return next({ suspectedCrime: { at: iso, by, reason: action.reason } });
    case 'RECORD_ENFORCEMENT_DECISION':
      return next({ decision: { decision: action.decision, reason: action.reason, at: iso, by, advice: enforcementAdvice(state).advice } });
    case 'ACCIDENT_LINKED':
      return state.accidentId === action.accidentId ? state : next({ accidentId: action.accidentId });
    case 'FIRE_DEADLINES': {
      const events = hazardDeadlineEvents(state).filter((e) => action.keys.includes(e.key));
      if (!events.length) return state;
      const notices = Math.max(state.overdueNotices, ...events.map((e) => e.notice ?? 0));
      return next({ firedDeadlines: [...state.firedDeadlines, ...events.map((e) => e.key)], overdueNotices: notices, overdue: state.overdue || notices > 0 });
    }
  }
}

// ---- Deadlines: reminders, and the overdue notices climbing the region tree ----

export interface HazardEvent {
  /** Unique per deadline date: a moved deadline gets fresh reminders and notices. */
  key: string;
  at: string;
  kind: 'REMINDER' | 'OVERDUE' | 'ESCALATION';
  /** The instant the deadline in force ends. */
  deadline: string;
  /** Overdue notices: 1, 2, 3 (the first is OVERDUE, the later ESCALATION). */
  notice?: number;
  /** Overdue notices: the region whose safety office it goes to, and that office. */
  regionCode?: string;
  officeName?: string;
}

/** The region (and its office) the n-th overdue notice goes to: one level further up each time, the top if the tree is shorter. */
export function noticeLevel(c: Pick<HazardCase, 'upperRegionCodes' | 'upperOfficeNames' | 'regionCode' | 'supervisingDepartmentName'>, notice: number): { regionCode: string; officeName: string } {
  if (!c.upperRegionCodes.length) return { regionCode: c.regionCode, officeName: c.supervisingDepartmentName };
  const i = Math.min(notice - 1, c.upperRegionCodes.length - 1);
  return { regionCode: c.upperRegionCodes[i]!, officeName: c.upperOfficeNames[i] ?? c.upperRegionCodes[i]! };
}

/** Every timed event still ahead of a hazard under rectification, earliest first. */
export function hazardDeadlineEvents(state: HazardState): HazardEvent[] {
  if (state.stage !== 'RECTIFYING' || !state.dueAt || !state.deadlineOn) return [];
  const p = state.case.profile;
  const due = Date.parse(state.dueAt);
  const events: HazardEvent[] = [];
  for (const days of p.reminderDaysBefore) {
    events.push({ key: `reminder-${days}d@${state.deadlineOn}`, at: new Date(due - days * DAY_MS).toISOString(), kind: 'REMINDER', deadline: state.dueAt });
  }
  for (let n = 1; n <= p.overdueNotices; n++) {
    events.push({
      key: `overdue-${n}@${state.deadlineOn}`,
      at: new Date(due + (n - 1) * p.overdueNoticeIntervalDays * DAY_MS).toISOString(),
      kind: n === 1 ? 'OVERDUE' : 'ESCALATION',
      deadline: state.dueAt,
      notice: n,
      ...noticeLevel(state.case, n),
    });
  }
  const fired = new Set(state.firedDeadlines);
  return events.filter((e) => !fired.has(e.key)).sort((a, b) => a.at.localeCompare(b.at) || a.key.localeCompare(b.key));
}

/**
 * The events due at `now`, and those to announce: of several reminders due together only the last, and none once
 * the deadline has passed; every overdue notice due (each goes to a different level).
 */
export function dueHazardEvents(state: HazardState, now: Date): { due: HazardEvent[]; announce: HazardEvent[] } {
  const due = hazardDeadlineEvents(state).filter((e) => Date.parse(e.at) <= now.getTime());
  const announce = due.filter((e) => {
    if (e.kind !== 'REMINDER') return true;
    return !due.some((o) => o.kind !== 'REMINDER') && !due.some((o) => o.kind === 'REMINDER' && o.at > e.at);
  });
  return { due, announce };
}

/** Who an event is addressed to: a reminder the enterprise and the supervising department; a notice the office of its level. */
export function hazardEventRecipients(state: HazardState, event: HazardEvent): string[] {
  if (event.kind === 'REMINDER') return [state.case.enterpriseName, state.case.supervisingDepartmentName];
  return [event.officeName!];
}

// ---- Enforcement advice (003 §三.(三)2.(1)) ----

const CLAUSE_NO_PENALTY = '003 §三.(三)2.(1)①';
const CLAUSE_BOTH = '003 §三.(三)2.(1)②';
const CLAUSE_CLOSURE = '003 §三.(三)2.(1)③';

/**
 * The advice for the state the hazard is in, with its reason. Advice only: the official decides
 * (RECORD_ENFORCEMENT_DECISION), and the decision is stored with the advice it was given.
 * - suspected crime → transfer to the judiciary (③);
 * - penalised repeatedly (two or more earlier penalties) and penalisable now → closure and an industry ban (③);
 * - an accident followed, or the hazard is left in place (overdue past the last notice, or found by others and
 *   nobody remedying it) → penalise the enterprise and its principal (一案双罚, ②);
 * - found and reported by the enterprise itself and under effective remediation (fixed at once, rectifying on time,
 *   or accepted) → no administrative penalty (①);
 * - otherwise → 一案双罚 (②), with the reason.
 */
export function enforcementAdvice(state: HazardState): Advice {
  if (state.suspectedCrime) {
    return { advice: 'TRANSFER_TO_JUDICIARY', reason: `涉嫌犯罪（${state.suspectedCrime.reason}），依法移送司法机关追究刑事责任（${CLAUSE_CLOSURE}）。` };
  }
  const base = baseAdvice(state);
  if (base.advice === 'PENALISE_BOTH' && state.case.earlierPenalties >= 2) {
    return {
      advice: 'CLOSURE_AND_BAN',
      reason: `重大事故隐患长期存在并多次受到处罚（此前已处罚${state.case.earlierPenalties}次），${base.reason.replace(/（003[^）]*）。$/, '')}，依法提请地方人民政府予以关闭并落实企业主要负责人行业禁入规定（${CLAUSE_CLOSURE}）。`,
    };
  }
  return base;
}

function baseAdvice(state: HazardState): Advice {
  const p = state.case.profile;
  const accepted = Boolean(state.acceptedAt);
  if (state.accidentId) return { advice: 'PENALISE_BOTH', reason: `隐患未消除导致发生事故，依法对企业和企业主要负责人实行“一案双罚”（${CLAUSE_BOTH}）。` };
  if (!accepted && state.overdueNotices >= p.overdueNotices) {
    return { advice: 'PENALISE_BOTH', reason: `逾期未整改，经${p.overdueNotices}次逾期通报仍未消除，排查整治不力导致重大事故隐患依然存在，依法实行“一案双罚”（${CLAUSE_BOTH}）。` };
  }
  const selfReported = state.case.source === 'SELF_REPORT';
  if (!selfReported && state.stage === 'REPORTED') {
    return { advice: 'PENALISE_BOTH', reason: `隐患非企业自查报告，且未立即整改、未制定整改方案，排查整治不力导致重大事故隐患依然存在，依法实行“一案双罚”（${CLAUSE_BOTH}）。` };
  }
  const fixedAtOnce = Boolean(state.fixedAtOnce) && state.stage !== 'REPORTED';
  const onTime = (state.stage === 'RECTIFYING' || state.stage === 'ACCEPTANCE') && !state.overdue;
  if (selfReported && (fixedAtOnce || onTime || accepted)) {
    const how = accepted ? '已整改并经验收' : fixedAtOnce ? '已立即整改' : '正按“五落实”限期整改且未逾期';
    return { advice: 'NO_PENALTY', reason: `企业自查发现并已按规定报告，正在采取有效措施消除（${how}），依法不予行政处罚（${CLAUSE_NO_PENALTY}）。` };
  }
  if (selfReported && state.stage === 'REPORTED' && !state.overdue && !state.submissions.some((x) => x.refused)) {
    // Just reported: the policy rewards reporting (003 §三.(三)2.(1)①); the advice turns once remediation lapses.
    return { advice: 'NO_PENALTY', reason: `企业自查发现并已按规定报告，应立即整改或按“五落实”制定整改方案；有效整改期间依法不予行政处罚（${CLAUSE_NO_PENALTY}）。` };
  }
  if (selfReported) {
    const why = state.overdue ? '整改已逾期' : '尚未采取有效整改措施';
    return { advice: 'PENALISE_BOTH', reason: `企业自查报告，但${why}，排查整治不力导致重大事故隐患依然存在，依法实行“一案双罚”（${CLAUSE_BOTH}）。` };
  }
  const found = { INSPECTION: '执法检查', WHISTLEBLOWER: '群众举报', EVALUATION: '事故整改评估', CAMPAIGN: '专项整治评估', SELF_REPORT: '企业自查' }[state.case.source];
  return { advice: 'PENALISE_BOTH', reason: `隐患由${found}发现而非企业自查报告，企业排查整治不力导致重大事故隐患存在，依法实行“一案双罚”（${CLAUSE_BOTH}）。` };
}

/** What access rules need to know of a hazard, and of the act on it (the listing's level). */
export function hazardScope(state: HazardState, action?: HazardAction): HazardScope {
  const c = state.case;
  return {
    hazardId: c.hazardId,
    enterpriseId: c.enterpriseId,
    regionCode: c.regionCode,
    supervisingDepartmentId: c.supervisingDepartmentId,
    supervisionRegionCode: state.supervision?.regionCode ?? null,
    ...(action?.type === 'LIST_SUPERVISION' && typeof action.regionCode === 'string' ? { listingRegionCode: action.regionCode } : {}),
  };
}

// ---- Whistleblower reports ----

export function initialWhistleblowerState(report: WhistleblowerReport): WhistleblowerState {
  return { report, stage: 'RECEIVED', revision: 1 };
}

const REPORT_STAGES_OF: Record<WhistleblowerAction['type'], readonly WhistleblowerStage[]> = {
  // Dispatched to the responsible department; dispatched again while it is not verified (the wrong department).
  DISPATCH_REPORT: ['RECEIVED', 'DISPATCHED'],
  // The department verifies; the office may verify a report it did not dispatch.
  RECORD_VERIFICATION: ['RECEIVED', 'DISPATCHED'],
  RECORD_REWARD: ['VERIFIED'],
  CLOSE_REPORT: ['VERIFIED'],
};

export function canWhistleblowerTransition(state: WhistleblowerState, type: WhistleblowerAction['type']): boolean {
  if (!REPORT_STAGES_OF[type]?.includes(state.stage)) return false;
  if (type === 'RECORD_REWARD') return !state.reward && state.verification?.outcome !== 'UNFOUNDED';
  return true;
}

export function allowedWhistleblowerActions(state: WhistleblowerState): WhistleblowerAction['type'][] {
  return (Object.keys(REPORT_STAGES_OF) as WhistleblowerAction['type'][]).filter((type) => canWhistleblowerTransition(state, type));
}

export function checkWhistleblowerAction(state: WhistleblowerState, action: WhistleblowerAction, _at: Date): void {
  if (!REPORT_STAGES_OF[action.type]) throw badInput('type', `unknown action ${String(action.type)}`);
  if (!REPORT_STAGES_OF[action.type].includes(state.stage)) throw invalidTransition(`${action.type} is not possible while the report is ${state.stage}`);
  switch (action.type) {
    case 'DISPATCH_REPORT':
      if (!isRecordId(action.departmentId)) throw new DomainError('NOT_FOUND', 'no such record', 'departmentId');
      return text('departmentName', action.departmentName, CAPS.name);
    case 'RECORD_VERIFICATION':
      oneOf('outcome', action.outcome, VERIFICATION_OUTCOMES);
      text('findings', action.findings, CAPS.text);
      if (action.outcome === 'UNFOUNDED') {
        if (action.hazardId !== undefined && action.hazardId !== null) throw badInput('hazardId', 'an unfounded report becomes no hazard');
      } else if (!isRecordId(action.hazardId)) {
        throw badInput('hazardId', 'a report found true names the hazard it was entered as');
      }
      return;
    case 'RECORD_REWARD':
      if (state.reward) throw invalidTransition('the reward is already recorded');
      if (state.verification?.outcome === 'UNFOUNDED') throw invalidTransition('an unfounded report earns no reward');
      if (!isYuan(action.amountYuan) || Number(action.amountYuan) <= 0) throw badInput('amountYuan', 'must be an amount in yuan > 0');
      return text('note', action.note, CAPS.text);
    case 'CLOSE_REPORT':
      return;
  }
}

export function applyWhistleblowerAction(state: WhistleblowerState, action: WhistleblowerAction, actor: Actor, at: Date): WhistleblowerState {
  const iso = at.toISOString();
  const by = actor.name;
  const next = (changes: Partial<WhistleblowerState>): WhistleblowerState => ({ ...state, ...changes, revision: state.revision + 1 });
  switch (action.type) {
    case 'DISPATCH_REPORT':
      return next({ stage: 'DISPATCHED', dispatch: { departmentId: action.departmentId, departmentName: action.departmentName, at: iso, by } });
    case 'RECORD_VERIFICATION':
      return next({
        stage: 'VERIFIED',
        verification: { outcome: action.outcome, findings: action.findings, at: iso, by, ...(action.outcome === 'UNFOUNDED' ? {} : { hazardId: action.hazardId }) },
      });
    case 'RECORD_REWARD':
      return next({ reward: { amountYuan: action.amountYuan, note: action.note, at: iso, by } });
    case 'CLOSE_REPORT':
      return next({ stage: 'CLOSED', closedAt: iso });
  }
}

export function whistleblowerScope(state: WhistleblowerState): WhistleblowerScope {
  return { reportId: state.report.reportId, handlingRegionCode: state.report.handlingRegionCode, dispatchedDepartmentId: state.dispatch?.departmentId ?? null };
}

/** What the reporter reads with the receipt: the stage, the dates of its steps and the outcome, and nothing else. */
export interface WhistleblowerStatus {
  stage: WhistleblowerStage;
  receivedOn: string;
  dispatchedOn: string | null;
  verifiedOn: string | null;
  closedOn: string | null;
  outcome: VerificationOutcome | null;
}

export function whistleblowerStatus(state: Pick<WhistleblowerState, 'stage' | 'dispatch' | 'verification' | 'closedAt'> & { report: Pick<WhistleblowerReport, 'receivedAt'> }): WhistleblowerStatus {
  const day = (iso: string | undefined): string | null => (iso ? chinaDate(new Date(iso)) : null);
  return {
    stage: state.stage,
    receivedOn: day(state.report.receivedAt)!,
    dispatchedOn: day(state.dispatch?.at),
    verifiedOn: day(state.verification?.at),
    closedOn: day(state.closedAt),
    outcome: state.verification?.outcome ?? null,
  };
}
