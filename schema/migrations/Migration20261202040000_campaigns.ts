import { Migration } from '@mikro-orm/migrations';

export class Migration20261202040000_campaigns extends Migration {
  override async up(): Promise<void> {}

  override async down(): Promise<void> {}
}
