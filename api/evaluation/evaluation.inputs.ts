import { ArrayMaxSize, IsDateString, IsOptional, IsUrl, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import type { EvaluationStage, FindingStatus, OnSiteCheckKind, ReferralKind } from '../../domain/evaluation.js';
import type { ReportList, ReportSection } from '../../domain/rule-profiles.js';
import { EvaluationStageEnum, FindingStatusEnum, OnSiteCheckKindEnum, ReferralKindEnum, ReportListEnum, ReportSectionEnum, TeamRoleEnum } from '../common/enums.js';

// Shapes only; the rules (which stage, which measures, which sections) are checked by the domain in the
// workflow's update validators, so a call that bypasses the API is held to them too.

const TEXT = 20_000;

@InputType()
export class CloseAccidentCaseInput {
  @Field(() => ID) accidentId!: string;
  @Field(() => Date, { nullable: true, description: 'When the case was closed (结案); defaults to now' }) closedAt?: Date;
}

@InputType()
export class MemberInput {
  @Field() @MinLength(1) @MaxLength(100) name!: string;
  @Field() @MinLength(1) @MaxLength(200) departmentName!: string;
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
  @Field(() => [TeamMemberInput]) @ArrayMaxSize(100) members!: TeamMemberInput[];
}

@InputType()
export class SelfEvaluationStatementInput {
  @Field(() => ID) measureId!: string;
  @Field() @MaxLength(TEXT) statement!: string;
}

@InputType()
export class SubmitSelfEvaluationInput {
  @Field(() => ID) evaluationId!: string;
  @Field() @MaxLength(200) submittedBy!: string;
  @Field() @MaxLength(TEXT) summary!: string;
  @Field(() => [SelfEvaluationStatementInput]) statements!: SelfEvaluationStatementInput[];
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
  @Field() @MaxLength(500) place!: string;
  @Field() @MaxLength(TEXT) summary!: string;
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
  @Field() @MaxLength(500) subject!: string;
  @Field() @MaxLength(TEXT) reason!: string;
}

@InputType()
export class SubmitAssessmentInput {
  @Field(() => ID) evaluationId!: string;
  @Field() @MaxLength(TEXT) summary!: string;
  @Field(() => [MeasureFindingInput]) measureFindings!: MeasureFindingInput[];
  @Field(() => [AccountabilityFindingInput]) accountabilityFindings!: AccountabilityFindingInput[];
  @Field(() => [ReferralInput], { defaultValue: [] }) referrals!: ReferralInput[];
}

@InputType()
export class ReportSectionInput {
  @Field(() => ReportSectionEnum) section!: ReportSection;
  @Field() @MaxLength(100_000) text!: string;
}

@InputType()
export class ReportListInput {
  @Field(() => ReportListEnum) list!: ReportList;
  @Field(() => [String]) @ArrayMaxSize(500) items!: string[];
}

@InputType()
export class SecretPartInput {
  @Field(() => ReportSectionEnum) section!: ReportSection;
  @Field() @MaxLength(2000) reason!: string;
}

@InputType()
export class SubmitReportDraftInput {
  @Field(() => ID) evaluationId!: string;
  @Field(() => [ReportSectionInput]) sections!: ReportSectionInput[];
  @Field(() => [ReportListInput], { defaultValue: [] }) lists!: ReportListInput[];
  @Field(() => String, { nullable: true, description: 'Date of the meeting of all team member units (000 §五)' })
  @IsOptional()
  @IsDateString({ strict: true })
  memberMeetingHeldOn?: string;
  @Field(() => [SecretPartInput], { defaultValue: [] }) secretParts!: SecretPartInput[];
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
  @Field(() => String, { nullable: true, description: 'Defaults to the upper-level safety office' }) @IsOptional() @MaxLength(200) filedWith?: string;
  @Field({ description: 'Filing reference number' }) @MaxLength(200) reference!: string;
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
