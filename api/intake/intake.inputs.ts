import { Field, ID, InputType, Int } from 'type-graphql';
import type { AccountabilityKind, Sector } from '../../domain/case.js';
import { CAPS } from '../../domain/caps.js';
import { INTAKE_CAPS } from '../../domain/intake.js';
import type { AccidentLevel } from '../../domain/organiser.js';
import type { RegionLevel } from '../../domain/regions.js';
import type { DepartmentKind } from '../../schema/entities/organisation.js';
import { AccidentLevelEnum, AccountabilityKindEnum, DepartmentKindEnum, RegionLevelEnum, SectorEnum } from '../common/enums.js';

// Shapes only: the rules (lengths, dates, levels, who may) are in domain/intake.ts and the services, so the
// demo data and any other caller are held to them too. Text is normalised (trimmed, whitespace runs made one).

@InputType({ description: 'A prevention and rectification measure (防范和整改措施), as the approved report lists it' })
export class MeasureInput {
  @Field({ description: `At most ${CAPS.text} characters` }) text!: string;
  @Field(() => [String], { description: `The units responsible, 1 to ${INTAKE_CAPS.responsibleUnits}` }) responsibleUnits!: string[];
}

@InputType({ description: 'An accountability recommendation (责任追究) of the approved report' })
export class AccountabilityItemInput {
  @Field(() => AccountabilityKindEnum) kind!: AccountabilityKind;
  @Field({ description: 'The unit or person held to account' }) subject!: string;
  @Field() recommendation!: string;
}

@InputType({ description: 'The approved investigation report (事故调查报告 and its 批复)' })
export class InvestigationReportInput {
  @Field({ description: '发文字号 of the approval, e.g. 麒政复〔2025〕37号. Unique: registering it again with the same content returns the same case' })
  documentNo!: string;

  @Field({ description: 'When the government approved the report (批复)' }) approvedAt!: Date;
  @Field(() => [MeasureInput], { description: `In the report's order, 1 to ${CAPS.measures}` }) measures!: MeasureInput[];
  @Field(() => [AccountabilityItemInput], { defaultValue: [], description: `In the report's order, at most ${CAPS.accountabilityItems}` })
  accountabilityItems!: AccountabilityItemInput[];
}

@InputType({ description: 'How the accident was investigated' })
export class InvestigationInput {
  @Field(() => ID) leadDepartmentId!: string;
  @Field(() => [ID], { defaultValue: [], description: `Departments that took part (the lead is added), at most ${INTAKE_CAPS.departments}` })
  departmentIds!: string[];

  @Field({ defaultValue: false, description: '提级调查: a government one level higher investigated; it may then register the case' }) escalated!: boolean;
  @Field(() => String, { nullable: true, description: '挂牌督办: the office supervising the case, if listed' }) listedSupervisionBy?: string | null;
  @Field(() => ID, { nullable: true, description: 'An escalated investigation may name a lower government, containing the place, to evaluate (001 §4)' })
  delegatedEvaluationRegionId?: string | null;
}

@InputType()
export class InvestigationWithReportInput extends InvestigationInput {
  @Field(() => InvestigationReportInput, { nullable: true, description: 'The approved report, when there is one already' }) report?: InvestigationReportInput | null;
}

@InputType({ description: 'A production-safety accident, with its investigation and approved report when known' })
export class RegisterAccidentInput {
  @Field({ description: `At most ${CAPS.name} characters` }) title!: string;
  @Field(() => AccidentLevelEnum, { description: 'At least what the deaths and the loss make (国务院令第493号 第三条)' }) level!: AccidentLevel;
  @Field(() => SectorEnum) sector!: Sector;
  @Field({ description: 'Not in the future' }) occurredAt!: Date;
  @Field(() => ID, { description: 'Where it happened; its government at the investigating level registers the case' }) locationRegionId!: string;
  @Field(() => ID) enterpriseId!: string;
  @Field(() => Int) deaths!: number;
  @Field(() => Int) injuries!: number;
  @Field({ description: 'Direct economic loss in yuan, an exact decimal such as 1380000.00' }) directLossYuan!: string;
  @Field(() => InvestigationWithReportInput, { nullable: true }) investigation?: InvestigationWithReportInput | null;
  @Field(() => ID, { nullable: true, description: 'The hazard in the ledger the accident came from (its enterprise\'s); the hazard then records the accident (003 §三: 一案双罚)' })
  originHazardId?: string | null;
}

@InputType()
export class RecordInvestigationInput extends InvestigationWithReportInput {
  @Field(() => ID) accidentId!: string;
}

