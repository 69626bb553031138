import type { CampaignClock, CampaignStage } from './campaign.js';
import type { Sector } from './case.js';
import type { EvaluationActionType, EvaluationStage } from './evaluation.js';
import type { HAZARD_OFFICIAL_ACTIONS, HazardSource, WhistleblowerAction } from './hazard.js';

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
  /** 执法检查员: an enforcement inspector of a department (departmentId), working in a region (regionCode) and below. */
  'INSPECTOR',
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
export type RegionOperation =
  | 'REGISTER_CASE'
  | 'CORRECT_CASE'
  | 'MANAGE_REGION'
  | 'MANAGE_DEPARTMENT'
  | 'MANAGE_ENTERPRISE'
  | 'REGISTER_CAMPAIGN'
  | 'LOAD_WORKING_CALENDAR'
  | 'MANAGE_RULE_PROFILES'
  | 'READ_STATISTICS'
  | 'REPORT_HAZARD'
  | 'READ_HAZARD_CIRCULARS';

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
  // The district's own safety office, or one above it, registers a campaign of the district (002 §3).
  REGISTER_CAMPAIGN: inRegion('SAFETY_OFFICE'),
  // The calendar is the State Council's and one for the whole system, not a region's: an administrator or a safety
  // office at province level (the highest the system keeps) loads a year's notice, whatever scope is passed.
  LOAD_WORKING_CALENDAR: (g) => (g.role === 'ADMINISTRATOR' || g.role === 'SAFETY_OFFICE') && Boolean(g.regionCode) && regionPrefix(g.regionCode!).length <= 2,
  // Rule profiles of a jurisdiction (its division code prefix) are loaded by an administrator of that region or above.
  MANAGE_RULE_PROFILES: inRegion('ADMINISTRATOR'),
  // Aggregates over a region (api/statistics): officials whose own grant covers the whole region, who therefore see
  // every case located in it (caseAccess OFFICIAL at least), so no figure counts a case hidden from them. An upper
  // office (filed reports only), an enterprise, a team member, an administrator and the public see none.
  READ_STATISTICS: (g, s) =>
    ['SAFETY_OFFICE', 'DEPARTMENT_OFFICIAL', 'DISCIPLINE_INSPECTION', 'LEADER_IN_CHARGE', 'TOWN_OFFICIAL'].includes(g.role) && covers(g.regionCode, s.regionCode),
  // Entering a hazard found by inspection, an evaluation or a campaign (003 §三): an inspector or a safety office
  // covering the enterprise's location. The supervising department and the enterprise itself enter theirs through
  // `allowHazardReport`, which knows the hazard's department and enterprise.
  REPORT_HAZARD: (g, s) => (g.role === 'INSPECTOR' || g.role === 'SAFETY_OFFICE') && covers(g.regionCode, s.regionCode),
  // A region's hazard circulars and dispatch tables (api/hazard-circular): officials who read every hazard located in
  // the region (hazardAccess), so no figure counts a hazard hidden from them; not an enterprise, nor the public.
  READ_HAZARD_CIRCULARS: (g, s) => HAZARD_READERS.includes(g.role) && covers(g.regionCode, s.regionCode),
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

/**
 * Whether the departments that investigated a case can change what `principal` sees or may do: only for an
 * official of a department (the rule above). Pages read for anyone else leave the departments out.
 */
export function needsInvestigatingDepartments(principal: Principal): boolean {
  return principal.grants.some((g) => g.role === 'DEPARTMENT_OFFICIAL' && g.departmentId !== undefined);
}

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
  | 'SECRET_REASON'
  /**
   * A campaign's sub-report (002 §10(四)): insiders, and officials whose reading covers its unit (row facts `unit`
   * and `readers`, from `campaignSubReportReader`): a town's officials read only their own town's.
   */
  | 'OWN_TOWN'
  /** A whistleblower's identity (举报人): only the handling office, never the department it was dispatched to. */
  | 'HANDLING_OFFICE';

