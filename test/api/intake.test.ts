import { addDays, addMonths } from '../../domain/calendar.js';
import { Accident, AuditEntry, Department, Enterprise, InvestigationReport, Region } from '../../schema/entities/index.js';
import type { GraphQLResponse } from '../helpers/api.js';
import { insertDemoWorld, seededStack } from '../helpers/stack.js';

// Case intake and the register over HTTP, as a front end drives them: what a client sends, what it reads back,
// and every refusal typed. The demo data itself came in through the same services.
const USERS = ['public', 'qilin-office', 'nanning-town', 'lvliang-office', 'qujing-safety', 'yunnan-admin', 'qujing-admin'] as const;
type User = (typeof USERS)[number];
const stack = seededStack(
  'intake',
  (em) =>
    insertDemoWorld(em, [
      { id: 'qujing-safety', name: '曲靖市安委办 孙某', grants: [{ role: 'SAFETY_OFFICE', regionCode: '530300' }] },
      { id: 'qujing-admin', name: '曲靖市 系统管理员', grants: [{ role: 'ADMINISTRATOR', regionCode: '530300' }] },
    ]),
  USERS,
);
const { as } = stack;

const CASE = `id title level deaths directLossYuan locationRegion { name } enterprise { name homeRegion { name } }
  investigation { escalated listedSupervisionBy leadDepartment { name } departments { name }
    report { documentNo approvedAt closedAt measures { seq text responsibleUnits } accountabilityItems { seq kind subject recommendation } } }
  evaluation { id stage }
  auditTrail { revision action actorId actorRole reason }`;

const REGISTER = `mutation($in: RegisterAccidentInput!) { registerAccident(input: $in) { ${CASE} } }`;
const CORRECT = `mutation($in: CorrectAccidentCaseInput!) { correctAccidentCase(input: $in) { ${CASE} } }`;
const CLOSE = `mutation($in: CloseAccidentCaseInput!) { closeAccidentCase(input: $in) { id stage } }`;

function refusal(response: GraphQLResponse): { code?: string; field?: string; message?: string } {
  expect(response.data?.[Object.keys(response.data ?? {})[0] ?? ''] ?? null).toBeNull();
  const error = response.errors?.[0];
  return { code: error?.extensions?.code, field: error?.extensions?.field, message: error?.message };
}

async function departmentId(name: string): Promise<string> {
  return (await stack.db.orm.em.fork().findOneOrFail(Department, { name })).id;
}

async function enterpriseId(name: string): Promise<string> {
  return (await stack.db.orm.em.fork().findOneOrFail(Enterprise, { name })).id;
}

let serial = 100;

/** A 一般 fire at a Qilin street, with its investigation and report: a fresh document number each time. */
async function fireCase(overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  serial++;
  const occurredAt = addMonths(new Date(), -6);
  return {
    title: `南宁街道某商铺“${serial}”火灾事故`,
    level: 'ORDINARY',
    sector: 'FIRE',
    occurredAt: occurredAt.toISOString(),
    locationRegionId: stack.world.regions.nanning,
    enterpriseId: await enterpriseId('曲靖市某建设工程有限公司'),
    deaths: 1,
    injuries: 2,
    directLossYuan: '560000',
    investigation: {
      leadDepartmentId: await departmentId('麒麟区应急管理局'),
      departmentIds: [await departmentId('曲靖市公安局麒麟分局')],
      report: {
        documentNo: `麒政复〔2026〕${serial}号`,
        approvedAt: addDays(occurredAt, 60).toISOString(),
        measures: [{ text: '落实消防安全主体责任', responsibleUnits: ['曲靖市某建设工程有限公司'] }],
        accountabilityItems: [{ kind: 'ADMINISTRATIVE_PENALTY', subject: '曲靖市某建设工程有限公司', recommendation: '依法处以罚款' }],
      },
    },
    ...overrides,
  };
}

const count = async (entity: typeof Accident | typeof AuditEntry | typeof Region) => stack.db.orm.em.fork().count(entity as typeof Accident, {});

