import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { CampaignClock, CampaignDimension, CampaignKind, CampaignStage, Grade, ReviewMethod } from '../../domain/campaign.js';
import type { Sector } from '../../domain/case.js';
import {
  CampaignClockEnum,
  CampaignDimensionEnum,
  CampaignKindEnum,
  CampaignStageEnum,
  GradedUnitEnum,
  GradeEnum,
  LookBackReasonEnum,
  LookBackStageEnum,
  ReviewMethodEnum,
  SectorEnum,
  UnitReviewStageEnum,
} from '../common/enums.js';
import { PageInfoType } from '../evaluation/evaluation.type.js';

// What the API shows of a campaign evaluation (专项整治评估, seed 002). Relations are field resolvers
// (campaign.resolver.ts), batched per request; who sees which field is the field table in domain/access.ts.

const PERSON = 'A person\'s name: only for the district\'s office, leader in charge and discipline body';

@ObjectType('CampaignRuleProfile', { description: 'The versioned day limits a campaign runs under (002 §8-§13); a running campaign keeps its version' })
export class CampaignRuleProfileType {
  @Field() id!: string;
  @Field() version!: string;
  @Field({ description: 'The issuing document' }) document!: string;
  @Field({ description: 'Seed clauses the rules come from' }) source!: string;
  @Field(() => Int, { description: 'Days after the end date: plan and leading group' }) preparationDays!: number;
  @Field(() => Int, { description: 'Days after the end date: the towns\' self-evaluations' }) selfEvaluationDays!: number;
  @Field(() => Int, { description: 'Days after the self-evaluation deadline: the sector reviews' }) sectorReviewDays!: number;
  @Field(() => Int, { description: 'Days after the sector-review deadline: the comprehensive assessment' }) assessmentDays!: number;
  @Field(() => Int, { description: 'An extension is asked for at least this many working days before the deadline' }) extensionNoticeWorkingDays!: number;
  @Field(() => Int, { description: 'Campaigns at least this many months long run all five stages' }) fullPathMinMonths!: number;
  @Field(() => [Int], { description: 'Reminders, in days before each deadline' }) reminderDaysBefore!: number[];
}

@ObjectType('CampaignDeadline', { description: 'One of a campaign\'s time limits' })
export class CampaignDeadlineType {
  @Field(() => CampaignClockEnum) clock!: CampaignClock;
  @Field({ description: 'The last day (China date), moved off weekends and public holidays' }) dueOn!: string;
  @Field({ description: 'When that day ends in China' }) dueAt!: Date;
  @Field({ description: 'True when no working-day calendar is loaded for the year of dueOn: it may still move' }) provisional!: boolean;
  @Field(() => Int, { description: 'Days added by approved extensions' }) extendedDays!: number;
  @Field({ description: 'The time limit passed with its work not done' }) overdue!: boolean;
}

@ObjectType('LeadingGroupMember')
export class LeadingGroupMemberType {
  @Field(() => String, { nullable: true, description: PERSON }) name!: string | null;
  @Field() unit!: string;
  @Field({ description: 'A third-party expert (002 §8(二))' }) expert!: boolean;
}

@ObjectType('CampaignPreparation', { description: 'The evaluation plan and leading group (002 §8)' })
export class CampaignPreparationType {
  @Field() submittedAt!: Date;
  @Field(() => String, { nullable: true, description: PERSON }) submittedBy!: string | null;
  @Field() schedule!: string;
  @Field() scope!: string;
  @Field() duties!: string;
  @Field(() => [LeadingGroupMemberType]) leadingGroup!: LeadingGroupMemberType[];
}

@ObjectType('CampaignReturn', { description: 'A submission sent back for rework, and why' })
export class CampaignReturnType {
  @Field() at!: Date;
  @Field() reason!: string;
}

@ObjectType('CampaignSubReport', { description: 'A sub-report: of one town (sector review) or one sector (assessment)' })
export class CampaignSubReportType {
  @Field({ description: 'Town code or sector' }) unit!: string;
  @Field(() => ID, { nullable: true, description: 'The town\'s region, for a town\'s sub-report' }) townRegionId!: string | null;
  @Field(() => SectorEnum, { nullable: true, description: 'The sector, for a sector\'s sub-report' }) sector!: Sector | null;
  @Field(() => String, { nullable: true, description: 'A town\'s officials read only their own town\'s sub-report (002 §10(四))' }) text!: string | null;
}

@ObjectType('CampaignReport', { description: 'An overall report and its sub-reports (a sector review\'s, or the assessment\'s)' })
export class CampaignReportType {
  @Field(() => String, { nullable: true }) overall!: string | null;
  @Field(() => [CampaignSubReportType]) subReports!: CampaignSubReportType[];
  @Field(() => Date, { nullable: true }) submittedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'Only an approved report counts (002 §9(三), §10(四))' }) approvedAt!: Date | null;
}

