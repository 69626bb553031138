import 'reflect-metadata';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import pg from 'pg';
import { bindAuditKey, type AuditKey } from '../activities/audit.js';
import { ENTITIES } from '../schema/entities/index.js';
import { MIGRATIONS } from '../schema/migrations/index.js';
import { APP_ROLE } from '../schema/migrations/Migration20261202010000_app_role.js';
import { loadConfig } from './config.js';
import { appRoleAccess, loadAuditKey, type AppRoleAccess } from './secrets.js';

export type Orm = MikroORM;

export function ormOptions(databaseUrl: string, extra: Partial<Options> = {}): Options {
  return {
    clientUrl: databaseUrl,
    entities: ENTITIES,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    pool: { min: 0, max: 10 },
    ...extra,
  };
}

/** Who the ORM connects as after migrating, and the audit chain's key (held by this process, never the database). */
export interface OrmAccess extends AppRoleAccess {
  auditKey: AuditKey;
}

/** This process's configuration: DATABASE_APP_URL or BIHUAN_DB_APP_PASSWORD, and BIHUAN_AUDIT_KEY, or their files. */
export async function configuredAccess(): Promise<OrmAccess> {
  const config = loadConfig();
  return { ...(await appRoleAccess(config)), auditKey: await loadAuditKey(config) };
}

/** `bihuan_app` on the owner URL's server and database. */
export function appRoleUrl(ownerUrl: string, password: string): string {
  const url = new URL(ownerUrl);
  url.username = APP_ROLE;
  url.password = encodeURIComponent(password);
  return url.toString();
}

/**
 * A SCRAM-SHA-256 verifier (RFC 7677, as PostgreSQL stores it): PostgreSQL keeps a password given in this form
 * as is, so the password itself never reaches the server or its statement log.
 */
function scramVerifier(password: string): string {
  const salt = randomBytes(16);
  const iterations = 4096;
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const storedKey = createHash('sha256').update(createHmac('sha256', salted).update('Client Key').digest()).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  // A server that goes away mid-check (a signal during start-up) is an answer, not an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Gives `bihuan_app` LOGIN with the password, unless it already signs in with it (the usual restart). */
async function enableAppLogin(owner: pg.Client, appUrl: string, password: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    if (await canConnect(appUrl)) return;
    try {
      await owner.query(`alter role ${APP_ROLE} with login password '${scramVerifier(password)}'`);
      return;
    } catch (error) {
      // Processes starting together (or test databases on one server) alter the one cluster-wide role at once.
      if (attempt >= 5 || !/tuple concurrently updated/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

// Serializes the migrations of processes that start together on one database (advisory locks are per database).
const MIGRATION_LOCK = 0x62696875616e;

/** Applies pending migrations as the owner (never schema sync) and, with a password, lets `bihuan_app` sign in. */
async function migrateAsOwner(ownerUrl: string, appPassword: string | undefined): Promise<void> {
  const lock = new pg.Client({ connectionString: ownerUrl });
  lock.on('error', () => undefined);
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const owner = await MikroORM.init(ormOptions(ownerUrl, { pool: { min: 0, max: 2 } }));
    try {
      await owner.migrator.up();
    } finally {
      await owner.close(true);
    }
    if (appPassword) await enableAppLogin(lock, appRoleUrl(ownerUrl, appPassword), appPassword);
  } finally {
    await lock.end(); // ends the session, and with it the lock
  }
}

/** Refuses a connection that could rewrite the audit trail: the point of the application role. */
async function checkLeastPrivilege(orm: Orm): Promise<void> {
  const [row] = await orm.em.getConnection().execute<{ role: string; superuser: boolean; owner: boolean; rewrite: boolean }[]>(
    `select current_user as role, r.rolsuper as superuser, pg_has_role(current_user, c.relowner, 'MEMBER') as owner,
       has_table_privilege(c.oid, 'UPDATE') or has_table_privilege(c.oid, 'DELETE') or has_table_privilege(c.oid, 'TRUNCATE') as rewrite
     from pg_roles r, pg_class c where r.rolname = current_user and c.oid = 'audit_entry'::regclass`,
  );
  const reasons = [row?.superuser && 'is a superuser', row?.owner && 'owns audit_entry', row?.rewrite && 'may UPDATE, DELETE or TRUNCATE audit_entry'].filter(Boolean);
  if (!row || reasons.length) {
    throw new Error(
      `the application role ${row?.role ?? '?'} ${reasons.join(', ') || 'cannot be checked'}: the API and the worker must connect as a least-privilege role (unset DATABASE_APP_URL to use ${APP_ROLE})`,
    );
  }
}

/**
 * Migrates with the owner connection (`databaseUrl`, which owns the tables), then returns an ORM connected as the
 * application role: `bihuan_app` with the configured password on the same server and database, or
 * DATABASE_APP_URL as given. That role may SELECT and INSERT the audit trail, nothing more; the ORM carries the
 * audit key, so every entry written through it is chained. `access` defaults to this process's configuration.
 */
export async function openOrm(databaseUrl: string, extra: Partial<Options> = {}, access?: OrmAccess): Promise<Orm> {
  const { appUrl, appPassword, auditKey } = access ?? (await configuredAccess());
  if (!appUrl && !appPassword) throw new Error(`openOrm needs DATABASE_APP_URL or a password for ${APP_ROLE}`);
  await migrateAsOwner(databaseUrl, appUrl ? undefined : appPassword);
  const orm = await MikroORM.init(ormOptions(appUrl ?? appRoleUrl(databaseUrl, appPassword!), { extensions: [], ensureDatabase: false, ...extra }));
  try {
    await checkLeastPrivilege(orm);
  } catch (error) {
    await orm.close(true);
    throw error;
  }
  bindAuditKey(orm, auditKey);
  return orm;
}
