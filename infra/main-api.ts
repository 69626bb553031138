// `npm run api`: the GraphQL API alone, against DATABASE_URL and TEMPORAL_ADDRESS (production).
import { Runtime } from '@temporalio/worker';
import { tokenSettings } from '../api/auth/tokens.js';
import { startApi } from '../api/server.js';
import { loadConfig } from './config.js';
import { logger } from './logger.js';
import { openOrm } from './orm.js';
import { startTemporal } from './services.js';
import { handleShutdown } from './shutdown.js';

const config = loadConfig();
if (!config.DATABASE_URL) throw new Error('DATABASE_URL is not set (npm start runs an embedded PostgreSQL; the API alone does not)');
// Signals are ours (handleShutdown), not the Temporal SDK's: parts stop in order, each within a time limit.
Runtime.install({ shutdownSignals: [] });
const shutdown = handleShutdown(logger('api'));
const temporal = await startTemporal(config, { allowDevServer: false });
shutdown.add('Temporal connections', () => temporal.stop(), { timeoutMs: 5_000 });
const orm = await openOrm(config.DATABASE_URL);
shutdown.add('database connections', () => orm.close(), { timeoutMs: 5_000 });
const api = await startApi({ orm, temporal: temporal.client, taskQueue: config.TEMPORAL_TASK_QUEUE, tokens: await tokenSettings(config) }, { host: config.HOST, port: config.PORT });
shutdown.add('GraphQL API', () => api.stop(), { timeoutMs: 15_000 });
