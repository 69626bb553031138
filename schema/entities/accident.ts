import { randomUUID } from 'node:crypto';
import { Collection, OptionalProps, type Ref } from '@mikro-orm/core';
import { Entity, ManyToMany, ManyToOne, OneToMany, OneToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { AccountabilityKind, Sector } from '../../domain/case.js';
import type { AccidentLevel } from '../../domain/organiser.js';
import { Evaluation } from './evaluation.js';
import { Department, Enterprise, Region } from './organisation.js';

@Entity({ tableName: 'accident' })
export class Accident {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  title!: string;

  @Property({ type: 'string', length: 16 })
  level!: AccidentLevel;

  @Property({ type: 'string', length: 32 })
  sector!: Sector;

  @Property({ type: 'datetime' })
  occurredAt!: Date;

  @ManyToOne(() => Region, { ref: true, index: true })
  locationRegion!: Ref<Region>;

  @ManyToOne(() => Enterprise, { ref: true, index: true })
  enterprise!: Ref<Enterprise>;

  @Property({ type: 'integer' })
  deaths!: number;

  @Property({ type: 'integer' })
  injuries!: number;

  /** Direct economic loss in yuan (decimal string, exact). */
  @Property({ type: 'decimal', precision: 16, scale: 2 })
  directLossYuan!: string;

  /** The hazard the accident came from, when the registration names one (migration hazard_links). */
  @Property({ type: 'uuid', nullable: true, index: true })
  originHazardId?: string | null;

  @OneToOne(() => Investigation, (i) => i.accident, { nullable: true, ref: true })
  investigation?: Ref<Investigation> | null;

  /** Inverse side; the evaluation row owns the link. */
  @OneToOne(() => Evaluation, (e) => e.accident, { nullable: true, ref: true })
  evaluation?: Ref<Evaluation> | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

@Entity({ tableName: 'investigation' })
export class Investigation {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @OneToOne(() => Accident, { owner: true, ref: true, unique: true })
  accident!: Ref<Accident>;

  @ManyToOne(() => Department, { ref: true })
  leadDepartment!: Ref<Department>;

  @ManyToMany(() => Department, undefined, { pivotTable: 'investigation_department' })
  departments = new Collection<Department>(this);

  /** 提级调查 */
  @Property({ type: 'boolean' })
  escalated!: boolean;

  /** 挂牌督办: the office supervising the case until it is closed, if any. */
  @Property({ type: 'text', nullable: true })
  listedSupervisionBy?: string | null;

  /** An escalated investigation may name a lower government to evaluate (001 §4). */
  @ManyToOne(() => Region, { ref: true, nullable: true })
  delegatedEvaluationRegion?: Ref<Region> | null;

  @OneToOne(() => InvestigationReport, (r) => r.investigation, { nullable: true, ref: true })
  report?: Ref<InvestigationReport> | null;
}

/** 事故调查报告 with its government approval (批复) and closure (结案). */
@Entity({ tableName: 'investigation_report' })
export class InvestigationReport {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @OneToOne(() => Investigation, { owner: true, ref: true, unique: true })
  investigation!: Ref<Investigation>;

  /** 发文字号 of the approval, normalised (domain/intake.ts); unique, so registering it twice finds the case. */
  @Property({ type: 'text', unique: true })
  documentNo!: string;

  @Property({ type: 'datetime' })
  approvedAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date | null;

  @OneToMany(() => Measure, (m) => m.report, { orderBy: { seq: 'asc' } })
  measures = new Collection<Measure>(this);

  @OneToMany(() => AccountabilityItem, (a) => a.report, { orderBy: { seq: 'asc' } })
  accountabilityItems = new Collection<AccountabilityItem>(this);
}

/** 防范和整改措施: one prevention and rectification measure of the approved report. */
@Entity({ tableName: 'measure' })
export class Measure {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => InvestigationReport, { ref: true, index: true })
  report!: Ref<InvestigationReport>;

  @Property({ type: 'integer' })
  seq!: number;

  @Property({ type: 'text' })
  text!: string;

  @Property({ type: 'text[]' })
  responsibleUnits: string[] = [];
}

/** 责任追究: one accountability recommendation of the approved report. */
@Entity({ tableName: 'accountability_item' })
export class AccountabilityItem {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => InvestigationReport, { ref: true, index: true })
  report!: Ref<InvestigationReport>;

  @Property({ type: 'integer' })
  seq!: number;

  @Property({ type: 'string', length: 32 })
  kind!: AccountabilityKind;

  /** The unit or person held to account. */
  @Property({ type: 'text' })
  subject!: string;

  @Property({ type: 'text' })
  recommendation!: string;
}
