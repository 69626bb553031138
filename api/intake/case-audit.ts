import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../../activities/audit.js';
import type { ChangeRecord } from '../../activities/types.js';
import { AuditEntry } from '../../schema/entities/index.js';

/**
 * Appends one entry to a case's own trail (subjectType 'accident'): registration, corrections and closure share
 * it, each at the next revision. Call it inside the transaction that makes the change, after locking the case
 * (or the report row closure updates), so two writers cannot take the same revision.
 */
export async function recordCaseChange(em: EntityManager, accidentId: string, change: ChangeRecord, state: unknown): Promise<void> {
  const last = await em.findOne(AuditEntry, { subjectType: 'accident', subjectId: accidentId }, { orderBy: { revision: 'desc' }, fields: ['revision'] });
  await audit(em, 'accident', accidentId, (last?.revision ?? 0) + 1, change, state);
}
