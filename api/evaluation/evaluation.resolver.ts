import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { canTransition, OFFICIAL_ACTIONS } from '../../domain/evaluation.js';
import type { ReportSection } from '../../domain/rule-profiles.js';
import { evaluationProfile } from '../profiles/profiles.read.js';
import { isRecordId } from '../../domain/text.js';
import * as m from '../../workflows/evaluation/messages.js';
import { AccidentType, AccountabilityItemType, MeasureType, RegionType } from '../case/case.type.js';
import { readAs, rowViewOf, visibleEvaluation, visibleRows } from '../access.js';
import type { Context } from '../context.js';
import { objectType, orLoad, selectionOf } from '../graph.js';
import {
  READ_TABLES,
  selectFrom,
  toRows,
  type AccidentRow,
  type AccountabilityFindingRow,
  type AccountabilityItemRow,
  type AuditEntryRow,
  type EvaluationReportRow,
  type EvaluationRow,
  type MeasureFindingRow,
  type MeasureRow,
  type OnSiteCheckRow,
  type RectificationTaskRow,
  type ReferralRow,
  type TeamMemberRow,
} from '../loaders.js';
import { listEvaluations, readEvaluations } from './evaluation-list.js';
import { evaluationAsOf, listEvaluationsAsOf } from '../as-of/as-of.service.js';
import { untilAsOf } from '../as-of/as-of.row.js';
import {
  CloseAccidentCaseInput,
  CloseRectificationTaskInput,
  CompleteDocumentReviewInput,
  EvaluationFilterInput,
  EvaluationIdInput,
  FileReportInput,
  FormTeamInput,
  PublishReportInput,
  RecordOnSiteCheckInput,
  RecordReferralOutcomeInput,
  ReturnReportInput,
  SubmitAssessmentInput,
  SubmitReportDraftInput,
  SubmitSelfEvaluationInput,
} from './evaluation.inputs.js';
import { IdempotencyKey } from '../common/idempotency.js';
import { CAPS } from '../../domain/caps.js';
import * as service from './evaluation.service.js';
import {
  AccountabilityFindingType,
  AuditEntryType,
  EvaluationConnectionType,
  EvaluationReportType,
  EvaluationType,
  MeasureFindingType,
  NotificationType,
  OnSiteCheckType,
  RectificationTaskType,
  ReferralType,
  RuleProfileType,
  TeamMemberType,
} from './evaluation.type.js';

// Field resolvers load rows and nothing more: what of them a caller sees is decided by the field table in
// domain/access.ts, applied to every field of the schema (api/access.ts guardCaseFields).

/** The report as the API shows it. Each part carries its secrecy; the field table withholds it from the public, with the reason (001 §10). */
function reportOf(r: EvaluationReportRow | null): EvaluationReportType | null {
  if (!r) return null;
  const secret = new Map<string, string>(r.secretParts.map((p) => [p.section, p.reason]));
  return {
    sections: Object.entries(r.sections).map(([section, text]) => ({
      section: section as ReportSection,
      text,
      withheldReason: secret.get(section) ?? null,
      secretReason: secret.get(section) ?? null,
    })),
    lists: Object.entries(r.lists).map(([list, items]) => ({ list: list as never, items: items ?? [] })),
    memberMeetingHeldOn: r.memberMeetingHeldOn,
    secretParts: r.secretParts,
    submittedAt: r.submittedAt,
    approvedAt: r.approvedAt,
    approvedBy: r.approvedBy,
    returns: r.returns.map((x) => ({ at: new Date(x.at), reason: x.reason })),
  };
}