test('should register a case, its investigation and its report, close it and read it back when a front end uses GraphQL alone', async () => {
  // The administrator enters the enterprise and a department; the office finds them through the API.
  const admin = as['yunnan-admin'];
  const enterprise = await admin(`mutation($in: CreateEnterpriseInput!) { createEnterprise(input: $in) { id name creditCode sector homeRegion { name } } }`, {
    in: { name: '曲靖市某矿业有限公司', creditCode: '91530302ma6k00009x', sector: 'NON_COAL_MINE', homeRegionId: stack.world.regions.qilin },
  });
  expect(enterprise.errors).toBeUndefined();
  expect(enterprise.data!.createEnterprise).toMatchObject({ creditCode: '91530302MA6K00009X', homeRegion: { name: '麒麟区' } });
  const department = await admin(`mutation($in: CreateDepartmentInput!) { createDepartment(input: $in) { id name kind region { name } } }`, {
    in: { name: '麒麟区自然资源局', kind: 'SECTOR_REGULATOR', regionId: stack.world.regions.qilin },
  });
  expect(department.errors).toBeUndefined();

  const office = as['qilin-office'];
  const found = await office(`query($region: ID!) { enterprises(search: "矿业") { id name } departments(regionId: $region) { id name } }`, { region: stack.world.regions.qilin });
  expect(found.errors).toBeUndefined();
  expect(found.data!.enterprises).toEqual([{ id: enterprise.data!.createEnterprise.id, name: '曲靖市某矿业有限公司' }]);
  const departments = new Map<string, string>(found.data!.departments.map((d: { id: string; name: string }) => [d.name, d.id]));
  expect(departments.get('麒麟区自然资源局')).toBe(department.data!.createDepartment.id);

  // The accident first, the investigation when it is formed, the report once approved.
  const occurredAt = addMonths(new Date(), -8);
  const registered = await office(REGISTER, {
    in: {
      title: '  麒麟区某矿业有限公司“1·09”坍塌事故 ',
      level: 'ORDINARY',
      sector: 'NON_COAL_MINE',
      occurredAt: occurredAt.toISOString(),
      locationRegionId: stack.world.regions.qilin,
      enterpriseId: enterprise.data!.createEnterprise.id,
      deaths: 2,
      injuries: 1,
      directLossYuan: '3200000.5',
    },
  });
  expect(registered.errors).toBeUndefined();
  const accident = registered.data!.registerAccident;
  expect(accident).toMatchObject({ title: '麒麟区某矿业有限公司“1·09”坍塌事故', directLossYuan: '3200000.50', investigation: null, evaluation: null });

  const investigated = await office(`mutation($in: RecordInvestigationInput!) { recordInvestigation(input: $in) { ${CASE} } }`, {
    in: {
      accidentId: accident.id,
      leadDepartmentId: departments.get('麒麟区应急管理局'),
      departmentIds: [departments.get('麒麟区自然资源局'), departments.get('曲靖市公安局麒麟分局')],
      listedSupervisionBy: '曲靖市安全生产委员会办公室',
    },
  });
  expect(investigated.errors).toBeUndefined();
  expect(investigated.data!.recordInvestigation.investigation).toMatchObject({ escalated: false, leadDepartment: { name: '麒麟区应急管理局' }, report: null });
  expect(investigated.data!.recordInvestigation.investigation.departments.map((d: { name: string }) => d.name).sort()).toEqual(
    ['曲靖市公安局麒麟分局', '麒麟区应急管理局', '麒麟区自然资源局'].sort(),
  );

  const reportInput = {
    accidentId: accident.id,
    documentNo: '麒政复[2026]7号',
    approvedAt: addMonths(occurredAt, 3).toISOString(),
    measures: [
      { text: '企业开展采空区隐患排查治理', responsibleUnits: ['曲靖市某矿业有限公司'] },
      { text: '区自然资源局加强非煤矿山监管', responsibleUnits: ['麒麟区自然资源局', '麒麟区应急管理局'] },
    ],
    accountabilityItems: [{ kind: 'CRIMINAL', subject: '矿长 赵某', recommendation: '涉嫌重大责任事故罪，移送司法机关' }],
  };
  const reported = await office(`mutation($in: RecordInvestigationReportInput!) { recordInvestigationReport(input: $in) { ${CASE} } }`, { in: reportInput });
  expect(reported.errors).toBeUndefined();
  expect(reported.data!.recordInvestigationReport.investigation.report).toMatchObject({ documentNo: '麒政复〔2026〕7号', closedAt: null });
  // A retry of the same report (a lost response) returns the case as it is.
  const retried = await office(`mutation($in: RecordInvestigationReportInput!) { recordInvestigationReport(input: $in) { id } }`, { in: reportInput });
  expect(retried.data!.recordInvestigationReport.id).toBe(accident.id);

  const closed = await office(CLOSE, { in: { accidentId: accident.id } });
  expect(closed.errors).toBeUndefined();

  const read = await office(`query($id: ID!) { accident(id: $id) { ${CASE} } verifyAuditChain(subjectId: $id) { ok } }`, { id: accident.id });
  expect(read.errors).toBeUndefined();
  const graph = read.data!.accident;
  expect(graph).toMatchObject({
    level: 'ORDINARY',
    deaths: 2,
    locationRegion: { name: '麒麟区' },
    enterprise: { name: '曲靖市某矿业有限公司', homeRegion: { name: '麒麟区' } },
    investigation: { listedSupervisionBy: '曲靖市安全生产委员会办公室' },
    evaluation: { id: accident.id, stage: 'WAITING_FOR_WINDOW' },
  });
  expect(graph.investigation.report.closedAt).not.toBeNull();
  expect(graph.investigation.report.measures).toEqual([
    { seq: 1, text: '企业开展采空区隐患排查治理', responsibleUnits: ['曲靖市某矿业有限公司'] },
    { seq: 2, text: '区自然资源局加强非煤矿山监管', responsibleUnits: ['麒麟区自然资源局', '麒麟区应急管理局'] },
  ]);
  expect(graph.investigation.report.accountabilityItems).toEqual([{ seq: 1, kind: 'CRIMINAL', subject: '矿长 赵某', recommendation: '涉嫌重大责任事故罪，移送司法机关' }]);
  expect(graph.auditTrail.map((e: { revision: number; action: string }) => [e.revision, e.action])).toEqual([
    [1, 'REGISTER_CASE'],
    [2, 'RECORD_INVESTIGATION'],
    [3, 'RECORD_REPORT'],
    [4, 'CLOSE_CASE'],
  ]);
  expect(graph.auditTrail[0]).toMatchObject({ actorId: 'qilin-office', actorRole: 'SAFETY_OFFICE' });
  expect(read.data!.verifyAuditChain.ok).toBe(true);

  // The public sees nothing of an unpublished case.
  expect((await as.public(`query($id: ID!) { accident(id: $id) { id } }`, { id: accident.id })).data!.accident).toBeNull();
});

