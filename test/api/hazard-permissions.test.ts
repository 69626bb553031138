import { errorCode } from '../helpers/api.js';
import { daysFromToday, HAZARD_USERS, hazardInput, insertHazardWorld, today, type HazardUser } from '../helpers/hazard-world.js';
import { seededStack, waitFor } from '../helpers/stack.js';

// Who may do what on a hazard and a whistleblower report (domain/access.ts MAY_ON_HAZARD, MAY_ON_WHISTLEBLOWER),
// over HTTP with real tokens: every hazard and whistleblower mutation is tried by every user. Each refusal is
// FORBIDDEN, or NOT_FOUND for whom the record does not exist, and changes nothing; each allowed user gets past the
// access check to the workflow, which answers by its stage.
const stack = seededStack('hazard-permissions', insertHazardWorld, HAZARD_USERS);
const { as } = stack;

async function snapshot(table: 'hazard' | 'whistleblower_report', id: string): Promise<{ revision: number; audit: number }> {
  const [row] = await stack.db.orm.em.fork().execute<{ revision: number; audit: string }[]>(
    `select t.revision, (select count(*) from audit_entry a where a.subject_id = t.workflow_id) as audit from ${table} t where t.id = ?`,
    [id],
  );
  return { revision: row!.revision, audit: Number(row!.audit) };
}

/** A fresh major hazard of the chemical enterprise (supervised by the emergency bureau), its workflow started. */
async function freshHazard(listedBy?: HazardUser): Promise<string> {
  const entered = await as['ql-inspector'](`mutation($in: ReportHazardInput!) { reportHazard(input: $in) { id } }`, {
    in: hazardInput(stack.world, { source: 'INSPECTION', description: `权限测试 ${Math.random()}` }),
  });
  const id = entered.data!.reportHazard.id as string;
  await waitFor(() => snapshot('hazard', id), (s) => s.revision >= 1, 'the hazard workflow to start');
  if (listedBy) {
    const listed = await as[listedBy](`mutation($in: ListHazardSupervisionInput!) { listHazardSupervision(input: $in) { supervised } }`, {
      in: { hazardId: id, regionCode: '530302', documentNo: '麒安办督〔2026〕9号', listedOn: today() },
    });
    expect(listed.data?.listHazardSupervision).toEqual({ supervised: true });
  }
  return id;
}

/** Who does not find a hazard of the chemical enterprise at all. */
const HAZARD_HIDDEN: readonly HazardUser[] = ['public', 'zy-office', 'zy-inspector', 'zy-chem-contact', 'builder-contact'];

type HazardRow = [mutation: string, inputType: string, input: () => Record<string, unknown>, allowed: HazardUser[], listed?: boolean];

const HAZARD_TABLE: HazardRow[] = [
  ['fixHazardAtOnce', 'FixHazardAtOnceInput', () => ({ evidence: '已整改' }), ['chem-contact', 'ql-emergency']],
  ['planHazardRectification', 'PlanHazardRectificationInput', () => ({
    responsiblePerson: '郑某', measures: '整改措施', funds: '1000', deadlineOn: daysFromToday(20), emergencyPlan: '应急预案',
  }), ['chem-contact', 'ql-emergency']],
  ['requestHazardExtension', 'RequestHazardExtensionInput', () => ({ untilOn: daysFromToday(60), reason: '设备到货延迟' }), ['chem-contact']],
  ['decideHazardExtension', 'DecideHazardExtensionInput', () => ({ extensionId: 'X1', approved: true, reason: '同意' }), ['ql-emergency']],
  ['submitHazardForAcceptance', 'HazardEvidenceInput', () => ({ evidence: '整改完成' }), ['chem-contact']],
  ['acceptHazardRectification', 'HazardEvidenceInput', () => ({ evidence: '验收合格' }), ['ql-emergency']],
  ['refuseHazardAcceptance', 'HazardReasonInput', () => ({ reason: '未整改到位' }), ['ql-emergency']],
  // The office of the level named lists: 麒麟区's for 530302 (not the city's, whose level is another).
  ['listHazardSupervision', 'ListHazardSupervisionInput', () => ({ regionCode: '530302', documentNo: '麒安办督〔2026〕1号', listedOn: today() }), ['ql-office']],
  ['recordSupervisionReceipt', 'RecordSupervisionReceiptInput', () => ({ signedBy: '郑某', receivedOn: today() }), ['chem-contact'], true],
  ['liftHazardSupervision', 'HazardIdInput', () => ({}), ['ql-office'], true],
  ['markHazardSuspectedCrime', 'HazardReasonInput', () => ({ reason: '拒不整改，涉嫌重大责任事故罪' }), ['ql-inspector']],
  ['recordEnforcementDecision', 'RecordEnforcementDecisionInput', () => ({ decision: 'PENALTY', reason: '一案双罚' }), ['ql-emergency', 'ql-inspector']],
];

test('should cover every hazard and whistleblower mutation of the schema', async () => {
  const schema = await as['ql-office'](`{ __schema { mutationType { fields { name args { name type { ofType { name } } } } } } }`);
  const names = schema.data!.__schema.mutationType.fields
    .filter((f: { args: { type: { ofType: { name: string } | null } }[] }) => f.args.some((a) => /Hazard|Supervision|EnforcementDecision|Whistleblower/.test(a.type.ofType?.name ?? '')))
    .map((f: { name: string }) => f.name);
  // Entering a hazard and submitting a report are tried in hazard.test.ts and whistleblower.test.ts.
  const entries = ['reportHazard', 'createHazardFromFinding', 'submitWhistleblowerReport'];
  expect(new Set([...HAZARD_TABLE.map(([mutation]) => mutation), ...REPORT_TABLE.map(([mutation]) => mutation), ...entries])).toEqual(new Set(names));
});

