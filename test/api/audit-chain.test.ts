import { createHash } from 'node:crypto';
import pg from 'pg';
import { AuditKey, verifyAuditChain } from '../../activities/audit.js';
import { closeCase, startPendingEvaluations } from '../../api/evaluation/case-closure.js';
import type { EvaluationCase } from '../../domain/evaluation.js';
import { Evaluation } from '../../schema/entities/index.js';
import { graphqlClient } from '../helpers/api.js';
import { insertDemoWorld, seededStack, waitFor } from '../helpers/stack.js';

// The audit trail against its own application: the API and the worker connect as `bihuan_app`, which may only
// read and append; whatever is written without the audit key is found by the keyed chain.
const TASK_QUEUE = 'audit-chain';
// Dated now: the demo's closures fall about ten months back, so their windows open at once.
const stack = seededStack(TASK_QUEUE, (em) => insertDemoWorld(em, [], new Date()), []);

const VERIFY = `query($id: ID!) { verifyAuditChain(subjectId: $id) { ok checked firstBroken { subjectType subjectId revision entryId reason message } } }`;

async function asApp<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: stack.db.appUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

const countEntries = (caseId: string): Promise<number> =>
  stack.db.asOwner(async (c) => Number((await c.query(`select count(*) from audit_entry where subject_id = $1 or subject_id like $2`, [caseId, `${caseId}/%`])).rows[0].count));

const lastEntry = (caseId: string): Promise<{ revision: number; state_hash: string }> =>
  stack.db.asOwner(async (c) => (await c.query(`select revision, state_hash from audit_entry where subject_type = 'evaluation' and subject_id = $1 order by revision desc limit 1`, [caseId])).rows[0]);

async function formTeam(userId: string, evaluationCase: EvaluationCase): Promise<void> {
  const [lead, ...others] = evaluationCase.investigatingDepartments;
  const office = await graphqlClient(stack.api.url, userId);
  const formed = await office(`mutation($in: FormTeamInput!) { formEvaluationTeam(input: $in) { stage } }`, {
    in: {
      evaluationId: evaluationCase.evaluationId,
      leader: { name: '赵某', departmentName: lead!.name, departmentId: lead!.id },
      members: [
        ...others.map((d, i) => ({ name: `成员${i + 1}`, departmentName: d.name, departmentId: d.id, role: 'MEMBER' })),
        { name: '纪检监察组 周某', departmentName: '纪委监委', role: 'DISCIPLINE_INSPECTION' },
      ],
    },
  });
  expect(formed.errors).toBeUndefined();
}

beforeAll(async () => {
  // Both demo cases closed about ten months ago: their workflows open the evaluation window at once.
  const cases: EvaluationCase[] = [];
  for (const { accidentId, closedAt } of stack.world.closures) {
    cases.push(await closeCase(stack.db.orm.em.fork(), accidentId, closedAt, { id: 'demo-seed', name: '演示数据', role: 'SYSTEM' }));
  }
  await startPendingEvaluations(stack.db.orm.em.fork(), stack.env.client, TASK_QUEUE);
  for (const id of [stack.world.qilinCase, stack.world.lvliangCase]) {
    await waitFor(() => stack.db.orm.em.fork().findOne(Evaluation, id), (row) => row?.stage === 'TEAM_FORMATION', `${id} to open`);
  }
  await formTeam('qilin-office', cases.find((c) => c.accidentId === stack.world.qilinCase)!);
  await formTeam('lvliang-office', cases.find((c) => c.accidentId === stack.world.lvliangCase)!);
});

test('should verify an untouched audit trail entry by entry when an insider asks', async () => {
  const office = await graphqlClient(stack.api.url, 'qilin-office');
  const checked = await countEntries(stack.world.qilinCase);
  expect(checked).toBeGreaterThanOrEqual(4); // the case's registration and closure, START, FIRE_DEADLINES (the window opens), FORM_TEAM
  expect((await office(VERIFY, { id: stack.world.qilinCase })).data!.verifyAuditChain).toEqual({ ok: true, checked, firstBroken: null });

  // What the operators' command checks: every case.
  const all = await verifyAuditChain(stack.db.orm.em.fork(), stack.db.auditKey, 'all');
  const total = await stack.db.asOwner(async (c) => Number((await c.query(`select count(*) from audit_entry`)).rows[0].count));
  expect(all).toEqual({ ok: true, checked: total, subjects: expect.any(Number), firstBroken: null });
  // Without the key nobody can make an entry that verifies, nor check one.
  const guessed = await verifyAuditChain(stack.db.orm.em.fork(), new AuditKey('a guessed key, thirty-two characters'), { caseId: stack.world.qilinCase });
  expect(guessed.firstBroken).toMatchObject({ subjectType: 'accident', revision: 1, reason: 'BAD_HMAC' });
});

