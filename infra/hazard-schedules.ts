import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { logger } from './logger.js';

const log = logger('hazard-schedules');

/**
 * The recurring hazard work as Temporal schedules (China time):
 * - `hazard-circulars`: 00:30 on the first day of each quarter, the circular and dispatch table of every county
 *   holding hazards, for the quarter just ended (003 §三 组织保障(三): 每季度通报整治进展情况);
 * - `enterprise-obligation-reminders`: 08:00 on the first day of each month, the reminders of the enterprise
 *   obligations whose period begins (003 §三.(二)1.(2), (6)).
 * A run missed while Temporal was down is still taken within the catch-up window; a run never overlaps the last one.
 */
export function hazardSchedules(taskQueue: string): ScheduleOptions[] {
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '20 days' } as const;
  return [
    {
      scheduleId: 'hazard-circulars',
      spec: { cronExpressions: ['30 0 1 1,4,7,10 *'], timezone: 'Asia/Shanghai' },
      action: { type: 'startWorkflow', workflowType: 'hazardCircularsWorkflow', workflowId: 'hazard-circulars', args: [{}], taskQueue },
      policies,
    },
    {
      scheduleId: 'enterprise-obligation-reminders',
      spec: { cronExpressions: ['0 8 1 * *'], timezone: 'Asia/Shanghai' },
      action: { type: 'startWorkflow', workflowType: 'enterpriseObligationRemindersWorkflow', workflowId: 'enterprise-obligation-reminders', args: [{}], taskQueue },
      policies,
    },
  ];
}

/**
 * Creates the schedules, or brings existing ones to this definition (a new task queue, a changed time): run at every
 * worker boot, by any number of workers at once. A server without schedules (the time-skipping test server) is
 * logged and skipped.
 */
export async function ensureHazardSchedules(client: Client, taskQueue: string): Promise<string[]> {
  const ensured: string[] = [];
  for (const options of hazardSchedules(taskQueue)) {
    try {
      try {
        await client.schedule.create(options);
      } catch (error) {
        if (!(error instanceof ScheduleAlreadyRunning)) throw error;
        await client.schedule.getHandle(options.scheduleId).update((previous) => ({
          spec: options.spec,
          action: options.action,
          policies: options.policies,
          state: previous.state,
        }));
      }
      ensured.push(options.scheduleId);
    } catch (error) {
      if (!/UNIMPLEMENTED|not implemented/i.test(String(error))) throw error;
      log.warn({ scheduleId: options.scheduleId }, 'this Temporal server has no schedules; the recurring hazard work does not run');
    }
  }
  return ensured;
}
