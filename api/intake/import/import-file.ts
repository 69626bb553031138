import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { badInput } from '../../../domain/errors.js';
import { SHEET_NAMES, type Cell, type Sheet, type SheetKind } from '../../../domain/import.js';

// Bytes of an uploaded or local file → the sheets domain/import.ts reads. A file that cannot be read at all is
// refused as a whole (BAD_USER_INPUT on `file`); everything inside it is reported row by row.

export const IMPORT_FORMATS = ['CSV', 'XLSX'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ReadLimits {
  /** Bytes the XLSX's parts may inflate to (a zip bomb is refused before it is unpacked). */
  maxUnzippedBytes: number;
}

export const UPLOAD_READ_LIMITS: ReadLimits = { maxUnzippedBytes: 64 * 1024 * 1024 };

/** The sum of the uncompressed sizes a zip's central directory declares (Infinity for ZIP64 or a broken directory). */
export function declaredUnzippedBytes(zip: Buffer): number {
  const EOCD = 0x06054b50;
  const CENTRAL = 0x02014b50;
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      end = i;
      break;
    }
  }
  if (end < 0) return Number.NaN;
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL) return Infinity;
    const size = zip.readUInt32LE(at + 24);
    if (size === 0xffffffff) return Infinity;
    total += size;
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return total;
}

type ExcelValue = ExcelJS.CellValue;

/** What a cell shows: a formula's result, rich text's characters, a link's text. */
function cellOf(value: ExcelValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : cellOf(value.text as ExcelValue);
  if ('result' in value) return cellOf(value.result as ExcelValue);
  if ('formula' in value || 'sharedFormula' in value) return null;
  if ('error' in value) return String(value.error);
  return null;
}

const kindOf = (name: string): SheetKind | undefined =>
  (Object.keys(SHEET_NAMES) as SheetKind[]).find((kind) => (SHEET_NAMES[kind] as readonly string[]).includes(name.trim().toLowerCase()));

async function readXlsx(bytes: Buffer, limits: ReadLimits): Promise<Partial<Record<SheetKind, Sheet>>> {
  const unzipped = declaredUnzippedBytes(bytes);
  if (Number.isNaN(unzipped)) throw badInput('file', 'is not an XLSX workbook (save it as Excel Workbook .xlsx)');
  if (unzipped > limits.maxUnzippedBytes) throw badInput('file', `unpacks to more than ${limits.maxUnzippedBytes} bytes: split it, or use npm run import:cases`);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch {
    throw badInput('file', 'is not an XLSX workbook that can be read (save it as Excel Workbook .xlsx)');
  }
  const sheets: Partial<Record<SheetKind, Sheet>> = {};
  const worksheets = workbook.worksheets;
  for (const worksheet of worksheets) {
    // A workbook of one sheet is the cases sheet, whatever its name (Sheet1, 2024年事故).
    const kind = kindOf(worksheet.name) ?? (worksheets.length === 1 ? 'cases' : undefined);
    if (!kind || sheets[kind]) continue;
    const rows: Sheet['rows'] = [];
    worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const values = row.values as ExcelValue[];
      // exceljs rows are 1-based: values[0] is empty.
      rows.push({ row: rowNumber, cells: values.slice(1).map((v) => cellOf(v)) });
    });
    sheets[kind] = { name: worksheet.name, rows };
  }
  return sheets;
}

/** UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030: what Excel saves as "CSV" on a Chinese Windows. */
export function decodeCsv(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function readCsv(bytes: Buffer): Partial<Record<SheetKind, Sheet>> {
  const text = decodeCsv(bytes);
  const header = text.split(/\r?\n/, 1)[0] ?? '';
  // Excel's "Unicode text" is tab-separated; everything else here is comma-separated.
  const delimiter = header.includes('\t') && !header.includes(',') ? '\t' : ',';
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: false, delimiter });
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw badInput('file', `is not a CSV file that can be read${line ? ` (near line ${line})` : ''}: ${(error as Error).message}`);
  }
  // Excel numbers rows by record, a quoted cell with line breaks being one row.
  return { cases: { name: SHEET_NAMES.cases[0], rows: records.map((cells, i) => ({ row: i + 1, cells })) } };
}

/** The sheets of a file: XLSX with sheets cases/measures/accountability (or 案件/整改措施/责任追究), or a CSV of cases. */
export async function readImportFile(bytes: Buffer, format: ImportFormat, limits: ReadLimits = UPLOAD_READ_LIMITS): Promise<Partial<Record<SheetKind, Sheet>>> {
  if (!bytes.length) throw badInput('file', 'is empty');
  return format === 'XLSX' ? readXlsx(bytes, limits) : readCsv(bytes);
}

/** The format a file name says, for the command line. */
export function formatOfName(name: string): ImportFormat | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.xlsx')) return 'XLSX';
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'CSV';
  return undefined;
}
