import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
let db: TestDatabase;
beforeAll(async () => { db = await createTestDatabase(); });
afterAll(async () => { await db?.drop(); });
test('schema drift', async () => {
  const sql = await db.orm.schema.getUpdateSchemaSQL({ wrap: false });
  console.log('DRIFT\n' + sql.split('\n').filter((l) => /hazard|whistleblower/.test(l)).join('\n'));
});
