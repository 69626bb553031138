import { Migration } from '@mikro-orm/migrations';

export class Migration20261123110039_initial extends Migration {

  override name = 'Migration20261123110039_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "audit_entry" ("id" bigserial primary key, "at" timestamptz not null, "subject_type" text not null, "subject_id" text not null, "revision" int not null, "actor_id" text not null, "actor_name" text not null, "actor_role" text null, "action" text not null, "stage_before" text null, "stage_after" text null, "payload" jsonb null);`);
    this.addSql(`create index "audit_entry_actor_id_at_index" on "audit_entry" ("actor_id", "at");`);
    this.addSql(`alter table "audit_entry" add constraint "audit_entry_subject_type_subject_id_revision_unique" unique ("subject_type", "subject_id", "revision");`);

    this.addSql(`create table "notification" ("id" uuid not null, "key" text not null, "kind" varchar(16) not null, "subject_id" text not null, "recipient" text not null, "message" text not null, "due_at" timestamptz null, "created_at" timestamptz not null default now(), "delivered_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "notification" add constraint "notification_key_unique" unique ("key");`);
    this.addSql(`create index "notification_subject_id_created_at_index" on "notification" ("subject_id", "created_at");`);

    this.addSql(`create table "region" ("id" uuid not null, "code" varchar(12) not null, "name" text not null, "level" varchar(16) not null, "parent_id" uuid null, "safety_office_name" text not null, primary key ("id"));`);
    this.addSql(`alter table "region" add constraint "region_code_unique" unique ("code");`);
    this.addSql(`create index "region_parent_id_index" on "region" ("parent_id");`);

    this.addSql(`create table "enterprise" ("id" uuid not null, "name" text not null, "credit_code" varchar(18) null, "sector" varchar(32) not null, "home_region_id" uuid not null, primary key ("id"));`);
    this.addSql(`alter table "enterprise" add constraint "enterprise_credit_code_unique" unique ("credit_code");`);
    this.addSql(`create index "enterprise_home_region_id_index" on "enterprise" ("home_region_id");`);

    this.addSql(`create table "department" ("id" uuid not null, "name" text not null, "kind" varchar(32) not null, "region_id" uuid not null, primary key ("id"));`);
    this.addSql(`create index "department_region_id_index" on "department" ("region_id");`);

    this.addSql(`create table "accident" ("id" uuid not null, "title" text not null, "level" varchar(16) not null, "sector" varchar(32) not null, "occurred_at" timestamptz not null, "location_region_id" uuid not null, "enterprise_id" uuid not null, "deaths" int not null, "injuries" int not null, "direct_loss_yuan" numeric(16,2) not null, "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "accident_location_region_id_index" on "accident" ("location_region_id");`);
    this.addSql(`create index "accident_enterprise_id_index" on "accident" ("enterprise_id");`);

    this.addSql(`create table "investigation" ("id" uuid not null, "accident_id" uuid not null, "lead_department_id" uuid not null, "escalated" boolean not null, "listed_supervision_by" text null, "delegated_evaluation_region_id" uuid null, primary key ("id"));`);
    this.addSql(`alter table "investigation" add constraint "investigation_accident_id_unique" unique ("accident_id");`);

    this.addSql(`create table "investigation_report" ("id" uuid not null, "investigation_id" uuid not null, "document_no" text not null, "approved_at" timestamptz not null, "closed_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "investigation_report" add constraint "investigation_report_investigation_id_unique" unique ("investigation_id");`);

    this.addSql(`create table "measure" ("id" uuid not null, "report_id" uuid not null, "seq" int not null, "text" text not null, "responsible_units" text[] not null, primary key ("id"));`);
    this.addSql(`create index "measure_report_id_index" on "measure" ("report_id");`);

    this.addSql(`create table "accountability_item" ("id" uuid not null, "report_id" uuid not null, "seq" int not null, "kind" varchar(32) not null, "subject" text not null, "recommendation" text not null, primary key ("id"));`);
    this.addSql(`create index "accountability_item_report_id_index" on "accountability_item" ("report_id");`);

    this.addSql(`create table "investigation_department" ("investigation_id" uuid not null, "department_id" uuid not null, primary key ("investigation_id", "department_id"));`);

