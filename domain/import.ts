import { SECTORS } from './case.js';
import { DomainError, type DomainErrorCode } from './errors.js';
import {
  KIND_LABELS,
  LEVEL_LABELS,
  SECTOR_LABELS,
  booleanCell,
  cellText,
  chinaInstant,
  countCell,
  entryList,
  enumCell,
  accountabilityEntry,
  measureEntry,
  nameList,
  yuanCell,
  type Cell,
} from './import-cells.js';
import { normaliseDocumentNo, singleLine } from './intake.js';
import { ACCIDENT_LEVELS } from './organiser.js';

export { cellText, type Cell } from './import-cells.js';

// The bulk import's file layout: which sheets and columns a file of historical cases has, how its rows become
// cases (cells: import-cells.ts), and where a refusal of the intake points in the file. No I/O: reading the bytes
// is api/intake/import/, resolving codes and names to records is its service.

/** One row of a sheet, numbered as Excel shows it (the header is usually row 1). */
export interface SheetRow {
  row: number;
  cells: Cell[];
}

export interface Sheet {
  name: string;
  rows: SheetRow[];
}

/** A refused row: where it is in the file as the office sees it, and the intake's typed reason. */
export interface ImportProblem {
  sheet: string;
  /** Excel's row number (1 is the header). */
  row: number;
  /** The column key (see CASE_COLUMNS), or null when the problem is the whole row. */
  column: string | null;
  /** The intake's field path (as `registerAccident` names it), when the refusal came from the intake. */
  field: string | null;
  code: DomainErrorCode;
  message: string;
}

export interface ColumnSpec {
  key: string;
  /** The header an office types (Chinese); the key is accepted too, and `label (key)`. */
  label: string;
  required: boolean;
  help: string;
}

export const SHEET_NAMES = {
  cases: ['cases', '案件'],
  measures: ['measures', '整改措施'],
  accountability: ['accountability', '责任追究'],
} as const;
export type SheetKind = keyof typeof SHEET_NAMES;

const col = (key: string, label: string, required: boolean, help: string): ColumnSpec => ({ key, label, required, help });

export const CASE_COLUMNS: readonly ColumnSpec[] = [
  col('key', '编号', false, 'Any text unique in the file; rows of the measures and accountability sheets name it. Without it they name the document number'),
  col('title', '事故名称', true, 'At most 200 characters'),
  col('level', '事故等级', true, `${Object.keys(LEVEL_LABELS).join('/')} or ${ACCIDENT_LEVELS.join('/')}`),
  col('sector', '行业领域', true, `${Object.keys(SECTOR_LABELS).slice(0, 12).join('/')} or ${SECTORS.join('/')}`),
  col('occurred_at', '发生时间', true, 'A date (and time) in China time: 2025-03-14 09:30, 2025/3/14, 2025年3月14日, or an Excel date'),
  col('location', '事故地点区划代码', true, '行政区划代码 of where it happened (county 530302, town 530302001)'),
  col('enterprise', '事故单位', true, '统一社会信用代码 of the enterprise, or its exact registered name'),
  col('deaths', '死亡人数', true, 'Whole number'),
  col('injuries', '受伤人数', true, 'Whole number'),
  col('direct_loss_yuan', '直接经济损失（元）', true, 'Yuan, e.g. 1380000 or 1,380,000.00'),
  col('lead_department', '牵头部门', true, 'Department name (or <region code>/<name> when two regions have one of that name)'),
  col('departments', '参与部门', false, 'Department names separated by 、 ; or line breaks (the lead is added)'),
  col('escalated', '提级调查', false, '是/否 (empty: 否)'),
  col('listed_supervision_by', '挂牌督办单位', false, 'The supervising office, if listed'),
  col('delegated_to', '委托评估地区区划代码', false, 'Escalated cases only: the lower government evaluating (001 §4)'),
  col('document_no', '批复文号', true, '发文字号 of the approval, e.g. 麒政复〔2025〕37号; unique, so importing a file again adds nothing'),
  col('approved_at', '批复日期', true, 'Date of the approval (批复)'),
  col('closed_at', '结案日期', false, 'Date of closure (结案) if the case is closed: its evaluation then starts'),
  col('measures', '整改措施', false, 'One measure a line (Alt+Enter) or separated by ; — each as 措施内容|责任单位|责任单位. Or use the measures sheet'),
  col('accountability', '责任追究', false, 'One item a line or separated by ; — each as 类别|对象|处理建议 (类别: 行政处罚/党纪政务处分/刑事责任). Or use the accountability sheet'),
  col('note', '备注', false, 'Ignored'),
];

