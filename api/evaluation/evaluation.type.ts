import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { EvaluationStage, FindingStatus, OnSiteCheckKind, OverdueClock, ReferralKind, TaskStatus, TeamRole } from '../../domain/evaluation.js';
import type { ReportList, ReportSection } from '../../domain/rule-profiles.js';
import type { NotificationKind } from '../../schema/entities/notification.js';
import {
  EvaluationStageEnum,
  FindingStatusEnum,
  NotificationKindEnum,
  OnSiteCheckKindEnum,
  OverdueClockEnum,
  ReferralKindEnum,
  ReportListEnum,
  ReportSectionEnum,
  TaskStatusEnum,
  TeamRoleEnum,
} from '../common/enums.js';

@ObjectType('RuleProfile', { description: 'The versioned rules an evaluation runs under; a running case keeps the version it started with' })
export class RuleProfileType {
  @Field() id!: string;
  @Field() version!: string;
  @Field({ description: 'The issuing document' }) document!: string;
  @Field({ description: 'Seed clauses the rules come from' }) source!: string;
  @Field(() => Int) windowOpensAfterMonths!: number;
  @Field(() => Int) windowDueAfterMonths!: number;
  @Field(() => Int, { nullable: true, description: 'Days the team has from its formation, when the profile sets a limit' }) teamDays!: number | null;
  @Field(() => [ReportListEnum]) requiredLists!: ReportList[];
  @Field() requiresMemberMeeting!: boolean;
}

@ObjectType('TeamMember')
export class TeamMemberType {
  @Field(() => String, { nullable: true, description: 'A person\'s name: only for those who evaluate or hold the case to account' }) name!: string | null;
  @Field() departmentName!: string;
  @Field(() => TeamRoleEnum) role!: TeamRole;
}

@ObjectType('SelfEvaluationStatement')
export class SelfEvaluationStatementType {
  @Field(() => ID) measureId!: string;
  @Field() statement!: string;
}

@ObjectType('SelfEvaluation', { description: '自查自评报告: the accident enterprise\'s own report on each measure' })
export class SelfEvaluationType {
  @Field() submittedAt!: Date;
  @Field(() => String, { nullable: true, description: 'A person\'s name: only for those who evaluate or hold the case to account' }) submittedBy!: string | null;
  @Field() summary!: string;
  @Field(() => [SelfEvaluationStatementType]) statements!: SelfEvaluationStatementType[];
}

@ObjectType('OnSiteCheck')
export class OnSiteCheckType {
  @Field(() => OnSiteCheckKindEnum) kind!: OnSiteCheckKind;
  @Field({ description: 'China date, YYYY-MM-DD' }) on!: string;
  @Field() place!: string;
  @Field() summary!: string;
  @Field(() => String, { nullable: true, description: 'A person\'s name: only for those who evaluate or hold the case to account' }) recordedBy!: string | null;
}

@ObjectType('MeasureFinding')
export class MeasureFindingType {
  @Field(() => FindingStatusEnum) status!: FindingStatus;
  @Field() evidence!: string;
}

@ObjectType('AccountabilityFinding')
export class AccountabilityFindingType {
  @Field(() => FindingStatusEnum) status!: FindingStatus;
  @Field(() => String, { nullable: true, description: 'About the persons held to account: only for those who evaluate or hold them to account' }) evidence!: string | null;
}

@ObjectType('Referral', { description: 'A problem transferred or reported to another body, tracked to its outcome (001 §11)' })
export class ReferralType {
  @Field(() => ID, { description: 'R1, R2… within the evaluation' }) code!: string;
  @Field(() => ReferralKindEnum) kind!: ReferralKind;
  @Field(() => String, { nullable: true, description: 'The person or unit referred: only for those who evaluate or hold the subject to account' }) subject!: string | null;
  @Field() reason!: string;
  @Field(() => String, { nullable: true }) outcome?: string | null;
  @Field(() => Date, { nullable: true }) resolvedAt?: Date | null;
}

@ObjectType('ReportSectionText')
export class ReportSectionTextType {
  @Field(() => ReportSectionEnum) section!: ReportSection;
  @Field(() => String, { nullable: true, description: 'Null when withheld from the public as legally secret (001 §10)' }) text!: string | null;
  @Field(() => String, { nullable: true, description: 'Why this part is withheld as legally secret (public readers only)' }) withheldReason!: string | null;
}

@ObjectType('ReportListItems')
export class ReportListItemsType {
  @Field(() => ReportListEnum) list!: ReportList;
  @Field(() => [String]) items!: string[];
}

@ObjectType('SecretPart', { description: 'A part of the report withheld from publication as legally secret, with the reason' })
export class SecretPartType {
  @Field(() => ReportSectionEnum) section!: ReportSection;
  @Field() reason!: string;
}

@ObjectType('ReportReturn')
export class ReportReturnType {
  @Field() at!: Date;
  @Field(() => String, { nullable: true, description: 'The leader\'s reasons: only for the team and the organising government' }) reason!: string | null;
}

