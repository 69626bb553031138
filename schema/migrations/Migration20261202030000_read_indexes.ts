import { Migration } from '@mikro-orm/migrations';

/**
 * The read path's indexes: every list's cursor order and visibility filter, checked with EXPLAIN at 100k cases
 * (`npm run bench:plans`). An evaluation carries its accident's location and enterprise (kept by triggers), so the
 * evaluations list filters on one table and its `totalCount` is an index-only scan of one index. And the version
 * of the region tree that API processes cache (api/region-tree.ts).
 * The ORM does not know these two columns, the version table or the triggers: `migration:create` proposes dropping
 * them — remove those lines.
 */
export class Migration20261202030000_read_indexes extends Migration {

  override name = 'Migration20261202030000_read_indexes';

  override up(): void | Promise<void> {
    // `accidents`: newest first, then id.
    this.addSql(`create index "accident_occurred_at_id_index" on "accident" ("occurred_at" desc, "id");`);
    // What visibility reads of a case, on the evaluation row itself. The accident's location and enterprise are
    // copied on insert and follow a correction (which the intake refuses after closure anyway).
    this.addSql(`alter table "evaluation" add column "location_region_id" uuid null, add column "enterprise_id" uuid null;`);
    this.addSql(`update "evaluation" ev set "location_region_id" = a."location_region_id", "enterprise_id" = a."enterprise_id" from "accident" a where a."id" = ev."accident_id";`);
    this.addSql(`create function evaluation_case_columns() returns trigger language plpgsql as $$
      begin select a.location_region_id, a.enterprise_id into new.location_region_id, new.enterprise_id from accident a where a.id = new.accident_id; return new; end $$;`);
    this.addSql(`create trigger evaluation_case_columns before insert or update of accident_id on "evaluation" for each row execute function evaluation_case_columns();`);
    this.addSql(`create function accident_case_columns() returns trigger language plpgsql as $$
      begin update evaluation set location_region_id = new.location_region_id, enterprise_id = new.enterprise_id where accident_id = new.id; return null; end $$;`);
    this.addSql(`create trigger accident_case_columns after update of location_region_id, enterprise_id on "accident" for each row execute function accident_case_columns();`);
    // `evaluations`: soonest due first, then id (the cursor compares the pair); the included columns are all that
    // the visibility filter and the list's filters read, so `totalCount` never visits the table.
    this.addSql(`create index "evaluation_due_at_id_index" on "evaluation" ("due_at", "id") include ("accident_id", "location_region_id", "enterprise_id", "published_at", "filed_at", "organiser_region_id", "stage", "overdue");`);
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
    this.addSql(`drop trigger if exists accident_case_columns on "accident";`);
    this.addSql(`drop function if exists accident_case_columns();`);
    this.addSql(`drop trigger if exists evaluation_case_columns on "evaluation";`);
    this.addSql(`drop function if exists evaluation_case_columns();`);
    this.addSql(`alter table "evaluation" drop column if exists "location_region_id", drop column if exists "enterprise_id";`);
    this.addSql(`drop index if exists "accident_occurred_at_id_index";`);
  }

}
