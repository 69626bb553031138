import { Migration } from '@mikro-orm/migrations';

export class Migration20261202060000_hazards extends Migration {
  override async up(): Promise<void> {}

  override async down(): Promise<void> {}
}
