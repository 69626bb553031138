// Named prepared statements (infra/prepared.ts): planned once per connection, bounded when a client shapes the
// text, typed errors, and rows as `em.execute` gives them.
import { DriverException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DYNAMIC_NAMED, numbered, prepared } from '../../infra/prepared.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

/** The statements prepared on the transaction's connection, by name. */
const preparedHere = async (tx: EntityManager): Promise<{ name: string; statement: string }[]> =>
  tx.execute(`select name, statement from pg_prepared_statements where name like 'bihuan\\_%' order by prepare_time`);

test('should number placeholders but leave question marks in literals and quoted names alone', () => {
  expect(numbered(`select '?' as "what?", 'it''s ?' as q, ? as a, ?::int as "b"`)).toBe(`select '?' as "what?", 'it''s ?' as q, $1 as a, $2::int as "b"`);
});

test('should prepare a statement once on a connection and run it again by name with new values', async () => {
  await db.orm.em.fork().transactional(async (tx) => {
    const sql = 'select ?::int * 2 as doubled, ?::text as label';
    expect(await prepared(tx, sql, [21, 'first'])).toEqual([{ doubled: 42, label: 'first' }]);
    expect(await prepared(tx, sql, [5, 'second'])).toEqual([{ doubled: 10, label: 'second' }]);
    const mine = (await preparedHere(tx)).filter((s) => s.statement.includes('$1::int * 2'));
    expect(mine).toHaveLength(1);
  });
});

test('should give rows typed as em.execute gives them', async () => {
  const em = db.orm.em.fork();
  const sql = `select now() - interval '1 day' as at, '{"a": [1, 2]}'::jsonb as doc, array['x', 'y'] as list, 7::bigint as big`;
  const [viaPrepared] = await prepared<Record<string, unknown>>(em, sql);
  const [viaExecute] = await em.execute<Record<string, unknown>[]>(sql);
  for (const key of ['doc', 'list', 'big']) expect(viaPrepared![key]).toEqual(viaExecute![key]);
  expect(typeof viaPrepared!.at).toBe(typeof viaExecute!.at);
});

test('should name at most a bounded number of texts a client shaped, and still run the rest', async () => {
  await db.orm.em.fork().transactional(async (tx) => {
    for (let i = 0; i < DYNAMIC_NAMED + 10; i++) {
      expect(await prepared(tx, `select ?::int + ${i} as shaped`, [1], { dynamic: true })).toEqual([{ shaped: 1 + i }]);
    }
    const shaped = (await preparedHere(tx)).filter((s) => s.statement.includes('as shaped'));
    expect(shaped).toHaveLength(DYNAMIC_NAMED);
    // A fixed text is named whatever the clients did.
    await prepared(tx, 'select ?::int as fixed_after', [1]);
    expect((await preparedHere(tx)).some((s) => s.statement.includes('fixed_after'))).toBe(true);
  });
});

test('should raise a database refusal as the ORM does, with its SQL state', async () => {
  const refusal = await prepared(db.orm.em.fork(), 'select 1 / ?::int as x', [0]).catch((error: unknown) => error);
  expect(refusal).toBeInstanceOf(DriverException);
  expect((refusal as DriverException).code).toBe('22012');
});
