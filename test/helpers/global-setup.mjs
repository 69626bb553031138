// Once per `npm test`: PostgreSQL (DATABASE_URL if set, else embedded) and the Temporal binaries.
// Test files create their own databases on that server (database.ts). Plain ESM importing the TypeScript
// modules through Node's type stripping: jest's transform does not apply to global setup.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { startEmbeddedPostgres } from '../../infra/postgres.ts';
import { resolveTemporalExecutable } from '../../infra/temporal-binaries.ts';
import { freePort } from './ports.ts';

export default async function globalSetup() {
  const log = (message) => void process.stderr.write(`[test setup] ${message}\n`);
  for (const kind of ['cli', 'test-server']) {
    const resolved = await resolveTemporalExecutable(kind, { log });
    if (resolved.executable.type === 'existing-path') {
      process.env[kind === 'cli' ? 'TEMPORAL_CLI_PATH' : 'TEMPORAL_TEST_SERVER_PATH'] = resolved.executable.path;
    }
  }
  // Webpack does not run inside jest's ESM module registry, so the workflows are bundled here, once per run.
  const work = await mkdtemp(join(tmpdir(), 'bihuan-test-'));
  globalThis.__bihuanWorkDir = work;
  const bundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('../../workflows/index.ts', import.meta.url)),
    logger: new DefaultLogger('WARN'),
  });
  process.env.BIHUAN_TEST_WORKFLOW_BUNDLE = join(work, 'workflow-bundle.js');
  await writeFile(process.env.BIHUAN_TEST_WORKFLOW_BUNDLE, bundle.code);

  if (process.env.DATABASE_URL) {
    process.env.BIHUAN_TEST_ADMIN_URL = process.env.DATABASE_URL;
    log(`PostgreSQL: DATABASE_URL (${new URL(process.env.DATABASE_URL).host})`);
    return;
  }
  const db = await startEmbeddedPostgres({ dir: join(work, 'pg'), port: await freePort(), database: 'bihuan' });
  process.env.BIHUAN_TEST_ADMIN_URL = db.url;
  globalThis.__bihuanStopDb = () => db.stop();
  log(`PostgreSQL: embedded, ${db.url}`);
}
