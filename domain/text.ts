import { badInput, DomainError } from './errors.js';

/**
 * Text an official types must be storable as it is: PostgreSQL refuses NUL in text, the driver refuses lone UTF-16
 * surrogates, and control characters (other than tab and line breaks) are never meant. One check, used by the API's
 * argument validation and again by every workflow update validator, so a bad character is refused before the
 * workflow commits anything.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Longest text of any one field unless a field says otherwise (a report section, a summary). */
export const DEFAULT_TEXT_MAX = 20_000;

/** Why `value` cannot be stored, or null when it can. */
export function textProblem(value: string, max = DEFAULT_TEXT_MAX): string | null {
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode (it has a lone surrogate)';
  if (CONTROL.test(value)) return 'must not contain control characters';
  if (value.length > max) return `must be at most ${max} characters`;
  return null;
}

export function checkText(field: string, value: string, max = DEFAULT_TEXT_MAX): void {
  const problem = textProblem(value, max);
  if (problem) throw badInput(field, problem);
}

/**
 * Walks a request and checks every string in it (keys included), naming the first bad one by its path, e.g.
 * `members[2].name`. Field-specific length caps are checked by the domain rules; this one holds for any field.
 */
export function checkAllText(value: unknown, path = 'input', max = DEFAULT_TEXT_MAX, depth = 0): void {
  if (depth > 32) throw badInput(path, 'is nested too deeply');
  if (typeof value === 'string') return checkText(path, value, max);
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkAllText(item, `${path}[${i}]`, max, depth + 1));
    return;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const child = path === 'input' ? key : `${path}.${key}`;
      checkText(child, key, 200);
      checkAllText(item, child, max, depth + 1);
    }
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Record ids are UUIDs; anything else names no record (and must never reach PostgreSQL as a uuid). */
export function isRecordId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** A malformed id reads like a missing record: NOT_FOUND, with the same message as a hidden one. */
export function checkRecordId(field: string, value: unknown): asserts value is string {
  if (!isRecordId(value)) throw notFound(field);
}

/** The one message for a record that is missing or hidden from the caller: the two must read the same. */
export function notFound(field?: string): DomainError {
  return new DomainError('NOT_FOUND', 'no such record', field);
}
