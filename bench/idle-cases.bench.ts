// Many open cases, one worker: N cases wait in TEAM_FORMATION, the worker restarts (its workflow cache empty),
// and the first update to random cases is timed over HTTP. Then every case is woken (a query replays it into
// the cache) to measure the wake rate and the memory one cached case takes.
// Run: npm run bench:idle   (BENCH_IDLE_CASES, default 2000; documented at 10000; BENCH_PROBES random first
// updates, default 20; BIHUAN_WORKER_CACHE_SIZE sizes the worker's cache as in production)
import { performance } from 'node:perf_hooks';
import { addDays, addMonths } from '../domain/calendar.js';
import { evaluationWorkflowId } from '../domain/case.js';
import { loadConfig } from '../infra/config.js';
import { Department, Evaluation } from '../schema/entities/index.js';
import { evaluationStateQuery } from '../workflows/evaluation/messages.js';
import { fmt, graphql, insertClosableCases, log, percentile, pool, startBenchStack, timed, trivialUpdates } from './harness.js';

const CASES = Number(process.env.BENCH_IDLE_CASES ?? 2000);
const PROBES = Number(process.env.BENCH_PROBES ?? 20);
const CALLERS = 16;

const gc = (globalThis as { gc?: () => void }).gc;
function memory(): { heap: number; rss: number } {
  gc?.();
  gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  return { heap: heapUsed, rss };
}
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`;

const stack = await startBenchStack();
try {
  const em = stack.orm.em.fork();
  const departments = await Promise.all(['麒麟区应急管理局', '麒麟区住房和城乡建设局', '曲靖市公安局麒麟分局'].map((name) => em.findOneOrFail(Department, { name })));
  const office = graphql(stack.api.url, await stack.bearer('qilin-office'));
  log(`preparing ${CASES} open cases (closed 10 months ago: each waits for its team)…`);
  const cases = await insertClosableCases(stack.orm, stack.data, CASES);
  const closedAt = addDays(addMonths(new Date(), -10), -2).toISOString();
  const setup = await timed(() =>
    pool(cases, CALLERS, async (accidentId) => {
      await office(`mutation($in: CloseAccidentCaseInput!) { closeAccidentCase(input: $in) { id } }`, { in: { accidentId, closedAt } });
    }),
  );
  while ((await em.fork().count(Evaluation, { stage: 'TEAM_FORMATION' })) < CASES) await new Promise((r) => setTimeout(r, 200));
  log(`  ${CASES} cases open in ${(setup / 1000).toFixed(0)} s`);
  const floor = percentile(await trivialUpdates(stack.client, 50), 50);

  log('restarting the worker…');
  const restart = await timed(() => stack.restartWorker());
  const before = memory();

  const formTeam = (id: string) =>
    office(`mutation($in: FormTeamInput!) { formEvaluationTeam(input: $in) { id stage } }`, {
      in: {
        evaluationId: id,
        leader: { name: '赵某', departmentName: departments[0]!.name, departmentId: departments[0]!.id },
        members: [{ name: '周某', departmentName: '麒麟区纪委监委', role: 'DISCIPLINE_INSPECTION' }],
      },
    });
  const shuffled = [...cases].sort(() => Math.random() - 0.5);
  const probes = shuffled.slice(0, PROBES);
  const first: number[] = [];
  const warm: number[] = [];
  for (const id of probes) {
    first.push(await timed(() => formTeam(id)));
    // The same case again, now cached: what an update costs once its case is awake.
    warm.push(await timed(() => office(`query($id: ID!) { evaluation(id: $id) { stage } }`, { id })));
  }

  log(`waking all ${CASES} cases (a query each, ${CALLERS} callers)…`);
  const began = performance.now();
  await pool(shuffled.slice(PROBES), CALLERS, async (id) => {
    await stack.client.workflow.getHandle(evaluationWorkflowId(id)).query(evaluationStateQuery);
  });
  const wakeRate = (CASES - PROBES) / ((performance.now() - began) / 1000);
  const after = memory();

  log('');
  log(`${CASES} open cases, worker restarted (${fmt(restart)} to restart):`);
  log(`  floor: trivial workflow update, same dev server     p50 ${fmt(floor)}`);
  log(`  first update (formEvaluationTeam) to a random case  p50 ${fmt(percentile(first, 50))}   p99 ${fmt(percentile(first, 99))}   max ${fmt(Math.max(...first))}   (goal ≤ 1000 ms, n=${first.length})`);
  log(`  ratio first update p50 / floor p50                  ${(percentile(first, 50) / floor).toFixed(2)}x`);
  log(`  a read of the same case afterwards                  p50 ${fmt(percentile(warm, 50))}`);
  log(`  cases woken into the cache after the restart        ${wakeRate.toFixed(0)} /s`);
  const cached = Math.min(CASES, loadConfig().BIHUAN_WORKER_CACHE_SIZE);
  log(`  memory per cached case (${cached} cached)            heap ${kb((after.heap - before.heap) / cached)}, RSS ${kb((after.rss - before.rss) / cached)}${gc ? '' : '   (run with --expose-gc for steadier numbers)'}`);
} finally {
  await stack.stop();
}
