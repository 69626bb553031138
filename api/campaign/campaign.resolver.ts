import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { campaignSubReportReader, type CampaignOperation } from '../../domain/access.js';
import type { CampaignStage } from '../../domain/campaign.js';
import { SECTORS, type Sector } from '../../domain/case.js';
import { CAMPAIGN_PROFILES } from '../../domain/rule-profiles.js';
import * as m from '../../workflows/campaign/messages.js';
import { IdempotencyKey } from '../common/idempotency.js';
import { DepartmentType, RegionType } from '../case/case.type.js';
import type { Context } from '../context.js';
import { AuditEntryType } from '../evaluation/evaluation.type.js';
import { listCampaigns, listGrades } from './campaign-list.js';
import {
  campaignLoaders,
  type CampaignGradeRow,
  type CampaignLookBackRow,
  type CampaignReportRow,
  type CampaignSectorRow,
  type CampaignTownRow,
  type ScopedCampaignRow,
} from './campaign-loaders.js';
import {
  CampaignFilterInput,
  CampaignGradeFilterInput,
  CampaignIdInput,
  CampaignTownInput,
  CampaignSectorRefInput,
  DecideCampaignExtensionInput,
  RecordCampaignInspectionInput,
  RecordLookBackInput,
  RecordReviewMethodInput,
  RegisterCampaignInput,
  RequestCampaignExtensionInput,
  ReturnCampaignAssessmentInput,
  ReturnSectorReviewInput,
  ReturnTownSelfEvaluationInput,
  ScheduleLookBackInput,
  SubmitCampaignAssessmentInput,
  SubmitCampaignPreparationInput,
  SubmitRectificationPlanInput,
  SubmitSectorReviewInput,
  SubmitTownSelfEvaluationInput,
} from './campaign.inputs.js';
import * as service from './campaign.service.js';
import {
  CampaignAssessmentType,
  CampaignConnectionType,
  CampaignDeadlineType,
  CampaignExtensionType,
  CampaignFollowUpType,
  CampaignGradeType,
  CampaignLookBackType,
  CampaignPreparationType,
  CampaignRectificationPlanType,
  CampaignReportType,
  CampaignRuleProfileType,
  CampaignSectorReviewType,
  CampaignSectorType,
  CampaignTownType,
  CampaignType,
  TownSelfEvaluationType,
} from './campaign.type.js';

// Field resolvers load rows and shape them, nothing more: what of them a caller sees is decided by the field
// table in domain/access.ts (api/access.ts guardCaseFields), from the view the campaign was read under.

/** What the current stage of a campaign accepts (its own updates and its children's). */
const STAGE_ACTIONS: Record<CampaignStage, CampaignOperation[]> = {
  WAITING_FOR_END: ['REQUEST_EXTENSION', 'DECIDE_EXTENSION'],
  PREPARATION: ['SUBMIT_PREPARATION', 'REQUEST_EXTENSION', 'DECIDE_EXTENSION'],
  SELF_EVALUATION: ['SUBMIT_TOWN_SELF_EVALUATION', 'RETURN_TOWN_SELF_EVALUATION', 'APPROVE_TOWN_SELF_EVALUATION', 'REQUEST_EXTENSION', 'DECIDE_EXTENSION'],
  SECTOR_REVIEW: ['RECORD_REVIEW_METHOD', 'SUBMIT_SECTOR_REVIEW', 'RETURN_SECTOR_REVIEW', 'APPROVE_SECTOR_REVIEW', 'REQUEST_EXTENSION', 'DECIDE_EXTENSION'],
  COMPREHENSIVE_ASSESSMENT: ['SUBMIT_ASSESSMENT', 'RETURN_ASSESSMENT', 'APPROVE_ASSESSMENT', 'REQUEST_EXTENSION', 'DECIDE_EXTENSION'],
  LEAD_ASSESSMENT: ['SUBMIT_ASSESSMENT', 'REQUEST_EXTENSION', 'DECIDE_EXTENSION'],
  FOLLOW_UP: ['SUBMIT_RECTIFICATION_PLAN', 'SCHEDULE_LOOK_BACK', 'RECORD_LOOK_BACK', 'RECORD_INSPECTION', 'CLOSE_FOLLOW_UP'],
  CLOSED: [],
};

