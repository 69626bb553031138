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
const STAMPED_SQL = `select ${COLUMNS}, md5(v::text) as stamp from rule_profile_version v ${ORDER}`;

/**
 * The stamps of every version held (an MD5 of its whole row), in order, as one text: a scalar sub-select for a
 * statement that reads a case anyway. `stampedProfilesAt` turns it into the versions; `PROFILE_UNCHANGED` holds a
 * write to a version as it was read.
 */
export const HELD_PROFILE_STAMPS = `(select string_agg(md5(v::text), ',' ${ORDER}) from rule_profile_version v)`;

/** A condition that holds while version `?`/`?` is as stamped `?` (its row kept so, `for share`, until commit). */
export const PROFILE_UNCHANGED = 'exists (select 1 from rule_profile_version v where v.profile_id = ? and v.version = ? and md5(v::text) = ? for share)';

export interface StampedProfile extends HeldProfile {
  stamp: string;
}

// The versions last read, with their stamps, per database (tests run several ORMs in one process). Frozen: every
// closure that finds the same stamps shares them, into its workflow's input.
const lastRead = new WeakMap<object, { stamps: string; profiles: readonly StampedProfile[] }>();

/**
 * The versions held, as `stamps` (HELD_PROFILE_STAMPS, read with the case) says they stand: those last read when
 * the stamps are theirs, else read again (one statement, after an administrator changed a version). A version
 * changed in between is caught by the write that relies on it (`PROFILE_UNCHANGED`).
 */
export async function stampedProfilesAt(em: EntityManager, stamps: string | null): Promise<readonly StampedProfile[]> {
  const known = lastRead.get(em.getDriver());
  if (known && known.stamps === (stamps ?? '')) return known.profiles;
  const rows = await prepared<ProfileRow & { stamp: string }>(em, STAMPED_SQL);
  const profiles = rows.map((r) => deepFreeze({ ...heldOf(r), stamp: r.stamp }));
  lastRead.set(em.getDriver(), { stamps: rows.map((r) => r.stamp).join(','), profiles });
  return profiles;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
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
