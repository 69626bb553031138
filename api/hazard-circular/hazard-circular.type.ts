import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { Sector } from '../../domain/case.js';
import {
  HAZARD_CAMPAIGN_PHASE_IDS,
  OBLIGATION_KINDS,
  OBLIGATION_PERIODS,
  type HazardCampaignPhaseId,
  type ObligationKind,
  type ObligationPeriod,
} from '../../domain/hazard-campaign.js';
import { SectorEnum } from '../common/enums.js';

// Seed 003's reference data (public, like the document) and the dispatch tables (调度表) of a region, read only by
// officials who see every hazard they count (READ_HAZARD_CIRCULARS). Both are in domain/access.ts REFERENCE_TYPES.

const enumOf = <const T extends readonly string[]>(values: T) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T[number]]: K };
export const HazardCampaignPhaseEnum = enumOf(HAZARD_CAMPAIGN_PHASE_IDS);
registerEnumType(HazardCampaignPhaseEnum, { name: 'HazardCampaignPhase', description: '动员部署, 自查自改和督导帮扶, 精准执法, 总结提高 (003 §三)' });
export const ObligationKindEnum = enumOf(OBLIGATION_KINDS);
registerEnumType(ObligationKindEnum, { name: 'EnterpriseObligationKind', description: '主要负责人带队检查 PRINCIPAL_INSPECTION, 应急救援预案演练 EMERGENCY_DRILL (003 §三.(二)1)' });
export const ObligationPeriodEnum = enumOf(OBLIGATION_PERIODS);
registerEnumType(ObligationPeriodEnum, { name: 'ObligationPeriod', description: 'At least once a month, quarter, half-year or year' });

@ObjectType('HazardLeadDepartment', { description: 'A department that leads a sector\'s work (牵头), for a part of the sector where the plan splits it' })
export class HazardLeadDepartmentType {
  @Field() department!: string;
  @Field(() => String, { nullable: true, description: 'The part it leads, e.g. 房屋市政工程; null: the whole sector' }) part?: string | null;
}

@ObjectType('HazardSector', { description: 'One of the twelve sectors of the major-hazard campaign, with its lead departments (003 §二)' })
export class HazardSectorType {
  @Field(() => SectorEnum) sector!: Sector;
  @Field({ description: 'The sector as 003 names it' }) name!: string;
  @Field({ description: 'The clause, e.g. 003 §二.(一)' }) clause!: string;
  @Field(() => [HazardLeadDepartmentType]) leadDepartments!: HazardLeadDepartmentType[];
  @Field(() => [String], { description: 'Departments that share the work by their duties (按职责分工负责)' }) partnerDepartments!: string[];
  @Field({ description: '高危行业领域: principals inspect monthly, drills half-yearly (003 §三.(二)1; which sectors: 003 §三.(二)2.(7))' }) highRisk!: boolean;
}

@ObjectType('HazardCampaignPhaseInfo', { description: 'A phase of the campaign with its dates (003 §三)' })
export class HazardCampaignPhaseType {
  @Field(() => HazardCampaignPhaseEnum) phase!: HazardCampaignPhaseId;
  @Field() name!: string;
  @Field(() => String, { nullable: true, description: 'First day (China date); null where the plan gives only an end' }) startsOn?: string | null;
  @Field({ description: 'Last day (China date)' }) endsOn!: string;
  @Field({ description: 'The dates as the plan words them' }) period!: string;
  @Field() clause!: string;
}

@ObjectType('EnterpriseObligation', { description: 'What an enterprise\'s principal must do, and how often, in its sector (003 §三.(二)1)' })
export class EnterpriseObligationType {
  @Field(() => ObligationKindEnum) obligation!: ObligationKind;
  @Field() name!: string;
  @Field(() => ObligationPeriodEnum, { description: 'At least once every …' }) every!: ObligationPeriod;
  @Field({ description: 'Whether the sector is high-risk (the shorter period)' }) highRisk!: boolean;
  @Field() clause!: string;
}

@ObjectType('HazardDispatchRow', { description: 'One sector\'s figures in a dispatch table (调度表), or the total' })
export class HazardDispatchRowType {
  @Field(() => SectorEnum, { nullable: true, description: 'Null on the total row' }) sector?: Sector | null;
  @Field({ description: 'The sector as 003 names it, or 合计' }) sectorName!: string;
  @Field(() => [String], { description: 'Its lead departments (003 §二)' }) leadDepartments!: string[];
  @Field(() => Int, { description: 'Hazards entered from the start of the year to the end of the quarter (or asOf)' }) found!: number;
  @Field(() => Int, { description: 'Of those, closed (销号) by then' }) rectified!: number;
  @Field(() => Int, { description: 'Of those, not closed by then and past their rectification deadline' }) overdue!: number;
  @Field(() => Float, { nullable: true, description: 'rectified / found, 0-1, four decimals; null when none were found' }) rectificationRate?: number | null;
  @Field({ description: 'Funds of the rectification plans, yuan (decimal string)' }) fundsYuan!: string;
}

@ObjectType('HazardDispatchTable', { description: 'A region\'s quarterly hazard progress circular (季度通报) and its dispatch table (调度表), per sector' })
export class HazardDispatchTableType {
  @Field() regionCode!: string;
  @Field() regionName!: string;
  @Field(() => Int) year!: number;
  @Field(() => Int) quarter!: number;
  @Field({ description: 'Counted from this day (the year\'s first, China date)' }) countedFrom!: string;
  @Field({ description: 'The quarter\'s last day (China date)' }) endsOn!: string;
  @Field({ description: 'The instant the figures are as of: the quarter\'s end, or now while it is in progress' }) asOf!: Date;
  @Field({ description: 'The quarter is still in progress: the figures are computed live' }) inProgress!: boolean;
  @Field({ description: 'The circular the schedule produced and stored; false: computed when asked' }) stored!: boolean;
  @Field(() => Date, { nullable: true, description: 'When the stored circular was produced' }) producedAt?: Date | null;
  @Field(() => [HazardDispatchRowType], { description: 'The twelve sectors, in the order of 003 §二' }) rows!: HazardDispatchRowType[];
  @Field(() => HazardDispatchRowType) total!: HazardDispatchRowType;
}