test('should refuse the application role every way of rewriting the audit trail', async () => {
  const before = await countEntries(stack.world.qilinCase);
  await asApp(async (app) => {
    expect((await app.query(`select current_user as role, rolsuper from pg_roles where rolname = current_user`)).rows).toEqual([{ role: 'bihuan_app', rolsuper: false }]);
    await expect(app.query(`truncate audit_entry`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`update audit_entry set actor_name = '某人'`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`delete from audit_entry`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`alter table audit_entry disable trigger all`)).rejects.toThrow(/must be owner/);
    await expect(app.query(`set session_replication_role = replica`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`alter role bihuan_app superuser`)).rejects.toThrow(/permission denied|must be superuser/);
  });
  // The triggers hold for the owner too, replica mode included (they fire ALWAYS).
  await stack.db.asOwner(async (owner) => {
    await expect(owner.query(`truncate audit_entry`)).rejects.toThrow(/append-only/);
    await owner.query(`set session_replication_role = replica`);
    await expect(owner.query(`delete from audit_entry`)).rejects.toThrow(/append-only/);
  });
  expect(await countEntries(stack.world.qilinCase)).toBe(before);
  const office = await graphqlClient(stack.api.url, 'qilin-office');
  expect((await office(VERIFY, { id: stack.world.qilinCase })).data!.verifyAuditChain).toMatchObject({ ok: true, checked: before });
});

test('should report an approval forged by hand at its revision when the chain is checked', async () => {
  const last = await lastEntry(stack.world.qilinCase);
  const entries = await countEntries(stack.world.qilinCase);
  // The repro of issue 6: the forger links the row to the last state, as the unkeyed chain asked.
  const forged = await asApp(async (app) =>
    (await app.query(
      `insert into audit_entry (at, subject_type, subject_id, revision, actor_id, actor_name, actor_role, action, stage_before, stage_after, state_hash, previous_hash, hmac)
       values (now(), 'evaluation', $1, $2, 'qilin-leader', '麒麟区分管副区长 钱某', 'LEADER_IN_CHARGE', 'APPROVE_REPORT', 'REPORT_APPROVAL', 'PUBLICATION', $3, $4, $5) returning id`,
      [stack.world.qilinCase, last.revision + 1, createHash('sha256').update('forged').digest('hex'), last.state_hash, 'f'.repeat(64)],
    )).rows[0].id as string,
  );
  const office = await graphqlClient(stack.api.url, 'qilin-office');
  const report = (await office(VERIFY, { id: stack.world.qilinCase })).data!.verifyAuditChain;
  expect(report).toMatchObject({
    ok: false,
    checked: entries + 1,
    firstBroken: { subjectType: 'evaluation', subjectId: stack.world.qilinCase, revision: last.revision + 1, entryId: String(forged), reason: 'BAD_HMAC' },
  });
  expect((await verifyAuditChain(stack.db.orm.em.fork(), stack.db.auditKey, 'all')).firstBroken).toMatchObject({ entryId: String(forged), reason: 'BAD_HMAC' });
});

test('should report entries the table owner removed behind the triggers when the chain is checked', async () => {
  const office = await graphqlClient(stack.api.url, 'lvliang-office');
  const remove = (revision: number) =>
    stack.db.asOwner(async (owner) => {
      await owner.query('begin');
      await owner.query(`alter table audit_entry disable trigger all`);
      await owner.query(`delete from audit_entry where subject_type = 'evaluation' and subject_id = $1 and revision = $2`, [stack.world.lvliangCase, revision]);
      await owner.query(`alter table audit_entry enable always trigger audit_entry_no_update`);
      await owner.query(`alter table audit_entry enable always trigger audit_entry_no_truncate`);
      await owner.query('commit');
    });
  // Out of the application's reach: the owner disables the triggers and deletes, first from the middle…
  await remove(2); // FIRE_DEADLINES
  expect((await office(VERIFY, { id: stack.world.lvliangCase })).data!.verifyAuditChain.firstBroken).toMatchObject({
    subjectType: 'evaluation',
    subjectId: stack.world.lvliangCase,
    revision: 3,
    reason: 'REVISION_GAP',
  });
  // …then the last entry: the read model is still at revision 3.
  await remove(3); // FORM_TEAM
  expect((await office(VERIFY, { id: stack.world.lvliangCase })).data!.verifyAuditChain.firstBroken).toMatchObject({
    subjectType: 'evaluation',
    revision: 2,
    entryId: null,
    reason: 'MISSING_ENTRIES',
  });
});

test('should answer NOT_FOUND or FORBIDDEN when someone other than an insider asks for a check', async () => {
  const code = async (userId: string | undefined, id: string) => (await (await graphqlClient(stack.api.url, userId))(VERIFY, { id })).errors?.[0]?.extensions?.code;
  expect(await code(undefined, stack.world.qilinCase)).toBe('NOT_FOUND'); // the public
  expect(await code('lvliang-office', stack.world.qilinCase)).toBe('NOT_FOUND'); // another city's case
  expect(await code('nanning-town', stack.world.qilinCase)).toBe('FORBIDDEN'); // sees the case, is not an insider
  expect(await code('qilin-office', 'not-an-id')).toBe('NOT_FOUND');
  expect(await code('qilin-leader', stack.world.qilinCase)).toBeUndefined();
});
