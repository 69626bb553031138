import { auditKeyOf, verifyAuditChain } from '../../activities/audit.js';
import { closeCase, loadEvaluationCase } from '../../api/evaluation/case-closure.js';
import { recordCaseChange } from '../../api/intake/case-audit.js';
import { DomainError } from '../../domain/errors.js';
import type { DemoData } from '../../infra/demo-data.js';
import { AuditEntry, Evaluation } from '../../schema/entities/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertDemoWorld, waitFor } from '../helpers/stack.js';

// Closure reads the case, decides, and writes in one statement that holds only while what it read stands. Here
// other writers come in between: a second closure, a correction holding the case, a rule profile replaced.
let db: TestDatabase;
let data: DemoData;

const office = { id: 'qilin-office', name: '麒麟区安委办', role: 'SAFETY_OFFICE' };
const caseTrail = (accidentId: string) => db.orm.em.fork().find(AuditEntry, { subjectType: 'accident', subjectId: accidentId }, { orderBy: { revision: 'asc' } });
/** Statements of this database waiting for a lock (a closure's write behind a held transaction). */
const waitingForLocks = () =>
  db.asOwner(async (c) => Number((await c.query(`select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`)).rows[0].count));

/** Runs `change` in a transaction that stays open until the returned `commit` is called. */
function heldTransaction(change: (tx: Parameters<Parameters<TestDatabase['orm']['em']['transactional']>[0]>[0]) => Promise<void>) {
  let commit!: () => void;
  const released = new Promise<void>((resolve) => (commit = resolve));
  let changed!: () => void;
  const ready = new Promise<void>((resolve) => (changed = resolve));
  const done = db.orm.em.fork().transactional(async (tx) => {
    await change(tx);
    changed();
    await released;
  });
  return { ready, commit, done };
}

/** Closes `accidentId` while `held` keeps a transaction open, which commits once the closure waits for its locks. */
async function closeWhileHeld(held: ReturnType<typeof heldTransaction>, accidentId: string, what: string) {
  await held.ready;
  const closing = closeCase(db.orm.em.fork(), accidentId, new Date(), office);
  // The closure read the case as it was and now waits for a row the other transaction holds.
  await waitFor(waitingForLocks, (n) => n > 0, `the closure to wait for the ${what}`);
  held.commit();
  await held.done;
  return closing;
}

beforeAll(async () => {
  db = await createTestDatabase();
  data = await insertDemoWorld(db.orm.em.fork(), [], new Date());
});

afterAll(async () => {
  await db?.drop();
});

test('should close a case once when two officials close it at the same moment, and refuse the other with INVALID_TRANSITION', async () => {
  const accidentId = data.openCase;
  const closedAt = new Date();
  const results = await Promise.allSettled([closeCase(db.orm.em.fork(), accidentId, closedAt, office), closeCase(db.orm.em.fork(), accidentId, closedAt, office)]);
  expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  expect(refused.reason).toBeInstanceOf(DomainError);
  expect((refused.reason as DomainError).code).toBe('INVALID_TRANSITION');
  expect(await db.orm.em.fork().count(Evaluation, { accident: accidentId })).toBe(1);
  expect((await caseTrail(accidentId)).filter((e) => e.action === 'CLOSE_CASE')).toHaveLength(1);
  expect((await verifyAuditChain(db.orm.em.fork(), auditKeyOf(db.orm.em), { caseId: accidentId })).ok).toBe(true);
});

test('should close the case as corrected when a correction holds it while the closure writes', async () => {
  const accidentId = data.qilinCase;
  const before = await caseTrail(accidentId);
  const corrected = '麒麟区某建筑工地高处坠落事故（更正）';
  const correction = heldTransaction(async (tx) => {
    // As api/intake corrects a case: the case row locked, the change, the trail's next entry.
    await tx.execute(`select id from accident where id = ? for update`, [accidentId]);
    await tx.execute(`update accident set title = ? where id = ?`, [corrected, accidentId]);
    await recordCaseChange(tx, accidentId, { actor: office, action: 'CORRECT_CASE', stageBefore: null, stageAfter: null, at: new Date().toISOString(), payload: { title: corrected } }, { title: corrected });
  });
  const closed = await closeWhileHeld(correction, accidentId, 'correction');
  expect(closed.title).toBe(corrected);
  const trail = await caseTrail(accidentId);
  expect(trail.map((e) => e.action).slice(before.length)).toEqual(['CORRECT_CASE', 'CLOSE_CASE']);
  expect(trail.at(-1)!.revision).toBe(before.length + 2);
  expect((await verifyAuditChain(db.orm.em.fork(), auditKeyOf(db.orm.em), { caseId: accidentId })).ok).toBe(true);
});

test('should close under the rule profile version as replaced when it is replaced while the closure writes', async () => {
  const accidentId = data.lvliangCase;
  const { profile } = await loadEvaluationCase(db.orm.em.fork(), accidentId, undefined, new Date());
  const replaced = profile.rectificationDays + 30;
  // No case uses the version yet, so it may still be replaced (api/profiles); here by hand, held open.
  const replacement = heldTransaction(async (tx) => {
    await tx.execute(`update rule_profile_version set rectification_days = ? where profile_id = ? and version = ?`, [replaced, profile.id, profile.version]);
  });
  const closed = await closeWhileHeld(replacement, accidentId, 'replacement');
  expect(closed.profile).toMatchObject({ id: profile.id, version: profile.version, rectificationDays: replaced });
  // Now a case uses it: it can no longer change.
  await expect(db.orm.em.fork().execute(`update rule_profile_version set rectification_days = 1 where profile_id = ? and version = ?`, [profile.id, profile.version])).rejects.toThrow();
});
