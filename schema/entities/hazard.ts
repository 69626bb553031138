// Read model of hazards, whistleblower reports and the quarterly hazard circulars (domain/hazard.ts). Written only
// by activities/hazards.ts (the hazard row is inserted at revision 0 by the API when it enters the hazard, the
// report row when it is received); each workflow's `revision` orders its writes, so an older snapshot never
// overwrites a newer one.
import { OptionalProps, type Ref } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Sector } from '../../domain/case.js';
import type {
  EnforcementAdvice,
  FiveMustHaves,
  HazardCase,
  HazardExtension,
  HazardGrade,
  HazardSource,
  HazardStage,
  HazardState,
  ListedSupervision,
  WhistleblowerStage,
  WhistleblowerState,
} from '../../domain/hazard.js';
import { Department, Enterprise, Region } from './organisation.js';

export type HazardOrigin = NonNullable<HazardCase['origin']>;
export type HazardPlanRecord = FiveMustHaves & { at: string; by: string };
export type HazardDecisionRecord = NonNullable<HazardState['decision']>;

/** One hazard in the ledger (隐患台账). The hazard workflow (`workflowId`, `hazard/<id>`) writes it after entry. */
@Entity({ tableName: 'hazard' })
@Index({ properties: ['dueAt', 'id'] })
@Index({ properties: ['regionCode'] })
@Index({ properties: ['stage'] })
@Index({ properties: ['sector'] })
@Index({ properties: ['supervised'] })
export class Hazard {
  [OptionalProps]?:
    | 'revision'
    | 'overdue'
    | 'overdueNotices'
    | 'supervised'
    | 'extensions'
    | 'submissions'
    | 'updatedAt'
    | 'stage';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text', unique: true })
  workflowId!: string;

  @ManyToOne(() => Enterprise, { ref: true, index: true })
  enterprise!: Ref<Enterprise>;

  @Property({ type: 'string', length: 32 })
  sector!: Sector;

  @Property({ type: 'string', length: 16 })
  grade!: HazardGrade;

  @Property({ type: 'string', length: 16 })
  source!: HazardSource;

  /** The enterprise's location (town or county). */
  @ManyToOne(() => Region, { ref: true })
  region!: Ref<Region>;

  /** The region's code, copied: visibility matches grants on it by prefix. */
  @Property({ type: 'string', length: 12 })
  regionCode!: string;

  @ManyToOne(() => Department, { ref: true, index: true })
  supervisingDepartment!: Ref<Department>;

  /** 判定依据 */
  @Property({ type: 'text' })
  judgementBasis!: string;

  @Property({ type: 'text' })
  description!: string;

  @Property({ type: 'text' })
  evidence!: string;

  @Property({ type: 'datetime' })
  reportedAt!: Date;

  @Property({ type: 'text' })
  reportedBy!: string;

  /** The evaluation's or campaign's finding this hazard is; the two id columns give the link both ways. */
  @Property({ type: 'json', nullable: true })
  origin?: HazardOrigin | null;

  @Property({ type: 'uuid', nullable: true, index: true })
  originEvaluationId?: string | null;

  @Property({ type: 'uuid', nullable: true, index: true })
  originCampaignId?: string | null;

  @Property({ type: 'string', length: 16 })
  stage: HazardStage = 'REPORTED';

  /** The hazard workflow's revision. */
  @Property({ type: 'integer' })
  revision: number = 0;

  /** 五落实, once planned. */
  @Property({ type: 'json', nullable: true })
  plan?: HazardPlanRecord | null;

  /** The plan's funds, yuan. */
  @Property({ type: 'decimal', precision: 18, scale: 2, nullable: true })
  fundsYuan?: string | null;

  /** The deadline in force (China date) and the instant it ends. */
  @Property({ type: 'date', nullable: true })
  deadlineOn?: string | null;

  @Property({ type: 'datetime', nullable: true })
  dueAt?: Date | null;

  @Property({ type: 'boolean' })
  overdue: boolean = false;

  /** Overdue notices sent (0-3). */
  @Property({ type: 'integer' })
  overdueNotices: number = 0;

  @Property({ type: 'datetime', nullable: true })
  fixedAtOnceAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  acceptedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date | null;

  /** 挂牌督办 */
  @Property({ type: 'json', nullable: true })
  supervision?: ListedSupervision | null;

