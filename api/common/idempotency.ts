import { Arg } from 'type-graphql';

/**
 * The optional idempotency key every mutation takes. A front end sends a fresh key (a UUID) with each action and
 * the same key when it retries after a cut connection or a SERVICE_UNAVAILABLE: the action is applied once and
 * the retry answers as the first attempt did.
 */
export const IdempotencyKey = () =>
  Arg('idempotencyKey', () => String, {
    nullable: true,
    description:
      'Send a fresh key (e.g. a UUID) with each action and the same key when retrying it: the action is applied once, and a retry gets the first answer. 1-100 of A-Z a-z 0-9 - _ . :',
  });
