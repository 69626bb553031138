import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** JSON with object keys in code-unit order: the text `stateHash` in activities/audit.ts hashes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * SHA-256 of a state, equal to `stateHash(state)` of activities/audit.ts (a test holds them together). The
 * workflow computes it, so the projection's input carries the change and this hash instead of the whole state.
 */
export function stateHashOf(state: unknown): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(state))));
}
