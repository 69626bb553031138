import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { Sector } from '../../domain/case.js';
import type { VerificationOutcome, WhistleblowerStage } from '../../domain/hazard.js';
import { SectorEnum, VerificationOutcomeEnum, WhistleblowerStageEnum } from '../common/enums.js';
import { PageInfoType } from '../evaluation/evaluation.type.js';

const PERSON = 'An official\'s name: only for the handling office';

@ObjectType('WhistleblowerReceipt', { description: 'The answer to a report: the receipt code, shown this once. Keep it: it reads the report\'s status' })
export class WhistleblowerReceiptType {
  @Field({ description: 'At least 128 random bits; only its hash is stored' }) receipt!: string;
  @Field({ description: 'China date' }) receivedOn!: string;
}

@ObjectType('WhistleblowerReportStatus', { description: 'What the receipt shows: the stage, the dates of its steps and the outcome, and nothing else' })
export class WhistleblowerReportStatusType {
  @Field(() => WhistleblowerStageEnum) stage!: WhistleblowerStage;
  @Field({ description: 'China date' }) receivedOn!: string;
  @Field(() => String, { nullable: true }) dispatchedOn!: string | null;
  @Field(() => String, { nullable: true }) verifiedOn!: string | null;
  @Field(() => String, { nullable: true }) closedOn!: string | null;
  @Field(() => VerificationOutcomeEnum, { nullable: true }) outcome!: VerificationOutcome | null;
}

@ObjectType('WhistleblowerReporter', { description: 'The reporter, when they gave their name: only the handling office sees it' })
export class WhistleblowerReporterType {
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) contact!: string | null;
}

@ObjectType('WhistleblowerVerification')
export class WhistleblowerVerificationType {
  @Field(() => VerificationOutcomeEnum) outcome!: VerificationOutcome;
  @Field() findings!: string;
  @Field() at!: Date;
  @Field(() => String, { nullable: true, description: PERSON }) by!: string | null;
  @Field(() => ID, { nullable: true, description: 'The hazard it was entered as' }) hazardId!: string | null;
}

@ObjectType('WhistleblowerReward')
export class WhistleblowerRewardType {
  @Field({ description: 'Yuan' }) amountYuan!: string;
  @Field() note!: string;
  @Field() at!: Date;
  @Field(() => String, { nullable: true, description: PERSON }) by!: string | null;
}

@ObjectType('WhistleblowerReport', { description: 'A whistleblower report (举报), as the handling office and the department it went to read it' })
export class WhistleblowerReportType {
  @Field(() => ID) id!: string;
  @Field(() => WhistleblowerStageEnum) stage!: WhistleblowerStage;
  @Field({ description: 'The handling office\'s region: the county of the place reported' }) handlingRegionCode!: string;
  @Field() handlingOfficeName!: string;
  @Field(() => SectorEnum, { nullable: true }) sector!: Sector | null;
  @Field(() => String, { nullable: true }) enterpriseName!: string | null;
  @Field() description!: string;
  @Field() receivedAt!: Date;
  @Field(() => Date, { nullable: true }) closedAt!: Date | null;
}

@ObjectType('WhistleblowerReportEdge')
export class WhistleblowerReportEdgeType {
  @Field() cursor!: string;
  @Field(() => WhistleblowerReportType) node!: WhistleblowerReportType;
}

@ObjectType('WhistleblowerReportConnection', { description: 'A page of reports, newest first' })
export class WhistleblowerReportConnectionType {
  @Field(() => [WhistleblowerReportEdgeType]) edges!: WhistleblowerReportEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
  @Field(() => Int, { description: 'All reports the caller handles; -1 unless selected' }) totalCount!: number;
}

@ObjectType('WhistleblowerDispatch', { description: 'Where the handling office sent the report' })
export class WhistleblowerDispatchType {
  @Field() departmentName!: string;
  @Field() at!: Date;
  @Field(() => String, { nullable: true, description: PERSON }) by!: string | null;
}