@ObjectType('EvaluationReport', { description: 'The evaluation report (001 §9; 000 §五)' })
export class EvaluationReportType {
  @Field(() => [ReportSectionTextType]) sections!: ReportSectionTextType[];
  @Field(() => [ReportListItemsType]) lists!: ReportListItemsType[];
  @Field(() => String, { nullable: true }) memberMeetingHeldOn?: string | null;
  @Field(() => [SecretPartType]) secretParts!: SecretPartType[];
  @Field() submittedAt!: Date;
  @Field(() => Date, { nullable: true }) approvedAt?: Date | null;
  @Field(() => String, { nullable: true, description: 'A person\'s name: only for those who evaluate or hold the case to account' }) approvedBy?: string | null;
  @Field(() => [ReportReturnType]) returns!: ReportReturnType[];
}

@ObjectType('RectificationTask', { description: 'A measure not or partly implemented, assigned and tracked until done (001 §11(一))' })
export class RectificationTaskType {
  @Field(() => ID) id!: string;
  @Field() assignee!: string;
  @Field() deadline!: Date;
  @Field(() => TaskStatusEnum) status!: TaskStatus;
  @Field(() => Date, { nullable: true }) escalatedAt?: Date | null;
  @Field(() => String, { nullable: true }) escalatedTo?: string | null;
  @Field(() => Date, { nullable: true }) closedAt?: Date | null;
  @Field(() => String, { nullable: true }) evidence?: string | null;
}

@ObjectType('Notification', { description: 'A reminder, overdue notice or escalation in the outbox' })
export class NotificationType {
  @Field(() => NotificationKindEnum) kind!: NotificationKind;
  @Field() recipient!: string;
  @Field() message!: string;
  @Field(() => Date, { nullable: true }) dueAt?: Date | null;
  @Field() createdAt!: Date;
}

@ObjectType('AuditEntry', { description: 'One change in the audit trail: who did what, when, from which stage to which' })
export class AuditEntryType {
  @Field() at!: Date;
  @Field(() => Int) revision!: number;
  @Field() actorId!: string;
  @Field() actorName!: string;
  @Field(() => String, { nullable: true }) actorRole?: string | null;
  @Field() action!: string;
  @Field(() => String, { nullable: true }) stageBefore?: string | null;
  @Field(() => String, { nullable: true }) stageAfter?: string | null;
  @Field({ description: 'evaluation, rectification-task or accident' }) subjectType!: string;
  @Field(() => ID) subjectId!: string;
  @Field(() => String, { nullable: true }) reason?: string | null;
  @Field(() => String, { nullable: true, description: 'SHA-256 of the state this change produced' }) stateHash?: string | null;
  @Field(() => String, { nullable: true, description: 'stateHash of the previous entry: the state the change was applied to' }) previousHash?: string | null;
  @Field(() => String, { nullable: true, description: 'HMAC-SHA256 with the audit key over the previous entry\'s hmac and this entry: verifyAuditChain checks it' }) hmac?: string | null;
}

@ObjectType('Evaluation', { description: 'The post-accident rectification evaluation of one closed case' })
export class EvaluationType {
  @Field(() => ID, { description: 'Same as the accident id' }) id!: string;
  @Field(() => EvaluationStageEnum) stage!: EvaluationStage;
  @Field({ description: 'Closure + 10 months: the evaluation may start (001 §3)' }) opensAt!: Date;
  @Field({ description: 'Closure + 12 months: the report must be published by then' }) dueAt!: Date;
  @Field(() => Date, { nullable: true, description: 'The team\'s own deadline, when the profile sets one' }) teamDueAt?: Date | null;
  @Field({ description: 'Stays true once any clock has passed' }) overdue!: boolean;
  @Field(() => [OverdueClockEnum]) overdueClocks!: OverdueClock[];
  @Field(() => Date, { nullable: true }) teamFormedAt?: Date | null;
  @Field(() => String, { nullable: true, description: 'The leader, or the deputy in charge when the leader is absent; a person\'s name, only for those who evaluate or hold the case to account' }) actingLeader?: string | null;
  @Field(() => SelfEvaluationType, { nullable: true }) selfEvaluation?: SelfEvaluationType | null;
  @Field(() => Date, { nullable: true }) documentReviewedAt?: Date | null;
  @Field(() => String, { nullable: true }) documentReviewSummary?: string | null;
  @Field(() => Date, { nullable: true }) onSiteCompletedAt?: Date | null;
  @Field(() => Date, { nullable: true }) assessedAt?: Date | null;
  @Field(() => String, { nullable: true }) assessmentSummary?: string | null;
  @Field(() => Date, { nullable: true }) publishedAt?: Date | null;
  @Field(() => String, { nullable: true }) publicationUrl?: string | null;
  @Field(() => Date, { nullable: true }) filedAt?: Date | null;
  @Field(() => String, { nullable: true }) filedWith?: string | null;
  @Field(() => String, { nullable: true }) filingReference?: string | null;
  @Field(() => Date, { nullable: true }) closedAt?: Date | null;
}

@ObjectType('PageInfo')
export class PageInfoType {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType('EvaluationEdge')
export class EvaluationEdgeType {
  @Field() cursor!: string;
  @Field(() => EvaluationType) node!: EvaluationType;
}

@ObjectType('EvaluationConnection')
export class EvaluationConnectionType {
  @Field(() => [EvaluationEdgeType]) edges!: EvaluationEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
  @Field(() => Int) totalCount!: number;
}
