// The text every state hash and audit HMAC covers (activities/audit.ts `stateHash` and its HMACs, and
// workflows/state-hash.ts in the workflow sandbox): equal values always give the same text, whatever order their
// keys were set in (jsonb reorders keys). Stored hashes and HMACs depend on this text: it must never change.

/** JSON with each plain object's keys in code-unit order (index keys, as JSON.stringify lists them, first). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
