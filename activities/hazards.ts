// Read-model writers of the hazard and whistleblower workflows. Filled in by the hazard read-model work.
import type { ActivityDeps } from './index.js';

export function createHazardActivities(_deps: ActivityDeps) {
  return {};
}
