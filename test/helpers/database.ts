import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Options } from '@mikro-orm/postgresql';
import { AuditKey } from '../../activities/audit.js';
import { appRoleUrl, openOrm, type Orm } from '../../infra/orm.js';

export interface TestDatabase {
  /** The owner's URL (the role that migrates and owns the tables). */
  url: string;
  /** The application role's URL: what `orm` is connected as, like the API and the worker. */
  appUrl: string;
  /** Connected as the application role, as `npm start` connects. */
  orm: Orm;
  /** The key `orm` chains audit entries with. */
  auditKey: AuditKey;
  /** Runs statements as the owner, for what the application role may not do. */
  asOwner<T>(run: (client: pg.Client) => Promise<T>): Promise<T>;
  drop(): Promise<void>;
}

async function connected<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

function adminUrl(): string {
  const url = process.env.BIHUAN_TEST_ADMIN_URL;
  if (!url) throw new Error('BIHUAN_TEST_ADMIN_URL is not set: run the tests through jest (global setup)');
  return url;
}

// `bihuan_app` is one role of the whole server, shared by every test database on it: one password for all.
const APP_PASSWORD = process.env.BIHUAN_DB_APP_PASSWORD ?? 'bihuan-app-test-password';

/** A fresh database for one test file, migrated the way `npm start` migrates, and its app-role ORM. */
export async function createTestDatabase(extra: Partial<Options> = {}): Promise<TestDatabase> {
  const name = `bihuan_test_${randomBytes(5).toString('hex')}`;
  await connected(adminUrl(), (c) => c.query(`create database ${name}`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const auditKey = new AuditKey(randomBytes(32).toString('hex'));
  const orm = await openOrm(url.toString(), extra, { appPassword: APP_PASSWORD, auditKey });
  return {
    url: url.toString(),
    appUrl: appRoleUrl(url.toString(), APP_PASSWORD),
    orm,
    auditKey,
    asOwner: (run) => connected(url.toString(), run),
    drop: async () => {
      await orm.close(true);
      await connected(adminUrl(), (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}
