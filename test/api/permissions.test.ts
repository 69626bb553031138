import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { mintToken } from '../../api/auth/tokens.js';
import { addDays, addMonths } from '../../domain/calendar.js';
import { insertUsers } from '../../infra/demo-users.js';
import { AuditEntry, Enterprise, Evaluation } from '../../schema/entities/index.js';
import { errorCode, testTokenSettings, type GraphQLResponse } from '../helpers/api.js';
import { insertDemoWorld, seededStack, waitFor } from '../helpers/stack.js';

// Who may do what, over HTTP with real tokens: every mutation is tried by every role; each refusal is
// FORBIDDEN (or NOT_FOUND when the case is hidden from that role) and leaves state and audit trail unchanged.
const USERS = [
  'public',
  'qilin-office',
  'qilin-leader',
  'qilin-discipline',
  'qilin-housing',
  'nanning-town',
  'builder-contact',
  'carrier-contact',
  'team-member',
  'qujing-office',
  'lvliang-office',
  'shanxi-office',
] as const;
type User = (typeof USERS)[number];
const stack = seededStack(
  'permissions',
  async (em) => {
    const data = await insertDemoWorld(em);
    const carrier = await em.fork().findOneOrFail(Enterprise, { name: '曲靖市某物流运输有限公司' });
    await insertUsers(em.fork(), [
      { id: 'carrier-contact', name: '物流公司 安全负责人', grants: [{ role: 'ENTERPRISE_CONTACT', enterpriseId: carrier.id }] },
      // No grant yet: forming the team with this user's account makes them a member of this evaluation.
      { id: 'team-member', name: '评估组成员 吴某', grants: [] },
    ]);
    return data;
  },
  USERS,
);
const { as } = stack;

async function snapshot(id: string): Promise<{ revision: number; audit: number }> {
  const em = stack.db.orm.em.fork();
  const row = await em.findOne(Evaluation, id);
  return { revision: row?.revision ?? -1, audit: await em.count(AuditEntry, {}) };
}

const waitForStage = (id: string, stage: string) =>
  waitFor(() => stack.db.orm.em.fork().findOne(Evaluation, id), (row) => row?.stage === stage, stage);

const RETURN_REASON = '问题清单不完整，请补充属地巡查情况';
// Every field that names a person, or says something of a named person (README: "no personal data" for others).
const PERSONS = `query($id: ID!) { evaluation(id: $id) {
  actingLeader team { name departmentName } selfEvaluation { submittedBy summary } onSiteChecks { recordedBy place }
  accountabilityFindings { evidence status } referrals { subject reason } report { approvedBy returns { at reason } }
  auditTrail { actorName } accident { investigation { report { accountabilityItems { subject recommendation } } } } } }`;

/**
 * Tries `mutation` as every user not in `allowed` (each must be refused, with no change), then as `by`.
 * `hidden` are the users for whom the case does not exist: they get NOT_FOUND, the others FORBIDDEN.
 */
async function onlyAllowed(
  id: string,
  mutation: string,
  inputType: string,
  input: Record<string, unknown>,
  allowed: User[],
  hidden: User[],
  by: User,
  key = 'evaluationId',
): Promise<GraphQLResponse> {
  const document = `mutation($in: ${inputType}!) { ${mutation}(input: $in) { __typename } }`;
  const before = await snapshot(id);
  const refusals: [User, string][] = [];
  for (const user of USERS.filter((u) => !allowed.includes(u))) {
    refusals.push([user, errorCode(await as[user](document, { in: { [key]: key === 'evaluationId' ? id : input[key], ...input } }))]);
  }
  expect(refusals).toEqual(USERS.filter((u) => !allowed.includes(u)).map((u) => [u, hidden.includes(u) ? 'NOT_FOUND' : 'FORBIDDEN']));
  expect(await snapshot(id)).toEqual(before);
  const done = await as[by](document, { in: { [key]: key === 'evaluationId' ? id : input[key], ...input } });
  expect(errorCode(done)).toBe('OK');
  return done;
}

