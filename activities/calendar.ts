// Reads the working-day calendar for workflows. Filled in by the calendar work.
import type { ActivityDeps } from './index.js';

export function createCalendarActivities(_deps: ActivityDeps) {
  return {};
}
