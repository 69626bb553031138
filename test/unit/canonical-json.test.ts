import { createHash } from 'node:crypto';
import { stateHash } from '../../activities/audit.js';
import { canonicalJson } from '../../domain/canonical-json.js';
import { initialEvaluationState } from '../../domain/evaluation.js';
import { stateHashOf } from '../../workflows/state-hash.js';
import { shanxiCase } from './fixtures.js';

// Every stored state hash and audit HMAC covers this text: a change to it would make every chain written before
// stop verifying.
test('should write the canonical text every stored hash covers: keys sorted, index keys first, dates as ISO, nothing undefined', () => {
  const value = { b: 1, '10': 2, a: { z: undefined, y: new Date(Date.UTC(2026, 0, 1)), x: [undefined, () => 1, NaN, '引"号'] }, '9': 3, B: null };
  expect(canonicalJson(value)).toBe('{"9":3,"10":2,"B":null,"a":{"x":[null,null,null,"引\\"号"],"y":"2026-01-01T00:00:00.000Z"},"b":1}');
});

test('should hash a case state the same in the workflow (plain-JS SHA-256) and in Node, over the canonical text', () => {
  const state = initialEvaluationState(shanxiCase());
  const expected = createHash('sha256').update(canonicalJson(state)).digest('hex');
  expect(stateHash(state)).toBe(expected);
  expect(stateHashOf(state)).toBe(expected);
});
