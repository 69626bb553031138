// Read model of campaign evaluations (domain/campaign.ts). Written only by activities/campaigns.ts, from the
// campaign workflows' states; each writer's revision column orders its writes, so an older snapshot never
// overwrites a newer one. A row shared by two workflows (a town's, a sector's, a look-back's) has one revision
// column per writer, and each writer sets only its own columns.
import { OptionalProps, PrimaryKeyProp, type Ref } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Sector } from '../../domain/case.js';
import type {
  CampaignAssessment,
  CampaignClock,
  CampaignDimension,
  CampaignKind,
  CampaignStage,
  Deadline,
  Grade,
  Inspection,
  LookBack,
  Preparation,
  RectificationPlan,
  ReviewMethod,
  SectorReviewState,
  TownSelfEvaluationState,
} from '../../domain/campaign.js';
import { Department, Region } from './organisation.js';

/** The assessment but its texts (those are `campaign_report` rows, stage ASSESSMENT): status, proposed grades, approval. */
export type CampaignAssessmentRecord = Omit<CampaignAssessment, 'overall' | 'subReports'>;

export type ReturnRecord = { at: string; reason: string };

/**
 * One campaign (专项整治评估). The API inserts it at revision 0 when it registers the campaign; the campaign
 * workflow (`workflowId`) writes it from then on.
 */
@Entity({ tableName: 'campaign' })
@Unique({ properties: ['districtRegion', 'name'] })
@Index({ properties: ['nextDueAt', 'id'] })
@Index({ properties: ['stage'] })
@Index({ properties: ['year'] })
export class Campaign {
  [OptionalProps]?: 'revision' | 'overdue' | 'overdueClocks' | 'deadlines' | 'inspections' | 'fullPath' | 'registeredAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text', unique: true })
  workflowId!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'string', length: 16 })
  kind!: CampaignKind;

  /** China dates. */
  @Property({ type: 'date' })
  startsOn!: string;

  @Property({ type: 'date' })
  endsOn!: string;

  /** Year of `endsOn`: the year of the campaign's grades. */
  @Property({ type: 'integer' })
  year!: number;

  @ManyToOne(() => Region, { ref: true, index: true })
  districtRegion!: Ref<Region>;

  /** The district's code, copied: visibility matches grants on it by prefix. */
  @Property({ type: 'string', length: 12 })
  districtCode!: string;

  @Property({ type: 'string', length: 32 })
  stage!: CampaignStage;

  /** True when the campaign runs all five stages (a year or longer, 002 §13). */
  @Property({ type: 'boolean' })
  fullPath: boolean = true;

  /** The campaign workflow's revision. */
  @Property({ type: 'integer' })
  revision: number = 0;

  @Property({ type: 'boolean', index: true })
  overdue: boolean = false;

  @Property({ type: 'text[]' })
  overdueClocks: CampaignClock[] = [];

  @Property({ type: 'json' })
  deadlines: Deadline[] = [];

  /** The soonest deadline whose stage is not done yet (past ones included); null when none is open. */
  @Property({ type: 'datetime', nullable: true })
  nextDueAt?: Date | null;

  @Property({ type: 'json', nullable: true })
  preparation?: Preparation | null;

  @Property({ type: 'json', nullable: true })
  assessment?: CampaignAssessmentRecord | null;

  @Property({ type: 'json' })
  inspections: Inspection[] = [];

  @Property({ type: 'text[]' })
  dimensions!: CampaignDimension[];

  @Property({ type: 'text' })
  profileId!: string;

  @Property({ type: 'text' })
  profileVersion!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  registeredAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date | null;

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/**
 * One sector of a campaign and its review. The campaign workflow writes `workflowId`, `submittedAt`,
 * `approvedAt`, `overdue` (guarded by `revision`); the sector's own workflow writes the review columns
 * (guarded by `reviewRevision`).
 */
@Entity({ tableName: 'campaign_sector' })
export class CampaignSector {
  [PrimaryKeyProp]?: ['campaign', 'sector'];
  [OptionalProps]?: 'overdue' | 'revision' | 'reviewStage' | 'methods' | 'returns' | 'reviewRevision';

  @ManyToOne(() => Campaign, { ref: true, primary: true, deleteRule: 'cascade' })
  campaign!: Ref<Campaign>;

  @PrimaryKey({ type: 'string', length: 32 })
  sector!: Sector;

  @ManyToOne(() => Department, { ref: true, index: true })
  leadDepartment!: Ref<Department>;

  /** Codes of the towns in this sector's scope. */
  @Property({ type: 'text[]' })
  townCodes!: string[];

  // ---- the campaign workflow's columns ----
  @Property({ type: 'text' })
  workflowId!: string;

  @Property({ type: 'datetime', nullable: true })
  submittedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  approvedAt?: Date | null;

  @Property({ type: 'boolean' })
  overdue: boolean = false;

  @Property({ type: 'integer' })
  revision: number = 0;

