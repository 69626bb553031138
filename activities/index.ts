import type { Orm } from '../infra/orm.js';
import { createCalendarActivities } from './calendar.js';
import { createCampaignActivities } from './campaigns.js';
import { createHazardActivities } from './hazards.js';
import { createHazardCircularActivities } from './hazard-circulars.js';
import { createNotificationActivities } from './notifications.js';
import { createProjectionActivities } from './projections.js';

export interface ActivityDeps {
  orm: Orm;
}

/** Every activity the workers register. Workflows import only this type. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createProjectionActivities(deps),
    ...createNotificationActivities(deps),
    ...createCampaignActivities(deps),
    ...createCalendarActivities(deps),
    ...createHazardActivities(deps),
    ...createHazardCircularActivities(deps),
  };
}

export type BihuanActivities = ReturnType<typeof createActivities>;
export type { ChangeOutcome, ChangeRecord, EvaluationChange, EvaluationColumns, NoticeInput } from './types.js';
