import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE } from './Migration20261202010000_app_role.js';

const TABLES = ['campaign', 'campaign_sector', 'campaign_town', 'campaign_report', 'campaign_grade', 'campaign_extension', 'campaign_look_back'];

/**
 * The read model of campaign evaluations (schema/entities/campaign.ts), written by activities/campaigns.ts. A
 * town's, a sector's and a look-back's row is written by two workflows, each guarded by its own revision column.
 * The application role's grants are given explicitly, not only through the default privileges of `app_role`
 * (those cover only tables created by the role that set them).
 */
export class Migration20261202040000_campaigns extends Migration {

  override name = 'Migration20261202040000_campaigns';

  override up(): void | Promise<void> {
    this.addSql(`create table "campaign" ("id" uuid not null, "workflow_id" text not null, "name" text not null, "kind" varchar(16) not null, "starts_on" date not null, "ends_on" date not null, "year" int not null, "district_region_id" uuid not null, "district_code" varchar(12) not null, "stage" varchar(32) not null, "full_path" boolean not null default true, "revision" int not null default 0, "overdue" boolean not null default false, "overdue_clocks" text[] not null, "deadlines" jsonb not null, "next_due_at" timestamptz null, "preparation" jsonb null, "assessment" jsonb null, "inspections" jsonb not null, "dimensions" text[] not null, "profile_id" text not null, "profile_version" text not null, "registered_at" timestamptz not null default now(), "closed_at" timestamptz null, "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "campaign" add constraint "campaign_workflow_id_unique" unique ("workflow_id");`);
    // One campaign of a name per district: the registration's own check, made watertight.
    this.addSql(`alter table "campaign" add constraint "campaign_district_region_id_name_unique" unique ("district_region_id", "name");`);
    this.addSql(`create index "campaign_district_region_id_index" on "campaign" ("district_region_id");`);
    this.addSql(`create index "campaign_overdue_index" on "campaign" ("overdue");`);
    this.addSql(`create index "campaign_year_index" on "campaign" ("year");`);
    this.addSql(`create index "campaign_stage_index" on "campaign" ("stage");`);
    // `campaigns`: soonest open deadline first (none open: last), then id.
    this.addSql(`create index "campaign_next_due_at_id_index" on "campaign" ("next_due_at", "id");`);

    this.addSql(`create table "campaign_sector" ("campaign_id" uuid not null, "sector" varchar(32) not null, "lead_department_id" uuid not null, "town_codes" text[] not null, "workflow_id" text not null, "submitted_at" timestamptz null, "approved_at" timestamptz null, "overdue" boolean not null default false, "revision" int not null default 0, "review_stage" varchar(32) not null default 'REVIEWING', "methods" jsonb not null, "overall_report" text null, "town_grades" jsonb null, "submitted_by" text null, "approved_by" text null, "returns" jsonb not null, "review_revision" int not null default 0, primary key ("campaign_id", "sector"));`);
    this.addSql(`create index "campaign_sector_lead_department_id_index" on "campaign_sector" ("lead_department_id");`);

    this.addSql(`create table "campaign_town" ("campaign_id" uuid not null, "town_code" varchar(12) not null, "town_region_id" uuid not null, "sectors" text[] not null, "workflow_id" text not null, "submitted_at" timestamptz null, "approved_at" timestamptz null, "overdue" boolean not null default false, "plan" jsonb null, "revision" int not null default 0, "self_stage" varchar(32) not null default 'DRAFTING', "report" text null, "target_tasks" jsonb null, "hazard_rectifications" jsonb null, "typical_practices" jsonb null, "submitted_by" text null, "approved_by" text null, "returns" jsonb not null, "self_revision" int not null default 0, primary key ("campaign_id", "town_code"));`);
    this.addSql(`create index "campaign_town_town_region_id_index" on "campaign_town" ("town_region_id");`);

    this.addSql(`create table "campaign_report" ("id" text not null, "campaign_id" uuid not null, "stage" varchar(16) not null, "sector" varchar(32) null, "kind" varchar(8) not null, "unit" text null, "text" text not null, "submitted_at" timestamptz not null, "approved_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "campaign_report_campaign_id_stage_sector_index" on "campaign_report" ("campaign_id", "stage", "sector");`);

    this.addSql(`create table "campaign_grade" ("id" text not null, "campaign_id" uuid not null, "year" int not null, "unit_kind" varchar(8) not null, "unit" text not null, "town_region_id" uuid null, "sector" varchar(32) not null, "grade" varchar(16) not null, "priority" boolean not null, "veto" boolean not null, "graded_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "campaign_grade_town_region_id_index" on "campaign_grade" ("town_region_id");`);
    this.addSql(`create index "campaign_grade_unit_index" on "campaign_grade" ("unit");`);
    this.addSql(`create index "campaign_grade_year_grade_index" on "campaign_grade" ("year", "grade");`);
    this.addSql(`alter table "campaign_grade" add constraint "campaign_grade_campaign_id_unit_kind_unit_sector_unique" unique ("campaign_id", "unit_kind", "unit", "sector");`);

    this.addSql(`create table "campaign_extension" ("campaign_id" uuid not null, "id" varchar(16) not null, "clock" varchar(32) not null, "requested_at" timestamptz not null, "requested_by" text not null, "requesting_unit" text not null, "explanation" text not null, "until_on" date not null, "decided_at" timestamptz null, "decided_by" text null, "approved" boolean null, "reason" text null, primary key ("campaign_id", "id"));`);

    this.addSql(`create table "campaign_look_back" ("campaign_id" uuid not null, "id" varchar(16) not null, "workflow_id" text not null, "town_code" varchar(12) not null, "sector" varchar(32) not null, "reason" varchar(32) not null, "scheduled_on" date not null, "scheduled_by" text not null, "stage" varchar(16) not null default 'SCHEDULED', "due_since" timestamptz null, "findings" text null, "resolved" boolean null, "recorded_at" timestamptz null, "revision" int not null default 0, primary key ("campaign_id", "id"));`);
    this.addSql(`alter table "campaign_look_back" add constraint "campaign_look_back_workflow_id_unique" unique ("workflow_id");`);

    this.addSql(`alter table "campaign" add constraint "campaign_district_region_id_foreign" foreign key ("district_region_id") references "region" ("id");`);
    this.addSql(`alter table "campaign_sector" add constraint "campaign_sector_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on delete cascade;`);
    this.addSql(`alter table "campaign_sector" add constraint "campaign_sector_lead_department_id_foreign" foreign key ("lead_department_id") references "department" ("id");`);
    this.addSql(`alter table "campaign_town" add constraint "campaign_town_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on delete cascade;`);
    this.addSql(`alter table "campaign_town" add constraint "campaign_town_town_region_id_foreign" foreign key ("town_region_id") references "region" ("id");`);
    this.addSql(`alter table "campaign_report" add constraint "campaign_report_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on delete cascade;`);
    this.addSql(`alter table "campaign_grade" add constraint "campaign_grade_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on delete cascade;`);
    this.addSql(`alter table "campaign_grade" add constraint "campaign_grade_town_region_id_foreign" foreign key ("town_region_id") references "region" ("id") on delete set null;`);
    this.addSql(`alter table "campaign_extension" add constraint "campaign_extension_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on delete cascade;`);
    this.addSql(`alter table "campaign_look_back" add constraint "campaign_look_back_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on delete cascade;`);

    for (const table of TABLES) this.addSql(`grant select, insert, update, delete on "${table}" to ${APP_ROLE};`);
  }

  override down(): void | Promise<void> {
    for (const table of [...TABLES].reverse()) this.addSql(`drop table if exists "${table}" cascade;`);
  }

}
