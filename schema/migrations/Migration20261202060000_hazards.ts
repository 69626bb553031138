import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE } from './Migration20261202010000_app_role.js';

const TABLES = ['hazard', 'whistleblower_report', 'hazard_circular'];

/**
 * The read model of hazards, whistleblower reports and quarterly hazard circulars (schema/entities/hazard.ts),
 * written by activities/hazards.ts. The application role's grants are given explicitly, not only through the
 * default privileges of `app_role` (those cover only tables created by the role that set them).
 */
export class Migration20261202060000_hazards extends Migration {

  override name = 'Migration20261202060000_hazards';

  override up(): void | Promise<void> {
    this.addSql(`create table "hazard" ("id" uuid not null, "workflow_id" text not null, "enterprise_id" uuid not null, "sector" varchar(32) not null, "grade" varchar(16) not null, "source" varchar(16) not null, "region_id" uuid not null, "region_code" varchar(12) not null, "supervising_department_id" uuid not null, "judgement_basis" text not null, "description" text not null, "evidence" text not null, "reported_at" timestamptz not null, "reported_by" text not null, "origin" jsonb null, "origin_evaluation_id" uuid null, "origin_campaign_id" uuid null, "stage" varchar(16) not null default 'REPORTED', "revision" int not null default 0, "plan" jsonb null, "funds_yuan" numeric(18,2) null, "deadline_on" date null, "due_at" timestamptz null, "overdue" boolean not null default false, "overdue_notices" int not null default 0, "fixed_at_once_at" timestamptz null, "accepted_at" timestamptz null, "closed_at" timestamptz null, "supervision" jsonb null, "supervised" boolean not null default false, "accident_id" uuid null, "suspected_crime" jsonb null, "advice" varchar(32) null, "advice_reason" text null, "decision" jsonb null, "extensions" jsonb not null, "submissions" jsonb not null, "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "hazard" add constraint "hazard_workflow_id_unique" unique ("workflow_id");`);
    this.addSql(`alter table "hazard" add constraint "hazard_grade_check" check ("grade" in ('MAJOR', 'GENERAL'));`);
    this.addSql(`alter table "hazard" add constraint "hazard_stage_check" check ("stage" in ('REPORTED', 'RECTIFYING', 'ACCEPTANCE', 'CLOSED'));`);
    this.addSql(`alter table "hazard" add constraint "hazard_funds_yuan_check" check ("funds_yuan" is null or "funds_yuan" >= 0);`);
    // `hazards`: soonest deadline first (none: last), then id.
    this.addSql(`create index "hazard_due_at_id_index" on "hazard" ("due_at", "id");`);
    this.addSql(`create index "hazard_region_code_index" on "hazard" ("region_code");`);
    this.addSql(`create index "hazard_enterprise_id_index" on "hazard" ("enterprise_id");`);
    this.addSql(`create index "hazard_stage_index" on "hazard" ("stage");`);
    this.addSql(`create index "hazard_sector_index" on "hazard" ("sector");`);
    this.addSql(`create index "hazard_supervised_index" on "hazard" ("supervised");`);
    this.addSql(`create index "hazard_supervising_department_id_index" on "hazard" ("supervising_department_id");`);
    this.addSql(`create index "hazard_origin_evaluation_id_index" on "hazard" ("origin_evaluation_id");`);
    this.addSql(`create index "hazard_origin_campaign_id_index" on "hazard" ("origin_campaign_id");`);
    this.addSql(`create index "hazard_accident_id_index" on "hazard" ("accident_id");`);

    this.addSql(`create table "whistleblower_report" ("id" uuid not null, "workflow_id" text not null, "receipt_hash" varchar(64) not null, "region_id" uuid not null, "region_code" varchar(12) not null, "handling_region_code" varchar(12) not null, "handling_office_name" text not null, "sector" varchar(32) null, "enterprise_name" text null, "description" text not null, "reporter" jsonb null, "received_at" timestamptz not null, "stage" varchar(16) not null default 'RECEIVED', "revision" int not null default 0, "dispatch" jsonb null, "dispatched_department_id" uuid null, "verification" jsonb null, "hazard_id" uuid null, "reward" jsonb null, "closed_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "whistleblower_report" add constraint "whistleblower_report_workflow_id_unique" unique ("workflow_id");`);
    this.addSql(`alter table "whistleblower_report" add constraint "whistleblower_report_receipt_hash_unique" unique ("receipt_hash");`);
    this.addSql(`create index "whistleblower_report_handling_region_code_received_at_index" on "whistleblower_report" ("handling_region_code", "received_at");`);
    this.addSql(`create index "whistleblower_report_stage_index" on "whistleblower_report" ("stage");`);
    this.addSql(`create index "whistleblower_report_dispatched_department_id_index" on "whistleblower_report" ("dispatched_department_id");`);
    this.addSql(`create index "whistleblower_report_hazard_id_index" on "whistleblower_report" ("hazard_id");`);

    this.addSql(`create table "hazard_circular" ("id" uuid not null, "region_code" varchar(12) not null, "year" int not null, "quarter" int not null, "produced_at" timestamptz not null default now(), "rows" jsonb not null, primary key ("id"));`);
    this.addSql(`alter table "hazard_circular" add constraint "hazard_circular_region_code_year_quarter_unique" unique ("region_code", "year", "quarter");`);
    this.addSql(`alter table "hazard_circular" add constraint "hazard_circular_quarter_check" check ("quarter" between 1 and 4);`);

    this.addSql(`alter table "hazard" add constraint "hazard_enterprise_id_foreign" foreign key ("enterprise_id") references "enterprise" ("id");`);
    this.addSql(`alter table "hazard" add constraint "hazard_region_id_foreign" foreign key ("region_id") references "region" ("id");`);
    this.addSql(`alter table "hazard" add constraint "hazard_supervising_department_id_foreign" foreign key ("supervising_department_id") references "department" ("id");`);
    this.addSql(`alter table "whistleblower_report" add constraint "whistleblower_report_region_id_foreign" foreign key ("region_id") references "region" ("id");`);
    this.addSql(`alter table "whistleblower_report" add constraint "whistleblower_report_hazard_id_foreign" foreign key ("hazard_id") references "hazard" ("id") on delete set null;`);

    for (const table of TABLES) this.addSql(`grant select, insert, update, delete on "${table}" to ${APP_ROLE};`);
  }

  override down(): void | Promise<void> {
    for (const table of [...TABLES].reverse()) this.addSql(`drop table if exists "${table}" cascade;`);
  }

}