const asDate = (value: string | undefined | null): Date | null => (value ? new Date(value) : null);
const returnsOf = (returns: { at: string; reason: string }[] | null | undefined) => (returns ?? []).map((r) => ({ at: new Date(r.at), reason: r.reason }));

/** Objects the API builds from a row (a review, an assessment, a report) carry where they come from. */
interface Origin {
  $campaignId: string;
  $sector?: Sector;
}

type SectorReviewObject = CampaignSectorReviewType & Origin;
type AssessmentObject = CampaignAssessmentType & Origin;
type FollowUpObject = CampaignFollowUpType & Origin;

/** A report and its sub-reports, each carrying the facts the field table decides its text by (own town's only). */
async function reportOf(ctx: Context, campaignId: string, rows: CampaignReportRow[]): Promise<CampaignReportType | null> {
  if (!rows.length) return null;
  const [view, towns] = await Promise.all([service.campaignView(ctx, campaignId), campaignLoaders(ctx).towns.load(campaignId)]);
  const readers = view ? campaignSubReportReader(ctx.principal, view.scope) : [];
  const regionOf = new Map(towns.map((t) => [t.townCode, t.townRegion.id]));
  const overall = rows.find((r) => r.kind === 'OVERALL');
  return {
    overall: overall?.text ?? null,
    submittedAt: overall?.submittedAt ?? rows[0]!.submittedAt,
    approvedAt: overall ? overall.approvedAt : rows[0]!.approvedAt,
    subReports: rows
      .filter((r) => r.kind === 'SUB' && r.unit)
      .map((r) => ({
        unit: r.unit!,
        townRegionId: regionOf.get(r.unit!) ?? null,
        sector: (SECTORS as readonly string[]).includes(r.unit!) ? (r.unit as Sector) : null,
        text: r.text,
        // Row facts (domain/access.ts FieldFacts), not GraphQL fields.
        readers,
      })),
  };
}

@Resolver(() => CampaignType)
export class CampaignResolver {
  @Query(() => CampaignType, { nullable: true, description: 'A campaign evaluation; null when it does not exist or is hidden from the caller' })
  async campaign(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const view = await service.campaignView(ctx, id);
    return view ? service.visibleCampaign(ctx, view.row) : null;
  }

