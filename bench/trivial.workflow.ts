// The floor the write-path benchmarks compare against: a workflow that does nothing but wait, and an update
// that does nothing but count. Bundled on its own (bench/harness.ts), never part of the worker's bundle.
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

export const bumpUpdate = defineUpdate<number, []>('bump');

export async function trivialWorkflow(): Promise<void> {
  let count = 0;
  setHandler(bumpUpdate, () => ++count);
  await condition(() => false);
}
