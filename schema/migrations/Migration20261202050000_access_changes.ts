import { Migration } from '@mikro-orm/migrations';

/**
 * Tells the API processes when a user, a grant or a region changes, so they may keep callers' grants between
 * requests (api/principals.ts): a statement trigger on each table notifies channel `bihuan_access`, which
 * PostgreSQL delivers to every listener when the change commits (not at all if it rolls back).
 */
export class Migration20261202050000_access_changes extends Migration {
  override up(): void | Promise<void> {
    this.addSql(`create function access_changed() returns trigger language plpgsql as $$
      begin perform pg_notify('bihuan_access', tg_table_name); return null; end $$;`);
    for (const table of ['app_user', 'role_grant', 'region']) {
      this.addSql(`create trigger access_changed after insert or update or delete or truncate on "${table}" for each statement execute function access_changed();`);
    }
  }

  override down(): void | Promise<void> {
    for (const table of ['app_user', 'role_grant', 'region']) this.addSql(`drop trigger if exists access_changed on "${table}";`);
    this.addSql(`drop function if exists access_changed();`);
  }
}
