// `npm run import:cases -- <file.xlsx|file.csv> --as <userId> [--dry-run]`: imports historical cases, all or
// nothing, as that user (who must be allowed to register each case). Prints progress and, when refused, every
// row, column and reason. `npm run import:cases -- --template cases.xlsx` writes the template to fill in.
import { readFile, writeFile } from 'node:fs/promises';
import { Client, Connection } from '@temporalio/client';
import { loadPrincipal } from '../api/context.js';
import { formatOfName, IMPORT_FORMATS, type ImportFormat } from '../api/intake/import/import-file.js';
import { importTemplate } from '../api/intake/import/import-template.js';
import { importCases, startImportedEvaluations, type ImportProgress } from '../api/intake/import/import.service.js';
import { DomainError } from '../domain/errors.js';
import { loadConfig } from './config.js';
import { openOrm } from './orm.js';
import { startDatabase } from './services.js';

const USAGE = `usage: npm run import:cases -- <file.xlsx|file.csv> --as <userId> [--dry-run] [--format XLSX|CSV]
       npm run import:cases -- --template <file.xlsx|file.csv>`;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

const template = option('--template');
if (template) {
  const format = formatOfName(template) ?? fail(`${template}: name it .xlsx or .csv\n${USAGE}`);
  await writeFile(template, await importTemplate(format));
  console.log(`wrote ${template}: fill in one row a case (the example row shows how), then npm run import:cases -- ${template} --as <userId>`);
  process.exit(0);
}

const valued = new Set(['--as', '--format']);
const positional = process.argv.slice(2).filter((arg, i, all) => !arg.startsWith('--') && !valued.has(all[i - 1] ?? ''));
const file = positional[0] ?? fail(USAGE);
const userId = option('--as') ?? fail(`name the importing user with --as <userId>\n${USAGE}`);
const formatOption = option('--format')?.toUpperCase();
if (formatOption && !(IMPORT_FORMATS as readonly string[]).includes(formatOption)) fail(`--format: XLSX or CSV\n${USAGE}`);
const format = (formatOption as ImportFormat | undefined) ?? formatOfName(file) ?? fail(`${file}: name it .xlsx or .csv, or give --format\n${USAGE}`);
const dryRun = process.argv.includes('--dry-run');
const bytes = await readFile(file).catch((error: Error) => fail(`${file}: ${error.message}`));

const config = loadConfig();
const db = await startDatabase(config);
const orm = await openOrm(db.url);
const started = Date.now();
let lastLine = '';
const progress = ({ stage, done, total }: ImportProgress) => {
  const line = `${stage} ${done}/${total} (${((Date.now() - started) / 1000).toFixed(1)} s)`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line}   `);
  else if (done === total || line.split(' ')[0] !== lastLine.split(' ')[0] || done % 1000 === 0) process.stderr.write(`${line}\n`);
  lastLine = line;
};

/** The Temporal server the worker uses: TEMPORAL_ADDRESS, or the dev server `npm start` runs, if it is up. */
async function temporalClient(): Promise<{ client: Client; close: () => Promise<void> } | null> {
  const address = config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_DEV_PORT}`;
  try {
    const connection = await Connection.connect({ address, connectTimeout: '3s' });
    return { client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }), close: () => connection.close() };
  } catch {
    return null;
  }
}

async function run(): Promise<number> {
  const principal = await loadPrincipal(orm.em.fork(), userId);
  if (!principal) {
    console.error(`unknown user ${userId} (npm run token -- --demo lists the demo users)`);
    return 2;
  }
  const result = await importCases(orm.em.fork(), principal, bytes, format, {
    dryRun,
    onProgress: progress,
    // A local file may be as large as this machine's memory holds; uploads keep the API's limit.
    readLimits: { maxUnzippedBytes: Number.MAX_SAFE_INTEGER },
  });
  if (process.stderr.isTTY && lastLine) process.stderr.write('\n');
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.problems.length) {
    console.log(`${file}: ${result.problems.length} problem(s) in ${result.rows} case(s); nothing was imported.`);
    for (const p of result.problems) console.log(`  ${p.sheet} row ${p.row}${p.column ? `, column ${p.column}` : ''}: ${p.code}: ${p.message}`);
    return 1;
  }
  const what = `${result.registered} registered, ${result.alreadyRegistered} already registered, ${result.closed} closed, ${result.alreadyClosed} already closed`;
  console.log(dryRun ? `${file}: dry run, nothing written; the import would do: ${what} (${result.rows} cases, ${seconds} s)` : `${file}: imported ${result.rows} cases in ${seconds} s: ${what}`);
  if (result.closedCases.length) {
    const temporal = await temporalClient();
    const count = temporal ? await startImportedEvaluations(orm.em.fork(), temporal.client, config.TEMPORAL_TASK_QUEUE, result.closedCases) : 0;
    await temporal?.close();
    const waiting = result.closedCases.length - count;
    console.log(`evaluation workflows: ${count} started${waiting ? `, ${waiting} waiting: the worker starts them when it next starts` : ''}`);
  }
  return 0;
}

try {
  process.exitCode = await run();
} catch (error) {
  if (!(error instanceof DomainError)) throw error;
  console.error(`${file}: ${error.code}: ${error.message}`);
  process.exitCode = 1;
} finally {
  await orm.close();
  await db.stop();
}
