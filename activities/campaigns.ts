// Read-model writers of the campaign workflows. Filled in by the campaign read-model work.
import type { ActivityDeps } from './index.js';

export function createCampaignActivities(_deps: ActivityDeps) {
  return {};
}