test('should return the same case when its report is registered again, and refuse different content under the same document number', async () => {
  const office = as['qilin-office'];
  const input = await fireCase();
  const first = await office(REGISTER, { in: input });
  expect(first.errors).toBeUndefined();
  const id: string = first.data!.registerAccident.id;
  const [accidents, entries] = [await count(Accident), await count(AuditEntry)];

  // The same report typed with other brackets and spacing is the same document.
  const report = (input.investigation as { report: { documentNo: string } }).report;
  const again = await office(REGISTER, {
    in: { ...input, investigation: { ...(input.investigation as object), report: { ...report, documentNo: ` ${report.documentNo.replace('〔', '[').replace('〕', '] ')}` } } },
  });
  expect(again.errors).toBeUndefined();
  expect(again.data!.registerAccident.id).toBe(id);
  expect([await count(Accident), await count(AuditEntry)]).toEqual([accidents, entries]);

  // Two offices' clients racing with the same report get one case.
  const racing = await fireCase();
  const [left, right] = await Promise.all([office(REGISTER, { in: racing }), as['qujing-safety'](REGISTER, { in: racing })]);
  expect([left.errors, right.errors]).toEqual([undefined, undefined]);
  expect(left.data!.registerAccident.id).toBe(right.data!.registerAccident.id);
  expect(await count(Accident)).toBe(accidents + 1);

  const differs = refusal(await office(REGISTER, { in: { ...input, deaths: 2, injuries: 0 } }));
  expect(differs).toMatchObject({ code: 'BAD_USER_INPUT', field: 'investigation.report.documentNo' });
  expect(differs.message).toContain('accident.deaths');
  expect(differs.message).toContain('accident.injuries');

  // An office that cannot see the holder learns only that the number is taken.
  const lvliang = await fireCase({ locationRegionId: stack.world.regions.xiaoyi, enterpriseId: await enterpriseId('山西某焦化化工有限公司') });
  const foreign = refusal(
    await as['lvliang-office'](REGISTER, {
      in: {
        ...lvliang,
        level: 'LARGER',
        investigation: { leadDepartmentId: await departmentId('吕梁市应急管理局'), report: { ...report } },
      },
    }),
  );
  expect(foreign).toMatchObject({ code: 'BAD_USER_INPUT', field: 'investigation.report.documentNo' });
  expect(foreign.message).toContain('another case');
  expect(foreign.message).not.toContain(id);
  expect(await count(Accident)).toBe(accidents + 1);
});

