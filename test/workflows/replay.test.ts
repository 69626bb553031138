import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { installTestRuntime, workflowBundle } from '../helpers/temporal.js';

// Histories recorded by earlier versions (BIHUAN_RECORD_HISTORIES=<version label> npm test -- test/workflows/evaluation).
// Replaying them with today's code proves a change did not break workflows already running: any
// non-determinism fails here, before a deploy. Keep every recorded file; add one per workflow change.
const dir = join(process.cwd(), 'test/workflows/histories');

beforeAll(() => installTestRuntime());

test('should replay every recorded workflow history with the current workflow code', async () => {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const history = historyFromJSON(JSON.parse(await readFile(join(dir, file), 'utf8')));
    // A whole run, not an empty file (local activities record one marker where an activity took three events).
    expect(history.events?.length).toBeGreaterThan(30);
    await Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history, file.replace(/\.json$/, ''));
  }
});
