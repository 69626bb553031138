import type { EvaluationActionType, EvaluationStage } from './evaluation.js';

/** Roles an official holds, each scoped to a region (and everything under it), a department, an enterprise or a case. */
export const ROLES = [
  'SAFETY_OFFICE',
  'DEPARTMENT_OFFICIAL',
  'TOWN_OFFICIAL',
  'ENTERPRISE_CONTACT',
  'TEAM_MEMBER',
  'DISCIPLINE_INSPECTION',
  'LEADER_IN_CHARGE',
  'UPPER_OFFICE',
  /** Keeps the register of regions, departments and enterprises of its region and below. */
  'ADMINISTRATOR',
] as const;
export type Role = (typeof ROLES)[number];

export interface RoleGrant {
  role: Role;
  /** Administrative division code; the grant covers this region and every region under it. */
  regionCode?: string;
  departmentId?: string;
  enterpriseId?: string;
  /** TEAM_MEMBER: the evaluation whose team the holder is on. */
  evaluationId?: string;
}

/** Who is asking. The anonymous public holds no grants. */
export interface Principal {
  id: string;
  name: string;
  grants: RoleGrant[];
}

export const PUBLIC_PRINCIPAL: Principal = { id: 'public', name: '公众', grants: [] };

/** What access rules need to know of one case. */
export interface CaseScope {
  evaluationId: string | null;
  organiserRegionCode: string;
  /** The organiser's upper level, with whose office the report is filed (001 §10). */
  upperRegionCode: string;
  locationRegionCode: string;
  enterpriseId: string;
  departmentIds: string[];
  stage: EvaluationStage | null;
  reportApproved: boolean;
  published: boolean;
  filed: boolean;
}

/**
 * The prefix every region under `code` shares: 140000 → 14 (province), 141100 → 1411 (city), 141181 → 141181,
 * 141181100 → 141181100. Chinese division codes nest this way.
 */
export function regionPrefix(code: string): string {
  let prefix = code;
  // Only the six-digit county part nests by pairs of zeros: town 530302100 (a 镇) covers itself, not 5303021xx.
  while (prefix.length > 2 && prefix.length <= 6 && prefix.endsWith('00')) prefix = prefix.slice(0, -2);
  return prefix;
}

export function covers(grantRegionCode: string | undefined, regionCode: string): boolean {
  return Boolean(grantRegionCode && regionCode && regionCode.startsWith(regionPrefix(grantRegionCode)));
}

type Rule = (grant: RoleGrant, scope: CaseScope) => boolean;

// The organising government's own office, leader and discipline body: the region must be the organiser itself,
// not an ancestor (a city office supervises a district's case but is not its organiser).
const atOrganiser = (role: Role): Rule => (g, s) => g.role === role && Boolean(s.organiserRegionCode) && g.regionCode === s.organiserRegionCode;
const organiserOffice = atOrganiser('SAFETY_OFFICE');
const leaderInCharge = atOrganiser('LEADER_IN_CHARGE');
const discipline = atOrganiser('DISCIPLINE_INSPECTION');
const onTeam: Rule = (g, s) => g.role === 'TEAM_MEMBER' && g.evaluationId === s.evaluationId && s.stage !== 'CLOSED';
const enterprise: Rule = (g, s) => g.role === 'ENTERPRISE_CONTACT' && g.enterpriseId === s.enterpriseId;
const either =
  (...rules: Rule[]): Rule =>
  (g, s) =>
    rules.some((rule) => rule(g, s));

export type Operation = EvaluationActionType | 'CLOSE_CASE' | 'CLOSE_TASK';

/** Who may do what (000 §四-§六, 001 §5-§11). Read as: operation → the grants that allow it. */
const MAY: Record<Operation, Rule> = {
  CLOSE_CASE: organiserOffice,
  FORM_TEAM: organiserOffice,
  // The enterprise submits its own self-evaluation; the team may enter a paper submission for it (001 §6).
  SUBMIT_SELF_EVALUATION: either(enterprise, onTeam, organiserOffice),
  COMPLETE_DOCUMENT_REVIEW: either(onTeam, organiserOffice),
  RECORD_ON_SITE_CHECK: either(onTeam, organiserOffice),
  COMPLETE_ON_SITE_VERIFICATION: either(onTeam, organiserOffice),
  SUBMIT_ASSESSMENT: either(onTeam, organiserOffice),
  SUBMIT_REPORT_DRAFT: either(onTeam, organiserOffice),
  // The leader in charge approves stage results.
  RETURN_REPORT: leaderInCharge,
  APPROVE_REPORT: leaderInCharge,
  PUBLISH_REPORT: organiserOffice,
  FILE_REPORT: organiserOffice,
  // Discipline bodies answer for the accountability of officials (001 §7).
  RECORD_REFERRAL_OUTCOME: either(organiserOffice, discipline),
  CLOSE_TASK: organiserOffice,
  TASK_STATUS: () => false,
  FIRE_DEADLINES: () => false,
};

