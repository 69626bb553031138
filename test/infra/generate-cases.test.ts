import { generateCases } from '../../bench/generate-cases.js';
import { AuditEntry, Evaluation, InvestigationReport } from '../../schema/entities/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

// The benchmarks' data generator goes through the bulk import as an office would: every case registered and closed
// by its organising office, all or nothing per file. A change to the import's rules must not leave it refusing.
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

test('should register and close every generated case through the import, and add nothing when run again', async () => {
  // 40 cases: every county's 一般 cases and, at index 7 and 27, the city's 较大 ones.
  const first = await generateCases(db.orm, { cases: 40, batchSize: 15 });
  expect(first).toMatchObject({ cases: 40, registered: 40, closed: 40 });
  const em = db.orm.em.fork();
  expect(await em.count(InvestigationReport, { closedAt: { $ne: null } })).toBe(40);
  expect(await em.count(Evaluation, {})).toBe(40);
  expect(await em.count(AuditEntry, { subjectType: 'accident', action: 'CLOSE_CASE' })).toBe(40);
  const again = await generateCases(db.orm, { cases: 40, batchSize: 15 });
  expect(again).toMatchObject({ cases: 40, registered: 0, closed: 0 });
});
