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
  while (prefix.length > 2 && prefix.endsWith('00')) prefix = prefix.slice(0, -2);
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

export function allow(principal: Principal, operation: Operation, scope: CaseScope): boolean {
  return principal.grants.some((grant) => MAY[operation](grant, scope));
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

/** Drafts, findings and working papers: insiders always, other officials once the report is agreed. */
export function seesWorkingPapers(access: CaseAccess, scope: CaseScope): boolean {
  return access === 'INSIDER' || (access === 'OFFICIAL' && scope.reportApproved);
}

/** Names of responsible persons and team members: only those who evaluate or hold them to account. */
export function seesPersonalData(access: CaseAccess): boolean {
  return access === 'INSIDER';
}
