// What the four campaign workflows share: the permission check of their update validators, the size check of
// the state an action would make, and the registration of official updates.
import type { UpdateDefinition } from '@temporalio/common';
import * as wf from '@temporalio/workflow';
import type { ChangeRecord } from '../../activities/index.js';
import { allowCampaign, type CampaignOperation, type CampaignScope } from '../../domain/access.js';
import type { Actor } from '../../domain/campaign.js';
import { CAPS } from '../../domain/caps.js';
import { badInput } from '../../domain/errors.js';
import { MAX_STATE_BYTES, utf8Length } from '../../domain/evaluation-limits.js';
import { checkAllText } from '../../domain/text.js';
import { checkActor, projectionRefused, refuseAsFailure } from '../failures.js';
import type { CampaignUpdateResult, Request } from './messages.js';

/** The actor's grants must allow the operation on this campaign (the API checked too; this holds for any caller). */
export function checkCampaignPermission(actor: Actor, operation: CampaignOperation, scope: CampaignScope): void {
  if (!allowCampaign({ id: actor.id, name: actor.name, grants: actor.grants ?? [] }, operation, scope)) {
    throw wf.ApplicationFailure.create({ type: 'FORBIDDEN', message: `${actor.name} may not ${operation} in this campaign`, nonRetryable: true });
  }
}

/** The state an action would make must still fit in one payload (Temporal refuses payloads over 2 MB). */
export function checkStateSize(next: unknown): void {
  const bytes = utf8Length(JSON.stringify(next));
  if (bytes > MAX_STATE_BYTES) throw badInput('input', `the campaign would hold ${Math.round(bytes / 1000)} kB, more than the ${MAX_STATE_BYTES / 1000} kB one workflow may hold`);
}

interface Versioned {
  revision: number;
  stage: string;
}

/** How one workflow takes officials' actions: its rules, its access scope, its read-model writer. */
export interface OfficialActions<S extends Versioned, A extends { type: string }> {
  state: () => S;
  setState: (state: S) => void;
  exclusive: <T>(section: () => Promise<T>) => Promise<T>;
  updates: readonly (readonly [UpdateDefinition<CampaignUpdateResult, [Request<A, A['type']>]>, A['type'] & CampaignOperation])[];
  check: (state: S, action: A, at: Date) => void;
  apply: (state: S, action: A, actor: Actor, at: Date) => S;
  scope: (state: S, action: A) => CampaignScope;
  save: (input: { state: S; change: ChangeRecord }) => Promise<void>;
  /** After the read model is written, before the update answers (start children, tell the campaign). */
  after?: (before: S) => Promise<void>;
}

/**
 * One update per official action, each with a validator that rechecks the actor, the permission and the action, so
 * a refused action never reaches the history. The handler applies it one at a time (`exclusive`), writes the read
 * model, and answers once it is written; a change the read model refuses for good is undone.
 */
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
          checkCampaignPermission(request.actor, type, o.scope(o.state(), action));
          refuseAsFailure(() => {
            checkAllText(request.input, 'input', CAPS.reportSection);
            const at = new Date();
            o.check(o.state(), action, at);
            checkStateSize(o.apply(o.state(), action, request.actor, at));
          });
        },
      },
    );
  }
}

/**
 * A change the workflow makes itself (a timer, a child's report, a calendar) that the read model refused: the
 * workflow task fails and is retried, so the change is neither lost nor answered as an official's refusal.
 */
export function retryLater(what: string, error: unknown): Error {
  return new Error(`${what} could not be stored: ${error instanceof Error ? error.message : String(error)}`);
}
