import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { DomainError, isDomainErrorCode, type DomainErrorCode } from '../domain/errors.js';
import { logger } from '../infra/logger.js';

const log = logger('api.errors');

/** Codes the API puts in `extensions.code`. Anything else is masked as INTERNAL_SERVER_ERROR. */
export type ApiErrorCode = DomainErrorCode | 'UNAUTHENTICATED' | 'INTERNAL_SERVER_ERROR';

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
}

function fieldOf(failure: ApplicationFailure): string | undefined {
  const detail = failure.details?.[0] as { field?: unknown } | undefined;
  return typeof detail?.field === 'string' ? detail.field : undefined;
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
    const fields = error.extensions.validationErrors.map((v) => ({ field: v.property, reasons: Object.values(v.constraints ?? {}) }));
    return {
      code: 'BAD_USER_INPUT',
      message: fields.map((f) => `${f.field}: ${f.reasons.join(', ')}`).join('; ') || 'invalid input',
      fields,
    };
  }
  return undefined;
}

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const mapped = mapError(original);
  if (mapped) {
    const { message, ...extensions } = mapped;
    return { ...formatted, message, extensions };
  }
  // Errors graphql-js raises itself (syntax, validation, variable coercion) carry their own code.
  if (original instanceof GraphQLError && !(original.originalError instanceof Error)) {
    return { ...formatted, extensions: { code: 'BAD_USER_INPUT', ...formatted.extensions } };
  }
  log.error({ err: original, path: formatted.path }, 'unexpected error');
  return { message: 'internal error', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
