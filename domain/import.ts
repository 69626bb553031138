import { ACCOUNTABILITY_KINDS, SECTORS } from './case.js';
import { DomainError, type DomainErrorCode } from './errors.js';
import { normaliseDocumentNo, singleLine } from './intake.js';
import { ACCIDENT_LEVELS } from './organiser.js';

// The bulk import's file layout: which sheets and columns a file of historical cases has, how a cell typed in
// Excel becomes what the GraphQL intake takes, and where a refusal of the intake points in the file. No I/O:
// reading the bytes is api/intake/import/, resolving codes and names to records is its service.

/** A cell as a spreadsheet reader gives it. Dates are wall-clock times (China time), as Excel shows them. */
export type Cell = string | number | boolean | Date | null;

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

const LEVEL_LABELS: Record<string, (typeof ACCIDENT_LEVELS)[number]> = { 一般: 'ORDINARY', 较大: 'LARGER', 重大: 'MAJOR', 特别重大: 'EXTRAORDINARY' };
// 003 §二: the twelve sectors, as the campaign names them.
const SECTOR_LABELS: Record<string, (typeof SECTORS)[number]> = {
  煤矿: 'COAL_MINE',
  非煤矿山: 'NON_COAL_MINE',
  危险化学品: 'HAZARDOUS_CHEMICALS',
  道路运输: 'ROAD_TRANSPORT',
  建筑施工: 'CONSTRUCTION',
  消防: 'FIRE',
  自建房: 'SELF_BUILT_HOUSING',
  城镇燃气: 'URBAN_GAS',
  旅游: 'TOURISM',
  工贸: 'INDUSTRY_AND_TRADE',
  水上交通和渔业船舶: 'WATERWAYS_AND_FISHING',
  其他: 'OTHER',
  其他重点领域: 'OTHER',
};
const KIND_LABELS: Record<string, (typeof ACCOUNTABILITY_KINDS)[number]> = {
  行政处罚: 'ADMINISTRATIVE_PENALTY',
  党纪政务处分: 'PARTY_GOVERNMENT_DISCIPLINE',
  刑事责任: 'CRIMINAL',
};

export const LABELS = { level: LEVEL_LABELS, sector: SECTOR_LABELS, kind: KIND_LABELS } as const;

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

// ---- cells -----------------------------------------------------------------------------------------------

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** Text of a cell, trimmed; '' for an empty one. Numbers as typed (no exponent for whole numbers). */
export function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : cell.toISOString();
  if (typeof cell === 'number') return Number.isInteger(cell) && Math.abs(cell) < 1e21 ? BigInt(cell).toString() : String(cell);
  return String(cell).trim();
}

const isEmpty = (cell: Cell | undefined): boolean => cellText(cell) === '';

function normaliseHeader(text: string): string {
  return text.normalize('NFKC').replace(/[\s*]/g, '').toLowerCase();
}

/** The column key a header cell names: `title`, `事故名称`, `事故名称 (title)`; null when it names none. */
export function headerKey(cell: Cell | undefined, columns: readonly ColumnSpec[]): string | null {
  const text = normaliseHeader(cellText(cell));
  const keyed = /\(([a-z_]+)\)$/.exec(text);
  const candidates = keyed ? [keyed[1]!] : [text];
  for (const candidate of candidates) {
    const found = columns.find((c) => c.key === candidate || normaliseHeader(c.label) === candidate);
    if (found) return found.key;
  }
  return null;
}

/** An instant from a date cell (China wall-clock), an Excel serial, or typed text; unreadable text passes through. */
export function chinaInstant(cell: Cell | undefined): string | Date | undefined {
  if (cell === null || cell === undefined || cell === '') return undefined;
  if (cell instanceof Date) return new Date(cell.getTime() - CHINA_OFFSET_MS);
  // An Excel serial day number (1900 system) read without its date format; 20250314 is a date typed as a number.
  if (typeof cell === 'number' && !(cell >= 19000101 && cell <= 29991231)) return new Date(Math.round((cell - 25569) * 86_400_000) - CHINA_OFFSET_MS);
  const text = cellText(cell).normalize('NFKC').replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3');
  const local = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[\sT]*(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})秒?)?分?)?$/.exec(text);
  if (local) {
    const [, y, mo, d, h = '0', mi = '0', s = '0'] = local;
    const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    const check = new Date(wall);
    // 2025-02-30 is no date; Date.UTC would roll it into March.
    if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return text;
    return new Date(wall - CHINA_OFFSET_MS);
  }
  return text;
}

/** A whole number cell; anything else passes through for the intake to refuse in its own words. */
export function countCell(cell: Cell | undefined): unknown {
  if (typeof cell === 'number') return cell;
  const text = cellText(cell);
  if (/^\d+$/.test(text)) return Number(text);
  return text || undefined;
}

/** Yuan as the intake takes it: a plain decimal. Grouping commas, spaces and a trailing 元 are dropped. */
export function yuanCell(cell: Cell | undefined): string {
  if (typeof cell === 'number') {
    // Binary floating point: 1380000.1 prints as typed; a third decimal is kept for the intake to refuse.
    return Number.isFinite(cell) ? String(Math.round(cell * 1000) / 1000) : String(cell);
  }
  return cellText(cell).normalize('NFKC').replace(/[\s,]/g, '').replace(/元$/, '');
}

export function booleanCell(cell: Cell | undefined): unknown {
  if (typeof cell === 'boolean') return cell;
  if (typeof cell === 'number' && (cell === 0 || cell === 1)) return cell === 1;
  const text = cellText(cell).toLowerCase();
  if (!text || ['否', '不', 'no', 'n', 'false', '0'].includes(text)) return false;
  if (['是', 'yes', 'y', 'true', '1'].includes(text)) return true;
  return text;
}

/** An enumerated value: its Chinese label or the enum name (any case); unknown text passes through. */
export function enumCell(cell: Cell | undefined, labels: Record<string, string>): string {
  const text = cellText(cell).normalize('NFKC').replace(/\s+/g, '');
  return labels[text] ?? text.toUpperCase();
}

/** Names in one cell: separated by 、 , ; (half or full width), | or line breaks. */
export function nameList(cell: Cell | undefined): string[] {
  return cellText(cell)
    .split(/[、,，;；|｜\r\n]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Entries of a `measures` or `accountability` column: one a line, or separated by a half-width `;`. */
export function entryList(cell: Cell | undefined): string[] {
  return cellText(cell)
    .split(/[;\r\n]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `text|unit|unit` (units may also be separated by 、 ,); the `|` may be full width. */
export function measureEntry(entry: string): { text: string; responsibleUnits: string[] } {
  const [text = '', ...units] = entry.split(/[|｜]/);
  return { text: text.trim(), responsibleUnits: units.flatMap((u) => nameList(u)) };
}

/** `kind|subject|recommendation` (a `|` inside the recommendation is kept). */
export function accountabilityEntry(entry: string): { kind: string; subject: string; recommendation: string } {
  const [kind = '', subject = '', ...rest] = entry.split(/[|｜]/);
  return { kind: enumCell(kind, KIND_LABELS), subject: subject.trim(), recommendation: rest.join('|').trim() };
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
