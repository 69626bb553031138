import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { allowHazard } from '../../domain/access.js';
import { canHazardTransition, HAZARD_OFFICIAL_ACTIONS, type HazardState } from '../../domain/hazard.js';
import { badInput } from '../../domain/errors.js';
import * as m from '../../workflows/hazard/messages.js';
import { DepartmentType, EnterpriseType, RegionType } from '../case/case.type.js';
import { IdempotencyKey } from '../common/idempotency.js';
import type { Context } from '../context.js';
import { AuditEntryType } from '../evaluation/evaluation.type.js';
import { listHazards } from './hazard-list.js';
import { hazardLoaders, scopeOfHazard, type HazardRow } from './hazard-loaders.js';
import {
  DecideHazardExtensionInput,
  FixHazardAtOnceInput,
  HazardEvidenceInput,
  HazardFilterInput,
  HazardFromFindingInput,
  HazardIdInput,
  HazardReasonInput,
  ListHazardSupervisionInput,
  PlanHazardRectificationInput,
  RecordEnforcementDecisionInput,
  RecordSupervisionReceiptInput,
  ReportHazardInput,
  RequestHazardExtensionInput,
} from './hazard.inputs.js';
import * as service from './hazard.service.js';
import {
  HazardAdviceType,
  HazardConnectionType,
  HazardDecisionType,
  HazardExtensionType,
  HazardOriginType,
  HazardPlanType,
  HazardSubmissionType,
  HazardSupervisionType,
  HazardSuspectedCrimeType,
  HazardType,
} from './hazard.type.js';

// Field resolvers load rows and shape them; what a caller sees of them is the field table in domain/access.ts.

const asDate = (value: string | undefined | null): Date | null => (value ? new Date(value) : null);

/** What `canHazardTransition` reads of a hazard, from its row. */
function stateOf(h: HazardRow): HazardState {
  return {
    stage: h.stage,
    extensions: h.extensions ?? [],
    submissions: h.submissions ?? [],
    ...(h.acceptedAt ? { acceptedAt: h.acceptedAt.toISOString() } : {}),
    ...(h.supervision ? { supervision: h.supervision } : {}),
    ...(h.suspectedCrime ? { suspectedCrime: h.suspectedCrime } : {}),
    ...(h.decision ? { decision: h.decision } : {}),
  } as HazardState;
}

@Resolver(() => HazardType)
export class HazardResolver {
  @Query(() => HazardType, { nullable: true, description: 'A hazard; null when it does not exist or is hidden from the caller' })
  async hazard(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const view = await service.hazardView(ctx, id);
    return view ? service.visibleHazard(ctx, view.row) : null;
  }