    this.addSql(`create table "evaluation" ("id" uuid not null, "accident_id" uuid not null, "workflow_id" text not null, "profile_id" text not null, "profile_version" text not null, "organiser_region_id" uuid null, "assisting_region_ids" text[] not null, "stage" varchar(32) not null, "revision" int not null default 0, "opens_at" timestamptz not null, "due_at" timestamptz not null, "team_due_at" timestamptz null, "overdue" boolean not null default false, "overdue_clocks" text[] not null, "team_formed_at" timestamptz null, "acting_leader" text null, "self_evaluation" jsonb null, "document_reviewed_at" timestamptz null, "document_review_summary" text null, "on_site_completed_at" timestamptz null, "assessed_at" timestamptz null, "assessment_summary" text null, "published_at" timestamptz null, "publication_url" text null, "filed_at" timestamptz null, "filed_with" text null, "filing_reference" text null, "closed_at" timestamptz null, "workflow_started_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "evaluation" add constraint "evaluation_accident_id_unique" unique ("accident_id");`);
    this.addSql(`alter table "evaluation" add constraint "evaluation_workflow_id_unique" unique ("workflow_id");`);
    this.addSql(`create index "evaluation_organiser_region_id_index" on "evaluation" ("organiser_region_id");`);
    this.addSql(`create index "evaluation_overdue_index" on "evaluation" ("overdue");`);
    this.addSql(`create index "evaluation_stage_due_at_index" on "evaluation" ("stage", "due_at");`);

    this.addSql(`create table "referral" ("id" text not null, "evaluation_id" uuid not null, "code" text not null, "kind" varchar(32) not null, "subject" text not null, "reason" text not null, "outcome" text null, "resolved_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "referral_evaluation_id_index" on "referral" ("evaluation_id");`);

    this.addSql(`create table "rectification_task" ("id" text not null, "evaluation_id" uuid not null, "measure_id" uuid not null, "workflow_id" text not null, "assignee" text not null, "deadline" timestamptz not null, "status" varchar(16) not null default 'OPEN', "escalated_at" timestamptz null, "escalated_to" text null, "closed_at" timestamptz null, "evidence" text null, "revision" int not null default 0, primary key ("id"));`);
    this.addSql(`create index "rectification_task_evaluation_id_index" on "rectification_task" ("evaluation_id");`);
    this.addSql(`alter table "rectification_task" add constraint "rectification_task_workflow_id_unique" unique ("workflow_id");`);
    this.addSql(`create index "rectification_task_status_index" on "rectification_task" ("status");`);

    this.addSql(`create table "on_site_check" ("id" text not null, "evaluation_id" uuid not null, "seq" int not null, "kind" varchar(32) not null, "on" date not null, "place" text not null, "summary" text not null, "recorded_by" text not null, primary key ("id"));`);
    this.addSql(`create index "on_site_check_evaluation_id_index" on "on_site_check" ("evaluation_id");`);

    this.addSql(`create table "measure_finding" ("id" text not null, "evaluation_id" uuid not null, "measure_id" uuid not null, "status" varchar(32) not null, "evidence" text not null, primary key ("id"));`);
    this.addSql(`create index "measure_finding_evaluation_id_index" on "measure_finding" ("evaluation_id");`);
    this.addSql(`alter table "measure_finding" add constraint "measure_finding_evaluation_id_measure_id_unique" unique ("evaluation_id", "measure_id");`);

    this.addSql(`create table "evaluation_report" ("evaluation_id" uuid not null, "sections" jsonb not null, "lists" jsonb not null, "member_meeting_held_on" date null, "secret_parts" jsonb not null, "submitted_at" timestamptz not null, "approved_at" timestamptz null, "approved_by" text null, "returns" jsonb not null, primary key ("evaluation_id"));`);

    this.addSql(`create table "accountability_finding" ("id" text not null, "evaluation_id" uuid not null, "item_id" uuid not null, "status" varchar(32) not null, "evidence" text not null, primary key ("id"));`);
    this.addSql(`create index "accountability_finding_evaluation_id_index" on "accountability_finding" ("evaluation_id");`);
    this.addSql(`alter table "accountability_finding" add constraint "accountability_finding_evaluation_id_item_id_unique" unique ("evaluation_id", "item_id");`);