/** Acts that fall in a region rather than on a case: intake (api/intake) and the register. */
export type RegionOperation = 'REGISTER_CASE' | 'CORRECT_CASE' | 'MANAGE_REGION' | 'MANAGE_DEPARTMENT' | 'MANAGE_ENTERPRISE';

/** The region an act falls in: the government that investigates a case, or where a record of the register sits. */
export interface RegionScope {
  regionCode: string;
}

const inRegion =
  (role: Role) =>
  (g: RoleGrant, s: RegionScope): boolean =>
    g.role === role && covers(g.regionCode, s.regionCode);

const MAY_IN_REGION: Record<RegionOperation, (grant: RoleGrant, scope: RegionScope) => boolean> = {
  // The investigating government's office, or an office above it, registers a case and corrects it before closure.
  REGISTER_CASE: inRegion('SAFETY_OFFICE'),
  CORRECT_CASE: inRegion('SAFETY_OFFICE'),
  MANAGE_REGION: inRegion('ADMINISTRATOR'),
  MANAGE_DEPARTMENT: inRegion('ADMINISTRATOR'),
  MANAGE_ENTERPRISE: inRegion('ADMINISTRATOR'),
};

const REGION_OPERATIONS = new Set<string>(Object.keys(MAY_IN_REGION));

export function allow(principal: Principal, operation: Operation, scope: CaseScope): boolean;
export function allow(principal: Principal, operation: RegionOperation, scope: RegionScope): boolean;
export function allow(principal: Principal, operation: Operation | RegionOperation, scope: CaseScope | RegionScope): boolean {
  if (REGION_OPERATIONS.has(operation)) return principal.grants.some((grant) => MAY_IN_REGION[operation as RegionOperation](grant, scope as RegionScope));
  return principal.grants.some((grant) => MAY[operation as Operation](grant, scope as CaseScope));
}

/** The grant that allows a region-scoped act, for the audit trail's actor role. */
export function allowingGrant(principal: Principal, operation: RegionOperation, scope: RegionScope): RoleGrant | undefined {
  return principal.grants.find((grant) => MAY_IN_REGION[operation](grant, scope));
}

/**
 * How much of a case a principal sees:
 * - INSIDER: the team and the organising office, its leader and discipline body — everything, drafts included;
 * - OFFICIAL: other offices, departments, towns, the enterprise, the upper office it was filed with — the case,
 *   and the working papers once the report is agreed (000 §六.三);
 * - PUBLIC: a published report, minus the parts withheld as secret (001 §10);
 * - NONE: nothing; the record reads as not found.
 */
export type CaseAccess = 'INSIDER' | 'OFFICIAL' | 'PUBLIC' | 'NONE';

const insider = either(onTeam, organiserOffice, leaderInCharge, discipline);
// The organiser always contains the accident location, so "its region or any above it" is a check on the location.
const official: Rule = (g, s) =>
  (['SAFETY_OFFICE', 'DEPARTMENT_OFFICIAL', 'DISCIPLINE_INSPECTION', 'LEADER_IN_CHARGE', 'TOWN_OFFICIAL'].includes(g.role) &&
    covers(g.regionCode, s.locationRegionCode)) ||
  (g.role === 'DEPARTMENT_OFFICIAL' && g.departmentId !== undefined && s.departmentIds.includes(g.departmentId)) ||
  enterprise(g, s) ||
  (g.role === 'UPPER_OFFICE' && s.filed && Boolean(s.upperRegionCode) && g.regionCode === s.upperRegionCode);

export function caseAccess(principal: Principal, scope: CaseScope): CaseAccess {
  if (principal.grants.some((g) => insider(g, scope))) return 'INSIDER';
  if (principal.grants.some((g) => official(g, scope))) return 'OFFICIAL';
  return scope.published ? 'PUBLIC' : 'NONE';
}

/**
 * Who sees a field of a record, given how the caller sees the record's case. The field that leads to a record
 * decides whether the caller reaches it at all (a list reads empty, a value null); the record's own fields then
 * narrow what shows of it.
 */
export type Audience =
  /** Whoever reached the record. */
  | 'ANYONE'
  /** Insiders and other officials, never the public. */
  | 'OFFICIALS'
  /** Working papers: insiders; other officials once the report is agreed (000 §六.三); never the public. */
  | 'AFTER_AGREEMENT'
  /** The report: insiders (drafts too); other officials once agreed (000 §六.三); the public once published (001 §10). */
  | 'REPORT_READERS'
  /** The team's and the organising government's own deliberation: the audit trail, comments on a draft. */
  | 'INSIDERS'
  /** A person's name, or what is said of a named person: only those who evaluate or hold them to account. */
  | 'PERSONAL'
  /** Report text: hidden from the public where the part is withheld as legally secret (001 §10). */
  | 'UNLESS_SECRET'
  /** Why a part is withheld: shown to the public, in place of the part (001 §10). */
  | 'SECRET_REASON';

