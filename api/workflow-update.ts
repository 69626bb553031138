import { randomUUID } from 'node:crypto';
import { isGrpcServiceError, ServiceError, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';

const FAILED_PRECONDITION = 9;
const ATTEMPTS = 3;

/**
 * Temporal refused an update because the workflow task that carried it failed (an event came in while the workflow
 * completed its task, say): the update was never accepted, so the same update may be sent again.
 */
export function updateNotAdmitted(error: unknown): boolean {
  const cause = error instanceof ServiceError ? error.cause : undefined;
  return isGrpcServiceError(cause) && cause.code === FAILED_PRECONDITION && /workflow task failure/i.test(cause.details ?? cause.message);
}

/**
 * Sends one official action as a workflow update, and sends it again (under the same update id, so it applies once)
 * when Temporal refused it only because the workflow task carrying it failed; every other outcome is the caller's.
 */
export async function executeUpdate<Ret, Args extends [unknown, ...unknown[]]>(
  handle: Pick<WorkflowHandle, 'executeUpdate'>,
  update: UpdateDefinition<Ret, Args>,
  options: { args: Args; updateId?: string | undefined },
): Promise<Ret> {
  const updateId = options.updateId ?? randomUUID();
  for (let attempt = 1; ; attempt++) {
    try {
      return await handle.executeUpdate(update, { args: options.args, updateId });
    } catch (error) {
      if (attempt >= ATTEMPTS || !updateNotAdmitted(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}