  /** Listed and not lifted. */
  @Property({ type: 'boolean' })
  supervised: boolean = false;

  /** An accident that followed. */
  @Property({ type: 'uuid', nullable: true, index: true })
  accidentId?: string | null;

  @Property({ type: 'json', nullable: true })
  suspectedCrime?: HazardState['suspectedCrime'] | null;

  /** The enforcement advice of the current state (003 §三), and why. */
  @Property({ type: 'string', length: 32, nullable: true })
  advice?: EnforcementAdvice | null;

  @Property({ type: 'text', nullable: true })
  adviceReason?: string | null;

  /** The official's decision, with the advice it was given. */
  @Property({ type: 'json', nullable: true })
  decision?: HazardDecisionRecord | null;

  @Property({ type: 'json' })
  extensions: HazardExtension[] = [];

  @Property({ type: 'json' })
  submissions: HazardState['submissions'] = [];

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/**
 * One whistleblower report (举报). Received by the public mutation (row at revision 0); the report's workflow
 * (`whistleblower-report/<id>`) writes it from then on. The receipt is stored only as its SHA-256 (hex).
 */
@Entity({ tableName: 'whistleblower_report' })
@Index({ properties: ['handlingRegionCode', 'receivedAt'] })
@Index({ properties: ['stage'] })
export class WhistleblowerReportRow {
  [OptionalProps]?: 'revision' | 'stage';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text', unique: true })
  workflowId!: string;

  @Property({ type: 'string', length: 64, unique: true })
  receiptHash!: string;

  @ManyToOne(() => Region, { ref: true })
  region!: Ref<Region>;

  @Property({ type: 'string', length: 12 })
  regionCode!: string;

  /** The handling office's region (the report's county) and the office's name. */
  @Property({ type: 'string', length: 12 })
  handlingRegionCode!: string;

  @Property({ type: 'text' })
  handlingOfficeName!: string;

  @Property({ type: 'string', length: 32, nullable: true })
  sector?: Sector | null;

  @Property({ type: 'text', nullable: true })
  enterpriseName?: string | null;

  @Property({ type: 'text' })
  description!: string;

  /** Seen only by the handling office. */
  @Property({ type: 'json', nullable: true })
  reporter?: { name: string; contact: string } | null;

  @Property({ type: 'datetime' })
  receivedAt!: Date;

  @Property({ type: 'string', length: 16 })
  stage: WhistleblowerStage = 'RECEIVED';

  @Property({ type: 'integer' })
  revision: number = 0;

  @Property({ type: 'json', nullable: true })
  dispatch?: WhistleblowerState['dispatch'] | null;

  /** The department it was dispatched to (copied from `dispatch`, for its list). */
  @Property({ type: 'uuid', nullable: true, index: true })
  dispatchedDepartmentId?: string | null;

  @Property({ type: 'json', nullable: true })
  verification?: WhistleblowerState['verification'] | null;

  /** The hazard it became, when it did. */
  @ManyToOne(() => Hazard, { ref: true, nullable: true, index: true, deleteRule: 'set null' })
  hazard?: Ref<Hazard> | null;

  @Property({ type: 'json', nullable: true })
  reward?: WhistleblowerState['reward'] | null;

  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date | null;
}

/** One row of a quarterly dispatch table: a sector's figures (调度表). */
export interface HazardCircularRow {
  sector: Sector;
  found: number;
  rectified: number;
  overdue: number;
  /** rectified / found, 0-1 with four decimals, null when none were found. */
  rectificationRate: string | null;
  /** Funds of the plans, yuan, decimal string. */
  fundsYuan: string;
}

/** A quarterly progress circular (季度通报) of a region: produced by the schedule, stored, queried, downloaded. */
@Entity({ tableName: 'hazard_circular' })
@Unique({ properties: ['regionCode', 'year', 'quarter'] })
export class HazardCircular {
  [OptionalProps]?: 'producedAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'string', length: 12 })
  regionCode!: string;

  @Property({ type: 'integer' })
  year!: number;

  @Property({ type: 'integer' })
  quarter!: number;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  producedAt: Date = new Date();

  @Property({ type: 'json' })
  rows!: HazardCircularRow[];
}

export const HAZARD_ENTITIES: Function[] = [Hazard, WhistleblowerReportRow, HazardCircular];
