import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { CalendarSource } from '../../activities/calendar.js';

// The working-day calendar is public reference data (domain/access.ts REFERENCE_TYPES): the State Council's notice.

const CALENDAR_SOURCES = { LOADED: 'LOADED', LIBRARY: 'LIBRARY', NONE: 'NONE' } as const satisfies Record<CalendarSource, CalendarSource>;
registerEnumType(CALENDAR_SOURCES, {
  name: 'WorkingCalendarSource',
  description:
    'LOADED: an office loaded the State Council notice (loadWorkingCalendar); LIBRARY: the maintained chinese-days data; ' +
    'NONE: neither has the year, so only weekends are days off and deadlines in it are provisional',
});

@ObjectType('WorkingCalendarDay', { description: 'A day the notice moves: a day off (放假) or a weekend worked in lieu (调休上班)' })
export class WorkingCalendarDayType {
  @Field({ description: 'China date, YYYY-MM-DD' }) date!: string;
  @Field({ description: 'The festival, e.g. 春节' }) name!: string;
}

@ObjectType('WorkingCalendarYear', { description: 'One year of the working-day calendar deadlines are counted in' })
export class WorkingCalendarYearType {
  @Field(() => Int) year!: number;
  @Field(() => CALENDAR_SOURCES) source!: CalendarSource;
  @Field({ description: 'True when no source has the year: deadlines falling in it are provisional until its notice is loaded' })
  provisional!: boolean;

  @Field(() => String, { nullable: true, description: 'The notice it was loaded from (LOADED), e.g. 国办发明电〔2025〕7号' }) notice?: string | null;
  @Field(() => Date, { nullable: true, description: 'When it was loaded (LOADED)' }) loadedAt?: Date | null;
  @Field(() => [WorkingCalendarDayType], { description: 'Days off, in date order, weekends inside a holiday included' }) holidays!: WorkingCalendarDayType[];
  @Field(() => [WorkingCalendarDayType], { description: 'Weekend days that are working days (调休上班), in date order' }) workdays!: WorkingCalendarDayType[];
}

@ObjectType('WorkingCalendarLoad', { description: 'A notice loaded, and how many running campaigns were told to recompute their deadlines' })
export class WorkingCalendarLoadType {
  @Field(() => WorkingCalendarYearType) calendar!: WorkingCalendarYearType;
  @Field({ description: 'False when the year already held exactly this notice: nothing was written, campaigns were told again' }) changed!: boolean;
  @Field(() => Int, { description: 'Running campaigns told by signal; each recomputes its open deadlines' }) campaignsNotified!: number;
}
