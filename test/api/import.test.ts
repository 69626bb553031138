import ExcelJS from 'exceljs';
import { addDays, addMonths } from '../../domain/calendar.js';
import { Accident, AuditEntry, Evaluation, InvestigationReport } from '../../schema/entities/index.js';
import type { GraphQLResponse } from '../helpers/api.js';
import { insertDemoWorld, seededStack } from '../helpers/stack.js';

// The bulk import over HTTP, as an office's front end uploads a spreadsheet: files built with the same library an
// office's tools write, every refusal named by sheet, row (as Excel numbers it) and column, and nothing written
// unless every row is good.
const USERS = ['public', 'qilin-office', 'qujing-safety', 'nanning-town', 'lvliang-office'] as const;
type User = (typeof USERS)[number];
const stack = seededStack(
  'import',
  (em) => insertDemoWorld(em, [{ id: 'qujing-safety', name: '曲靖市安委办 孙某', grants: [{ role: 'SAFETY_OFFICE', regionCode: '530300' }] }]),
  USERS,
);
const { as } = stack;

const IMPORT = `mutation($file: Base64File!, $format: ImportFormat!, $dryRun: Boolean) {
  importCases(file: $file, format: $format, dryRun: $dryRun) {
    dryRun committed rows registered alreadyRegistered closed alreadyClosed workflowsStarted workflowsPending problemCount
    problems { sheet row column field code message }
  } }`;

interface Outcome {
  dryRun: boolean;
  committed: boolean;
  rows: number;
  registered: number;
  alreadyRegistered: number;
  closed: number;
  alreadyClosed: number;
  workflowsStarted: number;
  workflowsPending: number;
  problemCount: number;
  problems: { sheet: string; row: number; column: string | null; field: string | null; code: string; message: string }[];
}

async function upload(user: User, file: Buffer, format: 'XLSX' | 'CSV', dryRun = false): Promise<GraphQLResponse<{ importCases: Outcome }>> {
  return as[user]<{ importCases: Outcome }>(IMPORT, { file: file.toString('base64'), format, dryRun });
}

async function imported(user: User, file: Buffer, format: 'XLSX' | 'CSV', dryRun = false): Promise<Outcome> {
  const response = await upload(user, file, format, dryRun);
  expect(response.errors).toBeUndefined();
  return response.data!.importCases;
}

const CHINA_MS = 8 * 3_600_000;
/** What an Excel date cell holds: the wall-clock time in China. */
const excelTime = (instant: Date) => new Date(instant.getTime() + CHINA_MS);

type Row = Record<string, unknown>;

/** An XLSX as an office's Excel saves it: the sheets, a header row of column names, then one row a record. */
async function workbook(sheets: Record<string, Row[]>, headers?: Record<string, string[]>): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const sheet = book.addWorksheet(name);
    const columns = headers?.[name] ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
    sheet.addRow(columns);
    for (const r of rows) sheet.addRow(columns.map((c) => (r[c] instanceof Date ? excelTime(r[c] as Date) : (r[c] ?? null))));
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

// Whole minutes: what an office types.
const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000);

let serial = 0;
const batch = () => ++serial * 10_000;

/** A 一般 fire at a Qilin street, as a row of the cases sheet; `n` makes its title, key and document number. */
function fireRow(n: number, overrides: Row = {}): Row {
  const occurredAt = addDays(addMonths(NOW, -14), n % 90);
  return {
    key: `QL-${n}`,
    title: `南宁街道某商铺“${n}”火灾事故`,
    level: '一般',
    sector: '消防',
    occurred_at: occurredAt,
    location: '530302001',
    enterprise: '91530302MA6K000001',
    deaths: 1,
    injuries: n % 3,
    direct_loss_yuan: 560000 + n,
    lead_department: '麒麟区应急管理局',
    departments: '曲靖市公安局麒麟分局、麒麟区住房和城乡建设局',
    escalated: '否',
    document_no: `麒政复〔2025〕${n}号`,
    approved_at: addDays(occurredAt, 60),
    ...overrides,
  };
}

/** Cases with their measures (joined by key) and accountability items (joined by document number) in own sheets. */
async function fireWorkbook(rows: Row[]): Promise<Buffer> {
  return workbook({
    cases: rows,
    measures: rows.flatMap((r) => [
      { case: r.key, text: `落实消防安全主体责任（${r.key}）`, responsible_units: '曲靖市某建设工程有限公司' },
      { case: r.key, text: '南宁街道开展商铺消防安全检查；建立台账', responsible_units: '南宁街道办事处、麒麟区应急管理局' },
    ]),
    accountability: rows.map((r) => ({ case: r.document_no, kind: '行政处罚', subject: '曲靖市某建设工程有限公司', recommendation: '依法处以罚款' })),
  });
}

