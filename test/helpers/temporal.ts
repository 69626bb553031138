import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { ensureSearchAttributes } from '../../infra/temporal.js';
import { resolveTemporalExecutable } from '../../infra/temporal-binaries.js';

/** Quiet Temporal logs for the whole test file. Call first, in beforeAll. */
export function installTestRuntime(): void {
  try {
    Runtime.install({
      logger: new DefaultLogger('WARN'),
      telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
    });
  } catch {
    // Already installed in this process (jest runs the files in band).
  }
}

/** The Java time-skipping server, for month-long timers. One per test file. */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const { executable } = await resolveTemporalExecutable('test-server', { install: false });
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable } });
  await ensureSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

/** The dev server (visibility, search attributes, HTTP end to end). One per test file. */
export async function createDevServerEnv(): Promise<TestWorkflowEnvironment> {
  const { executable } = await resolveTemporalExecutable('cli', { install: false });
  const env = await TestWorkflowEnvironment.createLocal({ server: { executable, log: { format: 'pretty', level: 'error' } } });
  await ensureSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

/** The workflow bundle the global setup built for this run (bundling is the slow part of a worker). */
export function workflowBundle(): { codePath: string } {
  const codePath = process.env.BIHUAN_TEST_WORKFLOW_BUNDLE;
  if (!codePath) throw new Error('BIHUAN_TEST_WORKFLOW_BUNDLE is not set: run the tests through jest (global setup)');
  return { codePath };
}
