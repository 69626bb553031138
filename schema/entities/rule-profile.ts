import { Check, Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { ProfileRule, ReportList, ReportSection } from '../../domain/rule-profiles.js';

/**
 * One version of a jurisdiction's rules for the post-accident evaluation (domain/rule-profiles.ts), as data. The
 * shipped versions are loaded by the migration `rule_profiles`; administrators add more (api/profiles,
 * `npm run profiles:load`). A trigger refuses to change or delete a version any evaluation names: a running case
 * carries its version in its workflow input, and the row must keep saying what that was.
 */
@Entity({ tableName: 'rule_profile_version' })
@Check({ name: 'rule_profile_version_period_check', expression: '"effective_until" is null or "effective_until" > "effective_from"' })
@Check({ name: 'rule_profile_version_window_check', expression: '"window_due_after_months" > "window_opens_after_months"' })
export class RuleProfileVersionRow {
  @PrimaryKey({ type: 'text' })
  profileId!: string;

  @PrimaryKey({ type: 'text' })
  version!: string;

  @Property({ type: 'text' })
  document!: string;

  @Property({ type: 'text' })
  source!: string;

  /** Division code prefix; '' for the national rules. */
  @Property({ type: 'text', index: true })
  jurisdictionPrefix!: string;

  @Property({ type: 'date' })
  effectiveFrom!: string;

  @Property({ type: 'date', nullable: true })
  effectiveUntil?: string | null;

  @Property({ type: 'integer' })
  windowOpensAfterMonths!: number;

  @Property({ type: 'integer' })
  windowDueAfterMonths!: number;

  @Property({ type: 'integer', nullable: true })
  teamDays?: number | null;

  @Property({ type: 'json' })
  reminderDaysBefore!: { window: number[]; team: number[]; task: number[] };

  @Property({ type: 'json' })
  requiredSections!: ReportSection[];

  @Property({ type: 'json' })
  requiredLists!: ReportList[];

  @Property({ type: 'boolean' })
  requiresMemberMeeting!: boolean;

  @Property({ type: 'integer' })
  rectificationDays!: number;

  @Property({ type: 'json', nullable: true })
  clauses?: Partial<Record<ProfileRule, string>> | null;

  @Property({ type: 'datetime' })
  loadedAt!: Date;

  /** The user who loaded it (app_user id), or `migration` for the shipped versions. */
  @Property({ type: 'text' })
  loadedBy!: string;
}

export const RULE_PROFILE_ENTITIES: Function[] = [RuleProfileVersionRow];