export const MEASURE_COLUMNS: readonly ColumnSpec[] = [
  col('case', '所属案件', true, 'The case row\'s 编号 (key), or its 批复文号'),
  col('text', '措施内容', true, 'One measure, in the report\'s order'),
  col('responsible_units', '责任单位', true, 'Units separated by 、 ; or line breaks'),
  col('note', '备注', false, 'Ignored'),
];

export const ACCOUNTABILITY_COLUMNS: readonly ColumnSpec[] = [
  col('case', '所属案件', true, 'The case row\'s 编号 (key), or its 批复文号'),
  col('kind', '类别', true, '行政处罚/党纪政务处分/刑事责任'),
  col('subject', '对象', true, 'The unit or person held to account'),
  col('recommendation', '处理建议', true, 'What the report recommends'),
  col('note', '备注', false, 'Ignored'),
];

export const COLUMNS: Record<SheetKind, readonly ColumnSpec[]> = { cases: CASE_COLUMNS, measures: MEASURE_COLUMNS, accountability: ACCOUNTABILITY_COLUMNS };

// ---- header cells ----------------------------------------------------------------------------------------

const isEmpty = (cell: Cell | undefined): boolean => cellText(cell) === '';

function normaliseHeader(text: string): string {
  return text.normalize('NFKC').replace(/[\s*]/g, '').toLowerCase();
}

/** The column key a header cell names: `title`, `事故名称`, `事故名称 (title)`; null when it names none. */
export function headerKey(cell: Cell | undefined, columns: readonly ColumnSpec[]): string | null {
  const text = normaliseHeader(cellText(cell));
  const named = /\(([a-z_]+)\)$/.exec(text)?.[1] ?? text;
  return columns.find((c) => c.key === named || normaliseHeader(c.label) === named)?.key ?? null;
}

// ---- sheets ----------------------------------------------------------------------------------------------

/** A data row of a sheet, its cells by column key. */
export interface KeyedRow {
  sheet: string;
  row: number;
  cells: Partial<Record<string, Cell>>;
}

/**
 * Reads a sheet's header (its first non-empty row) and keys every later non-empty row by it; null when the
 * header cannot be used (empty sheet, unknown, repeated or missing columns), each problem in `problems`.
 */
export function keyedRows(sheet: Sheet, kind: SheetKind, problems: ImportProblem[]): KeyedRow[] | null {
  const columns = COLUMNS[kind];
  const [header, ...data] = sheet.rows.filter((r) => r.cells.some((c) => !isEmpty(c)));
  if (!header) {
    problems.push(problem(sheet.name, 1, null, null, 'BAD_USER_INPUT', `the ${kind} sheet is empty: its first row names the columns (${columns.filter((c) => c.required).map((c) => c.key).join(', ')})`));
    return null;
  }
  const before = problems.length;
  const keys: (string | null)[] = [];
  header.cells.forEach((cell, i) => {
    if (isEmpty(cell)) return void (keys[i] = null);
    const key = headerKey(cell, columns);
    if (!key) {
      problems.push(problem(sheet.name, header.row, cellText(cell), null, 'BAD_USER_INPUT', `unknown column “${cellText(cell)}”: the ${kind} columns are ${columns.map((c) => `${c.key} (${c.label})`).join(', ')}`));
    } else if (keys.includes(key)) {
      problems.push(problem(sheet.name, header.row, key, null, 'BAD_USER_INPUT', `the column ${key} appears twice`));
    }
    keys[i] = key;
  });
  for (const c of columns) {
    if (c.required && !keys.includes(c.key)) problems.push(problem(sheet.name, header.row, c.key, null, 'BAD_USER_INPUT', `the column ${c.key} (${c.label}) is missing`));
  }
  if (problems.length > before) return null;
  return data.map((r) => {
    const cells: Partial<Record<string, Cell>> = {};
    keys.forEach((key, i) => {
      if (key && key !== 'note') cells[key] = r.cells[i] ?? null;
    });
    return { sheet: sheet.name, row: r.row, cells };
  });
}

export function problem(sheet: string, row: number, column: string | null, field: string | null, code: DomainErrorCode, message: string): ImportProblem {
  return { sheet, row, column, field, code, message };
}

// ---- cases -----------------------------------------------------------------------------------------------

/** Where an entry of a case came from: a row of its own sheet, or a column of the case row. */
export interface Origin {
  sheet: string;
  row: number;
  /** Column of the case row holding a list (`measures`), or null when the entry has its own row. */
  listColumn: string | null;
}

