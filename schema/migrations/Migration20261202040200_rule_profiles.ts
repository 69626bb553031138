import { Migration } from '@mikro-orm/migrations';

export class Migration20261202040200_rule_profiles extends Migration {
  override async up(): Promise<void> {}

  override async down(): Promise<void> {}
}
