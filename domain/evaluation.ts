import { addDays, addMonths } from './calendar.js';
import { badInput, invalidTransition } from './errors.js';
import type { CaseScope, RoleGrant } from './access.js';
import type { AccountabilityKind } from './case.js';
import type { EvaluationRuleProfile, ReportList, ReportSection } from './rule-profiles.js';

/** Stages of a post-accident rectification evaluation (001 §8-§11, 000 §四-§五). */
export const EVALUATION_STAGES = [
  'WAITING_FOR_WINDOW',
  'TEAM_FORMATION',
  'SELF_EVALUATION',
  'DOCUMENT_REVIEW',
  'ON_SITE_VERIFICATION',
  'COMPREHENSIVE_ASSESSMENT',
  'REPORT_DRAFTING',
  'REPORT_APPROVAL',
  'PUBLICATION',
  'FOLLOW_UP',
  'CLOSED',
] as const;
export type EvaluationStage = (typeof EVALUATION_STAGES)[number];

export const TEAM_ROLES = ['LEADER', 'DEPUTY_LEADER', 'MEMBER', 'DISCIPLINE_INSPECTION', 'EXPERT'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

export const ON_SITE_CHECK_KINDS = ['INTERVIEW', 'DOCUMENT_CHECK', 'SITE_VISIT'] as const;
/** 座谈问询, 查阅文件, 走访核查 (001 §8(二)). */
export type OnSiteCheckKind = (typeof ON_SITE_CHECK_KINDS)[number];

export const FINDING_STATUSES = ['IMPLEMENTED', 'PARTLY_IMPLEMENTED', 'NOT_IMPLEMENTED'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

export const REFERRAL_KINDS = ['PARTY_COMMITTEE', 'DISCIPLINE_INSPECTION', 'PROCURATORATE', 'COURT'] as const;
/** Where a problem is transferred or reported (001 §11(二)(三)). */
export type ReferralKind = (typeof REFERRAL_KINDS)[number];

export const TASK_STATUSES = ['OPEN', 'OVERDUE', 'DONE'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const OVERDUE_CLOCKS = ['WINDOW', 'TEAM'] as const;
/** WINDOW: not published by closure + 12 months (004 item 3). TEAM: the team's own time limit passed (000 §四). */
export type OverdueClock = (typeof OVERDUE_CLOCKS)[number];

/** Who acted. Travels with every action so the audit trail and validators see it. */
export interface Actor {
  id: string;
  name: string;
  role?: string;
  /** The actor's roles; the workflow checks them again, so a call that bypasses the API is refused too. */
  grants?: RoleGrant[];
}

export interface MeasureRef {
  id: string;
  seq: number;
  text: string;
  responsibleUnits: string[];
}

export interface AccountabilityRef {
  id: string;
  kind: AccountabilityKind;
  subject: string;
}

/** What the evaluation needs to know of its case, fixed when the case closes. */
export interface EvaluationCase {
  evaluationId: string;
  accidentId: string;
  title: string;
  closedAt: string;
  /** Null when the State Council organises. */
  organiserRegionId: string | null;
  organiserRegionCode: string;
  organiserName: string;
  assistingRegionIds: string[];
  upperOfficeName: string;
  /** For access rules; absent in cases started before access control. */
  upperRegionCode?: string;
  locationRegionCode?: string;
  enterpriseId?: string;
  profile: EvaluationRuleProfile;
  measures: MeasureRef[];
  accountabilityItems: AccountabilityRef[];
  investigatingDepartments: { id: string; name: string }[];
}

export interface TeamMember {
  name: string;
  departmentName: string;
  departmentId?: string;
  userId?: string;
  role: TeamRole;
}

export interface OnSiteCheck {
  kind: OnSiteCheckKind;
  on: string;
  place: string;
  summary: string;
  recordedBy: string;
}

export interface MeasureFinding {
  measureId: string;
  status: FindingStatus;
  evidence: string;
}

export interface AccountabilityFinding {
  itemId: string;
  status: FindingStatus;
  evidence: string;
}

export interface Referral {
  id: string;
  kind: ReferralKind;
  subject: string;
  reason: string;
  outcome?: string;
  resolvedAt?: string;
}

export interface SecretPart {
  section: ReportSection;
  reason: string;
}

export interface ReportDraft {
  sections: Record<ReportSection, string>;
  lists: Partial<Record<ReportList, string[]>>;
  memberMeetingHeldOn?: string;
  secretParts: SecretPart[];
}

export interface RectificationTask {
  id: string;
  workflowId: string;
  measureId: string;
  assignee: string;
  deadline: string;
  status: TaskStatus;
  closedAt?: string;
  evidence?: string;
}

export interface EvaluationState {
  case: EvaluationCase;
  stage: EvaluationStage;
  /** Grows by one with every change; the read model refuses older snapshots. */
  revision: number;
  opensAt: string;
  dueAt: string;
  teamDueAt?: string;
  overdue: OverdueClock[];
  firedDeadlines: string[];
  team?: { formedAt: string; actingLeader: string; leaderAbsent: boolean; members: TeamMember[] };
  selfEvaluation?: { submittedAt: string; submittedBy: string; summary: string; statements: { measureId: string; statement: string }[] };
  documentReview?: { completedAt: string; summary: string };
  onSiteChecks: OnSiteCheck[];
  onSiteCompletedAt?: string;
  assessment?: {
    completedAt: string;
    summary: string;
    measureFindings: MeasureFinding[];
    accountabilityFindings: AccountabilityFinding[];
  };
  referrals: Referral[];
  report?: ReportDraft & { submittedAt: string; approvedAt?: string; approvedBy?: string; returns: { at: string; reason: string }[] };
  publication?: { publishedAt: string; url?: string };
  filing?: { filedAt: string; filedWith: string; reference: string };
  tasks: RectificationTask[];
  closedAt?: string;
}

export interface MemberInput {
  name: string;
  departmentName: string;
  departmentId?: string;
  /** The member's user account, if they use Bihuan: it is granted TEAM_MEMBER on this evaluation. */
  userId?: string;
}

export type EvaluationAction =
  | {
      type: 'FORM_TEAM';
      leader: MemberInput;
      deputy?: MemberInput;
      leaderAbsent?: boolean;
      members: (MemberInput & { role: 'MEMBER' | 'DISCIPLINE_INSPECTION' | 'EXPERT' })[];
    }
  | { type: 'SUBMIT_SELF_EVALUATION'; submittedBy: string; summary: string; statements: { measureId: string; statement: string }[] }
  | { type: 'COMPLETE_DOCUMENT_REVIEW'; summary: string }
  | { type: 'RECORD_ON_SITE_CHECK'; kind: OnSiteCheckKind; on: string; place: string; summary: string }
  | { type: 'COMPLETE_ON_SITE_VERIFICATION' }
  | {
      type: 'SUBMIT_ASSESSMENT';
      summary: string;
      measureFindings: MeasureFinding[];
      accountabilityFindings: AccountabilityFinding[];
      referrals: Omit<Referral, 'id' | 'outcome' | 'resolvedAt'>[];
    }
  | ({ type: 'SUBMIT_REPORT_DRAFT' } & ReportDraft)
  | { type: 'RETURN_REPORT'; reason: string }
  | { type: 'APPROVE_REPORT' }
  | { type: 'PUBLISH_REPORT'; url?: string }
  | { type: 'FILE_REPORT'; filedWith?: string; reference: string }
  | { type: 'RECORD_REFERRAL_OUTCOME'; referralId: string; outcome: string }
  | { type: 'TASK_STATUS'; taskId: string; status: TaskStatus; evidence?: string }
  | { type: 'FIRE_DEADLINES'; keys: string[] };

export type EvaluationActionType = EvaluationAction['type'];

/** Actions an official takes; the rest are the workflow's own (timers, child workflows). */
export const OFFICIAL_ACTIONS = [
  'FORM_TEAM',
  'SUBMIT_SELF_EVALUATION',
  'COMPLETE_DOCUMENT_REVIEW',
  'RECORD_ON_SITE_CHECK',
  'COMPLETE_ON_SITE_VERIFICATION',
  'SUBMIT_ASSESSMENT',
  'SUBMIT_REPORT_DRAFT',
  'RETURN_REPORT',
  'APPROVE_REPORT',
  'PUBLISH_REPORT',
  'FILE_REPORT',
  'RECORD_REFERRAL_OUTCOME',
] as const satisfies readonly EvaluationActionType[];

const STAGE_OF_ACTION: Record<EvaluationActionType, readonly EvaluationStage[]> = {
  FORM_TEAM: ['TEAM_FORMATION'],
  SUBMIT_SELF_EVALUATION: ['SELF_EVALUATION'],
  COMPLETE_DOCUMENT_REVIEW: ['DOCUMENT_REVIEW'],
  RECORD_ON_SITE_CHECK: ['ON_SITE_VERIFICATION'],
  COMPLETE_ON_SITE_VERIFICATION: ['ON_SITE_VERIFICATION'],
  SUBMIT_ASSESSMENT: ['COMPREHENSIVE_ASSESSMENT'],
  SUBMIT_REPORT_DRAFT: ['REPORT_DRAFTING'],
  RETURN_REPORT: ['REPORT_APPROVAL'],
  APPROVE_REPORT: ['REPORT_APPROVAL'],
  PUBLISH_REPORT: ['PUBLICATION'],
  FILE_REPORT: ['PUBLICATION'],
  RECORD_REFERRAL_OUTCOME: ['PUBLICATION', 'FOLLOW_UP'],
  TASK_STATUS: ['FOLLOW_UP'],
  FIRE_DEADLINES: EVALUATION_STAGES,
};

export function canTransition(stage: EvaluationStage, action: EvaluationActionType): boolean {
  return STAGE_OF_ACTION[action].includes(stage);
}

/** 001 §3, 000 §二: evaluate between 10 and 12 months after closure. */
export function evaluationWindow(closedAt: Date, profile: EvaluationRuleProfile): { opensAt: Date; dueAt: Date } {
  return {
    opensAt: addMonths(closedAt, profile.window.opensAfterMonths),
    dueAt: addMonths(closedAt, profile.window.dueAfterMonths),
  };
}

export function initialEvaluationState(evaluationCase: EvaluationCase): EvaluationState {
  const { opensAt, dueAt } = evaluationWindow(new Date(evaluationCase.closedAt), evaluationCase.profile);
  return {
    case: evaluationCase,
    stage: 'WAITING_FOR_WINDOW',
    revision: 1,
    opensAt: opensAt.toISOString(),
    dueAt: dueAt.toISOString(),
    overdue: [],
    firedDeadlines: [],
    onSiteChecks: [],
    referrals: [],
    tasks: [],
  };
}

const nonEmpty = (field: string, value: string | undefined): void => {
  if (!value || !value.trim()) throw badInput(field, 'must not be empty');
};

const isoDate = (field: string, value: string): void => {
  // Date.parse rolls 2027-02-30 over to 2 March: a real date survives the round trip unchanged.
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
    throw badInput(field, 'must be a date YYYY-MM-DD');
  }
};

function coversEach<T>(field: string, expected: string[], given: T[], key: (item: T) => string, what: string): void {
  const seen = new Set<string>();
  for (const item of given) {
    const id = key(item);
    if (!expected.includes(id)) throw badInput(field, `${id} is not a ${what} of this case`);
    if (seen.has(id)) throw badInput(field, `${what} ${id} is given twice`);
    seen.add(id);
  }
  const missing = expected.filter((id) => !seen.has(id));
  if (missing.length) throw badInput(field, `missing ${what}${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
}

/**
 * Throws a DomainError when the action is not allowed now; changes nothing. Called by the workflow's update
 * validators, so a refused action never reaches the history.
 */
export function checkAction(state: EvaluationState, action: EvaluationAction): void {
  if (!canTransition(state.stage, action.type)) {
    throw invalidTransition(`${action.type} is not allowed while the evaluation is in ${state.stage}`);
  }
  const c = state.case;
  switch (action.type) {
    case 'FORM_TEAM': {
      nonEmpty('leader.name', action.leader.name);
      if (action.leaderAbsent && !action.deputy) {
        throw badInput('deputy', 'the leader is absent, so the deputy in charge must lead the team (000 §四)');
      }
      if (!action.members.some((m) => m.role === 'DISCIPLINE_INSPECTION')) {
        throw badInput('members', 'the discipline-inspection body must be invited to the team (001 §5)');
      }
      const deptIds = new Set(c.investigatingDepartments.map((d) => d.id));
      const fromInvestigation = [action.leader, action.deputy, ...action.members].some((m) => m?.departmentId && deptIds.has(m.departmentId));
      if (deptIds.size && !fromInvestigation) {
        throw badInput('members', 'the team is made up of the departments that took part in the investigation (001 §5)');
      }
      action.members.forEach((m, i) => {
        nonEmpty(`members[${i}].name`, m.name);
        if (!['MEMBER', 'DISCIPLINE_INSPECTION', 'EXPERT'].includes(m.role)) {
          throw badInput(`members[${i}].role`, 'the leader and the deputy are given on their own, members are MEMBER, DISCIPLINE_INSPECTION or EXPERT');
        }
      });
      return;
    }
    case 'SUBMIT_SELF_EVALUATION':
      nonEmpty('submittedBy', action.submittedBy);
      nonEmpty('summary', action.summary);
      coversEach('statements', c.measures.map((m) => m.id), action.statements, (s) => s.measureId, 'measure');
      return;
    case 'COMPLETE_DOCUMENT_REVIEW':
      nonEmpty('summary', action.summary);
      return;
    case 'RECORD_ON_SITE_CHECK':
      isoDate('on', action.on);
      nonEmpty('place', action.place);
      nonEmpty('summary', action.summary);
      return;
    case 'COMPLETE_ON_SITE_VERIFICATION':
      if (!state.onSiteChecks.length) throw invalidTransition('record at least one on-site check before completing the verification');
      return;
    case 'SUBMIT_ASSESSMENT':
      nonEmpty('summary', action.summary);
      coversEach('measureFindings', c.measures.map((m) => m.id), action.measureFindings, (f) => f.measureId, 'measure');
      coversEach('accountabilityFindings', c.accountabilityItems.map((a) => a.id), action.accountabilityFindings, (f) => f.itemId, 'accountability item');
      action.measureFindings.forEach((f, i) => nonEmpty(`measureFindings[${i}].evidence`, f.evidence));
      action.accountabilityFindings.forEach((f, i) => nonEmpty(`accountabilityFindings[${i}].evidence`, f.evidence));
      action.referrals.forEach((r, i) => {
        nonEmpty(`referrals[${i}].subject`, r.subject);
        nonEmpty(`referrals[${i}].reason`, r.reason);
      });
      return;
    case 'SUBMIT_REPORT_DRAFT': {
      for (const section of c.profile.requiredSections) nonEmpty(`sections.${section}`, action.sections[section]);
      for (const list of c.profile.requiredLists) {
        if (!action.lists[list]?.some((item) => item.trim())) throw badInput(`lists.${list}`, `the ${c.profile.document} requires this list`);
      }
      if (c.profile.requiresMemberMeeting) {
        if (!action.memberMeetingHeldOn) throw badInput('memberMeetingHeldOn', 'a meeting of all team member units must be held before the report is final (000 §五)');
        isoDate('memberMeetingHeldOn', action.memberMeetingHeldOn);
      }
      action.secretParts.forEach((p, i) => nonEmpty(`secretParts[${i}].reason`, p.reason));
      return;
    }
    case 'RETURN_REPORT':
      nonEmpty('reason', action.reason);
      return;
    case 'PUBLISH_REPORT':
      if (state.publication) throw invalidTransition('the report is already published');
      return;
    case 'FILE_REPORT':
      if (state.filing) throw invalidTransition('the report is already filed');
      nonEmpty('reference', action.reference);
      return;
    case 'RECORD_REFERRAL_OUTCOME': {
      const referral = state.referrals.find((r) => r.id === action.referralId);
      if (!referral) throw badInput('referralId', `no referral ${action.referralId} in this evaluation`);
      if (referral.outcome) throw invalidTransition(`referral ${action.referralId} already has an outcome`);
      nonEmpty('outcome', action.outcome);
      return;
    }
    case 'TASK_STATUS':
      if (!state.tasks.some((t) => t.id === action.taskId)) throw badInput('taskId', `no task ${action.taskId} in this evaluation`);
      return;
    case 'APPROVE_REPORT':
    case 'FIRE_DEADLINES':
      return;
  }
}

export function taskWorkflowId(evaluationId: string, measureId: string): string {
  return `rectification-task/${evaluationId}/${measureId}`;
}

function startFollowUp(state: EvaluationState, at: Date): EvaluationState {
  const findings = state.assessment?.measureFindings ?? [];
  const tasks: RectificationTask[] = findings
    .filter((f) => f.status !== 'IMPLEMENTED')
    .map((f) => {
      const measure = state.case.measures.find((m) => m.id === f.measureId)!;
      return {
        id: `${state.case.evaluationId}/${measure.id}`,
        workflowId: taskWorkflowId(state.case.evaluationId, measure.id),
        measureId: measure.id,
        assignee: measure.responsibleUnits.join('、') || state.case.organiserName,
        deadline: addDays(at, state.case.profile.rectificationDays).toISOString(),
        status: 'OPEN' as const,
      };
    });
  return settleFollowUp({ ...state, stage: 'FOLLOW_UP', tasks }, at);
}

/** 001 §11: follow-up ends when every task is done and every referral has its outcome. */
function settleFollowUp(state: EvaluationState, at: Date): EvaluationState {
  if (state.stage !== 'FOLLOW_UP') return state;
  const open = state.tasks.some((t) => t.status !== 'DONE') || state.referrals.some((r) => !r.outcome);
  return open ? state : { ...state, stage: 'CLOSED', closedAt: at.toISOString() };
}

/** The new state after an action that `checkAction` accepted. Pure: `at` is the workflow's clock. */
export function applyAction(state: EvaluationState, action: EvaluationAction, actor: Actor, at: Date): EvaluationState {
  const now = at.toISOString();
  const next = applyUnversioned(state, action, actor, at, now);
  return next === state ? state : { ...next, revision: state.revision + 1 };
}

function applyUnversioned(state: EvaluationState, action: EvaluationAction, actor: Actor, at: Date, now: string): EvaluationState {
  switch (action.type) {
    case 'FORM_TEAM': {
      const deputy = action.deputy ? [{ ...action.deputy, role: 'DEPUTY_LEADER' as const }] : [];
      const teamDays = state.case.profile.teamDays;
      return {
        ...state,
        stage: 'SELF_EVALUATION',
        team: {
          formedAt: now,
          leaderAbsent: Boolean(action.leaderAbsent),
          actingLeader: action.leaderAbsent ? action.deputy!.name : action.leader.name,
          members: [{ ...action.leader, role: 'LEADER' }, ...deputy, ...action.members],
        },
        teamDueAt: teamDays === null ? undefined : addDays(at, teamDays).toISOString(),
      };
    }
    case 'SUBMIT_SELF_EVALUATION':
      return {
        ...state,
        stage: 'DOCUMENT_REVIEW',
        selfEvaluation: { submittedAt: now, submittedBy: action.submittedBy, summary: action.summary, statements: action.statements },
      };
    case 'COMPLETE_DOCUMENT_REVIEW':
      return { ...state, stage: 'ON_SITE_VERIFICATION', documentReview: { completedAt: now, summary: action.summary } };
    case 'RECORD_ON_SITE_CHECK':
      return {
        ...state,
        onSiteChecks: [
          ...state.onSiteChecks,
          { kind: action.kind, on: action.on, place: action.place, summary: action.summary, recordedBy: actor.name },
        ],
      };
    case 'COMPLETE_ON_SITE_VERIFICATION':
      return { ...state, stage: 'COMPREHENSIVE_ASSESSMENT', onSiteCompletedAt: now };
    case 'SUBMIT_ASSESSMENT':
      return {
        ...state,
        stage: 'REPORT_DRAFTING',
        assessment: {
          completedAt: now,
          summary: action.summary,
          measureFindings: action.measureFindings,
          accountabilityFindings: action.accountabilityFindings,
        },
        referrals: [
          ...state.referrals,
          ...action.referrals.map((r, i) => ({ ...r, id: `R${state.referrals.length + i + 1}` })),
        ],
      };
    case 'SUBMIT_REPORT_DRAFT': {
      const { type: _type, ...draft } = action;
      return {
        ...state,
        stage: 'REPORT_APPROVAL',
        report: { ...draft, submittedAt: now, returns: state.report?.returns ?? [] },
      };
    }
    case 'RETURN_REPORT':
      return {
        ...state,
        stage: 'REPORT_DRAFTING',
        report: { ...state.report!, returns: [...state.report!.returns, { at: now, reason: action.reason }] },
      };
    case 'APPROVE_REPORT':
      return { ...state, stage: 'PUBLICATION', report: { ...state.report!, approvedAt: now, approvedBy: actor.name } };
    case 'PUBLISH_REPORT':
      return afterPublication({ ...state, publication: { publishedAt: now, url: action.url } }, at);
    case 'FILE_REPORT':
      return afterPublication(
        { ...state, filing: { filedAt: now, filedWith: action.filedWith?.trim() || state.case.upperOfficeName, reference: action.reference } },
        at,
      );
    case 'RECORD_REFERRAL_OUTCOME':
      return settleFollowUp(
        {
          ...state,
          referrals: state.referrals.map((r) => (r.id === action.referralId ? { ...r, outcome: action.outcome, resolvedAt: now } : r)),
        },
        at,
      );
    case 'TASK_STATUS':
      return settleFollowUp(
        {
          ...state,
          tasks: state.tasks.map((t) =>
            t.id === action.taskId
              ? { ...t, status: action.status, ...(action.status === 'DONE' ? { closedAt: now, evidence: action.evidence } : {}) }
              : t,
          ),
        },
        at,
      );
    case 'FIRE_DEADLINES': {
      const events = deadlineEvents(state).filter((e) => action.keys.includes(e.key));
      if (!events.length) return state;
      const overdue = new Set(state.overdue);
      for (const e of events) if (e.kind === 'OVERDUE') overdue.add(e.clock);
      const opened = events.some((e) => e.kind === 'WINDOW_OPENS');
      return {
        ...state,
        stage: opened && state.stage === 'WAITING_FOR_WINDOW' ? 'TEAM_FORMATION' : state.stage,
        overdue: [...overdue],
        firedDeadlines: [...state.firedDeadlines, ...events.map((e) => e.key)],
      };
    }
  }
}

/** 001 §10: publication and filing both done → follow-up starts. */
function afterPublication(state: EvaluationState, at: Date): EvaluationState {
  return state.publication && state.filing ? startFollowUp(state, at) : state;
}

export interface DeadlineEvent {
  key: string;
  at: string;
  kind: 'WINDOW_OPENS' | 'REMINDER' | 'OVERDUE';
  clock: OverdueClock;
  /** The deadline the event is about. */
  deadline: string;
}

/** Every timed event still ahead of this evaluation, earliest first. */
export function deadlineEvents(state: EvaluationState): DeadlineEvent[] {
  const events: DeadlineEvent[] = [];
  const fired = new Set(state.firedDeadlines);
  const profile = state.case.profile;
  if (state.stage === 'WAITING_FOR_WINDOW') {
    events.push({ key: 'window-opens', at: state.opensAt, kind: 'WINDOW_OPENS', clock: 'WINDOW', deadline: state.opensAt });
  }
  if (!state.publication && state.stage !== 'CLOSED') {
    const due = new Date(state.dueAt);
    for (const days of profile.reminderDaysBefore.window) {
      events.push({ key: `window-reminder-${days}d`, at: addDays(due, -days).toISOString(), kind: 'REMINDER', clock: 'WINDOW', deadline: state.dueAt });
    }
    events.push({ key: 'window-overdue', at: state.dueAt, kind: 'OVERDUE', clock: 'WINDOW', deadline: state.dueAt });
  }
  if (state.teamDueAt && !state.report?.approvedAt) {
    const due = new Date(state.teamDueAt);
    for (const days of profile.reminderDaysBefore.team) {
      events.push({ key: `team-reminder-${days}d`, at: addDays(due, -days).toISOString(), kind: 'REMINDER', clock: 'TEAM', deadline: state.teamDueAt });
    }
    events.push({ key: 'team-overdue', at: state.teamDueAt, kind: 'OVERDUE', clock: 'TEAM', deadline: state.teamDueAt });
  }
  return events.filter((e) => !fired.has(e.key)).sort((a, b) => a.at.localeCompare(b.at));
}

/**
 * The events due at `now`, and which of them to announce: of several reminders for one clock that fell due
 * together (a case closed late, a worker down for a while) only the last is sent, and none once the clock is
 * already overdue.
 */
export function dueDeadlineEvents(state: EvaluationState, now: Date): { due: DeadlineEvent[]; announce: DeadlineEvent[] } {
  const due = deadlineEvents(state).filter((e) => Date.parse(e.at) <= now.getTime());
  const announce = due.filter((e) => {
    if (e.kind !== 'REMINDER') return true;
    const overdueNow = due.some((o) => o.kind === 'OVERDUE' && o.clock === e.clock);
    const laterReminder = due.some((o) => o.kind === 'REMINDER' && o.clock === e.clock && o.at > e.at);
    return !overdueNow && !laterReminder;
  });
  return { due, announce };
}

/** What access rules need of a running evaluation (domain/access.ts). */
export function evaluationScope(state: EvaluationState): CaseScope {
  const c = state.case;
  return {
    evaluationId: c.evaluationId,
    organiserRegionCode: c.organiserRegionCode,
    upperRegionCode: c.upperRegionCode ?? '',
    locationRegionCode: c.locationRegionCode ?? c.organiserRegionCode,
    enterpriseId: c.enterpriseId ?? '',
    departmentIds: c.investigatingDepartments.map((d) => d.id),
    stage: state.stage,
    reportApproved: Boolean(state.report?.approvedAt),
    published: Boolean(state.publication),
    filed: Boolean(state.filing),
  };
}
