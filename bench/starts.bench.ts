// Case closures per second over HTTP (closeAccidentCase: the closure transaction, the workflow start and the
// start snapshot of the read model) against trivial workflow starts on the same dev server, 16 callers each.
// The two alternate in rounds, so both see the same load on a shared machine.
// Run: npm run bench:starts   (BENCH_START_ROUNDS rounds, default 9; BENCH_BATCH closures and starts a round, default 60;
// BENCH_CALLERS, default 16)
import { performance } from 'node:perf_hooks';
import { addDays } from '../domain/calendar.js';
import { Evaluation } from '../schema/entities/index.js';
import { cpuPerItem, cpuSnapshot, fmt, profiled, graphql, insertClosableCases, log, percentile, pool, startBenchStack, timed, trivialStartRate } from './harness.js';

const ROUNDS = Number(process.env.BENCH_START_ROUNDS ?? 9);
const BATCH = Number(process.env.BENCH_BATCH ?? 60);
const CALLERS = Number(process.env.BENCH_CALLERS ?? 16);

const stack = await startBenchStack();
try {
  const cases = await insertClosableCases(stack.orm, stack.data, ROUNDS * BATCH + CALLERS);
  const office = graphql(stack.api.url, await stack.bearer('qilin-office'));
  // Closed yesterday: each evaluation waits for its window, as most new cases do.
  const closedAt = addDays(new Date(), -1).toISOString();
  const close = (accidentId: string) => office(`mutation($in: CloseAccidentCaseInput!) { closeAccidentCase(input: $in) { id stage } }`, { in: { accidentId, closedAt } });
  const snapshotsWritten = (ids: string[]) => stack.orm.em.fork().count(Evaluation, { id: { $in: ids }, revision: { $gte: 1 } });
  // Warm-up: the first requests compile the resolvers and open the connections.
  await pool(cases.slice(ROUNDS * BATCH), CALLERS, async (id) => void (await close(id)));
  await trivialStartRate(stack.client, CALLERS * 2, CALLERS);

  const floors: number[] = [];
  const rates: number[] = [];
  const latencies: number[] = [];
  let lagging = 0;
  let projected = 0;
  let projectionTime = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const cpu0 = await cpuSnapshot();
    floors.push(await trivialStartRate(stack.client, BATCH, CALLERS));
    const cpu1 = await cpuSnapshot();
    const batch = cases.slice(round * BATCH, (round + 1) * BATCH);
    const began = performance.now();
    const elapsed = await profiled(`closures-${round + 1}`, () => timed(() => pool(batch, CALLERS, async (id) => void latencies.push(await timed(() => close(id))))));
    const cpu2 = await cpuSnapshot();
    rates.push(BATCH / (elapsed / 1000));
    // The projection keeps up when each start snapshot (revision 1) is written by the time its closure answered.
    lagging += BATCH - (await snapshotsWritten(batch));
    while ((await snapshotsWritten(batch)) < BATCH) {
      if (performance.now() - began > 300_000) throw new Error('start snapshots still missing after 5 minutes');
      await new Promise((r) => setTimeout(r, 20));
    }
    projected += BATCH;
    projectionTime += performance.now() - began;
    log(`  round ${round + 1}: trivial starts ${floors.at(-1)!.toFixed(1)}/s, closures ${rates.at(-1)!.toFixed(1)}/s`);
    log(`    CPU per trivial start: ${cpuPerItem(cpu0, cpu1, BATCH)}; per closure: ${cpuPerItem(cpu1, cpu2, BATCH)}`);
  }
  const ratios = rates.map((r, i) => r / floors[i]!);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  log('');
  log(`case starts, ${CALLERS} concurrent callers, ${ROUNDS} rounds of ${BATCH} each:`);
  log(`  floor: trivial workflow starts, same dev server       ${(sum(floors) / ROUNDS).toFixed(1)} /s`);
  log(`  closeAccidentCase over HTTP                           ${(sum(rates) / ROUNDS).toFixed(1)} /s   p50 ${fmt(percentile(latencies, 50))}, p99 ${fmt(percentile(latencies, 99))}`);
  log(`  start snapshots written, closure to read model        ${(projected / (projectionTime / 1000)).toFixed(1)} /s   ${lagging} of ${projected} not yet written when their round's closures had answered`);
  log(`  ratio closures / trivial starts, median of rounds     ${percentile(ratios, 50).toFixed(2)}x   (goal ≥ 0.8x; rounds ${ratios.map((r) => r.toFixed(2)).join(', ')})`);
} finally {
  await stack.stop();
}
