import type { ApolloServerPlugin } from '@apollo/server';
import { DriverException, ConnectionException } from '@mikro-orm/core';
import { isGrpcServiceError, ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { DomainError, isDomainErrorCode, type DomainErrorCode } from '../domain/errors.js';
import { logger } from '../infra/logger.js';

const log = logger('api.errors');

/** Codes the API puts in `extensions.code`. Anything else is masked as INTERNAL_SERVER_ERROR. */
export type ApiErrorCode =
  | DomainErrorCode
  | 'UNAUTHENTICATED'
  | 'QUERY_TOO_COMPLEX'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'SERVICE_UNAVAILABLE'
  /** A case asked for as of a past instant whose audit trail does not reproduce a state it recorded (api/as-of). */
  | 'HISTORY_MISMATCH'
  | 'INTERNAL_SERVER_ERROR';

/** Codes the API raises itself, which pass through `formatError` as they are (with their extensions). */
const API_CODES: ReadonlySet<string> = new Set<ApiErrorCode>([
  'BAD_USER_INPUT',
  'INVALID_TRANSITION',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'QUERY_TOO_COMPLEX',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'SERVICE_UNAVAILABLE',
  'HISTORY_MISMATCH',
]);

/** An error the API raises itself (not a rule of the domain): missing actor, unknown id. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

interface Mapped {
  code: ApiErrorCode;
  message: string;
  field?: string;
  fields?: { field: string; reasons: string[] }[];
  /** The same request may succeed later, unchanged (SERVICE_UNAVAILABLE). */
  retryable?: boolean;
}

interface ValidationNode {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationNode[];
}

/** class-validator nests errors of input objects; a client wants the path to each field, e.g. `members[2].name`. */
function flattenValidation(nodes: ValidationNode[], prefix = ''): { field: string; reasons: string[] }[] {
  return nodes.flatMap((node) => {
    const field = /^\d+$/.test(node.property) ? `${prefix}[${node.property}]` : prefix ? `${prefix}.${node.property}` : node.property;
    const own = node.constraints && Object.keys(node.constraints).length ? [{ field, reasons: Object.values(node.constraints) }] : [];
    return [...own, ...flattenValidation(node.children ?? [], field)];
  });
}

function fieldOf(failure: ApplicationFailure): string | undefined {
  const detail = failure.details?.[0] as { field?: unknown } | undefined;
  return typeof detail?.field === 'string' ? detail.field : undefined;
}

/** The error and what caused it, a few levels down (`cause`, AggregateError's `errors`). */
function* chain(error: unknown, depth = 0): Generator<unknown> {
  if (!error || typeof error !== 'object' || depth > 5) return;
  yield error;
  const { cause, errors } = error as { cause?: unknown; errors?: unknown };
  yield* chain(cause, depth + 1);
  if (Array.isArray(errors)) for (const e of errors) yield* chain(e, depth + 1);
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
// 57P01-57P03: the server is shutting down or starting; 53300: too many connections.
const PG_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300']);
// node-postgres gives these no code: its message is all there is to tell a lost connection by.
const PG_CONNECTION_LOST = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/;
// gRPC: UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED (the server's own rate limit).
const GRPC_RETRYABLE = new Set([14, 4, 8]);

function isPgUnavailable(e: object): boolean {
  if (e instanceof ConnectionException) return true;
  const { code, routine, message } = e as { code?: unknown; routine?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || PG_UNAVAILABLE.has(code) || /^08...$/.test(code)) return true;
    // "database … is not currently accepting connections" (ALLOW_CONNECTIONS false), raised while connecting.
    if (code === '55000' && routine === 'CheckMyDatabase') return true;
  }
  return typeof message === 'string' && PG_CONNECTION_LOST.test(message);
}

function isTemporalUnavailable(e: object): boolean {
  if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  if (isGrpcServiceError(e)) return GRPC_RETRYABLE.has(e.code);
  return false;
}

/** Which service behind the API is unreachable, if that is what `error` says. */
export function unavailableService(error: unknown): 'PostgreSQL' | 'Temporal' | undefined {
  let viaTemporal = false;
  for (const e of chain(error)) {
    if (isTemporalUnavailable(e as object)) return 'Temporal';
    if (e instanceof ServiceError || isGrpcServiceError(e)) viaTemporal = true;
    else if (isPgUnavailable(e as object)) return viaTemporal ? 'Temporal' : 'PostgreSQL';
  }
  return undefined;
}

/** A PostgreSQL data exception (SQLSTATE class 22: a malformed uuid, a byte it cannot store): the input's fault. */
function isDataException(error: unknown): boolean {
  for (const e of chain(error)) {
    const code = (e as { code?: unknown }).code;
    if ((e instanceof DriverException || 'severity' in (e as object)) && typeof code === 'string' && /^22...$/.test(code)) return true;
  }
  return false;
}

