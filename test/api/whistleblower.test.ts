import { WHISTLEBLOWER_BUDGET } from '../../api/whistleblower/whistleblower.service.js';
import { errorCode, errorField, type GraphQLResponse } from '../helpers/api.js';
import { HAZARD_USERS, hazardInput, insertHazardWorld, today, type HazardUser } from '../helpers/hazard-world.js';
import { seededStack, waitFor } from '../helpers/stack.js';

// Whistleblower reports (举报, 003 §三.三) over HTTP: the public submits without an account and reads the status
// with its receipt, and nothing else; the handling office dispatches, the department verifies, and a report found
// true becomes a hazard in the ledger; each client address submits a few reports an hour.
const stack = seededStack('whistleblower-http', insertHazardWorld, HAZARD_USERS);
const { as } = stack;

const SUBMIT = `mutation($in: SubmitWhistleblowerReportInput!) { submitWhistleblowerReport(input: $in) { receipt receivedOn } }`;
const STATUS = `query($r: String!) { whistleblowerReportStatus(receipt: $r) { stage receivedOn dispatchedOn verifiedOn closedOn outcome } }`;
const REPORT_GRAPH = `id stage handlingRegionCode handlingOfficeName sector enterpriseName description receivedAt closedAt allowedActions
  region { code } reporter { name contact } dispatch { departmentName by department { name } }
  verification { outcome findings by hazardId } reward { amountYuan note } auditTrail { action actorName }`;
const LIST = `query { whistleblowerReports(first: 50) { totalCount edges { node { ${REPORT_GRAPH} } } } }`;
const act = (user: HazardUser, mutation: string, inputType: string, input: Record<string, unknown>) =>
  as[user](`mutation($in: ${inputType}!) { ${mutation}(input: $in) { ${REPORT_GRAPH} } }`, { in: input });

const submission = (overrides: Record<string, unknown> = {}) => ({
  regionId: stack.world.regions.nanning,
  sector: 'HAZARDOUS_CHEMICALS',
  enterpriseName: '某化工公司',
  description: '夜间偷偷停用有毒气体报警器，储罐区无人值守',
  ...overrides,
});

let submitted = 0;
async function submit(overrides: Record<string, unknown> = {}): Promise<{ receipt: string; receivedOn: string }> {
  const result = await as.public(SUBMIT, { in: submission(overrides) });
  expect(errorCode(result)).toBe('OK');
  submitted++;
  return result.data!.submitWhistleblowerReport;
}

/** The report a receipt names, as the handling office finds it (newest first). */
async function newestReport(): Promise<Record<string, any>> {
  const list = await as['ql-office'](LIST);
  return list.data!.whistleblowerReports.edges[0].node;
}

async function started(reportId: string): Promise<void> {
  await waitFor(
    () => stack.db.orm.em.fork().execute<{ revision: number }[]>(`select revision from whistleblower_report where id = ?`, [reportId]),
    (rows) => (rows[0]?.revision ?? 0) >= 1,
    'the report workflow to start',
  );
}

test('should refuse bad input with a typed error naming the field, storing nothing', async () => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['an unknown region', { regionId: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND', 'regionId'],
    ['a malformed region', { regionId: '南宁街道' }, 'NOT_FOUND', 'regionId'],
    ['a city', { regionId: stack.world.regions.qujing }, 'BAD_USER_INPUT', 'regionId'],
    ['an empty description', { description: ' \n ' }, 'BAD_USER_INPUT', 'description'],
    ['a description too long', { description: '报'.repeat(8_001) }, 'BAD_USER_INPUT', 'description'],
    ['a reporter without a name', { reporter: { name: ' ', contact: '13800000000' } }, 'BAD_USER_INPUT', 'reporter.name'],
    ['an enterprise name too long', { enterpriseName: '企'.repeat(201) }, 'BAD_USER_INPUT', 'enterpriseName'],
  ];
  for (const [what, override, expected, at] of cases) {
    const result = await as.public(SUBMIT, { in: submission(override) });
    expect({ what, code: errorCode(result), field: errorField(result) }).toEqual({ what, code: expected, field: at });
  }
  expect(errorCode(await as.public(SUBMIT, { in: submission({ sector: 'FIREWORKS' }) }))).toBe('BAD_USER_INPUT');
  expect(errorCode(await as.public(SUBMIT, { in: submission({ description: '报警\u0007器' }) }))).toBe('BAD_USER_INPUT');
  const [{ count }] = await stack.db.orm.em.fork().execute<{ count: string }[]>(`select count(*) from whistleblower_report`);
  expect(Number(count)).toBe(0);
});

