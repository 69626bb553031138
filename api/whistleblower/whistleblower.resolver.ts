import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { allowWhistleblower } from '../../domain/access.js';
import { canWhistleblowerTransition, type WhistleblowerAction, type WhistleblowerState } from '../../domain/hazard.js';
import { DepartmentType, RegionType } from '../case/case.type.js';
import { IdempotencyKey } from '../common/idempotency.js';
import type { Context } from '../context.js';
import { AuditEntryType } from '../evaluation/evaluation.type.js';
import {
  DispatchWhistleblowerReportInput,
  RecordWhistleblowerRewardInput,
  RecordWhistleblowerVerificationInput,
  SubmitWhistleblowerReportInput,
  WhistleblowerReportIdInput,
} from './whistleblower.inputs.js';
import * as service from './whistleblower.service.js';
import type { ReportRow } from './whistleblower.service.js';
import {
  WhistleblowerDispatchType,
  WhistleblowerReceiptType,
  WhistleblowerReportConnectionType,
  WhistleblowerReporterType,
  WhistleblowerReportStatusType,
  WhistleblowerReportType,
  WhistleblowerRewardType,
  WhistleblowerVerificationType,
} from './whistleblower.type.js';

const ACTIONS: WhistleblowerAction['type'][] = ['DISPATCH_REPORT', 'RECORD_VERIFICATION', 'RECORD_REWARD', 'CLOSE_REPORT'];

type DispatchObject = WhistleblowerDispatchType & { $departmentId: string };

@Resolver(() => WhistleblowerReportType)
export class WhistleblowerReportResolver {
  @Mutation(() => WhistleblowerReceiptType, {
    description:
      '举报: anyone, without an account. The answer\'s receipt code is shown this once: keep it to read the status (whistleblowerReportStatus). ' +
      'Each client address may submit a few reports an hour (RATE_LIMITED beyond, with retryAfterSeconds).',
  })
  submitWhistleblowerReport(@Arg('input', () => SubmitWhistleblowerReportInput) input: SubmitWhistleblowerReportInput, @Ctx() ctx: Context & { budgetKey?: string }) {
    return service.submitWhistleblowerReport(ctx, input, ctx.budgetKey ?? `user:${ctx.principal.id}`);
  }

  @Query(() => WhistleblowerReportStatusType, { description: 'The status a receipt shows: the stage, the dates of its steps and the outcome. A wrong receipt is NOT_FOUND' })
  whistleblowerReportStatus(@Arg('receipt') receipt: string, @Ctx() ctx: Context) {
    return service.whistleblowerReportStatusOf(ctx, receipt);
  }

  @Query(() => WhistleblowerReportType, { nullable: true, description: 'A report the caller handles or was sent; null otherwise' })
  async whistleblowerReport(@Arg('id', () => String) id: string, @Ctx() ctx: Context) {
    const view = await service.reportView(ctx, id);
    return view ? service.visibleReport(ctx, view.row) : null;
  }

  @Query(() => WhistleblowerReportConnectionType, { description: 'Reports the caller handles (the handling office, offices above it) or was sent (the department), newest first' })
  whistleblowerReports(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('first', () => Int, { description: 'How many, 0 to 200' }) first = 0,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return service.listReports(ctx, info, first, after ?? undefined);
  }

  @FieldResolver(() => RegionType, { description: 'Where the hazard reported is' })
  region(@Root() r: ReportRow, @Ctx() ctx: Context) {
    return ctx.loaders.regionOf(r.region.id);
  }

  @FieldResolver(() => WhistleblowerReporterType, { nullable: true, description: 'The reporter, when they gave their name: only the handling office' })
  reporter(@Root() r: ReportRow): WhistleblowerReporterType | null {
    return r.reporter ? { name: r.reporter.name, contact: r.reporter.contact } : null;
  }

  @FieldResolver(() => WhistleblowerDispatchType, { nullable: true })
  dispatch(@Root() r: ReportRow): DispatchObject | null {
    const d = r.dispatch;
    return d ? { departmentName: d.departmentName, at: new Date(d.at), by: d.by, $departmentId: d.departmentId } : null;
  }

  @FieldResolver(() => WhistleblowerVerificationType, { nullable: true })
  verification(@Root() r: ReportRow): WhistleblowerVerificationType | null {
    const v = r.verification;
    return v ? { outcome: v.outcome, findings: v.findings, at: new Date(v.at), by: v.by, hazardId: v.hazardId ?? null } : null;
  }

  @FieldResolver(() => WhistleblowerRewardType, { nullable: true })
  reward(@Root() r: ReportRow): WhistleblowerRewardType | null {
    const w = r.reward;
    return w ? { amountYuan: w.amountYuan, note: w.note, at: new Date(w.at), by: w.by } : null;
  }

  @FieldResolver(() => [String], { description: 'The actions the caller may take on the report now' })
  allowedActions(@Root() r: ReportRow, @Ctx() ctx: Context): string[] {
    const state = { stage: r.stage, ...(r.reward ? { reward: r.reward } : {}), ...(r.verification ? { verification: r.verification } : {}) } as WhistleblowerState;
    const scope = service.scopeOfReport(r);
    return ACTIONS.filter((type) => canWhistleblowerTransition(state, type) && allowWhistleblower(ctx.principal, type, scope));
  }

  @FieldResolver(() => [AuditEntryType], { description: 'Every change to the report, with who made it (the handling office)' })
  async auditTrail(@Root() r: ReportRow, @Ctx() ctx: Context, @Arg('first', () => Int, { defaultValue: 200, description: 'How many, oldest first (0 to 200)' }) first: number) {
    return (await service.reportLoaders(ctx).auditTrail.load(r.id)).slice(0, Math.max(0, Math.min(first, 200)));
  }

  @Mutation(() => WhistleblowerReportType, { description: 'The handling office dispatches the report to the responsible department' })
  dispatchWhistleblowerReport(@Arg('input') input: DispatchWhistleblowerReportInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.dispatchReport(ctx, input, key);
  }

  @Mutation(() => WhistleblowerReportType, {
    description:
      'The verification (the department it was dispatched to, or the handling office): UNFOUNDED, or HAZARD / LISTED_SUPERVISION — the hazard is then entered in the ledger (source WHISTLEBLOWER) and linked',
  })
  recordWhistleblowerVerification(@Arg('input') input: RecordWhistleblowerVerificationInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.recordVerification(ctx, input, key);
  }

  @Mutation(() => WhistleblowerReportType, { description: '举报奖励: the handling office records the reward of a report found true' })
  recordWhistleblowerReward(@Arg('input') input: RecordWhistleblowerRewardInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.recordReward(ctx, input, key);
  }

  @Mutation(() => WhistleblowerReportType, { description: 'The handling office closes a verified report' })
  closeWhistleblowerReport(@Arg('input') { reportId }: WhistleblowerReportIdInput, @Ctx() ctx: Context, @IdempotencyKey() key?: string | null) {
    return service.closeReport(ctx, reportId, key);
  }
}

@Resolver(() => WhistleblowerDispatchType)
export class WhistleblowerDispatchResolver {
  @FieldResolver(() => DepartmentType, { nullable: true })
  department(@Root() d: DispatchObject, @Ctx() ctx: Context) {
    return ctx.loaders.department.load(d.$departmentId);
  }
}

export const WHISTLEBLOWER_RESOLVERS = [WhistleblowerReportResolver, WhistleblowerDispatchResolver] as const;
