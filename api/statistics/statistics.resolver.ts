import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { readAs, viewOf } from '../access.js';
import type { Context } from '../context.js';
import { EvaluationType } from '../evaluation/evaluation.type.js';
import { StatisticsGroupEnum, StatisticsPeriodInput, type StatisticsGroup } from './statistics.inputs.js';
import * as statistics from './statistics.service.js';
import { AccidentStatisticsType, EvaluationStatisticsType, EvaluationToCirculateType } from './statistics.type.js';

const FOR_WHOM = 'For officials whose own grant covers the whole region (not upper offices, enterprises, administrators or the public)';

@Resolver(() => EvaluationToCirculateType)
export class StatisticsResolver {
  @Query(() => AccidentStatisticsType, {
    description:
      'Accidents located in a region: count, deaths, injuries and direct economic loss in a month, quarter or year, with ' +
      `the period before (环比) and the same period a year before (同比), by sector, level or the regions under it. ${FOR_WHOM}`,
  })
  accidentStatistics(
    @Arg('regionCode', { description: '行政区划代码 of the region' }) regionCode: string,
    @Arg('period', () => StatisticsPeriodInput) period: StatisticsPeriodInput,
    @Arg('groupBy', () => StatisticsGroupEnum, { defaultValue: 'SECTOR' }) groupBy: StatisticsGroup,
    @Ctx() ctx: Context,
  ): Promise<AccidentStatisticsType> {
    return statistics.accidentStatistics(ctx, { regionCode, period, groupBy });
  }

  @Query(() => EvaluationStatisticsType, {
    description:
      'Evaluations whose deadline (closure + 12 months) falls in a year, per organising government within a region: due, published on ' +
      `time, late, unpublished; the on-time and publication rates (004 item 3). ${FOR_WHOM}`,
  })
  evaluationStatistics(
    @Arg('regionCode') regionCode: string,
    @Arg('year', () => Int) year: number,
    @Arg('asOf', () => Date, { nullable: true, description: 'Count as at this instant; defaults to now' }) asOf: Date | undefined,
    @Ctx() ctx: Context,
  ): Promise<EvaluationStatisticsType> {
    return statistics.evaluationStatistics(ctx, { regionCode, year, asOf });
  }

  @Query(() => [EvaluationToCirculateType], {
    description:
      'Evaluations organised within a region that were past their deadline and not published at asOf, most overdue first: the list to ' +
      `circulate (004 item 3: 超期没有开展和公开的要进行通报). ${FOR_WHOM}`,
  })
  async evaluationsToCirculate(
    @Arg('regionCode') regionCode: string,
    @Arg('first', () => Int, { description: '0 to 200' }) first: number,
    @Arg('asOf', () => Date, { nullable: true, description: 'As at this instant; defaults to now' }) asOf: Date | undefined,
    @Ctx() ctx: Context,
  ): Promise<statistics.CirculatedRow[]> {
    const rows = await statistics.evaluationsToCirculate(ctx, { regionCode, asOf, first });
    // Every case organised within the region is located in it, so the caller sees each; checked one by one all the same.
    const views = await Promise.all(rows.map((row) => viewOf(ctx, row.accidentId)));
    return rows.flatMap((row, i) => (views[i] ? [readAs(ctx, views[i], row)] : []));
  }

  @FieldResolver(() => EvaluationType, { description: 'The evaluation itself, as the caller sees it' })
  evaluation(@Root() row: statistics.CirculatedRow, @Ctx() ctx: Context) {
    return ctx.loaders.evaluation.load(row.evaluationId);
  }
}
