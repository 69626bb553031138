import { addDays, addMonths } from '../../domain/calendar.js';
import { graphqlClient } from '../helpers/api.js';
import { insertDemoWorld, seededStack, waitFor } from '../helpers/stack.js';

// `evaluation(id, asOf:)` and `evaluations(asOf:)` over HTTP: a case driven through its changes, read live after
// each, then read as of those instants, must read the same; the board as of a past instant shows what was overdue.
// Dated 14 months back: every case's report was approved before the closure dates used here.
const stack = seededStack('as-of-e2e', (em) => insertDemoWorld(em, [], addMonths(new Date(), -14)), []);

const FIELDS = `id stage opensAt dueAt teamDueAt overdue overdueClocks teamFormedAt actingLeader allowedActions profile { id version }
  selfEvaluation { submittedAt submittedBy summary statements { measureId statement } } documentReviewedAt documentReviewSummary
  onSiteCompletedAt assessedAt assessmentSummary publishedAt publicationUrl filedAt filedWith filingReference closedAt
  team { name departmentName role } onSiteChecks { kind on place summary recordedBy }
  measureFindings { status evidence measure { id } } accountabilityFindings { status evidence item { id } }
  referrals { code kind subject reason outcome resolvedAt }
  report { sections { section text withheldReason } lists { list items } memberMeetingHeldOn secretParts { section reason } submittedAt approvedAt approvedBy returns { at reason } }
  tasks { id assignee deadline status escalatedAt escalatedTo closedAt evidence measure { id } }
  notifications { kind message } auditTrail { revision action stageAfter actorName stateHash }`;

const ONE = `query($id: ID!, $asOf: DateTimeISO) { evaluation(id: $id, asOf: $asOf) { ${FIELDS} } }`;
const BOARD = `query($asOf: DateTimeISO, $f: EvaluationFilterInput) { evaluations(asOf: $asOf, filter: $f, first: 50) {
  totalCount edges { node { id stage overdue overdueClocks } } } }`;

type Client = Awaited<ReturnType<typeof graphqlClient>>;
const idsOf = (r: { data?: Record<string, any> }): string[] => r.data!.evaluations.edges.map((e: { node: { id: string } }) => e.node.id);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What `client` read live, and the instant just after it read it. */
interface Seen {
  at: Date;
  evaluation: unknown;
}

async function readNow(client: Client, id: string): Promise<Seen> {
  const live = await client(ONE, { id });
  expect(live.errors).toBeUndefined();
  const at = new Date();
  // Keep later changes off the instant just read.
  await pause(20);
  return { at, evaluation: live.data!.evaluation };
}

