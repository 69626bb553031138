// `npm start`: the whole system on embedded defaults — PostgreSQL, a Temporal dev server with its UI, the
// worker and the GraphQL API in one process tree. Ctrl-C stops every part.
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { tokenSettings } from '../api/auth/tokens.js';
import { startApi } from '../api/server.js';
import { loadConfig } from './config.js';
import { seedDemoCampaigns } from './demo-campaigns.js';
import { seedDemoHazards } from './demo-hazards.js';
import { seedDemo } from './demo-data.js';
import { logger } from './logger.js';
import { openOrm } from './orm.js';
import { EmbeddedPostgresError } from './postgres.js';
import { startDatabase, startTemporal } from './services.js';
import { runWorker } from './run-worker.js';
import { handleShutdown } from './shutdown.js';

const log = logger('dev');
const config = loadConfig();
// This process owns Ctrl-C: it stops the parts in order, so the SDK must not react to the signal on its own.
Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: { core: 'WARN', other: 'WARN' } } } });

const shutdown = handleShutdown(log);
const stopAll = shutdown.stop;

try {
  // Detached: the terminal's Ctrl-C reaches only this process, which stops PostgreSQL last, after the API drained.
  const db = await startDatabase(config, { detached: true });
  shutdown.add('PostgreSQL', () => db.stop(), { timeoutMs: 30_000, kill: db.kill });
  const temporal = await startTemporal(config, { allowDevServer: true });
  shutdown.add('Temporal dev server', () => temporal.stop(), { timeoutMs: 15_000 });
  const orm = await openOrm(db.url);
  shutdown.add('database connections', () => orm.close(), { timeoutMs: 5_000 });

  if (config.BIHUAN_SEED_DEMO) {
    const seeded = await seedDemo(orm.em.fork(), new Date());
    if (seeded !== 'nothing') log.info({ seeded }, 'demo data set');
  }

  const { running, started } = await runWorker(config, { connection: temporal.nativeConnection, client: temporal.client, orm, shutdown });
  running.catch((error: unknown) => {
    log.error({ err: error }, 'worker failed');
    void stopAll(1);
  });
  if (started) log.info({ started }, 'started evaluation workflows');

  if (config.BIHUAN_SEED_DEMO) {
    // Through the API's own operations, so the workflows must be polled: after the worker runs. A failure leaves the
    // rest of the demo as it is.
    try {
      const campaigns = await seedDemoCampaigns(orm, temporal.client, config.TEMPORAL_TASK_QUEUE, new Date());
      if (campaigns) log.info(campaigns, 'demo campaigns registered: one in follow-up, one in self-evaluation');
    } catch (error) {
      log.error({ err: error }, 'could not set up the demo campaigns');
    }
    try {
      const hazards = await seedDemoHazards(orm, temporal.client, config.TEMPORAL_TASK_QUEUE, new Date());
      if (hazards) {
        const { receipt, ...ids } = hazards;
        log.info(ids, 'demo hazards entered: one closed with its decision, one rectifying, one fixed at once, one under listed supervision, one from a whistleblower report');
        if (receipt) log.info({ receipt }, 'the demo whistleblower report\'s receipt (shown once): read its status with whistleblowerReportStatus(receipt)');
      }
    } catch (error) {
      log.error({ err: error }, 'could not set up the demo hazards');
    }
  }

  const api = await startApi({ orm, temporal: temporal.client, taskQueue: config.TEMPORAL_TASK_QUEUE, tokens: await tokenSettings(config) }, { host: config.HOST, port: config.PORT });
  shutdown.add('GraphQL API', () => api.stop(), { timeoutMs: 15_000 });

  process.stdout.write(
    [
      '',
      'Bihuan is running:',
      `  GraphQL API and IDE  ${api.url}`,
      temporal.uiUrl ? `  Temporal UI          ${temporal.uiUrl}` : `  Temporal             ${temporal.address}`,
      `  PostgreSQL           ${db.embedded ? `embedded, data in ${db.dataDir ?? `${config.BIHUAN_DATA_DIR}/pg`}, ${db.url}` : 'DATABASE_URL'}`,
      '  Sign in as a demo official: npm run token -- --demo (the IDE acts as the public without a token)',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n') + '\n',
  );
} catch (error) {
  // A problem the user can fix is one line; anything else keeps its stack.
  if (error instanceof EmbeddedPostgresError) log.error(`could not start: ${error.message}`);
  else log.error({ err: error }, 'could not start');
  await stopAll(1);
}