  @Query(() => CampaignConnectionType, { description: 'Campaigns the caller sees, soonest open deadline first' })
  campaigns(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => CampaignFilterInput, { nullable: true }) filter?: CampaignFilterInput,
    @Arg('first', () => Int, { description: 'How many, 0 to 200' }) first = 0,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return listCampaigns(ctx, info, filter, first, after ?? undefined);
  }

  @Query(() => [CampaignGradeType], { description: 'Grades of the campaigns the caller sees, with their priority (优) and veto (差) marks (002 §14-§16)' })
  campaignGrades(
    @Ctx() ctx: Context,
    @Arg('filter', () => CampaignGradeFilterInput, { nullable: true }) filter?: CampaignGradeFilterInput,
    @Arg('first', () => Int, { defaultValue: 200, description: 'How many, 0 to 200' }) first = 200,
  ) {
    return listGrades(ctx, filter, first);
  }

  @FieldResolver(() => RegionType)
  districtRegion(@Root() c: ScopedCampaignRow, @Ctx() ctx: Context) {
    return ctx.loaders.regionOf(c.districtRegion.id);
  }

  @FieldResolver(() => CampaignRuleProfileType)
  profile(@Root() c: ScopedCampaignRow): CampaignRuleProfileType {
    const p = CAMPAIGN_PROFILES.find((x) => x.id === c.profileId && x.version === c.profileVersion);
    if (!p) throw new Error(`campaign rule profile ${c.profileId} ${c.profileVersion} is unknown to this version`);
    return { ...p, reminderDaysBefore: [...p.reminderDaysBefore] };
  }

  @FieldResolver(() => [CampaignDeadlineType], { description: 'The four time limits (002 §8-§11), moved by approved extensions' })
  deadlines(@Root() c: ScopedCampaignRow): CampaignDeadlineType[] {
    return (c.deadlines ?? []).map((d) => ({ ...d, dueAt: new Date(d.dueAt), overdue: (c.overdueClocks ?? []).includes(d.clock) }));
  }

  @FieldResolver(() => CampaignPreparationType, { nullable: true, description: 'The plan and leading group, once submitted' })
  preparation(@Root() c: ScopedCampaignRow): CampaignPreparationType | null {
    const p = c.preparation;
    return p ? { ...p, submittedAt: new Date(p.submittedAt), leadingGroup: p.leadingGroup.map((x) => ({ ...x })) } : null;
  }

  @FieldResolver(() => [CampaignSectorType])
  sectors(@Root() c: ScopedCampaignRow, @Ctx() ctx: Context) {
    return campaignLoaders(ctx).sectors.load(c.id);
  }

  @FieldResolver(() => [CampaignTownType])
  towns(@Root() c: ScopedCampaignRow, @Ctx() ctx: Context) {
    return campaignLoaders(ctx).towns.load(c.id);
  }

  @FieldResolver(() => CampaignAssessmentType, { nullable: true, description: 'The comprehensive assessment (or the lead department\'s, on the short path), once submitted' })
  assessment(@Root() c: ScopedCampaignRow): AssessmentObject | null {
    const a = c.assessment;
    if (!a) return null;
    return {
      submittedAt: new Date(a.submittedAt),
      submittedBy: a.submittedBy,
      approvedAt: asDate(a.approvedAt),
      approvedBy: a.approvedBy ?? null,
      returns: returnsOf(a.returns),
      $campaignId: c.id,
    };
  }

  @FieldResolver(() => [CampaignGradeType], { description: 'Every grade of the campaign: towns by sector reviews, sectors by the assessment' })
  grades(@Root() c: ScopedCampaignRow, @Ctx() ctx: Context) {
    return campaignLoaders(ctx).grades.load(c.id);
  }

  @FieldResolver(() => CampaignFollowUpType)
  followUp(@Root() c: ScopedCampaignRow): FollowUpObject {
    return { inspections: (c.inspections ?? []).map((i) => ({ ...i })), $campaignId: c.id };
  }

  @FieldResolver(() => [CampaignExtensionType])
  extensions(@Root() c: ScopedCampaignRow, @Ctx() ctx: Context) {
    return campaignLoaders(ctx).extensions.load(c.id);
  }

  @FieldResolver(() => [String], { description: 'Official actions the current stage accepts (each also needs the right role)' })
  allowedActions(@Root() c: ScopedCampaignRow): string[] {
    return STAGE_ACTIONS[c.stage] ?? [];
  }

  @FieldResolver(() => [AuditEntryType], { description: 'Every change to the campaign and its towns\', sectors\' and look-backs\' work, with who made it (the district\'s office, leader and discipline body)' })
  async auditTrail(@Root() c: ScopedCampaignRow, @Ctx() ctx: Context, @Arg('first', () => Int, { defaultValue: 200, description: 'How many, oldest first (0 to 200)' }) first: number) {
    return (await campaignLoaders(ctx).auditTrail.load(c.id)).slice(0, Math.max(0, Math.min(first, 200)));
  }

  // ---- registration and the actions on the campaign itself ----

  @Mutation(() => CampaignType, {
    description:
      'Registers a campaign for evaluation (the district\'s safety office). It may be registered before it ends: its evaluation waits for the end date. ' +
      'Registering the same campaign again (same content, or the same idempotency key) returns it; another campaign of the same name in the district is refused.',
  })
  async registerCampaign(@Arg('input', () => RegisterCampaignInput) input: RegisterCampaignInput, @Ctx() ctx: Context, @IdempotencyKey() idempotencyKey?: string | null) {
    return service.registerCampaign(ctx, input, idempotencyKey);
  }

  @Mutation(() => CampaignType, { description: 'The evaluation plan and leading group (002 §8): the safety office, or a lead department' })
  submitCampaignPreparation(@Arg('input') { campaignId, ...input }: SubmitCampaignPreparationInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnCampaign(ctx, campaignId, 'SUBMIT_PREPARATION', {}, m.submitPreparationUpdate, {
      ...input,
      leadingGroup: input.leadingGroup.map((x) => ({ name: x.name, unit: x.unit, expert: x.expert })),
    }, key);
  }

  @Mutation(() => CampaignType, { description: 'Ask for more time, at least 7 working days before the deadline (002 §10(五))' })
  requestCampaignExtension(@Arg('input') { campaignId, clock, untilOn, explanation }: RequestCampaignExtensionInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnCampaign(ctx, campaignId, 'REQUEST_EXTENSION', { clock }, m.requestExtensionUpdate, async (r) => ({
      clock,
      untilOn,
      explanation,
      requestingUnit: await service.requestingUnit(ctx, r, clock),
    }), key);
  }

  @Mutation(() => CampaignType, { description: 'The safety office approves or refuses an extension; an approval moves that deadline and every later one' })
  decideCampaignExtension(@Arg('input') { campaignId, extensionId, approved, reason }: DecideCampaignExtensionInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnCampaign(ctx, campaignId, 'DECIDE_EXTENSION', {}, m.decideExtensionUpdate, { extensionId, approved, reason }, key);
  }

  @Mutation(() => CampaignType, { description: '综合评估: a grade and sub-report per sector, the overall report (the office; on the short path a lead department, 002 §13)' })
  submitCampaignAssessment(@Arg('input') { campaignId, overall, subReports, sectorGrades }: SubmitCampaignAssessmentInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnCampaign(ctx, campaignId, 'SUBMIT_ASSESSMENT', {}, m.submitCampaignAssessmentUpdate, {
      overall,
      subReports: subReports.map((s) => ({ unit: s.sector, text: s.text })),
      sectorGrades: sectorGrades.map((g) => ({ sector: g.sector, grade: g.grade })),
    }, key);
  }

  @Mutation(() => CampaignType, { description: 'The district leader sends the assessment back, with the reason' })
  returnCampaignAssessment(@Arg('input') { campaignId, reason }: ReturnCampaignAssessmentInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnCampaign(ctx, campaignId, 'RETURN_ASSESSMENT', {}, m.returnCampaignAssessmentUpdate, { reason }, key);
  }

  @Mutation(() => CampaignType, { description: 'The district leader approves the assessment: follow-up starts' })
  approveCampaignAssessment(@Arg('input') { campaignId }: CampaignIdInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnCampaign(ctx, campaignId, 'APPROVE_ASSESSMENT', {}, m.approveCampaignAssessmentUpdate, {}, key);
  }

  @Mutation(() => CampaignType, { description: 'A town\'s rectification plan: responsibility, measures, deadline (002 §12(一))' })
  submitRectificationPlan(@Arg('input') { campaignId, townRegionId, responsibility, measures, deadlineOn }: SubmitRectificationPlanInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnCampaign(ctx, campaignId, 'SUBMIT_RECTIFICATION_PLAN', { townRegionId }, m.submitRectificationPlanUpdate, (r) => ({
      townCode: r.town!.townCode,
      responsibility,
      measures,
      deadlineOn,
    }), key);
  }

  @Mutation(() => CampaignType, { description: '回头看: the sector\'s lead department schedules a look-back of a town; it waits for its day and resumes by itself' })
  scheduleLookBack(@Arg('input') { campaignId, townRegionId, sector, reason, scheduledOn }: ScheduleLookBackInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnCampaign(ctx, campaignId, 'SCHEDULE_LOOK_BACK', { townRegionId, sector }, m.scheduleLookBackUpdate, (r) => ({
      townCode: r.town!.townCode,
      sector,
      reason,
      scheduledOn,
    }), key);
  }

  @Mutation(() => CampaignType, { description: 'The lead department records what a look-back found, once its day has come' })
  recordLookBack(@Arg('input') { campaignId, lookBackId, findings, resolved }: RecordLookBackInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnCampaign(ctx, campaignId, 'RECORD_LOOK_BACK', { lookBackId }, m.recordLookBackUpdate, { findings, resolved }, key);
  }

  @Mutation(() => CampaignType, { description: 'An inspection by the safety office during follow-up' })
  recordCampaignInspection(@Arg('input') { campaignId, townRegionId, on, findings }: RecordCampaignInspectionInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnCampaign(ctx, campaignId, 'RECORD_INSPECTION', { townRegionId }, m.recordInspectionUpdate, (r) => ({ townCode: r.town!.townCode, on, findings }), key);
  }

  @Mutation(() => CampaignType, { description: 'Close follow-up: every town has a plan and every look-back is recorded' })
  closeCampaignFollowUp(@Arg('input') { campaignId }: CampaignIdInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnCampaign(ctx, campaignId, 'CLOSE_FOLLOW_UP', {}, m.closeFollowUpUpdate, {}, key);
  }

  // ---- a town's self-evaluation ----

  @Mutation(() => CampaignType, { description: 'A town\'s self-evaluation: report and three lists; it counts once its leader in charge approves (002 §9)' })
  submitTownSelfEvaluation(
    @Arg('input') { campaignId, townRegionId, report, targetTasks, hazardRectifications, typicalPractices }: SubmitTownSelfEvaluationInput,
    @Ctx() ctx: Context,
    @IdempotencyKey() key?: string | null,
  ) {
    return service.actOnCampaign(ctx, campaignId, 'SUBMIT_TOWN_SELF_EVALUATION', { townRegionId }, m.submitTownSelfEvaluationUpdate, {
      report,
      targetTasks,
      hazardRectifications,
      typicalPractices,
    }, key);
  }

  @Mutation(() => CampaignType, { description: 'The town\'s leader in charge sends its self-evaluation back, with the reason' })
  returnTownSelfEvaluation(@Arg('input') { campaignId, townRegionId, reason }: ReturnTownSelfEvaluationInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnCampaign(ctx, campaignId, 'RETURN_TOWN_SELF_EVALUATION', { townRegionId }, m.returnTownSelfEvaluationUpdate, { reason }, key);
  }

  @Mutation(() => CampaignType, { description: 'The town\'s leader in charge approves its self-evaluation' })
  approveTownSelfEvaluation(@Arg('input') { campaignId, townRegionId }: CampaignTownInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnCampaign(ctx, campaignId, 'APPROVE_TOWN_SELF_EVALUATION', { townRegionId }, m.approveTownSelfEvaluationUpdate, {}, key);
  }

  // ---- a sector's review ----

  @Mutation(() => CampaignType, { description: 'A method the sector review used: meeting, questionnaire, random visit, ledger spot check (002 §10(一))' })
  recordReviewMethod(@Arg('input') { campaignId, sector, method, on, summary }: RecordReviewMethodInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnCampaign(ctx, campaignId, 'RECORD_REVIEW_METHOD', { sector }, m.recordReviewMethodUpdate, { method, on, summary }, key);
  }

  @Mutation(() => CampaignType, { description: 'The sector review: a grade and a sub-report for every town in scope, and the overall report (002 §10)' })
  submitSectorReview(@Arg('input') { campaignId, sector, overall, subReports, townGrades }: SubmitSectorReviewInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnCampaign(ctx, campaignId, 'SUBMIT_SECTOR_REVIEW', { sector }, m.submitSectorReviewUpdate, async (r) => {
      const subCodes = await service.townCodesOf(ctx, r.view.row.id, 'subReports', subReports.map((s) => s.townRegionId));
      const gradeCodes = await service.townCodesOf(ctx, r.view.row.id, 'townGrades', townGrades.map((g) => g.townRegionId));
      return {
        overall,
        subReports: subReports.map((s, i) => ({ unit: subCodes[i]!, text: s.text })),
        townGrades: townGrades.map((g, i) => ({ townCode: gradeCodes[i]!, grade: g.grade })),
      };
    }, key);
  }

  @Mutation(() => CampaignType, { description: 'The district leader sends a sector review back, with the reason' })
  returnSectorReview(@Arg('input') { campaignId, sector, reason }: ReturnSectorReviewInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnCampaign(ctx, campaignId, 'RETURN_SECTOR_REVIEW', { sector }, m.returnSectorReviewUpdate, { reason }, key);
  }

  @Mutation(() => CampaignType, { description: 'The district leader approves a sector review: its grades count' })
  approveSectorReview(@Arg('input') { campaignId, sector }: CampaignSectorRefInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnCampaign(ctx, campaignId, 'APPROVE_SECTOR_REVIEW', { sector }, m.approveSectorReviewUpdate, {}, key);
  }
}

