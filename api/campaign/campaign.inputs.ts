import { ArrayMaxSize, MaxLength } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import type { CampaignClock, CampaignDimension, CampaignKind, CampaignStage, Grade, ReviewMethod } from '../../domain/campaign.js';
import { CAMPAIGN_DIMENSIONS } from '../../domain/campaign.js';
import { SECTORS, type Sector } from '../../domain/case.js';
import { CAPS } from '../../domain/caps.js';
import {
  CampaignClockEnum,
  CampaignDimensionEnum,
  CampaignKindEnum,
  CampaignStageEnum,
  GradeEnum,
  LookBackReasonEnum,
  ReviewMethodEnum,
  SectorEnum,
} from '../common/enums.js';

// Shapes and caps only; the rules (dates, regions, stages, who may) are checked by the service at registration
// and by the campaign workflows' update validators for every action, so a call that bypasses the API is held to
// them too.

/** Limits of what one campaign holds: they bound its workflow state and every GraphQL list under it. */
export const CAMPAIGN_CAPS = {
  /** Towns in one campaign's scope (a district has a few dozen). */
  towns: 100,
  /** Members of the leading group. */
  leadingGroup: 60,
  /** Items of one self-evaluation list. */
  listItems: CAPS.listItems,
  /** Review methods one sector records. */
  methods: 50,
  /** Look-backs, inspections and extension requests of one campaign. */
  lookBacks: 200,
  inspections: 200,
  extensions: 100,
  /** Characters of a report (overall or sub-report). */
  report: CAPS.reportSection,
} as const;

@InputType({ description: 'A sector in the campaign\'s scope' })
export class CampaignSectorInput {
  @Field(() => SectorEnum) sector!: Sector;
  @Field(() => ID, { description: 'The lead department (牵头部门), a department of the district\'s government' }) leadDepartmentId!: string;
  @Field(() => [ID], { description: `Towns (区镇/街道) of the district in this sector's scope, 1 to ${CAMPAIGN_CAPS.towns}` })
  @ArrayMaxSize(CAMPAIGN_CAPS.towns)
  townRegionIds!: string[];
}

@InputType({ description: 'A campaign to evaluate. It may be registered before it ends: its evaluation waits for the end date' })
export class RegisterCampaignInput {
  @Field({ description: `At most ${CAPS.name} characters; unique within the district` }) name!: string;
  @Field(() => CampaignKindEnum) kind!: CampaignKind;
  @Field({ description: 'China date, YYYY-MM-DD' }) startsOn!: string;
  @Field({ description: 'China date, YYYY-MM-DD, not before startsOn. Under 12 months: the short path (002 §13)' }) endsOn!: string;
  @Field(() => ID, { description: 'The organising district (a COUNTY-level region)' }) districtRegionId!: string;
  @Field(() => [CampaignSectorInput], { description: `1 to ${SECTORS.length}, each sector once` }) @ArrayMaxSize(SECTORS.length) sectors!: CampaignSectorInput[];
  @Field(() => [CampaignDimensionEnum], { description: `The dimensions of 002 §5 the plan evaluates, 1 to ${CAMPAIGN_DIMENSIONS.length}` })
  @ArrayMaxSize(CAMPAIGN_DIMENSIONS.length)
  dimensions!: CampaignDimension[];
}

@InputType()
export class CampaignIdInput {
  @Field(() => ID) campaignId!: string;
}

@InputType()
export class LeadingGroupMemberInput {
  @Field({ description: `At most ${CAPS.name} characters` }) @MaxLength(CAPS.name) name!: string;
  @Field({ description: `At most ${CAPS.name} characters` }) @MaxLength(CAPS.name) unit!: string;
  @Field({ defaultValue: false, description: 'A third-party expert (002 §8(二))' }) expert!: boolean;
}

@InputType({ description: 'The evaluation plan (schedule, scope, duties) and the leading group (002 §8)' })
export class SubmitCampaignPreparationInput extends CampaignIdInput {
  @Field() @MaxLength(CAPS.text) schedule!: string;
  @Field() @MaxLength(CAPS.text) scope!: string;
  @Field() @MaxLength(CAPS.text) duties!: string;
  @Field(() => [LeadingGroupMemberInput], { description: `1 to ${CAMPAIGN_CAPS.leadingGroup}` }) @ArrayMaxSize(CAMPAIGN_CAPS.leadingGroup) leadingGroup!: LeadingGroupMemberInput[];
}

@InputType()
export class CampaignTownInput extends CampaignIdInput {
  @Field(() => ID, { description: 'A town in the campaign\'s scope' }) townRegionId!: string;
}

@InputType({ description: 'A town\'s self-evaluation: report and three lists (002 §9)' })
export class SubmitTownSelfEvaluationInput extends CampaignTownInput {
  @Field({ description: '自评报告' }) @MaxLength(CAMPAIGN_CAPS.report) report!: string;
  @Field(() => [String], { description: '目标任务完成情况清单' }) @ArrayMaxSize(CAMPAIGN_CAPS.listItems) @MaxLength(CAPS.listItem, { each: true }) targetTasks!: string[];
  @Field(() => [String], { description: '问题隐患整改情况清单' }) @ArrayMaxSize(CAMPAIGN_CAPS.listItems) @MaxLength(CAPS.listItem, { each: true }) hazardRectifications!: string[];
  @Field(() => [String], { description: '典型经验做法清单' }) @ArrayMaxSize(CAMPAIGN_CAPS.listItems) @MaxLength(CAPS.listItem, { each: true }) typicalPractices!: string[];
}

