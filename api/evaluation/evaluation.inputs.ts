import { ArrayMaxSize, IsDateString, IsOptional, IsUrl, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { CAPS } from '../../domain/caps.js';
import type { EvaluationStage, FindingStatus, OnSiteCheckKind, ReferralKind } from '../../domain/evaluation.js';
import type { ReportList, ReportSection } from '../../domain/rule-profiles.js';
import { EvaluationStageEnum, FindingStatusEnum, OnSiteCheckKindEnum, ReferralKindEnum, ReportListEnum, ReportSectionEnum, TeamRoleEnum } from '../common/enums.js';

// Shapes only; the rules (which stage, which measures, which sections) are checked by the domain in the
// workflow's update validators, so a call that bypasses the API is held to them too.

const TEXT = CAPS.text;
const NAME = CAPS.name;

@InputType()
export class CloseAccidentCaseInput {
  @Field(() => ID) accidentId!: string;
  @Field(() => Date, { nullable: true, description: 'When the case was closed (结案); defaults to now' }) closedAt?: Date;
}

@InputType()
export class MemberInput {
  @Field({ description: `At most ${NAME} characters` }) @MinLength(1) @MaxLength(NAME) name!: string;
  @Field({ description: `At most ${NAME} characters` }) @MinLength(1) @MaxLength(NAME) departmentName!: string;
  @Field(() => ID, { nullable: true }) departmentId?: string;
  @Field(() => ID, { nullable: true, description: 'The member\'s user account: it may then work on this evaluation while on the team' }) userId?: string;
}

@InputType()
export class TeamMemberInput extends MemberInput {
  @Field(() => TeamRoleEnum, { description: 'MEMBER, DISCIPLINE_INSPECTION or EXPERT' }) role!: 'MEMBER' | 'DISCIPLINE_INSPECTION' | 'EXPERT';
}

@InputType()
export class FormTeamInput {
  @Field(() => ID) evaluationId!: string;
  @Field(() => MemberInput) leader!: MemberInput;
  @Field(() => MemberInput, { nullable: true, description: 'Deputy in charge; leads when the leader is absent (000 §四)' }) deputy?: MemberInput;
  @Field({ defaultValue: false }) leaderAbsent!: boolean;
  @Field(() => [TeamMemberInput], { description: `At most ${CAPS.teamMembers - 2} besides the leader and the deputy` }) @ArrayMaxSize(CAPS.teamMembers - 2) members!: TeamMemberInput[];
}

@InputType()
export class SelfEvaluationStatementInput {
  @Field(() => ID) measureId!: string;
  @Field({ description: `At most ${TEXT} characters` }) @MaxLength(TEXT) statement!: string;
}

@InputType()
export class SubmitSelfEvaluationInput {
  @Field(() => ID) evaluationId!: string;
  @Field({ description: `At most ${NAME} characters` }) @MaxLength(NAME) submittedBy!: string;
  @Field() @MaxLength(TEXT) summary!: string;
  @Field(() => [SelfEvaluationStatementInput], { description: 'One statement for each measure of the report' }) @ArrayMaxSize(CAPS.measures) statements!: SelfEvaluationStatementInput[];
}

@InputType()
export class CompleteDocumentReviewInput {
  @Field(() => ID) evaluationId!: string;
  @Field() @MaxLength(TEXT) summary!: string;
}

@InputType()
export class RecordOnSiteCheckInput {
  @Field(() => ID) evaluationId!: string;
  @Field(() => OnSiteCheckKindEnum) kind!: OnSiteCheckKind;
  @Field({ description: 'China date, YYYY-MM-DD' }) @IsDateString({ strict: true }) on!: string;
  @Field({ description: `At most ${NAME} characters` }) @MaxLength(NAME) place!: string;
  @Field({ description: `At most ${CAPS.onSiteCheckSummary} characters; an evaluation holds at most ${CAPS.onSiteChecks} checks` }) @MaxLength(CAPS.onSiteCheckSummary) summary!: string;
}

@InputType()
export class EvaluationIdInput {
  @Field(() => ID) evaluationId!: string;
}

@InputType()
export class MeasureFindingInput {
  @Field(() => ID) measureId!: string;
  @Field(() => FindingStatusEnum) status!: FindingStatus;
  @Field() @MaxLength(TEXT) evidence!: string;
}

@InputType()
export class AccountabilityFindingInput {
  @Field(() => ID) itemId!: string;
  @Field(() => FindingStatusEnum) status!: FindingStatus;
  @Field() @MaxLength(TEXT) evidence!: string;
}

@InputType()
export class ReferralInput {
  @Field(() => ReferralKindEnum) kind!: ReferralKind;
  @Field({ description: `At most ${NAME} characters` }) @MaxLength(NAME) subject!: string;
  @Field() @MaxLength(TEXT) reason!: string;
}

@InputType()
export class SubmitAssessmentInput {
  @Field(() => ID) evaluationId!: string;
  @Field() @MaxLength(TEXT) summary!: string;
  @Field(() => [MeasureFindingInput]) @ArrayMaxSize(CAPS.measures) measureFindings!: MeasureFindingInput[];
  @Field(() => [AccountabilityFindingInput]) @ArrayMaxSize(CAPS.accountabilityItems) accountabilityFindings!: AccountabilityFindingInput[];
  @Field(() => [ReferralInput], { defaultValue: [], description: `At most ${CAPS.referrals}` }) @ArrayMaxSize(CAPS.referrals) referrals!: ReferralInput[];
}

@InputType()
export class ReportSectionInput {
  @Field(() => ReportSectionEnum) section!: ReportSection;
  @Field({ description: `At most ${CAPS.reportSection} characters; a whole draft at most ${CAPS.reportDraft}` }) @MaxLength(CAPS.reportSection) text!: string;
}

@InputType()
export class ReportListInput {
  @Field(() => ReportListEnum) list!: ReportList;
  @Field(() => [String], { description: `At most ${CAPS.listItems} items of at most ${CAPS.listItem} characters` }) @ArrayMaxSize(CAPS.listItems) @MaxLength(CAPS.listItem, { each: true }) items!: string[];
}

@InputType()
export class SecretPartInput {
  @Field(() => ReportSectionEnum) section!: ReportSection;
  @Field({ description: `At most ${TEXT} characters` }) @MaxLength(TEXT) reason!: string;
}

@InputType()
export class SubmitReportDraftInput {
  @Field(() => ID) evaluationId!: string;
  @Field(() => [ReportSectionInput]) @ArrayMaxSize(20) sections!: ReportSectionInput[];
  @Field(() => [ReportListInput], { defaultValue: [] }) @ArrayMaxSize(20) lists!: ReportListInput[];
  @Field(() => String, { nullable: true, description: 'Date of the meeting of all team member units (000 §五)' })
  @IsOptional()
  @IsDateString({ strict: true })
  memberMeetingHeldOn?: string;
  @Field(() => [SecretPartInput], { defaultValue: [], description: 'At most 20' }) @ArrayMaxSize(20) secretParts!: SecretPartInput[];
}

@InputType()
export class ReturnReportInput {
  @Field(() => ID) evaluationId!: string;
  @Field() @MaxLength(TEXT) reason!: string;
}

@InputType()
export class PublishReportInput {
  @Field(() => ID) evaluationId!: string;
  @Field(() => String, { nullable: true, description: 'Where the full text is published' })
  @IsOptional()
  @IsUrl({ require_protocol: true })
  url?: string;
}

@InputType()
export class FileReportInput {
  @Field(() => ID) evaluationId!: string;
  @Field(() => String, { nullable: true, description: 'Defaults to the upper-level safety office' }) @IsOptional() @MaxLength(NAME) filedWith?: string;
  @Field({ description: 'Filing reference number' }) @MaxLength(NAME) reference!: string;
}

@InputType()
export class RecordReferralOutcomeInput {
  @Field(() => ID) evaluationId!: string;
  @Field(() => ID, { description: 'R1, R2…' }) referralId!: string;
  @Field() @MaxLength(TEXT) outcome!: string;
}

@InputType()
export class CloseRectificationTaskInput {
  @Field(() => ID) taskId!: string;
  @Field() @MaxLength(TEXT) evidence!: string;
}

@InputType()
export class EvaluationFilterInput {
  @Field(() => [EvaluationStageEnum], { nullable: true }) stage?: EvaluationStage[];
  @Field(() => Boolean, { nullable: true }) overdue?: boolean;
  @Field(() => ID, { nullable: true, description: 'Organised by this region or any region under it' }) regionId?: string;
  @Field(() => Date, { nullable: true }) dueBefore?: Date;
}
