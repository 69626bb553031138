import { Migration } from '@mikro-orm/migrations';

/**
 * The statistics' indexes (api/statistics), checked with EXPLAIN on generated data:
 * - accidents of the regions under one, in a range of occurrence: each region's range is one index range, and the
 *   figures summed are in the index (an index-only scan once vacuumed);
 * - evaluations unpublished at an instant (never published, or published after it) with their deadline: the list
 *   to circulate reads only those, not every evaluation ever due.
 * Evaluation statistics by year read index evaluation_due_at_id (migration read_indexes), which covers them.
 * The ORM does not know expression or covering indexes: `migration:create` proposes dropping them — remove those lines.
 */
export class Migration20261202040300_statistics extends Migration {

  override name = 'Migration20261202040300_statistics';

  override up(): void | Promise<void> {
    this.addSql(`create index "accident_statistics_index" on "accident" ("location_region_id", "occurred_at") include ("sector", "level", "deaths", "injuries", "direct_loss_yuan");`);
    this.addSql(`create index "evaluation_unpublished_index" on "evaluation" ((coalesce("published_at", 'infinity'::timestamptz)), "due_at") include ("organiser_region_id", "team_formed_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index if exists "evaluation_unpublished_index";`);
    this.addSql(`drop index if exists "accident_statistics_index";`);
  }

}