test('should record each correction with its reason before closure, and refuse corrections after closure', async () => {
  const office = as['qilin-office'];
  const created = await office(REGISTER, { in: await fireCase() });
  const id: string = created.data!.registerAccident.id;

  const corrected = await office(CORRECT, {
    in: {
      accidentId: id,
      reason: '伤亡人数核实后更正',
      accident: { deaths: 2, directLossYuan: '610000.00' },
      report: {
        measures: [
          { text: '落实消防安全主体责任', responsibleUnits: ['曲靖市某建设工程有限公司'] },
          { text: '南宁街道开展商铺消防安全检查', responsibleUnits: ['南宁街道办事处'] },
        ],
      },
    },
  });
  expect(corrected.errors).toBeUndefined();
  const after = corrected.data!.correctAccidentCase;
  expect(after).toMatchObject({ deaths: 2, directLossYuan: '610000.00' });
  expect(after.investigation.report.measures.map((m: { seq: number }) => m.seq)).toEqual([1, 2]);
  expect(after.auditTrail.at(-1)).toMatchObject({ revision: 2, action: 'CORRECT_CASE', actorId: 'qilin-office', reason: '伤亡人数核实后更正' });
  const entry = await stack.db.orm.em.fork().findOneOrFail(AuditEntry, { subjectType: 'accident', subjectId: id, revision: 2 });
  expect((entry.payload as { changes: { field: string }[] }).changes.map((c) => c.field)).toEqual([
    'accident.deaths',
    'accident.directLossYuan',
    'report.measures[1]',
  ]);

  // Nothing changed, nothing written; a correction that breaks a rule is refused by its field.
  const entries = await count(AuditEntry);
  expect((await office(CORRECT, { in: { accidentId: id, reason: '复核', accident: { deaths: 2 } } })).errors).toBeUndefined();
  expect(await count(AuditEntry)).toBe(entries);
  expect(refusal(await office(CORRECT, { in: { accidentId: id, reason: '复核', accident: { deaths: 3 } } }))).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'accident.level',
  });
  expect(refusal(await office(CORRECT, { in: { accidentId: id, reason: '', accident: { deaths: 1 } } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
  expect(refusal(await office(CORRECT, { in: { accidentId: id, reason: '复核', investigation: { leadDepartmentId: '00000000-0000-4000-8000-000000000000' } } }))).toMatchObject({
    code: 'NOT_FOUND',
    field: 'investigation.leadDepartmentId',
    message: 'no such record',
  });
  // A correction may not move the case out of the office's reach: an escalated case is the city's.
  expect(refusal(await office(CORRECT, { in: { accidentId: id, reason: '提级调查', investigation: { escalated: true } } })).code).toBe('FORBIDDEN');
  expect(await count(AuditEntry)).toBe(entries);

  expect((await office(CLOSE, { in: { accidentId: id } })).errors).toBeUndefined();
  const late = refusal(await office(CORRECT, { in: { accidentId: id, reason: '结案后发现笔误', accident: { title: '更正后的标题' } } }));
  expect(late.code).toBe('INVALID_TRANSITION');
  const trail = (await office(`query($id: ID!) { accident(id: $id) { title auditTrail { action } } }`, { id })).data!.accident;
  expect(trail.title).not.toBe('更正后的标题');
  expect(trail.auditTrail.map((e: { action: string }) => e.action)).toEqual(['REGISTER_CASE', 'CORRECT_CASE', 'CLOSE_CASE']);
});

test('should refuse hostile text with BAD_USER_INPUT naming the field, and write nothing', async () => {
  const office = as['qilin-office'];
  const input = await fireCase();
  const investigation = input.investigation as { report: Record<string, unknown> };
  const before = [await count(Accident), await count(AuditEntry)];
  const cases: [Record<string, unknown>, string][] = [
    [{ title: '火灾\u0000事故' }, 'title'],
    [{ title: '火灾\uD800事故' }, 'title'],
    [{ title: '火'.repeat(201) }, 'title'],
    [{ directLossYuan: '5.6e5' }, 'directLossYuan'],
    [{ occurredAt: addDays(new Date(), 2).toISOString() }, 'occurredAt'],
    [{ investigation: { ...investigation, report: { ...investigation.report, measures: [{ text: '整改\uDC00', responsibleUnits: ['某单位'] }] } } }, 'investigation.report.measures[0].text'],
    [{ investigation: { ...investigation, report: { ...investigation.report, measures: [{ text: '整'.repeat(8001), responsibleUnits: ['某单位'] }] } } }, 'investigation.report.measures[0].text'],
    [{ investigation: { ...investigation, listedSupervisionBy: '\u0000' } }, 'investigation.listedSupervisionBy'],
  ];
  // Unstorable characters are refused before any resolver runs (the path then starts at the variable, `in.`).
  const names = (field: string) => (refused: { field?: string }) => refused.field === field || refused.field === `in.${field}`;
  for (const [change, field] of cases) {
    const refused = refusal(await office(REGISTER, { in: { ...input, ...change } }));
    expect({ field, code: refused.code, named: names(field)(refused) }).toEqual({ field, code: 'BAD_USER_INPUT', named: true });
  }
  const created = (await office(REGISTER, { in: await fireCase() })).data!.registerAccident.id;
  for (const reason of ['理由\u0000', '理'.repeat(8001)]) {
    const refused = refusal(await office(CORRECT, { in: { accidentId: created, reason, accident: { deaths: 0 } } }));
    expect({ code: refused.code, named: names('reason')(refused) }).toEqual({ code: 'BAD_USER_INPUT', named: true });
  }
  expect([await count(Accident), await count(AuditEntry)]).toEqual([before[0]! + 1, before[1]! + 1]);
});

test('should refuse intake by a town official or an office of another province, and allow the office above', async () => {
  const input = await fireCase();
  expect(refusal(await as['nanning-town'](REGISTER, { in: input })).code).toBe('FORBIDDEN');
  expect(refusal(await as['lvliang-office'](REGISTER, { in: input })).code).toBe('FORBIDDEN');
  expect(refusal(await as.public(REGISTER, { in: input })).code).toBe('FORBIDDEN');
  expect(await stack.db.orm.em.fork().count(InvestigationReport, { documentNo: (input.investigation as { report: { documentNo: string } }).report.documentNo })).toBe(0);

  // The city office is above the district that investigates an ordinary accident: it may register the case.
  const city = await as['qujing-safety'](REGISTER, { in: input });
  expect(city.errors).toBeUndefined();
  const id: string = city.data!.registerAccident.id;

  // The town sees the case but may not correct it; another province does not see it at all.
  expect(refusal(await as['nanning-town'](CORRECT, { in: { accidentId: id, reason: '更正', accident: { deaths: 0 } } })).code).toBe('FORBIDDEN');
  expect(refusal(await as['lvliang-office'](CORRECT, { in: { accidentId: id, reason: '更正', accident: { deaths: 0 } } }))).toMatchObject({
    code: 'NOT_FOUND',
    field: 'accidentId',
  });
  expect(refusal(await as['qilin-office'](CORRECT, { in: { accidentId: 'not-a-case', reason: '更正' } }))).toMatchObject({ code: 'NOT_FOUND', field: 'accidentId' });
  // A larger accident is the city's to register, not the district's.
  expect(refusal(await as['qilin-office'](REGISTER, { in: await fireCase({ level: 'LARGER' }) })).code).toBe('FORBIDDEN');
  // Regions, departments and enterprises are kept by administrators only.
  expect(refusal(await as['qilin-office'](`mutation { createDepartment(input: { name: "麒麟区消防救援大队", kind: OTHER, regionId: "${stack.world.regions.qilin}" }) { id } }`)).code).toBe('FORBIDDEN');
});

test('should let an administrator keep the register of their region, with typed refusals', async () => {
  const admin = as['yunnan-admin'];
  const regions = await count(Region);
  const town = await admin(`mutation($in: CreateRegionInput!) { createRegion(input: $in) { id code level parent { name } } }`, {
    in: { code: '530302002', name: '白石江街道', level: 'TOWN', parentId: stack.world.regions.qilin, safetyOfficeName: '白石江街道安全生产委员会办公室' },
  });
  expect(town.errors).toBeUndefined();
  expect(town.data!.createRegion).toMatchObject({ code: '530302002', level: 'TOWN', parent: { name: '麒麟区' } });

  const create = (user: User, input: Record<string, unknown>) =>
    as[user](`mutation($in: CreateRegionInput!) { createRegion(input: $in) { id } }`, { in: { level: 'TOWN', safetyOfficeName: '某安委办', name: '某街道', ...input } });
  expect(refusal(await create('yunnan-admin', { code: '530302002', parentId: stack.world.regions.qilin }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
  expect(refusal(await create('yunnan-admin', { code: '540302003', parentId: stack.world.regions.qilin }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
  expect(refusal(await create('yunnan-admin', { code: '141181001', parentId: stack.world.regions.xiaoyi })).code).toBe('FORBIDDEN');
  expect(refusal(await create('qujing-admin', { code: '530400', level: 'CITY', parentId: stack.world.regions.yunnan }))).toMatchObject({ code: 'FORBIDDEN', field: 'code' });
  expect(refusal(await create('qujing-admin', { code: '530399', level: 'COUNTY', parentId: stack.world.regions.yunnan }))).toMatchObject({ code: 'FORBIDDEN', field: 'parentId' });
  expect(refusal(await create('yunnan-admin', { code: '530302003', parentId: '00000000-0000-4000-8000-000000000000' }))).toMatchObject({
    code: 'NOT_FOUND',
    field: 'parentId',
    message: 'no such record',
  });
  expect(refusal(await create('yunnan-admin', { code: '530302003', parentId: 'qilin' }))).toMatchObject({ code: 'NOT_FOUND', field: 'parentId' });
  expect(refusal(await create('nanning-town', { code: '530302003', parentId: stack.world.regions.qilin })).code).toBe('FORBIDDEN');
  expect(await count(Region)).toBe(regions + 1);

  const renamed = await as['qujing-admin'](`mutation($in: UpdateRegionInput!) { updateRegion(input: $in) { name code } }`, {
    in: { regionId: town.data!.createRegion.id, name: '白石江街道办事处' },
  });
  expect(renamed.data!.updateRegion).toEqual({ name: '白石江街道办事处', code: '530302002' });

  const department = (name: string, regionId = stack.world.regions.qilin) =>
    admin(`mutation($in: CreateDepartmentInput!) { createDepartment(input: $in) { id name } }`, { in: { name, kind: 'SECTOR_REGULATOR', regionId } });
  expect(refusal(await department(' 麒麟区住房和城乡建设局 '))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
  expect(refusal(await department('某局', '00000000-0000-4000-8000-000000000001'))).toMatchObject({ code: 'NOT_FOUND', field: 'regionId' });
  expect(refusal(await admin(`mutation { updateDepartment(input: { departmentId: "00000000-0000-4000-8000-000000000002", name: "某局" }) { id } }`))).toMatchObject({
    code: 'NOT_FOUND',
    field: 'departmentId',
  });

  const enterprise = (input: Record<string, unknown>) =>
    admin(`mutation($in: CreateEnterpriseInput!) { createEnterprise(input: $in) { id } }`, { in: { name: '某公司', sector: 'OTHER', homeRegionId: stack.world.regions.qilin, ...input } });
  expect(refusal(await enterprise({ creditCode: '91530302MA6K000001' }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'creditCode' });
  expect(refusal(await enterprise({ creditCode: 'ABC' }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'creditCode' });
  expect(refusal(await enterprise({ homeRegionId: stack.world.regions.xiaodian })).code).toBe('FORBIDDEN');
  const moved = await admin(`mutation($in: UpdateEnterpriseInput!) { updateEnterprise(input: $in) { name creditCode homeRegion { name } } }`, {
    in: { enterpriseId: await enterpriseId('曲靖市某物流运输有限公司'), homeRegionId: stack.world.regions.qilin, creditCode: null },
  });
  expect(moved.data!.updateEnterprise).toEqual({ name: '曲靖市某物流运输有限公司', creditCode: null, homeRegion: { name: '麒麟区' } });
  expect(refusal(await as['qujing-admin'](`mutation($in: UpdateEnterpriseInput!) { updateEnterprise(input: $in) { id } }`, {
    in: { enterpriseId: await enterpriseId('山西某焦化化工有限公司'), name: '改名' },
  }))).toMatchObject({ code: 'FORBIDDEN', field: 'enterpriseId' });
});
