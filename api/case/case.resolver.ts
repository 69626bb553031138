import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import { needsInvestigatingDepartments } from '../../domain/access.js';
import { isRecordId } from '../../domain/text.js';
import { ACCIDENT_COLUMNS, visibleCasesSql, visibleRows } from '../access.js';
import type { Context } from '../context.js';
import { EvaluationType } from '../evaluation/evaluation.type.js';
import { objectType, orLoad, readWithGraph, selectionOf } from '../graph.js';
import {
  accidentScope,
  READ_TABLES,
  selectFrom,
  toRows,
  type AccidentRow,
  type AccountabilityItemRow,
  type DepartmentRow,
  type EnterpriseRow,
  type EvaluationRow,
  type InvestigationReportRow,
  type InvestigationRow,
  type MeasureRow,
  type RegionRow,
  type ScopeFacts,
} from '../loaders.js';
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

// Roots are plain rows (api/loaders.ts), with what the client selected below them read along (api/graph.ts), or,
// after a mutation, entities: both have the fields and `{ id }` references read here.

/** Accidents with their access facts and the selected graph, in one statement; `where` over `t` (the accident) and `ev`. */
async function readAccidents(ctx: Context, info: GraphQLResolveInfo, where: { sql: string; params: unknown[] }, limit: number): Promise<AccidentRow[]> {
  const scope = accidentScope('t', 'ev', needsInvestigatingDepartments(ctx.principal));
  const raw = await readWithGraph(ctx.em, READ_TABLES.accident, objectType(info, 'Accident'), selectionOf(info), {
    // Newest first (index accident_occurred_at_id).
    sql: `${selectFrom(READ_TABLES.accident, scope.columns)} ${scope.joins} where ${where.sql} order by t.occurred_at desc, t.id asc limit ?`,
    params: [...where.params, limit],
    order: 'p."occurredAt" desc, p.id asc',
  });
  const scopes = await ctx.loaders.primeScopes(raw as unknown as ScopeFacts[]);
  // Not handed to the by-id loader: a row carries what this selection read ahead of it, not what another may want.
  return visibleRows(ctx, toRows<AccidentRow>(READ_TABLES.accident, raw), scopes);
}

@Resolver(() => AccidentType)
export class AccidentResolver {
  @Query(() => AccidentType, { nullable: true, description: 'One accident case with its whole graph' })
  async accident(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<AccidentRow | null> {
    // A case the caller may not see reads exactly like one that does not exist, and so does a malformed id.
    if (!isRecordId(id)) return null;
    const [row] = await readAccidents(ctx, info, { sql: 't.id = ?', params: [id] }, 1);
    return row ?? null;
  }

  @Query(() => [AccidentType], { description: 'Accident cases the caller may see, newest first' })
  accidents(
    @Arg('first', () => Int, { description: 'How many, 0 to 200' }) first: number,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<AccidentRow[]> {
    return readAccidents(ctx, info, visibleCasesSql(ctx.principal, ACCIDENT_COLUMNS), Math.min(Math.max(first, 0), 200));
  }

  @FieldResolver(() => RegionType)
  locationRegion(@Root() accident: AccidentRow, @Ctx() ctx: Context) {
    return ctx.loaders.regionOf(accident.locationRegion.id);
  }

  @FieldResolver(() => EnterpriseType)
  enterprise(@Root() accident: AccidentRow, @Ctx() ctx: Context) {
    return orLoad(accident, 'enterprise', async () => (await ctx.loaders.enterprise.load(accident.enterprise.id)) as EnterpriseRow);
  }

  @FieldResolver(() => InvestigationType, { nullable: true })
  investigation(@Root() accident: AccidentRow, @Ctx() ctx: Context) {
    return orLoad(accident, 'investigation', () => ctx.loaders.investigationByAccident.load(accident.id));
  }

  // The evaluation is read under the accident's view (the same case): the field table decides what of it shows.
  @FieldResolver(() => EvaluationType, { nullable: true, description: 'The rectification evaluation, once the case is closed' })
  evaluation(@Root() accident: AccidentRow, @Ctx() ctx: Context) {
    return orLoad<EvaluationRow | null>(accident, 'evaluation', () => ctx.loaders.evaluation.load(accident.id));
  }
}

@Resolver(() => InvestigationType)
export class InvestigationResolver {
  @FieldResolver(() => DepartmentType)
  leadDepartment(@Root() investigation: InvestigationRow, @Ctx() ctx: Context) {
    return orLoad(investigation, 'leadDepartment', async () => (await ctx.loaders.department.load(investigation.leadDepartment.id)) as DepartmentRow);
  }

  @FieldResolver(() => [DepartmentType], { description: 'Departments that took part in the investigation' })
  departments(@Root() investigation: InvestigationRow, @Ctx() ctx: Context) {
    return orLoad(investigation, 'departments', () => ctx.loaders.departmentsByInvestigation.load(investigation.id));
  }

  @FieldResolver(() => RegionType, { nullable: true, description: 'A lower government named to evaluate (001 §4)' })
  delegatedEvaluationRegion(@Root() investigation: InvestigationRow, @Ctx() ctx: Context) {
    const ref = investigation.delegatedEvaluationRegion;
    return ref ? ctx.loaders.regionOf(ref.id) : null;
  }

  @FieldResolver(() => InvestigationReportType, { nullable: true })
  report(@Root() investigation: InvestigationRow, @Ctx() ctx: Context) {
    return orLoad(investigation, 'report', () => ctx.loaders.reportByInvestigation.load(investigation.id));
  }
}

@Resolver(() => InvestigationReportType)
export class InvestigationReportResolver {
  @FieldResolver(() => [MeasureType])
  measures(@Root() report: InvestigationReportRow, @Ctx() ctx: Context) {
    return orLoad<MeasureRow[]>(report, 'measures', () => ctx.loaders.measuresByReport.load(report.id));
  }

  @FieldResolver(() => [AccountabilityItemType])
  accountabilityItems(@Root() report: InvestigationReportRow, @Ctx() ctx: Context) {
    return orLoad<AccountabilityItemRow[]>(report, 'accountabilityItems', () => ctx.loaders.accountabilityByReport.load(report.id));
  }
}

@Resolver(() => RegionType)
export class RegionResolver {
  @Query(() => [RegionType], { description: 'The region tree, provinces first' })
  async regions(@Ctx() ctx: Context): Promise<RegionRow[]> {
    return [...(await ctx.loaders.regions()).byId.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }

  @FieldResolver(() => RegionType, { nullable: true })
  parent(@Root() region: RegionRow, @Ctx() ctx: Context) {
    return region.parent ? ctx.loaders.regionOf(region.parent.id) : null;
  }
}
