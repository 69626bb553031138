import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Options } from '@mikro-orm/postgresql';
import { openOrm, type Orm } from '../../infra/orm.js';

export interface TestDatabase {
  url: string;
  orm: Orm;
  drop(): Promise<void>;
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = process.env.BIHUAN_TEST_ADMIN_URL;
  if (!url) throw new Error('BIHUAN_TEST_ADMIN_URL is not set: run the tests through jest (global setup)');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A fresh database for one test file, migrated the way `npm start` migrates. */
export async function createTestDatabase(extra: Partial<Options> = {}): Promise<TestDatabase> {
  const name = `bihuan_test_${randomBytes(5).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  const url = new URL(process.env.BIHUAN_TEST_ADMIN_URL!);
  url.pathname = `/${name}`;
  const orm = await openOrm(url.toString(), extra);
  return {
    url: url.toString(),
    orm,
    drop: async () => {
      await orm.close(true);
      await admin((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}
