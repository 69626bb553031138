import { Migration } from '@mikro-orm/migrations';

export class Migration20261123115201_identity extends Migration {

  override name = 'Migration20261123115201_identity';

  override up(): void | Promise<void> {
    this.addSql(`create table "app_user" ("id" text not null, "name" text not null, "created_at" timestamptz not null default now(), primary key ("id"));`);

    this.addSql(`create table "role_grant" ("id" uuid not null, "user_id" text not null, "role" varchar(32) not null, "region_code" varchar(12) null, "department_id" uuid null, "enterprise_id" uuid null, "evaluation_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "role_grant_user_id_index" on "role_grant" ("user_id");`);

    this.addSql(`alter table "audit_entry" add "reason" text null, add "state_hash" varchar(64) null, add "previous_hash" varchar(64) null;`);

    this.addSql(`alter table "role_grant" add constraint "role_grant_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "role_grant" drop constraint "role_grant_user_id_foreign";`);

    this.addSql(`drop table if exists "app_user" cascade;`);
    this.addSql(`drop table if exists "role_grant" cascade;`);

    this.addSql(`alter table "audit_entry" drop column "reason", drop column "state_hash", drop column "previous_hash";`);
  }

}
