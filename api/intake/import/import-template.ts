import ExcelJS from 'exceljs';
import { COLUMNS, SHEET_NAMES, cellText, type Cell, type ColumnSpec, type SheetKind } from '../../../domain/import.js';
import type { ImportFormat } from './import-file.js';

// Files in the import's layout: the template offices fill in (`npm run import:cases -- --template cases.xlsx`),
// and the files the data generator (bench/generate-cases.ts) feeds through the import.

/** One row of a sheet, by column key (domain/import.ts); a Date is an instant, written in China time. */
export type SheetRecord = Partial<Record<string, Cell>>;

export interface CaseSheets {
  cases: SheetRecord[];
  measures?: SheetRecord[];
  accountability?: SheetRecord[];
}

export interface WriteOptions {
  /** Headers as `事故名称 (title)` rather than the bare key. */
  labels?: boolean;
  /** Every column of the layout, not only those the rows use. */
  allColumns?: boolean;
}

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

function columnsOf(kind: SheetKind, rows: SheetRecord[], options: WriteOptions): readonly ColumnSpec[] {
  if (options.allColumns) return COLUMNS[kind];
  const used = new Set(rows.flatMap((r) => Object.keys(r)));
  return COLUMNS[kind].filter((c) => c.required || used.has(c.key));
}

const header = (c: ColumnSpec, options: WriteOptions) => (options.labels ? `${c.label} (${c.key})` : c.key);

/** An XLSX workbook with the sheets cases, measures and accountability (and 说明 with the labels). */
export async function casesWorkbook(sheets: CaseSheets, options: WriteOptions = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const kind of Object.keys(SHEET_NAMES) as SheetKind[]) {
    const rows = sheets[kind];
    if (!rows) continue;
    const columns = columnsOf(kind, rows, options);
    const worksheet = workbook.addWorksheet(SHEET_NAMES[kind][0]);
    worksheet.columns = columns.map((c) => ({ header: header(c, options), key: c.key, width: Math.max(12, header(c, options).length + 4) }));
    for (const record of rows) {
      const row = worksheet.addRow(
        Object.fromEntries(columns.map((c) => {
          const value = record[c.key];
          // Excel keeps wall-clock times: an instant is written as China shows it.
          return [c.key, value instanceof Date ? new Date(value.getTime() + CHINA_OFFSET_MS) : (value ?? null)];
        })),
      );
      columns.forEach((c, i) => {
        if (record[c.key] instanceof Date) row.getCell(i + 1).numFmt = 'yyyy-mm-dd hh:mm';
        if (typeof record[c.key] === 'string' && /\n/.test(record[c.key] as string)) row.getCell(i + 1).alignment = { wrapText: true };
      });
    }
    worksheet.getRow(1).font = { bold: true };
  }
  if (options.labels) {
    const help = workbook.addWorksheet('说明');
    help.columns = [
      { header: 'sheet', key: 'sheet', width: 16 },
      { header: 'column', key: 'column', width: 24 },
      { header: '列名', key: 'label', width: 24 },
      { header: 'required', key: 'required', width: 10 },
      { header: 'how to fill it in', key: 'help', width: 100 },
    ];
    for (const kind of Object.keys(SHEET_NAMES) as SheetKind[]) {
      for (const c of COLUMNS[kind]) help.addRow({ sheet: SHEET_NAMES[kind].join(' / '), column: c.key, label: c.label, required: c.required ? 'yes' : '', help: c.help });
    }
    help.getRow(1).font = { bold: true };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function csvField(value: Cell | undefined): string {
  const text =
    value instanceof Date
      ? new Date(value.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ')
      : cellText(value ?? null);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV of cases (measures and accountability in their columns), UTF-8 with a BOM so Excel reads it as such. */
export function casesCsv(rows: SheetRecord[], options: WriteOptions = {}): string {
  const columns = columnsOf('cases', rows, options);
  const lines = [columns.map((c) => csvField(header(c, options))), ...rows.map((r) => columns.map((c) => csvField(r[c.key])))];
  return `\uFEFF${lines.map((l) => l.join(',')).join('\r\n')}\r\n`;
}

/** One case as an office would enter it, on the demo data's register (infra/demo-data.ts). */
const EXAMPLE: SheetRecord = {
  key: 'QL-2025-01',
  title: '麒麟区某建设工程有限公司“3·14”高处坠落事故',
  level: '一般',
  sector: '建筑施工',
  occurred_at: '2025-03-14 09:30',
  location: '530302001',
  enterprise: '91530302MA6K000001',
  deaths: 1,
  injuries: 0,
  direct_loss_yuan: '1380000.00',
  lead_department: '麒麟区应急管理局',
  departments: '麒麟区住房和城乡建设局、曲靖市公安局麒麟分局',
  escalated: '否',
  document_no: '麒政复〔2025〕37号',
  approved_at: '2025-06-20',
  closed_at: '2025-07-10',
};
const EXAMPLE_MEASURES: [string, string][] = [
  ['施工单位落实高处作业安全防护，临边洞口防护设施全覆盖', '曲靖市某建设工程有限公司'],
  ['区住建局开展建筑施工高处坠落专项整治', '麒麟区住房和城乡建设局'],
];
const EXAMPLE_ITEMS: [string, string, string][] = [
  ['行政处罚', '曲靖市某建设工程有限公司', '依法处以罚款（一案双罚）'],
  ['刑事责任', '项目经理 王某', '涉嫌重大责任事故罪，移送司法机关'],
];

/** The template: every column, labelled, with one example case (delete it before importing). */
export async function importTemplate(format: ImportFormat): Promise<Buffer> {
  if (format === 'CSV') {
    const row = {
      ...EXAMPLE,
      measures: EXAMPLE_MEASURES.map(([text, units]) => `${text}|${units}`).join('\n'),
      accountability: EXAMPLE_ITEMS.map((item) => item.join('|')).join('\n'),
    };
    return Buffer.from(casesCsv([row], { labels: true, allColumns: true }), 'utf8');
  }
  return casesWorkbook(
    {
      cases: [EXAMPLE],
      measures: EXAMPLE_MEASURES.map(([text, units]) => ({ case: EXAMPLE.key, text, responsible_units: units })),
      accountability: EXAMPLE_ITEMS.map(([kind, subject, recommendation]) => ({ case: EXAMPLE.key, kind, subject, recommendation })),
    },
    { labels: true, allColumns: true },
  );
}