test('should let each role do its own work and nothing else, keep drafts confidential and publish the report', async () => {
  const id = stack.world.openCase;
  const graph = await as['qilin-office'](
    `query($id: ID!) { accident(id: $id) { investigation { departments { id name } report { measures { id } accountabilityItems { id subject } } } } }`,
    { id },
  );
  const report = graph.data!.accident.investigation.report;
  const departments = graph.data!.accident.investigation.departments;
  expect(report.accountabilityItems[0].subject).toBe('曲靖市某物流运输有限公司');

  // Before closure the case is visible to the district, the town, the enterprise; not to other jurisdictions,
  // nor to a team whose evaluation does not exist yet.
  const hiddenBeforePublication: User[] = ['public', 'builder-contact', 'qujing-office', 'lvliang-office', 'shanxi-office'];
  const closedAt = addDays(addMonths(new Date(), -10), -1).toISOString();
  await onlyAllowed(id, 'closeAccidentCase', 'CloseAccidentCaseInput', { accidentId: id, closedAt }, ['qilin-office'], [...hiddenBeforePublication, 'team-member'], 'qilin-office', 'accidentId');
  await waitForStage(id, 'TEAM_FORMATION');

  const draft = {
    sections: ['ORGANISATION', 'ACCOUNTABILITY', 'MEASURES', 'CONCLUSION'].map((section) => ({ section, text: `${section} 正文` })),
    lists: ['PROBLEMS', 'RECOMMENDATIONS', 'GOOD_PRACTICES'].map((list) => ({ list, items: ['一项'] })),
    memberMeetingHeldOn: '2026-10-20',
    secretParts: [{ section: 'ACCOUNTABILITY', reason: '涉及正在侦查的刑事案件' }],
  };
  const steps: [string, string, Record<string, unknown>, User[], User][] = [
    ['formEvaluationTeam', 'FormTeamInput', {
      leader: { name: '李主任', departmentName: departments[0].name, departmentId: departments[0].id },
      members: [
        { name: '周某', departmentName: '麒麟区纪委监委', role: 'DISCIPLINE_INSPECTION' },
        { name: '吴某', departmentName: '麒麟区交通运输局', role: 'MEMBER', userId: 'team-member' },
      ],
    }, ['qilin-office'], 'qilin-office'],
    ['submitSelfEvaluation', 'SubmitSelfEvaluationInput', {
      submittedBy: '曲靖市某物流运输有限公司', summary: '自查自评', statements: report.measures.map((m: { id: string }) => ({ measureId: m.id, statement: '已落实' })),
    }, ['carrier-contact', 'team-member', 'qilin-office'], 'carrier-contact'],
    ['completeDocumentReview', 'CompleteDocumentReviewInput', { summary: '资料审查完毕' }, ['team-member', 'qilin-office'], 'team-member'],
    ['recordOnSiteCheck', 'RecordOnSiteCheckInput', { kind: 'INTERVIEW', on: '2026-10-12', place: '企业会议室', summary: '座谈问询' }, ['team-member', 'qilin-office'], 'team-member'],
    ['completeOnSiteVerification', 'EvaluationIdInput', {}, ['team-member', 'qilin-office'], 'team-member'],
    ['submitAssessment', 'SubmitAssessmentInput', {
      summary: '一项未落实',
      measureFindings: report.measures.map((m: { id: string }, i: number) => ({ measureId: m.id, status: i === 0 ? 'NOT_IMPLEMENTED' : 'IMPLEMENTED', evidence: '核查' })),
      accountabilityFindings: report.accountabilityItems.map((a: { id: string }) => ({ itemId: a.id, status: 'IMPLEMENTED', evidence: '处罚决定书' })),
      referrals: [{ kind: 'DISCIPLINE_INSPECTION', subject: '区交通运输局 某科长', reason: '监管失职' }],
    }, ['team-member', 'qilin-office'], 'qilin-office'],
    ['submitReportDraft', 'SubmitReportDraftInput', draft, ['team-member', 'qilin-office'], 'team-member'],
  ];
  for (const [mutation, inputType, input, allowed, by] of steps) {
    // Until the team is formed, the future member has no part in the case.
    const hidden: User[] = mutation === 'formEvaluationTeam' ? [...hiddenBeforePublication, 'team-member'] : hiddenBeforePublication;
    await onlyAllowed(id, mutation, inputType, input, allowed, hidden, by);
  }

  // Lists follow the same rules: the public sees no case before publication, another city none of Qilin's.
  expect((await as.public(`{ accidents(first: 50) { id } evaluations(first: 20) { totalCount } }`)).data).toEqual({ accidents: [], evaluations: { totalCount: 0 } });
  expect((await as['lvliang-office'](`{ accidents(first: 50) { title } }`)).data!.accidents.map((a: { title: string }) => a.title)).toEqual([
    '孝义市山西某焦化化工有限公司“5·20”较大爆炸事故',
  ]);
  expect((await as['nanning-town'](`{ evaluations(first: 20) { totalCount } }`)).data!.evaluations.totalCount).toBe(1);

  // 000 §六.三: the draft and the working papers stay with the team and the organising office.
  const DRAFT = `query($id: ID!) { evaluation(id: $id) { stage selfEvaluation { summary } onSiteChecks { place } report { sections { section text } } auditTrail { action } } }`;
  const housing = (await as['qilin-housing'](DRAFT, { id })).data!.evaluation;
  expect(housing).toEqual({ stage: 'REPORT_APPROVAL', selfEvaluation: null, onSiteChecks: [], report: null, auditTrail: [] });
  const team = (await as['team-member'](DRAFT, { id })).data!.evaluation;
  expect(team.report.sections).toHaveLength(4);
  expect(team.onSiteChecks).toEqual([{ place: '企业会议室' }]);
  expect((await as.public(DRAFT, { id })).data!.evaluation).toBeNull();
  // The same evaluation reached twice in one request, by an official outside the case, reads without error.
  expect(await as['qilin-housing'](`query($id: ID!) { accident(id: $id) { evaluation { stage } } evaluation(id: $id) { stage } }`, { id })).toEqual({
    data: { accident: { evaluation: { stage: 'REPORT_APPROVAL' } }, evaluation: { stage: 'REPORT_APPROVAL' } },
  });

  // The leader sends the draft back once; the team resubmits it.
  await onlyAllowed(id, 'returnReport', 'ReturnReportInput', { reason: RETURN_REASON }, ['qilin-leader'], hiddenBeforePublication, 'qilin-leader');
  const resubmitted = await as['team-member'](`mutation($in: SubmitReportDraftInput!) { submitReportDraft(input: $in) { stage } }`, { in: { evaluationId: id, ...draft } });
  expect(resubmitted.data!.submitReportDraft.stage).toBe('REPORT_APPROVAL');
  await onlyAllowed(id, 'approveReport', 'EvaluationIdInput', {}, ['qilin-leader'], hiddenBeforePublication, 'qilin-leader');
  expect((await as['qilin-housing'](DRAFT, { id })).data!.evaluation.report.sections).toHaveLength(4);

  // README: names of persons are for insiders only; other officials read the agreed working papers without them.
  const insiderSees = {
    actingLeader: '李主任',
    team: [
      { name: '李主任', departmentName: departments[0].name },
      { name: '周某', departmentName: '麒麟区纪委监委' },
      { name: '吴某', departmentName: '麒麟区交通运输局' },
    ],
    selfEvaluation: { submittedBy: '曲靖市某物流运输有限公司', summary: '自查自评' },
    onSiteChecks: [{ recordedBy: '评估组成员 吴某', place: '企业会议室' }],
    accountabilityFindings: [{ evidence: '处罚决定书', status: 'IMPLEMENTED' }],
    referrals: [{ subject: '区交通运输局 某科长', reason: '监管失职' }],
    report: { approvedBy: '麒麟区分管副区长 钱某', returns: [{ at: expect.any(String), reason: RETURN_REASON }] },
    auditTrail: expect.arrayContaining([{ actorName: '麒麟区分管副区长 钱某' }, { actorName: '评估组成员 吴某' }]),
    accident: { investigation: { report: { accountabilityItems: [{ subject: '曲靖市某物流运输有限公司', recommendation: '依法处以罚款' }] } } },
  };
  const officialSees = {
    actingLeader: null,
    team: insiderSees.team.map((m) => ({ ...m, name: null })),
    selfEvaluation: { submittedBy: null, summary: '自查自评' },
    onSiteChecks: [{ recordedBy: null, place: '企业会议室' }],
    accountabilityFindings: [{ evidence: null, status: 'IMPLEMENTED' }],
    referrals: [{ subject: null, reason: '监管失职' }],
    report: { approvedBy: null, returns: [{ at: expect.any(String), reason: null }] },
    auditTrail: [],
    accident: { investigation: { report: { accountabilityItems: [{ subject: null, recommendation: '依法处以罚款' }] } } },
  };
  expect(await as['team-member'](PERSONS, { id })).toEqual({ data: { evaluation: insiderSees } });
  expect(await as['qilin-housing'](PERSONS, { id })).toEqual({ data: { evaluation: officialSees } });
  expect(await as['nanning-town'](PERSONS, { id })).toEqual({ data: { evaluation: officialSees } });

  await onlyAllowed(id, 'fileReport', 'FileReportInput', { reference: '麒安办备〔2026〕9号' }, ['qilin-office'], hiddenBeforePublication, 'qilin-office');
  // Filed: the upper-level office now sees the case; the public still does not.
  await onlyAllowed(id, 'publishReport', 'PublishReportInput', {}, ['qilin-office'], ['public', 'builder-contact', 'lvliang-office', 'shanxi-office'], 'qilin-office');

  // Published: anyone reads the report, minus the withheld part with its reason, and no personal data.
  const PUBLIC = `query($id: ID!) { evaluation(id: $id) { stage report { sections { section text withheldReason } } tasks { id } referrals { subject }
    accident { investigation { report { accountabilityItems { subject recommendation } } } } auditTrail { action } } }`;
  const seen = (await as.public(PUBLIC, { id })).data!.evaluation;
  expect(seen.stage).toBe('FOLLOW_UP');
  expect(seen.report.sections.find((s: { section: string }) => s.section === 'ACCOUNTABILITY')).toEqual({ section: 'ACCOUNTABILITY', text: null, withheldReason: '涉及正在侦查的刑事案件' });
  expect(seen.report.sections.find((s: { section: string }) => s.section === 'CONCLUSION').text).toBe('CONCLUSION 正文');
  expect(seen.accident.investigation.report.accountabilityItems).toEqual([{ subject: null, recommendation: '依法处以罚款' }]);
  expect(seen).toMatchObject({ tasks: [], referrals: [], auditTrail: [] });
  expect(await as.public(`{ accidents(first: 50) { id } evaluations(first: 5) { edges { node { id accident { evaluation { stage } } } } } }`)).toEqual({
    data: { accidents: [{ id }], evaluations: { edges: [{ node: { id, accident: { evaluation: { stage: 'FOLLOW_UP' } } } }] } },
  });
  const discipline = (await as['qilin-discipline'](PUBLIC, { id })).data!.evaluation;
  expect(discipline.referrals).toEqual([{ subject: '区交通运输局 某科长' }]);
  // No names for the public either: the working papers are not published at all, and the report names no one.
  expect(await as.public(PERSONS, { id })).toEqual({
    data: {
      evaluation: {
        actingLeader: null, team: [], selfEvaluation: null, onSiteChecks: [], accountabilityFindings: [], referrals: [],
        report: { approvedBy: null, returns: [{ at: expect.any(String), reason: null }] },
        auditTrail: [],
        accident: { investigation: { report: { accountabilityItems: [{ subject: null, recommendation: '依法处以罚款' }] } } },
      },
    },
  });
  expect(await as['qilin-housing'](PERSONS, { id })).toEqual({ data: { evaluation: officialSees } });
  expect(await as['qujing-office'](PERSONS, { id })).toEqual({ data: { evaluation: officialSees } });
  expect((await as['qilin-discipline'](PERSONS, { id })).data!.evaluation).toEqual(insiderSees);

  const tasks = (await as['qilin-office'](`query($id: ID!) { evaluation(id: $id) { tasks { id } referrals { code } } }`, { id })).data!.evaluation;
  // Tasks and referrals are hidden from the public: acting on an existing one reads exactly like a missing one.
  const CLOSE = `mutation($in: CloseRectificationTaskInput!) { closeRectificationTask(input: $in) { status } }`;
  const existingTask = await as.public(CLOSE, { in: { taskId: tasks.tasks[0].id, evidence: '整改验收单' } });
  const missingTask = await as.public(CLOSE, { in: { taskId: `${id}/${randomUUID()}`, evidence: '整改验收单' } });
  expect(existingTask).toEqual(missingTask);
  expect(existingTask.errors).toEqual([expect.objectContaining({ message: 'no such record', extensions: expect.objectContaining({ code: 'NOT_FOUND', field: 'taskId' }) })]);
  const seesNoCase: User[] = ['public', 'builder-contact', 'lvliang-office', 'shanxi-office'];
  await onlyAllowed(id, 'recordReferralOutcome', 'RecordReferralOutcomeInput', { referralId: tasks.referrals[0].code, outcome: '已给予政务记过处分' }, ['qilin-office', 'qilin-discipline'], seesNoCase, 'qilin-discipline');
  await onlyAllowed(id, 'closeRectificationTask', 'CloseRectificationTaskInput', { taskId: tasks.tasks[0].id, evidence: '整改验收单' }, ['qilin-office'], seesNoCase, 'qilin-office', 'taskId');
  await waitForStage(id, 'CLOSED');
  // Off the team once the evaluation is closed: the member reads what the public reads.
  expect((await as['team-member'](`query($id: ID!) { evaluation(id: $id) { auditTrail { action } onSiteChecks { place } } }`, { id })).data!.evaluation).toEqual({ auditTrail: [], onSiteChecks: [] });

  // The audit trail proves who did each step, and its hash chain links every entry to the one before.
  const trail = await stack.db.orm.em.fork().find(AuditEntry, { subjectType: 'evaluation', subjectId: id }, { orderBy: { revision: 'asc' } });
  expect(trail.map((a) => [a.action, a.actorId, a.stageAfter])).toEqual([
    ['START', 'system', 'WAITING_FOR_WINDOW'],
    ['FIRE_DEADLINES', 'system', 'TEAM_FORMATION'],
    ['FORM_TEAM', 'qilin-office', 'SELF_EVALUATION'],
    ['SUBMIT_SELF_EVALUATION', 'carrier-contact', 'DOCUMENT_REVIEW'],
    ['COMPLETE_DOCUMENT_REVIEW', 'team-member', 'ON_SITE_VERIFICATION'],
    ['RECORD_ON_SITE_CHECK', 'team-member', 'ON_SITE_VERIFICATION'],
    ['COMPLETE_ON_SITE_VERIFICATION', 'team-member', 'COMPREHENSIVE_ASSESSMENT'],
    ['SUBMIT_ASSESSMENT', 'qilin-office', 'REPORT_DRAFTING'],
    ['SUBMIT_REPORT_DRAFT', 'team-member', 'REPORT_APPROVAL'],
    ['RETURN_REPORT', 'qilin-leader', 'REPORT_DRAFTING'],
    ['SUBMIT_REPORT_DRAFT', 'team-member', 'REPORT_APPROVAL'],
    ['APPROVE_REPORT', 'qilin-leader', 'PUBLICATION'],
    ['FILE_REPORT', 'qilin-office', 'PUBLICATION'],
    ['PUBLISH_REPORT', 'qilin-office', 'FOLLOW_UP'],
    ['RECORD_REFERRAL_OUTCOME', 'qilin-discipline', 'FOLLOW_UP'],
    ['TASK_STATUS', 'system', 'CLOSED'],
  ]);
  expect(trail.find((a) => a.action === 'APPROVE_REPORT')).toMatchObject({ actorName: '麒麟区分管副区长 钱某', actorRole: 'LEADER_IN_CHARGE', stageBefore: 'REPORT_APPROVAL' });
  for (let i = 1; i < trail.length; i++) expect(trail[i]!.previousHash).toBe(trail[i - 1]!.stateHash);
  const mine = await as['qilin-leader'](`query { auditEntries(actorId: "qilin-leader", first: 50) { action subjectId } }`);
  expect(mine.data!.auditEntries).toEqual([{ action: 'APPROVE_REPORT', subjectId: id }, { action: 'RETURN_REPORT', subjectId: id }]);
  // Who did what is for insiders: other officials and the public find no entries of another person.
  for (const user of ['lvliang-office', 'qilin-housing', 'public'] as const) {
    expect((await as[user](`query { auditEntries(actorId: "qilin-leader", first: 50) { action actorName } }`)).data!.auditEntries).toEqual([]);
  }
});

