import type { ActivityOptions, LocalActivityOptions } from '@temporalio/common';

/**
 * Patch id: read models are written by local activities, one change at a time, and search attributes are upserted
 * only when they change. Histories recorded before it replay on the old path (a regular activity writing the
 * whole state, every attribute upserted after every change).
 */
export const LOCAL_PROJECTION = 'local-projection';

// Projections that fail for good are non-retryable (activities/failures.ts); anything else is retried.
export const PROJECTION_ACTIVITY: ActivityOptions = { startToCloseTimeout: '30 seconds', retry: { maximumInterval: '1 minute' } };

/**
 * A local activity runs in the worker that runs the workflow task, inside that task: an update costs no
 * activity-task round trip through the server, and its input (never recorded in history) stays in the process.
 * Past `localRetryThreshold` a retry waits on a server timer instead of holding the workflow task.
 */
export const PROJECTION_LOCAL_ACTIVITY: LocalActivityOptions = {
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { maximumInterval: '1 minute' },
};