/** What a field rule may need of the record itself (the report part it belongs to). */
export interface FieldFacts {
  secretReason?: string | null;
  /** A campaign sub-report's unit (town code or sector). */
  unit?: string | null;
  /** Whose sub-reports the reader reads (`campaignSubReportReader`); absent: none (the rule fails closed). */
  readers?: 'ALL' | readonly string[];
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
  OWN_TOWN: (a, _s, row) =>
    a === 'INSIDER' || (a === 'OFFICIAL' && (row.readers === 'ALL' || (Array.isArray(row.readers) && typeof row.unit === 'string' && row.readers.includes(row.unit)))),
  // whistleblowerAccess gives INSIDER to the handling office alone.
  HANDLING_OFFICE: (a) => a === 'INSIDER',
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
    // The hazard ledger is for officials (a hazard is never public).
    originHazardId: 'OFFICIALS', auditTrail: 'INSIDERS',
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
  // Campaigns (002): officials only (the public finds none); names of persons and the trail to the district's
  // office, leader in charge and discipline body; each town reads only its own sub-report.
  Campaign: {
    id: 'ANYONE', name: 'ANYONE', kind: 'ANYONE', startsOn: 'ANYONE', endsOn: 'ANYONE', year: 'ANYONE', stage: 'ANYONE', fullPath: 'ANYONE',
    overdue: 'ANYONE', overdueClocks: 'ANYONE', nextDueAt: 'ANYONE', dimensions: 'ANYONE', registeredAt: 'ANYONE', closedAt: 'ANYONE',
    districtRegion: 'ANYONE', profile: 'ANYONE', deadlines: 'ANYONE', preparation: 'ANYONE', sectors: 'ANYONE', towns: 'ANYONE', assessment: 'ANYONE',
    grades: 'ANYONE', followUp: 'ANYONE', extensions: 'ANYONE', allowedActions: 'ANYONE', auditTrail: 'INSIDERS',
  },
  CampaignDeadline: { clock: 'ANYONE', dueOn: 'ANYONE', dueAt: 'ANYONE', provisional: 'ANYONE', extendedDays: 'ANYONE', overdue: 'ANYONE' },
  CampaignPreparation: { submittedAt: 'ANYONE', submittedBy: 'PERSONAL', schedule: 'ANYONE', scope: 'ANYONE', duties: 'ANYONE', leadingGroup: 'ANYONE' },
  LeadingGroupMember: { name: 'PERSONAL', unit: 'ANYONE', expert: 'ANYONE' },
  CampaignReturn: { at: 'ANYONE', reason: 'ANYONE' },
  CampaignSubReport: { unit: 'ANYONE', townRegionId: 'ANYONE', sector: 'ANYONE', text: 'OWN_TOWN' },
  CampaignReport: { overall: 'ANYONE', subReports: 'ANYONE', submittedAt: 'ANYONE', approvedAt: 'ANYONE' },
  CampaignGrade: {
    campaignId: 'ANYONE', year: 'ANYONE', unitKind: 'ANYONE', unit: 'ANYONE', sector: 'ANYONE', grade: 'ANYONE', priority: 'ANYONE', veto: 'ANYONE',
    gradedAt: 'ANYONE', campaign: 'ANYONE', townRegion: 'ANYONE',
  },
  CampaignReviewMethod: { method: 'ANYONE', on: 'ANYONE', summary: 'ANYONE', recordedBy: 'PERSONAL' },
  CampaignProposedGrade: { townCode: 'ANYONE', grade: 'ANYONE' },
  CampaignSectorReview: {
    stage: 'ANYONE', methods: 'ANYONE', proposedGrades: 'ANYONE', submittedBy: 'PERSONAL', approvedBy: 'PERSONAL', returns: 'ANYONE', report: 'ANYONE', grades: 'ANYONE',
  },
  TownSelfEvaluation: {
    stage: 'ANYONE', report: 'ANYONE', targetTasks: 'ANYONE', hazardRectifications: 'ANYONE', typicalPractices: 'ANYONE', submittedBy: 'PERSONAL',
    approvedBy: 'PERSONAL', returns: 'ANYONE',
  },
  CampaignRectificationPlan: { townCode: 'ANYONE', submittedAt: 'ANYONE', submittedBy: 'PERSONAL', responsibility: 'ANYONE', measures: 'ANYONE', deadlineOn: 'ANYONE' },
  CampaignTown: {
    townCode: 'ANYONE', sectors: 'ANYONE', submittedAt: 'ANYONE', approvedAt: 'ANYONE', overdue: 'ANYONE', town: 'ANYONE', selfEvaluation: 'ANYONE',
    grades: 'ANYONE', plan: 'ANYONE', lookBacks: 'ANYONE',
  },
  CampaignSector: {
    sector: 'ANYONE', townCodes: 'ANYONE', submittedAt: 'ANYONE', approvedAt: 'ANYONE', overdue: 'ANYONE', leadDepartment: 'ANYONE', towns: 'ANYONE',
    review: 'ANYONE', grade: 'ANYONE',
  },
  CampaignAssessment: { submittedAt: 'ANYONE', submittedBy: 'PERSONAL', approvedAt: 'ANYONE', approvedBy: 'PERSONAL', returns: 'ANYONE', report: 'ANYONE', grades: 'ANYONE' },
  CampaignLookBack: {
    id: 'ANYONE', townCode: 'ANYONE', sector: 'ANYONE', reason: 'ANYONE', scheduledOn: 'ANYONE', scheduledBy: 'PERSONAL', stage: 'ANYONE', dueSince: 'ANYONE',
    findings: 'ANYONE', resolved: 'ANYONE', recordedAt: 'ANYONE',
  },
  CampaignInspection: { on: 'ANYONE', townCode: 'ANYONE', findings: 'ANYONE', recordedBy: 'PERSONAL' },
  CampaignFollowUp: { inspections: 'ANYONE', plans: 'ANYONE', lookBacks: 'ANYONE' },
  // An evaluation overdue for circulation (api/statistics): read through its case, like the evaluation it leads to.
  EvaluationToCirculate: { evaluationId: 'ANYONE', evaluation: 'ANYONE', organiserRegion: 'ANYONE', dueAt: 'ANYONE', daysOverdue: 'ANYONE', reason: 'ANYONE' },
  CampaignExtension: {
    id: 'ANYONE', clock: 'ANYONE', requestedAt: 'ANYONE', requestedBy: 'PERSONAL', requestingUnit: 'ANYONE', explanation: 'ANYONE', untilOn: 'ANYONE',
    decidedAt: 'ANYONE', decidedBy: 'PERSONAL', approved: 'ANYONE', reason: 'ANYONE',
  },
  // Hazards (003): reached by officials covering the enterprise's location, the supervising department, inspectors
  // of the region and the enterprise itself (hazardAccess); never the public. The enforcement advice, a suspected
  // crime, the trail and the names of officials stay with the supervising side (INSIDER); the enterprise reads its
  // own ledger entry, its plan, and the decision served on it.
  Hazard: {
    id: 'ANYONE', stage: 'ANYONE', grade: 'ANYONE', sector: 'ANYONE', source: 'ANYONE', judgementBasis: 'ANYONE', description: 'ANYONE', evidence: 'ANYONE',
    reportedAt: 'ANYONE', reportedBy: 'PERSONAL', enterprise: 'ANYONE', region: 'ANYONE', supervisingDepartment: 'ANYONE', origin: 'ANYONE',
    plan: 'ANYONE', deadlineOn: 'ANYONE', dueAt: 'ANYONE', overdue: 'ANYONE', overdueNotices: 'ANYONE', fixedAtOnceAt: 'ANYONE', acceptedAt: 'ANYONE',
    closedAt: 'ANYONE', supervised: 'ANYONE', supervision: 'ANYONE', accidentId: 'ANYONE', suspectedCrime: 'INSIDERS', advice: 'INSIDERS',
    decision: 'ANYONE', extensions: 'ANYONE', submissions: 'ANYONE', whistleblowerReportId: 'INSIDERS', allowedActions: 'ANYONE', auditTrail: 'INSIDERS',
  },
  HazardOrigin: { kind: 'ANYONE', evaluationId: 'ANYONE', measureId: 'ANYONE', campaignId: 'ANYONE', townCode: 'ANYONE' },
  HazardPlan: {
    responsiblePerson: 'ANYONE', measures: 'ANYONE', fundsYuan: 'ANYONE', deadlineOn: 'ANYONE', emergencyPlan: 'ANYONE', plannedAt: 'ANYONE', plannedBy: 'PERSONAL',
  },
  HazardSupervision: {
    regionCode: 'ANYONE', officeName: 'ANYONE', documentNo: 'ANYONE', listedOn: 'ANYONE', listedBy: 'PERSONAL', receiptSignedBy: 'ANYONE',
    receiptReceivedOn: 'ANYONE', liftedAt: 'ANYONE', liftedBy: 'PERSONAL',
  },
  HazardSuspectedCrime: { at: 'ANYONE', by: 'PERSONAL', reason: 'ANYONE' },
  HazardAdvice: { advice: 'ANYONE', reason: 'ANYONE' },
  HazardDecision: { decision: 'ANYONE', reason: 'ANYONE', at: 'ANYONE', by: 'PERSONAL', advice: 'INSIDERS' },
  HazardExtension: {
    id: 'ANYONE', requestedAt: 'ANYONE', requestedBy: 'PERSONAL', untilOn: 'ANYONE', reason: 'ANYONE', decidedAt: 'ANYONE', decidedBy: 'PERSONAL',
    approved: 'ANYONE', decisionReason: 'ANYONE',
  },
  HazardSubmission: { at: 'ANYONE', by: 'PERSONAL', evidence: 'ANYONE', refusedAt: 'ANYONE', refusedBy: 'PERSONAL', refusalReason: 'ANYONE' },
  // Whistleblower reports (举报): the handling office (INSIDER), offices above it and the department it was
  // dispatched to (OFFICIAL); the reporter's identity only to the handling office. The reporter reads the status
  // through the receipt alone (WhistleblowerReportStatus, a type of its own).
  WhistleblowerReport: {
    id: 'ANYONE', stage: 'ANYONE', region: 'ANYONE', handlingRegionCode: 'ANYONE', handlingOfficeName: 'ANYONE', sector: 'ANYONE', enterpriseName: 'ANYONE',
    description: 'ANYONE', reporter: 'HANDLING_OFFICE', receivedAt: 'ANYONE', dispatch: 'ANYONE', verification: 'ANYONE', reward: 'ANYONE', closedAt: 'ANYONE',
    allowedActions: 'ANYONE', auditTrail: 'INSIDERS',
  },
  WhistleblowerReporter: { name: 'HANDLING_OFFICE', contact: 'HANDLING_OFFICE' },
  WhistleblowerDispatch: { department: 'ANYONE', departmentName: 'ANYONE', at: 'ANYONE', by: 'PERSONAL' },
  WhistleblowerVerification: { outcome: 'ANYONE', findings: 'ANYONE', at: 'ANYONE', by: 'PERSONAL', hazardId: 'ANYONE' },
  WhistleblowerReward: { amountYuan: 'ANYONE', note: 'ANYONE', at: 'ANYONE', by: 'PERSONAL' },
} as const satisfies Record<string, Record<string, Audience>>;

