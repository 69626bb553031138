// `npm start`: the whole system on embedded defaults — PostgreSQL, a Temporal dev server with its UI, the
// worker and the GraphQL API in one process tree. Ctrl-C stops every part.
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { startPendingEvaluations } from '../api/evaluation/case-closure.js';
import { tokenSettings } from '../api/auth/tokens.js';
import { startApi } from '../api/server.js';
import { loadConfig } from './config.js';
import { seedDemo } from './demo-data.js';
import { logger } from './logger.js';
import { openOrm } from './orm.js';
import { startDatabase, startTemporal } from './services.js';
import { createWorker } from './temporal.js';

const log = logger('dev');
const config = loadConfig();
// This process owns Ctrl-C: it stops the parts in order, so the SDK must not react to the signal on its own.
Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: { core: 'WARN', other: 'WARN' } } } });

const stops: (() => Promise<unknown>)[] = [];
let stopping = false;
async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    log.info('stopping');
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log.error({ err: error }, 'while stopping'));
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  const db = await startDatabase(config);
  stops.push(() => db.stop());
  const temporal = await startTemporal(config, { allowDevServer: true });
  stops.push(() => temporal.stop());
  const orm = await openOrm(db.url);
  stops.push(() => orm.close());

  if (config.BIHUAN_SEED_DEMO) {
    const seeded = await seedDemo(orm.em.fork(), new Date());
    if (seeded !== 'nothing') log.info({ seeded }, 'demo data set');
  }

  const worker = await createWorker({ connection: temporal.nativeConnection, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, orm });
  const running = worker.run();
  stops.push(async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  });
  running.catch((error: unknown) => {
    log.error({ err: error }, 'worker failed');
    void stopAll(1);
  });
  const started = await startPendingEvaluations(orm.em.fork(), temporal.client, config.TEMPORAL_TASK_QUEUE);
  if (started) log.info({ started }, 'started evaluation workflows');

  const api = await startApi({ orm, temporal: temporal.client, taskQueue: config.TEMPORAL_TASK_QUEUE, tokens: await tokenSettings(config) }, { host: config.HOST, port: config.PORT });
  stops.push(() => api.stop());

  process.stdout.write(
    [
      '',
      'Bihuan is running:',
      `  GraphQL API and IDE  ${api.url}`,
      temporal.uiUrl ? `  Temporal UI          ${temporal.uiUrl}` : `  Temporal             ${temporal.address}`,
      `  PostgreSQL           ${db.embedded ? `embedded, data in ${config.BIHUAN_DATA_DIR}/pg, ${db.url}` : 'DATABASE_URL'}`,
      '  Sign in as a demo official: npm run token -- --demo (the IDE acts as the public without a token)',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n') + '\n',
  );
} catch (error) {
  log.error({ err: error }, 'could not start');
  await stopAll(1);
}
