import { ApplicationFailure } from '@temporalio/workflow';
import { DomainError } from '../domain/errors.js';
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
}

/** The actor's grants must allow the operation on this case (the API checked too; this holds for any caller). */
export function checkPermission(actor: Actor, operation: Operation, scope: CaseScope): void {
  if (!allow({ id: actor.id, name: actor.name, grants: actor.grants ?? [] }, operation, scope)) {
    throw ApplicationFailure.create({ type: 'FORBIDDEN', message: `${actor.name} may not ${operation} on this case`, nonRetryable: true });
  }
}

export const SYSTEM_ACTOR: Actor = { id: 'system', name: 'Bihuan', role: 'SYSTEM' };
