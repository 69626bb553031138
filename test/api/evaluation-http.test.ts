import { addDays, addMonths } from '../../domain/calendar.js';
import { Evaluation } from '../../schema/entities/index.js';
import { OVERDUE, REGION_CODE, STAGE } from '../../workflows/search-attributes.js';
import { graphqlClient } from '../helpers/api.js';
import { insertDemoWorld, seededStack, waitFor } from '../helpers/stack.js';

// End to end over HTTP against the dev server and PostgreSQL: what a front-end team's client sees.
// Dated a year back, so the open case's report was approved before the closure date the test uses.
const stack = seededStack('http-e2e', (em) => insertDemoWorld(em), []);

const EVALUATION_FIELDS = `id stage overdue allowedActions tasks { id assignee status } referrals { code outcome }`;

test('should drive a closed case to a published report and closed follow-up through GraphQL alone', async () => {
  const office = await graphqlClient(stack.api.url, 'qilin-office');
  const leader = await graphqlClient(stack.api.url, 'qilin-leader');

  const graph = await office(
    `query($id: ID!) { accident(id: $id) { title level locationRegion { name parent { name } } enterprise { name }
      investigation { escalated leadDepartment { name } departments { id name } report { documentNo closedAt
        measures { id seq text responsibleUnits } accountabilityItems { id kind subject } } } evaluation { id } } }`,
    { id: stack.world.openCase },
  );
  expect(graph.errors).toBeUndefined();
  const accident = graph.data!.accident;
  expect(accident.locationRegion).toEqual({ name: '南宁街道', parent: { name: '麒麟区' } });
  expect(accident.evaluation).toBeNull();
  const measures: { id: string }[] = accident.investigation.report.measures;
  const items: { id: string }[] = accident.investigation.report.accountabilityItems;
  const departments: { id: string; name: string }[] = accident.investigation.departments;

  // Closed 10 months and a day ago: the window is already open, the workflow opens it by itself.
  const closedAt = addDays(addMonths(new Date(), -10), -1).toISOString();
  const closed = await office(`mutation($in: CloseAccidentCaseInput!) { closeAccidentCase(input: $in) { id stage dueAt profile { id version } } }`, {
    in: { accidentId: stack.world.openCase, closedAt },
  });
  expect(closed.errors).toBeUndefined();
  expect(closed.data!.closeAccidentCase.profile).toEqual({ id: 'qilin', version: '2022' });
  const id: string = closed.data!.closeAccidentCase.id;

  const again = await office(`mutation($in: CloseAccidentCaseInput!) { closeAccidentCase(input: $in) { id } }`, { in: { accidentId: stack.world.openCase } });
  expect(again.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
  // That its workflow runs is recorded within a moment (with other closures' marks), so a worker's boot leaves it be.
  await waitFor(() => stack.db.orm.em.fork().findOneOrFail(Evaluation, id), (row) => row.workflowStartedAt instanceof Date, 'the start to be recorded');

  await waitFor(
    () => office(`query($id: ID!) { evaluation(id: $id) { stage } }`, { id }),
    (r) => r.data?.evaluation?.stage === 'TEAM_FORMATION',
    'the window to open',
  );

  const early = await leader(`mutation($in: EvaluationIdInput!) { approveReport(input: $in) { ${EVALUATION_FIELDS} } }`, { in: { evaluationId: id } });
  expect(early.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');

  const anonymous = await (await graphqlClient(stack.api.url))(`mutation($in: EvaluationIdInput!) { approveReport(input: $in) { id } }`, { in: { evaluationId: id } });
  // The public cannot see an unpublished evaluation at all: it reads as not found.
  expect(anonymous.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

  const steps: [string, string, Record<string, unknown>, string][] = [
    ['formEvaluationTeam', 'FormTeamInput', {
      leader: { name: '赵某', departmentName: departments[0]!.name, departmentId: departments[0]!.id },
      members: [
        { name: '周某', departmentName: '麒麟区纪委监委', role: 'DISCIPLINE_INSPECTION' },
        { name: '吴某', departmentName: '安全技术服务机构', role: 'EXPERT' },
      ],
    }, 'SELF_EVALUATION'],
    ['submitSelfEvaluation', 'SubmitSelfEvaluationInput', {
      submittedBy: '曲靖市某物流运输有限公司', summary: '逐项自查', statements: measures.map((m) => ({ measureId: m.id, statement: '已落实' })),
    }, 'DOCUMENT_REVIEW'],
    ['completeDocumentReview', 'CompleteDocumentReviewInput', { summary: '书面报告与自评报告审查完毕' }, 'ON_SITE_VERIFICATION'],
    ['recordOnSiteCheck', 'RecordOnSiteCheckInput', { kind: 'SITE_VISIT', on: '2026-10-15', place: '企业停车场及调度中心', summary: '动态监控平台运行正常' }, 'ON_SITE_VERIFICATION'],
    ['completeOnSiteVerification', 'EvaluationIdInput', {}, 'COMPREHENSIVE_ASSESSMENT'],
    ['submitAssessment', 'SubmitAssessmentInput', {
      summary: '一项措施未落实',
      measureFindings: measures.map((m, i) => ({ measureId: m.id, status: i === 0 ? 'NOT_IMPLEMENTED' : 'IMPLEMENTED', evidence: '核查记录' })),
      accountabilityFindings: items.map((a) => ({ itemId: a.id, status: 'IMPLEMENTED', evidence: '处罚决定书' })),
      referrals: [],
    }, 'REPORT_DRAFTING'],
    ['submitReportDraft', 'SubmitReportDraftInput', {
      sections: ['ORGANISATION', 'ACCOUNTABILITY', 'MEASURES', 'CONCLUSION'].map((section) => ({ section, text: `${section} 正文` })),
      lists: [
        { list: 'PROBLEMS', items: ['车辆动态监控落实不到位'] },
        { list: 'RECOMMENDATIONS', items: ['加强动态监控'] },
        { list: 'GOOD_PRACTICES', items: ['驾驶员休息制度'] },
      ],
      memberMeetingHeldOn: '2026-10-20',
      secretParts: [{ section: 'ACCOUNTABILITY', reason: '涉及未结案刑事案件侦查内容' }],
    }, 'REPORT_APPROVAL'],
  ];
  for (const [mutation, inputType, input, stage] of steps) {
    const result = await office(`mutation($in: ${inputType}!) { ${mutation}(input: $in) { ${EVALUATION_FIELDS} } }`, { in: { evaluationId: id, ...input } });
    expect(result.errors).toBeUndefined();
    // The mutation's own response already shows the new stage.
    expect(result.data![mutation].stage).toBe(stage);
  }

  const approved = await leader(`mutation($in: EvaluationIdInput!) { approveReport(input: $in) { stage report { approvedBy secretParts { section reason } } } }`, { in: { evaluationId: id } });
  expect(approved.data!.approveReport).toMatchObject({ stage: 'PUBLICATION', report: { approvedBy: '麒麟区分管副区长 钱某' } });

  await office(`mutation($in: PublishReportInput!) { publishReport(input: $in) { stage } }`, { in: { evaluationId: id, url: 'https://www.ql.gov.cn/pgbg/1.html' } });
  const filed = await office(`mutation($in: FileReportInput!) { fileReport(input: $in) { stage filedWith ${EVALUATION_FIELDS} } }`, { in: { evaluationId: id, reference: '麒安办备〔2026〕3号' } });
  expect(filed.errors).toBeUndefined();
  expect(filed.data!.fileReport).toMatchObject({ stage: 'FOLLOW_UP', filedWith: '曲靖市安全生产委员会办公室' });
  // Operators see the stage and due date in the Temporal UI / CLI through search attributes.
  const described = await stack.env.client.workflow.getHandle(`accident-evaluation/${id}`).describe();
  expect(described.typedSearchAttributes.get(STAGE)).toBe('FOLLOW_UP');
  expect(described.typedSearchAttributes.get(REGION_CODE)).toBe('530302');
  expect(described.typedSearchAttributes.get(OVERDUE)).toBe(false);
  const [task] = filed.data!.fileReport.tasks;
  expect(task).toMatchObject({ assignee: '曲靖市某物流运输有限公司', status: 'OPEN' });

  const closedTask = await office(`mutation($in: CloseRectificationTaskInput!) { closeRectificationTask(input: $in) { status evidence measure { seq } } }`, {
    in: { taskId: task.id, evidence: '车辆动态监控平台整改验收单' },
  });
  expect(closedTask.data!.closeRectificationTask).toEqual({ status: 'DONE', evidence: '车辆动态监控平台整改验收单', measure: { seq: 1 } });

  const final = await waitFor(
    () => office(`query($id: ID!) { evaluation(id: $id) { stage closedAt auditTrail { action actorName stageAfter } } }`, { id }),
    (r) => r.data?.evaluation?.stage === 'CLOSED',
    'the evaluation to close',
  );
  const trail: { action: string; actorName: string }[] = final.data!.evaluation.auditTrail;
  expect(trail.find((a) => a.action === 'APPROVE_REPORT')?.actorName).toBe('麒麟区分管副区长 钱某');
  expect(trail.at(-1)).toMatchObject({ action: 'TASK_STATUS', stageAfter: 'CLOSED' });

  const yunnan = await office(`query($f: EvaluationFilterInput) { evaluations(filter: $f, first: 20) { totalCount edges { node { id } } } }`, { f: { regionId: stack.world.regions.yunnan, stage: ['CLOSED'] } });
  expect(yunnan.data!.evaluations.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([id]);
  const shanxi = await office(`query($f: EvaluationFilterInput) { evaluations(filter: $f, first: 20) { totalCount } }`, { f: { regionId: stack.world.regions.shanxi } });
  expect(shanxi.data!.evaluations.totalCount).toBe(0);
});

test('should answer bad input with a typed error naming the field', async () => {
  const office = await graphqlClient(stack.api.url, 'qilin-office');
  const unknown = await office(`mutation { completeDocumentReview(input: { evaluationId: "00000000-0000-4000-8000-000000000000", summary: "x" }) { id } }`);
  expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'evaluationId' });

  const badDate = await office(`mutation { recordOnSiteCheck(input: { evaluationId: "x", kind: SITE_VISIT, on: "yesterday", place: "p", summary: "s" }) { id } }`);
  expect(badDate.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(badDate.errors?.[0]?.message).toContain('on');

  const badEnum = await office(`mutation { recordOnSiteCheck(input: { evaluationId: "x", kind: PHONE_CALL, on: "2026-01-01", place: "p", summary: "s" }) { id } }`);
  expect(badEnum.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

  const future = await office(`mutation($in: CloseAccidentCaseInput!) { closeAccidentCase(input: $in) { id } }`, {
    in: { accidentId: stack.world.openCase, closedAt: addMonths(new Date(), 1).toISOString() },
  });
  expect(future.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'closedAt' });

  const badCursor = await office(`{ evaluations(after: "not-a-cursor", first: 20) { totalCount } }`);
  expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
});

test('should serve an IDE that needs no internet', async () => {
  const page = await fetch(stack.api.url, { headers: { accept: 'text/html' } });
  const html = await page.text();
  expect(html).toContain('/ide/graphiql.min.js');
  expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[^"']*\.(js|css)/);
  for (const asset of ['graphiql.min.js', 'graphiql.min.css', 'react.production.min.js', 'react-dom.production.min.js']) {
    const response = await fetch(new URL(`/ide/${asset}`, stack.api.url));
    expect(response.status).toBe(200);
  }
});
