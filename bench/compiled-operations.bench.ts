// What operations a client never repeats often leave in the API's memory once compiled (api/execution.ts): a
// client sends thousands of different documents twice each, so each is compiled, against a floor of the same number
// of different documents sent once each (never compiled). Both keep their parsed documents, as Apollo's document
// store does, and run through the executor Apollo calls. After the first MAX_COMPILED, each further document should
// leave what the floor's leave: its compiled operation goes when the least recently used leave.
// Run: npm run bench:compiled   (BENCH_DOCUMENTS, default 2000)
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { getOperationAST, parse } from 'graphql';
import { compiledExecutor, MAX_COMPILED } from '../api/execution.js';
import { buildApiSchema } from '../api/schema.js';
import { log } from './harness.js';

const DOCUMENTS = Number(process.env.BENCH_DOCUMENTS ?? 2000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:compiled)');

function heapAfterGc(): number {
  gc!();
  return process.memoryUsage().heapUsed;
}

/** Heap growth after the first half and after all of `DOCUMENTS` different documents, each sent `sends` times. */
async function growth(tag: string, sends: number): Promise<{ half: number; all: number; compiled: number }> {
  const execute = compiledExecutor(await buildApiSchema());
  const kept: unknown[] = [];
  const start = heapAfterGc();
  let half = 0;
  for (let i = 0; i < DOCUMENTS; i++) {
    const query = `query ${tag}${i} { evaluations(first: 5) { edges { cursor node { id stage dueAt x${i}: id accident { id occurredAt } } } pageInfo { hasNextPage endCursor } } }`;
    const document = parse(query);
    const request = { request: { query }, document, operation: getOperationAST(document), context: {} } as unknown as GatewayGraphQLRequestContext;
    kept.push(document);
    for (let s = 0; s < sends; s++) await execute(request);
    if (i === DOCUMENTS / 2 - 1) half = heapAfterGc() - start;
  }
  const all = heapAfterGc() - start;
  if (kept.length !== DOCUMENTS) throw new Error('documents lost');
  return { half, all, compiled: execute.compiledCount() };
}

const floor = await growth('Once', 1);
const subject = await growth('Twice', 2);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const perDocument = (g: { half: number; all: number }) => (g.all - g.half) / (DOCUMENTS / 2);
log(`compiled operations: ${DOCUMENTS} different documents, heap after a full collection, at most ${MAX_COMPILED} compiled`);
log(`  floor: each sent once (never compiled)   ${kb(floor.all)} in all, ${kb(perDocument(floor))} a document over the second half`);
log(`  each sent twice (compiled)               ${kb(subject.all)} in all, ${kb(perDocument(subject))} a document over the second half, ${subject.compiled} compiled at the end`);
log(`  ratio, a document over the second half: ${(perDocument(subject) / perDocument(floor)).toFixed(2)}x the floor (goal: about 1x: what leaves the cache is freed)`);