  // ---- the sector workflow's columns ----
  @Property({ type: 'string', length: 32 })
  reviewStage: SectorReviewState['stage'] = 'REVIEWING';

  @Property({ type: 'json' })
  methods: { method: ReviewMethod; on: string; summary: string; recordedBy: string }[] = [];

  /** The review's overall report while submitted or approved; its sub-reports are `campaign_report` rows. */
  @Property({ type: 'text', nullable: true })
  overallReport?: string | null;

  /** The grades the submitted review proposes; once approved they are `campaign_grade` rows. */
  @Property({ type: 'json', nullable: true })
  townGrades?: { townCode: string; grade: Grade }[] | null;

  @Property({ type: 'text', nullable: true })
  submittedBy?: string | null;

  @Property({ type: 'text', nullable: true })
  approvedBy?: string | null;

  @Property({ type: 'json' })
  returns: ReturnRecord[] = [];

  @Property({ type: 'integer' })
  reviewRevision: number = 0;
}

/**
 * One town of a campaign and its self-evaluation. The campaign workflow writes `workflowId`, `submittedAt`,
 * `approvedAt`, `overdue`, `plan` (guarded by `revision`); the town's own workflow writes the self-evaluation
 * columns (guarded by `selfRevision`).
 */
@Entity({ tableName: 'campaign_town' })
@Index({ properties: ['townRegion'] })
export class CampaignTown {
  [PrimaryKeyProp]?: ['campaign', 'townCode'];
  [OptionalProps]?: 'overdue' | 'revision' | 'selfStage' | 'returns' | 'selfRevision';

  @ManyToOne(() => Campaign, { ref: true, primary: true, deleteRule: 'cascade' })
  campaign!: Ref<Campaign>;

  @PrimaryKey({ type: 'string', length: 12 })
  townCode!: string;

  @ManyToOne(() => Region, { ref: true })
  townRegion!: Ref<Region>;

  /** Sectors whose scope includes this town. */
  @Property({ type: 'text[]' })
  sectors!: Sector[];

  // ---- the campaign workflow's columns ----
  @Property({ type: 'text' })
  workflowId!: string;

  @Property({ type: 'datetime', nullable: true })
  submittedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  approvedAt?: Date | null;

  @Property({ type: 'boolean' })
  overdue: boolean = false;

  /** The town's rectification plan (follow-up, 002 §12(一)). */
  @Property({ type: 'json', nullable: true })
  plan?: RectificationPlan | null;

  @Property({ type: 'integer' })
  revision: number = 0;

  // ---- the town workflow's columns ----
  @Property({ type: 'string', length: 32 })
  selfStage: TownSelfEvaluationState['stage'] = 'DRAFTING';

  /** 自评报告 */
  @Property({ type: 'text', nullable: true })
  report?: string | null;

  @Property({ type: 'json', nullable: true })
  targetTasks?: string[] | null;

  @Property({ type: 'json', nullable: true })
  hazardRectifications?: string[] | null;

  @Property({ type: 'json', nullable: true })
  typicalPractices?: string[] | null;

  @Property({ type: 'text', nullable: true })
  submittedBy?: string | null;

  @Property({ type: 'text', nullable: true })
  approvedBy?: string | null;

  @Property({ type: 'json' })
  returns: ReturnRecord[] = [];

  @Property({ type: 'integer' })
  selfRevision: number = 0;
}

export const CAMPAIGN_REPORT_STAGES = ['SECTOR_REVIEW', 'ASSESSMENT'] as const;
export type CampaignReportStage = (typeof CAMPAIGN_REPORT_STAGES)[number];

/**
 * A report's text: the overall report or one sub-report (per town in a sector review, per sector in the
 * assessment). A sector's workflow writes its review's rows (`sector` set); the campaign workflow the
 * assessment's. The id is derived: `<campaign>/<stage>[/<sector>]/OVERALL` or `…/SUB/<unit>`.
 */
@Entity({ tableName: 'campaign_report' })
@Index({ properties: ['campaign', 'stage', 'sector'] })
export class CampaignReport {
  @PrimaryKey({ type: 'text' })
  id!: string;

  @ManyToOne(() => Campaign, { ref: true, deleteRule: 'cascade' })
  campaign!: Ref<Campaign>;

  @Property({ type: 'string', length: 16 })
  stage!: CampaignReportStage;

  /** The reviewing sector (SECTOR_REVIEW); null for the assessment. */
  @Property({ type: 'string', length: 32, nullable: true })
  sector?: Sector | null;

  @Property({ type: 'string', length: 8 })
  kind!: 'OVERALL' | 'SUB';

  /** Town code (sector review) or sector (assessment) of a sub-report; null for the overall one. */
  @Property({ type: 'text', nullable: true })
  unit?: string | null;

  @Property({ type: 'text' })
  text!: string;

  @Property({ type: 'datetime' })
  submittedAt!: Date;