test('should turn a report into a hazard, the receipt showing its status and nothing else', async () => {
  const { receipt, receivedOn } = await submit({ reporter: { name: '匿名群众 甲', contact: '13800000000' } });
  expect(receipt).toMatch(/^[A-Za-z0-9_-]{24}$/);
  expect(receivedOn).toBe(today());
  // Only the receipt's hash is kept.
  const stored = await stack.db.orm.em.fork().execute<{ hash: string }[]>(`select receipt_hash as hash from whistleblower_report`);
  expect(stored.map((r) => r.hash)).not.toContain(receipt);
  expect(JSON.stringify(await stack.db.orm.em.fork().execute(`select * from whistleblower_report`))).not.toContain(receipt);

  const status = await as.public(STATUS, { r: receipt });
  expect(status.data!.whistleblowerReportStatus).toEqual({ stage: 'RECEIVED', receivedOn: today(), dispatchedOn: null, verifiedOn: null, closedOn: null, outcome: null });
  // The status type holds those six fields and no other.
  const type = await as.public(`{ __type(name: "WhistleblowerReportStatus") { fields { name } } }`);
  expect(type.data!.__type.fields.map((f: { name: string }) => f.name).sort()).toEqual(['closedOn', 'dispatchedOn', 'outcome', 'receivedOn', 'stage', 'verifiedOn']);
  for (const wrong of [`${receipt.slice(0, -1)}${receipt.endsWith('A') ? 'B' : 'A'}`, 'x', '', receipt.repeat(9)]) {
    const refused = await as.public(STATUS, { r: wrong });
    expect({ wrong, code: errorCode(refused), field: errorField(refused) }).toEqual({ wrong, code: 'NOT_FOUND', field: 'receipt' });
  }

  const report = await newestReport();
  await started(report.id);
  // The handling office reads who reported; the office above reads the report, not the reporter; others nothing.
  expect(report).toMatchObject({ stage: 'RECEIVED', handlingRegionCode: '530302', region: { code: '530302101' }, reporter: { name: '匿名群众 甲', contact: '13800000000' } });
  expect(report.allowedActions).toEqual(['DISPATCH_REPORT', 'RECORD_VERIFICATION']);
  const above = await as['qj-office'](LIST);
  expect(above.data!.whistleblowerReports.edges[0].node).toMatchObject({ id: report.id, reporter: null, auditTrail: [] });
  for (const user of ['public', 'zy-office', 'ql-emergency', 'chem-contact', 'ql-inspector'] as const) {
    expect({ user, total: (await as[user](LIST)).data!.whistleblowerReports.totalCount }).toEqual({ user, total: 0 });
  }

  const wrongDept = await act('ql-office', 'dispatchWhistleblowerReport', 'DispatchWhistleblowerReportInput', { reportId: report.id, departmentId: stack.world.departments.zhanyiEmergency });
  expect({ code: errorCode(wrongDept), field: errorField(wrongDept) }).toEqual({ code: 'BAD_USER_INPUT', field: 'departmentId' });
  expect(errorCode(await act('qj-office', 'dispatchWhistleblowerReport', 'DispatchWhistleblowerReportInput', { reportId: report.id, departmentId: stack.world.departments.emergency }))).toBe('FORBIDDEN');
  const dispatched = await act('ql-office', 'dispatchWhistleblowerReport', 'DispatchWhistleblowerReportInput', { reportId: report.id, departmentId: stack.world.departments.emergency });
  expect(dispatched.data!.dispatchWhistleblowerReport).toMatchObject({ stage: 'DISPATCHED', dispatch: { departmentName: '麒麟区应急管理局', department: { name: '麒麟区应急管理局' } } });

  // The department it went to reads it now, without the reporter, and verifies it.
  const seen = await as['ql-emergency'](LIST);
  expect(seen.data!.whistleblowerReports.edges.map((e: { node: { id: string; reporter: unknown } }) => [e.node.id, e.node.reporter])).toEqual([[report.id, null]]);
  const verify = (user: HazardUser, input: Record<string, unknown>) =>
    act(user, 'recordWhistleblowerVerification', 'RecordWhistleblowerVerificationInput', { reportId: report.id, findings: '现场核查属实', ...input });
  const entry = { ...hazardInput(stack.world), source: undefined };
  delete entry.source;
  expect(errorCode(await verify('ql-housing', { outcome: 'HAZARD', hazard: entry }))).toBe('NOT_FOUND');
  const noHazard = await verify('ql-emergency', { outcome: 'HAZARD' });
  expect({ code: errorCode(noHazard), field: errorField(noHazard) }).toEqual({ code: 'BAD_USER_INPUT', field: 'hazard' });
  const badHazard = await verify('ql-emergency', { outcome: 'HAZARD', hazard: { ...entry, description: '' } });
  expect({ code: errorCode(badHazard), field: errorField(badHazard) }).toEqual({ code: 'BAD_USER_INPUT', field: 'hazard.description' });
  const elsewhere = await verify('ql-emergency', { outcome: 'HAZARD', hazard: { ...entry, enterpriseId: stack.world.enterprises.zhanyiChemical, supervisingDepartmentId: stack.world.departments.zhanyiEmergency } });
  expect({ code: errorCode(elsewhere), field: errorField(elsewhere) }).toEqual({ code: 'BAD_USER_INPUT', field: 'hazard.enterpriseId' });
  const listByDept = await verify('ql-emergency', { outcome: 'LISTED_SUPERVISION', hazard: entry, supervision: { documentNo: '麒安办督〔2026〕1号', listedOn: today() } });
  expect(errorCode(listByDept)).toBe('FORBIDDEN');
  const [{ count: before }] = await stack.db.orm.em.fork().execute<{ count: string }[]>(`select count(*) from hazard`);
  expect(Number(before)).toBe(0);

  const verified = await verify('ql-emergency', { outcome: 'HAZARD', hazard: entry });
  expect(errorCode(verified)).toBe('OK');
  const verification = verified.data!.recordWhistleblowerVerification.verification;
  expect(verification).toMatchObject({ outcome: 'HAZARD', findings: '现场核查属实', by: null, hazardId: expect.any(String) });
  const hazard = await as['ql-office'](`query($id: ID!) { hazard(id: $id) { id source stage grade whistleblowerReportId enterprise { name } } }`, { id: verification.hazardId });
  expect(hazard.data!.hazard).toEqual({ id: verification.hazardId, source: 'WHISTLEBLOWER', stage: 'REPORTED', grade: 'MAJOR', whistleblowerReportId: report.id, enterprise: { name: '曲靖市麒麟区某化工有限公司' } });

  expect((await as.public(STATUS, { r: receipt })).data!.whistleblowerReportStatus).toEqual({
    stage: 'VERIFIED', receivedOn: today(), dispatchedOn: today(), verifiedOn: today(), closedOn: null, outcome: 'HAZARD',
  });
  expect(errorCode(await act('ql-emergency', 'recordWhistleblowerReward', 'RecordWhistleblowerRewardInput', { reportId: report.id, amountYuan: '2000', note: '举报奖励' }))).toBe('FORBIDDEN');
  const rewarded = await act('ql-office', 'recordWhistleblowerReward', 'RecordWhistleblowerRewardInput', { reportId: report.id, amountYuan: '2000', note: '举报奖励' });
  expect(rewarded.data!.recordWhistleblowerReward.reward).toEqual({ amountYuan: '2000', note: '举报奖励' });
  const closed = await act('ql-office', 'closeWhistleblowerReport', 'WhistleblowerReportIdInput', { reportId: report.id });
  expect(closed.data!.closeWhistleblowerReport).toMatchObject({ stage: 'CLOSED', closedAt: expect.any(String) });
  expect(closed.data!.closeWhistleblowerReport.auditTrail.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['RECEIVE']));
  expect((await as.public(STATUS, { r: receipt })).data!.whistleblowerReportStatus).toEqual({
    stage: 'CLOSED', receivedOn: today(), dispatchedOn: today(), verifiedOn: today(), closedOn: today(), outcome: 'HAZARD',
  });
  // The receipt reads the status, never the report.
  expect((await as.public(`query($id: String!) { whistleblowerReport(id: $id) { id description } }`, { id: report.id })).data!.whistleblowerReport).toBeNull();
});

