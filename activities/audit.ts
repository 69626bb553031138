import { createHash, createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { canonicalJson } from '../domain/canonical-json.js';
import { AuditEntry } from '../schema/entities/audit.js';
import type { ChangeRecord } from './types.js';

/**
 * The secret that keys the audit chain. Only the API and the worker hold it (BIHUAN_AUDIT_KEY or
 * BIHUAN_DATA_DIR/audit-key), never the database: whoever can write `audit_entry` without it cannot make an
 * entry that verifies. The bytes sit in a private field so the key cannot end up in a log or a JSON dump.
 */
export class AuditKey {
  // A KeyObject: an HMAC keyed by one costs a fifth of one keyed by a Buffer (which Node checks and wraps each time).
  readonly #secret: KeyObject;

  constructor(secret: string) {
    if (secret.length < 32) throw new Error('the audit key must have at least 32 characters');
    this.#secret = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  sign(text: string): string {
    return createHmac('sha256', this.#secret).update(text, 'utf8').digest('hex');
  }

  toJSON(): string {
    return '[audit key]';
  }
}

const KEY_EXTENSION = '@bihuan/audit-key';

/** Binds the key to an ORM, so every writer that holds one of its entity managers chains with the same key. */
export function bindAuditKey(orm: MikroORM, key: AuditKey): void {
  orm.config.registerExtension(KEY_EXTENSION, () => key);
}

export function auditKeyOf(em: EntityManager): AuditKey {
  const key = em.config.getExtension<AuditKey>(KEY_EXTENSION);
  if (!key) throw new Error('this ORM has no audit key: open it with openOrm (infra/orm.ts)');
  return key;
}

/** SHA-256 of a state, keys sorted, so the same state always hashes the same. */
export function stateHash(state: unknown): string {
  return createHash('sha256').update(canonicalJson(state)).digest('hex');
}

/** What an entry's HMAC covers: its content as stored, and the HMAC of the subject's entry before it. */
type SignedFields = Pick<
  AuditEntry,
  'subjectType' | 'subjectId' | 'revision' | 'at' | 'actorId' | 'actorName' | 'actorRole' | 'action' | 'stageBefore' | 'stageAfter' | 'payload' | 'reason' | 'stateHash' | 'previousHash'
>;

function entryHmac(key: AuditKey, previousHmac: string | null, e: SignedFields): string {
  return key.sign(
    canonicalJson([
      'bihuan-audit-v1',
      previousHmac ?? '',
      e.subjectType,
      e.subjectId,
      e.revision,
      e.at.toISOString(),
      e.actorId,
      e.actorName,
      e.actorRole ?? null,
      e.action,
      e.stageBefore ?? null,
      e.stageAfter ?? null,
      e.payload ?? null,
      e.reason ?? null,
      e.stateHash ?? null,
      e.previousHash ?? null,
    ]),
  );
}

/** An entry ready to store: its content and its HMAC (what `audit` appends, for callers that write it themselves). */
export type SignedEntry = SignedFields & { hmac: string };

/** The last entry of a subject's chain, as the next entry links to it. */
export type ChainLink = Pick<AuditEntry, 'stateHash' | 'hmac'>;

/**
 * The entry of one state change, signed onto `previous` (the subject's entry before it, null for the first):
 * `previousHash` is the previous entry's `stateHash`, `hmac` is keyed over the previous entry's `hmac` and this
 * entry's content.
 */
export function signEntry(
  key: AuditKey,
  subjectType: AuditEntry['subjectType'],
  subjectId: string,
  revision: number,
  change: ChangeRecord,
  stateHash: string,
  previous: ChainLink | null,
): SignedEntry {
  const payload = change.payload as { reason?: unknown } | undefined;
  const entry: SignedFields = {
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
    // Stored as jsonb: what the HMAC covers is the value as it reads back, without undefined members.
    payload: change.payload === undefined ? null : (JSON.parse(JSON.stringify(change.payload)) as unknown),
    reason: typeof payload?.reason === 'string' ? payload.reason : null,
    stateHash,
    previousHash: previous?.stateHash ?? null,
  };
  return { ...entry, hmac: entryHmac(key, previous?.hmac ?? null, entry) };
}

/** The columns of `audit_entry` an insert of signed entries names, in the order `entryValues` gives them. */
export const ENTRY_COLUMNS =
  '"at", "subject_type", "subject_id", "revision", "actor_id", "actor_name", "actor_role", "action", "stage_before", "stage_after", "payload", "reason", "state_hash", "previous_hash", "hmac"';

/** One signed entry as a row of placeholders (for `?` parameters, as `em.execute` takes them) and its parameters. */
export function entryValues(e: SignedEntry): { row: string; params: unknown[] } {
  return {
    row: '?::timestamptz, ?, ?, ?::int, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?',
    params: [
      e.at.toISOString(),
      e.subjectType,
      e.subjectId,
      e.revision,
      e.actorId,
      e.actorName,
      e.actorRole ?? null,
      e.action,
      e.stageBefore ?? null,
      e.stageAfter ?? null,
      e.payload === null || e.payload === undefined ? null : JSON.stringify(e.payload),
      e.reason ?? null,
      e.stateHash ?? null,
      e.previousHash ?? null,
      e.hmac,
    ],
  };
}

/**
 * Appends the entry of one state change to its subject's chain (see `signEntry`). A retried write is ignored;
 * (subject, revision) is unique. The API's case closure and the worker's projections both write through here.
 * Returns the entry written, or null when an entry of that revision was there already (or there is no change).
 */
export async function audit(
  em: EntityManager,
  subjectType: AuditEntry['subjectType'],
  subjectId: string,
  revision: number,
  change: ChangeRecord | undefined,
  state: unknown,
  /**
   * What the caller already holds: `stateHash(state)` (the workflow computed it, and `state` is not passed), and the
   * subject's previous entry (read with the caller's own statement, under the lock that orders its writes).
   */
  known: { stateHash?: string; previous?: ChainLink | null } = {},
): Promise<SignedEntry | null> {
  if (!change) return null;
  const key = auditKeyOf(em);
  // Plain rows, not entities: an entry is written once and never read back here (one statement each way).
  const previous =
    known.previous !== undefined
      ? known.previous
      : await em
          .createQueryBuilder(AuditEntry)
          .select(['stateHash', 'hmac'])
          .where({ subjectType, subjectId, revision: { $lt: revision } })
          .orderBy({ revision: 'desc' })
          .limit(1)
          .execute<ChainLink | undefined>('get');
  const entry = signEntry(key, subjectType, subjectId, revision, change, known.stateHash ?? stateHash(state), previous ?? null);
  const written = await em
    .createQueryBuilder(AuditEntry)
    .insert(entry)
    .onConflict(['subjectType', 'subjectId', 'revision'])
    .ignore()
    .execute('run');
  return written.affectedRows ? entry : null;
}

/**
 * Appends several entries, each already signed onto its subject's previous entry, in one statement; an entry whose
 * (subject, revision) is taken is ignored, as `audit` ignores it.
 */
export async function appendEntries(em: EntityManager, entries: SignedEntry[]): Promise<void> {
  if (!entries.length) return;
  const values = entries.map(entryValues);
  await em.execute(
    `insert into "audit_entry" (${ENTRY_COLUMNS}) values ${values.map((v) => `(${v.row})`).join(', ')}
     on conflict ("subject_type", "subject_id", "revision") do nothing`,
    values.flatMap((v) => v.params),
  );
}

export type ChainBreakReason = 'BAD_HMAC' | 'BROKEN_PREVIOUS_LINK' | 'REVISION_GAP' | 'MISSING_ENTRIES';

/** The first entry at which a chain stops verifying. */
export interface ChainBreak {
  subjectType: string;
  subjectId: string;
  /** The entry's revision; for MISSING_ENTRIES, the read model's revision that has no entry. */
  revision: number;
  /** The row's id; null for MISSING_ENTRIES. */
  entryId: string | null;
  reason: ChainBreakReason;
  message: string;
}

export interface ChainReport {
  ok: boolean;
  /** Entries checked (all of them when ok; up to and including the broken one otherwise). */
  checked: number;
  subjects: number;
  firstBroken: ChainBreak | null;
}

type StoredEntry = SignedFields & { id: string; hmac?: string | null };

/** A case (its evaluation and tasks, by accident id) or a campaign and its children (by `campaign/<id>`), or every subject. */
export type ChainScope = { caseId: string } | 'all';

const PAGE = 1000;

interface EntryRow {
  id: string;
  at: Date;
  subject_type: AuditEntry['subjectType'];
  subject_id: string;
  revision: number;
  actor_id: string;
  actor_name: string;
  actor_role: string | null;
  action: string;
  stage_before: string | null;
  stage_after: string | null;
  payload: unknown;
  reason: string | null;
  state_hash: string | null;
  previous_hash: string | null;
  hmac: string | null;
}

function caseFilter(scope: ChainScope, column: string, params: unknown[]): string {
  if (scope === 'all') return 'true';
  params.push(scope.caseId, `${scope.caseId}/%`);
  return `(${column} = ? or ${column} like ?)`;
}

/** Entries in chain order, a page at a time (keyset pagination), so a large trail never sits in memory. */
async function* storedEntries(em: EntityManager, scope: ChainScope): AsyncGenerator<StoredEntry> {
  let after: [string, string, number] | null = null;
  for (;;) {
    const params: unknown[] = [];
    const where = [caseFilter(scope, 'subject_id', params)];
    if (after) {
      where.push('(subject_type, subject_id, revision) > (?, ?, ?)');
      params.push(...after);
    }
    const rows: EntryRow[] = await em
      .getConnection()
      .execute<EntryRow[]>(`select * from audit_entry where ${where.join(' and ')} order by subject_type, subject_id, revision limit ${PAGE}`, params);
    for (const r of rows) {
      yield {
        id: String(r.id),
        at: new Date(r.at),
        subjectType: r.subject_type,
        subjectId: r.subject_id,
        revision: r.revision,
        actorId: r.actor_id,
        actorName: r.actor_name,
        actorRole: r.actor_role,
        action: r.action,
        stageBefore: r.stage_before,
        stageAfter: r.stage_after,
        payload: r.payload,
        reason: r.reason,
        stateHash: r.state_hash,
        previousHash: r.previous_hash,
        hmac: r.hmac,
      };
    }
    if (rows.length < PAGE) return;
    const last = rows.at(-1)!;
    after = [last.subject_type, last.subject_id, last.revision];
  }
}

/** The revision the read model holds per subject: the trail must reach it (its tail must not be cut off). */
async function readModelRevisions(em: EntityManager, scope: ChainScope): Promise<Map<string, number>> {
  const params: unknown[] = [];
  const evaluations = caseFilter(scope, 'id::text', params);
  const tasks = caseFilter(scope, 'id', params);
  // A campaign and its children are subjects named by their workflow ids (`campaign/<id>`, `campaign/<id>/town/…`).
  const campaigns = caseFilter(scope, 'workflow_id', params);
  const towns = caseFilter(scope, 'workflow_id', params);
  const sectors = caseFilter(scope, 'workflow_id', params);
  const lookBacks = caseFilter(scope, 'workflow_id', params);
  // Hazards and whistleblower reports likewise (`hazard/<id>`, `whistleblower-report/<id>`).
  const hazards = caseFilter(scope, 'workflow_id', params);
  const reports = caseFilter(scope, 'workflow_id', params);
  const rows = await em.getConnection().execute<{ subject: string; revision: number }[]>(
    `select 'evaluation ' || id::text as subject, revision from evaluation where revision > 0 and ${evaluations}
     union all select 'rectification-task ' || id as subject, revision from rectification_task where revision > 0 and ${tasks}
     union all select 'campaign ' || workflow_id, revision from campaign where revision > 0 and ${campaigns}
     union all select 'campaign-town ' || workflow_id, self_revision from campaign_town where self_revision > 0 and ${towns}
     union all select 'campaign-sector ' || workflow_id, review_revision from campaign_sector where review_revision > 0 and ${sectors}
     union all select 'campaign-look-back ' || workflow_id, revision from campaign_look_back where revision > 0 and ${lookBacks}
     union all select 'hazard ' || workflow_id, revision from hazard where revision > 0 and ${hazards}
     union all select 'whistleblower-report ' || workflow_id, revision from whistleblower_report where revision > 0 and ${reports}`,
    params,
  );
  return new Map(rows.map((r) => [r.subject, r.revision]));
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * Walks every chain in scope and reports the first broken link: an entry whose HMAC does not match its content
 * and its predecessor (forged, edited, or written without the key), whose `previousHash` is not its
 * predecessor's `stateHash`, whose revision does not follow its predecessor's (an entry removed), or a subject
 * whose trail ends before the revision its read model holds (the tail removed).
 */
export async function verifyAuditChain(em: EntityManager, key: AuditKey, scope: ChainScope): Promise<ChainReport> {
  const expected = await readModelRevisions(em, scope);
  let checked = 0;
  let subjects = 0;
  let previous: StoredEntry | null = null;

  const tailCut = (last: StoredEntry): ChainBreak | null => {
    const subject = `${last.subjectType} ${last.subjectId}`;
    const held = expected.get(subject);
    expected.delete(subject);
    const reached = last.revision;
    if (held === undefined || held <= reached) return null;
    return {
      subjectType: last.subjectType,
      subjectId: last.subjectId,
      revision: reached + 1,
      entryId: null,
      reason: 'MISSING_ENTRIES',
      message: `the read model is at revision ${held}, but the audit trail ends at revision ${reached}`,
    };
  };
  const broken = (firstBroken: ChainBreak): ChainReport => ({ ok: false, checked, subjects, firstBroken });

  for await (const entry of storedEntries(em, scope)) {
    const sameSubject = previous?.subjectType === entry.subjectType && previous.subjectId === entry.subjectId;
    if (!sameSubject) {
      if (previous) {
        const cut = tailCut(previous);
        if (cut) return broken(cut);
      }
      subjects++;
    }
    const before = sameSubject ? previous : null;
    checked++;
    const at = { subjectType: entry.subjectType, subjectId: entry.subjectId, revision: entry.revision, entryId: entry.id };
    const expectedRevision = (before?.revision ?? 0) + 1;
    if (entry.revision !== expectedRevision) {
      return broken({
        ...at,
        reason: 'REVISION_GAP',
        message: before
          ? `revision ${entry.revision} follows revision ${before.revision}: revisions ${expectedRevision}…${entry.revision - 1} are missing`
          : `the trail starts at revision ${entry.revision}: revisions 1…${entry.revision - 1} are missing`,
      });
    }
    if ((entry.previousHash ?? null) !== (before?.stateHash ?? null)) {
      return broken({ ...at, reason: 'BROKEN_PREVIOUS_LINK', message: 'previousHash is not the stateHash of the entry before it' });
    }
    if (!entry.hmac) return broken({ ...at, reason: 'BAD_HMAC', message: 'the entry has no HMAC: it was not written by Bihuan with the audit key' });
    if (!sameHex(entry.hmac, entryHmac(key, before?.hmac ?? null, entry))) {
      return broken({ ...at, reason: 'BAD_HMAC', message: 'the HMAC does not match the entry and the one before it: the entry was forged or changed' });
    }
    previous = entry;
  }
  if (previous) {
    const cut = tailCut(previous);
    if (cut) return broken(cut);
  }
  // Subjects whose read model moved on but which have no entry at all.
  const [orphan] = expected;
  if (orphan) {
    const [subject, revision] = orphan;
    const space = subject.indexOf(' ');
    return broken({
      subjectType: subject.slice(0, space),
      subjectId: subject.slice(space + 1),
      revision: 1,
      entryId: null,
      reason: 'MISSING_ENTRIES',
      message: `the read model is at revision ${revision}, but the audit trail has no entry`,
    });
  }
  return { ok: true, checked, subjects, firstBroken: null };
}