  @Query(() => HazardConnectionType, { description: 'The hazard ledger the caller sees, soonest deadline first' })
  hazards(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => HazardFilterInput, { nullable: true }) filter?: HazardFilterInput,
    @Arg('first', () => Int, { description: 'How many, 0 to 200' }) first = 0,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return listHazards(ctx, info, filter, first, after ?? undefined);
  }

  @FieldResolver(() => EnterpriseType)
  async enterprise(@Root() h: HazardRow, @Ctx() ctx: Context) {
    return (await ctx.loaders.enterprise.load(h.enterprise.id))!;
  }

  @FieldResolver(() => RegionType, { description: 'The enterprise\'s location' })
  region(@Root() h: HazardRow, @Ctx() ctx: Context) {
    return ctx.loaders.regionOf(h.region.id);
  }

  @FieldResolver(() => DepartmentType, { description: 'The department that supervises the enterprise\'s sector and accepts the rectification' })
  async supervisingDepartment(@Root() h: HazardRow, @Ctx() ctx: Context) {
    return (await ctx.loaders.department.load(h.supervisingDepartment.id))!;
  }

  @FieldResolver(() => HazardOriginType, { nullable: true, description: 'The evaluation finding or campaign this hazard came from (the link back)' })
  origin(@Root() h: HazardRow): HazardOriginType | null {
    const o = h.origin;
    if (!o) return null;
    return o.kind === 'EVALUATION'
      ? { kind: o.kind, evaluationId: o.evaluationId, measureId: o.measureId ?? null, campaignId: null, townCode: null }
      : { kind: o.kind, evaluationId: null, measureId: null, campaignId: o.campaignId, townCode: o.townCode ?? null };
  }

  @FieldResolver(() => HazardPlanType, { nullable: true, description: '五落实, once planned' })
  plan(@Root() h: HazardRow): HazardPlanType | null {
    const p = h.plan;
    if (!p) return null;
    return {
      responsiblePerson: p.responsiblePerson,
      measures: p.measures,
      fundsYuan: h.fundsYuan ?? p.funds,
      deadlineOn: p.deadlineOn,
      emergencyPlan: p.emergencyPlan,
      plannedAt: new Date(p.at),
      plannedBy: p.by,
    };
  }

  @FieldResolver(() => HazardSupervisionType, { nullable: true, description: '挂牌督办, once listed (lifted or not)' })
  supervision(@Root() h: HazardRow): HazardSupervisionType | null {
    const s = h.supervision;
    if (!s) return null;
    return {
      regionCode: s.regionCode,
      officeName: s.officeName,
      documentNo: s.documentNo,
      listedOn: s.listedOn,
      listedBy: s.listedBy,
      receiptSignedBy: s.receipt?.signedBy ?? null,
      receiptReceivedOn: s.receipt?.receivedOn ?? null,
      liftedAt: asDate(s.liftedAt),
      liftedBy: s.liftedBy ?? null,
    };
  }

  @FieldResolver(() => HazardSuspectedCrimeType, { nullable: true })
  suspectedCrime(@Root() h: HazardRow): HazardSuspectedCrimeType | null {
    const c = h.suspectedCrime;
    return c ? { at: new Date(c.at), by: c.by, reason: c.reason } : null;
  }

  @FieldResolver(() => HazardAdviceType, { nullable: true, description: 'Enforcement advice for the hazard as it stands, with its reason (003 §三); the official decides' })
  advice(@Root() h: HazardRow): HazardAdviceType | null {
    return h.advice ? { advice: h.advice, reason: h.adviceReason ?? '' } : null;
  }

  @FieldResolver(() => HazardDecisionType, { nullable: true, description: 'The official\'s decision, once recorded' })
  decision(@Root() h: HazardRow): HazardDecisionType | null {
    const d = h.decision;
    return d ? { decision: d.decision, reason: d.reason, at: new Date(d.at), by: d.by, advice: d.advice ?? null } : null;
  }

  @FieldResolver(() => [HazardExtensionType])
  extensions(@Root() h: HazardRow): HazardExtensionType[] {
    return (h.extensions ?? []).map((e) => ({
      id: e.id,
      requestedAt: new Date(e.requestedAt),
      requestedBy: e.requestedBy,
      untilOn: e.untilOn,
      reason: e.reason,
      decidedAt: asDate(e.decision?.at),
      decidedBy: e.decision?.by ?? null,
      approved: e.decision ? e.decision.approved : null,
      decisionReason: e.decision?.reason ?? null,
    }));
  }

  @FieldResolver(() => [HazardSubmissionType], { description: 'Submissions for acceptance, oldest first' })
  submissions(@Root() h: HazardRow): HazardSubmissionType[] {
    return (h.submissions ?? []).map((s) => ({
      at: new Date(s.at),
      by: s.by,
      evidence: s.evidence,
      refusedAt: asDate(s.refused?.at),
      refusedBy: s.refused?.by ?? null,
      refusalReason: s.refused?.reason ?? null,
    }));
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The whistleblower report whose verification entered this hazard' })
  whistleblowerReportId(@Root() h: HazardRow, @Ctx() ctx: Context) {
    return h.source === 'WHISTLEBLOWER' ? hazardLoaders(ctx).reportOf.load(h.id) : null;
  }

  @FieldResolver(() => [String], { description: 'The actions the caller may take on the hazard now (its stage, its records and the caller\'s role)' })
  allowedActions(@Root() h: HazardRow, @Ctx() ctx: Context): string[] {
    const state = stateOf(h);
    const scope = scopeOfHazard(h);
    return HAZARD_OFFICIAL_ACTIONS.filter((type) => canHazardTransition(state, type) && allowHazard(ctx.principal, type, scope));
  }

  @FieldResolver(() => [AuditEntryType], { description: 'Every change to the hazard, with who made it (the supervising side)' })
  async auditTrail(@Root() h: HazardRow, @Ctx() ctx: Context, @Arg('first', () => Int, { defaultValue: 200, description: 'How many, oldest first (0 to 200)' }) first: number) {
    return (await hazardLoaders(ctx).auditTrail.load(h.id)).slice(0, Math.max(0, Math.min(first, 200)));
  }

  // ---- entry ----

  @Mutation(() => HazardType, {
    description:
      'Enters a hazard in the ledger: the enterprise its own (SELF_REPORT), an inspector, the safety office or the supervising department what an inspection or a campaign found. ' +
      'The same idempotency key again returns the hazard already entered.',
  })
  reportHazard(@Arg('input', () => ReportHazardInput) input: ReportHazardInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.reportHazard(ctx, input, key);
  }

  @Mutation(() => HazardType, {
    description:
      'An accident evaluation\'s finding that a measure was not (or only partly) implemented, entered as a hazard (source EVALUATION) with the link back: the organiser\'s safety office. ' +
      'The same finding for the same enterprise again returns the hazard already entered.',
  })
  createHazardFromFinding(@Arg('input', () => HazardFromFindingInput) input: HazardFromFindingInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.createHazardFromFinding(ctx, input, key);
  }

  // ---- one mutation per action (names as the hazard workflow's updates) ----

  @Mutation(() => HazardType, { description: '立即整改: fixed at once, with the evidence. A general hazard closes; a major one goes to acceptance' })
  fixHazardAtOnce(@Arg('input') { hazardId, evidence }: FixHazardAtOnceInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnHazard(ctx, hazardId, 'FIX_AT_ONCE', m.fixAtOnceUpdate, { evidence }, key);
  }

  @Mutation(() => HazardType, { description: '五落实: the rectification plan, all five required (003 §三.(二)); the hazard is then under rectification' })
  planHazardRectification(@Arg('input') { hazardId, ...plan }: PlanHazardRectificationInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnHazard(ctx, hazardId, 'PLAN_RECTIFICATION', m.planRectificationUpdate, { ...plan }, key);
  }

  @Mutation(() => HazardType, { description: 'The enterprise asks for more time, at least the profile\'s notice days before the deadline' })
  requestHazardExtension(@Arg('input') { hazardId, untilOn, reason }: RequestHazardExtensionInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnHazard(ctx, hazardId, 'REQUEST_EXTENSION', m.requestHazardExtensionUpdate, { untilOn, reason }, key);
  }

  @Mutation(() => HazardType, { description: 'The supervising department approves or refuses an extension; an approval moves the deadline and the notices still ahead' })
  decideHazardExtension(@Arg('input') { hazardId, extensionId, approved, reason }: DecideHazardExtensionInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnHazard(ctx, hazardId, 'DECIDE_EXTENSION', m.decideHazardExtensionUpdate, { extensionId, approved, reason }, key);
  }

  @Mutation(() => HazardType, { description: 'The enterprise submits the rectification for acceptance, with its evidence' })
  submitHazardForAcceptance(@Arg('input') { hazardId, evidence }: HazardEvidenceInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnHazard(ctx, hazardId, 'SUBMIT_FOR_ACCEPTANCE', m.submitForAcceptanceUpdate, { evidence }, key);
  }

  @Mutation(() => HazardType, { description: '验收销号: the supervising department accepts; the hazard closes unless a listed supervision is not lifted yet' })
  acceptHazardRectification(@Arg('input') { hazardId, evidence }: HazardEvidenceInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnHazard(ctx, hazardId, 'ACCEPT_RECTIFICATION', m.acceptRectificationUpdate, { evidence }, key);
  }

  @Mutation(() => HazardType, { description: 'The supervising department refuses acceptance, with the reason: the hazard goes back to rectification' })
  refuseHazardAcceptance(@Arg('input') { hazardId, reason }: HazardReasonInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnHazard(ctx, hazardId, 'REFUSE_ACCEPTANCE', m.refuseAcceptanceUpdate, { reason }, key);
  }

  @Mutation(() => HazardType, { description: '挂牌督办: a safety office of the hazard\'s region or above lists it, with its document number and date' })
  async listHazardSupervision(@Arg('input') { hazardId, regionCode, officeName, documentNo, listedOn }: ListHazardSupervisionInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    const tree = await ctx.loaders.regions();
    const region = [...tree.byId.values()].find((r) => r.code === regionCode);
    if (!region) throw badInput('regionCode', 'no region has this code');
    const office = officeName?.trim() ? officeName : region.safetyOfficeName;
    return service.actOnHazard(ctx, hazardId, 'LIST_SUPERVISION', m.listSupervisionUpdate, { regionCode, officeName: office, documentNo, listedOn }, key, {
      listingRegionCode: regionCode,
    });
  }

  @Mutation(() => HazardType, { description: 'The enterprise records the signed receipt of the listing document' })
  recordSupervisionReceipt(@Arg('input') { hazardId, signedBy, receivedOn }: RecordSupervisionReceiptInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnHazard(ctx, hazardId, 'RECORD_SUPERVISION_RECEIPT', m.recordSupervisionReceiptUpdate, { signedBy, receivedOn }, key);
  }

  @Mutation(() => HazardType, { description: 'The listing office lifts the listed supervision, once the rectification is accepted; an accepted hazard then closes' })
  liftHazardSupervision(@Arg('input') { hazardId }: HazardIdInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnHazard(ctx, hazardId, 'LIFT_SUPERVISION', m.liftSupervisionUpdate, {}, key);
  }

  @Mutation(() => HazardType, { description: 'An inspector marks the hazard as a suspected crime: the advice becomes transfer to the judiciary' })
  markHazardSuspectedCrime(@Arg('input') { hazardId, reason }: HazardReasonInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnHazard(ctx, hazardId, 'MARK_SUSPECTED_CRIME', m.markSuspectedCrimeUpdate, { reason }, key);
  }

  @Mutation(() => HazardType, { description: 'The official\'s enforcement decision (the supervising department or an inspector), stored with the advice it was given' })
  recordEnforcementDecision(@Arg('input') { hazardId, decision, reason }: RecordEnforcementDecisionInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.actOnHazard(ctx, hazardId, 'RECORD_ENFORCEMENT_DECISION', m.recordEnforcementDecisionUpdate, { decision, reason }, key);
  }
}

export const HAZARD_RESOLVERS = [HazardResolver] as const;