    this.addSql(`create table "team_member" ("id" text not null, "evaluation_id" uuid not null, "seq" int not null, "name" text not null, "department_name" text not null, "department_id" uuid null, "role" varchar(32) not null, primary key ("id"));`);
    this.addSql(`create index "team_member_evaluation_id_index" on "team_member" ("evaluation_id");`);

    this.addSql(`alter table "region" add constraint "region_parent_id_foreign" foreign key ("parent_id") references "region" ("id") on delete set null;`);

    this.addSql(`alter table "enterprise" add constraint "enterprise_home_region_id_foreign" foreign key ("home_region_id") references "region" ("id");`);

    this.addSql(`alter table "department" add constraint "department_region_id_foreign" foreign key ("region_id") references "region" ("id");`);

    this.addSql(`alter table "accident" add constraint "accident_location_region_id_foreign" foreign key ("location_region_id") references "region" ("id");`);
    this.addSql(`alter table "accident" add constraint "accident_enterprise_id_foreign" foreign key ("enterprise_id") references "enterprise" ("id");`);

    this.addSql(`alter table "investigation" add constraint "investigation_accident_id_foreign" foreign key ("accident_id") references "accident" ("id");`);
    this.addSql(`alter table "investigation" add constraint "investigation_lead_department_id_foreign" foreign key ("lead_department_id") references "department" ("id");`);
    this.addSql(`alter table "investigation" add constraint "investigation_delegated_evaluation_region_id_foreign" foreign key ("delegated_evaluation_region_id") references "region" ("id") on delete set null;`);

    this.addSql(`alter table "investigation_report" add constraint "investigation_report_investigation_id_foreign" foreign key ("investigation_id") references "investigation" ("id");`);

    this.addSql(`alter table "measure" add constraint "measure_report_id_foreign" foreign key ("report_id") references "investigation_report" ("id");`);

    this.addSql(`alter table "accountability_item" add constraint "accountability_item_report_id_foreign" foreign key ("report_id") references "investigation_report" ("id");`);

    this.addSql(`alter table "investigation_department" add constraint "investigation_department_investigation_id_foreign" foreign key ("investigation_id") references "investigation" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "investigation_department" add constraint "investigation_department_department_id_foreign" foreign key ("department_id") references "department" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "evaluation" add constraint "evaluation_accident_id_foreign" foreign key ("accident_id") references "accident" ("id");`);
    this.addSql(`alter table "evaluation" add constraint "evaluation_organiser_region_id_foreign" foreign key ("organiser_region_id") references "region" ("id") on delete set null;`);

    this.addSql(`alter table "referral" add constraint "referral_evaluation_id_foreign" foreign key ("evaluation_id") references "evaluation" ("id") on delete cascade;`);

    this.addSql(`alter table "rectification_task" add constraint "rectification_task_evaluation_id_foreign" foreign key ("evaluation_id") references "evaluation" ("id");`);
    this.addSql(`alter table "rectification_task" add constraint "rectification_task_measure_id_foreign" foreign key ("measure_id") references "measure" ("id");`);

    this.addSql(`alter table "on_site_check" add constraint "on_site_check_evaluation_id_foreign" foreign key ("evaluation_id") references "evaluation" ("id") on delete cascade;`);

    this.addSql(`alter table "measure_finding" add constraint "measure_finding_evaluation_id_foreign" foreign key ("evaluation_id") references "evaluation" ("id") on delete cascade;`);
    this.addSql(`alter table "measure_finding" add constraint "measure_finding_measure_id_foreign" foreign key ("measure_id") references "measure" ("id");`);

    this.addSql(`alter table "evaluation_report" add constraint "evaluation_report_evaluation_id_foreign" foreign key ("evaluation_id") references "evaluation" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "accountability_finding" add constraint "accountability_finding_evaluation_id_foreign" foreign key ("evaluation_id") references "evaluation" ("id") on delete cascade;`);
    this.addSql(`alter table "accountability_finding" add constraint "accountability_finding_item_id_foreign" foreign key ("item_id") references "accountability_item" ("id");`);

