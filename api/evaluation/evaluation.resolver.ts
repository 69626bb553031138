import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { canTransition, OFFICIAL_ACTIONS } from '../../domain/evaluation.js';
import { profileByVersion } from '../../domain/rule-profiles.js';
import type { Evaluation, EvaluationReport, MeasureFinding, AccountabilityFinding, RectificationTask } from '../../schema/entities/index.js';
import * as m from '../../workflows/evaluation/messages.js';
import { AccidentType, AccountabilityItemType, MeasureType, RegionType } from '../case/case.type.js';
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

@Resolver(() => EvaluationType)
export class EvaluationResolver {
  @Query(() => EvaluationType, { nullable: true })
  evaluation(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.loaders.evaluation.load(id);
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
    return ctx.loaders.teamByEvaluation.load(e.id);
  }

  @FieldResolver(() => [OnSiteCheckType])
  onSiteChecks(@Root() e: Evaluation, @Ctx() ctx: Context) {
    return ctx.loaders.checksByEvaluation.load(e.id);
  }

  @FieldResolver(() => [MeasureFindingType])
  measureFindings(@Root() e: Evaluation, @Ctx() ctx: Context) {
    return ctx.loaders.measureFindingsByEvaluation.load(e.id);
  }

  @FieldResolver(() => [AccountabilityFindingType])
  accountabilityFindings(@Root() e: Evaluation, @Ctx() ctx: Context) {
    return ctx.loaders.accountabilityFindingsByEvaluation.load(e.id);
  }

  @FieldResolver(() => [ReferralType])
  referrals(@Root() e: Evaluation, @Ctx() ctx: Context) {
    return ctx.loaders.referralsByEvaluation.load(e.id);
  }

  @FieldResolver(() => EvaluationReportType, { nullable: true })
  async report(@Root() e: Evaluation, @Ctx() ctx: Context): Promise<EvaluationReportType | null> {
    const r: EvaluationReport | null = await ctx.loaders.reportByEvaluation.load(e.id);
    if (!r) return null;
    return {
      sections: Object.entries(r.sections).map(([section, text]) => ({ section: section as never, text })),
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
  tasks(@Root() e: Evaluation, @Ctx() ctx: Context) {
    return ctx.loaders.tasksByEvaluation.load(e.id);
  }

  @FieldResolver(() => [NotificationType], { description: 'Reminders and overdue notices sent about this evaluation' })
  notifications(@Root() e: Evaluation, @Ctx() ctx: Context) {
    return ctx.loaders.notificationsBySubject.load(e.id);
  }

  @FieldResolver(() => [AuditEntryType], { description: 'Every change, with who made it' })
  auditTrail(@Root() e: Evaluation, @Ctx() ctx: Context) {
    return ctx.loaders.auditBySubject.load(e.id);
  }

  @Mutation(() => EvaluationType, { description: '结案: close the case; its evaluation starts and waits for its window' })
  closeAccidentCase(@Arg('input') input: CloseAccidentCaseInput, @Ctx() ctx: Context) {
    return service.closeAccidentCase(ctx, input.accidentId, input.closedAt ?? new Date());
  }

  @Mutation(() => EvaluationType, { description: 'Form the evaluation team; starts its clock where the profile sets one' })
  formEvaluationTeam(@Arg('input') { evaluationId, ...input }: FormTeamInput, @Ctx() ctx: Context) {
    return service.act(ctx, evaluationId, m.formTeamUpdate, input);
  }

  @Mutation(() => EvaluationType, { description: 'Record the enterprise\'s self-evaluation report (001 §6)' })
  submitSelfEvaluation(@Arg('input') { evaluationId, ...input }: SubmitSelfEvaluationInput, @Ctx() ctx: Context) {
    return service.act(ctx, evaluationId, m.submitSelfEvaluationUpdate, input);
  }

  @Mutation(() => EvaluationType, { description: '资料审查 done (001 §8(一))' })
  completeDocumentReview(@Arg('input') { evaluationId, ...input }: CompleteDocumentReviewInput, @Ctx() ctx: Context) {
    return service.act(ctx, evaluationId, m.completeDocumentReviewUpdate, input);
  }

  @Mutation(() => EvaluationType, { description: 'Record one on-site check (001 §8(二))' })
  recordOnSiteCheck(@Arg('input') { evaluationId, ...input }: RecordOnSiteCheckInput, @Ctx() ctx: Context) {
    return service.act(ctx, evaluationId, m.recordOnSiteCheckUpdate, input);
  }

  @Mutation(() => EvaluationType)
  completeOnSiteVerification(@Arg('input') { evaluationId }: EvaluationIdInput, @Ctx() ctx: Context) {
    return service.act(ctx, evaluationId, m.completeOnSiteVerificationUpdate, {});
  }

  @Mutation(() => EvaluationType, { description: '综合评估: a finding for every measure and accountability item' })
  submitAssessment(@Arg('input') { evaluationId, ...input }: SubmitAssessmentInput, @Ctx() ctx: Context) {
    return service.act(ctx, evaluationId, m.submitAssessmentUpdate, input);
  }

  @Mutation(() => EvaluationType, { description: 'Submit the report for approval; its required sections and lists are checked' })
  submitReportDraft(@Arg('input') { evaluationId, sections, lists, memberMeetingHeldOn, secretParts }: SubmitReportDraftInput, @Ctx() ctx: Context) {
    return service.act(ctx, evaluationId, m.submitReportDraftUpdate, {
      sections: service.sectionsRecord(sections),
      lists: service.listsRecord(lists),
      memberMeetingHeldOn: memberMeetingHeldOn ?? undefined,
      secretParts,
    });
  }

  @Mutation(() => EvaluationType, { description: 'Send the draft back with the reason' })
  returnReport(@Arg('input') { evaluationId, ...input }: ReturnReportInput, @Ctx() ctx: Context) {
    return service.act(ctx, evaluationId, m.returnReportUpdate, input);
  }

  @Mutation(() => EvaluationType)
  approveReport(@Arg('input') { evaluationId }: EvaluationIdInput, @Ctx() ctx: Context) {
    return service.act(ctx, evaluationId, m.approveReportUpdate, {});
  }

  @Mutation(() => EvaluationType, { description: '公开: publish the full report (001 §10)' })
  publishReport(@Arg('input') { evaluationId, url }: PublishReportInput, @Ctx() ctx: Context) {
    return service.act(ctx, evaluationId, m.publishReportUpdate, { url: url ?? undefined });
  }

  @Mutation(() => EvaluationType, { description: '备案: file with the upper-level safety office (001 §10)' })
  fileReport(@Arg('input') { evaluationId, filedWith, reference }: FileReportInput, @Ctx() ctx: Context) {
    return service.act(ctx, evaluationId, m.fileReportUpdate, { filedWith: filedWith ?? undefined, reference });
  }

  @Mutation(() => EvaluationType)
  recordReferralOutcome(@Arg('input') { evaluationId, ...input }: RecordReferralOutcomeInput, @Ctx() ctx: Context) {
    return service.act(ctx, evaluationId, m.recordReferralOutcomeUpdate, input);
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
