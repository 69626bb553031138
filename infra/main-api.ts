// `npm run api`: the GraphQL API alone, against DATABASE_URL and TEMPORAL_ADDRESS (production).
import { tokenSettings } from '../api/auth/tokens.js';
import { startApi } from '../api/server.js';
import { loadConfig } from './config.js';
import { openOrm } from './orm.js';
import { startTemporal } from './services.js';

const config = loadConfig();
if (!config.DATABASE_URL) throw new Error('DATABASE_URL is not set (npm start runs an embedded PostgreSQL; the API alone does not)');
const temporal = await startTemporal(config, { allowDevServer: false });
const orm = await openOrm(config.DATABASE_URL);
const api = await startApi({ orm, temporal: temporal.client, taskQueue: config.TEMPORAL_TASK_QUEUE, tokens: await tokenSettings(config) }, { host: config.HOST, port: config.PORT });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    await api.stop();
    await orm.close();
    await temporal.stop();
    process.exit(0);
  });
}
