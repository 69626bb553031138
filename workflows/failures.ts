import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { DomainError } from '../domain/errors.js';
import { textProblem } from '../domain/text.js';
import { allow, type CaseScope, type Operation } from '../domain/access.js';
import type { Actor } from '../domain/evaluation.js';

/**
 * Turns a refusal into an ApplicationFailure whose type is the domain code. Inside an update handler any
 * other exception would fail the workflow task and wedge the workflow, so every error of the pure domain
 * code is converted here.
 */
export function asFailure(error: unknown): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;
  if (error instanceof DomainError) {
    return ApplicationFailure.create({
      type: error.code,
      message: error.message,
      nonRetryable: true,
      details: error.field ? [{ field: error.field }] : [],
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return ApplicationFailure.create({ type: 'BAD_USER_INPUT', message: `malformed request: ${message}`, nonRetryable: true });
}

/** Runs pure domain code, rethrowing its refusals as ApplicationFailures. */
export function refuseAsFailure<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw asFailure(error);
  }
}

export function checkActor(actor: Actor | undefined): void {
  if (!actor || typeof actor.id !== 'string' || !actor.id.trim() || typeof actor.name !== 'string' || !actor.name.trim()) {
    throw ApplicationFailure.create({ type: 'BAD_USER_INPUT', message: 'actor: every action names who acts (id and name)', nonRetryable: true });
  }
  const problem = textProblem(actor.id, 200) ?? textProblem(actor.name, 200) ?? (actor.role === undefined ? null : textProblem(String(actor.role), 64));
  if (problem) throw ApplicationFailure.create({ type: 'BAD_USER_INPUT', message: `actor: ${problem}`, nonRetryable: true });
}

/**
 * A projection that failed for good (the activity gave up without retrying: the read model cannot store the
 * change). The update answers with this typed failure; the caller undoes the change first.
 */
export function projectionRefused(error: unknown): ApplicationFailure {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.type && ['BAD_USER_INPUT', 'INVALID_TRANSITION', 'NOT_FOUND', 'FORBIDDEN'].includes(cause.type)) {
    return ApplicationFailure.create({ type: cause.type, message: cause.message, nonRetryable: true, details: cause.details ?? [] });
  }
  return ApplicationFailure.create({ type: 'BAD_USER_INPUT', message: 'the change could not be stored, and was not made', nonRetryable: true });
}

/** The actor's grants must allow the operation on this case (the API checked too; this holds for any caller). */
export function checkPermission(actor: Actor, operation: Operation, scope: CaseScope): void {
  if (!allow({ id: actor.id, name: actor.name, grants: actor.grants ?? [] }, operation, scope)) {
    throw ApplicationFailure.create({ type: 'FORBIDDEN', message: `${actor.name} may not ${operation} on this case`, nonRetryable: true });
  }
}

export const SYSTEM_ACTOR: Actor = { id: 'system', name: 'Bihuan', role: 'SYSTEM' };
