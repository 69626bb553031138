import { randomUUID } from 'node:crypto';
import { Notification } from '../schema/entities/notification.js';
import type { ActivityDeps } from './index.js';
import type { NoticeInput } from './types.js';

export function createNotificationActivities({ orm }: ActivityDeps) {
  return {
    /** Puts a notice in the outbox; delivery (SMS, WeChat, webhooks) reads the outbox. Idempotent by key. */
    async notify(notice: NoticeInput): Promise<void> {
      const em = orm.em.fork();
      await em.upsert(
        Notification,
        {
          id: randomUUID(),
          key: notice.key,
          kind: notice.kind,
          subjectId: notice.subjectId,
          recipient: notice.recipient,
          message: notice.message,
          dueAt: notice.dueAt ? new Date(notice.dueAt) : null,
        },
        { onConflictFields: ['key'], onConflictAction: 'ignore' },
      );
    },
  };
}
