import { ACCOUNTABILITY_KINDS, SECTORS } from './case.js';
import { ACCIDENT_LEVELS } from './organiser.js';

// How a cell typed in Excel becomes what the GraphQL intake takes (domain/import.ts reads the sheets). Whatever
// cannot be read passes through as typed, for the intake to refuse in its own words.

/** A cell as a spreadsheet reader gives it. Dates are wall-clock times (China time), as Excel shows them. */
export type Cell = string | number | boolean | Date | null;

export const LEVEL_LABELS: Record<string, (typeof ACCIDENT_LEVELS)[number]> = { 一般: 'ORDINARY', 较大: 'LARGER', 重大: 'MAJOR', 特别重大: 'EXTRAORDINARY' };
// 003 §二: the twelve sectors, as the campaign names them.
export const SECTOR_LABELS: Record<string, (typeof SECTORS)[number]> = {
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
export const KIND_LABELS: Record<string, (typeof ACCOUNTABILITY_KINDS)[number]> = {
  行政处罚: 'ADMINISTRATIVE_PENALTY',
  党纪政务处分: 'PARTY_GOVERNMENT_DISCIPLINE',
  刑事责任: 'CRIMINAL',
};

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** Text of a cell, trimmed; '' for an empty one. Numbers as typed (no exponent for whole numbers). */
export function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : cell.toISOString();
  if (typeof cell === 'number') return Number.isInteger(cell) && Math.abs(cell) < 1e21 ? BigInt(cell).toString() : String(cell);
  return String(cell).trim();
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
