// What the recurring hazard work reads (workflows/hazard/circular.workflow.ts): the counties whose quarterly circular
// is due, and the enterprises to remind of their obligations. The circular itself is `produceHazardCircular`
// (activities/hazards.ts).
import { circularBounds, type Quarter } from '../domain/hazard-campaign.js';
import type { Sector } from '../domain/case.js';
import type { ActivityDeps } from './index.js';

export interface CircularRegion {
  code: string;
  name: string;
  safetyOfficeName: string;
}

export interface EnterpriseToRemind {
  id: string;
  name: string;
  sector: Sector;
}

/** Enterprises read per call: the workflow pages through them. */
export const REMINDER_PAGE = 200;

export function createHazardCircularActivities({ orm }: ActivityDeps) {
  return {
    /**
     * The counties (区县) holding a hazard entered in the year up to the end of the quarter: each gets its circular.
     * A town's hazard counts in its county (the first six digits of its code).
     */
    async hazardCircularRegions(input: Quarter): Promise<CircularRegion[]> {
      const { startsAt, endsAt } = circularBounds(input);
      return orm.em.fork().execute<CircularRegion[]>(
        `select r.code, r.name, r.safety_office_name as "safetyOfficeName"
           from region r
          where r.level = 'COUNTY'
            and r.code in (select distinct left(h.region_code, 6) from hazard h where h.reported_at >= ? and h.reported_at < ?)
          order by r.code`,
        [startsAt, endsAt],
      );
    },

    /** Enterprises that have a contact to receive reminders (an ENTERPRISE_CONTACT grant), by id, after `afterId`. */
    async enterprisesToRemind(input: { afterId: string | null; limit?: number }): Promise<EnterpriseToRemind[]> {
      const limit = Math.min(Math.max(input.limit ?? REMINDER_PAGE, 1), REMINDER_PAGE);
      return orm.em.fork().execute<EnterpriseToRemind[]>(
        `select e.id, e.name, e.sector
           from enterprise e
          where exists (select 1 from role_grant g where g.role = 'ENTERPRISE_CONTACT' and g.enterprise_id = e.id)
            and (?::uuid is null or e.id > ?::uuid)
          order by e.id
          limit ?`,
        [input.afterId, input.afterId, limit],
      );
    },
  };
}
