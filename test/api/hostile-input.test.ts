import { addDays, addMonths } from '../../domain/calendar.js';
import { CAPS } from '../../domain/caps.js';
import { Evaluation } from '../../schema/entities/index.js';
import { graphqlClient } from '../helpers/api.js';
import { insertDemoWorld, seededStack, waitFor } from '../helpers/stack.js';

// The repros of hostile input over HTTP, as a front end (or an attacker with an official's token) sends them:
// each gets a typed refusal, nothing is written, and the case takes the next ordinary action.
const stack = seededStack('hostile-http', (em) => insertDemoWorld(em), []);
let office: Awaited<ReturnType<typeof graphqlClient>>;
let evaluationId: string;
let departments: { id: string; name: string }[];
let measures: { id: string }[];

const FIELDS = `id stage onSiteChecks { place }`;
const run = (mutation: string, inputType: string, input: Record<string, unknown>) =>
  office(`mutation($in: ${inputType}!) { ${mutation}(input: $in) { ${FIELDS} } }`, { in: { evaluationId, ...input } });
const revision = async (): Promise<number> => (await stack.db.orm.em.fork().findOneOrFail(Evaluation, evaluationId)).revision;
const team = (leaderName: string) => ({
  leader: { name: leaderName, departmentName: departments[0]!.name, departmentId: departments[0]!.id },
  members: [{ name: '周某', departmentName: '麒麟区纪委监委', role: 'DISCIPLINE_INSPECTION' }],
});

beforeAll(async () => {
  office = await graphqlClient(stack.api.url, 'qilin-office');
  const graph = await office(`query($id: ID!) { accident(id: $id) { investigation { departments { id name } report { measures { id } } } } }`, { id: stack.world.openCase });
  departments = graph.data!.accident.investigation.departments;
  measures = graph.data!.accident.investigation.report.measures;
  const closed = await office(`mutation($in: CloseAccidentCaseInput!) { closeAccidentCase(input: $in) { id } }`, {
    in: { accidentId: stack.world.openCase, closedAt: addDays(addMonths(new Date(), -10), -1).toISOString() },
  });
  evaluationId = closed.data!.closeAccidentCase.id;
  await waitFor(() => office(`query($id: ID!) { evaluation(id: $id) { stage } }`, { id: evaluationId }), (r) => r.data?.evaluation?.stage === 'TEAM_FORMATION', 'the window');
});

test.each([
  ['a NUL byte', 'a\u0000b'],
  ['a lone surrogate', 'x\ud800y'],
  ['a control character', '赵\u001b[31m某'],
  ['an over-long name', '赵'.repeat(CAPS.name + 1)],
])('should refuse a team leader name with %s as BAD_USER_INPUT and leave the case as it was', async (_what, name) => {
  const before = await revision();
  const refused = await run('formEvaluationTeam', 'FormTeamInput', team(name));
  expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(refused.errors?.[0]?.extensions?.field).toMatch(/leader\.name$/);
  expect(await revision()).toBe(before);
});

test('should take an ordinary team after the hostile ones, and refuse oversize on-site checks and drafts without wedging the case', async () => {
  const formed = await run('formEvaluationTeam', 'FormTeamInput', team('赵某'));
  expect(formed.errors).toBeUndefined();
  expect(formed.data!.formEvaluationTeam.stage).toBe('SELF_EVALUATION');
  await run('submitSelfEvaluation', 'SubmitSelfEvaluationInput', { submittedBy: '企业', summary: '逐项自查', statements: measures.map((m) => ({ measureId: m.id, statement: '已落实' })) });
  await run('completeDocumentReview', 'CompleteDocumentReviewInput', { summary: '审查完毕' });

  const check = (summary: string) => run('recordOnSiteCheck', 'RecordOnSiteCheckInput', { kind: 'SITE_VISIT', on: '2026-10-15', place: '企业调度中心', summary });
  const before = await revision();
  // An 80 KB check (the 25th of them once failed after 20 s with INTERNAL_SERVER_ERROR).
  const big = await check('查'.repeat(27_000));
  expect(big.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(big.errors?.[0]?.extensions?.field).toMatch(/summary$/);
  expect(await revision()).toBe(before);
  const ok = await check('动态监控平台运行正常');
  expect(ok.errors).toBeUndefined();
  expect(ok.data!.recordOnSiteCheck.onSiteChecks).toHaveLength(1);

  await run('completeOnSiteVerification', 'EvaluationIdInput', {});
  await run('submitAssessment', 'SubmitAssessmentInput', {
    summary: '措施已落实',
    measureFindings: measures.map((m) => ({ measureId: m.id, status: 'IMPLEMENTED', evidence: '核查记录' })),
    accountabilityFindings: (await office(`query($id: ID!) { accident(id: $id) { investigation { report { accountabilityItems { id } } } } }`, { id: stack.world.openCase })).data!.accident.investigation.report.accountabilityItems.map(
      (a: { id: string }) => ({ itemId: a.id, status: 'IMPLEMENTED', evidence: '处罚决定书' }),
    ),
    referrals: [],
  });
  const draft = (text: string) =>
    run('submitReportDraft', 'SubmitReportDraftInput', {
      sections: ['ORGANISATION', 'ACCOUNTABILITY', 'MEASURES', 'CONCLUSION'].map((section) => ({ section, text })),
      lists: [
        { list: 'PROBLEMS', items: ['台账不完整'] },
        { list: 'RECOMMENDATIONS', items: ['加强动态监控'] },
        { list: 'GOOD_PRACTICES', items: ['驾驶员休息制度'] },
      ],
      memberMeetingHeldOn: '2026-10-20',
    });
  const beforeDraft = await revision();
  // A 1.2 MB draft (it once failed after 20 s on Temporal's payload limit).
  const huge = await draft('报'.repeat(100_000));
  expect(['BAD_USER_INPUT', 'PAYLOAD_TOO_LARGE']).toContain(huge.errors?.[0]?.extensions?.code);
  // Each section within its cap, the whole draft over the draft's cap.
  const tooMuch = await draft('报'.repeat(CAPS.reportSection));
  expect(tooMuch.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(await revision()).toBe(beforeDraft);
  const fine = await draft('正文');
  expect(fine.errors).toBeUndefined();
  expect(fine.data!.submitReportDraft.stage).toBe('REPORT_APPROVAL');
});

test.each([
  ['evaluation', `{ evaluation(id: "x") { id } }`],
  ['accident', `{ accident(id: "not-a-uuid") { id } }`],
])('should read a malformed %s id as a missing record, not a database error', async (_what, query) => {
  const result = await office(query);
  expect(result.errors).toBeUndefined();
  expect(Object.values(result.data!)[0]).toBeNull();
});

test('should refuse a mutation on a malformed id with NOT_FOUND, the same answer as a missing record', async () => {
  const malformed = await office(`mutation { completeOnSiteVerification(input: { evaluationId: "x" }) { id } }`);
  const missing = await office(`mutation { completeOnSiteVerification(input: { evaluationId: "00000000-0000-4000-8000-000000000000" }) { id } }`);
  expect(malformed.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  expect(malformed.errors?.[0]?.message).toBe(missing.errors?.[0]?.message);
});