test('should read a malformed id as a missing record, for the public and for officials', async () => {
  for (const user of ['public', 'qilin-office'] as const) {
    const answer = await as[user](`{ evaluation(id: "x") { id } accident(id: "x") { id } other: evaluation(id: "00000000-0000-0000-0000-000000000000") { id } }`);
    expect(answer).toEqual({ data: { evaluation: null, accident: null, other: null } });
  }
});

// The application role may not even try (test/api/audit-chain.test.ts); the triggers hold for the table owner too.
test('should refuse a change to the audit trail in PostgreSQL itself', async () => {
  await stack.db.asOwner(async (owner) => {
    await owner.query(
      `insert into audit_entry (at, subject_type, subject_id, revision, actor_id, actor_name, action) values (now(), 'accident', 'audit-probe', 1, 'qilin-office', '李主任', 'CLOSE_CASE')`,
    );
    await expect(owner.query(`update audit_entry set actor_name = 'someone else'`)).rejects.toThrow(/append-only/);
    await expect(owner.query(`delete from audit_entry`)).rejects.toThrow(/append-only/);
    expect((await owner.query(`select actor_name from audit_entry where subject_id = 'audit-probe'`)).rows).toEqual([{ actor_name: '李主任' }]);
  });
});

test.each([
  ['expired', async () => mintToken(testTokenSettings, 'qilin-office', Math.floor(Date.now() / 1000) - 60), /expired/],
  ['signed with another key', async () => mintToken({ ...testTokenSettings, secret: new TextEncoder().encode('x'.repeat(40)) }, 'qilin-office'), /signature/],
  ['tampered', async () => {
    const [h, , s] = (await mintToken(testTokenSettings, 'qilin-office')).split('.');
    return [h, Buffer.from(JSON.stringify({ sub: 'qilin-leader', iss: 'bihuan', aud: 'bihuan-api', exp: 9e9 })).toString('base64url'), s].join('.');
  }, /signature/],
  ['for an unknown user', async () => mintToken(testTokenSettings, 'nobody'), /unknown/],
  ['from another issuer', async () =>
    new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('qilin-office').setIssuer('elsewhere').setAudience('bihuan-api').setExpirationTime('1h').sign(testTokenSettings.secret!), /iss/],
])('should answer UNAUTHENTICATED (401) to a token %s', async (_name, token, message) => {
  const response = await fetch(stack.api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await token()}` },
    body: JSON.stringify({ query: '{ regions { code } }' }),
  });
  expect(response.status).toBe(401);
  const body = (await response.json()) as GraphQLResponse;
  expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(body.errors?.[0]?.message).toMatch(message);
});
