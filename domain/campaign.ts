// Evaluation of a special rectification campaign (专项整治评估, seed 002; DOMAIN.md §2). Pure: types, rules, and the
// state changes the campaign workflows make. Dates the rules count in are China calendar dates (YYYY-MM-DD);
// instants are ISO strings in UTC.
import type { Sector } from './case.js';
import type { Actor } from './evaluation.js';
import type { WorkingCalendar } from './working-days.js';

export const CAMPAIGN_KINDS = ['THREE_YEAR', 'DISTRICT_WIDE', 'SECTOR'] as const;
/** 三年专项整治, 全区性专项整治, 行业领域专项整治 (002 §2). */
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

/**
 * Stages of a campaign's evaluation (002 §7, §13). A campaign shorter than a year goes from SECTOR_REVIEW to
 * LEAD_ASSESSMENT (the lead department's own comprehensive assessment, filed with the safety office) and then
 * closes; a longer one goes through COMPREHENSIVE_ASSESSMENT and FOLLOW_UP.
 */
export const CAMPAIGN_STAGES = [
  'WAITING_FOR_END',
  'PREPARATION',
  'SELF_EVALUATION',
  'SECTOR_REVIEW',
  'COMPREHENSIVE_ASSESSMENT',
  'LEAD_ASSESSMENT',
  'FOLLOW_UP',
  'CLOSED',
] as const;
export type CampaignStage = (typeof CAMPAIGN_STAGES)[number];

export const GRADES = ['EXCELLENT', 'GOOD', 'FAIR', 'POOR'] as const;
/** 优, 良, 中, 差 (002 §10(二), §11(二)). */
export type Grade = (typeof GRADES)[number];

export const REVIEW_METHODS = ['MEETING', 'QUESTIONNAIRE', 'RANDOM_VISIT', 'LEDGER_SPOT_CHECK'] as const;
/** 座谈会, 问卷调查, 随机走访, 现场抽查台账 (002 §10(一)). */
export type ReviewMethod = (typeof REVIEW_METHODS)[number];

export const CAMPAIGN_DIMENSIONS = [
  'TARGET_TASKS',
  'HAZARD_RECTIFICATION',
  'LONG_TERM_MECHANISMS',
  'ACCIDENTS',
  'SAFETY_DEVELOPMENT_MINDSET',
  'RESPONSIBILITY',
  'MAJOR_RISKS',
  'ENFORCEMENT_EFFICACY',
  'OTHER',
] as const;
/** The nine dimensions an evaluation covers (002 §5). */
export type CampaignDimension = (typeof CAMPAIGN_DIMENSIONS)[number];

/** The deadlines of a campaign, one per stage with a time limit (002 §8-§11). */
export const CAMPAIGN_CLOCKS = ['PREPARATION', 'SELF_EVALUATION', 'SECTOR_REVIEW', 'ASSESSMENT'] as const;
export type CampaignClock = (typeof CAMPAIGN_CLOCKS)[number];

/** A town (区镇/街道) in a sector's scope. */
export interface CampaignTown {
  regionId: string;
  /** 9-digit town code; access rules match grants on it. */
  regionCode: string;
  name: string;
}

export interface CampaignSectorScope {
  sector: Sector;
  leadDepartmentId: string;
  leadDepartmentName: string;
  /** Codes of the towns in this sector's scope (a subset of the campaign's towns). */
  townCodes: string[];
}

/** What the workflow needs of a registered campaign, fixed at registration. */
export interface CampaignCase {
  campaignId: string;
  name: string;
  kind: CampaignKind;
  /** China dates. */
  startsOn: string;
  endsOn: string;
  /** The organising district (区). */
  districtRegionId: string;
  districtRegionCode: string;
  districtName: string;
  /** Name of the district's safety office (区安委办). */
  officeName: string;
  sectors: CampaignSectorScope[];
  /** Every town in scope of any sector. */
  towns: CampaignTown[];
  /** The dimensions of 002 §5 the plan will evaluate. */
  dimensions: CampaignDimension[];
  profile: CampaignRuleProfile;
}

