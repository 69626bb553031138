import { Migration } from '@mikro-orm/migrations';

export class Migration20261202010100_audit_hmac extends Migration {

  override name = 'Migration20261202010100_audit_hmac';

  override up(): void | Promise<void> {
    // Entries written before this have no HMAC; the chain check reports the first of them.
    this.addSql(`alter table "audit_entry" add "hmac" varchar(64) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "audit_entry" drop column "hmac";`);
  }

}
