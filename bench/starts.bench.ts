// Case closures per second over HTTP (closeAccidentCase: the closure's read and write, the workflow start and the
// start snapshot of the read model) against trivial workflow starts on the same dev server, 16 callers each.
// Between them, the same evaluation workflow started straight from a Temporal client (its input, search
// attributes, patch marker and first timer, without the API and PostgreSQL): what any closure costs the server.
// The three alternate in rounds, so all see the same load on a shared machine, each round in a turned order.
// Run: npm run bench:starts   (BENCH_START_ROUNDS rounds, default 9; BENCH_BATCH closures and starts a round, default 60;
// BENCH_CALLERS, default 16)
import { performance } from 'node:perf_hooks';
import { addDays } from '../domain/calendar.js';
import { loadEvaluationCase, startWorkflowOnly } from '../api/evaluation/case-closure.js';
import { Evaluation } from '../schema/entities/index.js';
import { cpuPerItem, cpuSnapshot, fmt, profiled, graphql, insertClosableCases, log, percentile, pool, startBenchStack, TASK_QUEUE, timed, trivialStartRate } from './harness.js';

const ROUNDS = Number(process.env.BENCH_START_ROUNDS ?? 9);
const BATCH = Number(process.env.BENCH_BATCH ?? 60);
const CALLERS = Number(process.env.BENCH_CALLERS ?? 16);
const SETTLE_MS = 300;

const stack = await startBenchStack();
try {
  const cases = await insertClosableCases(stack.orm, stack.data, ROUNDS * BATCH + CALLERS);
  const office = graphql(stack.api.url, await stack.bearer('qilin-office'));
  // Closed yesterday: each evaluation waits for its window, as most new cases do.
  const closedAt = addDays(new Date(), -1).toISOString();
  // Cases of their own for the bare starts, their evaluations computed beforehand (none is ever closed).
  const bare = await Promise.all(
    (await insertClosableCases(stack.orm, stack.data, ROUNDS * BATCH)).map((id) => loadEvaluationCase(stack.orm.em.fork(), id, undefined, new Date(closedAt))),
  );
  const close = (accidentId: string) => office(`mutation($in: CloseAccidentCaseInput!) { closeAccidentCase(input: $in) { id stage } }`, { in: { accidentId, closedAt } });
  const snapshotsWritten = (ids: string[]) => stack.orm.em.fork().count(Evaluation, { id: { $in: ids }, revision: { $gte: 1 } });
  // Warm-up: the first requests compile the resolvers and open the connections.
  await pool(cases.slice(ROUNDS * BATCH), CALLERS, async (id) => void (await close(id)));
  await trivialStartRate(stack.client, CALLERS * 2, CALLERS);

  const floors: number[] = [];
  const bareRates: number[] = [];
  const rates: number[] = [];
  const latencies: number[] = [];
  let lagging = 0;
  let projected = 0;
  let projectionTime = 0;
  const cpu: Record<'trivial' | 'bare' | 'closures', string> = { trivial: '', bare: '', closures: '' };
  const phases = {
    trivial: async () => void floors.push(await trivialStartRate(stack.client, BATCH, CALLERS)),
    // Told its first state is recorded (as a closure tells it), the workflow writes nothing: the server's work alone.
    bare: async (round: number) => {
      const batch = bare.slice(round * BATCH, (round + 1) * BATCH);
      bareRates.push(BATCH / ((await timed(() => pool(batch, CALLERS, (c) => startWorkflowOnly(stack.client, TASK_QUEUE, c, { startRecorded: true })))) / 1000));
    },
    // Returns what it checks after its CPU is counted: whether the projection kept up.
    closures: async (round: number) => {
      const batch = cases.slice(round * BATCH, (round + 1) * BATCH);
      const began = performance.now();
      const elapsed = await profiled(`closures-${round + 1}`, () => timed(() => pool(batch, CALLERS, async (id) => void latencies.push(await timed(() => close(id))))));
      rates.push(BATCH / (elapsed / 1000));
      return async () => {
        // The projection keeps up when each start snapshot (revision 1) is written by the time its closure answered.
        lagging += BATCH - (await snapshotsWritten(batch));
        while ((await snapshotsWritten(batch)) < BATCH) {
          if (performance.now() - began > 300_000) throw new Error('start snapshots still missing after 5 minutes');
          await new Promise((r) => setTimeout(r, 20));
        }
        projected += BATCH;
        projectionTime += performance.now() - began;
      };
    },
  } satisfies Record<string, (round: number) => Promise<void | (() => Promise<void>)>>;
  const names = Object.keys(phases) as (keyof typeof phases)[];
  for (let round = 0; round < ROUNDS; round++) {
    // The order turns each round, so no phase always follows the same one (and pays for what it left the server
    // to finish); a pause between phases lets the server finish what the one before left queued.
    const turn = round % names.length;
    for (const name of [...names.slice(turn), ...names.slice(0, turn)]) {
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      const before = await cpuSnapshot();
      const after = await phases[name](round);
      cpu[name] = cpuPerItem(before, await cpuSnapshot(), BATCH);
      await after?.();
    }
    log(`  round ${round + 1}: trivial starts ${floors.at(-1)!.toFixed(1)}/s, bare evaluation starts ${bareRates.at(-1)!.toFixed(1)}/s, closures ${rates.at(-1)!.toFixed(1)}/s`);
    log(`    CPU per trivial start: ${cpu.trivial}`);
    log(`    per bare evaluation start: ${cpu.bare}`);
    log(`    per closure: ${cpu.closures}`);
  }
  const ratios = rates.map((r, i) => r / floors[i]!);
  const bareRatios = bareRates.map((r, i) => r / floors[i]!);
  const apiRatios = rates.map((r, i) => r / bareRates[i]!);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  log('');
  log(`case starts, ${CALLERS} concurrent callers, ${ROUNDS} rounds of ${BATCH} each:`);
  log(`  floor: trivial workflow starts, same dev server       ${(sum(floors) / ROUNDS).toFixed(1)} /s`);
  log(`  the evaluation workflow started by a client        ${(sum(bareRates) / ROUNDS).toFixed(1)} /s   ${percentile(bareRatios, 50).toFixed(2)}x the floor (median of rounds)`);
  log(`  closeAccidentCase over HTTP                           ${(sum(rates) / ROUNDS).toFixed(1)} /s   p50 ${fmt(percentile(latencies, 50))}, p99 ${fmt(percentile(latencies, 99))}`);
  log(`  start snapshots written, closure to read model        ${(projected / (projectionTime / 1000)).toFixed(1)} /s   ${lagging} of ${projected} not yet written when their round's closures had answered`);
  log(`  ratio closures / trivial starts, median of rounds     ${percentile(ratios, 50).toFixed(2)}x   (goal ≥ 0.8x; rounds ${ratios.map((r) => r.toFixed(2)).join(', ')})`);
  log(`  ratio closures / bare evaluation starts, median       ${percentile(apiRatios, 50).toFixed(2)}x   (what the API adds; rounds ${apiRatios.map((r) => r.toFixed(2)).join(', ')})`);
} finally {
  await stack.stop();
}
