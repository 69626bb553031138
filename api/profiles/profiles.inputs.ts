import { Field, ID, InputType, Int } from 'type-graphql';
import type { AccidentLevel } from '../../domain/organiser.js';
import type { ReportList, ReportSection } from '../../domain/rule-profiles.js';
import { AccidentLevelEnum, ReportListEnum, ReportSectionEnum } from '../common/enums.js';

// Shapes only: the rules (periods, overlaps, ranges) are domain/rule-profiles.ts checkProfileVersion.

@InputType('ProfileWindowInput')
export class ProfileWindowInput {
  @Field(() => Int, { description: 'Months after closure the window opens (001 §3: 10)' }) opensAfterMonths!: number;
  @Field(() => Int, { description: 'Months after closure the evaluation is due (001 §3: 12)' }) dueAfterMonths!: number;
}

@InputType('ReminderDaysInput')
export class ReminderDaysInput {
  @Field(() => [Int]) window!: number[];
  @Field(() => [Int], { defaultValue: [] }) team!: number[];
  @Field(() => [Int], { defaultValue: [] }) task!: number[];
}

@InputType('ProfileClauseInput')
export class ProfileClauseInput {
  @Field({ description: 'window, teamDays, reminderDaysBefore, requiredSections, requiredLists, requiresMemberMeeting or rectificationDays' }) rule!: string;
  @Field({ description: 'The seed document\'s clause, e.g. 000 §四' }) clause!: string;
}

@InputType('RuleProfileVersionInput', { description: 'One version of a jurisdiction\'s evaluation rules' })
export class RuleProfileVersionInput {
  @Field({ description: 'The jurisdiction\'s profile, e.g. shanxi; one per jurisdiction' }) id!: string;
  @Field({ description: 'e.g. 2026-48' }) version!: string;
  @Field({ description: 'The issuing document, e.g. 晋安办发〔2026〕48号' }) document!: string;
  @Field({ description: 'Seed file and clauses the rules come from' }) source!: string;
  @Field({ description: "Division code prefix the profile governs: 14 (Shanxi), 530302 (麒麟区); '' for the national rules" }) jurisdictionPrefix!: string;
  @Field({ description: 'China date, YYYY-MM-DD; today or later. Cases closed on or after it get this version' }) effectiveFrom!: string;
  @Field(() => String, { nullable: true, description: 'First day it no longer applies; none: until the next version takes effect' }) effectiveUntil?: string | null;
  @Field(() => ProfileWindowInput) window!: ProfileWindowInput;
  @Field(() => Int, { nullable: true, description: 'Days the team has from its formation; none: no limit' }) teamDays?: number | null;
  @Field(() => ReminderDaysInput) reminderDaysBefore!: ReminderDaysInput;
  @Field(() => [ReportSectionEnum]) requiredSections!: ReportSection[];
  @Field(() => [ReportListEnum], { defaultValue: [] }) requiredLists!: ReportList[];
  @Field() requiresMemberMeeting!: boolean;
  @Field(() => Int, { description: 'Default days of a rectification task' }) rectificationDays!: number;
  @Field(() => [ProfileClauseInput], { defaultValue: [] }) clauses!: ProfileClauseInput[];
}

@InputType('ProfileVersionRefInput')
export class ProfileVersionRefInput {
  @Field() id!: string;
  @Field() version!: string;
}

@InputType('HypotheticalCaseInput', { description: 'A case that is not registered: what the organiser rules and the profile need of it' })
export class HypotheticalCaseInput {
  @Field(() => AccidentLevelEnum) level!: AccidentLevel;
  @Field(() => ID, { description: 'Where the accident happened' }) locationRegionId!: string;
  @Field(() => ID, { description: 'The enterprise\'s home region' }) enterpriseHomeRegionId!: string;
  @Field({ defaultValue: false, description: '提级调查' }) escalated!: boolean;
}

@InputType('DeadlinePreviewInput', { description: 'A registered case (accidentId) or a hypothetical one' })
export class DeadlinePreviewInput {
  @Field(() => ID, { nullable: true }) accidentId?: string | null;
  @Field(() => HypotheticalCaseInput, { nullable: true }) hypothetical?: HypotheticalCaseInput | null;
  @Field(() => String, { nullable: true, description: 'China date of closure, for a case not closed yet; default today' }) closedOn?: string | null;
  @Field(() => String, { nullable: true, description: 'China date the team is formed; default: the window\'s opening (a closed case: the recorded one)' }) teamFormedOn?: string | null;
  @Field(() => String, { nullable: true, description: 'China date follow-up starts; default: the due date (a closed case: the recorded one)' }) followUpStartsOn?: string | null;
  @Field(() => ProfileVersionRefInput, { nullable: true, description: 'Also the dates under this version' }) otherVersion?: ProfileVersionRefInput | null;
}