/** Case rows and their own audit entries (an evaluation's workflow writes entries of its own, in the background). */
const count = (entity: typeof Accident | typeof AuditEntry | typeof Evaluation) =>
  entity === AuditEntry ? stack.db.orm.em.fork().count(AuditEntry, { subjectType: 'accident' }) : stack.db.orm.em.fork().count(entity as typeof Accident, {});

async function caseOf(documentNo: string): Promise<string | null> {
  const report = await stack.db.orm.em.fork().findOne(InvestigationReport, { documentNo }, { populate: ['investigation'] });
  return report ? report.investigation.getEntity().accident.id : null;
}

const CASE = `id title level sector occurredAt deaths injuries directLossYuan locationRegion { code } enterprise { name }
  investigation { escalated leadDepartment { name } departments { name }
    report { documentNo approvedAt closedAt measures { seq text responsibleUnits } accountabilityItems { seq kind subject recommendation } } }
  evaluation { id stage }
  auditTrail { revision action actorId actorRole }`;

test('should import 1,000 cases from one XLSX in one go, each as registerAccident registers it, and close those with a closure date', async () => {
  const base = batch();
  const closedAt = addMonths(NOW, -2);
  const rows = Array.from({ length: 1_000 }, (_, i) => fireRow(base + i, i % 400 === 7 ? { closed_at: closedAt } : {}));
  const file = await fireWorkbook(rows);
  expect(file.length).toBeLessThan(1_400_000);
  const [accidents, entries, evaluations] = [await count(Accident), await count(AuditEntry), await count(Evaluation)];

  const outcome = await imported('qilin-office', file, 'XLSX');
  expect(outcome).toMatchObject({ committed: true, rows: 1_000, registered: 1_000, alreadyRegistered: 0, closed: 3, workflowsStarted: 3, workflowsPending: 0, problemCount: 0 });
  expect([await count(Accident), await count(AuditEntry), await count(Evaluation)]).toEqual([accidents + 1_000, entries + 1_003, evaluations + 3]);

  // One case read back through GraphQL, as the intake would have registered it.
  const row = rows[500]!;
  const office = as['qilin-office'];
  const read = await office(`query($id: ID!) { accident(id: $id) { ${CASE} } }`, { id: await caseOf(`麒政复〔2025〕${base + 500}号`) });
  expect(read.errors).toBeUndefined();
  const graph = read.data!.accident;
  expect(graph).toMatchObject({
    title: row.title,
    level: 'ORDINARY',
    sector: 'FIRE',
    occurredAt: (row.occurred_at as Date).toISOString(),
    deaths: 1,
    directLossYuan: `${560000 + base + 500}.00`,
    locationRegion: { code: '530302001' },
    enterprise: { name: '曲靖市某建设工程有限公司' },
    investigation: { escalated: false, leadDepartment: { name: '麒麟区应急管理局' } },
    evaluation: null,
  });
  expect(graph.investigation.departments.map((d: { name: string }) => d.name).sort()).toEqual(['曲靖市公安局麒麟分局', '麒麟区住房和城乡建设局', '麒麟区应急管理局'].sort());
  expect(graph.investigation.report).toMatchObject({ documentNo: `麒政复〔2025〕${base + 500}号`, approvedAt: (row.approved_at as Date).toISOString(), closedAt: null });
  expect(graph.investigation.report.measures).toEqual([
    { seq: 1, text: `落实消防安全主体责任（${row.key}）`, responsibleUnits: ['曲靖市某建设工程有限公司'] },
    { seq: 2, text: '南宁街道开展商铺消防安全检查；建立台账', responsibleUnits: ['南宁街道办事处', '麒麟区应急管理局'] },
  ]);
  expect(graph.investigation.report.accountabilityItems).toEqual([{ seq: 1, kind: 'ADMINISTRATIVE_PENALTY', subject: '曲靖市某建设工程有限公司', recommendation: '依法处以罚款' }]);
  expect(graph.auditTrail).toEqual([{ revision: 1, action: 'REGISTER_CASE', actorId: 'qilin-office', actorRole: 'SAFETY_OFFICE' }]);

  // A case given a closure date was closed through the closure path: its evaluation runs.
  const closed = (await office(`query($id: ID!) { accident(id: $id) { ${CASE} } }`, { id: await caseOf(`麒政复〔2025〕${base + 7}号`) })).data!.accident;
  expect(closed.investigation.report.closedAt).toBe(closedAt.toISOString());
  expect(closed.evaluation).toMatchObject({ id: closed.id });
  expect(closed.auditTrail.map((e: { action: string }) => e.action)).toEqual(['REGISTER_CASE', 'CLOSE_CASE']);
  const workflow = await stack.env.client.workflow.getHandle(`accident-evaluation/${closed.id}`).describe();
  expect(workflow.status.name).toBe('RUNNING');
});

