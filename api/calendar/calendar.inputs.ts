import { Field, InputType, Int } from 'type-graphql';
import { MAX_CALENDAR_DAYS, MAX_DAY_NAME } from '../../domain/working-days.js';

// Shapes only: the rules (dates in the year, weekends, duplicates) are domain/working-days.ts calendarYearProblems.

@InputType('WorkingCalendarDayInput')
export class WorkingCalendarDayInput {
  @Field({ description: 'China date, YYYY-MM-DD, inside the notice\'s year' }) date!: string;
  @Field({ description: `The festival, e.g. 春节; at most ${MAX_DAY_NAME} characters` }) name!: string;
}

@InputType('LoadWorkingCalendarInput', { description: 'One year\'s State Council notice on public holidays (国务院办公厅关于某年部分节假日安排的通知)' })
export class LoadWorkingCalendarInput {
  @Field(() => Int) year!: number;
  @Field({ description: 'The notice, e.g. 国办发明电〔2025〕7号' }) notice!: string;
  @Field(() => [WorkingCalendarDayInput], { description: `Every day off, weekends inside a holiday included; 1 to ${MAX_CALENDAR_DAYS}` })
  holidays!: WorkingCalendarDayInput[];

  @Field(() => [WorkingCalendarDayInput], { defaultValue: [], description: `Weekend days worked in lieu (调休上班); at most ${MAX_CALENDAR_DAYS}` })
  workdays!: WorkingCalendarDayInput[];
}