@Resolver(() => EvaluationType)
export class EvaluationResolver {
  @Query(() => EvaluationType, { nullable: true })
  async evaluation(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('asOf', () => Date, { nullable: true, description: 'The case as it stood at this past instant, rebuilt from its audit trail' }) asOf?: Date | null,
  ) {
    if (asOf) return evaluationAsOf(ctx, id, asOf);
    if (!isRecordId(id)) return null;
    const { rows, scopes } = await readEvaluations(ctx, selectionOf(info), objectType(info, 'Evaluation'), { where: ['t.id = ?'], params: [id], limit: 1 });
    return visibleRows(ctx, rows, scopes)[0] ?? null;
  }

  @Query(() => EvaluationConnectionType, { description: 'Evaluations, soonest due first' })
  evaluations(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => EvaluationFilterInput, { nullable: true }) filter?: EvaluationFilterInput,
    @Arg('first', () => Int, { description: 'How many, 0 to 200' }) first = 0, // required in the schema; TS wants a default after `filter?`
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('asOf', () => Date, { nullable: true, description: 'The board as it stood at this past instant: stage and overdue as of then' }) asOf?: Date | null,
  ) {
    if (asOf) return listEvaluationsAsOf(ctx, info, filter, first, after ?? undefined, asOf);
    // The count costs a pass over every visible evaluation: only when the client asks for it.
    return listEvaluations(ctx, info, filter, first, after ?? undefined);
  }

  @Query(() => [AuditEntryType], { description: 'Changes one user made, on cases the caller sees as an insider (all of them for one\'s own)' })
  async auditEntries(@Arg('actorId', () => ID) actorId: string, @Ctx() ctx: Context, @Arg('first', () => Int, { description: 'How many, 0 to 200' }) first: number) {
    // Newest first (index audit_entry_actor_id_id); entries of cases hidden from the caller are skipped below.
    const rows = toRows<AuditEntryRow>(
      READ_TABLES.auditEntry,
      await ctx.em.execute(`${selectFrom(READ_TABLES.auditEntry)} where t.actor_id = ? order by t.id desc limit 500`, [actorId]),
    );
    const caseOf = (r: AuditEntryRow) => (r.subjectType === 'rectification-task' ? r.subjectId.split('/')[0]! : r.subjectId);
    const views = await Promise.all(rows.map((r) => rowViewOf(ctx, caseOf(r))));
    return rows
      .flatMap((row, i) => (actorId === ctx.principal.id || views[i]!.access === 'INSIDER' ? [readAs(ctx, views[i]!, row)] : []))
      .slice(0, Math.max(0, first));
  }

  @FieldResolver(() => AccidentType)
  accident(@Root() e: EvaluationRow, @Ctx() ctx: Context) {
    return orLoad(e, 'accident', async () => (await ctx.loaders.accident.load(e.accident.id)) as AccidentRow);
  }

  @FieldResolver(() => RuleProfileType, { description: 'The version the case carries, as held, and why it was chosen (chosenFor)' })
  profile(@Root() e: EvaluationRow, @Ctx() ctx: Context) {
    return evaluationProfile(ctx, e);
  }

  @FieldResolver(() => [String], { description: 'Official actions the current stage accepts' })
  allowedActions(@Root() e: EvaluationRow): string[] {
    return OFFICIAL_ACTIONS.filter((a) => canTransition(e.stage, a));
  }

  @FieldResolver(() => RegionType, { nullable: true, description: 'Null when the State Council organises' })
  organiserRegion(@Root() e: EvaluationRow, @Ctx() ctx: Context) {
    return e.organiserRegion ? ctx.loaders.regionOf(e.organiserRegion.id) : null;
  }

  @FieldResolver(() => [RegionType], { description: 'Governments that assist (the enterprise\'s home, 001 §3)' })
  async assistingRegions(@Root() e: EvaluationRow, @Ctx() ctx: Context) {
    const tree = await ctx.loaders.regions();
    return e.assistingRegionIds.flatMap((id) => tree.get(id) ?? []);
  }

  @FieldResolver(() => [TeamMemberType], { description: `At most ${CAPS.teamMembers}` })
  team(@Root() e: EvaluationRow, @Ctx() ctx: Context) {
    return orLoad<TeamMemberRow[]>(e, 'team', () => ctx.loaders.teamByEvaluation.load(e.id));
  }

  @FieldResolver(() => [OnSiteCheckType], { description: `At most ${CAPS.onSiteChecks}` })
  onSiteChecks(@Root() e: EvaluationRow, @Ctx() ctx: Context) {
    return orLoad<OnSiteCheckRow[]>(e, 'onSiteChecks', () => ctx.loaders.checksByEvaluation.load(e.id));
  }

  @FieldResolver(() => [MeasureFindingType], { description: `One per measure, at most ${CAPS.measures}` })
  measureFindings(@Root() e: EvaluationRow, @Ctx() ctx: Context) {
    return orLoad<MeasureFindingRow[]>(e, 'measureFindings', () => ctx.loaders.measureFindingsByEvaluation.load(e.id));
  }

  @FieldResolver(() => [AccountabilityFindingType], { description: `One per accountability item, at most ${CAPS.accountabilityItems}` })
  accountabilityFindings(@Root() e: EvaluationRow, @Ctx() ctx: Context) {
    return orLoad<AccountabilityFindingRow[]>(e, 'accountabilityFindings', () => ctx.loaders.accountabilityFindingsByEvaluation.load(e.id));
  }

  @FieldResolver(() => [ReferralType], { description: `At most ${CAPS.referrals}` })
  referrals(@Root() e: EvaluationRow, @Ctx() ctx: Context) {
    return orLoad<ReferralRow[]>(e, 'referrals', () => ctx.loaders.referralsByEvaluation.load(e.id));
  }

  @FieldResolver(() => EvaluationReportType, { nullable: true })
  report(@Root() e: EvaluationRow, @Ctx() ctx: Context): EvaluationReportType | null | Promise<EvaluationReportType | null> {
    const r = orLoad(e, 'report', () => ctx.loaders.reportByEvaluation.load(e.id));
    return r instanceof Promise ? r.then(reportOf) : reportOf(r);
  }

  @FieldResolver(() => [RectificationTaskType])
  tasks(@Root() e: EvaluationRow, @Ctx() ctx: Context) {
    return orLoad<RectificationTaskRow[]>(e, 'tasks', () => ctx.loaders.tasksByEvaluation.load(e.id));
  }

  @FieldResolver(() => [NotificationType], { description: 'Reminders and overdue notices sent about this evaluation' })
  notifications(@Root() e: EvaluationRow, @Ctx() ctx: Context, @Arg('first', () => Int, { defaultValue: 200, description: 'How many, oldest first (0 to 200)' }) first: number) {
    return ctx.loaders.notificationsBySubject.load(e.id).then((rows) => untilAsOf(e, rows, (n) => n.createdAt).slice(0, Math.max(0, first)));
  }

  @FieldResolver(() => [AuditEntryType], { description: 'Every change, with who made it (the team and the organising office)' })
  auditTrail(@Root() e: EvaluationRow, @Ctx() ctx: Context, @Arg('first', () => Int, { defaultValue: 200, description: 'How many, oldest first (0 to 200)' }) first: number) {
    return ctx.loaders.auditBySubject.load(e.id).then((rows) => untilAsOf(e, rows, (a) => a.at).slice(0, Math.max(0, first)));
  }

  @Mutation(() => EvaluationType, { description: '结案: close the case; its evaluation starts and waits for its window' })
  async closeAccidentCase(@Arg('input') input: CloseAccidentCaseInput, @Ctx() ctx: Context, @IdempotencyKey() idempotencyKey?: string | null) {
    return visibleEvaluation(ctx, await service.closeAccidentCase(ctx, input.accidentId, input.closedAt ?? new Date(), idempotencyKey));
  }

  @Mutation(() => EvaluationType, { description: 'Form the evaluation team; starts its clock where the profile sets one' })
  async formEvaluationTeam(@Arg('input') { evaluationId, ...input }: FormTeamInput, @Ctx() ctx: Context, @IdempotencyKey() idempotencyKey?: string | null) {
    return visibleEvaluation(ctx, await service.act(ctx, evaluationId, 'FORM_TEAM', m.formTeamUpdate, input, idempotencyKey));
  }

  @Mutation(() => EvaluationType, { description: 'Record the enterprise\'s self-evaluation report (001 §6)' })
  async submitSelfEvaluation(@Arg('input') { evaluationId, ...input }: SubmitSelfEvaluationInput, @Ctx() ctx: Context, @IdempotencyKey() idempotencyKey?: string | null) {
    return visibleEvaluation(ctx, await service.act(ctx, evaluationId, 'SUBMIT_SELF_EVALUATION', m.submitSelfEvaluationUpdate, input, idempotencyKey));
  }

  @Mutation(() => EvaluationType, { description: '资料审查 done (001 §8(一))' })
  async completeDocumentReview(@Arg('input') { evaluationId, ...input }: CompleteDocumentReviewInput, @Ctx() ctx: Context, @IdempotencyKey() idempotencyKey?: string | null) {
    return visibleEvaluation(ctx, await service.act(ctx, evaluationId, 'COMPLETE_DOCUMENT_REVIEW', m.completeDocumentReviewUpdate, input, idempotencyKey));
  }

  @Mutation(() => EvaluationType, { description: 'Record one on-site check (001 §8(二))' })
  async recordOnSiteCheck(@Arg('input') { evaluationId, ...input }: RecordOnSiteCheckInput, @Ctx() ctx: Context, @IdempotencyKey() idempotencyKey?: string | null) {
    return visibleEvaluation(ctx, await service.act(ctx, evaluationId, 'RECORD_ON_SITE_CHECK', m.recordOnSiteCheckUpdate, input, idempotencyKey));
  }

  @Mutation(() => EvaluationType)
  async completeOnSiteVerification(@Arg('input') { evaluationId }: EvaluationIdInput, @Ctx() ctx: Context, @IdempotencyKey() idempotencyKey?: string | null) {
    return visibleEvaluation(ctx, await service.act(ctx, evaluationId, 'COMPLETE_ON_SITE_VERIFICATION', m.completeOnSiteVerificationUpdate, {}, idempotencyKey));
  }

  @Mutation(() => EvaluationType, { description: '综合评估: a finding for every measure and accountability item' })
  async submitAssessment(@Arg('input') { evaluationId, ...input }: SubmitAssessmentInput, @Ctx() ctx: Context, @IdempotencyKey() idempotencyKey?: string | null) {
    return visibleEvaluation(ctx, await service.act(ctx, evaluationId, 'SUBMIT_ASSESSMENT', m.submitAssessmentUpdate, input, idempotencyKey));
  }

  @Mutation(() => EvaluationType, { description: 'Submit the report for approval; its required sections and lists are checked' })
  async submitReportDraft(@Arg('input') { evaluationId, sections, lists, memberMeetingHeldOn, secretParts }: SubmitReportDraftInput, @Ctx() ctx: Context, @IdempotencyKey() idempotencyKey?: string | null) {
    return visibleEvaluation(ctx, await service.act(ctx, evaluationId, 'SUBMIT_REPORT_DRAFT', m.submitReportDraftUpdate, {
      sections: service.sectionsRecord(sections),
      lists: service.listsRecord(lists),
      memberMeetingHeldOn: memberMeetingHeldOn ?? undefined,
      secretParts,
    }, idempotencyKey));
  }

  @Mutation(() => EvaluationType, { description: 'Send the draft back with the reason' })
  async returnReport(@Arg('input') { evaluationId, ...input }: ReturnReportInput, @Ctx() ctx: Context, @IdempotencyKey() idempotencyKey?: string | null) {
    return visibleEvaluation(ctx, await service.act(ctx, evaluationId, 'RETURN_REPORT', m.returnReportUpdate, input, idempotencyKey));
  }

  @Mutation(() => EvaluationType)
  async approveReport(@Arg('input') { evaluationId }: EvaluationIdInput, @Ctx() ctx: Context, @IdempotencyKey() idempotencyKey?: string | null) {
    return visibleEvaluation(ctx, await service.act(ctx, evaluationId, 'APPROVE_REPORT', m.approveReportUpdate, {}, idempotencyKey));
  }

  @Mutation(() => EvaluationType, { description: '公开: publish the full report (001 §10)' })
  async publishReport(@Arg('input') { evaluationId, url }: PublishReportInput, @Ctx() ctx: Context, @IdempotencyKey() idempotencyKey?: string | null) {
    return visibleEvaluation(ctx, await service.act(ctx, evaluationId, 'PUBLISH_REPORT', m.publishReportUpdate, { url: url ?? undefined }, idempotencyKey));
  }

  @Mutation(() => EvaluationType, { description: '备案: file with the upper-level safety office (001 §10)' })
  async fileReport(@Arg('input') { evaluationId, filedWith, reference }: FileReportInput, @Ctx() ctx: Context, @IdempotencyKey() idempotencyKey?: string | null) {
    return visibleEvaluation(ctx, await service.act(ctx, evaluationId, 'FILE_REPORT', m.fileReportUpdate, { filedWith: filedWith ?? undefined, reference }, idempotencyKey));
  }

  @Mutation(() => EvaluationType)
  async recordReferralOutcome(@Arg('input') { evaluationId, ...input }: RecordReferralOutcomeInput, @Ctx() ctx: Context, @IdempotencyKey() idempotencyKey?: string | null) {
    return visibleEvaluation(ctx, await service.act(ctx, evaluationId, 'RECORD_REFERRAL_OUTCOME', m.recordReferralOutcomeUpdate, input, idempotencyKey));
  }

  @Mutation(() => RectificationTaskType, { description: 'Close a rectification task with the evidence of its completion' })
  closeRectificationTask(@Arg('input') { taskId, evidence }: CloseRectificationTaskInput, @Ctx() ctx: Context, @IdempotencyKey() idempotencyKey?: string | null) {
    return service.closeRectificationTask(ctx, taskId, evidence, idempotencyKey);
  }
}

