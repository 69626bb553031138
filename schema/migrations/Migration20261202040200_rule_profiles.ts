import { Migration } from '@mikro-orm/migrations';
import { EVALUATION_PROFILES } from '../../domain/rule-profiles.js';
import { APP_ROLE } from './Migration20261202010000_app_role.js';

/**
 * Rule profiles as versioned data (schema/entities/rule-profile.ts), loaded with the versions the code shipped
 * with until now (domain/rule-profiles.ts EVALUATION_PROFILES): national 2021-4, Shanxi 2021-119 and 2026-48,
 * Qilin 2022. Every evaluation already recorded names one of these. The application role reads, adds and
 * corrects versions; the trigger refuses to change or delete one an evaluation names.
 */
export class Migration20261202040200_rule_profiles extends Migration {

  override name = 'Migration20261202040200_rule_profiles';

  override up(): void | Promise<void> {
    this.addSql(`create table "rule_profile_version" ("profile_id" text not null, "version" text not null, "document" text not null, "source" text not null, "jurisdiction_prefix" text not null, "effective_from" date not null, "effective_until" date null, "window_opens_after_months" int not null, "window_due_after_months" int not null, "team_days" int null, "reminder_days_before" jsonb not null, "required_sections" jsonb not null, "required_lists" jsonb not null, "requires_member_meeting" boolean not null, "rectification_days" int not null, "clauses" jsonb null, "loaded_at" timestamptz not null, "loaded_by" text not null, primary key ("profile_id", "version"));`);
    this.addSql(`create index "rule_profile_version_jurisdiction_prefix_index" on "rule_profile_version" ("jurisdiction_prefix");`);
    this.addSql(`alter table "rule_profile_version" add constraint "rule_profile_version_period_check" check ("effective_until" is null or "effective_until" > "effective_from");`);
    this.addSql(`alter table "rule_profile_version" add constraint "rule_profile_version_window_check" check ("window_due_after_months" > "window_opens_after_months");`);
    this.addSql(`create function rule_profile_version_immutable() returns trigger language plpgsql as $$
      begin
        if exists (select 1 from evaluation e where e.profile_id = old.profile_id and e.profile_version = old.version) then
          raise exception 'rule profile % % is used by an evaluation and cannot change', old.profile_id, old.version using errcode = 'check_violation';
        end if;
        return case when tg_op = 'DELETE' then old else new end;
      end $$;`);
    this.addSql(`create trigger rule_profile_version_immutable before update or delete on "rule_profile_version" for each row execute function rule_profile_version_immutable();`);
    for (const p of EVALUATION_PROFILES) {
      this.addSql(
        `insert into "rule_profile_version" ("profile_id", "version", "document", "source", "jurisdiction_prefix", "effective_from", "effective_until", "window_opens_after_months", "window_due_after_months", "team_days", "reminder_days_before", "required_sections", "required_lists", "requires_member_meeting", "rectification_days", "clauses", "loaded_at", "loaded_by") values (${[
          lit(p.id), lit(p.version), lit(p.document), lit(p.source), lit(p.jurisdictionPrefix), lit(p.effectiveFrom), p.effectiveUntil ? lit(p.effectiveUntil) : 'null',
          p.window.opensAfterMonths, p.window.dueAfterMonths, p.teamDays ?? 'null', json(p.reminderDaysBefore), json(p.requiredSections), json(p.requiredLists),
          p.requiresMemberMeeting, p.rectificationDays, p.clauses ? json(p.clauses) : 'null', 'now()', lit('migration'),
        ].join(', ')});`,
      );
    }
    this.addSql(`grant select, insert, update on "rule_profile_version" to ${APP_ROLE};`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "rule_profile_version" cascade;`);
    this.addSql(`drop function if exists rule_profile_version_immutable();`);
  }

}

const lit = (value: string): string => `'${value.replace(/'/g, "''")}'`;
const json = (value: unknown): string => `${lit(JSON.stringify(value))}::jsonb`;
