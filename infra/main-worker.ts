// `npm run worker`: the Temporal worker alone, against DATABASE_URL and TEMPORAL_ADDRESS (production).
import { Runtime } from '@temporalio/worker';
import { loadConfig } from './config.js';
import { logger } from './logger.js';
import { openOrm } from './orm.js';
import { startTemporal } from './services.js';
import { runWorker } from './run-worker.js';
import { handleShutdown } from './shutdown.js';

const log = logger('worker');
const config = loadConfig();
if (!config.DATABASE_URL) throw new Error('DATABASE_URL is not set (npm start runs an embedded PostgreSQL; the worker alone does not)');
// Signals are ours (handleShutdown), not the Temporal SDK's: parts stop in order, each within a time limit.
Runtime.install({ shutdownSignals: [] });
const shutdown = handleShutdown(log);
const temporal = await startTemporal(config, { allowDevServer: false });
shutdown.add('Temporal connections', () => temporal.stop(), { timeoutMs: 5_000 });
const orm = await openOrm(config.DATABASE_URL);
shutdown.add('database connections', () => orm.close(), { timeoutMs: 5_000 });
const { running, started } = await runWorker(config, { connection: temporal.nativeConnection, client: temporal.client, orm, shutdown });
log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, started }, 'worker running');
try {
  await running;
} catch (error) {
  log.error({ err: error }, 'worker failed');
  await shutdown.stop(1);
}
await shutdown.stop(0);
