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

const COLUMNS = `profile_id as "id", version, document, source, jurisdiction_prefix as "jurisdictionPrefix",
    to_char(effective_from, 'YYYY-MM-DD') as "effectiveFrom", to_char(effective_until, 'YYYY-MM-DD') as "effectiveUntil",
    window_opens_after_months as "opensAfterMonths", window_due_after_months as "dueAfterMonths", team_days as "teamDays",
    reminder_days_before as "reminderDaysBefore", required_sections as "requiredSections", required_lists as "requiredLists",
    requires_member_meeting as "requiresMemberMeeting", rectification_days as "rectificationDays", clauses,
    loaded_at as "loadedAt", loaded_by as "loadedBy"`;
const ORDER = 'order by jurisdiction_prefix, effective_from, profile_id, version';
const SQL = `select ${COLUMNS} from rule_profile_version ${ORDER}`;

/**
 * Every version held, as one JSON array (a scalar sub-select for a statement that reads a case anyway), each with
 * a `stamp` of its whole row: `PROFILE_UNCHANGED` holds a write to the version as it was read.
 */
export const HELD_PROFILES_JSON = `(select json_agg(x) from (select ${COLUMNS}, md5(v::text) as stamp from rule_profile_version v ${ORDER}) x)`;

/** A condition that holds while version `?`/`?` is as stamped `?` (its row kept so, `for share`, until commit). */
export const PROFILE_UNCHANGED = 'exists (select 1 from rule_profile_version v where v.profile_id = ? and v.version = ? and md5(v::text) = ? for share)';

export interface StampedProfile extends HeldProfile {
  stamp: string;
}

/** The versions `HELD_PROFILES_JSON` read. */
export function stampedProfiles(rows: (ProfileRow & { stamp: string })[] | null): StampedProfile[] {
  return (rows ?? []).map((r) => ({ ...heldOf(r), stamp: r.stamp }));
}

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

const heldOf = (r: ProfileRow): HeldProfile => ({ profile: profileOfRow(r), loadedAt: new Date(r.loadedAt), loadedBy: r.loadedBy });

/** Every version held. */
export async function readHeldProfiles(em: EntityManager): Promise<HeldProfile[]> {
  return (await prepared<ProfileRow>(em, SQL)).map(heldOf);
}

export async function readProfileVersions(em: EntityManager): Promise<EvaluationRuleProfile[]> {
  return (await readHeldProfiles(em)).map((h) => h.profile);
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
