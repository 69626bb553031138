import type DataLoader from 'dataloader';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { canTransition, OFFICIAL_ACTIONS } from '../../domain/evaluation.js';
import { profileByVersion } from '../../domain/rule-profiles.js';
import { AuditEntry as AuditEntryEntity } from '../../schema/entities/index.js';
import type { Evaluation, EvaluationReport, MeasureFinding, AccountabilityFinding, RectificationTask } from '../../schema/entities/index.js';
import * as m from '../../workflows/evaluation/messages.js';
import { AccidentType, AccountabilityItemType, MeasureType, RegionType } from '../case/case.type.js';
import { viewOf, visibleEvaluation } from '../access.js';
import type { Context } from '../context.js';
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

/** Rows that are working papers of an evaluation: empty for whoever may not see them yet (000 §六.三). */
async function workingPapers<T>(ctx: Context, e: Evaluation, loader: DataLoader<string, T[]>): Promise<T[]> {
  return (await viewOf(ctx, e.accident.id))?.workingPapers ? loader.load(e.id) : [];
}

@Resolver(() => EvaluationType)
export class EvaluationResolver {
  @Query(() => EvaluationType, { nullable: true })
  async evaluation(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return visibleEvaluation(ctx, await ctx.loaders.evaluation.load(id));
  }

  @Query(() => EvaluationConnectionType, { description: 'Evaluations, soonest due first' })
  evaluations(
    @Ctx() ctx: Context,
    @Arg('filter', () => EvaluationFilterInput, { nullable: true }) filter?: EvaluationFilterInput,
    @Arg('first', () => Int, { defaultValue: 20 }) first = 20,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return service.listEvaluations(ctx, filter, first, after ?? undefined);
  }

  @Query(() => [AuditEntryType], { description: 'Changes one user made, on cases the caller sees as an insider (all of them for one\'s own)' })
  async auditEntries(@Arg('actorId', () => ID) actorId: string, @Ctx() ctx: Context, @Arg('first', () => Int, { defaultValue: 100 }) first = 100) {
    const rows = await ctx.em.find(AuditEntryEntity, { actorId }, { orderBy: { id: 'desc' }, limit: 500 });
    const caseOf = (r: AuditEntryEntity) => (r.subjectType === 'rectification-task' ? r.subjectId.split('/')[0]! : r.subjectId);
    const views = await Promise.all(rows.map((r) => viewOf(ctx, caseOf(r))));
    return rows.filter((_row, i) => actorId === ctx.principal.id || views[i]?.access === 'INSIDER').slice(0, Math.max(0, first));
  }

  @FieldResolver(() => AccidentType)
  async accident(@Root() e: Evaluation, @Ctx() ctx: Context) {
    return (await ctx.loaders.accident.load(e.accident.id))!;
  }

  @FieldResolver(() => RuleProfileType)
  profile(@Root() e: Evaluation): RuleProfileType {
    const p = profileByVersion(e.profileId, e.profileVersion);
    if (!p) throw new Error(`rule profile ${e.profileId} ${e.profileVersion} is unknown to this version`);
    return {
      id: p.id,
      version: p.version,
      document: p.document,
      source: p.source,
      windowOpensAfterMonths: p.window.opensAfterMonths,
      windowDueAfterMonths: p.window.dueAfterMonths,
      teamDays: p.teamDays,
      requiredLists: p.requiredLists,
      requiresMemberMeeting: p.requiresMemberMeeting,
    };
  }

  @FieldResolver(() => [String], { description: 'Official actions the current stage accepts' })
  allowedActions(@Root() e: Evaluation): string[] {
    return OFFICIAL_ACTIONS.filter((a) => canTransition(e.stage, a));
  }

  @FieldResolver(() => RegionType, { nullable: true, description: 'Null when the State Council organises' })
  organiserRegion(@Root() e: Evaluation, @Ctx() ctx: Context) {
    return e.organiserRegion ? ctx.loaders.region.load(e.organiserRegion.id) : null;
  }

  @FieldResolver(() => [RegionType], { description: 'Governments that assist (the enterprise\'s home, 001 §3)' })
  async assistingRegions(@Root() e: Evaluation, @Ctx() ctx: Context) {
    return (await ctx.loaders.region.loadMany(e.assistingRegionIds)).filter((r) => r && !(r instanceof Error));
  }

  @FieldResolver(() => [TeamMemberType])
  team(@Root() e: Evaluation, @Ctx() ctx: Context) {
    return workingPapers(ctx, e, ctx.loaders.teamByEvaluation);
  }

  @FieldResolver(() => [OnSiteCheckType])
  onSiteChecks(@Root() e: Evaluation, @Ctx() ctx: Context) {
    return workingPapers(ctx, e, ctx.loaders.checksByEvaluation);
  }

  @FieldResolver(() => [MeasureFindingType])
  measureFindings(@Root() e: Evaluation, @Ctx() ctx: Context) {
    return workingPapers(ctx, e, ctx.loaders.measureFindingsByEvaluation);
  }

