import type { ApiDeps } from './context.js';

export type PartState = 'up' | 'down';

export interface Readiness {
  status: 'ready' | 'unavailable';
  postgres: PartState;
  temporal: PartState;
}

/** `check` within `ms`, as up or down: a part that does not answer in time is down for a readiness probe. */
async function probe(check: () => Promise<unknown>, ms: number): Promise<PartState> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<PartState>((resolve) => {
    timer = setTimeout(() => resolve('down'), ms);
  });
  try {
    return await Promise.race([check().then((): PartState => 'up', (): PartState => 'down'), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Can this API serve requests now: PostgreSQL answers `select 1` and Temporal its system info, each in `ms`. */
export async function readiness(deps: Pick<ApiDeps, 'orm' | 'temporal'>, ms = 2_000): Promise<Readiness> {
  const [postgres, temporal] = await Promise.all([
    probe(() => deps.orm.em.getConnection().execute('select 1'), ms),
    // The gRPC deadline ends the call (and the client's retries) before the probe gives up on it.
    probe(() => deps.temporal.connection.withDeadline(Date.now() + ms * 0.8, () => deps.temporal.workflowService.getSystemInfo({})), ms),
  ]);
  return { status: postgres === 'up' && temporal === 'up' ? 'ready' : 'unavailable', postgres, temporal };
}
