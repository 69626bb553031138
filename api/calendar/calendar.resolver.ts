import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { readCalendarYears, type CalendarYearDetail } from '../../activities/calendar.js';
import { badInput } from '../../domain/errors.js';
import type { Context } from '../context.js';
import { LoadWorkingCalendarInput } from './calendar.inputs.js';
import * as calendar from './calendar.service.js';
import { WorkingCalendarLoadType, WorkingCalendarYearType } from './calendar.type.js';

function shown(detail: CalendarYearDetail): WorkingCalendarYearType {
  return { ...detail, provisional: detail.source === 'NONE' };
}

@Resolver(() => WorkingCalendarYearType)
export class CalendarResolver {
  @Query(() => WorkingCalendarYearType, {
    description: 'A year of the working-day calendar: its days off and make-up working days, and where they come from. Public',
  })
  async workingCalendar(@Arg('year', () => Int) year: number, @Ctx() ctx: Context): Promise<WorkingCalendarYearType> {
    if (year < 1900 || year > 2200) throw badInput('year', 'must be a year from 1900 to 2200');
    const [detail] = await readCalendarYears(ctx.em, [year]);
    return shown(detail!);
  }

  @Mutation(() => WorkingCalendarLoadType, {
    description:
      'Loads (or replaces) one year of the working-day calendar from the State Council\'s notice, for an administrator or ' +
      'safety office of a province. The loaded year wins over the library\'s data; every running campaign is told and ' +
      'recomputes its open deadlines. Loading the same notice again changes nothing and tells the campaigns again.',
  })
  async loadWorkingCalendar(@Arg('input', () => LoadWorkingCalendarInput) input: LoadWorkingCalendarInput, @Ctx() ctx: Context): Promise<WorkingCalendarLoadType> {
    const load = await calendar.loadWorkingCalendar(ctx.em, ctx.temporal, ctx.principal, input);
    return { calendar: shown(load.year), changed: load.changed, campaignsNotified: load.campaignsNotified };
  }
}