  @FieldResolver(() => [AccountabilityFindingType])
  accountabilityFindings(@Root() e: Evaluation, @Ctx() ctx: Context) {
    return workingPapers(ctx, e, ctx.loaders.accountabilityFindingsByEvaluation);
  }

  @FieldResolver(() => [ReferralType])
  async referrals(@Root() e: Evaluation, @Ctx() ctx: Context): Promise<ReferralType[]> {
    const view = await viewOf(ctx, e.accident.id);
    if (!view?.workingPapers) return [];
    const rows = await ctx.loaders.referralsByEvaluation.load(e.id);
    return rows.map((r) => ({ code: r.code, kind: r.kind, subject: view.personalData ? r.subject : null, reason: r.reason, outcome: r.outcome, resolvedAt: r.resolvedAt }));
  }

  @FieldResolver(() => EvaluationReportType, { nullable: true })
  async report(@Root() e: Evaluation, @Ctx() ctx: Context): Promise<EvaluationReportType | null> {
    const view = await viewOf(ctx, e.accident.id);
    const r: EvaluationReport | null = await ctx.loaders.reportByEvaluation.load(e.id);
    if (!r || !view) return null;
    // Drafts stay with the team and the organising office until agreed (000 §六.三); the public reads the
    // published report, minus the parts withheld as secret, each with its reason (001 §10).
    if (view.access === 'OFFICIAL' && !r.approvedAt) return null;
    if (view.access === 'PUBLIC' && !e.publishedAt) return null;
    const withheld = new Map(view.access === 'PUBLIC' ? r.secretParts.map((p) => [p.section, p.reason]) : []);
    return {
      sections: Object.entries(r.sections).map(([section, text]) => ({
        section: section as never,
        text: withheld.has(section as never) ? null : text,
        withheldReason: withheld.get(section as never) ?? null,
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

  @FieldResolver(() => [RectificationTaskType])
  async tasks(@Root() e: Evaluation, @Ctx() ctx: Context) {
    const view = await viewOf(ctx, e.accident.id);
    return view && view.access !== 'PUBLIC' ? ctx.loaders.tasksByEvaluation.load(e.id) : [];
  }

  @FieldResolver(() => [NotificationType], { description: 'Reminders and overdue notices sent about this evaluation' })
  async notifications(@Root() e: Evaluation, @Ctx() ctx: Context) {
    const view = await viewOf(ctx, e.accident.id);
    return view && view.access !== 'PUBLIC' ? ctx.loaders.notificationsBySubject.load(e.id) : [];
  }

  @FieldResolver(() => [AuditEntryType], { description: 'Every change, with who made it (the team and the organising office)' })
  async auditTrail(@Root() e: Evaluation, @Ctx() ctx: Context) {
    return (await viewOf(ctx, e.accident.id))?.access === 'INSIDER' ? ctx.loaders.auditBySubject.load(e.id) : [];
  }

  @Mutation(() => EvaluationType, { description: '结案: close the case; its evaluation starts and waits for its window' })
  async closeAccidentCase(@Arg('input') input: CloseAccidentCaseInput, @Ctx() ctx: Context) {
    return visibleEvaluation(ctx, await service.closeAccidentCase(ctx, input.accidentId, input.closedAt ?? new Date()));
  }

  @Mutation(() => EvaluationType, { description: 'Form the evaluation team; starts its clock where the profile sets one' })
  async formEvaluationTeam(@Arg('input') { evaluationId, ...input }: FormTeamInput, @Ctx() ctx: Context) {
    return visibleEvaluation(ctx, await service.act(ctx, evaluationId, 'FORM_TEAM', m.formTeamUpdate, input));
  }

  @Mutation(() => EvaluationType, { description: 'Record the enterprise\'s self-evaluation report (001 §6)' })
  async submitSelfEvaluation(@Arg('input') { evaluationId, ...input }: SubmitSelfEvaluationInput, @Ctx() ctx: Context) {
    return visibleEvaluation(ctx, await service.act(ctx, evaluationId, 'SUBMIT_SELF_EVALUATION', m.submitSelfEvaluationUpdate, input));
  }

  @Mutation(() => EvaluationType, { description: '资料审查 done (001 §8(一))' })
  async completeDocumentReview(@Arg('input') { evaluationId, ...input }: CompleteDocumentReviewInput, @Ctx() ctx: Context) {
    return visibleEvaluation(ctx, await service.act(ctx, evaluationId, 'COMPLETE_DOCUMENT_REVIEW', m.completeDocumentReviewUpdate, input));
  }

  @Mutation(() => EvaluationType, { description: 'Record one on-site check (001 §8(二))' })
  async recordOnSiteCheck(@Arg('input') { evaluationId, ...input }: RecordOnSiteCheckInput, @Ctx() ctx: Context) {
    return visibleEvaluation(ctx, await service.act(ctx, evaluationId, 'RECORD_ON_SITE_CHECK', m.recordOnSiteCheckUpdate, input));
  }

  @Mutation(() => EvaluationType)
  async completeOnSiteVerification(@Arg('input') { evaluationId }: EvaluationIdInput, @Ctx() ctx: Context) {
    return visibleEvaluation(ctx, await service.act(ctx, evaluationId, 'COMPLETE_ON_SITE_VERIFICATION', m.completeOnSiteVerificationUpdate, {}));
  }

  @Mutation(() => EvaluationType, { description: '综合评估: a finding for every measure and accountability item' })
  async submitAssessment(@Arg('input') { evaluationId, ...input }: SubmitAssessmentInput, @Ctx() ctx: Context) {
    return visibleEvaluation(ctx, await service.act(ctx, evaluationId, 'SUBMIT_ASSESSMENT', m.submitAssessmentUpdate, input));
  }

  @Mutation(() => EvaluationType, { description: 'Submit the report for approval; its required sections and lists are checked' })
  async submitReportDraft(@Arg('input') { evaluationId, sections, lists, memberMeetingHeldOn, secretParts }: SubmitReportDraftInput, @Ctx() ctx: Context) {
    return visibleEvaluation(ctx, await service.act(ctx, evaluationId, 'SUBMIT_REPORT_DRAFT', m.submitReportDraftUpdate, {
      sections: service.sectionsRecord(sections),
      lists: service.listsRecord(lists),
      memberMeetingHeldOn: memberMeetingHeldOn ?? undefined,
      secretParts,
    }));
  }

  @Mutation(() => EvaluationType, { description: 'Send the draft back with the reason' })
  async returnReport(@Arg('input') { evaluationId, ...input }: ReturnReportInput, @Ctx() ctx: Context) {
    return visibleEvaluation(ctx, await service.act(ctx, evaluationId, 'RETURN_REPORT', m.returnReportUpdate, input));
  }

  @Mutation(() => EvaluationType)
  async approveReport(@Arg('input') { evaluationId }: EvaluationIdInput, @Ctx() ctx: Context) {
    return visibleEvaluation(ctx, await service.act(ctx, evaluationId, 'APPROVE_REPORT', m.approveReportUpdate, {}));
  }

  @Mutation(() => EvaluationType, { description: '公开: publish the full report (001 §10)' })
  async publishReport(@Arg('input') { evaluationId, url }: PublishReportInput, @Ctx() ctx: Context) {
    return visibleEvaluation(ctx, await service.act(ctx, evaluationId, 'PUBLISH_REPORT', m.publishReportUpdate, { url: url ?? undefined }));
  }

  @Mutation(() => EvaluationType, { description: '备案: file with the upper-level safety office (001 §10)' })
  async fileReport(@Arg('input') { evaluationId, filedWith, reference }: FileReportInput, @Ctx() ctx: Context) {
    return visibleEvaluation(ctx, await service.act(ctx, evaluationId, 'FILE_REPORT', m.fileReportUpdate, { filedWith: filedWith ?? undefined, reference }));
  }

  @Mutation(() => EvaluationType)
  async recordReferralOutcome(@Arg('input') { evaluationId, ...input }: RecordReferralOutcomeInput, @Ctx() ctx: Context) {
    return visibleEvaluation(ctx, await service.act(ctx, evaluationId, 'RECORD_REFERRAL_OUTCOME', m.recordReferralOutcomeUpdate, input));
  }

  @Mutation(() => RectificationTaskType, { description: 'Close a rectification task with the evidence of its completion' })
  closeRectificationTask(@Arg('input') { taskId, evidence }: CloseRectificationTaskInput, @Ctx() ctx: Context) {
    return service.closeRectificationTask(ctx, taskId, evidence);
  }
}

@Resolver(() => MeasureFindingType)
export class MeasureFindingResolver {
  @FieldResolver(() => MeasureType)
  async measure(@Root() f: MeasureFinding, @Ctx() ctx: Context) {
    return (await ctx.loaders.measure.load(f.measure.id))!;
  }
}

@Resolver(() => AccountabilityFindingType)
export class AccountabilityFindingResolver {
  @FieldResolver(() => AccountabilityItemType)
  async item(@Root() f: AccountabilityFinding, @Ctx() ctx: Context) {
    return (await ctx.loaders.accountabilityItem.load(f.item.id))!;
  }
}

@Resolver(() => RectificationTaskType)
export class RectificationTaskResolver {
  @FieldResolver(() => MeasureType)
  async measure(@Root() t: RectificationTask, @Ctx() ctx: Context) {
    return (await ctx.loaders.measure.load(t.measure.id))!;
  }

  @FieldResolver(() => [NotificationType], { description: 'Reminders and escalations about this task' })
  notifications(@Root() t: RectificationTask, @Ctx() ctx: Context) {
    return ctx.loaders.notificationsBySubject.load(t.id);
  }
}