/** What a field rule may need of the record itself (the report part it belongs to). */
export interface FieldFacts {
  secretReason?: string | null;
}

const approved = (scope: CaseScope | null): boolean => Boolean(scope?.reportApproved);

const SEES: Record<Audience, (access: CaseAccess, scope: CaseScope | null, row: FieldFacts) => boolean> = {
  ANYONE: () => true,
  OFFICIALS: (a) => a === 'INSIDER' || a === 'OFFICIAL',
  AFTER_AGREEMENT: (a, s) => a === 'INSIDER' || (a === 'OFFICIAL' && approved(s)),
  REPORT_READERS: (a, s) => a === 'INSIDER' || (a === 'OFFICIAL' && approved(s)) || (a === 'PUBLIC' && Boolean(s?.published)),
  INSIDERS: (a) => a === 'INSIDER',
  PERSONAL: (a) => a === 'INSIDER',
  UNLESS_SECRET: (a, _s, row) => a === 'INSIDER' || a === 'OFFICIAL' || (a === 'PUBLIC' && !row.secretReason),
  SECRET_REASON: (a, _s, row) => a === 'PUBLIC' && Boolean(row.secretReason),
};

/**
 * Every field of every GraphQL type that holds case data, with who sees it: one table, so a field cannot be shown
 * by forgetting a check in a resolver. The API refuses to start when a type or field is missing here (or from
 * REFERENCE_TYPES), and a hidden field reads null (a list, empty).
 */
export const CASE_FIELDS = {
  Accident: {
    id: 'ANYONE', title: 'ANYONE', level: 'ANYONE', sector: 'ANYONE', occurredAt: 'ANYONE', deaths: 'ANYONE', injuries: 'ANYONE',
    directLossYuan: 'ANYONE', locationRegion: 'ANYONE', enterprise: 'ANYONE', investigation: 'ANYONE', evaluation: 'ANYONE',
    auditTrail: 'INSIDERS',
  },
  Investigation: {
    id: 'ANYONE', escalated: 'ANYONE', listedSupervisionBy: 'ANYONE', leadDepartment: 'ANYONE', departments: 'ANYONE',
    delegatedEvaluationRegion: 'ANYONE', report: 'ANYONE',
  },
  InvestigationReport: { id: 'ANYONE', documentNo: 'ANYONE', approvedAt: 'ANYONE', closedAt: 'ANYONE', measures: 'ANYONE', accountabilityItems: 'ANYONE' },
  Measure: { id: 'ANYONE', seq: 'ANYONE', text: 'ANYONE', responsibleUnits: 'ANYONE' },
  // The recommendation is public with the investigation report; who is held to account is not.
  AccountabilityItem: { id: 'ANYONE', seq: 'ANYONE', kind: 'ANYONE', subject: 'PERSONAL', recommendation: 'ANYONE' },
  Evaluation: {
    id: 'ANYONE', stage: 'ANYONE', opensAt: 'ANYONE', dueAt: 'ANYONE', teamDueAt: 'ANYONE', overdue: 'ANYONE', overdueClocks: 'ANYONE',
    teamFormedAt: 'ANYONE', actingLeader: 'PERSONAL',
    // 000 §六.三: nothing of the evaluation's content leaves the team before the report is agreed.
    selfEvaluation: 'AFTER_AGREEMENT', documentReviewedAt: 'ANYONE', documentReviewSummary: 'AFTER_AGREEMENT', onSiteCompletedAt: 'ANYONE',
    assessedAt: 'ANYONE', assessmentSummary: 'AFTER_AGREEMENT',
    publishedAt: 'ANYONE', publicationUrl: 'ANYONE', filedAt: 'ANYONE', filedWith: 'ANYONE', filingReference: 'ANYONE', closedAt: 'ANYONE',
    accident: 'ANYONE', profile: 'ANYONE', allowedActions: 'ANYONE', organiserRegion: 'ANYONE', assistingRegions: 'ANYONE',
    team: 'AFTER_AGREEMENT', onSiteChecks: 'AFTER_AGREEMENT', measureFindings: 'AFTER_AGREEMENT', accountabilityFindings: 'AFTER_AGREEMENT',
    referrals: 'AFTER_AGREEMENT', report: 'REPORT_READERS',
    // Follow-up work is between governments and departments; the public reads the published report (001 §10-§11).
    tasks: 'OFFICIALS', notifications: 'OFFICIALS', auditTrail: 'INSIDERS',
  },
  TeamMember: { name: 'PERSONAL', departmentName: 'ANYONE', role: 'ANYONE' },
  SelfEvaluation: { submittedAt: 'ANYONE', submittedBy: 'PERSONAL', summary: 'ANYONE', statements: 'ANYONE' },
  SelfEvaluationStatement: { measureId: 'ANYONE', statement: 'ANYONE' },
  OnSiteCheck: { kind: 'ANYONE', on: 'ANYONE', place: 'ANYONE', summary: 'ANYONE', recordedBy: 'PERSONAL' },
  MeasureFinding: { status: 'ANYONE', evidence: 'ANYONE', measure: 'ANYONE' },
  // Evidence that a person was held to account (a disciplinary decision) is about that person.
  AccountabilityFinding: { status: 'ANYONE', evidence: 'PERSONAL', item: 'ANYONE' },
  Referral: { code: 'ANYONE', kind: 'ANYONE', subject: 'PERSONAL', reason: 'ANYONE', outcome: 'ANYONE', resolvedAt: 'ANYONE' },
  EvaluationReport: {
    sections: 'ANYONE', lists: 'ANYONE', memberMeetingHeldOn: 'ANYONE', secretParts: 'ANYONE', submittedAt: 'ANYONE', approvedAt: 'ANYONE',
    approvedBy: 'PERSONAL', returns: 'ANYONE',
  },
  ReportSectionText: { section: 'ANYONE', text: 'UNLESS_SECRET', withheldReason: 'SECRET_REASON' },
  ReportListItems: { list: 'ANYONE', items: 'ANYONE' },
  SecretPart: { section: 'ANYONE', reason: 'ANYONE' },
  // When a draft went back is part of the report's history; the leader's reasons are deliberation on a draft.
  ReportReturn: { at: 'ANYONE', reason: 'INSIDERS' },
  RectificationTask: {
    id: 'ANYONE', assignee: 'ANYONE', deadline: 'ANYONE', status: 'ANYONE', escalatedAt: 'ANYONE', escalatedTo: 'ANYONE', closedAt: 'ANYONE',
    evidence: 'ANYONE', measure: 'ANYONE', notifications: 'ANYONE',
  },
  // Recipients are offices and assigned units, never persons.
  Notification: { kind: 'ANYONE', recipient: 'ANYONE', message: 'ANYONE', dueAt: 'ANYONE', createdAt: 'ANYONE' },
  // Audit entries reach only insiders (Evaluation.auditTrail) and the actor themself (Query.auditEntries).
  AuditEntry: {
    at: 'ANYONE', revision: 'ANYONE', actorId: 'ANYONE', actorName: 'ANYONE', actorRole: 'ANYONE', action: 'ANYONE', stageBefore: 'ANYONE',
    stageAfter: 'ANYONE', subjectType: 'ANYONE', subjectId: 'ANYONE', reason: 'ANYONE', stateHash: 'ANYONE', previousHash: 'ANYONE',
    hmac: 'ANYONE',
  },
} as const satisfies Record<string, Record<string, Audience>>;