  /** Set when a leader approved it; a report not approved does not count (002 §9(三), §10(四)). */
  @Property({ type: 'datetime', nullable: true })
  approvedAt?: Date | null;
}

/**
 * A grade: a town by a sector's review, a sector by the assessment (002 §10(二), §11(二)). 优 gives priority for
 * "advanced collective" (§15), 差 the one-vote veto (§16). `year` is the campaign's. Written by the campaign workflow.
 */
@Entity({ tableName: 'campaign_grade' })
@Unique({ properties: ['campaign', 'unitKind', 'unit', 'sector'] })
@Index({ properties: ['year', 'grade'] })
@Index({ properties: ['unit'] })
export class CampaignGrade {
  /** `<campaign>/<unitKind>/<unit>/<sector>` */
  @PrimaryKey({ type: 'text' })
  id!: string;

  @ManyToOne(() => Campaign, { ref: true, deleteRule: 'cascade' })
  campaign!: Ref<Campaign>;

  @Property({ type: 'integer' })
  year!: number;

  @Property({ type: 'string', length: 8 })
  unitKind!: 'TOWN' | 'SECTOR';

  /** Town code or sector. */
  @Property({ type: 'text' })
  unit!: string;

  /** The graded town's region (TOWN grades). */
  @ManyToOne(() => Region, { ref: true, nullable: true, index: true })
  townRegion?: Ref<Region> | null;

  /** The sector whose review graded the town, or the graded sector. */
  @Property({ type: 'string', length: 32 })
  sector!: Sector;

  @Property({ type: 'string', length: 16 })
  grade!: Grade;

  @Property({ type: 'boolean' })
  priority!: boolean;

  @Property({ type: 'boolean' })
  veto!: boolean;

  @Property({ type: 'datetime' })
  gradedAt!: Date;
}

/** A request to extend one of the campaign's deadlines, and its decision (002 §10(五)). Written by the campaign workflow. */
@Entity({ tableName: 'campaign_extension' })
export class CampaignExtension {
  [PrimaryKeyProp]?: ['campaign', 'id'];

  @ManyToOne(() => Campaign, { ref: true, primary: true, deleteRule: 'cascade' })
  campaign!: Ref<Campaign>;

  /** E1, E2… within the campaign. */
  @PrimaryKey({ type: 'string', length: 16 })
  id!: string;

  @Property({ type: 'string', length: 32 })
  clock!: CampaignClock;

  @Property({ type: 'datetime' })
  requestedAt!: Date;

  @Property({ type: 'text' })
  requestedBy!: string;

  @Property({ type: 'text' })
  requestingUnit!: string;

  @Property({ type: 'text' })
  explanation!: string;

  /** The new last day asked for (China date). */
  @Property({ type: 'date' })
  untilOn!: string;

  @Property({ type: 'datetime', nullable: true })
  decidedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  decidedBy?: string | null;

  @Property({ type: 'boolean', nullable: true })
  approved?: boolean | null;

  @Property({ type: 'text', nullable: true })
  reason?: string | null;
}

/**
 * A look-back review of a town (回头看, 002 §12(二)). The campaign workflow inserts it when scheduled; the
 * look-back's own workflow writes `stage`, `dueSince`, `findings`, `resolved`, `recordedAt` (guarded by `revision`).
 */
@Entity({ tableName: 'campaign_look_back' })
export class CampaignLookBack {
  [PrimaryKeyProp]?: ['campaign', 'id'];
  [OptionalProps]?: 'stage' | 'revision';

  @ManyToOne(() => Campaign, { ref: true, primary: true, deleteRule: 'cascade' })
  campaign!: Ref<Campaign>;

  /** L1, L2… within the campaign. */
  @PrimaryKey({ type: 'string', length: 16 })
  id!: string;

  @Property({ type: 'text', unique: true })
  workflowId!: string;

  @Property({ type: 'string', length: 12 })
  townCode!: string;

  @Property({ type: 'string', length: 32 })
  sector!: Sector;

  @Property({ type: 'string', length: 32 })
  reason!: LookBack['reason'];

  /** China date. */
  @Property({ type: 'date' })
  scheduledOn!: string;

  @Property({ type: 'text' })
  scheduledBy!: string;

  // ---- the look-back workflow's columns ----
  @Property({ type: 'string', length: 16 })
  stage: 'SCHEDULED' | 'DUE' | 'RECORDED' = 'SCHEDULED';

  @Property({ type: 'datetime', nullable: true })
  dueSince?: Date | null;

  @Property({ type: 'text', nullable: true })
  findings?: string | null;

  @Property({ type: 'boolean', nullable: true })
  resolved?: boolean | null;

  @Property({ type: 'datetime', nullable: true })
  recordedAt?: Date | null;

  @Property({ type: 'integer' })
  revision: number = 0;
}

export const CAMPAIGN_ENTITIES: Function[] = [Campaign, CampaignSector, CampaignTown, CampaignReport, CampaignGrade, CampaignExtension, CampaignLookBack];
