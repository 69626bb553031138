import { Field, ID, InputType } from 'type-graphql';
import type { Sector } from '../../domain/case.js';
import { CAPS } from '../../domain/caps.js';
import type { VerificationOutcome } from '../../domain/hazard.js';
import { SectorEnum, VerificationOutcomeEnum } from '../common/enums.js';
import { HazardEntryInput } from '../hazard/hazard.inputs.js';

@InputType({ description: 'Who reports, when the reporter chooses to say: seen only by the handling office' })
export class WhistleblowerReporterInput {
  @Field({ description: `At most ${CAPS.name} characters` }) name!: string;
  @Field({ description: `A telephone number or an address to reach the reporter, at most ${CAPS.name} characters` }) contact!: string;
}

@InputType({ description: 'A whistleblower report (举报): no account needed; the answer\'s receipt code is shown once' })
export class SubmitWhistleblowerReportInput {
  @Field(() => ID, { description: 'Where the hazard is: a county (区/县) or a town; the county\'s safety office handles the report' }) regionId!: string;
  @Field(() => SectorEnum, { nullable: true }) sector?: Sector | null;
  @Field(() => String, { nullable: true, description: `The enterprise, as the reporter names it, at most ${CAPS.name} characters` }) enterpriseName?: string | null;
  @Field({ description: `What the reporter saw, at most ${CAPS.text} characters` }) description!: string;
  @Field(() => WhistleblowerReporterInput, { nullable: true, description: 'Leave out to report anonymously' }) reporter?: WhistleblowerReporterInput | null;
}

@InputType()
export class WhistleblowerReportIdInput {
  @Field(() => ID) reportId!: string;
}

@InputType({ description: 'The handling office dispatches the report to the responsible department (again, while it is not verified)' })
export class DispatchWhistleblowerReportInput extends WhistleblowerReportIdInput {
  @Field(() => ID, { description: 'A department of the handling office\'s region or below' }) departmentId!: string;
}

@InputType({ description: '挂牌督办 of the hazard a verification entered: the handling office lists it at once' })
export class VerificationSupervisionInput {
  @Field({ description: '督办文号' }) documentNo!: string;
  @Field({ description: 'China date, YYYY-MM-DD' }) listedOn!: string;
}

@InputType({ description: 'The verification: UNFOUNDED, or true — then the hazard is entered in the ledger (source WHISTLEBLOWER) and linked' })
export class RecordWhistleblowerVerificationInput extends WhistleblowerReportIdInput {
  @Field(() => VerificationOutcomeEnum) outcome!: VerificationOutcome;
  @Field({ description: `At most ${CAPS.text} characters` }) findings!: string;
  @Field(() => HazardEntryInput, { nullable: true, description: 'HAZARD and LISTED_SUPERVISION: the hazard to enter' }) hazard?: HazardEntryInput | null;
  @Field(() => VerificationSupervisionInput, {
    nullable: true,
    description: 'LISTED_SUPERVISION: when the handling office verifies, it lists the hazard at once; otherwise it lists it later (listHazardSupervision)',
  })
  supervision?: VerificationSupervisionInput | null;
}

@InputType({ description: 'The reward paid to the reporter (举报奖励)' })
export class RecordWhistleblowerRewardInput extends WhistleblowerReportIdInput {
  @Field({ description: 'Yuan, a decimal > 0' }) amountYuan!: string;
  @Field() note!: string;
}
