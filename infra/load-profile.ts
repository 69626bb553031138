// `npm run profiles:load -- <file.json|file.yaml> --as <userId>`: adds the
// rule-profile versions of a file (one version, or a list of them) as that user, an administrator of each
// version's jurisdiction. Each version is its own transaction and audit entry, as through GraphQL
// (addRuleProfileVersion); the file's field names are the domain's (domain/rule-profiles.ts EvaluationRuleProfile).
import { readFile } from 'node:fs/promises';
import { loadPrincipal } from '../api/context.js';
import { parseProfileFile } from '../api/profiles/profile-file.js';
import { addProfileVersion } from '../api/profiles/profiles.service.js';
import { DomainError } from '../domain/errors.js';
import { loadConfig } from './config.js';
import { openOrm } from './orm.js';
import { startDatabase } from './services.js';

const USAGE = 'usage: npm run profiles:load -- <file.json|file.yaml> --as <userId>';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

const positional = process.argv.slice(2).filter((arg, i, all) => !arg.startsWith('--') && all[i - 1] !== '--as');
const file = positional[0] ?? fail(USAGE);
const userId = option('--as') ?? fail(`name the loading user with --as <userId>\n${USAGE}`);
const text = await readFile(file, 'utf8').catch((error: Error) => fail(`${file}: ${error.message}`));
let versions: unknown[];
try {
  versions = parseProfileFile(file, text);
} catch (error) {
  fail(`${file}: ${(error as Error).message}`, 1);
}

const config = loadConfig();
const db = await startDatabase(config);
const orm = await openOrm(db.url);

async function run(): Promise<number> {
  const principal = await loadPrincipal(orm.em.fork(), userId);
  if (!principal) {
    console.error(`unknown user ${userId} (npm run token -- --demo lists the demo users)`);
    return 2;
  }
  let failed = 0;
  for (const [i, version] of versions.entries()) {
    const label = versions.length > 1 ? `${file}[${i}]` : file;
    try {
      const { profile, change } = await addProfileVersion(orm.em.fork(), principal, version);
      console.log(`${label}: ${profile.id} ${profile.version} (${profile.document}), in force from ${profile.effectiveFrom}: ${change}`);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      console.error(`${label}: ${error.code}${error.field ? ` (${error.field})` : ''}: ${error.message}`);
      failed++;
    }
  }
  return failed ? 1 : 0;
}

try {
  process.exitCode = await run();
} finally {
  await orm.close();
  await db.stop();
}