@Resolver(() => CampaignSectorType)
export class CampaignSectorResolver {
  @FieldResolver(() => DepartmentType, { description: 'The lead department (牵头部门)' })
  async leadDepartment(@Root() s: CampaignSectorRow, @Ctx() ctx: Context) {
    return (await ctx.loaders.department.load(s.leadDepartment.id))!;
  }

  @FieldResolver(() => [CampaignTownType], { description: 'The towns in the sector\'s scope' })
  async towns(@Root() s: CampaignSectorRow, @Ctx() ctx: Context) {
    return (await campaignLoaders(ctx).towns.load(s.campaign.id)).filter((t) => s.townCodes.includes(t.townCode));
  }

  @FieldResolver(() => CampaignSectorReviewType)
  review(@Root() s: CampaignSectorRow): SectorReviewObject {
    return {
      stage: s.reviewStage,
      methods: (s.methods ?? []).map((x) => ({ ...x })),
      proposedGrades: (s.townGrades ?? []).map((g) => ({ ...g })),
      submittedBy: s.submittedBy,
      approvedBy: s.approvedBy,
      returns: returnsOf(s.returns),
      $campaignId: s.campaign.id,
      $sector: s.sector,
    };
  }

  @FieldResolver(() => CampaignGradeType, { nullable: true, description: 'The sector\'s own grade, from the assessment' })
  async grade(@Root() s: CampaignSectorRow, @Ctx() ctx: Context) {
    return (await campaignLoaders(ctx).grades.load(s.campaign.id)).find((g) => g.unitKind === 'SECTOR' && g.unit === s.sector) ?? null;
  }
}

