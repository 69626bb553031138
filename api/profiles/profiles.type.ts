import { Field, Int, ObjectType } from 'type-graphql';
import type { EvaluationRuleProfile, ProfileChoice, ProfileRule } from '../../domain/rule-profiles.js';
import type { PreviewEvent } from '../../domain/deadline-preview.js';
import { RegionType } from '../case/case.type.js';
import { RuleProfileType } from '../evaluation/evaluation.type.js';
import type { RegionRow } from '../loaders.js';

/** What a RuleProfile field resolves from: the fields the evaluation type declares, and the whole profile behind them. */
export type RuleProfileView = RuleProfileType & { rules: EvaluationRuleProfile; choice: ProfileChoice | null };

export function profileView(rules: EvaluationRuleProfile, choice: ProfileChoice | null = null): RuleProfileView {
  return {
    id: rules.id,
    version: rules.version,
    document: rules.document,
    source: rules.source,
    windowOpensAfterMonths: rules.window.opensAfterMonths,
    windowDueAfterMonths: rules.window.dueAfterMonths,
    teamDays: rules.teamDays,
    requiredLists: rules.requiredLists,
    requiresMemberMeeting: rules.requiresMemberMeeting,
    rules,
    choice,
  };
}

@ObjectType('ReminderDays', { description: 'Days before each deadline a reminder is sent' })
export class ReminderDaysType {
  @Field(() => [Int], { description: 'Before the evaluation\'s due date' }) window!: number[];
  @Field(() => [Int], { description: 'Before the team\'s deadline' }) team!: number[];
  @Field(() => [Int], { description: 'Before a rectification task\'s deadline' }) task!: number[];
}

@ObjectType('ProfileClause', { description: 'The seed clause (or office practice) one rule of the profile comes from' })
export class ProfileClauseType {
  @Field(() => String, { description: `One of ${'window, teamDays, reminderDaysBefore, requiredSections, requiredLists, requiresMemberMeeting, rectificationDays'}` }) rule!: ProfileRule;
  @Field() clause!: string;
}

@ObjectType('ProfileChoice', { description: 'Why a case gets its profile: the jurisdiction covering its organiser, in force on its closure date' })
export class ProfileChoiceType {
  @Field({ description: 'Division code of the organising government (\'\' for the State Council)' }) regionCode!: string;
  @Field({ description: 'China date of closure' }) closedOn!: string;
  @Field({ description: 'The most specific jurisdiction prefix covering the organiser (\'\' for the national rules)' }) jurisdictionPrefix!: string;
  @Field({ description: 'The rule, in words' }) basis!: string;
}

@ObjectType('RuleProfileLoad', { description: 'What adding a rule-profile version did' })
export class RuleProfileLoadType {
  @Field(() => RuleProfileType) profile!: RuleProfileView;
  @Field({ description: 'ADD (a new version), REPLACE (a version no case used yet, corrected) or UNCHANGED (loaded again as it was)' }) change!: string;
}

@ObjectType('DeadlineDate', { description: 'One dated event of a case, as its workflow\'s timers fire it' })
export class DeadlineDateType {
  @Field({ description: 'The workflow\'s key, e.g. window-reminder-7d, team-overdue, task-escalation' }) key!: string;
  @Field({ description: 'WINDOW_OPENS, REMINDER, OVERDUE or ESCALATION' }) kind!: string;
  @Field({ description: 'The instant the timer fires' }) at!: Date;
  @Field({ description: 'Its China date' }) on!: string;
  @Field({ description: 'The deadline it is about' }) deadline!: Date;
}

const dated = (e: PreviewEvent): DeadlineDateType => ({ key: e.key, kind: e.kind, at: new Date(e.at), on: e.on, deadline: new Date(e.deadline) });
export { dated };

@ObjectType('TeamSchedule', { description: 'The team\'s own clock (000 §四), from its formation' })
export class TeamScheduleType {
  @Field() formedAt!: Date;
  @Field({ description: 'True when the formation date is assumed (the window\'s opening), not given or recorded' }) assumed!: boolean;
  @Field() dueAt!: Date;
  @Field(() => [DeadlineDateType]) events!: DeadlineDateType[];
}

@ObjectType('TaskSchedule', { description: 'A rectification task started when follow-up starts, with the profile\'s default time (001 §11)' })
export class TaskScheduleType {
  @Field() startsAt!: Date;
  @Field({ description: 'True when the follow-up start is assumed (the evaluation\'s due date), not given or recorded' }) assumed!: boolean;
  @Field() deadline!: Date;
  @Field(() => [DeadlineDateType]) events!: DeadlineDateType[];
}

@ObjectType('DeadlineSchedule', { description: 'Every statutory date of a case under one profile version' })
export class DeadlineScheduleType {
  @Field(() => RuleProfileType) profile!: RuleProfileView;
  @Field({ description: '001 §3: the evaluation window opens' }) opensAt!: Date;
  @Field({ description: '004 item 3: the report is due; overdue after' }) dueAt!: Date;
  @Field(() => [DeadlineDateType], { description: 'Window opening, reminders before the due date, overdue' }) window!: DeadlineDateType[];
  @Field(() => TeamScheduleType, { nullable: true, description: 'Null when the profile sets the team no time limit' }) team!: TeamScheduleType | null;
  @Field(() => TaskScheduleType) task!: TaskScheduleType;
}

@ObjectType('DeadlinePreview', { description: 'Every statutory date of a case, or of a hypothetical one, and who organises it' })
export class DeadlinePreviewType {
  @Field() closedAt!: Date;
  @Field({ description: 'True for a registered case already closed: the dates are those its workflow runs on' }) closed!: boolean;
  @Field(() => RegionType, { nullable: true, description: 'Null when the State Council organises' }) organiserRegion!: RegionRow | null;
  @Field({ description: 'The organising government\'s safety office' }) organiserName!: string;
  @Field({ description: 'Why it organises (001 §3-§4)' }) organiserBasis!: string;
  @Field(() => [RegionType], { description: 'Governments that assist (the enterprise\'s home, 001 §3)' }) assistingRegions!: RegionRow[];
  @Field(() => DeadlineScheduleType, { description: 'Under the profile that applies (a closed case: the one it is pinned to)' }) schedule!: DeadlineScheduleType;
  @Field(() => DeadlineScheduleType, { nullable: true, description: 'Under the version named in the request, when one is' }) otherVersion!: DeadlineScheduleType | null;
}