/** Day limits of 002 §8-§13, versioned like the evaluation's profiles (domain/rule-profiles.ts). */
export interface CampaignRuleProfile {
  id: string;
  version: string;
  document: string;
  source: string;
  /** Days after the campaign ends: the plan and leading group (002 §8). */
  preparationDays: number;
  /** Days after the campaign ends: the towns' self-evaluations (002 §9(四)). */
  selfEvaluationDays: number;
  /** Days after the self-evaluation deadline: the sector review (002 §10(五)). */
  sectorReviewDays: number;
  /** Days after the sector-review deadline: the comprehensive assessment (002 §11(四)). */
  assessmentDays: number;
  /** An extension is asked for at least this many working days before the deadline (002 §10(五)). */
  extensionNoticeWorkingDays: number;
  /** Campaigns at least this many months long run all five stages (002 §13). */
  fullPathMinMonths: number;
  /** Reminders before each deadline, in days. */
  reminderDaysBefore: number[];
}

export interface Deadline {
  clock: CampaignClock;
  /** The last day (China date), rolled forward off weekends and public holidays. */
  dueOn: string;
  /** The instant the day ends in China: timers count to this. */
  dueAt: string;
  /** True when the year of `dueOn` has no working-day calendar loaded: it may still move. */
  provisional: boolean;
  /** Days added by approved extensions. */
  extendedDays: number;
}

export interface LeadingGroupMember {
  name: string;
  unit: string;
  /** A third-party expert (002 §8(二)). */
  expert: boolean;
}

export interface Preparation {
  submittedAt: string;
  submittedBy: string;
  /** The evaluation plan: schedule, scope, duties (002 §8(一)). */
  schedule: string;
  scope: string;
  duties: string;
  leadingGroup: LeadingGroupMember[];
}

/** A report approved by a leader: the overall one, or one sub-report per town (sector review) or sector (assessment). */
export interface CampaignReport {
  overall: string;
  /** Town code (sector review) or sector (assessment) → sub-report. */
  subReports: { unit: string; text: string }[];
}

/**
 * The comprehensive assessment (002 §11) or, on the short path, the lead department's own (002 §13). Its grades
 * count once the district leader approves it (full path) or once it is filed (short path).
 */
export interface CampaignAssessment extends CampaignReport {
  sectorGrades: { sector: Sector; grade: Grade }[];
  /** AWAITING_APPROVAL → APPROVED, or RETURNED for rework; FILED: the short path's, filed with the office. */
  status: 'AWAITING_APPROVAL' | 'RETURNED' | 'APPROVED' | 'FILED';
  submittedAt: string;
  submittedBy: string;
  approvedAt?: string;
  approvedBy?: string;
  returns: { at: string; reason: string }[];
}

export interface GradeRecord {
  /** TOWN graded by a sector review, SECTOR graded by the comprehensive (or lead) assessment. */
  unitKind: 'TOWN' | 'SECTOR';
  /** Town code or sector. */
  unit: string;
  /** The sector whose review graded the town, or the graded sector. */
  sector: Sector;
  grade: Grade;
  /** 优: priority for "advanced collective" (002 §15). */
  priority: boolean;
  /** 差: one-vote veto on the unit and its head (002 §16). */
  veto: boolean;
  gradedAt: string;
}

/** Status of one town's self-evaluation or one sector's review, as the campaign holds it (the child holds the content). */
export interface UnitStatus {
  /** Town code or sector. */
  unit: string;
  workflowId: string;
  /** Submitted for approval; approved (only then does it count, 002 §9(三), §10(四)). */
  submittedAt?: string;
  approvedAt?: string;
  overdue: boolean;
}

export interface ExtensionRequest {
  id: string;
  clock: CampaignClock;
  requestedAt: string;
  requestedBy: string;
  /** The unit asking (the lead department's name). */
  requestingUnit: string;
  explanation: string;
  /** New last day asked for (China date). */
  untilOn: string;
  decision?: { at: string; by: string; approved: boolean; reason: string };
}

export interface RectificationPlan {
  townCode: string;
  submittedAt: string;
  submittedBy: string;
  responsibility: string;
  measures: string;
  /** China date. */
  deadlineOn: string;
}

