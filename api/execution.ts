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
// COMPILE_AFTER times: a client (or an attacker) sending documents that never repeat pays no compilation. What is
// compiled lives as long as Apollo keeps the parsed document (its document store returns the same DocumentNode for
// the same text).

/** Executions of a document under graphql-js before it is compiled. */
export const COMPILE_AFTER = 2;

export function compiledExecutor(schema: GraphQLSchema): GatewayExecutor {
  // By the operation Apollo resolved in its parsed document: times seen, then what was compiled (null: not compilable).
  const operations = new WeakMap<OperationDefinitionNode, number | CompiledQuery | null>();
  const compiledFor = (document: DocumentNode, operation: OperationDefinitionNode): CompiledQuery | null => {
    const known = operations.get(operation) ?? 0;
    if (typeof known !== 'number') return known;
    if (known + 1 < COMPILE_AFTER) {
      operations.set(operation, known + 1);
      return null;
    }
    const compiled = jitCoercesLikeGraphqlJs(schema, operation) ? compileQuery(schema, document, operation.name?.value) : null;
    // What graphql-jit cannot compile (it answers with errors) runs under graphql-js, which reports its own.
    const usable = compiled && isCompiledQuery(compiled) ? compiled : null;
    operations.set(operation, usable);
    return usable;
  };
  return async (request) => {
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