test('should read a case as of each past instant exactly as the API showed it then, to each caller', async () => {
  const office = await graphqlClient(stack.api.url, 'qilin-office');
  const leader = await graphqlClient(stack.api.url, 'qilin-leader');
  const publicReader = await graphqlClient(stack.api.url);
  const id = stack.world.openCase;

  const graph = await office(`query($id: ID!) { accident(id: $id) { investigation { departments { id name } report { measures { id } accountabilityItems { id } } } } }`, { id });
  const { departments, report } = graph.data!.accident.investigation;
  const measures: { id: string }[] = report.measures;
  const items: { id: string }[] = report.accountabilityItems;

  const beforeClosure = new Date();
  await pause(20);
  const closed = await office(`mutation($in: CloseAccidentCaseInput!) { closeAccidentCase(input: $in) { id } }`, {
    in: { accidentId: id, closedAt: addDays(addMonths(new Date(), -10), -1).toISOString() },
  });
  expect(closed.errors).toBeUndefined();
  await waitFor(() => office(`query($id: ID!) { evaluation(id: $id) { stage } }`, { id }), (r) => r.data?.evaluation?.stage === 'TEAM_FORMATION', 'the window to open');

  const seen: Seen[] = [await readNow(office, id)];
  const seenByPublic: Seen[] = [await readNow(publicReader, id)];
  const act = async (client: Client, mutation: string, inputType: string, input: Record<string, unknown>) => {
    const result = await client(`mutation($in: ${inputType}!) { ${mutation}(input: $in) { id } }`, { in: { evaluationId: id, ...input } });
    expect(result.errors).toBeUndefined();
    seen.push(await readNow(office, id));
    seenByPublic.push(await readNow(publicReader, id));
  };
  await act(office, 'formEvaluationTeam', 'FormTeamInput', {
    leader: { name: '赵某', departmentName: departments[0].name, departmentId: departments[0].id },
    members: [{ name: '周某', departmentName: '麒麟区纪委监委', role: 'DISCIPLINE_INSPECTION' }],
  });
  await act(office, 'submitSelfEvaluation', 'SubmitSelfEvaluationInput', {
    submittedBy: '曲靖市某物流运输有限公司', summary: '逐项自查', statements: measures.map((m) => ({ measureId: m.id, statement: '已落实' })),
  });
  await act(office, 'completeDocumentReview', 'CompleteDocumentReviewInput', { summary: '书面报告与自评报告审查完毕' });
  await act(office, 'recordOnSiteCheck', 'RecordOnSiteCheckInput', { kind: 'SITE_VISIT', on: '2026-10-15', place: '企业调度中心', summary: '动态监控平台运行正常' });
  await act(office, 'completeOnSiteVerification', 'EvaluationIdInput', {});
  await act(office, 'submitAssessment', 'SubmitAssessmentInput', {
    summary: '一项措施未落实',
    measureFindings: measures.map((m, i) => ({ measureId: m.id, status: i === 0 ? 'NOT_IMPLEMENTED' : 'IMPLEMENTED', evidence: '核查记录' })),
    accountabilityFindings: items.map((a) => ({ itemId: a.id, status: 'IMPLEMENTED', evidence: '处罚决定书' })),
    referrals: [{ kind: 'PROCURATORATE', subject: '车队长 王某', reason: '刑事责任追究滞后' }],
  });
  const draft = {
    sections: ['ORGANISATION', 'ACCOUNTABILITY', 'MEASURES', 'CONCLUSION'].map((section) => ({ section, text: `${section} 正文` })),
    lists: [
      { list: 'PROBLEMS', items: ['车辆动态监控落实不到位'] },
      { list: 'RECOMMENDATIONS', items: ['加强动态监控'] },
      { list: 'GOOD_PRACTICES', items: ['驾驶员休息制度'] },
    ],
    memberMeetingHeldOn: '2026-10-20',
    secretParts: [{ section: 'ACCOUNTABILITY', reason: '涉及未结案刑事案件侦查内容' }],
  };
  await act(office, 'submitReportDraft', 'SubmitReportDraftInput', draft);
  await act(leader, 'returnReport', 'ReturnReportInput', { reason: '问题清单需补充' });
  await act(office, 'submitReportDraft', 'SubmitReportDraftInput', draft);
  await act(leader, 'approveReport', 'EvaluationIdInput', {});
  await act(office, 'publishReport', 'PublishReportInput', { url: 'https://www.ql.gov.cn/pgbg/7.html' });
  await act(office, 'fileReport', 'FileReportInput', { reference: '麒安办备〔2026〕7号' });
  const referral = await office(`mutation($in: RecordReferralOutcomeInput!) { recordReferralOutcome(input: $in) { id } }`, { in: { evaluationId: id, referralId: 'R1', outcome: '已提起公诉' } });
  expect(referral.errors).toBeUndefined();
  seen.push(await readNow(office, id));
  const [task] = (seen.at(-1)!.evaluation as { tasks: { id: string }[] }).tasks;
  const closedTask = await office(`mutation($in: CloseRectificationTaskInput!) { closeRectificationTask(input: $in) { status } }`, { in: { taskId: task!.id, evidence: '整改验收单' } });
  expect(closedTask.errors).toBeUndefined();
  await waitFor(() => office(`query($id: ID!) { evaluation(id: $id) { stage } }`, { id }), (r) => r.data?.evaluation?.stage === 'CLOSED', 'the evaluation to close');
  seen.push(await readNow(office, id));
  expect((seen.at(-1)!.evaluation as { auditTrail: { action: string }[] }).auditTrail.map((a) => a.action)).toEqual(
    expect.arrayContaining(['START', 'FIRE_DEADLINES', 'RETURN_REPORT', 'TASK_STATUS']),
  );

  // The organising office, as of each instant: what it read then, field for field, tasks and the trail included.
  for (const { at, evaluation } of seen) {
    const then = await office(ONE, { id, asOf: at.toISOString() });
    expect(then.errors).toBeUndefined();
    expect({ at, evaluation: then.data!.evaluation }).toEqual({ at, evaluation });
  }
  // The public read nothing until publication, then the report without its secret part: the same as of then.
  expect(seenByPublic.filter((s) => s.evaluation === null).length).toBeGreaterThan(5);
  expect(seenByPublic.at(-1)!.evaluation).toMatchObject({ report: { sections: expect.arrayContaining([{ section: 'ACCOUNTABILITY', text: null, withheldReason: '涉及未结案刑事案件侦查内容' }]) } });
  for (const { at, evaluation } of seenByPublic) {
    const then = await publicReader(ONE, { id, asOf: at.toISOString() });
    expect({ at, evaluation: then.data!.evaluation }).toEqual({ at, evaluation });
  }
  // Before the case closed there was no evaluation to read.
  expect((await office(ONE, { id, asOf: beforeClosure.toISOString() })).data!.evaluation).toBeNull();

  // The board as of an instant filters by the stage then, and shows each case as it was.
  const inSelfEvaluation = seen[1]!;
  const board = await office(BOARD, { asOf: inSelfEvaluation.at.toISOString(), f: { stage: ['SELF_EVALUATION'] } });
  expect(board.errors).toBeUndefined();
  expect(board.data!.evaluations.edges).toEqual([{ node: { id, stage: 'SELF_EVALUATION', overdue: false, overdueClocks: [] } }]);
  expect(board.data!.evaluations.totalCount).toBe(1);
  expect(idsOf(await office(BOARD, { asOf: inSelfEvaluation.at.toISOString(), f: { stage: ['CLOSED'] } }))).toEqual([]);
  // The public's board as of before publication has none of it; as of after, it has it.
  const published = seenByPublic.find((s) => s.evaluation !== null)!;
  expect(idsOf(await publicReader(BOARD, { asOf: seen[1]!.at.toISOString() }))).not.toContain(id);
  expect(idsOf(await publicReader(BOARD, { asOf: published.at.toISOString() }))).toContain(id);
});

