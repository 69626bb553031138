import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';

/**
 * Who did what to which case, append-only. The application role may only SELECT and INSERT here, and triggers
 * refuse UPDATE, DELETE and TRUNCATE even to the owner (migrations `initial` and `app_role`). The ORM does not
 * know the triggers or grants; `migration:create` proposes dropping the triggers — remove those lines. One row
 * per state change; (subjectType, subjectId, revision) is unique so a retried projection writes it once. Each
 * row is chained to the one before by a keyed HMAC (activities/audit.ts), so a row forged or rewritten by
 * someone without the key is found by `verifyAuditChain` / `npm run audit:verify`.
 */
@Entity({ tableName: 'audit_entry' })
@Unique({ properties: ['subjectType', 'subjectId', 'revision'] })
@Index({ properties: ['actorId', 'at'] })
export class AuditEntry {
  [OptionalProps]?: 'id';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'datetime' })
  at!: Date;

  @Property({ type: 'text' })
  subjectType!: 'evaluation' | 'rectification-task' | 'accident' | 'working-calendar' | 'campaign' | 'campaign-town' | 'campaign-sector' | 'campaign-look-back' | 'rule-profile' | 'hazard' | 'whistleblower-report' | 'hazard-circular';

  @Property({ type: 'text' })
  subjectId!: string;

  @Property({ type: 'integer' })
  revision!: number;

  @Property({ type: 'text' })
  actorId!: string;

  @Property({ type: 'text' })
  actorName!: string;

  @Property({ type: 'text', nullable: true })
  actorRole?: string | null;

  @Property({ type: 'text' })
  action!: string;

  @Property({ type: 'text', nullable: true })
  stageBefore?: string | null;

  @Property({ type: 'text', nullable: true })
  stageAfter?: string | null;

  @Property({ type: 'json', nullable: true })
  payload?: unknown;

  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  /** SHA-256 of the state this change produced. */
  @Property({ type: 'string', length: 64, nullable: true })
  stateHash?: string | null;

  /** `stateHash` of the subject's previous entry: the state this change was applied to. A broken link shows tampering. */
  @Property({ type: 'string', length: 64, nullable: true })
  previousHash?: string | null;

  /** HMAC-SHA256, keyed with the audit key, over the previous entry's `hmac` and this entry's content. */
  @Property({ type: 'string', length: 64, nullable: true })
  hmac?: string | null;
}
