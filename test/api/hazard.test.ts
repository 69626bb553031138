import { errorCode, errorField, type GraphQLResponse } from '../helpers/api.js';
import { daysFromToday, HAZARD_GRAPH, HAZARD_USERS, hazardInput, insertEvaluationFixture, insertHazardWorld, today, type HazardUser } from '../helpers/hazard-world.js';
import { seededStack, waitFor } from '../helpers/stack.js';

// The hazard ledger over HTTP (003 §三), as an enterprise, its supervising department and the district's offices
// use it: entering hazards (typed errors, who may, retries), reading them (who sees what), the list, and hazards
// driven to closure through GraphQL alone.
const stack = seededStack('hazard-http', insertHazardWorld, HAZARD_USERS);
const { as } = stack;

const REPORT = `mutation($in: ReportHazardInput!, $key: String) { reportHazard(input: $in, idempotencyKey: $key) { ${HAZARD_GRAPH} } }`;
const report = (user: HazardUser, input: Record<string, unknown>, key?: string) => as[user](REPORT, { in: input, ...(key ? { key } : {}) });
const READ = `query($id: ID!) { hazard(id: $id) { ${HAZARD_GRAPH} } }`;
const read = (user: HazardUser, id: string) => as[user](READ, { id });

/** Runs a hazard mutation whose input type is `<Name>Input` by convention, answering the hazard graph. */
const act = (user: HazardUser, mutation: string, inputType: string, input: Record<string, unknown>) =>
  as[user](`mutation($in: ${inputType}!) { ${mutation}(input: $in) { ${HAZARD_GRAPH} } }`, { in: input });

/** The workflow records its start by itself (revision 1): actions wait for it. */
async function started(id: string): Promise<void> {
  await waitFor(
    () => stack.db.orm.em.fork().execute<{ revision: number }[]>(`select revision from hazard where id = ?`, [id]),
    (rows) => (rows[0]?.revision ?? 0) >= 1,
    'the hazard workflow to start',
  );
}

