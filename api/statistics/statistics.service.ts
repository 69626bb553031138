import { allow, regionPrefix, type Principal } from '../../domain/access.js';
import { badInput, DomainError } from '../../domain/errors.js';
import {
  amountChange,
  change,
  checkPeriod,
  daysOverdue,
  MAX_STATISTICS_ROWS,
  MAX_STATISTICS_YEAR,
  MIN_STATISTICS_YEAR,
  periodBounds,
  previousPeriod,
  rate,
  samePeriodLastYear,
  type CirculationReason,
  type Period,
  type PeriodKind,
} from '../../domain/statistics.js';
import { notFound } from '../../domain/text.js';
import type { Context } from '../context.js';
import type { RegionRow } from '../region-tree.js';
import type { StatisticsGroup } from './statistics.inputs.js';
import type {
  AccidentFiguresType,
  AccidentStatisticsRowType,
  AccidentStatisticsType,
  EvaluationFiguresType,
  EvaluationStatisticsType,
  StatisticsPeriodType,
} from './statistics.type.js';

// Each answer is one SQL statement over the read model: the rows are grouped and summed by PostgreSQL (with the
// total as a grouping set of its own), and only the changes and rates between two sums are computed here, by the
// rules in domain/statistics.ts.

/** A LIKE pattern for every region code under `code` (division codes are digits; escaped all the same). */
const underRegion = (code: string): string => `${regionPrefix(code).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The region asked for, if the caller may read its statistics: NOT_FOUND for a code no region has (regions are
 * public), FORBIDDEN when no grant of the caller covers it (READ_STATISTICS, domain/access.ts).
 */
async function regionFor(ctx: Context, principal: Principal, code: string): Promise<RegionRow> {
  if (typeof code !== 'string' || !/^\d{6}(\d{3})?$/.test(code)) throw badInput('regionCode', 'a division code of 6 digits (9 for a town)');
  const tree = await ctx.loaders.regions();
  let region: RegionRow | undefined;
  for (const r of tree.byId.values()) if (r.code === code) region = r;
  if (!region) throw notFound('regionCode');
  if (!allow(principal, 'READ_STATISTICS', { regionCode: region.code })) {
    throw new DomainError('FORBIDDEN', `${principal.name} may not read the statistics of ${region.name} (${region.code})`, 'regionCode');
  }
  return region;
}

function shownPeriod(p: Period): StatisticsPeriodType {
  const bounds = periodBounds(p);
  return { kind: p.kind, year: p.year, number: p.number, startsOn: bounds.startsOn, endsOn: bounds.endsOn };
}

interface FiguresRaw {
  key: string | null;
  total: boolean;
  c0: string;
  d0: string;
  i0: string;
  l0: string;
  c1: string;
  d1: string;
  i1: string;
  l1: string;
  c2: string;
  d2: string;
  i2: string;
  l2: string;
}

function figures(raw: FiguresRaw, n: 0 | 1 | 2): AccidentFiguresType {
  const at = raw as unknown as Record<string, string>;
  return { count: Number(at[`c${n}`]), deaths: Number(at[`d${n}`]), injuries: Number(at[`i${n}`]), directLossYuan: at[`l${n}`]! };
}

function changeOf(current: AccidentFiguresType, base: AccidentFiguresType) {
  return {
    count: change(current.count, base.count),
    deaths: change(current.deaths, base.deaths),
    injuries: change(current.injuries, base.injuries),
    directLossYuan: amountChange(current.directLossYuan, base.directLossYuan),
  };
}

function statisticsRow(raw: FiguresRaw, region: RegionRow | null): AccidentStatisticsRowType {
  const current = figures(raw, 0);
  const previous = figures(raw, 1);
  const lastYear = figures(raw, 2);
  return {
    key: raw.total ? 'TOTAL' : raw.key!,
    region,
    current,
    previousPeriod: previous,
    samePeriodLastYear: lastYear,
    periodOnPeriod: changeOf(current, previous),
    yearOnYear: changeOf(current, lastYear),
  };
}

/**
 * Accidents located in the region (by their occurrence, China time), in the period, the period before (环比) and
 * the same period a year before (同比), grouped by sector, level or the regions directly under it.
 */
export async function accidentStatistics(
  ctx: Context,
  input: { regionCode: string; period: { kind: PeriodKind; year: number; number?: number | null }; groupBy: StatisticsGroup },
): Promise<AccidentStatisticsType> {
  const period = checkPeriod(input.period);
  const region = await regionFor(ctx, ctx.principal, input.regionCode);
  const periods = [period, previousPeriod(period), samePeriodLastYear(period)] as const;
  const bounds = periods.map(periodBounds);
  // The same period last year starts first and the current one ends last: one range holds all three.
  const from = bounds[2]!.startsAt;
  const to = bounds[0]!.endsAt;
  const tree = await ctx.loaders.regions();
  const children = [...tree.byId.values()].filter((r) => r.parent?.id === region.id);
  const byChild = new Map(children.map((r) => [r.code, r]));
  if (input.groupBy === 'REGION' && children.length >= MAX_STATISTICS_ROWS) throw badInput('groupBy', `more than ${MAX_STATISTICS_ROWS} regions under ${region.name}: ask for one of them`);

  const params: unknown[] = [];
  const inWindows = bounds
    .map((b, n) => {
      params.push(b.startsAt, b.endsAt);
      return `(a.occurred_at >= ? and a.occurred_at < ?) as in${n}`;
    })
    .join(', ');
  const sums = [0, 1, 2]
    .map(
      (n) =>
        `count(*) filter (where in${n})::text as c${n}, coalesce(sum(p.deaths) filter (where in${n}), 0)::text as d${n}, ` +
        `coalesce(sum(p.injuries) filter (where in${n}), 0)::text as i${n}, coalesce(sum(p.direct_loss_yuan) filter (where in${n}), 0)::text as l${n}`,
    )
    .join(', ');
  const byRegion = input.groupBy === 'REGION';
  // Children as JSON: one parameter (an array would be spread into a list by the query builder). A location at the
  // asked region's own level matches no child and counts under the region itself.
  const keyed = byRegion
    ? `select p.*, coalesce(c.code, ?) as key from picked p join region lr on lr.id = p.location_region_id
         left join json_to_recordset(?::json) as c(code text, prefix text) on lr.code like c.prefix`
    : `select p.*, p.${input.groupBy === 'SECTOR' ? 'sector' : 'level'} as key from picked p`;
  params.push(underRegion(region.code), from, to);
  if (byRegion) params.push(region.code, JSON.stringify(children.map((r) => ({ code: r.code, prefix: underRegion(r.code) }))));
  const raw = await ctx.em.execute<FiguresRaw[]>(
    `with picked as (
       select a.sector, a.level, a.deaths, a.injuries, a.direct_loss_yuan, a.location_region_id, ${inWindows}
       from accident a
       where a.location_region_id in (select r.id from region r where r.code like ?) and a.occurred_at >= ? and a.occurred_at < ?),
     keyed as (${keyed})
     select key, grouping(key) = 1 as total, ${sums}
     from keyed p
     group by grouping sets ((key), ())
     order by grouping(key), coalesce(sum(p.deaths) filter (where in0), 0) desc, count(*) filter (where in0) desc, key`,
    params,
  );
  return finishAccidents(region, input.groupBy, periods, raw, byChild);
}

function finishAccidents(
  region: RegionRow,
  groupBy: StatisticsGroup,
  periods: readonly [Period, Period, Period],
  raw: FiguresRaw[],
  byChild: Map<string, RegionRow>,
): AccidentStatisticsType {
  const regionOfKey = (key: string | null): RegionRow | null => (groupBy === 'REGION' && key ? (byChild.get(key) ?? (key === region.code ? region : null)) : null);
  const totalRaw = raw.find((r) => r.total);
  const empty: FiguresRaw = { key: null, total: true, c0: '0', d0: '0', i0: '0', l0: '0', c1: '0', d1: '0', i1: '0', l1: '0', c2: '0', d2: '0', i2: '0', l2: '0' };
  return {
    region,
    groupBy,
    period: shownPeriod(periods[0]),
    previousPeriod: shownPeriod(periods[1]),
    samePeriodLastYear: shownPeriod(periods[2]),
    rows: raw.filter((r) => !r.total).map((r) => statisticsRow(r, regionOfKey(r.key))),
    total: statisticsRow(totalRaw ?? empty, null),
  };
}

interface EvaluationRaw {
  regionId: string | null;
  total: boolean;
  due: string;
  onTime: string;
  late: string;
  unpublished: string;
  notYetDue: string;
}

/**
 * Evaluations organised within the region whose deadline falls in the year, per organising government (004 item 3):
 * published on time, late, or not at all by `asOf`; the on-time and publication rates of those due.
 */
export async function evaluationStatistics(ctx: Context, input: { regionCode: string; year: number; asOf?: Date | null }): Promise<EvaluationStatisticsType> {
  if (!Number.isInteger(input.year) || input.year < MIN_STATISTICS_YEAR || input.year > MAX_STATISTICS_YEAR) {
    throw badInput('year', `a year from ${MIN_STATISTICS_YEAR} to ${MAX_STATISTICS_YEAR}`);
  }
  const asOf = checkAsOf(input.asOf);
  const region = await regionFor(ctx, ctx.principal, input.regionCode);
  const year = periodBounds({ kind: 'YEAR', year: input.year, number: 1 });
  // Index evaluation_due_at_id covers every column read (organiser, publication): an index-only range scan.
  const raw = await ctx.em.execute<EvaluationRaw[]>(
    `select e.organiser_region_id as "regionId", grouping(e.organiser_region_id) = 1 as total,
       count(*) filter (where e.due_at <= ?)::text as due,
       count(*) filter (where e.due_at <= ? and e.published_at <= e.due_at)::text as "onTime",
       count(*) filter (where e.due_at <= ? and e.published_at > e.due_at and e.published_at <= ?)::text as late,
       count(*) filter (where e.due_at <= ? and (e.published_at is null or e.published_at > ?))::text as unpublished,
       count(*) filter (where e.due_at > ?)::text as "notYetDue"
     from evaluation e
     where e.due_at >= ? and e.due_at < ? and e.organiser_region_id in (select r.id from region r where r.code like ?)
     group by grouping sets ((e.organiser_region_id), ())
     order by grouping(e.organiser_region_id) desc, (select r.code from region r where r.id = e.organiser_region_id)
     limit ?`,
    [asOf, asOf, asOf, asOf, asOf, asOf, asOf, year.startsAt, year.endsAt, underRegion(region.code), MAX_STATISTICS_ROWS + 2],
  );
  if (raw.length > MAX_STATISTICS_ROWS + 1) throw badInput('regionCode', `more than ${MAX_STATISTICS_ROWS} organising governments: ask for a smaller region`);
  const tree = await ctx.loaders.regions();
  const shown = (r: EvaluationRaw): EvaluationFiguresType => {
    const due = Number(r.due);
    const onTime = Number(r.onTime);
    const late = Number(r.late);
    return {
      region: r.total || !r.regionId ? null : tree.get(r.regionId),
      due,
      publishedOnTime: onTime,
      publishedLate: late,
      unpublished: Number(r.unpublished),
      notYetDue: Number(r.notYetDue),
      onTimeRate: rate(onTime, due),
      publicationRate: rate(onTime + late, due),
    };
  };
  const total = raw.find((r) => r.total) ?? { regionId: null, total: true, due: '0', onTime: '0', late: '0', unpublished: '0', notYetDue: '0' };
  return { region, year: input.year, asOf, regions: raw.filter((r) => !r.total).map(shown), total: shown(total) };
}

function checkAsOf(asOf: Date | null | undefined): Date {
  if (asOf === undefined || asOf === null) return new Date();
  if (!(asOf instanceof Date) || Number.isNaN(asOf.getTime())) throw badInput('asOf', 'an ISO date-time');
  return asOf;
}

export interface CirculatedRow {
  evaluationId: string;
  accidentId: string;
  organiserRegion: RegionRow | null;
  dueAt: Date;
  daysOverdue: number;
  reason: CirculationReason;
}

/**
 * The evaluations organised within the region that were past their deadline and not published at `asOf`, most
 * overdue first (004 item 3: 超期没有开展和公开的要进行通报), with why.
 */
export async function evaluationsToCirculate(ctx: Context, input: { regionCode: string; asOf?: Date | null; first: number }): Promise<CirculatedRow[]> {
  if (!Number.isInteger(input.first) || input.first < 0 || input.first > 200) throw badInput('first', 'between 0 and 200');
  const asOf = checkAsOf(input.asOf);
  const region = await regionFor(ctx, ctx.principal, input.regionCode);
  // The evaluations unpublished at asOf are few (publication is due for all, 001 §10): index evaluation_unpublished
  // (migration statistics) finds them, and they are sorted after. Materialised, so that the planner does not walk
  // every evaluation in deadline order to fill the page instead.
  const raw = await ctx.em.execute<{ id: string; accidentId: string; regionId: string | null; dueAt: Date; reason: CirculationReason }[]>(
    `with open as materialized (
       select e.id, e.accident_id, e.organiser_region_id, e.due_at, e.team_formed_at
       from evaluation e
       where coalesce(e.published_at, 'infinity'::timestamptz) > ? and e.due_at < ?
         and e.organiser_region_id in (select r.id from region r where r.code like ?))
     select e.id, e.accident_id as "accidentId", e.organiser_region_id as "regionId", e.due_at as "dueAt",
       case when e.team_formed_at is null or e.team_formed_at > ? then 'NOT_STARTED'
            when rp.approved_at is null or rp.approved_at > ? then 'IN_PROGRESS'
            else 'NOT_PUBLISHED' end as reason
     from open e left join evaluation_report rp on rp.evaluation_id = e.id
     order by e.due_at, e.id limit ?`,
    [asOf, asOf, underRegion(region.code), asOf, asOf, input.first],
  );
  const tree = await ctx.loaders.regions();
  return raw.map((r) => ({
    evaluationId: r.id,
    accidentId: r.accidentId,
    organiserRegion: r.regionId ? tree.get(r.regionId) : null,
    dueAt: new Date(r.dueAt),
    daysOverdue: daysOverdue(new Date(r.dueAt), asOf),
    reason: r.reason,
  }));
}
