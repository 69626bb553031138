import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEntry } from '../schema/entities/audit.js';
import type { ChangeRecord } from './types.js';

/** SHA-256 of a state, keys sorted, so the same state always hashes the same. */
export function stateHash(state: unknown): string {
  const canonical = JSON.stringify(state, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
  return createHash('sha256').update(canonical).digest('hex');
}

export async function audit(
  em: EntityManager,
  subjectType: AuditEntry['subjectType'],
  subjectId: string,
  revision: number,
  change: ChangeRecord | undefined,
  state: unknown,
): Promise<void> {
  if (!change) return;
  const previous = await em.findOne(
    AuditEntry,
    { subjectType, subjectId, revision: { $lt: revision } },
    { orderBy: { revision: 'desc' }, fields: ['stateHash'] },
  );
  const payload = change.payload as { reason?: unknown } | undefined;
  await em.upsert(
    AuditEntry,
    {
      at: new Date(change.at),
      subjectType,
      subjectId,
      revision,
      actorId: change.actor.id,
      actorName: change.actor.name,
      actorRole: change.actor.role ?? null,
      action: change.action,
      stageBefore: change.stageBefore,
      stageAfter: change.stageAfter,
      payload: change.payload ?? null,
      reason: typeof payload?.reason === 'string' ? payload.reason : null,
      stateHash: stateHash(state),
      previousHash: previous?.stateHash ?? null,
    },
    { onConflictFields: ['subjectType', 'subjectId', 'revision'], onConflictAction: 'ignore' },
  );
}