test('should import nothing from a file with one bad row, and name its row, column and reason as the intake gives it', async () => {
  const base = batch();
  const rows = Array.from({ length: 20 }, (_, i) => fireRow(base + i));
  // Excel row 8 (the header is row 1): three deaths make at least a 较大 accident.
  rows[6] = { ...rows[6], deaths: 3 };
  const [accidents, entries] = [await count(Accident), await count(AuditEntry)];

  const refused = await imported('qilin-office', await fireWorkbook(rows), 'XLSX');
  expect(refused).toMatchObject({ committed: false, rows: 20, registered: 0, problemCount: 1 });
  expect(refused.problems).toEqual([
    { sheet: 'cases', row: 8, column: 'level', field: 'level', code: 'BAD_USER_INPUT', message: expect.stringContaining('国务院令第493号 第三条') },
  ]);
  expect([await count(Accident), await count(AuditEntry)]).toEqual([accidents, entries]);
  expect(await caseOf(`麒政复〔2025〕${base}号`)).toBeNull();

  // Entries of the other sheets are named in their own sheet and row.
  rows[6] = { ...rows[6], deaths: 1 };
  const withBadMeasure = await workbook({
    cases: rows,
    measures: [
      ...rows.map((r) => ({ case: r.key, text: '落实消防安全主体责任', responsible_units: '曲靖市某建设工程有限公司' })),
      { case: 'QL-404', text: '一项无主的措施', responsible_units: '某单位' },
      { case: rows[2]!.key, text: '火'.repeat(8_001), responsible_units: '某单位' },
    ],
  });
  const sheets = await imported('qilin-office', withBadMeasure, 'XLSX');
  expect(sheets.problems.map(({ sheet, row, column, field, code }) => ({ sheet, row, column, field, code }))).toEqual([
    { sheet: 'measures', row: 22, column: 'case', field: null, code: 'BAD_USER_INPUT' },
    { sheet: 'measures', row: 23, column: 'text', field: 'investigation.report.measures[1].text', code: 'BAD_USER_INPUT' },
  ]);
  expect(sheets.committed).toBe(false);

  // A dry run of the corrected file says what the import would do, and writes nothing.
  const dry = await imported('qilin-office', await fireWorkbook(rows), 'XLSX', true);
  expect(dry).toMatchObject({ dryRun: true, committed: false, registered: 20, problemCount: 0 });
  expect(await count(Accident)).toBe(accidents);
  expect(await imported('qilin-office', await fireWorkbook(rows), 'XLSX')).toMatchObject({ committed: true, registered: 20 });
  expect(await count(Accident)).toBe(accidents + 20);
});