@Resolver(() => CampaignSectorReviewType)
export class CampaignSectorReviewResolver {
  @FieldResolver(() => CampaignReportType, { nullable: true, description: 'The overall report and one sub-report per town; a town\'s officials read only their own' })
  async report(@Root() r: SectorReviewObject, @Ctx() ctx: Context) {
    const rows = (await campaignLoaders(ctx).reports.load(r.$campaignId)).filter((x) => x.stage === 'SECTOR_REVIEW' && x.sector === r.$sector);
    return reportOf(ctx, r.$campaignId, rows);
  }

  @FieldResolver(() => [CampaignGradeType], { description: 'The towns\' grades, once the review is approved' })
  async grades(@Root() r: SectorReviewObject, @Ctx() ctx: Context) {
    return (await campaignLoaders(ctx).grades.load(r.$campaignId)).filter((g) => g.unitKind === 'TOWN' && g.sector === r.$sector);
  }
}

@Resolver(() => CampaignAssessmentType)
export class CampaignAssessmentResolver {
  @FieldResolver(() => CampaignReportType, { nullable: true, description: 'The overall report and one sub-report per sector' })
  async report(@Root() a: AssessmentObject, @Ctx() ctx: Context) {
    const rows = (await campaignLoaders(ctx).reports.load(a.$campaignId)).filter((x) => x.stage === 'ASSESSMENT');
    return reportOf(ctx, a.$campaignId, rows);
  }

