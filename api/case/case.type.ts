import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { AccountabilityKind, Sector } from '../../domain/case.js';
import type { AccidentLevel } from '../../domain/organiser.js';
import type { RegionLevel } from '../../domain/regions.js';
import type { DepartmentKind } from '../../schema/entities/organisation.js';
import { AccidentLevelEnum, AccountabilityKindEnum, DepartmentKindEnum, RegionLevelEnum, SectorEnum } from '../common/enums.js';

// What the public API shows of the case graph. Relations are field resolvers (case.resolver.ts), batched.

@ObjectType('Region', { description: 'A government level\'s territory: province, city, county/district, town' })
export class RegionType {
  @Field(() => ID) id!: string;
  @Field({ description: '行政区划代码' }) code!: string;
  @Field() name!: string;
  @Field(() => RegionLevelEnum) level!: RegionLevel;
  @Field({ description: 'Its safety office (安委办): addressee of filings and escalations' }) safetyOfficeName!: string;
}

@ObjectType('Department')
export class DepartmentType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => DepartmentKindEnum) kind!: DepartmentKind;
}

@ObjectType('Enterprise')
export class EnterpriseType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true, description: '统一社会信用代码' }) creditCode?: string | null;
  @Field(() => SectorEnum) sector!: Sector;
}

@ObjectType('Measure', { description: 'A prevention and rectification measure (防范和整改措施) of the approved report' })
export class MeasureType {
  @Field(() => ID) id!: string;
  @Field(() => Int) seq!: number;
  @Field() text!: string;
  @Field(() => [String]) responsibleUnits!: string[];
}

@ObjectType('AccountabilityItem', { description: 'An accountability recommendation (责任追究) of the approved report' })
export class AccountabilityItemType {
  @Field(() => ID) id!: string;
  @Field(() => Int) seq!: number;
  @Field(() => AccountabilityKindEnum) kind!: AccountabilityKind;
  @Field(() => String, { nullable: true, description: 'The unit or person held to account; only for those who evaluate or hold them to account' })
  subject!: string | null;
  @Field() recommendation!: string;
}

@ObjectType('InvestigationReport', { description: 'Investigation report (事故调查报告), its approval (批复) and the case closure (结案)' })
export class InvestigationReportType {
  @Field(() => ID) id!: string;
  @Field() documentNo!: string;
  @Field() approvedAt!: Date;
  @Field(() => Date, { nullable: true }) closedAt?: Date | null;
}

@ObjectType('Investigation')
export class InvestigationType {
  @Field(() => ID) id!: string;
  @Field({ description: '提级调查: investigated one level higher than usual' }) escalated!: boolean;
  @Field(() => String, { nullable: true, description: '挂牌督办: the office supervising the case, if listed' }) listedSupervisionBy?: string | null;
}

@ObjectType('Accident', { description: 'A production-safety accident and its case' })
export class AccidentType {
  @Field(() => ID) id!: string;
  @Field() title!: string;
  @Field(() => AccidentLevelEnum) level!: AccidentLevel;
  @Field(() => SectorEnum) sector!: Sector;
  @Field() occurredAt!: Date;
  @Field(() => Int) deaths!: number;
  @Field(() => Int) injuries!: number;
  @Field({ description: 'Direct economic loss in yuan, exact decimal' }) directLossYuan!: string;
  @Field(() => ID, { nullable: true, description: 'The hazard in the ledger the accident came from (read it with `hazard(id)`); officials only' })
  originHazardId!: string | null;
}
