import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, visit, type DocumentNode, type OperationDefinitionNode, type TypeNode } from 'graphql';
import { CAPS } from '../domain/caps.js';
import { badInput, DomainError } from '../domain/errors.js';
import { checkAllText, textProblem } from '../domain/text.js';

/** Documents already checked (Apollo hands the same DocumentNode to every request with the same text). */
const checkedLiterals = new WeakMap<DocumentNode, { field: string; problem: string } | null>();

/** The first string literal of a document that could never be stored, with the argument it is given to. */
function badLiteral(document: DocumentNode): { field: string; problem: string } | null {
  const known = checkedLiterals.get(document);
  if (known !== undefined) return known;
  const found = findBadLiteral(document);
  checkedLiterals.set(document, found);
  return found;
}

function findBadLiteral(document: DocumentNode): { field: string; problem: string } | null {
  let found: { field: string; problem: string } | null = null;
  let argument = 'input';
  visit(document, {
    Argument: { enter: (node) => void (argument = node.name.value) },
    StringValue: (node) => {
      const problem = found ? null : textProblem(node.value, CAPS.reportSection);
      if (problem) found = { field: argument, problem };
    },
    [Kind.OBJECT_FIELD]: { enter: (node) => void (argument = node.name.value) },
  });
  return found;
}

/** Scalars that check their own text: an import file's base64 (api/intake/import), far longer than any prose. */
const SELF_CHECKED_SCALARS = new Set(['Base64File']);

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

function withoutSelfChecked(variables: Record<string, unknown>, operation: OperationDefinitionNode | undefined): Record<string, unknown> {
  const own = new Set((operation?.variableDefinitions ?? []).filter((d) => SELF_CHECKED_SCALARS.has(namedType(d.type))).map((d) => d.variable.name.value));
  return own.size ? Object.fromEntries(Object.entries(variables).filter(([name]) => !own.has(name))) : variables;
}

/**
 * Every argument of every operation, literals and variables alike, before any resolver sees it: text that could
 * never be stored (NUL, lone surrogates, control characters, absurd lengths) is refused with BAD_USER_INPUT
 * naming the field. The workflows check the same rules again (domain/text.ts), so a call that bypasses the API
 * is held to them too.
 */
export function textCheckPlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          try {
            if (request.variables) checkAllText(withoutSelfChecked(request.variables, operation), 'input', CAPS.reportSection);
          } catch (error) {
            if (error instanceof DomainError) throw new GraphQLError(error.message, { extensions: { code: error.code, field: error.field, http: { status: 400 } } });
            throw error;
          }
          const bad = badLiteral(document);
          if (bad) throw new GraphQLError(`${bad.field}: ${bad.problem}`, { extensions: { code: 'BAD_USER_INPUT', field: bad.field, http: { status: 400 } } });
        },
      };
    },
  };
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * A client's idempotency key becomes the Temporal update id (per principal, so two users' keys never meet):
 * a retried request with the same key gets the first answer, and the change is applied once.
 */
export function updateIdFor(principalId: string, idempotencyKey: string | null | undefined): string | undefined {
  if (idempotencyKey === undefined || idempotencyKey === null) return undefined;
  if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw badInput('idempotencyKey', 'use 1 to 100 letters, digits, and - _ . : (a UUID is a good key)');
  }
  return `${principalId}/${idempotencyKey}`;
}
