// How every workflow after the evaluation takes officials' actions: one update per action whose validator rechecks
// the actor, the permission and the action (so a refused action never reaches the history), applied one at a time,
// written to the read model before it answers, and undone when the read model refuses it for good.
import type { UpdateDefinition } from '@temporalio/common';
import * as wf from '@temporalio/workflow';
import type { ChangeRecord } from '../activities/index.js';
import type { Principal } from '../domain/access.js';
import { CAPS } from '../domain/caps.js';
import { badInput } from '../domain/errors.js';
import type { Actor } from '../domain/evaluation.js';
import { MAX_STATE_BYTES, utf8Length } from '../domain/evaluation-limits.js';
import { checkAllText } from '../domain/text.js';
import { checkActor, projectionRefused, refuseAsFailure } from './failures.js';

interface Versioned {
  revision: number;
  stage: string;
}

/** What an official sends with an action: who acts, and the action's own fields. */
export interface OfficialRequest<A extends { type: string }, T extends A['type']> {
  actor: Actor;
  input: Omit<Extract<A, { type: T }>, 'type'>;
}

/** What every such update answers: the revision and stage its change produced, already in the read model. */
export interface OfficialResult {
  revision: number;
  stage: string;
}

export interface OfficialActions<S extends Versioned, A extends { type: string }> {
  /** What a refusal calls the subject ("campaign", "hazard", "report"). */
  subject: string;
  state: () => S;
  setState: (state: S) => void;
  exclusive: <T>(section: () => Promise<T>) => Promise<T>;
  updates: readonly (readonly [UpdateDefinition<OfficialResult, [OfficialRequest<A, A['type']>]>, A['type']])[];
  /** The actor's grants allow this action on this subject (domain/access.ts). */
  allowed: (actor: Actor, state: S, action: A) => boolean;
  check: (state: S, action: A, at: Date) => void;
  apply: (state: S, action: A, actor: Actor, at: Date) => S;
  save: (input: { state: S; change: ChangeRecord }) => Promise<void>;
  /** Longest text of any one field (domain/caps.ts). */
  textMax?: number;
  /** After the read model is written, before the update answers (start children, tell a parent). */
  after?: (before: S) => void | Promise<void>;
}

export function handleOfficialActions<S extends Versioned, A extends { type: string }>(o: OfficialActions<S, A>): void {
  for (const [definition, type] of o.updates) {
    wf.setHandler(
      definition,
      (request) =>
        o.exclusive(async () => {
          const action = { ...request.input, type } as unknown as A;
          const before = o.state();
          const at = new Date();
          const next = refuseAsFailure(() => {
            o.check(before, action, at);
            return o.apply(before, action, request.actor, at);
          });
          if (next === before) return { revision: before.revision, stage: before.stage };
          o.setState(next);
          try {
            await o.save({ state: next, change: { actor: request.actor, action: type, stageBefore: before.stage, stageAfter: next.stage, at: at.toISOString(), payload: request.input } });
          } catch (error) {
            o.setState(before);
            throw projectionRefused(error);
          }
          await o.after?.(before);
          return { revision: next.revision, stage: next.stage };
        }),
      {
        validator: (request) => {
          checkActor(request?.actor);
          const action = { ...request.input, type } as unknown as A;
          if (!o.allowed(request.actor, o.state(), action)) {
            throw wf.ApplicationFailure.create({ type: 'FORBIDDEN', message: `${request.actor.name} may not ${type} on this ${o.subject}`, nonRetryable: true });
          }
          refuseAsFailure(() => {
            checkAllText(request.input, 'input', o.textMax ?? CAPS.text);
            const at = new Date();
            o.check(o.state(), action, at);
            checkStateSize(o.subject, o.apply(o.state(), action, request.actor, at));
          });
        },
      },
    );
  }
}

/** The state an action would make must still fit in one payload (Temporal refuses payloads over 2 MB). */
export function checkStateSize(subject: string, next: unknown): void {
  const bytes = utf8Length(JSON.stringify(next));
  if (bytes > MAX_STATE_BYTES) throw badInput('input', `the ${subject} would hold ${Math.round(bytes / 1000)} kB, more than the ${MAX_STATE_BYTES / 1000} kB one workflow may hold`);
}

/** The principal an actor stands for, for the access rules. */
export function principalOf(actor: Actor): Principal {
  return { id: actor.id, name: actor.name, grants: actor.grants ?? [] };
}

/**
 * A change the workflow makes itself (a timer, a child's report, a calendar) that the read model refused: the
 * workflow task fails and is retried, so the change is neither lost nor answered as an official's refusal.
 */
export function retryLater(what: string, error: unknown): Error {
  return new Error(`${what} could not be stored: ${error instanceof Error ? error.message : String(error)}`);
}