/** A CSV as Excel saves it ("CSV UTF-8"): a BOM, quoted cells where they hold commas, quotes or line breaks. */
function csv(rows: Row[], header?: string[]): Buffer {
  const columns = header ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const field = (v: unknown) => {
    const text = v instanceof Date ? excelTime(v).toISOString().slice(0, 16).replace('T', ' ') : String(v ?? '');
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [columns.map(field).join(','), ...rows.map((r) => columns.map((c) => field(r[c])).join(','))];
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

test('should import a CSV with measures and accountability in columns, and number its rows as Excel does', async () => {
  const base = batch();
  const rows = Array.from({ length: 5 }, (_, i) => {
    const { key: _key, ...row } = fireRow(base + i);
    return {
      ...row,
      measures: '落实消防安全主体责任|曲靖市某建设工程有限公司\n南宁街道开展商铺消防安全检查，建立台账|南宁街道办事处、麒麟区应急管理局',
      accountability: '行政处罚|曲靖市某建设工程有限公司|依法处以罚款; 刑事责任|店长 赵某|涉嫌重大责任事故罪，移送司法机关',
    };
  });
  // Headers as offices type them: Chinese labels, or `label (key)`.
  const header = ['事故名称', '事故等级', '行业领域', '发生时间', '事故地点区划代码', '事故单位', '死亡人数', '受伤人数', '直接经济损失（元）', '牵头部门', '参与部门', '提级调查', '批复文号', '批复日期', '整改措施 (measures)', '责任追究 (accountability)'];
  const keys = ['title', 'level', 'sector', 'occurred_at', 'location', 'enterprise', 'deaths', 'injuries', 'direct_loss_yuan', 'lead_department', 'departments', 'escalated', 'document_no', 'approved_at', 'measures', 'accountability'];
  const file = (records: Row[]) => {
    const body = csv(records, keys).toString('utf8').split('\r\n');
    body[0] = `\uFEFF${header.join(',')}`;
    return Buffer.from(body.join('\r\n'), 'utf8');
  };

  // Row 4 (each record one Excel row, however many lines its cells hold): a measure without a responsible unit.
  const bad = rows.map((r, i) => (i === 2 ? { ...r, measures: '落实消防安全主体责任|曲靖市某建设工程有限公司\n南宁街道开展检查' } : r));
  const refused = await imported('qilin-office', file(bad), 'CSV');
  expect(refused.problems).toEqual([
    {
      sheet: 'cases',
      row: 4,
      column: 'measures',
      field: 'investigation.report.measures[1].responsibleUnits',
      code: 'BAD_USER_INPUT',
      message: 'entry 2: investigation.report.measures[1].responsibleUnits: must not be empty',
    },
  ]);

  expect(await imported('qilin-office', file(rows), 'CSV')).toMatchObject({ committed: true, rows: 5, registered: 5 });
  const id = await caseOf(`麒政复〔2025〕${base + 4}号`);
  const report = (await as['qilin-office'](`query($id: ID!) { accident(id: $id) { ${CASE} } }`, { id })).data!.accident.investigation.report;
  expect(report.measures).toEqual([
    { seq: 1, text: '落实消防安全主体责任', responsibleUnits: ['曲靖市某建设工程有限公司'] },
    { seq: 2, text: '南宁街道开展商铺消防安全检查，建立台账', responsibleUnits: ['南宁街道办事处', '麒麟区应急管理局'] },
  ]);
  expect(report.accountabilityItems.map((a: { kind: string; subject: string }) => [a.kind, a.subject])).toEqual([
    ['ADMINISTRATIVE_PENALTY', '曲靖市某建设工程有限公司'],
    ['CRIMINAL', '店长 赵某'],
  ]);
});

test('should add nothing when the same file is imported again, and refuse a changed case under a document number already used', async () => {
  const base = batch();
  const closedAt = addMonths(NOW, -3);
  const rows = Array.from({ length: 10 }, (_, i) => fireRow(base + i, i < 2 ? { closed_at: closedAt } : {}));
  const file = await fireWorkbook(rows);
  expect(await imported('qilin-office', file, 'XLSX')).toMatchObject({ committed: true, registered: 10, closed: 2, workflowsStarted: 2 });
  const [accidents, entries, evaluations] = [await count(Accident), await count(AuditEntry), await count(Evaluation)];

  // Again, and from another office allowed to register these cases: the same cases, nothing new.
  for (const user of ['qilin-office', 'qujing-safety'] as const) {
    expect(await imported(user, file, 'XLSX')).toMatchObject({ committed: true, registered: 0, alreadyRegistered: 10, closed: 0, alreadyClosed: 2, workflowsStarted: 0, problemCount: 0 });
  }
  // The document number typed with other brackets is the same document.
  const retyped = rows.map((r) => ({ ...r, document_no: (r.document_no as string).replace('〔', '[').replace('〕', ']') }));
  expect(await imported('qilin-office', await fireWorkbook(retyped), 'XLSX')).toMatchObject({ committed: true, alreadyRegistered: 10 });
  expect([await count(Accident), await count(AuditEntry), await count(Evaluation)]).toEqual([accidents, entries, evaluations]);

  // A closure date added later closes the case; a different one for a closed case is refused.
  const later = rows.map((r, i) => (i === 5 ? { ...r, closed_at: closedAt } : i === 0 ? { ...r, closed_at: addDays(closedAt, 3) } : r));
  const conflicting = await imported('qilin-office', await fireWorkbook(later), 'XLSX');
  expect(conflicting.problems).toEqual([
    { sheet: 'cases', row: 2, column: 'closed_at', field: 'closedAt', code: 'INVALID_TRANSITION', message: expect.stringContaining('already closed on') },
  ]);
  expect(await count(Evaluation)).toBe(evaluations);

  const changed = rows.map((r, i) => (i === 3 ? { ...r, injuries: 9 } : r));
  const refused = await imported('qilin-office', await fireWorkbook(changed), 'XLSX');
  expect(refused.problems).toEqual([
    { sheet: 'cases', row: 5, column: 'document_no', field: 'investigation.report.documentNo', code: 'BAD_USER_INPUT', message: expect.stringContaining('accident.injuries') },
  ]);
  expect([await count(Accident), await count(AuditEntry)]).toEqual([accidents, entries]);
});

test('should check per row that the importing office may register the case, as registerAccident does', async () => {
  const base = batch();
  const rows = [
    fireRow(base),
    // A 较大 accident is investigated by the city: the district office may not register it.
    fireRow(base + 1, { level: '较大', deaths: 3 }),
    // A case of another province.
    fireRow(base + 2, { location: '141181', enterprise: '山西某焦化化工有限公司', lead_department: '吕梁市应急管理局', departments: '', level: '较大', deaths: 3 }),
  ];
  const file = await fireWorkbook(rows);
  const before = await count(Accident);

  const district = await imported('qilin-office', file, 'XLSX');
  expect(district.problems.map(({ row, column, code }) => ({ row, column, code }))).toEqual([
    { row: 3, column: 'location', code: 'FORBIDDEN' },
    { row: 4, column: 'location', code: 'FORBIDDEN' },
  ]);
  expect(district.problems[0]!.message).toContain('曲靖市');
  const city = await imported('qujing-safety', file, 'XLSX');
  expect(city.problems.map(({ row, code }) => ({ row, code }))).toEqual([{ row: 4, code: 'FORBIDDEN' }]);
  expect((await imported('nanning-town', file, 'XLSX')).problems.map((p) => p.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
  expect(await count(Accident)).toBe(before);

  const anonymous = await upload('public', file, 'XLSX');
  expect(anonymous.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect(await count(Accident)).toBe(before);

  // Each office imports what is its own.
  expect(await imported('qujing-safety', await fireWorkbook(rows.slice(0, 2)), 'XLSX')).toMatchObject({ committed: true, registered: 2 });
  expect(await imported('lvliang-office', await fireWorkbook(rows.slice(2)), 'XLSX')).toMatchObject({ committed: true, registered: 1 });
});

test('should refuse what it cannot read with typed errors, and name unknown columns, references and dates', async () => {
  const notBase64 = await as['qilin-office'](IMPORT, { file: '这不是文件', format: 'XLSX' });
  expect(notBase64.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });
  const notXlsx = await upload('qilin-office', Buffer.from('title,level\n'), 'XLSX');
  expect(notXlsx.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });
  const tooLarge = await as['qilin-office'](IMPORT, { file: 'A'.repeat(1_900_000), format: 'CSV' });
  expect(tooLarge.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });

  // A misspelt header: the whole file is refused at its header row, before any case is read.
  const { deaths: _deaths, ...misspelt } = fireRow(batch());
  const layout = await imported('qilin-office', await workbook({ cases: [{ ...misspelt, death: 1 }] }), 'XLSX');
  expect(layout.problems.map(({ sheet, row, column }) => ({ sheet, row, column }))).toEqual([
    { sheet: 'cases', row: 1, column: 'death' },
    { sheet: 'cases', row: 1, column: 'deaths' },
  ]);

  const base = batch();
  const rows = [
    fireRow(base, { enterprise: '不存在的公司' }),
    fireRow(base + 1, { location: '530399', lead_department: '不存在的局' }),
    fireRow(base + 2, { occurred_at: '2025年13月1日', document_no: `麒政复[2025]${base}号` }),
  ];
  const refused = await imported('qilin-office', await fireWorkbook(rows), 'XLSX');
  expect(refused.problems.map(({ row, column, code }) => ({ row, column, code }))).toEqual([
    { row: 2, column: 'enterprise', code: 'NOT_FOUND' },
    { row: 3, column: 'location', code: 'NOT_FOUND' },
    { row: 3, column: 'lead_department', code: 'NOT_FOUND' },
    { row: 4, column: 'document_no', code: 'BAD_USER_INPUT' },
    { row: 4, column: 'occurred_at', code: 'BAD_USER_INPUT' },
  ]);
  expect(refused.problems[3]!.message).toContain('row 2');

  // Text that could never be stored, in any cell, is refused by its row and column, not as an internal error.
  const { key: _key, ...hostile } = fireRow(batch(), { title: '火灾\u0001事故', enterprise: '某公司\u0000', lead_department: '\uD800局' });
  const unstorable = await imported('qilin-office', csv([hostile]), 'CSV');
  expect(unstorable.problems.map(({ row, column, code }) => ({ row, column, code }))).toEqual([
    { row: 2, column: 'enterprise', code: 'NOT_FOUND' },
    { row: 2, column: 'lead_department', code: 'NOT_FOUND' },
    { row: 2, column: 'title', code: 'BAD_USER_INPUT' },
  ]);
});
