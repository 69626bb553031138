import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { CirculationReason, PeriodKind } from '../../domain/statistics.js';
import { RegionType } from '../case/case.type.js';
import { CirculationReasonEnum, PeriodKindEnum, StatisticsGroupEnum, type StatisticsGroup } from './statistics.inputs.js';

// Aggregates only: no type here names a case, except EvaluationToCirculate, which is one (domain/access.ts
// CASE_FIELDS). Who may read them at all is READ_STATISTICS (domain/access.ts).

@ObjectType('StatisticsPeriod', { description: 'A reporting period: China calendar days, first and last inclusive' })
export class StatisticsPeriodType {
  @Field(() => PeriodKindEnum) kind!: PeriodKind;
  @Field(() => Int) year!: number;
  @Field(() => Int, { description: 'Month 1-12, quarter 1-4, or 1 for a year' }) number!: number;
  @Field({ description: 'First day, YYYY-MM-DD' }) startsOn!: string;
  @Field({ description: 'Last day, YYYY-MM-DD' }) endsOn!: string;
}

@ObjectType('AccidentFigures', { description: 'Accidents of one period: 起数, 死亡人数, 受伤人数, 直接经济损失' })
export class AccidentFiguresType {
  @Field(() => Int) count!: number;
  @Field(() => Int) deaths!: number;
  @Field(() => Int) injuries!: number;
  @Field({ description: 'Direct economic loss in yuan, exact decimal' }) directLossYuan!: string;
}

@ObjectType('CountChange', { description: 'How a count moved against a base period' })
export class CountChangeType {
  @Field(() => Int, { description: 'current − base' }) difference!: number;
  @Field(() => Float, { nullable: true, description: '(current − base) / base, four decimals (−0.25 is down 25%); null when the base is 0' })
  ratio!: number | null;
}

@ObjectType('AmountChange', { description: 'How an amount of yuan moved against a base period' })
export class AmountChangeType {
  @Field({ description: 'current − base, yuan, exact decimal' }) difference!: string;
  @Field(() => Float, { nullable: true, description: '(current − base) / base, four decimals; null when the base is 0' }) ratio!: number | null;
}

@ObjectType('AccidentChange', { description: 'Each figure\'s change against a base period' })
export class AccidentChangeType {
  @Field(() => CountChangeType) count!: CountChangeType;
  @Field(() => CountChangeType) deaths!: CountChangeType;
  @Field(() => CountChangeType) injuries!: CountChangeType;
  @Field(() => AmountChangeType) directLossYuan!: AmountChangeType;
}

@ObjectType('AccidentStatisticsRow', { description: 'One sector, level or region (or the total): its figures in three periods and the changes' })
export class AccidentStatisticsRowType {
  @Field({ description: 'The sector or level (as its enum value), the region\'s code, or TOTAL' }) key!: string;
  @Field(() => RegionType, { nullable: true, description: 'groupBy REGION: the region the row counts (the asked region itself for accidents located at its own level)' })
  region!: RegionType | null;

  @Field(() => AccidentFiguresType) current!: AccidentFiguresType;
  @Field(() => AccidentFiguresType) previousPeriod!: AccidentFiguresType;
  @Field(() => AccidentFiguresType) samePeriodLastYear!: AccidentFiguresType;
  @Field(() => AccidentChangeType, { description: '环比: against the previous period' }) periodOnPeriod!: AccidentChangeType;
  @Field(() => AccidentChangeType, { description: '同比: against the same period of the year before' }) yearOnYear!: AccidentChangeType;
}

@ObjectType('AccidentStatistics', {
  description: 'Accidents located in a region, by when they occurred (002 §5(四), 004 items 5-8): rows for every key with an accident in any of the three periods',
})
export class AccidentStatisticsType {
  @Field(() => RegionType) region!: RegionType;
  @Field(() => StatisticsGroupEnum) groupBy!: StatisticsGroup;
  @Field(() => StatisticsPeriodType) period!: StatisticsPeriodType;
  @Field(() => StatisticsPeriodType) previousPeriod!: StatisticsPeriodType;
  @Field(() => StatisticsPeriodType) samePeriodLastYear!: StatisticsPeriodType;
  @Field(() => [AccidentStatisticsRowType], { description: 'Ordered by the current period\'s deaths, then count, then key' }) rows!: AccidentStatisticsRowType[];
  @Field(() => AccidentStatisticsRowType) total!: AccidentStatisticsRowType;
}

@ObjectType('EvaluationFigures', {
  description:
    'Evaluations of one organising government whose deadline (closure + 12 months, 001 §3) falls in the year: how many were published on time (004 item 3, 001 §10)',
})
export class EvaluationFiguresType {
  @Field(() => RegionType, { nullable: true, description: 'The organising government; null on the total' }) region!: RegionType | null;
  @Field(() => Int, { description: 'Deadline in the year and passed by asOf' }) due!: number;
  @Field(() => Int, { description: 'Of those due, published by the deadline' }) publishedOnTime!: number;
  @Field(() => Int, { description: 'Of those due, published after the deadline but by asOf' }) publishedLate!: number;
  @Field(() => Int, { description: 'Of those due, not published by asOf: to be circulated (evaluationsToCirculate)' }) unpublished!: number;
  @Field(() => Int, { description: 'Deadline in the year but after asOf (not counted in the rates)' }) notYetDue!: number;
  @Field(() => Float, { nullable: true, description: '及时率: publishedOnTime / due, four decimals; null when none is due' }) onTimeRate!: number | null;
  @Field(() => Float, { nullable: true, description: '公开率: (publishedOnTime + publishedLate) / due; null when none is due' }) publicationRate!: number | null;
}

@ObjectType('EvaluationStatistics', { description: 'Evaluation timeliness per organising government within a region, for one year' })
export class EvaluationStatisticsType {
  @Field(() => RegionType) region!: RegionType;
  @Field(() => Int) year!: number;
  @Field({ description: 'The instant figures are counted at' }) asOf!: Date;
  @Field(() => [EvaluationFiguresType], { description: 'One per organising government with an evaluation due in the year, by region code' }) regions!: EvaluationFiguresType[];
  @Field(() => EvaluationFiguresType) total!: EvaluationFiguresType;
}

@ObjectType('EvaluationToCirculate', { description: 'An evaluation past its deadline and not published by asOf: to be circulated (004 item 3)' })
export class EvaluationToCirculateType {
  @Field(() => ID) evaluationId!: string;
  @Field(() => RegionType, { nullable: true }) organiserRegion!: RegionType | null;
  @Field() dueAt!: Date;
  @Field(() => Int, { description: 'Whole days since the deadline' }) daysOverdue!: number;
  @Field(() => CirculationReasonEnum) reason!: CirculationReason;
}