export interface LookBack {
  id: string;
  workflowId: string;
  townCode: string;
  sector: Sector;
  /** 问题突出 (prominent problems) or 重大安全隐患 (major hazards) (002 §12(二)). */
  reason: 'PROMINENT_PROBLEMS' | 'MAJOR_HAZARDS';
  /** China date the review is held on; its workflow sleeps until then. */
  scheduledOn: string;
  scheduledBy: string;
  /** Set when the day comes (by the look-back's own workflow). */
  dueSince?: string;
  findings?: string;
  resolved?: boolean;
  recordedAt?: string;
}

export interface Inspection {
  on: string;
  townCode: string;
  findings: string;
  recordedBy: string;
}

export interface CampaignState {
  case: CampaignCase;
  stage: CampaignStage;
  /** Grows by one with every change; the read model refuses older writes. */
  revision: number;
  /** True when the campaign runs all five stages (a year or longer, 002 §13). */
  fullPath: boolean;
  deadlines: Deadline[];
  /** The clocks that passed with their stage not done. */
  overdue: CampaignClock[];
  firedDeadlines: string[];
  /** Holidays and make-up working days for the years the deadlines fall in (loaded by an activity). */
  calendar: WorkingCalendar;
  preparation?: Preparation;
  towns: UnitStatus[];
  sectors: UnitStatus[];
  /** Sector review grades (towns) and assessment grades (sectors). */
  grades: GradeRecord[];
  assessment?: CampaignAssessment;
  extensions: ExtensionRequest[];
  plans: RectificationPlan[];
  lookBacks: LookBack[];
  inspections: Inspection[];
  closedAt?: string;
}

export type CampaignAction =
  | { type: 'SUBMIT_PREPARATION'; schedule: string; scope: string; duties: string; leadingGroup: LeadingGroupMember[] }
  | { type: 'REQUEST_EXTENSION'; clock: CampaignClock; untilOn: string; explanation: string; requestingUnit: string }
  | { type: 'DECIDE_EXTENSION'; extensionId: string; approved: boolean; reason: string }
  /** The comprehensive assessment (long path, safety office) or the lead department's own (short path). */
  | { type: 'SUBMIT_ASSESSMENT'; overall: string; subReports: { unit: string; text: string }[]; sectorGrades: { sector: Sector; grade: Grade }[] }
  | { type: 'RETURN_ASSESSMENT'; reason: string }
  | { type: 'APPROVE_ASSESSMENT' }
  | { type: 'SUBMIT_RECTIFICATION_PLAN'; townCode: string; responsibility: string; measures: string; deadlineOn: string }
  | { type: 'SCHEDULE_LOOK_BACK'; townCode: string; sector: Sector; reason: LookBack['reason']; scheduledOn: string }
  | { type: 'RECORD_INSPECTION'; townCode: string; on: string; findings: string }
  | { type: 'CLOSE_FOLLOW_UP' }
  // The workflow's own: children reporting back, timers, a calendar loaded.
  | { type: 'UNIT_SUBMITTED'; unitKind: 'TOWN' | 'SECTOR'; unit: string }
  | { type: 'UNIT_APPROVED'; unitKind: 'TOWN' | 'SECTOR'; unit: string; townGrades?: { townCode: string; grade: Grade }[] }
  | { type: 'LOOK_BACK_DUE'; lookBackId: string }
  | { type: 'LOOK_BACK_RECORDED'; lookBackId: string; findings: string; resolved: boolean }
  | { type: 'CALENDAR_LOADED'; calendar: WorkingCalendar }
  | { type: 'FIRE_DEADLINES'; keys: string[] };

export type CampaignActionType = CampaignAction['type'];

/** Actions an official takes on the campaign itself; the rest are the workflow's own. */
export const CAMPAIGN_OFFICIAL_ACTIONS = [
  'SUBMIT_PREPARATION',
  'REQUEST_EXTENSION',
  'DECIDE_EXTENSION',
  'SUBMIT_ASSESSMENT',
  'RETURN_ASSESSMENT',
  'APPROVE_ASSESSMENT',
  'SUBMIT_RECTIFICATION_PLAN',
  'SCHEDULE_LOOK_BACK',
  'RECORD_INSPECTION',
  'CLOSE_FOLLOW_UP',
] as const satisfies readonly CampaignActionType[];

