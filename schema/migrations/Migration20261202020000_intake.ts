import { Migration } from '@mikro-orm/migrations';

/** Case intake: a report's document number names one case (the key registration is idempotent on), and a department's name is unique within its region. */
export class Migration20261202020000_intake extends Migration {

  override name = 'Migration20261202020000_intake';

  override up(): void | Promise<void> {
    this.addSql(`alter table "investigation_report" add constraint "investigation_report_document_no_unique" unique ("document_no");`);
    this.addSql(`alter table "department" add constraint "department_region_id_name_unique" unique ("region_id", "name");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "department" drop constraint "department_region_id_name_unique";`);
    this.addSql(`alter table "investigation_report" drop constraint "investigation_report_document_no_unique";`);
  }

}