    this.addSql(`alter table "team_member" add constraint "team_member_evaluation_id_foreign" foreign key ("evaluation_id") references "evaluation" ("id") on delete cascade;`);
    // The audit trail is append-only: PostgreSQL itself refuses to change or remove an entry.
    this.addSql(`create function audit_entry_append_only() returns trigger language plpgsql as $$ begin raise exception 'audit_entry is append-only'; end $$;`);
    this.addSql(`create trigger audit_entry_no_update before update or delete on "audit_entry" for each row execute function audit_entry_append_only();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists audit_entry_no_update on "audit_entry";`);
    this.addSql(`drop function if exists audit_entry_append_only();`);
    this.addSql(`alter table "region" drop constraint "region_parent_id_foreign";`);
    this.addSql(`alter table "enterprise" drop constraint "enterprise_home_region_id_foreign";`);
    this.addSql(`alter table "department" drop constraint "department_region_id_foreign";`);
    this.addSql(`alter table "accident" drop constraint "accident_location_region_id_foreign";`);
    this.addSql(`alter table "investigation" drop constraint "investigation_delegated_evaluation_region_id_foreign";`);
    this.addSql(`alter table "evaluation" drop constraint "evaluation_organiser_region_id_foreign";`);
    this.addSql(`alter table "accident" drop constraint "accident_enterprise_id_foreign";`);
    this.addSql(`alter table "investigation" drop constraint "investigation_lead_department_id_foreign";`);
    this.addSql(`alter table "investigation_department" drop constraint "investigation_department_department_id_foreign";`);
    this.addSql(`alter table "investigation" drop constraint "investigation_accident_id_foreign";`);
    this.addSql(`alter table "evaluation" drop constraint "evaluation_accident_id_foreign";`);
    this.addSql(`alter table "investigation_report" drop constraint "investigation_report_investigation_id_foreign";`);
    this.addSql(`alter table "investigation_department" drop constraint "investigation_department_investigation_id_foreign";`);
    this.addSql(`alter table "measure" drop constraint "measure_report_id_foreign";`);
    this.addSql(`alter table "accountability_item" drop constraint "accountability_item_report_id_foreign";`);
    this.addSql(`alter table "rectification_task" drop constraint "rectification_task_measure_id_foreign";`);
    this.addSql(`alter table "measure_finding" drop constraint "measure_finding_measure_id_foreign";`);
    this.addSql(`alter table "accountability_finding" drop constraint "accountability_finding_item_id_foreign";`);
    this.addSql(`alter table "referral" drop constraint "referral_evaluation_id_foreign";`);
    this.addSql(`alter table "rectification_task" drop constraint "rectification_task_evaluation_id_foreign";`);
    this.addSql(`alter table "on_site_check" drop constraint "on_site_check_evaluation_id_foreign";`);
    this.addSql(`alter table "measure_finding" drop constraint "measure_finding_evaluation_id_foreign";`);
    this.addSql(`alter table "evaluation_report" drop constraint "evaluation_report_evaluation_id_foreign";`);
    this.addSql(`alter table "accountability_finding" drop constraint "accountability_finding_evaluation_id_foreign";`);
    this.addSql(`alter table "team_member" drop constraint "team_member_evaluation_id_foreign";`);

    this.addSql(`drop table if exists "audit_entry" cascade;`);
    this.addSql(`drop table if exists "notification" cascade;`);
    this.addSql(`drop table if exists "region" cascade;`);
    this.addSql(`drop table if exists "enterprise" cascade;`);
    this.addSql(`drop table if exists "department" cascade;`);
    this.addSql(`drop table if exists "accident" cascade;`);
    this.addSql(`drop table if exists "investigation" cascade;`);
    this.addSql(`drop table if exists "investigation_report" cascade;`);
    this.addSql(`drop table if exists "measure" cascade;`);
    this.addSql(`drop table if exists "accountability_item" cascade;`);
    this.addSql(`drop table if exists "investigation_department" cascade;`);
    this.addSql(`drop table if exists "evaluation" cascade;`);
    this.addSql(`drop table if exists "referral" cascade;`);
    this.addSql(`drop table if exists "rectification_task" cascade;`);
    this.addSql(`drop table if exists "on_site_check" cascade;`);
    this.addSql(`drop table if exists "measure_finding" cascade;`);
    this.addSql(`drop table if exists "evaluation_report" cascade;`);
    this.addSql(`drop table if exists "accountability_finding" cascade;`);
    this.addSql(`drop table if exists "team_member" cascade;`);
  }

}