describe('entering a hazard', () => {
  test('should refuse bad input with a typed error naming the field at fault', async () => {
    const cases: [string, Record<string, unknown>, string, string | undefined][] = [
      ['an unknown enterprise', { enterpriseId: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND', 'enterpriseId'],
      ['a malformed enterprise id', { enterpriseId: '某化工' }, 'NOT_FOUND', 'enterpriseId'],
      ['an unknown department', { supervisingDepartmentId: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND', 'supervisingDepartmentId'],
      ['a department of another district', { supervisingDepartmentId: stack.world.departments.zhanyiEmergency }, 'BAD_USER_INPUT', 'supervisingDepartmentId'],
      ['a sector the register does not hold', { sector: 'CONSTRUCTION' }, 'BAD_USER_INPUT', 'sector'],
      ['an empty description', { description: '  ' }, 'BAD_USER_INPUT', 'description'],
      ['an empty judgement basis', { judgementBasis: '' }, 'BAD_USER_INPUT', 'judgementBasis'],
      ['a description too long', { description: '隐'.repeat(8_001) }, 'BAD_USER_INPUT', 'description'],
      ['the whistleblower source', { source: 'WHISTLEBLOWER' }, 'BAD_USER_INPUT', 'source'],
      ['the evaluation source', { source: 'EVALUATION' }, 'BAD_USER_INPUT', 'source'],
      ['a campaign on an inspection', { source: 'INSPECTION', campaignId: '00000000-0000-4000-8000-000000000000' }, 'BAD_USER_INPUT', 'campaignId'],
      ['an unknown campaign', { source: 'CAMPAIGN', campaignId: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND', 'campaignId'],
    ];
    for (const [what, override, expected, at] of cases) {
      const user: HazardUser = override.source && override.source !== 'SELF_REPORT' ? 'ql-inspector' : 'chem-contact';
      const result = await report(user, hazardInput(stack.world, override));
      expect({ what, code: errorCode(result), field: errorField(result) }).toEqual({ what, code: expected, field: at });
    }
    // A grade the schema does not know never reaches the service; nor does text that cannot be stored, or a bad key.
    expect(errorCode(await report('chem-contact', hazardInput(stack.world, { grade: 'SEVERE' })))).toBe('BAD_USER_INPUT');
    expect(errorCode(await report('chem-contact', hazardInput(stack.world, { description: '报警\u0000失效' })))).toBe('BAD_USER_INPUT');
    expect(errorCode(await report('chem-contact', hazardInput(stack.world), 'not a key!'))).toBe('BAD_USER_INPUT');
    const [{ count }] = await stack.db.orm.em.fork().execute<{ count: string }[]>(`select count(*) from hazard`);
    expect(Number(count)).toBe(0);
  });

  test('should let the enterprise report its own, and inspectors, offices and the supervising department what they found', async () => {
    // SELF_REPORT: the enterprise's own contact only.
    for (const user of ['public', 'builder-contact', 'zy-chem-contact', 'ql-office', 'ql-inspector', 'ql-emergency'] as const) {
      expect({ user, code: errorCode(await report(user, hazardInput(stack.world))) }).toEqual({ user, code: 'FORBIDDEN' });
    }
    // INSPECTION: an inspector or office covering the place, the supervising department; not a town, a leader, another district.
    for (const user of ['public', 'chem-contact', 'ql-housing', 'ql-leader', 'nanning-town', 'zy-office', 'zy-inspector'] as const) {
      expect({ user, code: errorCode(await report(user, hazardInput(stack.world, { source: 'INSPECTION' }))) }).toEqual({ user, code: 'FORBIDDEN' });
    }
    for (const user of ['ql-inspector', 'ql-office', 'qj-office', 'ql-emergency'] as const) {
      const result = await report(user, hazardInput(stack.world, { source: 'INSPECTION', grade: 'GENERAL', description: `检查发现 ${user}` }));
      expect({ user, code: errorCode(result) }).toEqual({ user, code: 'OK' });
      expect(result.data!.reportHazard).toMatchObject({ source: 'INSPECTION', stage: 'REPORTED', grade: 'GENERAL', region: { code: '530302101' } });
    }
  });

  test('should enter a hazard once per idempotency key, and keep its REPORT entry first in its trail', async () => {
    const input = hazardInput(stack.world, { enterpriseId: stack.world.enterprises.builder, supervisingDepartmentId: stack.world.departments.housing, description: '深基坑支护变形' });
    const first = await report('builder-contact', input, 'hazard-pit-1');
    expect(errorCode(first)).toBe('OK');
    const again = await report('builder-contact', { ...input, description: '改过的描述' }, 'hazard-pit-1');
    expect(again.data!.reportHazard.id).toBe(first.data!.reportHazard.id);
    expect(again.data!.reportHazard.description).toBe('深基坑支护变形');
    const other = await report('builder-contact', input, 'hazard-pit-2');
    expect(other.data!.reportHazard.id).not.toBe(first.data!.reportHazard.id);
    await started(first.data!.reportHazard.id);
    const trail = await read('ql-housing', first.data!.reportHazard.id);
    expect(trail.data!.hazard.auditTrail.slice(0, 2)).toEqual([
      { action: 'REPORT', actorName: '某建筑公司 安全员 冯某', stageAfter: 'REPORTED' },
      expect.objectContaining({ stageAfter: 'REPORTED' }),
    ]);
  });
});

describe('a hazard through GraphQL alone', () => {
  test('should take a self-reported major hazard to closure, advising no administrative penalty', async () => {
    const entered = await report('chem-contact', hazardInput(stack.world));
    expect(errorCode(entered)).toBe('OK');
    const hazard = entered.data!.reportHazard;
    expect(hazard).toMatchObject({ stage: 'REPORTED', grade: 'MAJOR', source: 'SELF_REPORT', sector: 'HAZARDOUS_CHEMICALS', enterprise: { name: '曲靖市麒麟区某化工有限公司' } });
    await started(hazard.id);

    // 003 §三.(二): a major hazard that cannot be fixed at once needs all five must-haves.
    const plan = { hazardId: hazard.id, responsiblePerson: '郑某', measures: '更换检测报警装置并联锁切断', funds: '120000', deadlineOn: daysFromToday(30), emergencyPlan: '储罐区专项应急预案' };
    const missing = await act('chem-contact', 'planHazardRectification', 'PlanHazardRectificationInput', { ...plan, emergencyPlan: ' ' });
    expect({ code: errorCode(missing), field: errorField(missing) }).toEqual({ code: 'BAD_USER_INPUT', field: 'emergencyPlan' });
    const badFunds = await act('chem-contact', 'planHazardRectification', 'PlanHazardRectificationInput', { ...plan, funds: '-5' });
    expect({ code: errorCode(badFunds), field: errorField(badFunds) }).toEqual({ code: 'BAD_USER_INPUT', field: 'funds' });
    const past = await act('chem-contact', 'planHazardRectification', 'PlanHazardRectificationInput', { ...plan, deadlineOn: today() });
    expect({ code: errorCode(past), field: errorField(past) }).toEqual({ code: 'BAD_USER_INPUT', field: 'deadlineOn' });

    const planned = await act('chem-contact', 'planHazardRectification', 'PlanHazardRectificationInput', plan);
    expect(errorCode(planned)).toBe('OK');
    expect(planned.data!.planHazardRectification).toMatchObject({
      stage: 'RECTIFYING',
      deadlineOn: plan.deadlineOn,
      plan: { responsiblePerson: '郑某', fundsYuan: '120000.00', deadlineOn: plan.deadlineOn, emergencyPlan: '储罐区专项应急预案' },
      allowedActions: expect.arrayContaining(['SUBMIT_FOR_ACCEPTANCE', 'REQUEST_EXTENSION']),
      // The enterprise reads its own hazard, not the advice or the trail.
      advice: null,
      auditTrail: [],
    });
    // Acceptance is not the enterprise's.
    const early = await act('chem-contact', 'acceptHazardRectification', 'HazardEvidenceInput', { hazardId: hazard.id, evidence: '自行验收' });
    expect(errorCode(early)).toBe('FORBIDDEN');

    const submitted = await act('chem-contact', 'submitHazardForAcceptance', 'HazardEvidenceInput', { hazardId: hazard.id, evidence: '整改完成照片及检测报告' });
    expect(submitted.data!.submitHazardForAcceptance.stage).toBe('ACCEPTANCE');
    const refused = await act('ql-emergency', 'refuseHazardAcceptance', 'HazardReasonInput', { hazardId: hazard.id, reason: '联锁未调试' });
    expect(refused.data!.refuseHazardAcceptance).toMatchObject({ stage: 'RECTIFYING', submissions: [{ evidence: '整改完成照片及检测报告', refusalReason: '联锁未调试' }] });
    await act('chem-contact', 'submitHazardForAcceptance', 'HazardEvidenceInput', { hazardId: hazard.id, evidence: '联锁已调试，附记录' });
    const accepted = await act('ql-emergency', 'acceptHazardRectification', 'HazardEvidenceInput', { hazardId: hazard.id, evidence: '现场验收合格' });
    expect(errorCode(accepted)).toBe('OK');
    expect(accepted.data!.acceptHazardRectification).toMatchObject({ stage: 'CLOSED', acceptedAt: expect.any(String), closedAt: expect.any(String) });

    // The supervising side reads the advice with its reason; the official decides, and the advice is kept with it.
    const closed = await read('ql-office', hazard.id);
    expect(closed.data!.hazard.advice).toEqual({ advice: 'NO_PENALTY', reason: expect.stringContaining('003') });
    const decided = await act('ql-emergency', 'recordEnforcementDecision', 'RecordEnforcementDecisionInput', { hazardId: hazard.id, decision: 'NO_PENALTY', reason: '自查自报并按期整改' });
    expect(decided.data!.recordEnforcementDecision.decision).toEqual({ decision: 'NO_PENALTY', reason: '自查自报并按期整改', by: '麒麟区应急管理局 张科长', advice: 'NO_PENALTY' });
    const own = await read('chem-contact', hazard.id);
    expect(own.data!.hazard.decision).toEqual({ decision: 'NO_PENALTY', reason: '自查自报并按期整改', by: null, advice: null });
    expect(closed.data!.hazard.auditTrail.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['REPORT']));
  });

  test('should keep a listed hazard open until the listing office lifts its supervision', async () => {
    const entered = await report('ql-inspector', hazardInput(stack.world, { source: 'INSPECTION', description: '重大危险源未设置独立的安全仪表系统' }));
    const id = entered.data!.reportHazard.id;
    await started(id);
    const list = { hazardId: id, regionCode: '530300', documentNo: '曲安办督〔2026〕3号', listedOn: today() };
    // Only the office of the level named lists: not the district's office for the city, not another district's.
    expect(errorCode(await act('ql-office', 'listHazardSupervision', 'ListHazardSupervisionInput', list))).toBe('FORBIDDEN');
    expect(errorCode(await act('zy-office', 'listHazardSupervision', 'ListHazardSupervisionInput', list))).toBe('NOT_FOUND');
    const unknownRegion = await act('qj-office', 'listHazardSupervision', 'ListHazardSupervisionInput', { ...list, regionCode: '999999' });
    expect({ code: errorCode(unknownRegion), field: errorField(unknownRegion) }).toEqual({ code: 'BAD_USER_INPUT', field: 'regionCode' });
    const listed = await act('qj-office', 'listHazardSupervision', 'ListHazardSupervisionInput', list);
    expect(listed.data!.listHazardSupervision).toMatchObject({
      supervised: true,
      supervision: { regionCode: '530300', officeName: '曲靖市安全生产委员会办公室', documentNo: '曲安办督〔2026〕3号', listedBy: '曲靖市安委办 王某' },
    });
    const receipt = await act('chem-contact', 'recordSupervisionReceipt', 'RecordSupervisionReceiptInput', { hazardId: id, signedBy: '郑某', receivedOn: today() });
    expect(receipt.data!.recordSupervisionReceipt.supervision).toMatchObject({ receiptSignedBy: '郑某', receiptReceivedOn: today(), listedBy: null });

    await act('chem-contact', 'fixHazardAtOnce', 'FixHazardAtOnceInput', { hazardId: id, evidence: '已加装安全仪表系统' });
    const accepted = await act('ql-emergency', 'acceptHazardRectification', 'HazardEvidenceInput', { hazardId: id, evidence: '验收合格' });
    // Accepted, but the listing is not lifted: it stays in acceptance.
    expect(accepted.data!.acceptHazardRectification).toMatchObject({ stage: 'ACCEPTANCE', acceptedAt: expect.any(String), supervised: true });
    expect(errorCode(await act('ql-office', 'liftHazardSupervision', 'HazardIdInput', { hazardId: id }))).toBe('FORBIDDEN');
    const lifted = await act('qj-office', 'liftHazardSupervision', 'HazardIdInput', { hazardId: id });
    expect(lifted.data!.liftHazardSupervision).toMatchObject({ stage: 'CLOSED', supervised: false, supervision: { liftedBy: '曲靖市安委办 王某' } });
  });

  test('should close a general hazard fixed at once', async () => {
    const entered = await report('chem-contact', hazardInput(stack.world, { grade: 'GENERAL', description: '消防通道堆放杂物' }));
    const id = entered.data!.reportHazard.id;
    await started(id);
    const fixed = await act('chem-contact', 'fixHazardAtOnce', 'FixHazardAtOnceInput', { hazardId: id, evidence: '已清理' });
    expect(fixed.data!.fixHazardAtOnce).toMatchObject({ stage: 'CLOSED', fixedAtOnceAt: expect.any(String) });
    const again = await act('chem-contact', 'fixHazardAtOnce', 'FixHazardAtOnceInput', { hazardId: id, evidence: '再次' });
    expect(errorCode(again)).toBe('INVALID_TRANSITION');
  });
});

describe('reading hazards', () => {
  let id: string;
  beforeAll(async () => {
    const entered = await report('ql-inspector', hazardInput(stack.world, { source: 'INSPECTION', description: '可见性测试：液氨管道腐蚀' }));
    id = entered.data!.reportHazard.id;
    await started(id);
  });

  test('should show a hazard to the officials of its place and the enterprise, and to nobody else', async () => {
    for (const user of ['public', 'zy-office', 'zy-inspector', 'zy-chem-contact', 'builder-contact'] as const) {
      const result = await read(user, id);
      expect({ user, hazard: result.data ? result.data.hazard : 'error' }).toEqual({ user, hazard: null });
    }
    for (const user of ['ql-office', 'qj-office', 'yn-office', 'ql-emergency', 'ql-inspector'] as const) {
      const result = await read(user, id);
      expect({ user, advice: result.data!.hazard.advice?.advice, trail: result.data!.hazard.auditTrail.length > 0, by: result.data!.hazard.reportedBy }).toEqual({
        user,
        advice: expect.any(String),
        trail: true,
        by: '麒麟区应急管理局 执法员 周某',
      });
    }
    for (const user of ['ql-housing', 'ql-leader', 'nanning-town', 'chem-contact'] as const) {
      const result = await read(user, id);
      expect({ user, id: result.data!.hazard.id, advice: result.data!.hazard.advice, trail: result.data!.hazard.auditTrail, by: result.data!.hazard.reportedBy }).toEqual({
        user,
        id,
        advice: null,
        trail: [],
        by: null,
      });
    }
    const malformed = await read('ql-office', 'not-an-id');
    expect(malformed.data?.hazard).toBeNull();
  });

  test('should list the ledger the caller sees, with filters and pages', async () => {
    const LIST = `query($f: HazardFilterInput, $first: Int!, $after: String) { hazards(filter: $f, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id stage grade source enterprise { name } } } } }`;
    const all = await as['ql-office'](LIST, { first: 200 });
    const total = all.data!.hazards.totalCount;
    expect(total).toBeGreaterThanOrEqual(5);
    expect(all.data!.hazards.edges).toHaveLength(total);
    expect((await as['zy-office'](LIST, { first: 200 })).data!.hazards.totalCount).toBe(0);
    expect((await as['public'](LIST, { first: 200 })).data!.hazards.totalCount).toBe(0);
    const own = await as['builder-contact'](LIST, { first: 200 });
    expect(own.data!.hazards.edges.every((e: { node: { enterprise: { name: string } } }) => e.node.enterprise.name === '麒麟区某建筑工程有限公司')).toBe(true);
    const general = await as['ql-office'](LIST, { first: 200, f: { grade: 'GENERAL', stage: ['REPORTED'] } });
    expect(general.data!.hazards.edges.every((e: { node: { grade: string; stage: string } }) => e.node.grade === 'GENERAL' && e.node.stage === 'REPORTED')).toBe(true);
    expect(general.data!.hazards.totalCount).toBeGreaterThan(0);
    const closed = await as['ql-office'](LIST, { first: 200, f: { stage: ['CLOSED'], supervised: false } });
    expect(closed.data!.hazards.totalCount).toBeGreaterThanOrEqual(2);
    // Pages of two walk the whole ledger once.
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: GraphQLResponse = await as['ql-office'](LIST, { first: 2, ...(after ? { after } : {}) });
      seen.push(...page.data!.hazards.edges.map((e: { node: { id: string } }) => e.node.id));
      after = page.data!.hazards.pageInfo.hasNextPage ? page.data!.hazards.pageInfo.endCursor : null;
    } while (after);
    expect(new Set(seen).size).toBe(total);
    expect(errorCode(await as['ql-office'](LIST, { first: 2, after: 'garbage' }))).toBe('BAD_USER_INPUT');
    const badRegion = await as['ql-office'](LIST, { first: 2, f: { regionCode: '53%' } });
    expect({ code: errorCode(badRegion), field: errorField(badRegion) }).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.regionCode' });
  });
});

describe('a hazard from an accident evaluation\'s finding', () => {
  const FROM = `mutation($in: HazardFromFindingInput!) { createHazardFromFinding(input: $in) { ${HAZARD_GRAPH} } }`;
  let fixture: { evaluationId: string; gap: string; done: string };
  beforeAll(async () => {
    fixture = await insertEvaluationFixture(stack.db.orm.em.fork(), stack.world);
  });
  const entry = (overrides: Record<string, unknown> = {}) => {
    const { source: _s, ...rest } = hazardInput(stack.world, { description: '有毒气体检测报警系统仍未与切断阀联锁' });
    return { ...rest, evaluationId: fixture.evaluationId, measureId: fixture.gap, ...overrides };
  };

  test('should let the organiser office enter a measure found not implemented, once, with the link back', async () => {
    for (const [user, expected] of [['qj-office', 'FORBIDDEN'], ['ql-emergency', 'FORBIDDEN'], ['chem-contact', 'FORBIDDEN'], ['zy-office', 'NOT_FOUND'], ['public', 'NOT_FOUND']] as const) {
      expect({ user, code: errorCode(await as[user](FROM, { in: entry() })) }).toEqual({ user, code: expected });
    }
    const done = await as['ql-office'](FROM, { in: entry({ measureId: fixture.done }) });
    expect({ code: errorCode(done), field: errorField(done) }).toEqual({ code: 'BAD_USER_INPUT', field: 'measureId' });
    const unknown = await as['ql-office'](FROM, { in: entry({ evaluationId: '00000000-0000-4000-8000-000000000000' }) });
    expect({ code: errorCode(unknown), field: errorField(unknown) }).toEqual({ code: 'NOT_FOUND', field: 'evaluationId' });

    const created = await as['ql-office'](FROM, { in: entry() });
    expect(errorCode(created)).toBe('OK');
    const hazard = created.data!.createHazardFromFinding;
    expect(hazard).toMatchObject({ source: 'EVALUATION', stage: 'REPORTED', origin: { kind: 'EVALUATION', evaluationId: fixture.evaluationId, measureId: fixture.gap, campaignId: null } });
    const again = await as['ql-office'](FROM, { in: entry({ description: '再次提交' }) });
    expect(again.data!.createHazardFromFinding.id).toBe(hazard.id);
    const linked = await as['ql-office'](`query($e: ID!) { hazards(first: 10, filter: { originEvaluationId: $e }) { totalCount edges { node { id } } } }`, { e: fixture.evaluationId });
    expect(linked.data!.hazards).toEqual({ totalCount: 1, edges: [{ node: { id: hazard.id } }] });
  });
});

describe('an accident that came from a hazard', () => {
  const REGISTER = `mutation($in: RegisterAccidentInput!) { registerAccident(input: $in) { id } }`;
  const accident = (originHazardId: string, overrides: Record<string, unknown> = {}) => ({
    title: '某化工公司“7·21”中毒事故',
    level: 'ORDINARY',
    sector: 'HAZARDOUS_CHEMICALS',
    occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
    locationRegionId: stack.world.regions.nanning,
    enterpriseId: stack.world.enterprises.chemical,
    deaths: 1,
    injuries: 0,
    directLossYuan: '900000',
    originHazardId,
    ...overrides,
  });

  test('should link the case to the hazard, whose advice then penalises both the enterprise and its principal', async () => {
    const entered = await report('chem-contact', hazardInput(stack.world, { description: '液氯汽化器出口无安全联锁' }));
    const id = entered.data!.reportHazard.id;
    await started(id);
    const unknown = await as['ql-office'](REGISTER, { in: accident('00000000-0000-4000-8000-000000000000') });
    expect({ code: errorCode(unknown), field: errorField(unknown) }).toEqual({ code: 'NOT_FOUND', field: 'originHazardId' });
    const otherEnterprise = await as['ql-office'](REGISTER, { in: accident(id, { enterpriseId: stack.world.enterprises.builder, sector: 'CONSTRUCTION' }) });
    expect({ code: errorCode(otherEnterprise), field: errorField(otherEnterprise) }).toEqual({ code: 'BAD_USER_INPUT', field: 'originHazardId' });
    const [{ count }] = await stack.db.orm.em.fork().execute<{ count: string }[]>(`select count(*) from accident where origin_hazard_id is not null`);
    expect(Number(count)).toBe(0);

    const registered = await as['ql-office'](REGISTER, { in: accident(id) });
    expect(errorCode(registered)).toBe('OK');
    const accidentId = registered.data!.registerAccident.id;
    const [stored] = await stack.db.orm.em.fork().execute<{ origin: string }[]>(`select origin_hazard_id as origin from accident where id = ?`, [accidentId]);
    expect(stored!.origin).toBe(id);
    const linked = await waitFor(() => read('ql-office', id), (r) => r.data?.hazard?.accidentId === accidentId, 'the hazard to record the accident');
    expect(linked.data!.hazard.advice).toEqual({ advice: 'PENALISE_BOTH', reason: expect.stringContaining('003') });
    // The link reads both ways: the case names its hazard to officials.
    const seen = await as['ql-office'](`query($id: ID!) { accident(id: $id) { originHazardId } }`, { id: accidentId });
    expect(seen.data!.accident).toEqual({ originHazardId: id });
  });

  test('should let a correction name the hazard a case registered without it came from, once', async () => {
    const entered = await report('chem-contact', hazardInput(stack.world, { description: '光气化装置尾气破坏系统未投用' }));
    const id = entered.data!.reportHazard.id;
    const other = (await report('chem-contact', hazardInput(stack.world, { description: '氯气钢瓶库未设泄漏报警' }))).data!.reportHazard.id;
    await started(id);
    const { originHazardId: _none, ...plain } = accident(id, { title: '某化工公司“9·03”灼烫事故' });
    const registered = await as['ql-office'](REGISTER, { in: plain });
    expect(errorCode(registered)).toBe('OK');
    const accidentId = registered.data!.registerAccident.id;
    const CORRECT = `mutation($in: CorrectAccidentCaseInput!) { correctAccidentCase(input: $in) { id originHazardId auditTrail { action } } }`;
    const correct = (originHazardId: string, extra: Record<string, unknown> = {}) =>
      as['ql-office'](CORRECT, { in: { accidentId, reason: '事故调查查明系台账内隐患未整改所致', originHazardId, ...extra } });

    const unknown = await correct('00000000-0000-4000-8000-000000000000');
    expect({ code: errorCode(unknown), field: errorField(unknown) }).toEqual({ code: 'NOT_FOUND', field: 'originHazardId' });
    const builderHazard = await report('builder-contact', hazardInput(stack.world, { enterpriseId: stack.world.enterprises.builder, supervisingDepartmentId: stack.world.departments.housing, description: '塔吊基础积水' }));
    expect(errorCode(builderHazard)).toBe('OK');
    const wrong = await correct(builderHazard.data!.reportHazard.id);
    expect({ code: errorCode(wrong), field: errorField(wrong) }).toEqual({ code: 'BAD_USER_INPUT', field: 'originHazardId' });
    const hidden = await as['zy-office'](CORRECT, { in: { accidentId, reason: '关联隐患', originHazardId: id } });
    expect(errorCode(hidden)).toBe('NOT_FOUND');

    const corrected = await correct(id);
    expect(errorCode(corrected)).toBe('OK');
    expect(corrected.data!.correctAccidentCase.originHazardId).toBe(id);
    expect(corrected.data!.correctAccidentCase.auditTrail.map((e: { action: string }) => e.action)).toContain('CORRECT_CASE');
    const linked = await waitFor(() => read('ql-office', id), (r) => r.data?.hazard?.accidentId === accidentId, 'the hazard to record the accident');
    expect(linked.data!.hazard.advice.advice).toBe('PENALISE_BOTH');
    // The same hazard again changes nothing; another one is refused: a case comes from one hazard.
    const trail = corrected.data!.correctAccidentCase.auditTrail.length;
    const same = await correct(id);
    expect(same.data!.correctAccidentCase.auditTrail).toHaveLength(trail);
    const another = await correct(other);
    expect({ code: errorCode(another), field: errorField(another) }).toEqual({ code: 'BAD_USER_INPUT', field: 'originHazardId' });
    expect((await as['ql-office'](`query($id: ID!) { accident(id: $id) { originHazardId } }`, { id: accidentId })).data!.accident.originHazardId).toBe(id);
  });
});
