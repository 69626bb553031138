import { dispatchFigures } from '../../activities/hazards.js';
import { allow, type Principal } from '../../domain/access.js';
import { SECTORS, type Sector } from '../../domain/case.js';
import { DomainError, badInput } from '../../domain/errors.js';
import {
  checkQuarter,
  circularBounds,
  dispatchTotal,
  hazardSector,
  quarterOf,
  type DispatchFigures,
  type Quarter,
} from '../../domain/hazard-campaign.js';
import { notFound } from '../../domain/text.js';
import type { Context } from '../context.js';
import type { RegionRow } from '../region-tree.js';
import type { HazardDispatchRowType, HazardDispatchTableType } from './hazard-circular.type.js';

/** Stored circulars one answer lists at most. */
export const MAX_CIRCULARS = 200;

/**
 * The region asked for, if the caller may read its circulars: BAD_USER_INPUT for a malformed code, NOT_FOUND for a
 * code no region has (regions are public), FORBIDDEN when no grant of the caller covers it (READ_HAZARD_CIRCULARS).
 */
export async function circularRegion(ctx: Context, principal: Principal, code: unknown): Promise<RegionRow> {
  if (typeof code !== 'string' || !/^\d{6}(\d{3})?$/.test(code)) throw badInput('regionCode', 'a division code of 6 digits (9 for a town)');
  const tree = await ctx.loaders.regions();
  let region: RegionRow | undefined;
  for (const r of tree.byId.values()) if (r.code === code) region = r;
  if (!region) throw notFound('regionCode');
  if (!allow(principal, 'READ_HAZARD_CIRCULARS', { regionCode: region.code })) {
    throw new DomainError('FORBIDDEN', `${principal.name} may not read the hazard circulars of ${region.name} (${region.code})`, 'regionCode');
  }
  return region;
}

type StoredRow = DispatchFigures & { sector: Sector };

function shownRow(row: StoredRow): HazardDispatchRowType {
  const info = hazardSector(row.sector);
  return {
    sector: row.sector,
    sectorName: info.name,
    leadDepartments: [...new Set(info.leadDepartments.map((l) => l.department))],
    found: row.found,
    rectified: row.rectified,
    overdue: row.overdue,
    rectificationRate: row.rectificationRate === null ? null : Number(row.rectificationRate),
    fundsYuan: row.fundsYuan,
  };
}

function table(region: RegionRow, q: Quarter, rows: StoredRow[], at: { asOf: Date; inProgress: boolean; producedAt: Date | null }): HazardDispatchTableType {
  const bounds = circularBounds(q);
  // Every sector, in 003's order, whatever the stored rows hold.
  const bySector = new Map(rows.map((r) => [r.sector, r]));
  const all = SECTORS.map((sector) => bySector.get(sector) ?? { sector, found: 0, rectified: 0, overdue: 0, rectificationRate: null, fundsYuan: '0.00' });
  const total = dispatchTotal(all);
  return {
    regionCode: region.code,
    regionName: region.name,
    year: q.year,
    quarter: q.quarter,
    countedFrom: bounds.countedFrom,
    endsOn: bounds.endsOn,
    asOf: at.asOf,
    inProgress: at.inProgress,
    stored: at.producedAt !== null,
    producedAt: at.producedAt,
    rows: all.map(shownRow),
    total: { sector: null, sectorName: '合计', leadDepartments: [], ...total, rectificationRate: total.rectificationRate === null ? null : Number(total.rectificationRate) },
  };
}

/**
 * The dispatch table computed now, as of `asOf`, in one statement over `hazard`: the figures `produceHazardCircular`
 * (activities/hazards.ts) stores at the quarter's end, counted the same way (the hazards of the region and every
 * region under it entered from the start of the year; rectified = closed by asOf; overdue = not closed and past
 * the deadline by asOf; funds of the plans).
 */
async function liveRows(ctx: Context, region: RegionRow, q: Quarter, asOf: Date): Promise<StoredRow[]> {
  const { startsAt } = circularBounds(q);
  const figures = dispatchFigures(region.code, startsAt, asOf);
  return ctx.em.execute<StoredRow[]>(
    `with ${figures.ctes}
     select sector, found, rectified, overdue, funds::text as "fundsYuan", rectification_rate as "rectificationRate" from per_sector order by ord`,
    figures.params,
  );
}

interface CircularRecord {
  year: number;
  quarter: number;
  producedAt: Date;
  rows: StoredRow[];
}

/**
 * A region's dispatch table for a quarter: the stored circular once the quarter has ended and the schedule produced
 * it; computed as of the quarter's end when none was stored; computed live, as of now, while the quarter is in progress.
 */
export async function dispatchTable(ctx: Context, input: { regionCode: unknown; year: unknown; quarter: unknown }, now = new Date()): Promise<HazardDispatchTableType> {
  const q = checkQuarter(input.year, input.quarter);
  const region = await circularRegion(ctx, ctx.principal, input.regionCode);
  const current = quarterOf(now);
  if (q.year > current.year || (q.year === current.year && q.quarter > current.quarter)) throw badInput('quarter', 'has not begun yet');
  const { endsAt } = circularBounds(q);
  if (endsAt.getTime() <= now.getTime()) {
    const [stored] = await ctx.em.execute<CircularRecord[]>(
      `select year, quarter, produced_at as "producedAt", rows from hazard_circular where region_code = ? and year = ? and quarter = ?`,
      [region.code, q.year, q.quarter],
    );
    if (stored) return table(region, q, stored.rows, { asOf: endsAt, inProgress: false, producedAt: new Date(stored.producedAt) });
    return table(region, q, await liveRows(ctx, region, q, endsAt), { asOf: endsAt, inProgress: false, producedAt: null });
  }
  return table(region, q, await liveRows(ctx, region, q, now), { asOf: now, inProgress: true, producedAt: null });
}

/** The circulars the schedule stored for the region, newest quarter first. */
export async function storedCirculars(ctx: Context, input: { regionCode: unknown; first: number }): Promise<HazardDispatchTableType[]> {
  if (!Number.isInteger(input.first) || input.first < 0 || input.first > MAX_CIRCULARS) throw badInput('first', `0 to ${MAX_CIRCULARS}`);
  const region = await circularRegion(ctx, ctx.principal, input.regionCode);
  const stored = await ctx.em.execute<CircularRecord[]>(
    `select year, quarter, produced_at as "producedAt", rows from hazard_circular where region_code = ? order by year desc, quarter desc limit ?`,
    [region.code, input.first],
  );
  return stored.map((c) => table(region, { year: c.year, quarter: c.quarter }, c.rows, { asOf: circularBounds(c).endsAt, inProgress: false, producedAt: new Date(c.producedAt) }));
}
