// A mutation's round trip over HTTP (GraphQL → workflow update → projection → answer), from the first change of
// a case to its ~300th, against a trivial Temporal update on the same dev server, measured in the same run.
// Run: npm run bench:mutation   (BENCH_MUTATION_CASES cases driven in turn, default 3; BENCH_CHECKS on-site checks each,
// default 200, the cap; DATABASE_URL for an external PostgreSQL)
import { verifyAuditChain } from '../activities/audit.js';
import { addDays, addMonths } from '../domain/calendar.js';
import { CAPS } from '../domain/caps.js';
import { Department } from '../schema/entities/index.js';
import { fmt, graphql, insertClosableCases, log, percentile, startBenchStack, timed, trivialUpdater, type BenchStack } from './harness.js';

const CASES = Number(process.env.BENCH_MUTATION_CASES ?? 3);
const CHECKS = Math.min(Number(process.env.BENCH_CHECKS ?? CAPS.onSiteChecks), CAPS.onSiteChecks);
const RETURNS = 20;
const REFERRALS = CAPS.referrals;

// What a front end asks back after an action: the new stage and what may be done next.
const FIELDS = 'id stage allowedActions';

/** A realistic on-site check record: about 300 characters of findings. */
const checkSummary = (n: number): string =>
  `第${n}次核查：` + '座谈问询属地政府及行业部门整改落实情况，查阅会议纪要、财务凭证、处罚文书和整改台账，现场核对临边防护、洞口防护设施。'.repeat(6);

interface Sample {
  change: number;
  mutation: string;
  ms: number;
  /** A trivial update timed just before this change: the floor under the same load. */
  floor: number;
}

async function waitForStage(query: ReturnType<typeof graphql>, id: string, stage: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const data = await query(`query($id: ID!) { evaluation(id: $id) { stage } }`, { id });
    if (data.evaluation?.stage === stage) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`evaluation ${id} never reached ${stage}`);
}

/** One case from closure to follow-up, every change an HTTP mutation, each one timed. */
async function driveCase(stack: BenchStack, accidentId: string, departments: Department[], trivial: (count: number) => Promise<number[]>): Promise<Sample[]> {
  const office = graphql(stack.api.url, await stack.bearer('qilin-office'));
  const leader = graphql(stack.api.url, await stack.bearer('qilin-leader'));
  const closedAt = addDays(addMonths(new Date(), -10), -2).toISOString();
  const closed = await office(`mutation($in: CloseAccidentCaseInput!) { closeAccidentCase(input: $in) { id } }`, { in: { accidentId, closedAt } });
  const id: string = closed.closeAccidentCase.id;
  await waitForStage(office, id, 'TEAM_FORMATION');
  const graph = await office(`query($id: ID!) { accident(id: $id) { investigation { report { measures { id } accountabilityItems { id } } } } }`, { id });
  const measures: { id: string }[] = graph.accident.investigation.report.measures;
  const items: { id: string }[] = graph.accident.investigation.report.accountabilityItems;

  const samples: Sample[] = [];
  const act = async (client: typeof office, mutation: string, inputType: string, input: Record<string, unknown>) => {
    const [floor] = await trivial(1);
    const ms = await timed(() => client(`mutation($in: ${inputType}!) { ${mutation}(input: $in) { ${FIELDS} } }`, { in: { evaluationId: id, ...input } }));
    samples.push({ change: samples.length + 1, mutation, ms, floor: floor! });
  };
  const draft = {
    sections: ['ORGANISATION', 'ACCOUNTABILITY', 'MEASURES', 'CONCLUSION'].map((section) => ({ section, text: `${section}：` + '评估组对照事故调查报告逐项核查整改措施落实情况。'.repeat(40) })),
    lists: ['PROBLEMS', 'RECOMMENDATIONS', 'GOOD_PRACTICES'].map((list) => ({ list, items: Array.from({ length: 5 }, (_, i) => `${list}第${i + 1}项：属地巡查台账不完整，需建立动态巡查机制`) })),
    memberMeetingHeldOn: '2026-10-20',
    secretParts: [],
  };

  await act(office, 'formEvaluationTeam', 'FormTeamInput', {
    leader: { name: '赵某', departmentName: departments[0]!.name, departmentId: departments[0]!.id },
    members: [
      ...departments.slice(1).map((d, i) => ({ name: `成员${i + 1}`, departmentName: d.name, departmentId: d.id, role: 'MEMBER' })),
      { name: '周某', departmentName: '麒麟区纪委监委', role: 'DISCIPLINE_INSPECTION' },
      { name: '吴某', departmentName: '云南某安全技术服务有限公司', role: 'EXPERT' },
    ],
  });
  await act(office, 'submitSelfEvaluation', 'SubmitSelfEvaluationInput', {
    submittedBy: '曲靖市某建设工程有限公司',
    summary: '对照调查报告逐项开展自查自评。',
    statements: measures.map((m) => ({ measureId: m.id, statement: '已落实，附整改台账。' })),
  });
  await act(office, 'completeDocumentReview', 'CompleteDocumentReviewInput', { summary: '审查了属地政府书面报告、企业自查自评报告及结案批复。' });
  for (let n = 1; n <= CHECKS; n++) {
    await act(office, 'recordOnSiteCheck', 'RecordOnSiteCheckInput', {
      kind: (['INTERVIEW', 'DOCUMENT_CHECK', 'SITE_VISIT'] as const)[n % 3],
      on: '2026-10-12',
      place: `南宁街道第${n}处在建项目`,
      summary: checkSummary(n),
    });
  }
  await act(office, 'completeOnSiteVerification', 'EvaluationIdInput', {});
  await act(office, 'submitAssessment', 'SubmitAssessmentInput', {
    summary: '整改措施总体落实，个别措施落实不到位。',
    measureFindings: measures.map((m, i) => ({ measureId: m.id, status: i === 0 ? 'NOT_IMPLEMENTED' : 'IMPLEMENTED', evidence: `核查记录第${i + 1}号` })),
    accountabilityFindings: items.map((a, i) => ({ itemId: a.id, status: 'IMPLEMENTED', evidence: `处罚决定书第${i + 1}号` })),
    referrals: Array.from({ length: REFERRALS }, (_, i) => ({ kind: 'DISCIPLINE_INSPECTION', subject: `有关监管人员${i + 1}`, reason: '履职不到位，移交纪检监察机关（001 §11(二)）' })),
  });
  await act(office, 'submitReportDraft', 'SubmitReportDraftInput', draft);
  for (let r = 1; r <= RETURNS; r++) {
    await act(leader, 'returnReport', 'ReturnReportInput', { reason: `第${r}次退回：问题清单需补充整改时限` });
    await act(office, 'submitReportDraft', 'SubmitReportDraftInput', draft);
  }
  await act(leader, 'approveReport', 'EvaluationIdInput', {});
  await act(office, 'publishReport', 'PublishReportInput', { url: 'https://www.ql.gov.cn/zwgk/pgbg/bench.html' });
  await act(office, 'fileReport', 'FileReportInput', { reference: '麒安办备〔2026〕12号' });
  for (let r = 1; r <= REFERRALS; r++) {
    await act(office, 'recordReferralOutcome', 'RecordReferralOutcomeInput', { referralId: `R${r}`, outcome: '已给予政务处分' });
  }
  return samples;
}

