// Case closures per second over HTTP (closeAccidentCase: the closure transaction, the workflow start and the
// start snapshot of the read model) against trivial workflow starts on the same dev server, 16 callers each.
// Run: npm run bench:starts   (BENCH_STARTS closures, default 300; BENCH_CALLERS, default 16)
import { performance } from 'node:perf_hooks';
import { addDays } from '../domain/calendar.js';
import { Evaluation } from '../schema/entities/index.js';
import { fmt, graphql, insertClosableCases, log, percentile, pool, startBenchStack, timed, trivialStartRate } from './harness.js';

const STARTS = Number(process.env.BENCH_STARTS ?? 300);
const CALLERS = Number(process.env.BENCH_CALLERS ?? 16);

const stack = await startBenchStack();
try {
  const cases = await insertClosableCases(stack.orm, stack.data, STARTS + CALLERS);
  const office = graphql(stack.api.url, await stack.bearer('qilin-office'));
  // Closed yesterday: each evaluation waits for its window, as most new cases do.
  const closedAt = addDays(new Date(), -1).toISOString();
  const close = (accidentId: string) => office(`mutation($in: CloseAccidentCaseInput!) { closeAccidentCase(input: $in) { id stage } }`, { in: { accidentId, closedAt } });
  // Warm-up: the first requests compile the resolvers and open the connections.
  await pool(cases.slice(STARTS), CALLERS, async (id) => void (await close(id)));
  await trivialStartRate(stack.client, CALLERS * 2, CALLERS);

  log(`floor: ${STARTS} trivial workflow starts, ${CALLERS} callers…`);
  const floorBefore = await trivialStartRate(stack.client, STARTS / 2, CALLERS);

  log(`${STARTS} closures over HTTP, ${CALLERS} callers…`);
  const em = stack.orm.em.fork();
  const subject = cases.slice(0, STARTS);
  const latencies: number[] = [];
  const began = performance.now();
  const elapsed = await timed(() => pool(subject, CALLERS, async (id) => void latencies.push(await timed(() => close(id)))));
  // The projection keeps up when every start snapshot (revision 1) is written by the time the closures are answered.
  let written = await em.count(Evaluation, { id: { $in: subject }, revision: { $gte: 1 } });
  const answeredAt = performance.now();
  const writtenOnAnswer = written;
  while (written < STARTS) {
    await new Promise((r) => setTimeout(r, 20));
    written = await em.fork().count(Evaluation, { id: { $in: subject }, revision: { $gte: 1 } });
  }
  const projected = performance.now() - began;
  const lag = performance.now() - answeredAt;

  const floorAfter = await trivialStartRate(stack.client, STARTS / 2, CALLERS);
  const floor = (floorBefore + floorAfter) / 2;
  const rate = STARTS / (elapsed / 1000);
  const projectionRate = STARTS / (projected / 1000);
  log('');
  log(`case starts, ${CALLERS} concurrent callers, ${STARTS} each:`);
  log(`  floor: trivial workflow starts, same dev server       ${floor.toFixed(1)} /s   (${floorBefore.toFixed(1)} before, ${floorAfter.toFixed(1)} after)`);
  log(`  closeAccidentCase over HTTP                           ${rate.toFixed(1)} /s   p50 ${fmt(percentile(latencies, 50))}, p99 ${fmt(percentile(latencies, 99))}`);
  log(`  start snapshots written (closure to read model)       ${projectionRate.toFixed(1)} /s   ${writtenOnAnswer}/${STARTS} written when the last closure answered, all ${fmt(lag)} later`);
  log(`  ratio closures / trivial starts                       ${(rate / floor).toFixed(2)}x   (goal ≥ 0.8x)`);
  log(`  ratio projections / trivial starts                    ${(projectionRate / floor).toFixed(2)}x`);
} finally {
  await stack.stop();
}