@InputType()
export class ReturnTownSelfEvaluationInput extends CampaignTownInput {
  @Field() @MaxLength(CAPS.text) reason!: string;
}

@InputType()
export class CampaignSectorRefInput extends CampaignIdInput {
  @Field(() => SectorEnum) sector!: Sector;
}

@InputType({ description: 'A method the sector review used (002 §10(一))' })
export class RecordReviewMethodInput extends CampaignSectorRefInput {
  @Field(() => ReviewMethodEnum) method!: ReviewMethod;
  @Field({ description: 'China date' }) on!: string;
  @Field() @MaxLength(CAPS.text) summary!: string;
}

@InputType()
export class TownSubReportInput {
  @Field(() => ID) townRegionId!: string;
  @Field() @MaxLength(CAMPAIGN_CAPS.report) text!: string;
}

@InputType()
export class TownGradeInput {
  @Field(() => ID) townRegionId!: string;
  @Field(() => GradeEnum) grade!: Grade;
}

@InputType({ description: 'A sector review: a grade and a sub-report for every town in the sector\'s scope, and the overall report (002 §10)' })
export class SubmitSectorReviewInput extends CampaignSectorRefInput {
  @Field() @MaxLength(CAMPAIGN_CAPS.report) overall!: string;
  @Field(() => [TownSubReportInput]) @ArrayMaxSize(CAMPAIGN_CAPS.towns) subReports!: TownSubReportInput[];
  @Field(() => [TownGradeInput]) @ArrayMaxSize(CAMPAIGN_CAPS.towns) townGrades!: TownGradeInput[];
}

@InputType()
export class ReturnSectorReviewInput extends CampaignSectorRefInput {
  @Field() @MaxLength(CAPS.text) reason!: string;
}

@InputType()
export class SectorSubReportInput {
  @Field(() => SectorEnum) sector!: Sector;
  @Field() @MaxLength(CAMPAIGN_CAPS.report) text!: string;
}

@InputType()
export class SectorGradeInput {
  @Field(() => SectorEnum) sector!: Sector;
  @Field(() => GradeEnum) grade!: Grade;
}

@InputType({ description: 'The comprehensive assessment: a grade and a sub-report for every sector, and the overall report (002 §11, §13)' })
export class SubmitCampaignAssessmentInput extends CampaignIdInput {
  @Field() @MaxLength(CAMPAIGN_CAPS.report) overall!: string;
  @Field(() => [SectorSubReportInput]) @ArrayMaxSize(SECTORS.length) subReports!: SectorSubReportInput[];
  @Field(() => [SectorGradeInput]) @ArrayMaxSize(SECTORS.length) sectorGrades!: SectorGradeInput[];
}

@InputType()
export class ReturnCampaignAssessmentInput extends CampaignIdInput {
  @Field() @MaxLength(CAPS.text) reason!: string;
}

@InputType({ description: 'A request for more time, with the written explanation (002 §10(五))' })
export class RequestCampaignExtensionInput extends CampaignIdInput {
  @Field(() => CampaignClockEnum) clock!: CampaignClock;
  @Field({ description: 'The new last day asked for (China date), after the current one' }) untilOn!: string;
  @Field() @MaxLength(CAPS.text) explanation!: string;
}

@InputType()
export class DecideCampaignExtensionInput extends CampaignIdInput {
  @Field(() => ID, { description: 'E1, E2…' }) extensionId!: string;
  @Field() approved!: boolean;
  @Field() @MaxLength(CAPS.text) reason!: string;
}

@InputType({ description: 'A town\'s rectification plan (002 §12(一))' })
export class SubmitRectificationPlanInput extends CampaignTownInput {
  @Field() @MaxLength(CAPS.text) responsibility!: string;
  @Field() @MaxLength(CAPS.text) measures!: string;
  @Field({ description: 'China date' }) deadlineOn!: string;
}

@InputType({ description: 'A look-back review (回头看) of a town with prominent problems or major hazards (002 §12(二))' })
export class ScheduleLookBackInput extends CampaignTownInput {
  @Field(() => SectorEnum) sector!: Sector;
  @Field(() => LookBackReasonEnum) reason!: 'PROMINENT_PROBLEMS' | 'MAJOR_HAZARDS';
  @Field({ description: 'China date; the review waits for it' }) scheduledOn!: string;
}

@InputType()
export class RecordLookBackInput extends CampaignIdInput {
  @Field(() => ID, { description: 'L1, L2…' }) lookBackId!: string;
  @Field() @MaxLength(CAPS.text) findings!: string;
  @Field({ description: 'The problems are resolved' }) resolved!: boolean;
}

@InputType()
export class RecordCampaignInspectionInput extends CampaignTownInput {
  @Field({ description: 'China date' }) on!: string;
  @Field() @MaxLength(CAPS.text) findings!: string;
}

@InputType()
export class CampaignFilterInput {
  @Field(() => [CampaignStageEnum], { nullable: true }) stage?: CampaignStage[];
  @Field(() => Boolean, { nullable: true }) overdue?: boolean;
  @Field(() => Int, { nullable: true, description: 'The year the campaign ends' }) year?: number;
  @Field(() => GradeEnum, { nullable: true, description: 'Campaigns that gave this grade to any unit' }) grade?: Grade;
}

@InputType()
export class CampaignGradeFilterInput {
  @Field(() => ID, { nullable: true }) campaignId?: string;
  @Field(() => ID, { nullable: true, description: 'Grades of this town' }) townRegionId?: string;
  @Field(() => SectorEnum, { nullable: true }) sector?: Sector;
  @Field(() => Int, { nullable: true }) year?: number;
  @Field(() => GradeEnum, { nullable: true }) grade?: Grade;
}