const stack = await startBenchStack();
try {
  const em = stack.orm.em.fork();
  const departments = await Promise.all(['麒麟区应急管理局', '麒麟区住房和城乡建设局', '曲靖市公安局麒麟分局'].map((name) => em.findOneOrFail(Department, { name })));
  const cases = await insertClosableCases(stack.orm, stack.data, CASES);
  // The floor is taken all along, one trivial update before each change, so both see the same load.
  const trivial = await trivialUpdater(stack.client);
  const samples: Sample[] = [];
  for (const [i, accidentId] of cases.entries()) {
    log(`case ${i + 1}/${CASES}: closing and driving it through ${CHECKS + 2 * RETURNS + REFERRALS + 9} changes over HTTP…`);
    samples.push(...(await driveCase(stack, accidentId, departments, trivial)));
  }
  const floor = samples.map((s) => s.floor);
  const base = percentile(floor, 50);

  const last = Math.max(...samples.map((s) => s.change));
  const windows: [string, (s: Sample) => boolean][] = [
    ['change 1 (formEvaluationTeam)', (s) => s.change === 1],
    ['changes 4-13 (on-site checks 1-10)', (s) => s.mutation === 'recordOnSiteCheck' && s.change <= 13],
    ['changes 94-113 (on-site checks 91-110)', (s) => s.mutation === 'recordOnSiteCheck' && s.change >= 94 && s.change <= 113],
    [`changes ${CHECKS - 6}-${CHECKS + 3} (on-site checks ${CHECKS - 9}-${CHECKS})`, (s) => s.mutation === 'recordOnSiteCheck' && s.change > CHECKS - 7],
    [`changes ${last - 19}-${last} (recordReferralOutcome)`, (s) => s.change > last - 20],
    [`all ${last} changes`, () => true],
  ];
  log('');
  log(`mutation round trip over HTTP, ${CASES} cases × ${last} changes (a case's revision is its change number + 2):`);
  log(`  floor: trivial workflow update, same dev server     p50 ${fmt(base)}   p99 ${fmt(percentile(floor, 99))}`);
  const rows = windows.map(([label, pick]) => {
    const picked = samples.filter(pick);
    if (!picked.length) return NaN;
    const p50 = percentile(picked.map((s) => s.ms), 50);
    const localFloor = percentile(picked.map((s) => s.floor), 50);
    log(
      `  ${label.padEnd(50)} p50 ${fmt(p50).padStart(9)}   p99 ${fmt(percentile(picked.map((s) => s.ms), 99)).padStart(9)}   ` +
        `${(p50 / localFloor).toFixed(2)}x its floor (${fmt(localFloor)})   (n=${picked.length})`,
    );
    return p50 / localFloor;
  });
  // Every change went through the projection's fast path or its transaction: the trail must still verify.
  for (const caseId of cases) {
    const report = await verifyAuditChain(stack.orm.em.fork(), stack.auditKey, { caseId });
    if (!report.ok) throw new Error(`the audit trail of ${caseId} does not verify: ${JSON.stringify(report.firstBroken)}`);
  }
  log(`  flatness: ratio of the last on-site checks / ratio of the first   ${(rows[3]! / rows[1]!).toFixed(2)}x`);
  log(`  ratio, all changes: p50 / floor p50                                ${(percentile(samples.map((s) => s.ms), 50) / base).toFixed(2)}x   (goal ≤ 2x)`);
} finally {
  await stack.stop();
}