@ObjectType('CampaignGrade', { description: 'A grade: of a town by a sector\'s review, of a sector by the assessment (002 §10(二), §11(二), §14-§16)' })
export class CampaignGradeType {
  @Field(() => ID) campaignId!: string;
  @Field(() => Int, { description: 'The year the campaign ended' }) year!: number;
  @Field(() => GradedUnitEnum) unitKind!: 'TOWN' | 'SECTOR';
  @Field({ description: 'Town code or sector' }) unit!: string;
  @Field(() => SectorEnum, { description: 'The sector whose review graded the town, or the graded sector' }) sector!: Sector;
  @Field(() => GradeEnum) grade!: Grade;
  @Field({ description: '优: priority when advanced collectives are chosen (002 §15)' }) priority!: boolean;
  @Field({ description: '差: one-vote veto on the unit and its head (002 §16)' }) veto!: boolean;
  @Field() gradedAt!: Date;
}

@ObjectType('CampaignReviewMethod', { description: 'A method a sector review used (002 §10(一))' })
export class CampaignReviewMethodType {
  @Field(() => ReviewMethodEnum) method!: ReviewMethod;
  @Field({ description: 'China date' }) on!: string;
  @Field() summary!: string;
  @Field(() => String, { nullable: true, description: PERSON }) recordedBy!: string | null;
}

@ObjectType('CampaignProposedGrade', { description: 'A grade a submitted sector review proposes for a town; it counts once approved' })
export class CampaignProposedGradeType {
  @Field() townCode!: string;
  @Field(() => GradeEnum) grade!: Grade;
}

@ObjectType('CampaignSectorReview', { description: 'A sector\'s review of the towns in its scope (002 §10)' })
export class CampaignSectorReviewType {
  @Field(() => UnitReviewStageEnum) stage!: string;
  @Field(() => [CampaignReviewMethodType]) methods!: CampaignReviewMethodType[];
  @Field(() => [CampaignProposedGradeType], { description: 'The grades the review proposes (submitted or approved)' }) proposedGrades!: CampaignProposedGradeType[];
  @Field(() => String, { nullable: true, description: PERSON }) submittedBy!: string | null;
  @Field(() => String, { nullable: true, description: PERSON }) approvedBy!: string | null;
  @Field(() => [CampaignReturnType]) returns!: CampaignReturnType[];
}

@ObjectType('TownSelfEvaluation', { description: 'A town\'s self-evaluation: report and three lists (002 §9)' })
export class TownSelfEvaluationType {
  @Field(() => UnitReviewStageEnum) stage!: string;
  @Field(() => String, { nullable: true, description: '自评报告' }) report!: string | null;
  @Field(() => [String], { description: '目标任务完成情况清单' }) targetTasks!: string[];
  @Field(() => [String], { description: '问题隐患整改情况清单' }) hazardRectifications!: string[];
  @Field(() => [String], { description: '典型经验做法清单' }) typicalPractices!: string[];
  @Field(() => String, { nullable: true, description: PERSON }) submittedBy!: string | null;
  @Field(() => String, { nullable: true, description: PERSON }) approvedBy!: string | null;
  @Field(() => [CampaignReturnType]) returns!: CampaignReturnType[];
}

@ObjectType('CampaignRectificationPlan', { description: 'A town\'s rectification plan (002 §12(一))' })
export class CampaignRectificationPlanType {
  @Field() townCode!: string;
  @Field() submittedAt!: Date;
  @Field(() => String, { nullable: true, description: PERSON }) submittedBy!: string | null;
  @Field() responsibility!: string;
  @Field() measures!: string;
  @Field({ description: 'China date' }) deadlineOn!: string;
}

@ObjectType('CampaignTown', { description: 'A town in a campaign\'s scope' })
export class CampaignTownType {
  @Field() townCode!: string;
  @Field(() => [SectorEnum], { description: 'Sectors whose scope includes the town' }) sectors!: Sector[];
  @Field(() => Date, { nullable: true }) submittedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'The self-evaluation counts from its approval by the town\'s leader in charge' }) approvedAt!: Date | null;
  @Field({ description: 'Not approved by the self-evaluation deadline' }) overdue!: boolean;
}

@ObjectType('CampaignSector', { description: 'A sector in a campaign\'s scope, with its lead department' })
export class CampaignSectorType {
  @Field(() => SectorEnum) sector!: Sector;
  @Field(() => [String]) townCodes!: string[];
  @Field(() => Date, { nullable: true }) submittedAt!: Date | null;
  @Field(() => Date, { nullable: true }) approvedAt!: Date | null;
  @Field({ description: 'Review not approved by the sector-review deadline' }) overdue!: boolean;
}

