import { ServiceError } from '@temporalio/client';
import { defineUpdate } from '@temporalio/workflow';
import { executeUpdate, updateNotAdmitted } from '../../api/workflow-update.js';

// The retry policy of official actions sent as workflow updates. The handle here stands in for Temporal's only to
// make it refuse on cue; what Temporal answers is taken from a real refusal (FAILED_PRECONDITION, code 9).
const act = defineUpdate<string, [{ note: string }]>('act');

function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}
const taskFailed = () =>
  new ServiceError('Workflow Update failed', { cause: grpcError(9, 'Unable to perform workflow execution update due to unexpected workflow task failure.') });

function handle(refusals: Error[]) {
  const calls: { updateId?: string }[] = [];
  return {
    calls,
    executeUpdate: async (_def: unknown, options: { updateId?: string }) => {
      calls.push(options);
      const refusal = refusals.shift();
      if (refusal) throw refusal;
      return 'applied';
    },
  };
}

test('should send an update again, under the same id, when Temporal refused it because its workflow task failed', async () => {
  const h = handle([taskFailed(), taskFailed()]);
  await expect(executeUpdate(h as never, act, { args: [{ note: 'x' }] })).resolves.toBe('applied');
  expect(h.calls).toHaveLength(3);
  expect(new Set(h.calls.map((c) => c.updateId)).size).toBe(1);
  expect(h.calls[0]!.updateId).toEqual(expect.any(String));
});

test('should keep the caller\'s update id (its idempotency key) across attempts', async () => {
  const h = handle([taskFailed()]);
  await executeUpdate(h as never, act, { args: [{ note: 'x' }], updateId: 'official/key-1' });
  expect(h.calls.map((c) => c.updateId)).toEqual(['official/key-1', 'official/key-1']);
});

test('should give up after three attempts, and never resend any other refusal', async () => {
  const h = handle([taskFailed(), taskFailed(), taskFailed()]);
  await expect(executeUpdate(h as never, act, { args: [{ note: 'x' }] })).rejects.toThrow('Workflow Update failed');
  expect(h.calls).toHaveLength(3);
  const other = new ServiceError('Workflow Update failed', { cause: grpcError(9, 'workflow execution already completed') });
  expect(updateNotAdmitted(other)).toBe(false);
  expect(updateNotAdmitted(new ServiceError('Workflow Update failed', { cause: grpcError(14, 'unexpected workflow task failure') }))).toBe(false);
  const h2 = handle([other]);
  await expect(executeUpdate(h2 as never, act, { args: [{ note: 'x' }] })).rejects.toBe(other);
  expect(h2.calls).toHaveLength(1);
});