test('should put a report the office verifies as LISTED_SUPERVISION under listed supervision at once', async () => {
  const { receipt } = await submit({ regionId: stack.world.regions.qilin, sector: 'CONSTRUCTION', enterpriseName: '某建筑公司', description: '高支模未经验收即浇筑' });
  const report = await newestReport();
  await started(report.id);
  const verified = await act('ql-office', 'recordWhistleblowerVerification', 'RecordWhistleblowerVerificationInput', {
    reportId: report.id,
    outcome: 'LISTED_SUPERVISION',
    findings: '属实，责令停工整改',
    hazard: { ...hazardInput(stack.world, { enterpriseId: stack.world.enterprises.builder, supervisingDepartmentId: stack.world.departments.housing, description: '高支模未经验收即浇筑' }), source: undefined },
    supervision: { documentNo: '麒安办督〔2026〕2号', listedOn: today() },
  });
  expect(errorCode(verified)).toBe('OK');
  const hazardId = verified.data!.recordWhistleblowerVerification.verification.hazardId;
  const hazard = await as['ql-housing'](`query($id: ID!) { hazard(id: $id) { source supervised supervision { regionCode documentNo officeName } } }`, { id: hazardId });
  expect(hazard.data!.hazard).toEqual({ source: 'WHISTLEBLOWER', supervised: true, supervision: { regionCode: '530302', documentNo: '麒安办督〔2026〕2号', officeName: '麒麟区安全生产委员会办公室' } });
  expect((await as.public(STATUS, { r: receipt })).data!.whistleblowerReportStatus.outcome).toBe('LISTED_SUPERVISION');
});

