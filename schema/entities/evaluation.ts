import { Collection, OptionalProps, type Ref } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, OneToMany, OneToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type {
  EvaluationStage,
  FindingStatus,
  OnSiteCheckKind,
  OverdueClock,
  ReferralKind,
  SecretPart,
  TaskStatus,
  TeamRole,
} from '../../domain/evaluation.js';
import type { ReportList, ReportSection } from '../../domain/rule-profiles.js';
import { AccountabilityItem, Accident, Measure } from './accident.js';
import { Region } from './organisation.js';

/**
 * Read model of one post-accident evaluation. Written only by the evaluation workflow's activities, from
 * the workflow's state; `revision` orders the writes so an older snapshot never overwrites a newer one.
 */
@Entity({ tableName: 'evaluation' })
@Index({ properties: ['stage', 'dueAt'] })
export class Evaluation {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'revision' | 'overdue' | 'overdueClocks';

  /** Same as the accident's id: one evaluation per closed case. */
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @OneToOne(() => Accident, { owner: true, ref: true, unique: true })
  accident!: Ref<Accident>;

  @Property({ type: 'text', unique: true })
  workflowId!: string;

  @Property({ type: 'text' })
  profileId!: string;

  @Property({ type: 'text' })
  profileVersion!: string;

  @ManyToOne(() => Region, { ref: true, nullable: true, index: true })
  organiserRegion?: Ref<Region> | null;

  /** Regions whose governments assist (the enterprise's home when it differs from the location). */
  @Property({ type: 'text[]' })
  assistingRegionIds: string[] = [];

  @Property({ type: 'string', length: 32 })
  stage!: EvaluationStage;

  @Property({ type: 'integer' })
  revision: number = 0;

  @Property({ type: 'datetime' })
  opensAt!: Date;

  @Property({ type: 'datetime' })
  dueAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  teamDueAt?: Date | null;

  @Property({ type: 'boolean', index: true })
  overdue: boolean = false;

  @Property({ type: 'text[]' })
  overdueClocks: OverdueClock[] = [];

  @Property({ type: 'datetime', nullable: true })
  teamFormedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  actingLeader?: string | null;

  @Property({ type: 'json', nullable: true })
  selfEvaluation?: { submittedAt: string; submittedBy: string; summary: string; statements: { measureId: string; statement: string }[] } | null;

  @Property({ type: 'datetime', nullable: true })
  documentReviewedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  documentReviewSummary?: string | null;

  @Property({ type: 'datetime', nullable: true })
  onSiteCompletedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  assessedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  assessmentSummary?: string | null;

  @Property({ type: 'datetime', nullable: true })
  publishedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  publicationUrl?: string | null;

  @Property({ type: 'datetime', nullable: true })
  filedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  filedWith?: string | null;

  @Property({ type: 'text', nullable: true })
  filingReference?: string | null;

  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date | null;

  /** Set once the workflow runs; the worker starts any evaluation left without one. */
  @Property({ type: 'datetime', nullable: true })
  workflowStartedAt?: Date | null;

  @OneToMany(() => TeamMember, (m) => m.evaluation, { orderBy: { seq: 'asc' } })
  team = new Collection<TeamMember>(this);

  @OneToMany(() => OnSiteCheck, (c) => c.evaluation, { orderBy: { seq: 'asc' } })
  onSiteChecks = new Collection<OnSiteCheck>(this);

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

@Entity({ tableName: 'team_member' })
export class TeamMember {
  @PrimaryKey({ type: 'text' })
  id!: string;

  @ManyToOne(() => Evaluation, { ref: true, index: true, deleteRule: 'cascade' })
  evaluation!: Ref<Evaluation>;

  @Property({ type: 'integer' })
  seq!: number;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  departmentName!: string;

  @Property({ type: 'uuid', nullable: true })
  departmentId?: string | null;

  @Property({ type: 'string', length: 32 })
  role!: TeamRole;
}

@Entity({ tableName: 'on_site_check' })
export class OnSiteCheck {
  @PrimaryKey({ type: 'text' })
  id!: string;

  @ManyToOne(() => Evaluation, { ref: true, index: true, deleteRule: 'cascade' })
  evaluation!: Ref<Evaluation>;