  @FieldResolver(() => [CampaignGradeType], { description: 'The sectors\' grades' })
  async grades(@Root() a: AssessmentObject, @Ctx() ctx: Context) {
    return (await campaignLoaders(ctx).grades.load(a.$campaignId)).filter((g) => g.unitKind === 'SECTOR');
  }
}

function planOf(t: CampaignTownRow): CampaignRectificationPlanType | null {
  return t.plan ? { ...t.plan, submittedAt: new Date(t.plan.submittedAt) } : null;
}

@Resolver(() => CampaignTownType)
export class CampaignTownResolver {
  @FieldResolver(() => RegionType)
  town(@Root() t: CampaignTownRow, @Ctx() ctx: Context) {
    return ctx.loaders.regionOf(t.townRegion.id);
  }

  @FieldResolver(() => TownSelfEvaluationType, { description: 'The town\'s self-evaluation (002 §9)' })
  selfEvaluation(@Root() t: CampaignTownRow): TownSelfEvaluationType {
    return {
      stage: t.selfStage,
      report: t.report,
      targetTasks: t.targetTasks ?? [],
      hazardRectifications: t.hazardRectifications ?? [],
      typicalPractices: t.typicalPractices ?? [],
      submittedBy: t.submittedBy,
      approvedBy: t.approvedBy,
      returns: returnsOf(t.returns),
    };
  }