test('should show the overdue board as it stood: not overdue before the due instant, overdue after it', async () => {
  const office = await graphqlClient(stack.api.url, 'qilin-office');
  const id = stack.world.qilinCase;
  const beforeClosure = new Date();
  await pause(20);
  // Closed twelve months before a moment a few seconds ahead: its window is already open, and its due date is near.
  const due = new Date(Date.now() + 6_000);
  const closed = await office(`mutation($in: CloseAccidentCaseInput!) { closeAccidentCase(input: $in) { id dueAt } }`, {
    in: { accidentId: id, closedAt: addMonths(due, -12).toISOString() },
  });
  expect(closed.errors).toBeUndefined();
  expect(new Date(closed.data!.closeAccidentCase.dueAt).getTime()).toBe(due.getTime());
  await waitFor(() => office(`query($id: ID!) { evaluation(id: $id) { stage } }`, { id }), (r) => r.data?.evaluation?.stage === 'TEAM_FORMATION', 'the window to open');
  const beforeDue = new Date();
  expect(beforeDue.getTime()).toBeLessThan(due.getTime());

  let overdueAt: Date | null = null;
  for (let i = 0; i < 150 && !overdueAt; i++) {
    const live = await office(`query($id: ID!) { evaluation(id: $id) { overdue } }`, { id });
    if (live.data?.evaluation?.overdue) overdueAt = new Date();
    else await pause(100);
  }
  expect(overdueAt).not.toBeNull();

  const overdueThen = (asOf: Date) => office(BOARD, { asOf: asOf.toISOString(), f: { overdue: true } });
  const onTimeThen = (asOf: Date) => office(BOARD, { asOf: asOf.toISOString(), f: { overdue: false } });
  expect(idsOf(await overdueThen(beforeDue))).not.toContain(id);
  expect((await onTimeThen(beforeDue)).data!.evaluations.edges).toContainEqual({ node: { id, stage: 'TEAM_FORMATION', overdue: false, overdueClocks: [] } });
  expect((await overdueThen(overdueAt!)).data!.evaluations.edges).toContainEqual({ node: { id, stage: 'TEAM_FORMATION', overdue: true, overdueClocks: ['WINDOW'] } });
  expect(idsOf(await onTimeThen(overdueAt!))).not.toContain(id);
  // Before its closure the case was on no board at all.
  expect(idsOf(await overdueThen(beforeClosure))).not.toContain(id);
  expect(idsOf(await onTimeThen(beforeClosure))).not.toContain(id);
  // The live board agrees with the board as of now.
  const live = await office(`query($f: EvaluationFilterInput) { evaluations(filter: $f, first: 50) { edges { node { id } } } }`, { f: { overdue: true } });
  expect(idsOf(await overdueThen(new Date()))).toEqual(idsOf(live));
});

