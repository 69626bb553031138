import type { Actor } from '../domain/evaluation.js';
import type { NotificationKind } from '../schema/entities/notification.js';

/** One state change, as the audit trail records it. */
export interface ChangeRecord {
  actor: Actor;
  action: string;
  stageBefore: string | null;
  stageAfter: string | null;
  at: string;
  payload?: unknown;
}

export interface NoticeInput {
  /** Derived from the workflow id and the deadline, so a retry writes one row. */
  key: string;
  kind: NotificationKind;
  subjectId: string;
  recipient: string;
  message: string;
  dueAt?: string;
}
