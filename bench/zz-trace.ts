// scratch: statements and time per closure and per mutation (deleted after use)
import pg from 'pg';
import { performance } from 'node:perf_hooks';
import { addDays, addMonths } from '../domain/calendar.js';
import { graphql, insertClosableCases, log, startBenchStack } from './harness.js';

const seen: { text: string; ms: number; at?: number }[] = [];
let T0 = 0;
let on = false;
const orig = pg.Client.prototype.query as any;
(pg.Client.prototype as any).query = function (this: any, ...args: any[]) {
  const text = typeof args[0] === 'string' ? args[0] : args[0]?.text;
  const t0 = performance.now();
  const r = orig.apply(this, args);
  if (on && r && typeof r.then === 'function') r.then(() => seen.push({ text: String(text).replace(/\s+/g, ' ').slice(0, 100), ms: performance.now() - t0, at: t0 - T0 }), () => undefined);
  else if (on) seen.push({ text: String(text).replace(/\s+/g, ' ').slice(0, 140), ms: -1 });
  return r;
};
const stack = await startBenchStack();
try {
  const wfc: any = stack.client.workflow;
  const origGet = wfc.getHandle.bind(wfc);
  wfc.getHandle = (...a: any[]) => { const h = origGet(...a); const eu = h.executeUpdate.bind(h); h.executeUpdate = async (...b: any[]) => { const t0 = performance.now(); try { return await eu(...b); } finally { if (on) seen.push({ text: 'executeUpdate', ms: performance.now() - t0, at: t0 - T0 }); } }; return h; };
  const cases = await insertClosableCases(stack.orm, stack.data, 6);
  const office = graphql(stack.api.url, await stack.bearer('qilin-office'));
  const closedAt = addDays(addMonths(new Date(), -10), -2).toISOString();
  for (const [i, accidentId] of cases.entries()) {
    seen.length = 0; on = true;
    const t0 = performance.now();
    await office(`mutation($in: CloseAccidentCaseInput!) { closeAccidentCase(input: $in) { id stage } }`, { in: { accidentId, closedAt } });
    const ms = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 300));
    on = false;
    if (i >= 5) { log(`closure ${ms.toFixed(1)} ms, ${seen.length} statements`); for (const s of seen) log(`  ${s.ms.toFixed(2)} ${s.text}`); }
  }
  const id = cases[0]!;
  await new Promise((r) => setTimeout(r, 1500));
  const { Department } = await import('../schema/entities/index.js');
  const em = stack.orm.em.fork();
  const d = await em.findOneOrFail(Department, { name: '麒麟区应急管理局' });
  await office(`mutation($in: FormTeamInput!) { formEvaluationTeam(input: $in) { id } }`, { in: { evaluationId: id, leader: { name: '赵某', departmentName: d.name, departmentId: d.id }, members: [{ name: '周某', departmentName: '麒麟区纪委监委', role: 'DISCIPLINE_INSPECTION' }] } });
  const graph = await office(`query($id: ID!) { accident(id: $id) { investigation { report { measures { id } } } } }`, { id });
  const measures: { id: string }[] = graph.accident.investigation.report.measures;
  await office(`mutation($in: SubmitSelfEvaluationInput!) { submitSelfEvaluation(input: $in) { id } }`, { in: { evaluationId: id, submittedBy: 'x公司', summary: '自查', statements: measures.map((m) => ({ measureId: m.id, statement: '已落实' })) } }).catch((e) => log(String(e)));
  await office(`mutation($in: CompleteDocumentReviewInput!) { completeDocumentReview(input: $in) { id } }`, { in: { evaluationId: id, summary: '审查' } }).catch((e) => log(String(e)));
  for (let n = 0; n < 30; n++) {
    seen.length = 0; on = true;
    const t0 = performance.now(); T0 = t0;
    await office(`mutation($in: RecordOnSiteCheckInput!) { recordOnSiteCheck(input: $in) { id stage allowedActions } }`, { in: { evaluationId: id, kind: 'INTERVIEW', on: '2026-10-12', place: `第${n}处`, summary: '核查'.repeat(100) } }).catch((e) => log(String(e)));
    const ms = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 100));
    on = false;
    if (n >= 26) { log(`check ${ms.toFixed(1)} ms, ${seen.length} statements`); for (const s of seen) log(`  at ${(s.at ?? 0).toFixed(2)} took ${s.ms.toFixed(2)} ${s.text}`); }
  }
} finally {
  await stack.stop();
}
