import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes for the read path: every list's cursor order and visibility filter (checked with EXPLAIN at 100k cases,
 * bench/evaluations-list.bench.ts), and the version of the region tree that API processes cache (api/region-tree.ts).
 * The ORM does not know the version table or its trigger: `migration:create` proposes dropping them — remove those lines.
 */
export class Migration20261202030000_read_indexes extends Migration {

  override name = 'Migration20261202030000_read_indexes';

  override up(): void | Promise<void> {
    // `accidents`: newest first, then id.
    this.addSql(`create index "accident_occurred_at_id_index" on "accident" ("occurred_at" desc, "id");`);
    // `evaluations`: soonest due first, then id (the cursor compares the pair).
    this.addSql(`create index "evaluation_due_at_id_index" on "evaluation" ("due_at", "id");`);
    // A department official sees the cases its department investigated.
    this.addSql(`create index "investigation_department_department_id_index" on "investigation_department" ("department_id");`);
    // Grants cover a region and everything under it by code prefix (`code like '5303%'`).
    this.addSql(`create index "region_code_prefix_index" on "region" ("code" varchar_pattern_ops);`);
    // A case's audit trail, in order; one user's entries, newest first. Notifications by subject have theirs (initial).
    this.addSql(`create index "audit_entry_subject_id_id_index" on "audit_entry" ("subject_id", "id");`);
    this.addSql(`create index "audit_entry_actor_id_id_index" on "audit_entry" ("actor_id", "id");`);

    this.addSql(`create table "region_tree_version" ("id" smallint primary key default 1 check ("id" = 1), "version" bigint not null);`);
    this.addSql(`insert into "region_tree_version" ("id", "version") values (1, 1);`);
    // In the same transaction as the change: a reader never sees the new version with the old tree.
    this.addSql(`create function region_tree_changed() returns trigger language plpgsql as $$
      begin update region_tree_version set version = version + 1 where id = 1; return null; end $$;`);
    this.addSql(`create trigger region_tree_changed after insert or update or delete or truncate on "region" for each statement execute function region_tree_changed();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists region_tree_changed on "region";`);
    this.addSql(`drop function if exists region_tree_changed();`);
    this.addSql(`drop table if exists "region_tree_version";`);
    this.addSql(`drop index if exists "audit_entry_actor_id_id_index";`);
    this.addSql(`drop index if exists "audit_entry_subject_id_id_index";`);
    this.addSql(`drop index if exists "region_code_prefix_index";`);
    this.addSql(`drop index if exists "investigation_department_department_id_index";`);
    this.addSql(`drop index if exists "evaluation_due_at_id_index";`);
    this.addSql(`drop index if exists "accident_occurred_at_id_index";`);
  }

}
