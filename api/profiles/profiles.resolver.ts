import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { DomainError } from '../../domain/errors.js';
import { chooseProfile, PROFILE_RULES, type ProfileRule, type ReportSection } from '../../domain/rule-profiles.js';
import type { Context } from '../context.js';
import { RuleProfileType } from '../evaluation/evaluation.type.js';
import { ReportSectionEnum } from '../common/enums.js';
import { previewDeadlines } from './preview.service.js';
import { DeadlinePreviewInput, RuleProfileVersionInput } from './profiles.inputs.js';
import { casesUsing, forgetProfiles, heldProfiles } from './profiles.read.js';
import * as service from './profiles.service.js';
import { profileKey } from './profile-store.js';
import {
  DeadlinePreviewType,
  ProfileChoiceType,
  ProfileClauseType,
  profileView,
  ReminderDaysType,
  RuleProfileLoadType,
  type RuleProfileView,
} from './profiles.type.js';

/** The GraphQL input in the domain's shape (clauses as a map), for domain/rule-profiles.ts checkProfileVersion. */
function draftOf(input: RuleProfileVersionInput): Record<string, unknown> {
  const { clauses, window, reminderDaysBefore, ...rest } = input;
  const map: Record<string, string> = {};
  for (const [i, c] of clauses.entries()) {
    if (!(PROFILE_RULES as readonly string[]).includes(c.rule)) throw new DomainError('BAD_USER_INPUT', `clauses[${i}].rule: must be one of ${PROFILE_RULES.join(', ')}`, `clauses[${i}].rule`);
    map[c.rule] = c.clause;
  }
  return {
    ...rest,
    window: { opensAfterMonths: window.opensAfterMonths, dueAfterMonths: window.dueAfterMonths },
    reminderDaysBefore: { window: reminderDaysBefore.window, team: reminderDaysBefore.team, task: reminderDaysBefore.task },
    ...(clauses.length ? { clauses: map } : {}),
  };
}

@Resolver(() => RuleProfileType)
export class RuleProfileResolver {
  @Query(() => [RuleProfileType], { description: 'Every rule-profile version held, by jurisdiction and effective date. Public reference data' })
  async ruleProfiles(@Ctx() ctx: Context): Promise<RuleProfileView[]> {
    return (await heldProfiles(ctx)).map((h) => profileView(h.profile));
  }

  @Query(() => RuleProfileType, {
    description: 'The version a case organised by `regionCode` and closed on `closedOn` (China date) gets, and why (chosenFor)',
  })
  async ruleProfileFor(@Arg('regionCode') regionCode: string, @Arg('closedOn') closedOn: string, @Ctx() ctx: Context): Promise<RuleProfileView> {
    if (!/^(\d{6}|\d{9}|\d{12})?$/.test(regionCode)) throw new DomainError('BAD_USER_INPUT', 'regionCode: must be a division code (6, 9 or 12 digits) or \'\' for the State Council', 'regionCode');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(closedOn) || Number.isNaN(Date.parse(`${closedOn}T00:00:00Z`))) {
      throw new DomainError('BAD_USER_INPUT', 'closedOn: must be a date YYYY-MM-DD', 'closedOn');
    }
    const choice = chooseProfile(regionCode, closedOn, (await heldProfiles(ctx)).map((h) => h.profile));
    return profileView(choice.profile, choice);
  }

  @Mutation(() => RuleProfileLoadType, {
    description:
      'Adds a version of a jurisdiction\'s evaluation rules, for an administrator of that jurisdiction or above. Cases closed on or ' +
      'after its effective date get it; running cases keep theirs. Refused: an overlap with another version of the jurisdiction ' +
      '(BAD_USER_INPUT on effectiveFrom, naming it), a malformed rule (BAD_USER_INPUT on the field), a change to a version a case ' +
      'uses (INVALID_TRANSITION). The same version again changes nothing. Each change is in the audit trail (subject rule-profile).',
  })
  async addRuleProfileVersion(@Arg('input', () => RuleProfileVersionInput) input: RuleProfileVersionInput, @Ctx() ctx: Context): Promise<RuleProfileLoadType> {
    const load = await service.addProfileVersion(ctx.em, ctx.principal, draftOf(input));
    forgetProfiles(ctx);
    return { profile: profileView(load.profile), change: load.change };
  }

  @Query(() => DeadlinePreviewType, {
    description:
      'Every statutory date of a registered case (accidentId) or a hypothetical one, and who organises it, under the profile that ' +
      'applies and optionally another version: computed by the same rules the case\'s workflow runs on',
  })
  deadlinePreview(@Arg('input', () => DeadlinePreviewInput) input: DeadlinePreviewInput, @Ctx() ctx: Context): Promise<DeadlinePreviewType> {
    return previewDeadlines(ctx, input);
  }

  @FieldResolver(() => String, { description: "Division code prefix it governs: 14 (Shanxi), 530302 (麒麟区); '' national" })
  jurisdictionPrefix(@Root() p: RuleProfileView): string {
    return p.rules.jurisdictionPrefix;
  }

  @FieldResolver(() => String, { description: 'China date from which newly closed cases get it' })
  effectiveFrom(@Root() p: RuleProfileView): string {
    return p.rules.effectiveFrom;
  }

  @FieldResolver(() => String, { nullable: true, description: 'First day it no longer applies; null: until the next version takes effect' })
  effectiveUntil(@Root() p: RuleProfileView): string | null {
    return p.rules.effectiveUntil ?? null;
  }

  @FieldResolver(() => ReminderDaysType)
  reminderDaysBefore(@Root() p: RuleProfileView): ReminderDaysType {
    return p.rules.reminderDaysBefore;
  }

  @FieldResolver(() => [ReportSectionEnum])
  requiredSections(@Root() p: RuleProfileView): ReportSection[] {
    return p.rules.requiredSections;
  }

  @FieldResolver(() => Int, { description: 'Default days of a rectification task' })
  rectificationDays(@Root() p: RuleProfileView): number {
    return p.rules.rectificationDays;
  }

  @FieldResolver(() => [ProfileClauseType], { description: 'The seed clause each rule comes from' })
  clauses(@Root() p: RuleProfileView): ProfileClauseType[] {
    return Object.entries(p.rules.clauses ?? {}).map(([rule, clause]) => ({ rule: rule as ProfileRule, clause: clause! }));
  }

  @FieldResolver(() => Int, { description: 'Evaluations that carry this version; a version in use is immutable' })
  async casesUsing(@Root() p: RuleProfileView, @Ctx() ctx: Context): Promise<number> {
    return (await casesUsing(ctx)).get(profileKey(p.rules)) ?? 0;
  }

  @FieldResolver(() => ProfileChoiceType, { nullable: true, description: 'Why a case got this version (on evaluation.profile, ruleProfileFor and a preview)' })
  chosenFor(@Root() p: RuleProfileView): ProfileChoiceType | null {
    const c = p.choice;
    return c && { regionCode: c.regionCode, closedOn: c.closedOn, jurisdictionPrefix: c.profile.jurisdictionPrefix, basis: c.basis };
  }
}

export const PROFILE_RESOLVERS = [RuleProfileResolver] as const;