/**
 * Types that hold no case data: public reference data (regions, departments, enterprises, rule profiles), paging,
 * and the report on a caller's own import file (CaseImport, ImportProblem), which says only what the file holds.
 */
export const REFERENCE_TYPES: readonly string[] = [
  'Region', 'Department', 'Enterprise', 'RuleProfile', 'EvaluationConnection', 'EvaluationEdge', 'PageInfo', 'AuditChainReport', 'AuditChainBreak',
  'CaseImport', 'ImportProblem',
];

/** The audience of `type.field`, or undefined when the table does not know it (the API then refuses to start). */
export function audienceOf(type: string, field: string): Audience | undefined {
  return (CASE_FIELDS as Record<string, Record<string, Audience> | undefined>)[type]?.[field];
}

/** Whether a caller who sees the record's case with `access` sees this field of it. Unknown fields are hidden. */
export function seesField(type: string, field: string, access: CaseAccess, scope: CaseScope | null, row: FieldFacts = {}): boolean {
  const audience = audienceOf(type, field);
  return audience !== undefined && SEES[audience](access, scope, row);
}

/**
 * Operations on a record inside a case, and the field that record is read through. A caller who cannot read
 * the record finds it missing (NOT_FOUND), like any record that does not exist, rather than FORBIDDEN.
 */
const ACTS_ON: Partial<Record<Operation, readonly [type: string, field: string]>> = {
  CLOSE_TASK: ['Evaluation', 'tasks'],
  RECORD_REFERRAL_OUTCOME: ['Evaluation', 'referrals'],
};

/** Whether the record `operation` acts on exists for the caller at all (the case itself, or a task in it). */
export function seesTarget(operation: Operation, access: CaseAccess, scope: CaseScope): boolean {
  if (access === 'NONE') return false;
  const target = ACTS_ON[operation];
  return !target || seesField(target[0], target[1], access, scope);
}
