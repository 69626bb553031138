import { Field, ID, InputType } from 'type-graphql';
import type { Sector } from '../../domain/case.js';
import { CAPS } from '../../domain/caps.js';
import type { EnforcementDecision, HazardGrade, HazardSource, HazardStage } from '../../domain/hazard.js';
import { EnforcementDecisionEnum, HazardGradeEnum, HazardSourceEnum, HazardStageEnum, SectorEnum } from '../common/enums.js';

// Shapes only; the rules (the register, dates, stages, who may) are checked by the service when a hazard is
// entered and by the hazard workflow's update validators for every action, so a call that bypasses the API is
// held to them too.

/** What a hazard entry holds, whoever enters it. */
@InputType({ description: 'A hazard to enter in the ledger (隐患台账)' })
export class HazardEntryInput {
  @Field(() => ID, { description: 'The enterprise where the hazard is; its location decides who sees and supervises it' }) enterpriseId!: string;
  @Field(() => SectorEnum, { nullable: true, description: 'The enterprise\'s sector as the register holds it (given or not)' }) sector?: Sector | null;
  @Field(() => HazardGradeEnum) grade!: HazardGrade;
  @Field(() => ID, { description: 'The department that supervises the enterprise\'s sector, of its location or a region above it; it accepts the rectification' })
  supervisingDepartmentId!: string;
  @Field({ description: `判定依据: the standard or rule the hazard is judged by, at most ${CAPS.text} characters` }) judgementBasis!: string;
  @Field({ description: `At most ${CAPS.text} characters` }) description!: string;
  @Field({ defaultValue: '', description: `Photos, records (their references), at most ${CAPS.text} characters` }) evidence!: string;
}

@InputType({ description: 'A hazard the enterprise found itself (SELF_REPORT), or that an inspection or a campaign found' })
export class ReportHazardInput extends HazardEntryInput {
  @Field(() => HazardSourceEnum, {
    description: 'SELF_REPORT (the enterprise), INSPECTION or CAMPAIGN (an inspector, the safety office, the supervising department). EVALUATION: createHazardFromFinding; WHISTLEBLOWER: a verification',
  })
  source!: HazardSource;
  @Field(() => ID, { nullable: true, description: 'CAMPAIGN: the campaign whose review found it (the link back)' }) campaignId?: string | null;
}

@InputType({ description: 'An accident evaluation\'s finding that a measure was not (or only partly) implemented, entered as a hazard with the link back' })
export class HazardFromFindingInput extends HazardEntryInput {
  @Field(() => ID) evaluationId!: string;
  @Field(() => ID, { description: 'The measure of the investigation report the finding is about' }) measureId!: string;
}

@InputType({ description: 'Hazards to list; every filter given must hold' })
export class HazardFilterInput {
  @Field(() => [HazardStageEnum], { nullable: true }) stage?: HazardStage[] | null;
  @Field(() => HazardGradeEnum, { nullable: true }) grade?: HazardGrade | null;
  @Field(() => SectorEnum, { nullable: true }) sector?: Sector | null;
  @Field(() => HazardSourceEnum, { nullable: true }) source?: HazardSource | null;
  @Field(() => Boolean, { nullable: true, description: 'Past its rectification deadline (an overdue notice went out)' }) overdue?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Under listed supervision not yet lifted' }) supervised?: boolean | null;
  @Field(() => String, { nullable: true, description: 'A region code: hazards located in it or under it' }) regionCode?: string | null;
  @Field(() => ID, { nullable: true }) enterpriseId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Hazards entered from this accident evaluation\'s findings' }) originEvaluationId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Hazards a campaign found' }) originCampaignId?: string | null;
}

@InputType()
export class HazardIdInput {
  @Field(() => ID) hazardId!: string;
}

@InputType({ description: 'Fixed at once (立即整改), with the evidence: a general hazard closes; a major one goes to acceptance' })
export class FixHazardAtOnceInput extends HazardIdInput {
  @Field({ description: `At most ${CAPS.text} characters` }) evidence!: string;
}

@InputType({ description: '五落实: all five are required before a hazard that cannot be fixed at once is under rectification (003 §三.(二))' })
export class PlanHazardRectificationInput extends HazardIdInput {
  @Field({ description: 'The person responsible for the rectification' }) responsiblePerson!: string;
  @Field({ description: `At most ${CAPS.text} characters` }) measures!: string;
  @Field({ description: 'Funds in yuan, a decimal ≥ 0 such as 120000.00' }) funds!: string;
  @Field({ description: 'China date, YYYY-MM-DD, after today' }) deadlineOn!: string;
  @Field({ description: `The emergency plan while the hazard remains, at most ${CAPS.text} characters` }) emergencyPlan!: string;
}

@InputType({ description: 'The enterprise asks for more time, before the deadline (the profile\'s notice days); one pending at a time' })
export class RequestHazardExtensionInput extends HazardIdInput {
  @Field({ description: 'China date, YYYY-MM-DD, after the deadline in force' }) untilOn!: string;
  @Field() reason!: string;
}

@InputType()
export class DecideHazardExtensionInput extends HazardIdInput {
  @Field() extensionId!: string;
  @Field() approved!: boolean;
  @Field() reason!: string;
}

@InputType()
export class HazardEvidenceInput extends HazardIdInput {
  @Field({ description: `At most ${CAPS.text} characters` }) evidence!: string;
}

@InputType()
export class HazardReasonInput extends HazardIdInput {
  @Field({ description: `At most ${CAPS.text} characters` }) reason!: string;
}

@InputType({ description: '挂牌督办: the supervising level (a safety office of the hazard\'s region or above), its document and date' })
export class ListHazardSupervisionInput extends HazardIdInput {
  @Field({ description: 'The supervising level\'s region code: the listing office\'s own' }) regionCode!: string;
  @Field({ nullable: true, description: 'The listing office\'s name; by default the region\'s safety office' }) officeName?: string;
  @Field({ description: '督办文号, e.g. 麒安办督〔2026〕3号' }) documentNo!: string;
  @Field({ description: 'China date, YYYY-MM-DD' }) listedOn!: string;
}

@InputType({ description: 'The receiving unit\'s signed receipt of the listing document' })
export class RecordSupervisionReceiptInput extends HazardIdInput {
  @Field() signedBy!: string;
  @Field({ description: 'China date, YYYY-MM-DD' }) receivedOn!: string;
}

@InputType({ description: 'The official\'s decision; the advice the hazard had is stored with it' })
export class RecordEnforcementDecisionInput extends HazardIdInput {
  @Field(() => EnforcementDecisionEnum) decision!: EnforcementDecision;
  @Field() reason!: string;
}
