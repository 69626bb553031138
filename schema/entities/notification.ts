import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

export const NOTIFICATION_KINDS = ['REMINDER', 'OVERDUE', 'ESCALATION'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * Outbox of reminders, overdue notices and escalations. Rows are written once (the key is derived from the
 * workflow and the deadline, so a retried activity adds nothing); delivery adapters mark `deliveredAt`.
 */
@Entity({ tableName: 'notification' })
@Index({ properties: ['subjectId', 'createdAt'] })
export class Notification {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text', unique: true })
  key!: string;

  @Property({ type: 'string', length: 16 })
  kind!: NotificationKind;

  /** The evaluation or task the notice is about. */
  @Property({ type: 'text' })
  subjectId!: string;

  @Property({ type: 'text' })
  recipient!: string;

  @Property({ type: 'text' })
  message!: string;

  @Property({ type: 'datetime', nullable: true })
  dueAt?: Date | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  deliveredAt?: Date | null;
}
