import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { getOperationAST, parse, type GraphQLSchema } from 'graphql';
import { COMPILE_AFTER, compiledExecutor } from '../../api/execution.js';
import { buildApiSchema } from '../../api/schema.js';

// The executor behind Apollo (api/execution.ts), without a server: operations that repeat are compiled, and no more
// than a fixed number of them stay compiled, whatever a client sends.
let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildApiSchema();
});

/** One request for `query`, as Apollo hands it to the gateway's executor: the same parsed document each time. */
function requestFor(query: string) {
  const document = parse(query);
  const operation = getOperationAST(document)!;
  return { request: { query }, document, operation, context: {} } as unknown as GatewayGraphQLRequestContext;
}

const operations = Array.from({ length: 5 }, (_, i) => requestFor(`query Probe${i} { __typename seen${i}: __typename }`));

test('should keep at most its limit of operations compiled, and answer an operation it let go of alike', async () => {
  const execute = compiledExecutor(schema, 2);
  for (const [i, request] of operations.entries()) {
    for (let run = 0; run < COMPILE_AFTER + 1; run++) {
      expect(await execute(request)).toEqual({ data: { __typename: 'Query', [`seen${i}`]: 'Query' } });
    }
  }
  expect(execute.compiledCount()).toBe(2);

  // The first operation was let go of: it still answers, and is compiled again in place of the least recently used.
  expect(await execute(operations[0]!)).toEqual({ data: { __typename: 'Query', seen0: 'Query' } });
  expect(execute.compiledCount()).toBe(2);
});

test('should compile an operation only once it repeats', async () => {
  const execute = compiledExecutor(schema, 10);
  for (const request of operations) await execute(request);
  expect(execute.compiledCount()).toBe(COMPILE_AFTER > 1 ? 0 : operations.length);
  for (const request of operations) for (let run = 1; run < COMPILE_AFTER; run++) await execute(request);
  expect(execute.compiledCount()).toBe(operations.length);
});