  @Property({ type: 'integer' })
  seq!: number;

  @Property({ type: 'string', length: 32 })
  kind!: OnSiteCheckKind;

  @Property({ type: 'date' })
  on!: string;

  @Property({ type: 'text' })
  place!: string;

  @Property({ type: 'text' })
  summary!: string;

  @Property({ type: 'text' })
  recordedBy!: string;
}

@Entity({ tableName: 'measure_finding' })
@Unique({ properties: ['evaluation', 'measure'] })
export class MeasureFinding {
  @PrimaryKey({ type: 'text' })
  id!: string;

  @ManyToOne(() => Evaluation, { ref: true, index: true, deleteRule: 'cascade' })
  evaluation!: Ref<Evaluation>;

  @ManyToOne(() => Measure, { ref: true })
  measure!: Ref<Measure>;

  @Property({ type: 'string', length: 32 })
  status!: FindingStatus;

  @Property({ type: 'text' })
  evidence!: string;
}

@Entity({ tableName: 'accountability_finding' })
@Unique({ properties: ['evaluation', 'item'] })
export class AccountabilityFinding {
  @PrimaryKey({ type: 'text' })
  id!: string;

  @ManyToOne(() => Evaluation, { ref: true, index: true, deleteRule: 'cascade' })
  evaluation!: Ref<Evaluation>;

  @ManyToOne(() => AccountabilityItem, { ref: true })
  item!: Ref<AccountabilityItem>;

  @Property({ type: 'string', length: 32 })
  status!: FindingStatus;

  @Property({ type: 'text' })
  evidence!: string;
}

/** A problem transferred to the party committee / discipline inspection, or reported to courts (001 §11). */
@Entity({ tableName: 'referral' })
export class Referral {
  @PrimaryKey({ type: 'text' })
  id!: string;

  @ManyToOne(() => Evaluation, { ref: true, index: true, deleteRule: 'cascade' })
  evaluation!: Ref<Evaluation>;

  /** R1, R2…: the reference officials use within the evaluation. */
  @Property({ type: 'text' })
  code!: string;

  @Property({ type: 'string', length: 32 })
  kind!: ReferralKind;

  @Property({ type: 'text' })
  subject!: string;

  @Property({ type: 'text' })
  reason!: string;

  @Property({ type: 'text', nullable: true })
  outcome?: string | null;

  @Property({ type: 'datetime', nullable: true })
  resolvedAt?: Date | null;
}

@Entity({ tableName: 'evaluation_report' })
export class EvaluationReport {
  @OneToOne(() => Evaluation, { owner: true, ref: true, primary: true, deleteRule: 'cascade' })
  evaluation!: Ref<Evaluation>;

  @Property({ type: 'json' })
  sections!: Record<ReportSection, string>;

  @Property({ type: 'json' })
  lists!: Partial<Record<ReportList, string[]>>;

  @Property({ type: 'date', nullable: true })
  memberMeetingHeldOn?: string | null;

  @Property({ type: 'json' })
  secretParts!: SecretPart[];

  @Property({ type: 'datetime' })
  submittedAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  approvedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  approvedBy?: string | null;

  @Property({ type: 'json' })
  returns!: { at: string; reason: string }[];
}

/** A measure found not or partly implemented, assigned to a local government or department (001 §11(一)). */
@Entity({ tableName: 'rectification_task' })
export class RectificationTask {
  [OptionalProps]?: 'revision' | 'status';

  @PrimaryKey({ type: 'text' })
  id!: string;

  @ManyToOne(() => Evaluation, { ref: true, index: true })
  evaluation!: Ref<Evaluation>;

  @ManyToOne(() => Measure, { ref: true })
  measure!: Ref<Measure>;

  @Property({ type: 'text', unique: true })
  workflowId!: string;

  @Property({ type: 'text' })
  assignee!: string;

  @Property({ type: 'datetime' })
  deadline!: Date;

  @Property({ type: 'string', length: 16, index: true })
  status: TaskStatus = 'OPEN';

  @Property({ type: 'datetime', nullable: true })
  escalatedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  escalatedTo?: string | null;

  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  evidence?: string | null;

  @Property({ type: 'integer' })
  revision: number = 0;
}