@Resolver(() => MeasureFindingType)
export class MeasureFindingResolver {
  @FieldResolver(() => MeasureType)
  measure(@Root() f: MeasureFindingRow, @Ctx() ctx: Context) {
    return orLoad(f, 'measure', async () => (await ctx.loaders.measure.load(f.measure.id)) as MeasureRow);
  }
}

@Resolver(() => AccountabilityFindingType)
export class AccountabilityFindingResolver {
  @FieldResolver(() => AccountabilityItemType)
  item(@Root() f: AccountabilityFindingRow, @Ctx() ctx: Context) {
    return orLoad(f, 'item', async () => (await ctx.loaders.accountabilityItem.load(f.item.id)) as AccountabilityItemRow);
  }
}

@Resolver(() => RectificationTaskType)
export class RectificationTaskResolver {
  @FieldResolver(() => MeasureType)
  measure(@Root() t: RectificationTaskRow, @Ctx() ctx: Context) {
    return orLoad(t, 'measure', async () => (await ctx.loaders.measure.load(t.measure.id)) as MeasureRow);
  }

  @FieldResolver(() => [NotificationType], { description: 'Reminders and escalations about this task' })
  notifications(@Root() t: RectificationTaskRow, @Ctx() ctx: Context, @Arg('first', () => Int, { defaultValue: 200, description: 'How many, oldest first (0 to 200)' }) first: number) {
    return ctx.loaders.notificationsBySubject.load(t.id).then((rows) => untilAsOf(t, rows, (n) => n.createdAt).slice(0, Math.max(0, first)));
  }
}