test('should limit how many reports one client address submits, apart from signed-in callers', async () => {
  const [{ count: before }] = await stack.db.orm.em.fork().execute<{ count: string }[]>(`select count(*) from whistleblower_report`);
  while (submitted < WHISTLEBLOWER_BUDGET.reports) await submit({ description: `第${submitted + 1}次举报` });
  const response = await fetch(stack.api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: SUBMIT, variables: { in: submission({ description: '超出次数的举报' }) } }),
  });
  expect(response.status).toBe(429);
  const body = (await response.json()) as GraphQLResponse & { errors: { extensions: { retryAfterSeconds: number } }[] };
  expect(errorCode(body)).toBe('RATE_LIMITED');
  expect(body.errors[0]!.extensions.retryAfterSeconds).toBeGreaterThan(0);
  const [{ count: after }] = await stack.db.orm.em.fork().execute<{ count: string }[]>(`select count(*) from whistleblower_report`);
  expect(Number(after)).toBe(Number(before) + WHISTLEBLOWER_BUDGET.reports - 2);
  // The refusal is the address's: the status still reads, and a signed-in caller has a bucket of its own.
  expect(errorCode(await as.public(STATUS, { r: 'AAAAAAAAAAAAAAAAAAAAAAAA' }))).toBe('NOT_FOUND');
  expect(errorCode(await as['ql-leader'](SUBMIT, { in: submission({ description: '干部实名举报' }) }))).toBe('OK');
});