/** One case row as typed, references (codes, names) not yet resolved to records. */
export interface CaseRow {
  sheet: string;
  row: number;
  key: string | null;
  title: string;
  level: string;
  sector: string;
  occurredAt: string | Date | undefined;
  location: string;
  enterprise: string;
  deaths: unknown;
  injuries: unknown;
  directLossYuan: string;
  leadDepartment: string;
  departments: string[];
  escalated: unknown;
  listedSupervisionBy: string | null;
  delegatedTo: string | null;
  documentNo: string;
  approvedAt: string | Date | undefined;
  closedAt: string | Date | undefined;
  measures: { text: string; responsibleUnits: string[]; origin: Origin }[];
  accountabilityItems: { kind: string; subject: string; recommendation: string; origin: Origin }[];
}

function caseRow(r: KeyedRow): CaseRow {
  const c = r.cells;
  const text = (key: string) => cellText(c[key]);
  const measures = entryList(c.measures).map((e) => ({ ...measureEntry(e), origin: { sheet: r.sheet, row: r.row, listColumn: 'measures' } }));
  const accountabilityItems = entryList(c.accountability).map((e) => ({ ...accountabilityEntry(e), origin: { sheet: r.sheet, row: r.row, listColumn: 'accountability' } }));
  return {
    sheet: r.sheet,
    row: r.row,
    key: text('key') || null,
    title: text('title'),
    level: enumCell(c.level, LEVEL_LABELS),
    sector: enumCell(c.sector, SECTOR_LABELS),
    occurredAt: chinaInstant(c.occurred_at),
    location: text('location'),
    enterprise: text('enterprise'),
    deaths: countCell(c.deaths),
    injuries: countCell(c.injuries),
    directLossYuan: yuanCell(c.direct_loss_yuan),
    leadDepartment: text('lead_department'),
    departments: nameList(c.departments),
    escalated: booleanCell(c.escalated),
    listedSupervisionBy: text('listed_supervision_by') || null,
    delegatedTo: text('delegated_to') || null,
    documentNo: text('document_no'),
    approvedAt: chinaInstant(c.approved_at),
    closedAt: chinaInstant(c.closed_at),
    measures,
    accountabilityItems,
  };
}

function documentKey(text: string): string | null {
  try {
    return normaliseDocumentNo('documentNo', text);
  } catch {
    return null;
  }
}

/**
 * The cases of a file, with the measures and accountability rows of their own sheets joined to them (by the
 * case's key, else its document number), in sheet order. Problems of layout and joining go to `problems`;
 * what the intake would refuse is left for it to say.
 */
export function casesOf(sheets: Partial<Record<SheetKind, Sheet>>, problems: ImportProblem[]): { cases: CaseRow[]; layoutOk: boolean } {
  if (!sheets.cases) {
    problems.push(problem(SHEET_NAMES.cases[0], 1, null, null, 'BAD_USER_INPUT', `the file has no sheet named ${SHEET_NAMES.cases.join(' or ')}`));
    return { cases: [], layoutOk: false };
  }
  const layout = (Object.keys(SHEET_NAMES) as SheetKind[]).map((kind) => {
    const sheet = sheets[kind];
    return [kind, sheet ? keyedRows(sheet, kind, problems) : []] as const;
  });
  const rows = Object.fromEntries(layout) as Record<SheetKind, KeyedRow[] | null>;
  if (layout.some(([, r]) => r === null)) return { cases: [], layoutOk: false };
  const cases = rows.cases!.map(caseRow);
  const byKey = new Map<string, CaseRow>();
  const byDocument = new Map<string, CaseRow>();
  for (const c of cases) {
    if (c.key) {
      const other = byKey.get(c.key);
      if (other) problems.push(problem(c.sheet, c.row, 'key', null, 'BAD_USER_INPUT', `the key ${c.key} is also the key of row ${other.row}`));
      else byKey.set(c.key, c);
    }
    const document = documentKey(c.documentNo);
    if (document) {
      const other = byDocument.get(document);
      if (other) problems.push(problem(c.sheet, c.row, 'document_no', 'investigation.report.documentNo', 'BAD_USER_INPUT', `${document} is also the document number of row ${other.row}`));
      else byDocument.set(document, c);
    }
  }
  const owner = (r: KeyedRow): CaseRow | undefined => {
    const named = cellText(r.cells.case);
    if (!named) {
      problems.push(problem(r.sheet, r.row, 'case', null, 'BAD_USER_INPUT', 'case: name the case by its key (编号) or its document number (批复文号)'));
      return undefined;
    }
    const found = byKey.get(named) ?? byDocument.get(documentKey(named) ?? '');
    if (!found) problems.push(problem(r.sheet, r.row, 'case', null, 'BAD_USER_INPUT', `case: no row of the cases sheet has the key or document number ${named}`));
    return found;
  };
  const join = (kind: 'measures' | 'accountability', add: (c: CaseRow, r: KeyedRow, origin: Origin) => void) => {
    for (const r of rows[kind]!) {
      const c = owner(r);
      if (!c) continue;
      const listed = kind === 'measures' ? c.measures : c.accountabilityItems;
      if (listed.some((e) => e.origin.listColumn)) {
        problems.push(problem(r.sheet, r.row, 'case', null, 'BAD_USER_INPUT', `row ${c.row} of the cases sheet lists its ${kind} in its ${kind} column: give them there or in this sheet, not both`));
        continue;
      }
      add(c, r, { sheet: r.sheet, row: r.row, listColumn: null });
    }
  };
  join('measures', (c, r, origin) => c.measures.push({ text: cellText(r.cells.text), responsibleUnits: nameList(r.cells.responsible_units), origin }));
  join('accountability', (c, r, origin) =>
    c.accountabilityItems.push({
      kind: enumCell(r.cells.kind, KIND_LABELS),
      subject: cellText(r.cells.subject),
      recommendation: cellText(r.cells.recommendation),
      origin,
    }),
  );
  return { cases, layoutOk: true };
}