test.each(HAZARD_TABLE.map((row) => [row[0], row] as const))('%s: only the allowed roles get past the access check', async (_name, [mutation, inputType, input, allowed, listed]) => {
  const id = await freshHazard(listed ? 'ql-office' : undefined);
  const document = `mutation($in: ${inputType}!) { ${mutation}(input: $in) { id stage } }`;
  const variables = { in: { hazardId: id, ...input() } };
  const before = await snapshot('hazard', id);
  for (const user of HAZARD_USERS.filter((u) => !allowed.includes(u))) {
    const result = await as[user](document, variables);
    expect({ user, code: errorCode(result) }).toEqual({ user, code: HAZARD_HIDDEN.includes(user) ? 'NOT_FOUND' : 'FORBIDDEN' });
  }
  expect(await snapshot('hazard', id)).toEqual(before);
  for (const user of allowed) {
    const result = await as[user](document, variables);
    expect({ user, code: errorCode(result) }).toEqual({ user, code: expect.stringMatching(/^(OK|INVALID_TRANSITION|BAD_USER_INPUT)$/) });
  }
});

test('should let the city office list at its own level, and only the listing office lift', async () => {
  const id = await freshHazard();
  const list = (user: HazardUser, regionCode: string) =>
    as[user](`mutation($in: ListHazardSupervisionInput!) { listHazardSupervision(input: $in) { supervised } }`, {
      in: { hazardId: id, regionCode, documentNo: '曲安办督〔2026〕5号', listedOn: today() },
    });
  expect(errorCode(await list('qj-office', '530302'))).toBe('FORBIDDEN');
  expect(errorCode(await list('ql-office', '530300'))).toBe('FORBIDDEN');
  expect(errorCode(await list('qj-office', '530300'))).toBe('OK');
  const lift = (user: HazardUser) => as[user](`mutation($in: HazardIdInput!) { liftHazardSupervision(input: $in) { supervised } }`, { in: { hazardId: id } });
  expect(errorCode(await lift('ql-office'))).toBe('FORBIDDEN');
  expect(errorCode(await lift('yn-office'))).toBe('FORBIDDEN');
  // The listing office gets past the check; the workflow answers that the rectification is not accepted yet.
  expect(errorCode(await lift('qj-office'))).toBe('INVALID_TRANSITION');
});

// ---- whistleblower reports: one report, taken through its steps in the table's order ----

type ReportRow = [mutation: string, inputType: string, input: () => Record<string, unknown>, allowed: HazardUser[]];

/** Offices above the handling office read the report; the department once it is dispatched to it. */
const reportHidden = (dispatched: boolean): readonly HazardUser[] =>
  HAZARD_USERS.filter((u) => !['ql-office', 'qj-office', 'yn-office', ...(dispatched ? ['ql-emergency'] : [])].includes(u));

const REPORT_TABLE: ReportRow[] = [
  ['dispatchWhistleblowerReport', 'DispatchWhistleblowerReportInput', () => ({ departmentId: stack.world.departments.emergency }), ['ql-office']],
  ['recordWhistleblowerVerification', 'RecordWhistleblowerVerificationInput', () => ({ outcome: 'UNFOUNDED', findings: '经核查不属实' }), ['ql-emergency', 'ql-office']],
  ['recordWhistleblowerReward', 'RecordWhistleblowerRewardInput', () => ({ amountYuan: '500', note: '奖励' }), ['ql-office']],
  ['closeWhistleblowerReport', 'WhistleblowerReportIdInput', () => ({}), ['ql-office']],
];

test('should let only the handling office and the department it dispatched to act on a report', async () => {
  const submitted = await as.public(`mutation($in: SubmitWhistleblowerReportInput!) { submitWhistleblowerReport(input: $in) { receipt } }`, {
    in: { regionId: stack.world.regions.nanning, description: '权限测试：仓库违规存放危化品' },
  });
  expect(errorCode(submitted)).toBe('OK');
  const [{ id }] = await stack.db.orm.em.fork().execute<{ id: string }[]>(`select id from whistleblower_report order by received_at desc limit 1`);
  await waitFor(() => snapshot('whistleblower_report', id), (s) => s.revision >= 1, 'the report workflow to start');
  for (const [i, [mutation, inputType, input, allowed]] of REPORT_TABLE.entries()) {
    const document = `mutation($in: ${inputType}!) { ${mutation}(input: $in) { id stage } }`;
    const variables = { in: { reportId: id, ...input() } };
    const hidden = reportHidden(i > 0);
    const before = await snapshot('whistleblower_report', id);
    for (const user of HAZARD_USERS.filter((u) => !allowed.includes(u))) {
      const result = await as[user](document, variables);
      expect({ mutation, user, code: errorCode(result) }).toEqual({ mutation, user, code: hidden.includes(user) ? 'NOT_FOUND' : 'FORBIDDEN' });
    }
    expect(await snapshot('whistleblower_report', id)).toEqual(before);
    for (const user of allowed) {
      const result = await as[user](document, variables);
      expect({ mutation, user, code: errorCode(result) }).toEqual({ mutation, user, code: expect.stringMatching(/^(OK|INVALID_TRANSITION|BAD_USER_INPUT)$/) });
    }
  }
  const [row] = await stack.db.orm.em.fork().execute<{ stage: string }[]>(`select stage from whistleblower_report where id = ?`, [id]);
  expect(row!.stage).toBe('CLOSED');
});