// ---- One town's self-evaluation (child workflow `campaign/<id>/town/<code>`) ----

export interface SelfEvaluationDraft {
  /** 自评报告 */
  report: string;
  /** 目标任务完成情况清单 */
  targetTasks: string[];
  /** 问题隐患整改情况清单 */
  hazardRectifications: string[];
  /** 典型经验做法清单 */
  typicalPractices: string[];
}

export interface TownSelfEvaluationState {
  campaignId: string;
  campaignWorkflowId: string;
  town: CampaignTown;
  districtRegionCode: string;
  /** Sectors whose scope includes this town. */
  sectors: Sector[];
  stage: 'DRAFTING' | 'AWAITING_APPROVAL' | 'APPROVED';
  revision: number;
  draft?: SelfEvaluationDraft & { submittedAt: string; submittedBy: string };
  approvedAt?: string;
  approvedBy?: string;
  returns: { at: string; reason: string }[];
}

export type TownAction =
  | ({ type: 'SUBMIT_TOWN_SELF_EVALUATION' } & SelfEvaluationDraft)
  | { type: 'RETURN_TOWN_SELF_EVALUATION'; reason: string }
  | { type: 'APPROVE_TOWN_SELF_EVALUATION' };

// ---- One sector's review (child workflow `campaign/<id>/sector/<sector>`) ----

export interface SectorReviewState {
  campaignId: string;
  campaignWorkflowId: string;
  districtRegionCode: string;
  scope: CampaignSectorScope;
  stage: 'REVIEWING' | 'AWAITING_APPROVAL' | 'APPROVED';
  revision: number;
  methods: { method: ReviewMethod; on: string; summary: string; recordedBy: string }[];
  review?: CampaignReport & { townGrades: { townCode: string; grade: Grade }[]; submittedAt: string; submittedBy: string };
  approvedAt?: string;
  approvedBy?: string;
  returns: { at: string; reason: string }[];
}

export type SectorAction =
  | { type: 'RECORD_REVIEW_METHOD'; method: ReviewMethod; on: string; summary: string }
  | { type: 'SUBMIT_SECTOR_REVIEW'; overall: string; subReports: { unit: string; text: string }[]; townGrades: { townCode: string; grade: Grade }[] }
  | { type: 'RETURN_SECTOR_REVIEW'; reason: string }
  | { type: 'APPROVE_SECTOR_REVIEW' };

// ---- A look-back review (child workflow `campaign/<id>/look-back/<n>`): sleeps until its day, then waits for its record ----

export interface LookBackState {
  campaignId: string;
  campaignWorkflowId: string;
  districtRegionCode: string;
  lookBack: LookBack;
  leadDepartmentId: string;
  /** Who is reminded when the day comes, and of which town (names for the notice). */
  leadDepartmentName: string;
  townName?: string;
  stage: 'SCHEDULED' | 'DUE' | 'RECORDED';
  revision: number;
}

export type LookBackAction = { type: 'RECORD_LOOK_BACK'; findings: string; resolved: boolean };

export function campaignWorkflowId(campaignId: string): string {
  return `campaign/${campaignId}`;
}
export function townWorkflowId(campaignId: string, townCode: string): string {
  return `campaign/${campaignId}/town/${townCode}`;
}
export function sectorWorkflowId(campaignId: string, sector: Sector): string {
  return `campaign/${campaignId}/sector/${sector}`;
}
export function lookBackWorkflowId(campaignId: string, lookBackId: string): string {
  return `campaign/${campaignId}/look-back/${lookBackId}`;
}

/** Who acted, as every campaign action carries it (the same shape as the evaluation's). */
export type { Actor };

// The rules, by concern: clocks and timed events; the campaign's stage machine, grades and access scope; the
// children's (towns, sectors, look-backs). Re-exported so the campaign's rules are imported from one place.
export * from './campaign-deadlines.js';
export * from './campaign-stages.js';
export * from './campaign-units.js';
export { CAMPAIGN_CAPS } from './campaign-input.js';