// ---- where an intake refusal points ----------------------------------------------------------------------

const CASE_FIELDS: Record<string, string> = {
  title: 'title',
  level: 'level',
  sector: 'sector',
  occurredAt: 'occurred_at',
  locationRegionId: 'location',
  enterpriseId: 'enterprise',
  deaths: 'deaths',
  injuries: 'injuries',
  directLossYuan: 'direct_loss_yuan',
  'investigation.leadDepartmentId': 'lead_department',
  'investigation.departmentIds': 'departments',
  'investigation.escalated': 'escalated',
  'investigation.listedSupervisionBy': 'listed_supervision_by',
  'investigation.delegatedEvaluationRegionId': 'delegated_to',
  'investigation.report.documentNo': 'document_no',
  'investigation.report.approvedAt': 'approved_at',
  'investigation.report.measures': 'measures',
  'investigation.report.accountabilityItems': 'accountability',
  closedAt: 'closed_at',
};

const ENTRY_FIELDS: Record<string, string> = { text: 'text', responsibleUnits: 'responsible_units', kind: 'kind', subject: 'subject', recommendation: 'recommendation' };

/**
 * The sheet, row and column an intake refusal of `field` points at (`investigation.report.measures[2].text` →
 * the measures sheet's row of that measure, column text). A refusal without a field points at the case row;
 * FORBIDDEN at its location, which decides the investigating government.
 */
export function refusalAt(c: CaseRow, error: DomainError): ImportProblem {
  const field = error.field ?? null;
  const entry = field ? /^investigation\.report\.(measures|accountabilityItems)\[(\d+)\](?:\.(\w+))?/.exec(field) : null;
  if (entry) {
    const list = entry[1] === 'measures' ? c.measures : c.accountabilityItems;
    const origin = list[Number(entry[2])]?.origin;
    if (origin?.listColumn) {
      return problem(origin.sheet, origin.row, origin.listColumn, field, error.code, `entry ${Number(entry[2]) + 1}: ${error.message}`);
    }
    if (origin) return problem(origin.sheet, origin.row, ENTRY_FIELDS[entry[3] ?? ''] ?? null, field, error.code, error.message);
  }
  const base = field?.replace(/\[\d+\].*$/, '') ?? null;
  const column = base ? (CASE_FIELDS[base] ?? null) : error.code === 'FORBIDDEN' ? 'location' : null;
  return problem(c.sheet, c.row, column, field, error.code, error.message);
}

/** A name as the register stores it (for matching enterprises and departments typed in a file). */
export function registerName(text: string): string | null {
  try {
    return singleLine('name', text);
  } catch {
    return null;
  }
}

/** Problems in the order an office reads the file: sheet by sheet, row by row. */
export function sortProblems(problems: ImportProblem[]): ImportProblem[] {
  const order = (sheet: string) => {
    const i = Object.values(SHEET_NAMES).findIndex((names) => (names as readonly string[]).includes(sheet));
    return i < 0 ? 99 : i;
  };
  return [...problems].sort((a, b) => order(a.sheet) - order(b.sheet) || a.sheet.localeCompare(b.sheet) || a.row - b.row);
}