/** The one place that decides what a client sees of an error. Exhaustive by construction: unknown → masked. */
export function mapError(error: unknown): Mapped | undefined {
  if (error instanceof ApiError) return { code: error.code, message: error.message, field: error.field };
  if (error instanceof DomainError) return { code: error.code, message: error.message, field: error.field };
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && isDomainErrorCode(error.cause.type)) {
    return { code: error.cause.type, message: error.cause.message, field: fieldOf(error.cause) };
  }
  if (error instanceof WorkflowNotFoundError) return { code: 'NOT_FOUND', message: 'no running workflow for this record' };
  if (error instanceof ArgumentValidationError) {
    const fields = flattenValidation(error.extensions.validationErrors);
    return {
      code: 'BAD_USER_INPUT',
      message: fields.map((f) => `${f.field}: ${f.reasons.join(', ')}`).join('; ') || 'invalid input',
      field: fields[0]?.field,
      fields,
    };
  }
  const service = unavailableService(error);
  if (service) {
    log.warn({ err: error, service }, 'service unavailable');
    return { code: 'SERVICE_UNAVAILABLE', message: `${service} is unreachable; retry later`, retryable: true };
  }
  // A safety net: inputs are checked before they reach SQL, so this means a check is missing (hence the log).
  if (isDataException(error)) {
    log.warn({ err: error }, 'PostgreSQL refused a value');
    return { code: 'BAD_USER_INPUT', message: 'a value has the wrong format (an id, a date or a text)' };
  }
  return undefined;
}

/** Never a stack trace or a server path in a response, whatever NODE_ENV says. */
function withoutStack(extensions: GraphQLFormattedError['extensions']): Record<string, unknown> {
  const { stacktrace: _stack, exception: _exception, http: _http, ...rest } = (extensions ?? {}) as Record<string, unknown>;
  return rest;
}

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const mapped = mapError(original);
  if (mapped) {
    const { message, ...extensions } = mapped;
    return { ...formatted, message, extensions };
  }
  if (original instanceof GraphQLError) {
    // Refusals the API raises as GraphQLErrors (limits, input checks) keep their code, even inside validation.
    const code = original.extensions.code;
    if (typeof code === 'string' && API_CODES.has(code)) {
      return { ...formatted, message: original.message, extensions: withoutStack(original.extensions) };
    }
  }
  // Errors graphql-js raises itself (syntax, validation, variable coercion) carry their own code.
  // Apollo gives such an error without a code INTERNAL_SERVER_ERROR before this runs (a subscription operation, a
  // persisted-query hash that does not match): it is about the request, so it is the client's to fix.
  if (original instanceof GraphQLError && !(original.originalError instanceof Error)) {
    const own = formatted.extensions?.code;
    const code = typeof own === 'string' && own !== 'INTERNAL_SERVER_ERROR' ? own : 'BAD_USER_INPUT';
    return { ...formatted, extensions: { ...withoutStack(formatted.extensions), code } };
  }
  log.error({ err: original, path: formatted.path }, 'unexpected error');
  return { message: 'internal error', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/** HTTP statuses of codes that arise inside execution, where Apollo would answer 200. */
const STATUS_OF: Partial<Record<ApiErrorCode, number>> = { SERVICE_UNAVAILABLE: 503, RATE_LIMITED: 429, PAYLOAD_TOO_LARGE: 413 };

/** Sets the HTTP status from the errors a response carries (a resolver that met an outage → 503). */
export function errorStatusPlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          for (const e of response.body.singleResult.errors ?? []) {
            const status = STATUS_OF[e.extensions?.code as ApiErrorCode];
            if (status) {
              response.http.status = status;
              return;
            }
          }
        },
      };
    },
  };
}

/** The GraphQL error shape as JSON text, for answers the HTTP layer gives before GraphQL runs. */
export function errorBody(code: ApiErrorCode, message: string, extensions: Record<string, unknown> = {}): string {
  return JSON.stringify({ errors: [{ message, extensions: { code, ...extensions } }] });
}

/** Answers with `errorBody`. */
export function sendError(res: ServerResponse, status: number, code: ApiErrorCode, message: string, extensions: Record<string, unknown> = {}): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(errorBody(code, message, extensions));
}

/** POST bodies must be JSON (a body, typed application/json with any parameters); anything else is refused before it is read. */
export function refuseNonJsonBody(req: IncomingMessage, res: ServerResponse): boolean {
  const hasBody = req.headers['transfer-encoding'] !== undefined || !Number.isNaN(Number(req.headers['content-length']));
  const type = req.headers['content-type']?.split(';', 1)[0]!.trim().toLowerCase();
  if (hasBody && type === 'application/json') return false;
  sendError(res, 415, 'BAD_USER_INPUT', 'the request body must be JSON (Content-Type: application/json)', { field: 'content-type' });
  return true;
}

/** A route nobody serves, as JSON rather than Express's HTML page. */
export const notFoundHandler: RequestHandler = (req, res) => {
  sendError(res, 404, 'NOT_FOUND', `nothing is served at ${req.method} ${req.path}`);
};

/**
 * What the body parser or Express throws, as a typed JSON error: malformed JSON (400), an over-size body (413), an
 * unsupported encoding (415). Anything else is logged and masked.
 */
export function sendHttpError(res: ServerResponse, error: unknown, maxBodyBytes: number): void {
  const { type, status } = (error ?? {}) as { type?: unknown; status?: unknown };
  if (type === 'entity.too.large') {
    return sendError(res, 413, 'PAYLOAD_TOO_LARGE', `the request body is over ${maxBodyBytes} bytes`, { limit: maxBodyBytes });
  }
  if (type === 'entity.parse.failed') return sendError(res, 400, 'BAD_USER_INPUT', 'the request body is not valid JSON');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return sendError(res, 415, 'BAD_USER_INPUT', 'unsupported content encoding or charset');
  if (typeof status === 'number' && status >= 400 && status < 500) return sendError(res, status, 'BAD_USER_INPUT', 'the request could not be read');
  log.error({ err: error }, 'unexpected HTTP error');
  sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'internal error');
}

/** `sendHttpError` as Express's last handler. */
export function httpErrorHandler(maxBodyBytes: number): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    sendHttpError(res, error, maxBodyBytes);
  };
}
