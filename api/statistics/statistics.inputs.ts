import { Field, InputType, Int, registerEnumType } from 'type-graphql';
import { CIRCULATION_REASONS, PERIOD_KINDS, type CirculationReason, type PeriodKind } from '../../domain/statistics.js';

const enumOf = <const T extends readonly string[]>(values: T): { [K in T[number]]: K } => Object.fromEntries(values.map((v) => [v, v])) as { [K in T[number]]: K };

export const PeriodKindEnum = enumOf(PERIOD_KINDS);
registerEnumType(PeriodKindEnum, { name: 'PeriodKind', description: '月 MONTH, 季度 QUARTER, 年 YEAR (China calendar)' });

export const STATISTICS_GROUPS = ['SECTOR', 'LEVEL', 'REGION'] as const;
export type StatisticsGroup = (typeof STATISTICS_GROUPS)[number];
export const StatisticsGroupEnum = enumOf(STATISTICS_GROUPS);
registerEnumType(StatisticsGroupEnum, {
  name: 'StatisticsGroup',
  description: 'Rows by sector (003 §二), by accident level, or by the regions directly under the one asked for',
});

export const CirculationReasonEnum = enumOf(CIRCULATION_REASONS);
registerEnumType(CirculationReasonEnum, {
  name: 'CirculationReason',
  description: 'NOT_STARTED: no team formed by asOf; IN_PROGRESS: report not approved by asOf; NOT_PUBLISHED: approved, not published by asOf',
});
export type { CirculationReason };

@InputType('StatisticsPeriodInput', { description: 'A month (number 1-12), a quarter (1-4) or a year (number left out)' })
export class StatisticsPeriodInput {
  @Field(() => PeriodKindEnum) kind!: PeriodKind;
  @Field(() => Int) year!: number;
  @Field(() => Int, { nullable: true }) number?: number | null;
}
