import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE } from './Migration20261202010000_app_role.js';

/**
 * The working-day calendar offices load from the State Council's yearly notice (schema/entities/calendar.ts).
 * A day belongs to its year: deleting a year (to load it again) deletes its days.
 */
export class Migration20261202040100_working_calendar extends Migration {

  override name = 'Migration20261202040100_working_calendar';

  override up(): void | Promise<void> {
    this.addSql(`create table "working_calendar_year" ("year" int not null, "notice" text not null, "loaded_at" timestamptz not null, "loaded_by" text not null, primary key ("year"));`);
    this.addSql(`create table "working_calendar_day" ("date" date not null, "year" int not null, "kind" varchar(8) not null, "name" text not null, primary key ("date"));`);
    this.addSql(`create index "working_calendar_day_year_index" on "working_calendar_day" ("year");`);
    this.addSql(`alter table "working_calendar_day" add constraint "working_calendar_day_year_foreign" foreign key ("year") references "working_calendar_year" ("year") on update cascade on delete cascade;`);
    this.addSql(`alter table "working_calendar_day" add constraint "working_calendar_day_kind_check" check ("kind" in ('HOLIDAY', 'WORKDAY'));`);
    this.addSql(`alter table "working_calendar_day" add constraint "working_calendar_day_in_year_check" check (extract(year from "date") = "year");`);
    this.addSql(`grant select, insert, update, delete on "working_calendar_year", "working_calendar_day" to ${APP_ROLE};`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "working_calendar_day" cascade;`);
    this.addSql(`drop table if exists "working_calendar_year" cascade;`);
  }

}
