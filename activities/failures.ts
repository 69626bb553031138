import { ApplicationFailure } from '@temporalio/activity';

/**
 * SQLSTATE classes that no retry can fix: the data itself is refused (22: data exception, e.g. NUL in text or a
 * bad Unicode escape in JSON; 23: a constraint; 54: a program limit such as an over-long index row).
 */
const PERMANENT_SQLSTATE_CLASSES = ['22', '23', '54'];

/** The SQLSTATE of a PostgreSQL error, through MikroORM's wrapping. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Runs a projection; a refusal that retrying cannot fix becomes a non-retryable failure, so the workflow undoes
 * the change and answers the official, instead of retrying for ever and holding every later update of the case.
 * Anything else (the database is down, a deadlock) is rethrown and retried.
 */
export async function storeOrRefuse<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const state = sqlState(error);
    if (state && PERMANENT_SQLSTATE_CLASSES.includes(state.slice(0, 2))) {
      throw ApplicationFailure.create({
        type: 'BAD_USER_INPUT',
        message: `${what} could not be stored (PostgreSQL ${state}); nothing was changed`,
        nonRetryable: true,
      });
    }
    throw error;
  }
}
