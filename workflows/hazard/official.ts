// What the hazard and whistleblower workflows share: updates whose validators recheck the actor, the permission
// and the action (so a refused action never reaches the history), applied one at a time, written to the read
// model before they answer.
import type { UpdateDefinition } from '@temporalio/common';
import * as wf from '@temporalio/workflow';
import type { ChangeRecord } from '../../activities/index.js';
import type { Actor } from '../../domain/hazard.js';
import { CAPS } from '../../domain/caps.js';
import { badInput } from '../../domain/errors.js';
import { MAX_STATE_BYTES, utf8Length } from '../../domain/evaluation-limits.js';
import { checkAllText } from '../../domain/text.js';
import { checkActor, projectionRefused, refuseAsFailure } from '../failures.js';
import type { HazardRequest, HazardUpdateResult } from './messages.js';

interface Versioned {
  revision: number;
  stage: string;
}

export interface OfficialActions<S extends Versioned, A extends { type: string }> {
  /** What the refusal calls the subject ("hazard", "report"). */
  subject: string;
  state: () => S;
  setState: (state: S) => void;
  exclusive: <T>(section: () => Promise<T>) => Promise<T>;
  updates: readonly (readonly [UpdateDefinition<HazardUpdateResult, [HazardRequest<A, A['type']>]>, A['type']])[];
  /** The actor's grants allow this action on this subject (domain/access.ts). */
  allowed: (actor: Actor, state: S, action: A) => boolean;
  check: (state: S, action: A, at: Date) => void;
  apply: (state: S, action: A, actor: Actor, at: Date) => S;
  save: (input: { state: S; change: ChangeRecord }) => Promise<void>;
  /** After the read model is written, before the update answers. */
  after?: (before: S) => void;
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
          o.after?.(before);
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
            checkAllText(request.input, 'input', CAPS.text);
            const at = new Date();
            o.check(o.state(), action, at);
            const bytes = utf8Length(JSON.stringify(o.apply(o.state(), action, request.actor, at)));
            if (bytes > MAX_STATE_BYTES) throw badInput('input', `the ${o.subject} would hold ${Math.round(bytes / 1000)} kB, more than one workflow may hold`);
          });
        },
      },
    );
  }
}

/** The principal an actor stands for, for the access rules. */
export function principalOf(actor: Actor): { id: string; name: string; grants: NonNullable<Actor['grants']> } {
  return { id: actor.id, name: actor.name, grants: actor.grants ?? [] };
}

/** A change the workflow makes itself that the read model refused: the workflow task fails and is retried. */
export function retryLater(what: string, error: unknown): Error {
  return new Error(`${what} could not be stored: ${error instanceof Error ? error.message : String(error)}`);
}
