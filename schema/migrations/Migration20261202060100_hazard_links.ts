import { Migration } from '@mikro-orm/migrations';

/**
 * An accident case may name the hazard it came from (003 §三: a hazard that led to an accident is penalised both
 * ways). The hazard's workflow is signalled and records the accident on its side (hazard.accident_id).
 */
export class Migration20261202060100_hazard_links extends Migration {
  override name = 'Migration20261202060100_hazard_links';

  override up(): void | Promise<void> {
    this.addSql(`alter table "accident" add column "origin_hazard_id" uuid null;`);
    this.addSql(`create index "accident_origin_hazard_id_index" on "accident" ("origin_hazard_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index if exists "accident_origin_hazard_id_index";`);
    this.addSql(`alter table "accident" drop column if exists "origin_hazard_id";`);
  }
}
