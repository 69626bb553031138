import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { Sector } from '../../domain/case.js';
import type { EnforcementAdvice, EnforcementDecision, HazardGrade, HazardSource, HazardStage } from '../../domain/hazard.js';
import {
  EnforcementAdviceEnum,
  EnforcementDecisionEnum,
  HazardGradeEnum,
  HazardSourceEnum,
  HazardStageEnum,
  SectorEnum,
} from '../common/enums.js';
import { PageInfoType } from '../evaluation/evaluation.type.js';

// What the API shows of a hazard (重大事故隐患, seed 003). Relations are field resolvers (hazard.resolver.ts);
// who sees which field is the field table in domain/access.ts.

const PERSON = 'An official\'s name: only for the supervising side (safety offices, the supervising department, inspectors)';

@ObjectType('HazardOrigin', { description: 'The finding this hazard is: an accident evaluation\'s measure, or a campaign\'s review' })
export class HazardOriginType {
  @Field({ description: 'EVALUATION or CAMPAIGN' }) kind!: string;
  @Field(() => ID, { nullable: true }) evaluationId!: string | null;
  @Field(() => ID, { nullable: true }) measureId!: string | null;
  @Field(() => ID, { nullable: true }) campaignId!: string | null;
  @Field(() => String, { nullable: true }) townCode!: string | null;
}

@ObjectType('HazardPlan', { description: '五落实: responsible person, measures, funds, deadline, emergency plan (003 §三.(二))' })
export class HazardPlanType {
  @Field() responsiblePerson!: string;
  @Field() measures!: string;
  @Field({ description: 'Yuan, decimal' }) fundsYuan!: string;
  @Field({ description: 'The planned deadline (China date); extensions move `Hazard.deadlineOn`' }) deadlineOn!: string;
  @Field() emergencyPlan!: string;
  @Field() plannedAt!: Date;
  @Field(() => String, { nullable: true, description: PERSON }) plannedBy!: string | null;
}

@ObjectType('HazardSupervision', { description: '挂牌督办: who listed it, the document, the receiving unit\'s receipt, and when it was lifted' })
export class HazardSupervisionType {
  @Field() regionCode!: string;
  @Field() officeName!: string;
  @Field() documentNo!: string;
  @Field() listedOn!: string;
  @Field(() => String, { nullable: true, description: PERSON }) listedBy!: string | null;
  @Field(() => String, { nullable: true }) receiptSignedBy!: string | null;
  @Field(() => String, { nullable: true }) receiptReceivedOn!: string | null;
  @Field(() => Date, { nullable: true }) liftedAt!: Date | null;
  @Field(() => String, { nullable: true, description: PERSON }) liftedBy!: string | null;
}

@ObjectType('HazardSuspectedCrime', { description: 'An inspector\'s mark that the hazard may be a crime (涉嫌犯罪)' })
export class HazardSuspectedCrimeType {
  @Field() at!: Date;
  @Field(() => String, { nullable: true, description: PERSON }) by!: string | null;
  @Field() reason!: string;
}

@ObjectType('HazardAdvice', { description: 'Enforcement advice for the hazard as it stands, and why (003 §三). Advice only: the official decides' })
export class HazardAdviceType {
  @Field(() => EnforcementAdviceEnum) advice!: EnforcementAdvice;
  @Field({ description: 'In words an official reads, citing the clause' }) reason!: string;
}

@ObjectType('HazardDecision', { description: 'The official\'s enforcement decision, with the advice it was given' })
export class HazardDecisionType {
  @Field(() => EnforcementDecisionEnum) decision!: EnforcementDecision;
  @Field() reason!: string;
  @Field() at!: Date;
  @Field(() => String, { nullable: true, description: PERSON }) by!: string | null;
  @Field(() => EnforcementAdviceEnum, { nullable: true, description: 'The advice at the time of the decision' }) advice!: EnforcementAdvice | null;
}

@ObjectType('HazardExtension', { description: 'A deadline extension the enterprise asked for, and the supervising department\'s decision' })
export class HazardExtensionType {
  @Field(() => ID) id!: string;
  @Field() requestedAt!: Date;
  @Field(() => String, { nullable: true, description: PERSON }) requestedBy!: string | null;
  @Field() untilOn!: string;
  @Field() reason!: string;
  @Field(() => Date, { nullable: true }) decidedAt!: Date | null;
  @Field(() => String, { nullable: true, description: PERSON }) decidedBy!: string | null;
  @Field(() => Boolean, { nullable: true }) approved!: boolean | null;
  @Field(() => String, { nullable: true }) decisionReason!: string | null;
}

@ObjectType('HazardSubmission', { description: 'A submission for acceptance, and its refusal when it was sent back' })
export class HazardSubmissionType {
  @Field() at!: Date;
  @Field(() => String, { nullable: true, description: PERSON }) by!: string | null;
  @Field() evidence!: string;
  @Field(() => Date, { nullable: true }) refusedAt!: Date | null;
  @Field(() => String, { nullable: true, description: PERSON }) refusedBy!: string | null;
  @Field(() => String, { nullable: true }) refusalReason!: string | null;
}

@ObjectType('Hazard', { description: 'A hazard in the ledger (隐患台账), from entry to closure (销号)' })
export class HazardType {
  @Field(() => ID) id!: string;
  @Field(() => HazardStageEnum) stage!: HazardStage;
  @Field(() => HazardGradeEnum) grade!: HazardGrade;
  @Field(() => SectorEnum) sector!: Sector;
  @Field(() => HazardSourceEnum) source!: HazardSource;
  @Field() judgementBasis!: string;
  @Field() description!: string;
  @Field() evidence!: string;
  @Field() reportedAt!: Date;
  @Field(() => String, { nullable: true, description: PERSON }) reportedBy!: string | null;
  @Field(() => String, { nullable: true, description: 'The deadline in force (China date): the plan\'s, or an approved extension\'s' }) deadlineOn!: string | null;
  @Field(() => Date, { nullable: true, description: 'When that day ends in China' }) dueAt!: Date | null;
  @Field({ description: 'Past the deadline without acceptance: the first overdue notice went out' }) overdue!: boolean;
  @Field(() => Int, { description: 'Overdue notices sent, each one level further up the region tree (0-3)' }) overdueNotices!: number;
  @Field(() => Date, { nullable: true }) fixedAtOnceAt!: Date | null;
  @Field(() => Date, { nullable: true }) acceptedAt!: Date | null;
  @Field(() => Date, { nullable: true }) closedAt!: Date | null;
  @Field({ description: 'Under listed supervision (挂牌督办) not yet lifted' }) supervised!: boolean;
  @Field(() => ID, { nullable: true, description: 'An accident case that named this hazard as its origin' }) accidentId!: string | null;
}

@ObjectType('HazardEdge')
export class HazardEdgeType {
  @Field() cursor!: string;
  @Field(() => HazardType) node!: HazardType;
}

@ObjectType('HazardConnection', { description: 'A page of hazards, soonest deadline first (those without one last)' })
export class HazardConnectionType {
  @Field(() => [HazardEdgeType]) edges!: HazardEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
  @Field(() => Int, { description: 'All hazards the caller sees under the filter; -1 unless selected' }) totalCount!: number;
}
