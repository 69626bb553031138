import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { startPendingCampaigns } from '../api/campaign/campaign.service.js';
import { startPendingEvaluations } from '../api/evaluation/case-closure.js';
import { startPendingHazards } from '../api/hazard/hazard.service.js';
import { startPendingWhistleblowerReports } from '../api/whistleblower/whistleblower.service.js';
import type { AppConfig } from './config.js';
import { ensureHazardSchedules } from './hazard-schedules.js';
import type { Orm } from './orm.js';
import type { Shutdown } from './shutdown.js';
import { workerShutdownOptions } from './shutdown.js';
import { createWorker } from './temporal.js';

/**
 * Starts the worker of `npm start` and `npm run worker` alike: registered with the shutdown so it drains before the
 * connections close, then the cases, campaigns, hazards and whistleblower reports whose start was cut short (a crash between closure and start) are started.
 * Resolves once the worker polls; `running` settles when it stops.
 */
export async function runWorker(
  config: AppConfig,
  parts: { connection: NativeConnection; client: Client; orm: Orm; shutdown: Shutdown },
): Promise<{ running: Promise<void>; started: number }> {
  const { connection, client, orm, shutdown } = parts;
  const worker = await createWorker({ connection, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, orm, extra: workerShutdownOptions });
  const running = worker.run();
  shutdown.add('worker', async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  }, { timeoutMs: 25_000 });
  const started =
    (await startPendingEvaluations(orm.em.fork(), client, config.TEMPORAL_TASK_QUEUE)) +
    (await startPendingCampaigns(orm.em.fork(), client, config.TEMPORAL_TASK_QUEUE)) +
    (await startPendingHazards(orm.em.fork(), client, config.TEMPORAL_TASK_QUEUE)) +
    (await startPendingWhistleblowerReports(orm.em.fork(), client, config.TEMPORAL_TASK_QUEUE));
  await ensureHazardSchedules(client, config.TEMPORAL_TASK_QUEUE);
  return { running, started };
}