@ObjectType('CampaignAssessment', { description: 'The comprehensive assessment (002 §11), or on the short path the lead department\'s own (002 §13)' })
export class CampaignAssessmentType {
  @Field() submittedAt!: Date;
  @Field(() => String, { nullable: true, description: PERSON }) submittedBy!: string | null;
  @Field(() => Date, { nullable: true }) approvedAt!: Date | null;
  @Field(() => String, { nullable: true, description: PERSON }) approvedBy!: string | null;
  @Field(() => [CampaignReturnType]) returns!: CampaignReturnType[];
}

@ObjectType('CampaignLookBack', { description: 'A look-back review (回头看) of a town (002 §12(二))' })
export class CampaignLookBackType {
  @Field(() => ID, { description: 'L1, L2… within the campaign' }) id!: string;
  @Field() townCode!: string;
  @Field(() => SectorEnum) sector!: Sector;
  @Field(() => LookBackReasonEnum) reason!: string;
  @Field({ description: 'China date the review is held on' }) scheduledOn!: string;
  @Field(() => String, { nullable: true, description: PERSON }) scheduledBy!: string | null;
  @Field(() => LookBackStageEnum) stage!: string;
  @Field(() => Date, { nullable: true }) dueSince!: Date | null;
  @Field(() => String, { nullable: true }) findings!: string | null;
  @Field(() => Boolean, { nullable: true }) resolved!: boolean | null;
  @Field(() => Date, { nullable: true }) recordedAt!: Date | null;
}

@ObjectType('CampaignInspection', { description: 'An inspection by the safety office during follow-up' })
export class CampaignInspectionType {
  @Field({ description: 'China date' }) on!: string;
  @Field() townCode!: string;
  @Field() findings!: string;
  @Field(() => String, { nullable: true, description: PERSON }) recordedBy!: string | null;
}

@ObjectType('CampaignFollowUp', { description: 'Follow-up of a campaign (002 §12): plans, look-backs, inspections' })
export class CampaignFollowUpType {
  @Field(() => [CampaignInspectionType]) inspections!: CampaignInspectionType[];
}

@ObjectType('CampaignExtension', { description: 'A request to extend a deadline, and the safety office\'s decision (002 §10(五))' })
export class CampaignExtensionType {
  @Field(() => ID, { description: 'E1, E2… within the campaign' }) id!: string;
  @Field(() => CampaignClockEnum) clock!: CampaignClock;
  @Field() requestedAt!: Date;
  @Field(() => String, { nullable: true, description: PERSON }) requestedBy!: string | null;
  @Field() requestingUnit!: string;
  @Field() explanation!: string;
  @Field({ description: 'The new last day asked for (China date)' }) untilOn!: string;
  @Field(() => Date, { nullable: true }) decidedAt!: Date | null;
  @Field(() => String, { nullable: true, description: PERSON }) decidedBy!: string | null;
  @Field(() => Boolean, { nullable: true }) approved!: boolean | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
}

@ObjectType('Campaign', { description: 'The evaluation of one special rectification campaign (专项整治评估, 002)' })
export class CampaignType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => CampaignKindEnum) kind!: CampaignKind;
  @Field({ description: 'China date' }) startsOn!: string;
  @Field({ description: 'China date; the evaluation starts when it has passed' }) endsOn!: string;
  @Field(() => Int, { description: 'The year the campaign ends: the year of its grades' }) year!: number;
  @Field(() => CampaignStageEnum) stage!: CampaignStage;
  @Field({ description: 'A year or longer: all five stages; shorter: the lead departments assess (002 §13)' }) fullPath!: boolean;
  @Field({ description: 'Stays true once any time limit has passed with its work not done' }) overdue!: boolean;
  @Field(() => [CampaignClockEnum]) overdueClocks!: CampaignClock[];
  @Field(() => Date, { nullable: true, description: 'The soonest open deadline' }) nextDueAt!: Date | null;
  @Field(() => [CampaignDimensionEnum]) dimensions!: CampaignDimension[];
  @Field() registeredAt!: Date;
  @Field(() => Date, { nullable: true }) closedAt!: Date | null;
}

@ObjectType('CampaignEdge')
export class CampaignEdgeType {
  @Field() cursor!: string;
  @Field(() => CampaignType) node!: CampaignType;
}

@ObjectType('CampaignConnection')
export class CampaignConnectionType {
  @Field(() => [CampaignEdgeType]) edges!: CampaignEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
  @Field(() => Int, { description: 'Every campaign the filter keeps that the caller sees' }) totalCount!: number;
}
