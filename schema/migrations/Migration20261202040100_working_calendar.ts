import { Migration } from '@mikro-orm/migrations';

export class Migration20261202040100_working_calendar extends Migration {
  override async up(): Promise<void> {}

  override async down(): Promise<void> {}
}
