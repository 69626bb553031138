/** Administrative levels of the region tree. NATION stands for the State Council (国务院). */
export const REGION_LEVELS = ['NATION', 'PROVINCE', 'CITY', 'COUNTY', 'TOWN'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

/** A region as the rules need it. `code` is the administrative division code (行政区划代码). */
export interface RegionRef {
  id: string;
  code: string;
  name: string;
  level: RegionLevel;
}

/** A region with its ancestors, from the province down to the region itself. */
export type RegionPath = readonly RegionRef[];

export function levelRank(level: RegionLevel): number {
  return REGION_LEVELS.indexOf(level);
}

/** The ancestor of a region at the given level (the region itself if it is at that level). */
export function ancestorAt(path: RegionPath, level: RegionLevel): RegionRef | undefined {
  return path.find((r) => r.level === level);
}
