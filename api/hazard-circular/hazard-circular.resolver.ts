import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { Sector } from '../../domain/case.js';
import { enterpriseObligations, HAZARD_CAMPAIGN_PHASES, HAZARD_SECTORS } from '../../domain/hazard-campaign.js';
import { SectorEnum } from '../common/enums.js';
import type { Context } from '../context.js';
import * as circulars from './hazard-circular.service.js';
import { EnterpriseObligationType, HazardCampaignPhaseType, HazardDispatchTableType, HazardSectorType } from './hazard-circular.type.js';

const FOR_WHOM = 'For officials who read every hazard located in the region (not enterprises or the public)';

@Resolver()
export class HazardCircularResolver {
  @Query(() => [HazardSectorType], { description: 'The twelve sectors of the major-hazard campaign with their lead departments, in the order of 003 §二 (public)' })
  hazardSectors(): HazardSectorType[] {
    return HAZARD_SECTORS.map((s) => ({ ...s, leadDepartments: s.leadDepartments.map((l) => ({ department: l.department, part: l.part ?? null })) }));
  }

  @Query(() => [HazardCampaignPhaseType], { description: 'The four phases of the 2023 campaign with their dates (003 §三) (public)' })
  hazardCampaignPhases(): HazardCampaignPhaseType[] {
    return HAZARD_CAMPAIGN_PHASES.map((p) => ({ ...p, startsOn: p.startsOn ?? null }));
  }

  @Query(() => [EnterpriseObligationType], {
    description: 'What an enterprise\'s principal must do in a sector, and how often: inspections, drills (003 §三.(二)1) (public)',
  })
  enterpriseObligations(@Arg('sector', () => SectorEnum) sector: Sector): EnterpriseObligationType[] {
    return enterpriseObligations(sector);
  }

  @Query(() => HazardDispatchTableType, {
    description:
      'A region\'s dispatch table (调度表) for a quarter, per sector: hazards found since the start of the year, rectified, overdue, the ' +
      'rectification rate and funds. The stored circular once the quarter has ended; live while it is in progress. Download it as ' +
      `XLSX or CSV at /downloads/hazard-dispatch/<regionCode>/<year>/Q<quarter>.xlsx|.csv. ${FOR_WHOM}`,
  })
  hazardDispatchTable(
    @Arg('regionCode', { description: '行政区划代码 of the region' }) regionCode: string,
    @Arg('year', () => Int) year: number,
    @Arg('quarter', () => Int, { description: '1 to 4' }) quarter: number,
    @Ctx() ctx: Context,
  ): Promise<HazardDispatchTableType> {
    return circulars.dispatchTable(ctx, { regionCode, year, quarter });
  }

  @Query(() => [HazardDispatchTableType], {
    description: `The quarterly progress circulars (季度通报) the schedule produced for a region, newest first. ${FOR_WHOM}`,
  })
  hazardCirculars(
    @Arg('regionCode') regionCode: string,
    @Arg('first', () => Int, { description: `0 to ${circulars.MAX_CIRCULARS}` }) first: number,
    @Ctx() ctx: Context,
  ): Promise<HazardDispatchTableType[]> {
    return circulars.storedCirculars(ctx, { regionCode, first });
  }
}

export const HAZARD_CIRCULAR_RESOLVERS = [HazardCircularResolver] as const;