/**
 * Types that hold no case data: public reference data (regions, departments, enterprises, rule profiles), paging,
 * and the report on a caller's own import file (CaseImport, ImportProblem), which says only what the file holds.
 */
export const REFERENCE_TYPES: readonly string[] = [
  'Region', 'Department', 'Enterprise', 'RuleProfile', 'EvaluationConnection', 'EvaluationEdge', 'PageInfo', 'AuditChainReport', 'AuditChainBreak',
  'CaseImport', 'ImportProblem', 'WorkingCalendarYear', 'WorkingCalendarDay', 'WorkingCalendarLoad',
  'ProfileChoice', 'ProfileClause', 'ReminderDays', 'RuleProfileLoad', 'DeadlinePreview', 'DeadlineSchedule', 'DeadlineDate', 'TeamSchedule', 'TaskSchedule',
  'CampaignRuleProfile', 'CampaignConnection', 'CampaignEdge',
  // Aggregates (api/statistics), read only by officials who see every case they count (READ_STATISTICS).
  'StatisticsPeriod', 'AccidentStatistics', 'AccidentStatisticsRow', 'AccidentFigures', 'AccidentChange', 'CountChange', 'AmountChange',
  'EvaluationStatistics', 'EvaluationFigures',
  'HazardConnection', 'HazardEdge', 'WhistleblowerReportConnection', 'WhistleblowerReportEdge',
  // What a whistleblower reads with the receipt, and the receipt itself: built field by field for the holder, never from a row.
  'WhistleblowerReceipt', 'WhistleblowerReportStatus',
  // Seed 003's reference data (public) and dispatch tables, read only by officials who see every hazard they count (READ_HAZARD_CIRCULARS).
  'HazardSector', 'HazardLeadDepartment', 'HazardCampaignPhaseInfo', 'EnterpriseObligation', 'HazardDispatchTable', 'HazardDispatchRow',
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

// ---- Campaign evaluations (专项整治评估, seed 002) ----

/** What access rules need to know of one campaign, and of the unit an act is on. */
export interface CampaignScope {
  campaignId: string;
  /** The organising district's code: its safety office and leader in charge run the evaluation. */
  districtRegionCode: string;
  stage: CampaignStage | null;
  /** A year or longer: the safety office assesses (002 §11); shorter: the lead departments do (002 §13). */
  fullPath: boolean;
  /** The sectors in scope, each with its lead department and its towns. */
  sectors: { sector: Sector; leadDepartmentId: string; townCodes: string[] }[];
  /** Every town in scope of any sector. */
  townCodes: string[];
  /** The town an act is on (its self-evaluation, its plan, an extension it asks for). */
  townCode?: string;
  /** The sector an act is on (its review, a look-back it schedules or records). */
  sector?: Sector;
  /** REQUEST_EXTENSION, DECIDE_EXTENSION: the deadline asked about. */
  clock?: CampaignClock;
}

/** Official actions on a campaign, one per mutation (the workflows' updates, workflows/campaign/messages.ts). */
export const CAMPAIGN_OPERATIONS = [
  'SUBMIT_PREPARATION',
  'SUBMIT_TOWN_SELF_EVALUATION',
  'RETURN_TOWN_SELF_EVALUATION',
  'APPROVE_TOWN_SELF_EVALUATION',
  'RECORD_REVIEW_METHOD',
  'SUBMIT_SECTOR_REVIEW',
  'RETURN_SECTOR_REVIEW',
  'APPROVE_SECTOR_REVIEW',
  'SUBMIT_ASSESSMENT',
  'RETURN_ASSESSMENT',
  'APPROVE_ASSESSMENT',
  'REQUEST_EXTENSION',
  'DECIDE_EXTENSION',
  'SUBMIT_RECTIFICATION_PLAN',
  'SCHEDULE_LOOK_BACK',
  'RECORD_LOOK_BACK',
  'RECORD_INSPECTION',
  'CLOSE_FOLLOW_UP',
] as const;
export type CampaignOperation = (typeof CAMPAIGN_OPERATIONS)[number];

type CampaignRule = (grant: RoleGrant, scope: CampaignScope) => boolean;

// The district's own office and leader in charge (not an ancestor's: a city office does not run a district's evaluation).
const atDistrict =
  (role: Role): CampaignRule =>
  (g, s) =>
    g.role === role && Boolean(s.districtRegionCode) && g.regionCode === s.districtRegionCode;
const districtOffice = atDistrict('SAFETY_OFFICE');
const districtLeader = atDistrict('LEADER_IN_CHARGE');
const districtDiscipline = atDistrict('DISCIPLINE_INSPECTION');
// A town in scope, acting on itself: its official (区镇/街道), its leader in charge.
const atTown =
  (role: Role): CampaignRule =>
  (g, s) =>
    g.role === role && Boolean(s.townCode) && g.regionCode === s.townCode && s.townCodes.includes(s.townCode!);
const townOfficial = atTown('TOWN_OFFICIAL');
const townLeader = atTown('LEADER_IN_CHARGE');
const leadOf = (g: RoleGrant, sector: { leadDepartmentId: string }) => g.role === 'DEPARTMENT_OFFICIAL' && Boolean(g.departmentId) && g.departmentId === sector.leadDepartmentId;
/** The lead department of the sector the act is on. */
const sectorLead: CampaignRule = (g, s) => Boolean(s.sector) && s.sectors.some((x) => x.sector === s.sector && leadOf(g, x));
/** The lead department of any sector in scope (of the sector named, when one is). */
const anyLead: CampaignRule = (g, s) => (s.sector ? sectorLead(g, s) : s.sectors.some((x) => leadOf(g, x)));
// A town's own deadline is the self-evaluation's: its official may ask for more time for it (002 §10(五)).
const townAsksForTime: CampaignRule = (g, s) =>
  s.clock === 'SELF_EVALUATION' && g.role === 'TOWN_OFFICIAL' && Boolean(g.regionCode) && s.townCodes.includes(g.regionCode!) && (!s.townCode || g.regionCode === s.townCode);
const anyOf =
  (...rules: CampaignRule[]): CampaignRule =>
  (g, s) =>
    rules.some((rule) => rule(g, s));

/** Who may do what in a campaign's evaluation (002 §7-§13). Read as: operation → the grants that allow it. */
export const MAY_ON_CAMPAIGN: Record<CampaignOperation, CampaignRule> = {
  // The plan and the leading group: the office organises; a lead department may file it (002 §8).
  SUBMIT_PREPARATION: anyOf(districtOffice, anyLead),
  // A town evaluates itself; its leader in charge approves before it counts (002 §9).
  SUBMIT_TOWN_SELF_EVALUATION: townOfficial,
  RETURN_TOWN_SELF_EVALUATION: townLeader,
  APPROVE_TOWN_SELF_EVALUATION: townLeader,
  // Each sector's lead department reviews its towns; the district leader approves (002 §10).
  RECORD_REVIEW_METHOD: sectorLead,
  SUBMIT_SECTOR_REVIEW: sectorLead,
  RETURN_SECTOR_REVIEW: districtLeader,
  APPROVE_SECTOR_REVIEW: districtLeader,
  // The office assesses a long campaign (002 §11); a short one's lead department files its own (002 §13).
  SUBMIT_ASSESSMENT: (g, s) => (s.fullPath ? districtOffice(g, s) : anyLead(g, s)),
  RETURN_ASSESSMENT: districtLeader,
  APPROVE_ASSESSMENT: districtLeader,
  REQUEST_EXTENSION: anyOf(anyLead, townAsksForTime),
  DECIDE_EXTENSION: districtOffice,
  // Follow-up (002 §12): each town's plan; look-backs by the sector's lead department; the office's inspections.
  SUBMIT_RECTIFICATION_PLAN: townOfficial,
  SCHEDULE_LOOK_BACK: sectorLead,
  RECORD_LOOK_BACK: sectorLead,
  RECORD_INSPECTION: districtOffice,
  CLOSE_FOLLOW_UP: districtOffice,
};

export function allowCampaign(principal: Principal, operation: CampaignOperation, scope: CampaignScope): boolean {
  const rule = MAY_ON_CAMPAIGN[operation];
  return Boolean(rule) && principal.grants.some((grant) => rule(grant, scope));
}

// Officials of governments and departments, as for cases; enterprises, teams and administrators see no campaign.
const CAMPAIGN_OFFICIAL_ROLES: readonly Role[] = ['SAFETY_OFFICE', 'DEPARTMENT_OFFICIAL', 'DISCIPLINE_INSPECTION', 'LEADER_IN_CHARGE', 'TOWN_OFFICIAL', 'UPPER_OFFICE'];
/** A grant of the district or above it. */
const overDistrict: CampaignRule = (g, s) => CAMPAIGN_OFFICIAL_ROLES.includes(g.role) && covers(g.regionCode, s.districtRegionCode);
/** A grant of a region inside the district (a town, a town's department). */
const insideDistrict: CampaignRule = (g, s) =>
  CAMPAIGN_OFFICIAL_ROLES.includes(g.role) && Boolean(g.regionCode) && g.regionCode !== s.districtRegionCode && covers(s.districtRegionCode, g.regionCode!);
const campaignInsider = anyOf(districtOffice, districtLeader, districtDiscipline);
/** Sees every part of the campaign: the district and above, and the lead departments of its sectors. */
const campaignWhole = anyOf(overDistrict, (g, s) => s.sectors.some((x) => leadOf(g, x)));

/**
 * How much of a campaign a principal sees (the levels of `CaseAccess`; a campaign is never public):
 * - INSIDER: the district's safety office, leader in charge and discipline body — the audit trail and names too;
 * - OFFICIAL: officials of the district or above, of towns and bodies inside it, the sectors' lead departments;
 * - NONE: nothing; the campaign reads as not found.
 */
export function campaignAccess(principal: Principal, scope: CampaignScope): CaseAccess {
  if (principal.grants.some((g) => campaignInsider(g, scope))) return 'INSIDER';
  if (principal.grants.some((g) => campaignWhole(g, scope) || insideDistrict(g, scope))) return 'OFFICIAL';
  return 'NONE';
}

/**
 * Whose sub-reports a principal reads (002 §10(四)): 'ALL' for the district and above and the lead departments;
 * otherwise only those of the towns its grants inside the district cover (a town official: its own town's).
 */
export function campaignSubReportReader(principal: Principal, scope: CampaignScope): 'ALL' | string[] {
  if (principal.grants.some((g) => campaignWhole(g, scope) || campaignInsider(g, scope))) return 'ALL';
  const towns = scope.townCodes.filter((town) => principal.grants.some((g) => insideDistrict(g, scope) && covers(g.regionCode, town)));
  return towns;
}

// ---- Hazards (重大事故隐患, seed 003) and whistleblower reports (举报, 003 §三.三, 004 items 12-13) ----

/** What access rules need to know of one hazard (api/hazard, and the hazard workflow's own check). */
export interface HazardScope {
  hazardId: string;
  enterpriseId: string;
  /** The enterprise's location (town or county code). */
  regionCode: string;
  /** The department that supervises the enterprise's sector and accepts the rectification. */
  supervisingDepartmentId: string;
  /** The office that listed it for supervision (挂牌督办), while a listing exists: its region code. */
  supervisionRegionCode?: string | null;
  /** LIST_SUPERVISION: the region the act names as the supervising level. */
  listingRegionCode?: string;
}

/** Official actions on a hazard, one per mutation (the hazard workflow's updates, workflows/hazard/messages.ts). */
export type HazardOperation = (typeof HAZARD_OFFICIAL_ACTIONS)[number];

type HazardRule = (grant: RoleGrant, scope: HazardScope) => boolean;

const ownEnterprise: HazardRule = (g, s) => g.role === 'ENTERPRISE_CONTACT' && Boolean(g.enterpriseId) && g.enterpriseId === s.enterpriseId;
const supervisingDepartment: HazardRule = (g, s) =>
  g.role === 'DEPARTMENT_OFFICIAL' && Boolean(g.departmentId) && g.departmentId === s.supervisingDepartmentId;
const regionInspector: HazardRule = (g, s) => g.role === 'INSPECTOR' && covers(g.regionCode, s.regionCode);
const hazardOffice: HazardRule = (g, s) => g.role === 'SAFETY_OFFICE' && covers(g.regionCode, s.regionCode);
// 挂牌督办 is listed by the office of the supervising level it names: the hazard's region or one above it.
const listingOffice: HazardRule = (g, s) =>
  g.role === 'SAFETY_OFFICE' && Boolean(g.regionCode) && covers(g.regionCode, s.regionCode) && (!s.listingRegionCode || g.regionCode === s.listingRegionCode);
// It is lifted by the office that listed it, and no other.
const listedBy: HazardRule = (g, s) => g.role === 'SAFETY_OFFICE' && Boolean(s.supervisionRegionCode) && g.regionCode === s.supervisionRegionCode;
const anyHazard =
  (...rules: HazardRule[]): HazardRule =>
  (g, s) =>
    rules.some((rule) => rule(g, s));

/** Who may do what on a hazard (003 §三). Read as: operation → the grants that allow it. */
export const MAY_ON_HAZARD: Record<HazardOperation, HazardRule> = {
  // The enterprise fixes and plans its own hazard; the supervising department may enter what it found fixed or
  // the plan it was handed on paper.
  FIX_AT_ONCE: anyHazard(ownEnterprise, supervisingDepartment),
  PLAN_RECTIFICATION: anyHazard(ownEnterprise, supervisingDepartment),
  REQUEST_EXTENSION: ownEnterprise,
  DECIDE_EXTENSION: supervisingDepartment,
  SUBMIT_FOR_ACCEPTANCE: ownEnterprise,
  // 销号: the supervising department accepts or refuses the rectification.
  ACCEPT_RECTIFICATION: supervisingDepartment,
  REFUSE_ACCEPTANCE: supervisingDepartment,
  LIST_SUPERVISION: listingOffice,
  // The receiving unit signs for the listing document.
  RECORD_SUPERVISION_RECEIPT: ownEnterprise,
  LIFT_SUPERVISION: listedBy,
  MARK_SUSPECTED_CRIME: regionInspector,
  // Advice only: the official decides (the supervising department or an inspector), and the decision is recorded.
  RECORD_ENFORCEMENT_DECISION: anyHazard(supervisingDepartment, regionInspector),
};

export function allowHazard(principal: Principal, operation: HazardOperation, scope: HazardScope): boolean {
  const rule = MAY_ON_HAZARD[operation];
  return Boolean(rule) && principal.grants.some((grant) => rule(grant, scope));
}

/**
 * Who may enter a hazard in the ledger, by its source: the enterprise its own (SELF_REPORT); an inspector, a
 * safety office covering the enterprise's location or the supervising department what inspection, an evaluation
 * or a campaign found. WHISTLEBLOWER hazards are entered only by a verification (`allowWhistleblower`).
 */
export function allowHazardReport(principal: Principal, source: HazardSource, scope: HazardScope): boolean {
  if (source === 'WHISTLEBLOWER') return false;
  if (source === 'SELF_REPORT') return principal.grants.some((g) => ownEnterprise(g, scope));
  return principal.grants.some((g) => MAY_IN_REGION.REPORT_HAZARD(g, scope) || supervisingDepartment(g, scope));
}

/** The grant that allows entering a hazard, for the audit trail's actor role. */
export function hazardReportGrant(principal: Principal, source: HazardSource, scope: HazardScope): RoleGrant | undefined {
  if (source === 'SELF_REPORT') return principal.grants.find((g) => ownEnterprise(g, scope));
  return principal.grants.find((g) => MAY_IN_REGION.REPORT_HAZARD(g, scope) || supervisingDepartment(g, scope));
}

const HAZARD_READERS: readonly Role[] = ['SAFETY_OFFICE', 'DEPARTMENT_OFFICIAL', 'DISCIPLINE_INSPECTION', 'LEADER_IN_CHARGE', 'TOWN_OFFICIAL', 'INSPECTOR'];
const hazardInsider = anyHazard(hazardOffice, supervisingDepartment, regionInspector);
const hazardReader: HazardRule = (g, s) => (HAZARD_READERS.includes(g.role) && covers(g.regionCode, s.regionCode)) || ownEnterprise(g, s);

/**
 * How much of a hazard a principal sees (the levels of `CaseAccess`; a hazard is never public):
 * - INSIDER: safety offices covering its location, the supervising department, inspectors of the region — the
 *   enforcement advice, the trail and names too;
 * - OFFICIAL: other officials covering its location (departments, leaders, discipline bodies, towns), and the
 *   enterprise itself;
 * - NONE: nothing; the hazard reads as not found.
 */
export function hazardAccess(principal: Principal, scope: HazardScope): CaseAccess {
  if (principal.grants.some((g) => hazardInsider(g, scope))) return 'INSIDER';
  if (principal.grants.some((g) => hazardReader(g, scope))) return 'OFFICIAL';
  return 'NONE';
}

/** What access rules need to know of one whistleblower report. */
export interface WhistleblowerScope {
  reportId: string;
  /** The handling office's region: the county of the place reported. */
  handlingRegionCode: string;
  /** The department it was dispatched to, once it was. */
  dispatchedDepartmentId?: string | null;
}

export type WhistleblowerOperation = WhistleblowerAction['type'];

type WhistleblowerRule = (grant: RoleGrant, scope: WhistleblowerScope) => boolean;
const handlingOffice: WhistleblowerRule = (g, s) => g.role === 'SAFETY_OFFICE' && Boolean(s.handlingRegionCode) && g.regionCode === s.handlingRegionCode;
const dispatchedTo: WhistleblowerRule = (g, s) =>
  g.role === 'DEPARTMENT_OFFICIAL' && Boolean(g.departmentId) && Boolean(s.dispatchedDepartmentId) && g.departmentId === s.dispatchedDepartmentId;

/** Who may do what with a whistleblower report (003 §三.三). */
export const MAY_ON_WHISTLEBLOWER: Record<WhistleblowerOperation, WhistleblowerRule> = {
  DISPATCH_REPORT: handlingOffice,
  // The department it went to verifies; the office may record a verification it made itself.
  RECORD_VERIFICATION: (g, s) => handlingOffice(g, s) || dispatchedTo(g, s),
  RECORD_REWARD: handlingOffice,
  CLOSE_REPORT: handlingOffice,
};

export function allowWhistleblower(principal: Principal, operation: WhistleblowerOperation, scope: WhistleblowerScope): boolean {
  const rule = MAY_ON_WHISTLEBLOWER[operation];
  return Boolean(rule) && principal.grants.some((grant) => rule(grant, scope));
}

/**
 * How much of a whistleblower report a principal sees: INSIDER for the handling office (the reporter's identity
 * too), OFFICIAL for the department it was dispatched to and safety offices above the handling office, NONE for
 * everyone else. The reporter reads only the status, through the receipt.
 */
export function whistleblowerAccess(principal: Principal, scope: WhistleblowerScope): CaseAccess {
  if (principal.grants.some((g) => handlingOffice(g, scope))) return 'INSIDER';
  if (principal.grants.some((g) => dispatchedTo(g, scope) || (g.role === 'SAFETY_OFFICE' && covers(g.regionCode, scope.handlingRegionCode)))) return 'OFFICIAL';
  return 'NONE';
}

/**
 * Who turns an accident evaluation's finding (a measure not, or partly, implemented) into a hazard with the link
 * back: the evaluation's organiser office (001 §11). Returns the grant that allows it.
 */
export function allowHazardFromFinding(principal: Principal, scope: CaseScope): RoleGrant | undefined {
  return principal.grants.find((g) => organiserOffice(g, scope));
}
