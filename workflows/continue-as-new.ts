import * as wf from '@temporalio/workflow';

/**
 * Whether a long-lived workflow should hand its state to a fresh run: when Temporal suggests it, or once history
 * passes `afterEvents` (set by operators and tests).
 */
export function continueAsNewDue(afterEvents: number | undefined): boolean {
  const info = wf.workflowInfo();
  return info.continueAsNewSuggested || (afterEvents !== undefined && info.historyLength > afterEvents);
}
