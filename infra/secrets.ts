import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AuditKey } from '../activities/audit.js';
import type { AppConfig } from './config.js';

/**
 * A secret kept in a file of the data folder, made once when absent. Two processes starting together (the API
 * and the worker on one volume) agree: the first write wins (`wx`) and both read what it wrote.
 */
async function fileSecret(path: string, create: boolean): Promise<string | null> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (!create) return null;
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, randomBytes(32).toString('hex') + '\n', { flag: 'wx', mode: 0o600 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  await chmod(path, 0o600);
  return (await readFile(path, 'utf8')).trim();
}

/**
 * The audit chain's key: BIHUAN_AUDIT_KEY, else BIHUAN_DATA_DIR/audit-key (made once). Checking a chain
 * (`create: false`) never makes a key: a new one would call every entry forged.
 */
export async function loadAuditKey(config: AppConfig, options: { create?: boolean } = {}): Promise<AuditKey> {
  if (config.BIHUAN_AUDIT_KEY) return new AuditKey(config.BIHUAN_AUDIT_KEY);
  const path = join(config.BIHUAN_DATA_DIR, 'audit-key');
  const secret = await fileSecret(path, options.create ?? true);
  if (!secret) throw new Error(`no audit key: set BIHUAN_AUDIT_KEY to the key the API and the worker use (or run where ${path} is)`);
  return new AuditKey(secret);
}

/** How the API and the worker reach PostgreSQL as the application role (see `openOrm`). */
export interface AppRoleAccess {
  /** DATABASE_APP_URL: a role a DBA made, used as given; nothing about it is altered. */
  appUrl?: string;
  /** Otherwise the LOGIN password given to `bihuan_app`: BIHUAN_DB_APP_PASSWORD, else BIHUAN_DATA_DIR/db-app-password. */
  appPassword?: string;
}

export async function appRoleAccess(config: AppConfig): Promise<AppRoleAccess> {
  if (config.DATABASE_APP_URL) return { appUrl: config.DATABASE_APP_URL };
  return { appPassword: config.BIHUAN_DB_APP_PASSWORD ?? (await fileSecret(join(config.BIHUAN_DATA_DIR, 'db-app-password'), true))! };
}
