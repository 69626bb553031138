import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../../activities/audit.js';
import type { ChangeRecord } from '../../activities/types.js';
import { allow, allowingGrant, type Principal } from '../../domain/access.js';
import { chinaDate } from '../../domain/calendar.js';
import { DomainError } from '../../domain/errors.js';
import { checkProfileVersion, checkVersionChange, profileByVersion, type EvaluationRuleProfile, type VersionChange } from '../../domain/rule-profiles.js';
import { checkAllText } from '../../domain/text.js';
import { casesUsingProfiles, profileKey, readProfileVersions } from './profile-store.js';

// Administrators add rule-profile versions (GraphQL addRuleProfileVersion, `npm run profiles:load`): one transaction
// each, with its entry in the audit trail (subject 'rule-profile', id `profile/version`).

export interface VersionLoad {
  profile: EvaluationRuleProfile;
  change: VersionChange;
}

function isImmutableRefusal(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
  return typeof e?.message === 'string' && e.message.includes('is used by an evaluation and cannot change');
}

/**
 * Checks and stores one version, given in the domain's shape (`input` as a client or a file sent it). Loading the
 * same version again changes nothing; a different version under a held name replaces it only while no case uses it.
 * `now` is the clock that decides "today" (a version may not take effect before it).
 */
export async function addProfileVersion(em: EntityManager, principal: Principal, input: unknown, now = new Date()): Promise<VersionLoad> {
  checkAllText(input);
  const candidate = checkProfileVersion(input);
  const scope = { regionCode: candidate.jurisdictionPrefix };
  if (!allow(principal, 'MANAGE_RULE_PROFILES', scope)) {
    throw new DomainError('FORBIDDEN', `jurisdictionPrefix: ${candidate.jurisdictionPrefix || "'' (national)"} is outside the region you administer`, 'jurisdictionPrefix');
  }
  try {
    return await em.fork().transactional(async (tx) => {
      // One writer at a time: the overlap check and the write must see the same versions. Closures reading the
      // version they close under (`for share`, in their write) go on; a correction waits for them, and the trigger then
      // sees their evaluations.
      await tx.execute('lock table rule_profile_version in share row exclusive mode');
      const held = await readProfileVersions(tx);
      const existing = profileByVersion(candidate.id, candidate.version, held);
      const used = existing ? ((await casesUsingProfiles(tx, existing)).get(profileKey(existing)) ?? 0) : 0;
      const change = checkVersionChange(candidate, held, () => used, chinaDate(now));
      if (change === 'UNCHANGED') return { profile: existing!, change };
      await writeVersion(tx, candidate, principal.id, now);
      const subjectId = profileKey(candidate);
      const [last] = await tx.execute<{ revision: number | null }[]>(
        `select max(revision) as revision from audit_entry where subject_type = 'rule-profile' and subject_id = ?`,
        [subjectId],
      );
      const record: ChangeRecord = {
        actor: { id: principal.id, name: principal.name, role: allowingGrant(principal, 'MANAGE_RULE_PROFILES', scope)?.role },
        action: change === 'ADD' ? 'ADD_RULE_PROFILE_VERSION' : 'REPLACE_RULE_PROFILE_VERSION',
        stageBefore: null,
        stageAfter: null,
        at: now.toISOString(),
        payload: { profile: candidate, ...(existing ? { replaced: existing } : {}) },
      };
      await audit(tx, 'rule-profile', subjectId, Number(last?.revision ?? 0) + 1, record, candidate);
      return { profile: candidate, change };
    });
  } catch (error) {
    // A case closed under the version between the check and the write: the trigger refused the change.
    if (isImmutableRefusal(error)) throw new DomainError('INVALID_TRANSITION', `${candidate.id} ${candidate.version} is used by a case and cannot change: add a new version instead`);
    throw error;
  }
}

async function writeVersion(tx: EntityManager, p: EvaluationRuleProfile, loadedBy: string, now: Date): Promise<void> {
  const json = (v: unknown) => JSON.stringify(v);
  await tx.execute(
    `insert into rule_profile_version (profile_id, version, document, source, jurisdiction_prefix, effective_from, effective_until,
       window_opens_after_months, window_due_after_months, team_days, reminder_days_before, required_sections, required_lists,
       requires_member_meeting, rectification_days, clauses, loaded_at, loaded_by)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?::jsonb, ?, ?)
     on conflict (profile_id, version) do update set document = excluded.document, source = excluded.source,
       jurisdiction_prefix = excluded.jurisdiction_prefix, effective_from = excluded.effective_from, effective_until = excluded.effective_until,
       window_opens_after_months = excluded.window_opens_after_months, window_due_after_months = excluded.window_due_after_months,
       team_days = excluded.team_days, reminder_days_before = excluded.reminder_days_before, required_sections = excluded.required_sections,
       required_lists = excluded.required_lists, requires_member_meeting = excluded.requires_member_meeting,
       rectification_days = excluded.rectification_days, clauses = excluded.clauses, loaded_at = excluded.loaded_at, loaded_by = excluded.loaded_by`,
    [
      p.id, p.version, p.document, p.source, p.jurisdictionPrefix, p.effectiveFrom, p.effectiveUntil ?? null,
      p.window.opensAfterMonths, p.window.dueAfterMonths, p.teamDays, json(p.reminderDaysBefore), json(p.requiredSections), json(p.requiredLists),
      p.requiresMemberMeeting, p.rectificationDays, p.clauses ? json(p.clauses) : null, now, loadedBy,
    ],
  );
}