@InputType()
export class RecordInvestigationReportInput extends InvestigationReportInput {
  @Field(() => ID) accidentId!: string;
}

@InputType({ description: 'The accident\'s fields to correct; those left out stay' })
export class AccidentCorrectionInput {
  @Field(() => String, { nullable: true }) title?: string;
  @Field(() => AccidentLevelEnum, { nullable: true }) level?: AccidentLevel;
  @Field(() => SectorEnum, { nullable: true }) sector?: Sector;
  @Field(() => Date, { nullable: true }) occurredAt?: Date;
  @Field(() => ID, { nullable: true }) locationRegionId?: string;
  @Field(() => ID, { nullable: true }) enterpriseId?: string;
  @Field(() => Int, { nullable: true }) deaths?: number;
  @Field(() => Int, { nullable: true }) injuries?: number;
  @Field(() => String, { nullable: true }) directLossYuan?: string;
}

@InputType({ description: 'The investigation\'s fields to correct; those left out stay, null clears the optional ones' })
export class InvestigationCorrectionInput {
  @Field(() => ID, { nullable: true }) leadDepartmentId?: string;
  @Field(() => [ID], { nullable: true, description: 'Replaces the whole list' }) departmentIds?: string[];
  @Field(() => Boolean, { nullable: true }) escalated?: boolean;
  @Field(() => String, { nullable: true }) listedSupervisionBy?: string | null;
  @Field(() => ID, { nullable: true }) delegatedEvaluationRegionId?: string | null;
}

@InputType({ description: 'The report\'s fields to correct; a list given replaces the whole list' })
export class InvestigationReportCorrectionInput {
  @Field(() => String, { nullable: true }) documentNo?: string;
  @Field(() => Date, { nullable: true }) approvedAt?: Date;
  @Field(() => [MeasureInput], { nullable: true }) measures?: MeasureInput[];
  @Field(() => [AccountabilityItemInput], { nullable: true }) accountabilityItems?: AccountabilityItemInput[];
}

@InputType({ description: 'A correction before closure, recorded in the case\'s audit trail with its reason' })
export class CorrectAccidentCaseInput {
  @Field(() => ID) accidentId!: string;
  @Field({ description: `Why (kept in the audit trail), at most ${CAPS.text} characters` }) reason!: string;
  @Field(() => AccidentCorrectionInput, { nullable: true }) accident?: AccidentCorrectionInput;
  @Field(() => InvestigationCorrectionInput, { nullable: true }) investigation?: InvestigationCorrectionInput;
  @Field(() => InvestigationReportCorrectionInput, { nullable: true }) report?: InvestigationReportCorrectionInput;
  @Field(() => ID, {
    nullable: true,
    description: 'The hazard in the ledger the accident came from (its enterprise\'s), when the registration did not name it; the hazard then records the accident (003 §三: 一案双罚)',
  })
  originHazardId?: string | null;
}

@InputType()
export class CreateRegionInput {
  @Field({ description: '行政区划代码: 6 digits (province ##0000, city ####00, county), 9 for a town; starts with its parent\'s' }) code!: string;
  @Field() name!: string;
  @Field(() => RegionLevelEnum) level!: RegionLevel;
  @Field(() => ID, { nullable: true, description: 'Required below province level' }) parentId?: string | null;
  @Field({ description: 'Its safety office (安委办)' }) safetyOfficeName!: string;
}

@InputType({ description: 'Names change; the code, level and parent of a region do not' })
export class UpdateRegionInput {
  @Field(() => ID) regionId!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) safetyOfficeName?: string | null;
}

@InputType()
export class CreateDepartmentInput {
  @Field({ description: 'Unique within its region' }) name!: string;
  @Field(() => DepartmentKindEnum) kind!: DepartmentKind;
  @Field(() => ID) regionId!: string;
}

@InputType()
export class UpdateDepartmentInput {
  @Field(() => ID) departmentId!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => DepartmentKindEnum, { nullable: true }) kind?: DepartmentKind | null;
}

@InputType()
export class CreateEnterpriseInput {
  @Field() name!: string;
  @Field(() => String, { nullable: true, description: '统一社会信用代码, 18 characters; unique' }) creditCode?: string | null;
  @Field(() => SectorEnum) sector!: Sector;
  @Field(() => ID) homeRegionId!: string;
}

@InputType()
export class UpdateEnterpriseInput {
  @Field(() => ID) enterpriseId!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true, description: 'null clears it' }) creditCode?: string | null;
  @Field(() => SectorEnum, { nullable: true }) sector?: Sector | null;
  @Field(() => ID, { nullable: true }) homeRegionId?: string | null;
}
