import type { Client } from '@temporalio/client';
import { startApi, type RunningApi } from '../../api/server.js';
import { insertDemoData } from '../../infra/demo-data.js';
import { insertUsers } from '../../infra/demo-users.js';
import { insertSqlCases } from '../../bench/sql-cases.js';
import { graphqlClient, testTokenSettings } from '../helpers/api.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

// The API keeps a caller's grants between requests; a change to them, made anywhere (here: SQL from another
// connection, as an operator or the worker would), must still take effect at once (api/principals.ts).
let db: TestDatabase;
let api: RunningApi;

beforeAll(async () => {
  db = await createTestDatabase();
  await insertDemoData(db.orm.em.fork(), new Date('2026-06-01T00:00:00Z'));
  await insertUsers(db.orm.em.fork(), [{ id: 'late-office', name: '云南省安委办', grants: [] }]);
  await insertSqlCases(db.url, 30, 'grants');
  api = await startApi({ orm: db.orm, temporal: null as unknown as Client, taskQueue: 'unused', tokens: testTokenSettings }, { host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await api?.stop();
  await db?.drop();
});

const PAGE = '{ evaluations(first: 200) { edges { node { id } } } }';

/** Asks until `done` holds, at most `withinMs`; returns how long it took. */
async function within(withinMs: number, ask: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  while (!(await ask())) {
    if (Date.now() - start > withinMs) throw new Error(`not within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - start;
}

test('should apply a grant added, then revoked, from outside the API within a second', async () => {
  const gql = await graphqlClient(api.url, 'late-office');
  const count = async () => ((await gql<{ evaluations: { edges: unknown[] } }>(PAGE)).data?.evaluations.edges.length ?? -1);
  // Asked twice: the second answer comes from what the API kept.
  const before = await count();
  expect(await count()).toBe(before);

  await db.asOwner((c) => c.query(`insert into role_grant (id, user_id, role, region_code) values (gen_random_uuid(), 'late-office', 'SAFETY_OFFICE', '530000')`));
  await within(1_000, async () => (await count()) > before);
  const granted = await count();

  await db.asOwner((c) => c.query(`delete from role_grant where user_id = 'late-office'`));
  await within(1_000, async () => (await count()) === before);
  expect(granted).toBeGreaterThan(before);
});

test('should refuse the token of a user deleted from outside the API within a second', async () => {
  await insertUsers(db.orm.em.fork(), [{ id: 'leaving-office', name: '麒麟区安委办', grants: [{ role: 'SAFETY_OFFICE', regionCode: '530302' }] }]);
  const gql = await graphqlClient(api.url, 'leaving-office');
  expect((await gql('{ __typename }')).errors).toBeUndefined();
  expect((await gql('{ __typename }')).errors).toBeUndefined();

  await db.asOwner((c) => c.query(`delete from app_user where id = 'leaving-office'`));
  await within(1_000, async () => (await gql('{ __typename }')).errors?.[0]?.extensions?.code === 'UNAUTHENTICATED');
});