  @FieldResolver(() => [CampaignGradeType], { description: 'The town\'s grades, one per sector that reviewed it' })
  async grades(@Root() t: CampaignTownRow, @Ctx() ctx: Context) {
    return (await campaignLoaders(ctx).grades.load(t.campaign.id)).filter((g) => g.unitKind === 'TOWN' && g.unit === t.townCode);
  }

  @FieldResolver(() => CampaignRectificationPlanType, { nullable: true })
  plan(@Root() t: CampaignTownRow) {
    return planOf(t);
  }

  @FieldResolver(() => [CampaignLookBackType])
  async lookBacks(@Root() t: CampaignTownRow, @Ctx() ctx: Context) {
    return (await campaignLoaders(ctx).lookBacks.load(t.campaign.id)).filter((l) => l.townCode === t.townCode);
  }
}

@Resolver(() => CampaignFollowUpType)
export class CampaignFollowUpResolver {
  @FieldResolver(() => [CampaignRectificationPlanType], { description: 'The towns\' rectification plans' })
  async plans(@Root() f: FollowUpObject, @Ctx() ctx: Context) {
    return (await campaignLoaders(ctx).towns.load(f.$campaignId)).flatMap((t) => planOf(t) ?? []);
  }

  @FieldResolver(() => [CampaignLookBackType], { description: 'Look-back reviews, soonest first' })
  lookBacks(@Root() f: FollowUpObject, @Ctx() ctx: Context): Promise<CampaignLookBackRow[]> {
    return campaignLoaders(ctx).lookBacks.load(f.$campaignId);
  }
}

@Resolver(() => CampaignGradeType)
export class CampaignGradeResolver {
  @FieldResolver(() => ID)
  campaignId(@Root() g: CampaignGradeRow): string {
    return g.campaign.id;
  }

  @FieldResolver(() => CampaignType, { description: 'The campaign that gave the grade' })
  async campaign(@Root() g: CampaignGradeRow, @Ctx() ctx: Context) {
    return (await campaignLoaders(ctx).campaign.load(g.campaign.id))!;
  }

  @FieldResolver(() => RegionType, { nullable: true, description: 'The graded town, for a town\'s grade' })
  townRegion(@Root() g: CampaignGradeRow, @Ctx() ctx: Context) {
    return g.townRegion ? ctx.loaders.regionOf(g.townRegion.id) : null;
  }
}

export const CAMPAIGN_RESOLVERS = [
  CampaignResolver,
  CampaignSectorResolver,
  CampaignSectorReviewResolver,
  CampaignAssessmentResolver,
  CampaignTownResolver,
  CampaignFollowUpResolver,
  CampaignGradeResolver,
] as const;
