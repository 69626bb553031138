import type { Ref } from '@mikro-orm/core';
import { Check, Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

// The working-day calendar an office loads (domain/working-days.ts): one State Council notice (国务院办公厅关于
// 某年部分节假日安排的通知) per year. A year loaded here wins over the `chinese-days` library's data for that year.

/** One year's notice, loaded (or replaced) as a whole. */
@Entity({ tableName: 'working_calendar_year' })
export class WorkingCalendarYearRow {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  year!: number;

  /** The notice it comes from, e.g. 国办发明电〔2025〕7号. */
  @Property({ type: 'text' })
  notice!: string;

  @Property({ type: 'datetime' })
  loadedAt!: Date;

  /** The user who loaded it (app_user id); the audit trail has the name and role. */
  @Property({ type: 'text' })
  loadedBy!: string;
}

export const CALENDAR_DAY_KINDS = ['HOLIDAY', 'WORKDAY'] as const;
export type CalendarDayKind = (typeof CALENDAR_DAY_KINDS)[number];

/** A day the notice moves: off (HOLIDAY, 放假) or worked on a weekend (WORKDAY, 调休上班). */
@Entity({ tableName: 'working_calendar_day' })
@Check({ name: 'working_calendar_day_in_year_check', expression: 'extract(year from "date") = "year"' })
export class WorkingCalendarDayRow {
  /** China date. */
  @PrimaryKey({ type: 'date' })
  date!: string;

  /** Deleting a year (to load it again) deletes its days. */
  @ManyToOne(() => WorkingCalendarYearRow, { fieldName: 'year', ref: true, index: true, deleteRule: 'cascade', updateRule: 'cascade' })
  year!: Ref<WorkingCalendarYearRow>;

  @Property({ type: 'string', length: 8, check: `"kind" in ('HOLIDAY', 'WORKDAY')` })
  kind!: CalendarDayKind;

  /** The festival, e.g. 春节. */
  @Property({ type: 'text' })
  name!: string;
}

export const CALENDAR_ENTITIES: Function[] = [WorkingCalendarYearRow, WorkingCalendarDayRow];