test('should refuse an instant ahead, and answer a trail that does not reproduce its state with a typed error', async () => {
  const office = await graphqlClient(stack.api.url, 'qilin-office');
  const id = stack.world.qilinCase;
  const ahead = await office(ONE, { id, asOf: addDays(new Date(), 1).toISOString() });
  expect(ahead.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'asOf' });
  const badBoard = await office(BOARD, { asOf: addDays(new Date(), 1).toISOString() });
  expect(badBoard.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'asOf' });
  // A case hidden from the caller now is hidden as of any instant.
  const lvliang = await graphqlClient(stack.api.url, 'lvliang-office');
  expect((await lvliang(ONE, { id, asOf: new Date().toISOString() })).data!.evaluation).toBeNull();

  const before = new Date();
  await pause(20);
  // An entry appended by hand (the trail refuses updates, not inserts): its recorded state is none a change gives.
  const [last] = await stack.db.orm.em.getConnection().execute<{ revision: number; state_hash: string }[]>(
    `select revision, state_hash from audit_entry where subject_type = 'evaluation' and subject_id = ? order by revision desc limit 1`,
    [id],
  );
  await stack.db.orm.em.getConnection().execute(
    `insert into audit_entry (at, subject_type, subject_id, revision, actor_id, actor_name, action, stage_before, stage_after, payload, state_hash, previous_hash)
     values (now(), 'evaluation', ?, ?, 'intruder', '某人', 'FORM_TEAM', 'TEAM_FORMATION', 'SELF_EVALUATION', '{}', repeat('0', 64), ?)`,
    [id, last!.revision + 1, last!.state_hash],
  );
  // PostgreSQL's now() has microseconds, an ISO instant milliseconds: ask for a later millisecond than the entry's.
  await pause(5);
  const forged = await office(ONE, { id, asOf: new Date().toISOString() });
  expect(forged.data?.evaluation ?? null).toBeNull();
  expect(forged.errors?.[0]?.extensions).toMatchObject({ code: 'HISTORY_MISMATCH', field: 'asOf' });
  expect(forged.errors?.[0]?.message).toContain(`revision ${last!.revision + 1} (FORM_TEAM)`);
  // Up to the entry before it, the trail still answers.
  const earlier = await office(ONE, { id, asOf: before.toISOString() });
  expect(earlier.errors).toBeUndefined();
  expect(earlier.data!.evaluation).toMatchObject({ id, stage: 'TEAM_FORMATION', overdue: true });
});
