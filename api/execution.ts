import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  execute,
  getNamedType,
  getVariableValues,
  GraphQLError,
  isInputObjectType,
  isNonNullType,
  typeFromAST,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type Source,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';
import { setFlagsFromString } from 'node:v8';

// How operations execute. graphql-js walks the document anew for every object of every response: for a page of 50
// evaluations it built a resolve-info object, a dictionary of arguments and a dictionary-mode result object per
// field, some 400 bytes each, and Apollo's JSON.stringify of those null-prototype results took twice as long as of
// plain objects. graphql-jit compiles an operation once into a function that does only the work of that operation
// and returns plain objects: the evaluations list's execution and serialisation went from ~330 µs to ~190 µs a
// request (bench/evaluations-list.bench.ts). It runs the same resolvers, so the field table (api/access.ts) and
// every error path are unchanged.
//
// Apollo Server takes an executor only through its gateway interface, which it documents for this use: the schema is
// handed over as is, parsing, validation, plugins and error formatting stay Apollo's.
//
// Compiling costs more than one execution, so a document runs under graphql-js until it has been seen
// COMPILE_AFTER times: a client (or an attacker) sending documents that never repeat pays no compilation. Apollo's
// document store returns the same DocumentNode for the same text, so its operation nodes are the keys.
//
// A compiled operation costs far more memory than its document: some 65 KB of heap and 120 KB of RSS for a list
// query whose parsed document Apollo's store counts as 4 KB. Held as long as the store holds the document (30 MiB of
// documents), a client sending 7,000 different documents twice each would have grown the API by some 900 MB. So at
// most MAX_COMPILED operations stay compiled, the least recently used leaving first (a front end has a few hundred
// operations at most); one that left is compiled again when it next runs. graphql-jit builds each operation with
// `new Function`, whose source V8 keeps in its compilation cache until a last-resort collection, whatever holds the
// function: some 36 KB of heap for every document ever compiled, however few stay compiled. So the compilation
// runs with that cache off (`withoutCompilationCache`); it caches nothing the process would use again, since each
// document's source is its own. bench/compiled-operations.bench.ts measures what thousands of documents leave.

/** Executions of a document under graphql-js before it is compiled. */
export const COMPILE_AFTER = 2;

/** Operations kept compiled at once: about 30 MB of RSS at most. */
export const MAX_COMPILED = 256;

/** An executor, and how many operations it holds compiled (or, where graphql-jit would not do, left to graphql-js). */
export type CompiledExecutor = GatewayExecutor & { readonly compiledCount: () => number };

export function compiledExecutor(schema: GraphQLSchema, maxCompiled = MAX_COMPILED): CompiledExecutor {
  // Times each operation (of Apollo's parsed documents) ran under graphql-js, and what was compiled (false: graphql-js
  // keeps it: graphql-jit cannot compile it, or would read its variables differently).
  const seen = new WeakMap<OperationDefinitionNode, number>();
  const compiled = new LRUCache<OperationDefinitionNode, CompiledQuery | false>({ max: maxCompiled });
  const compiledFor = (document: DocumentNode, operation: OperationDefinitionNode): CompiledQuery | null => {
    const known = compiled.get(operation);
    if (known !== undefined) return known || null;
    const runs = (seen.get(operation) ?? 0) + 1;
    if (runs < COMPILE_AFTER) {
      seen.set(operation, runs);
      return null;
    }
    const query = jitCoercesLikeGraphqlJs(schema, operation) ? withoutCompilationCache(() => compileQuery(schema, document, operation.name?.value)) : null;
    // What graphql-jit cannot compile (it answers with errors) runs under graphql-js, which reports its own.
    const usable = query && isCompiledQuery(query) ? query : null;
    compiled.set(operation, usable ?? false);
    return usable;
  };
  const run = async (request: Parameters<GatewayExecutor>[0]): Promise<ExecutionResult> => {
    const variables = request.request.variables ?? {};
    // The operation the client named; Apollo found none (an unknown name, several unnamed): graphql-js says so.
    const compiled = request.operation ? compiledFor(request.document, request.operation) : null;
    if (!compiled || !request.operation) {
      return execute({ schema, document: request.document, contextValue: request.context, variableValues: variables, operationName: request.request.operationName });
    }
    // Variables are refused as graphql-js words it (Apollo answers those BAD_USER_INPUT by their wording and node).
    const coerced = getVariableValues(schema, request.operation.variableDefinitions ?? [], variables, { maxErrors: 50 });
    if (coerced.errors) return { errors: coerced.errors };
    const result = await compiled.query(undefined, request.context, variables);
    return result.errors ? { ...result, errors: result.errors.map((e) => asGraphQLError(e, request.document.loc?.source)) } : result;
  };
  return Object.assign(run, { compiledCount: () => compiled.size });
}

/**
 * Calls `compile` with V8's compilation cache off, then turns it back on unless the process was started without it.
 * The flag is the process's: a workflow thread compiling in those milliseconds only misses the cache, nothing else.
 */
function withoutCompilationCache<T>(compile: () => T): T {
  setFlagsFromString('--no-compilation-cache');
  try {
    return compile();
  } finally {
    if (!process.execArgv.includes('--no-compilation-cache')) setFlagsFromString('--compilation-cache');
  }
}

/**
 * graphql-jit reports an execution error as a GraphQLError of its own making: message, path, locations and the
 * resolver's error as `originalError`, but no `extensions`, which Apollo and api/errors.ts read. The same error as
 * graphql-js would give: located in the document, with the resolver's error (and its extensions) inside, or, where
 * no resolver threw (a null in a non-null field), an Error of the message, which reads as an internal error as it
 * does there.
 */
function asGraphQLError(error: ExecutionResult['errors'] extends readonly (infer E)[] | undefined ? E : never, source: Source | undefined): GraphQLError {
  const jit = error as { message: string; path?: readonly (string | number)[]; locations?: readonly { line: number; column: number }[]; originalError?: unknown };
  const lineStarts = source ? [0, ...[...source.body.matchAll(/\r\n|[\n\r]/g)].map((m) => m.index! + m[0].length)] : [];
  const positions = source && jit.locations?.map((l) => (lineStarts[l.line - 1] ?? 0) + l.column - 1);
  const original = jit.originalError instanceof Error ? jit.originalError : new Error(jit.message);
  return new GraphQLError(jit.message, { ...(positions?.length ? { source, positions } : {}), path: jit.path, originalError: original });
}

/**
 * Whether graphql-jit reads the operation's variables as graphql-js does. It refuses a non-null input field left out
 * where the field has a default (graphql-js fills the default in), so an operation with such an input type runs
 * under graphql-js.
 */
function jitCoercesLikeGraphqlJs(schema: GraphQLSchema, operation: OperationDefinitionNode): boolean {
  const seen = new Set<string>();
  const plain = (type: GraphQLInputType): boolean => {
    const named = getNamedType(type);
    if (!isInputObjectType(named) || seen.has(named.name)) return true;
    seen.add(named.name);
    return Object.values(named.getFields()).every((f) => !(isNonNullType(f.type) && f.defaultValue !== undefined) && plain(f.type));
  };
  return (operation.variableDefinitions ?? []).every((d) => {
    const type = typeFromAST(schema, d.type as Parameters<typeof typeFromAST>[1]) as GraphQLInputType | undefined;
    return !type || plain(type);
  });
}

/** Apollo's gateway interface over a fixed schema, executing with `compiledExecutor`. */
export function compiledGateway(schema: GraphQLSchema): GatewayInterface {
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    load: async () => ({ executor: compiledExecutor(schema) }),
    stop: async () => undefined,
  };
}
