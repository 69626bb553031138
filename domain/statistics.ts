import { chinaMidnight } from './calendar.js';
import { badInput } from './errors.js';

// Statistics of accidents and of evaluations (002 §5(四), 004 items 3, 5-8). The figures are aggregated in SQL
// (api/statistics); this file holds what a figure means: the periods compared, and how a change and a rate are
// computed from two totals.

export const PERIOD_KINDS = ['MONTH', 'QUARTER', 'YEAR'] as const;
/** 月, 季度, 年: the periods statistics are reported and compared by (004 item 8: monthly analysis). */
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** One reporting period: a month (number 1-12), a quarter (1-4) or a year (number 1). */
export interface Period {
  kind: PeriodKind;
  year: number;
  number: number;
}

/** Periods are China calendar periods: a month starts at midnight in China on its first day. */
export interface PeriodBounds {
  /** First day, YYYY-MM-DD. */
  startsOn: string;
  /** Last day, YYYY-MM-DD (inclusive). */
  endsOn: string;
  /** The instants [startsAt, endsAt): what an accident's `occurredAt` is compared with. */
  startsAt: Date;
  endsAt: Date;
}

/** Rows one statistics answer holds at most (the regions directly under a province or a county are far fewer). */
export const MAX_STATISTICS_ROWS = 1_000;

export const MIN_STATISTICS_YEAR = 1949;
export const MAX_STATISTICS_YEAR = 2200;

const PER_YEAR: Record<PeriodKind, number> = { MONTH: 12, QUARTER: 4, YEAR: 1 };
const MONTHS: Record<PeriodKind, number> = { MONTH: 1, QUARTER: 3, YEAR: 12 };

/** The period a client asked for, or BAD_USER_INPUT naming the field. A year needs no number (it is 1). */
export function checkPeriod(input: { kind: PeriodKind; year: number; number?: number | null }, field = 'period'): Period {
  if (!PERIOD_KINDS.includes(input.kind)) throw badInput(`${field}.kind`, `one of ${PERIOD_KINDS.join(', ')}`);
  if (!Number.isInteger(input.year) || input.year < MIN_STATISTICS_YEAR || input.year > MAX_STATISTICS_YEAR) {
    throw badInput(`${field}.year`, `a year from ${MIN_STATISTICS_YEAR} to ${MAX_STATISTICS_YEAR}`);
  }
  const most = PER_YEAR[input.kind];
  const number = input.number ?? (input.kind === 'YEAR' ? 1 : undefined);
  if (number === undefined) throw badInput(`${field}.number`, `required for a ${input.kind.toLowerCase()}: 1 to ${most}`);
  if (!Number.isInteger(number) || number < 1 || number > most) throw badInput(`${field}.number`, most === 1 ? 'must be 1 or left out for a year' : `1 to ${most} for a ${input.kind.toLowerCase()}`);
  return { kind: input.kind, year: input.year, number };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The first month (1-12) of a period. */
const firstMonth = (p: Period): number => (p.number - 1) * MONTHS[p.kind] + 1;

export function periodBounds(p: Period): PeriodBounds {
  const start = firstMonth(p);
  const startsOn = `${p.year}-${pad(start)}-01`;
  const lastMonth = start + MONTHS[p.kind] - 1;
  const lastDay = new Date(Date.UTC(p.year, lastMonth, 0)).getUTCDate();
  const endsOn = `${p.year}-${pad(lastMonth)}-${pad(lastDay)}`;
  const next = lastMonth === 12 ? `${p.year + 1}-01-01` : `${p.year}-${pad(lastMonth + 1)}-01`;
  return { startsOn, endsOn, startsAt: chinaMidnight(startsOn), endsAt: chinaMidnight(next) };
}

/** 环比: the period just before (January's is December of the year before; a year's is the year before). */
export function previousPeriod(p: Period): Period {
  if (p.number > 1) return { ...p, number: p.number - 1 };
  return { kind: p.kind, year: p.year - 1, number: PER_YEAR[p.kind] };
}

/** 同比: the same period of the year before (for a year, the same as the previous period). */
export function samePeriodLastYear(p: Period): Period {
  return { ...p, year: p.year - 1 };
}

/** How a figure moved against a base period (同比 or 环比). */
export interface Change {
  /** current − base. */
  difference: number;
  /** (current − base) / base, to four decimal places; null when the base is 0 (no ratio to a period without any). */
  ratio: number | null;
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

/** The change of a count from its base: from 0 it has no ratio (null, never infinity); 0 → 0 is a difference of 0. */
export function change(current: number, base: number): Change {
  return { difference: current - base, ratio: base === 0 ? null : round4((current - base) / base) };
}

/** An amount of yuan, exact to the fen, as a decimal string: 560000, 560000.5, 560000.05, -12.3. */
export interface AmountChange {
  difference: string;
  ratio: number | null;
}

/** Fen of a decimal yuan string as PostgreSQL prints numeric(…, 2) sums ("560000.00", "0", "-3.5"). */
export function fenOf(yuan: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(yuan.trim());
  if (!match) throw new Error(`not an amount of yuan: ${yuan}`);
  const fen = BigInt(match[2]!) * 100n + BigInt((match[3] ?? '').padEnd(2, '0') || '0');
  return match[1] ? -fen : fen;
}

/** Yuan as a decimal string without trailing zeros of the fen: 56000000n → "560000", 5n → "0.05". */
export function yuanOf(fen: bigint): string {
  const sign = fen < 0n ? '-' : '';
  const abs = fen < 0n ? -fen : fen;
  const whole = abs / 100n;
  const cents = abs % 100n;
  if (cents === 0n) return `${sign}${whole}`;
  return `${sign}${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

/** The change of a direct economic loss (exact: summed in fen, the ratio as for counts). */
export function amountChange(current: string, base: string): AmountChange {
  const now = fenOf(current);
  const before = fenOf(base);
  return { difference: yuanOf(now - before), ratio: before === 0n ? null : round4(Number(now - before) / Number(before)) };
}

/** A share of a whole, to four decimal places; null when the whole is 0 (nothing was due, so no rate). */
export function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : round4(part / whole);
}

export const CIRCULATION_REASONS = ['NOT_STARTED', 'IN_PROGRESS', 'NOT_PUBLISHED'] as const;
/**
 * Why an evaluation past its deadline (closure + 12 months, 001 §3) is circulated (004 item 3: 超期没有开展和公开的
 * 要进行通报): its team was never formed (not started), its report is not yet approved (in progress), or the approved
 * report is not published (001 §10).
 */
export type CirculationReason = (typeof CIRCULATION_REASONS)[number];

/** Whole days (of 24 hours) from a deadline to `asOf`: 0 within the first day past it. */
export function daysOverdue(dueAt: Date, asOf: Date): number {
  return Math.max(0, Math.floor((asOf.getTime() - dueAt.getTime()) / 86_400_000));
}
