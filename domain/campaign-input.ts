// Checks of what officials send to the campaign workflows: each refusal names the field at fault.
import { badInput } from './errors.js';
import { checkText } from './text.js';

/** Caps on what one campaign may hold, beyond those of domain/caps.ts (each keeps a workflow's state bounded). */
export const CAMPAIGN_CAPS = {
  /** Members of the evaluation's leading group (002 §8). */
  leadingGroup: 60,
  /** Review methods one sector records (002 §10(一)). */
  reviewMethods: 200,
  /** Extension requests over a whole campaign. */
  extensions: 40,
  /** Look-back reviews and inspections over a whole campaign's follow-up (002 §12). */
  lookBacks: 200,
  inspections: 400,
  /** Times an assessment or a review may go back for rework. */
  returns: 20,
  /** An extension or a look-back reaches this many days ahead at most. */
  daysAhead: 3 * 366,
} as const;

/** Non-empty text that can be stored, at most `max` characters. */
export function text(field: string, value: unknown, max: number): void {
  if (typeof value !== 'string' || !value.trim()) throw badInput(field, 'must not be empty');
  checkText(field, value, max);
}

export function list(field: string, value: unknown, max: number, what: string): asserts value is unknown[] {
  if (!Array.isArray(value)) throw badInput(field, 'must be a list');
  if (value.length > max) throw badInput(field, `at most ${max} ${what}`);
}

export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): asserts value is T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) throw badInput(field, `must be one of ${allowed.join(', ')}`);
}

/** A real China date, YYYY-MM-DD (2027-02-30 is refused, not rolled over). */
export function isoDate(field: string, value: unknown): asserts value is string {
  const parsed = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
    throw badInput(field, 'must be a date YYYY-MM-DD');
  }
}

/** `given` names each of `expected` exactly once, and nothing else. */
export function coversEach<T>(field: string, expected: readonly string[], given: readonly T[], key: (item: T) => unknown, what: string): void {
  const seen = new Set<string>();
  given.forEach((item, i) => {
    const id = key(item);
    if (typeof id !== 'string' || !expected.includes(id)) throw badInput(`${field}[${i}]`, `${String(id)} is not a ${what} of this campaign`);
    if (seen.has(id)) throw badInput(`${field}[${i}]`, `${what} ${id} is given twice`);
    seen.add(id);
  });
  const missing = expected.filter((id) => !seen.has(id));
  if (missing.length) throw badInput(field, `missing ${what}${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
}
