// `npm run worker`: the Temporal worker alone, against DATABASE_URL and TEMPORAL_ADDRESS (production).
import { startPendingEvaluations } from '../api/evaluation/case-closure.js';
import { loadConfig } from './config.js';
import { logger } from './logger.js';
import { openOrm } from './orm.js';
import { startTemporal } from './services.js';
import { createWorker } from './temporal.js';

const log = logger('worker');
const config = loadConfig();
if (!config.DATABASE_URL) throw new Error('DATABASE_URL is not set (npm start runs an embedded PostgreSQL; the worker alone does not)');
const temporal = await startTemporal(config, { allowDevServer: false });
const orm = await openOrm(config.DATABASE_URL);
const worker = await createWorker({ connection: temporal.nativeConnection, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, orm });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => worker.shutdown());
const started = await startPendingEvaluations(orm.em.fork(), temporal.client, config.TEMPORAL_TASK_QUEUE);
log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, started }, 'worker running');
await worker.run();
await orm.close();
await temporal.stop();
