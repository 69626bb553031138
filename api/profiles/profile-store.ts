import type { EntityManager } from '@mikro-orm/postgresql';
import type { EvaluationRuleProfile } from '../../domain/rule-profiles.js';
import { prepared } from '../../infra/prepared.js';

// The rule profiles PostgreSQL holds (schema/entities/rule-profile.ts), as the domain's objects. A handful of rows:
// read whole, in one statement, wherever a profile is chosen or shown.

export interface HeldProfile {
  profile: EvaluationRuleProfile;
  loadedAt: Date;
  loadedBy: string;
}

interface ProfileRow {
  id: string;
  version: string;
  document: string;
  source: string;
  jurisdictionPrefix: string;
  effectiveFrom: string;
  effectiveUntil: string | null;
  opensAfterMonths: number;
  dueAfterMonths: number;
  teamDays: number | null;
  reminderDaysBefore: EvaluationRuleProfile['reminderDaysBefore'] | string;
  requiredSections: EvaluationRuleProfile['requiredSections'] | string;
  requiredLists: EvaluationRuleProfile['requiredLists'] | string;
  requiresMemberMeeting: boolean;
  rectificationDays: number;
  clauses: EvaluationRuleProfile['clauses'] | string | null;
  loadedAt: Date | string;
  loadedBy: string;
}

const SQL = `select profile_id as "id", version, document, source, jurisdiction_prefix as "jurisdictionPrefix",
    to_char(effective_from, 'YYYY-MM-DD') as "effectiveFrom", to_char(effective_until, 'YYYY-MM-DD') as "effectiveUntil",
    window_opens_after_months as "opensAfterMonths", window_due_after_months as "dueAfterMonths", team_days as "teamDays",
    reminder_days_before as "reminderDaysBefore", required_sections as "requiredSections", required_lists as "requiredLists",
    requires_member_meeting as "requiresMemberMeeting", rectification_days as "rectificationDays", clauses,
    loaded_at as "loadedAt", loaded_by as "loadedBy"
  from rule_profile_version order by jurisdiction_prefix, effective_from, profile_id, version`;
const SQL_FOR_SHARE = `${SQL} for share`;

const parsed = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

/** A row as the workflow input carries it: the same members, in the same shape, as domain/rule-profiles.ts defines. */
export function profileOfRow(r: ProfileRow): EvaluationRuleProfile {
  const clauses = r.clauses === null ? null : parsed(r.clauses);
  return {
    id: r.id,
    version: r.version,
    document: r.document,
    source: r.source,
    jurisdictionPrefix: r.jurisdictionPrefix,
    effectiveFrom: r.effectiveFrom,
    ...(r.effectiveUntil ? { effectiveUntil: r.effectiveUntil } : {}),
    window: { opensAfterMonths: r.opensAfterMonths, dueAfterMonths: r.dueAfterMonths },
    teamDays: r.teamDays,
    reminderDaysBefore: parsed(r.reminderDaysBefore),
    requiredSections: parsed(r.requiredSections),
    requiredLists: parsed(r.requiredLists),
    requiresMemberMeeting: r.requiresMemberMeeting,
    rectificationDays: r.rectificationDays,
    ...(clauses ? { clauses } : {}),
  };
}

/**
 * Every version held. `lock` (inside a transaction) keeps the versions read from changing until it commits: a case
 * closing under a version no case used yet cannot see that version corrected under it.
 */
export async function readHeldProfiles(em: EntityManager, options: { lock?: boolean } = {}): Promise<HeldProfile[]> {
  const rows = await prepared<ProfileRow>(em, options.lock ? SQL_FOR_SHARE : SQL);
  return rows.map((r) => ({ profile: profileOfRow(r), loadedAt: new Date(r.loadedAt), loadedBy: r.loadedBy }));
}

export async function readProfileVersions(em: EntityManager, options: { lock?: boolean } = {}): Promise<EvaluationRuleProfile[]> {
  return (await readHeldProfiles(em, options)).map((h) => h.profile);
}

/** How many evaluations carry each version, keyed `id/version`. */
export async function casesUsingProfiles(em: EntityManager, only?: { id: string; version: string }): Promise<Map<string, number>> {
  const rows = await em.execute<{ key: string; n: number | string }[]>(
    `select profile_id || '/' || profile_version as key, count(*) as n from evaluation
     ${only ? 'where profile_id = ? and profile_version = ?' : ''} group by profile_id, profile_version`,
    only ? [only.id, only.version] : [],
  );
  return new Map(rows.map((r) => [r.key, Number(r.n)]));
}

export const profileKey = (p: { id: string; version: string }): string => `${p.id}/${p.version}`;
