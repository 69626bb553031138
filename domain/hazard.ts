// Major accident hazards (重大事故隐患) to closure (销号), listed supervision (挂牌督办) and enforcement advice (seed 003;
// seed 004 items 1, 12-13; DOMAIN.md §3). Pure: types, rules, and the state changes the hazard workflow makes.
// Dates the rules count in are China calendar dates (YYYY-MM-DD); instants are ISO strings in UTC.
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
