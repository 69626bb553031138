import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { isRecordId } from '../../domain/text.js';
import type { Accident, Investigation, InvestigationReport, Region } from '../../schema/entities/index.js';
import { Accident as AccidentEntity, Region as RegionEntity } from '../../schema/entities/index.js';
import { readAs, viewOf, visibleCasesFilter, visibleEvaluation } from '../access.js';
import type { Context } from '../context.js';
import { EvaluationType } from '../evaluation/evaluation.type.js';
import {
  AccidentType,
  AccountabilityItemType,
  DepartmentType,
  EnterpriseType,
  InvestigationReportType,
  InvestigationType,
  MeasureType,
  RegionType,
} from './case.type.js';

@Resolver(() => AccidentType)
export class AccidentResolver {
  @Query(() => AccidentType, { nullable: true, description: 'One accident case with its whole graph' })
  async accident(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Accident | null> {
    // A case the caller may not see reads exactly like one that does not exist, and so does a malformed id.
    const view = isRecordId(id) ? await viewOf(ctx, id) : null;
    return view ? readAs(ctx, view, await ctx.loaders.accident.load(id)) : null;
  }

  @Query(() => [AccidentType], { description: 'Accident cases the caller may see, newest first' })
  async accidents(@Arg('first', () => Int, { description: 'How many, 0 to 200' }) first: number, @Ctx() ctx: Context): Promise<Accident[]> {
    const rows = await ctx.em.find(AccidentEntity, visibleCasesFilter(ctx.principal, 'accident'), {
      orderBy: { occurredAt: 'desc', id: 'asc' },
      limit: Math.min(Math.max(first, 0), 200),
    });
    ctx.loaders.prime(AccidentEntity, rows);
    const views = await Promise.all(rows.map((r) => viewOf(ctx, r.id)));
    return rows.filter((_, i) => views[i]);
  }

  @FieldResolver(() => RegionType)
  async locationRegion(@Root() accident: Accident, @Ctx() ctx: Context): Promise<Region> {
    return (await ctx.loaders.region.load(accident.locationRegion.id))!;
  }

  @FieldResolver(() => EnterpriseType)
  async enterprise(@Root() accident: Accident, @Ctx() ctx: Context) {
    return (await ctx.loaders.enterprise.load(accident.enterprise.id))!;
  }

  @FieldResolver(() => InvestigationType, { nullable: true })
  investigation(@Root() accident: Accident, @Ctx() ctx: Context) {
    return ctx.loaders.investigationByAccident.load(accident.id);
  }

  @FieldResolver(() => EvaluationType, { nullable: true, description: 'The rectification evaluation, once the case is closed' })
  async evaluation(@Root() accident: Accident, @Ctx() ctx: Context) {
    return visibleEvaluation(ctx, await ctx.loaders.evaluation.load(accident.id));
  }
}

@Resolver(() => InvestigationType)
export class InvestigationResolver {
  @FieldResolver(() => DepartmentType)
  async leadDepartment(@Root() investigation: Investigation, @Ctx() ctx: Context) {
    return (await ctx.loaders.department.load(investigation.leadDepartment.id))!;
  }

  @FieldResolver(() => [DepartmentType], { description: 'Departments that took part in the investigation' })
  departments(@Root() investigation: Investigation, @Ctx() ctx: Context) {
    return ctx.loaders.departmentsByInvestigation.load(investigation.id);
  }

  @FieldResolver(() => RegionType, { nullable: true, description: 'A lower government named to evaluate (001 §4)' })
  delegatedEvaluationRegion(@Root() investigation: Investigation, @Ctx() ctx: Context) {
    const ref = investigation.delegatedEvaluationRegion;
    return ref ? ctx.loaders.region.load(ref.id) : null;
  }

  @FieldResolver(() => InvestigationReportType, { nullable: true })
  report(@Root() investigation: Investigation, @Ctx() ctx: Context) {
    return ctx.loaders.reportByInvestigation.load(investigation.id);
  }
}

@Resolver(() => InvestigationReportType)
export class InvestigationReportResolver {
  @FieldResolver(() => [MeasureType])
  measures(@Root() report: InvestigationReport, @Ctx() ctx: Context) {
    return ctx.loaders.measuresByReport.load(report.id);
  }

  @FieldResolver(() => [AccountabilityItemType])
  accountabilityItems(@Root() report: InvestigationReport, @Ctx() ctx: Context) {
    return ctx.loaders.accountabilityByReport.load(report.id);
  }
}

@Resolver(() => RegionType)
export class RegionResolver {
  @Query(() => [RegionType], { description: 'The region tree, provinces first' })
  regions(@Ctx() ctx: Context): Promise<Region[]> {
    return ctx.em.find(RegionEntity, {}, { orderBy: { code: 'asc' } });
  }

  @FieldResolver(() => RegionType, { nullable: true })
  parent(@Root() region: Region, @Ctx() ctx: Context) {
    return region.parent ? ctx.loaders.region.load(region.parent.id) : null;
  }
}
