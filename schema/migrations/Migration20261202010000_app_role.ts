import { Migration } from '@mikro-orm/migrations';

/** The least-privilege role the API and the worker connect as. The owner (DATABASE_URL) keeps everything else. */
export const APP_ROLE = 'bihuan_app';

/**
 * Creates `bihuan_app` unless it exists (roles are cluster-wide: many databases, and a DBA, may have made it):
 * not superuser, not owner, no LOGIN until `openOrm` gives it a password. It may read and write the read model,
 * but only SELECT and INSERT the audit trail. Default privileges give tables of later migrations the same grants.
 * TRUNCATE is refused by a statement trigger (a row trigger never sees it), and both audit triggers fire ALWAYS,
 * so `session_replication_role = replica` does not switch them off.
 */
export class Migration20261202010000_app_role extends Migration {

  override name = 'Migration20261202010000_app_role';

  override up(): void | Promise<void> {
    this.addSql(`do $$ begin
      if not exists (select from pg_roles where rolname = '${APP_ROLE}') then
        create role ${APP_ROLE} nologin nosuperuser nocreatedb nocreaterole noinherit noreplication nobypassrls;
      end if;
    exception when duplicate_object or unique_violation then null; -- created meanwhile by a migration of another database
    end $$;`);
    this.addSql(`do $$ begin
      if exists (select from pg_roles where rolname = '${APP_ROLE}' and (rolsuper or rolbypassrls or rolcreaterole or rolreplication)) then
        raise exception 'role ${APP_ROLE} must not be superuser, bypass RLS, create roles or replicate';
      end if;
      -- PUBLIC holds both by default; an owner that is not the database's owner may not grant them again.
      begin
        execute format('grant connect on database %I to ${APP_ROLE}', current_database());
        execute format('grant usage on schema %I to ${APP_ROLE}', current_schema());
      exception when insufficient_privilege then null;
      end;
      execute format('grant select, insert, update, delete on all tables in schema %I to ${APP_ROLE}', current_schema());
      execute format('grant usage, select on all sequences in schema %I to ${APP_ROLE}', current_schema());
      execute format('alter default privileges in schema %I grant select, insert, update, delete on tables to ${APP_ROLE}', current_schema());
      execute format('alter default privileges in schema %I grant usage, select on sequences to ${APP_ROLE}', current_schema());
      -- PostgreSQL before 15 lets every role create objects in public.
      execute format('revoke create on schema %I from public', current_schema());
    end $$;`);
    this.addSql(`revoke all on "audit_entry" from ${APP_ROLE};`);
    this.addSql(`grant select, insert on "audit_entry" to ${APP_ROLE};`);
    this.addSql(`revoke all on "mikro_orm_migrations" from ${APP_ROLE};`);

    this.addSql(`create trigger audit_entry_no_truncate before truncate on "audit_entry" for each statement execute function audit_entry_append_only();`);
    this.addSql(`alter table "audit_entry" enable always trigger audit_entry_no_update;`);
    this.addSql(`alter table "audit_entry" enable always trigger audit_entry_no_truncate;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists audit_entry_no_truncate on "audit_entry";`);
    this.addSql(`alter table "audit_entry" enable trigger audit_entry_no_update;`);
    this.addSql(`do $$ begin
      execute format('alter default privileges in schema %I revoke all on tables from ${APP_ROLE}', current_schema());
      execute format('alter default privileges in schema %I revoke all on sequences from ${APP_ROLE}', current_schema());
      execute format('revoke all on all tables in schema %I from ${APP_ROLE}', current_schema());
      execute format('revoke all on all sequences in schema %I from ${APP_ROLE}', current_schema());
      execute format('revoke usage on schema %I from ${APP_ROLE}', current_schema());
      execute format('revoke connect on database %I from ${APP_ROLE}', current_database());
    end $$;`);
    // The role itself stays: it is cluster-wide, and other databases may grant it.
  }

}
