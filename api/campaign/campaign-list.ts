import type { GraphQLResolveInfo } from 'graphql';
import { regionPrefix, type Principal } from '../../domain/access.js';
import { isRecordId, notFound } from '../../domain/text.js';
import type { Context } from '../context.js';
import { duePage } from '../due-page.js';
import { ApiError } from '../errors.js';
import { selects } from '../graph.js';
import { columnsOf, toRows } from '../loaders.js';
import { CAMPAIGN_TABLES, campaignLoaders, readCampaignRows, type CampaignGradeRow } from './campaign-loaders.js';
import type { CampaignFilterInput, CampaignGradeFilterInput } from './campaign.inputs.js';
import { viewOfRow, visibleCampaign } from './campaign.service.js';

// Lists of campaigns and of grades: one statement for a page (with its access facts), one for a count when asked.

const ROLES_THAT_SEE = new Set(['SAFETY_OFFICE', 'DEPARTMENT_OFFICIAL', 'DISCIPLINE_INSPECTION', 'LEADER_IN_CHARGE', 'TOWN_OFFICIAL', 'UPPER_OFFICE']);
const like = (code: string): string => `${regionPrefix(code).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The SQL side of `campaignAccess` over campaigns `t`: the campaigns of districts a grant covers, of districts a
 * grant lies inside (a town's), and of sectors a department leads. A superset: rows are checked again one by one.
 */
export function visibleCampaignsSql(principal: Principal, t = 't'): { sql: string; params: unknown[] } {
  const anyOf: string[] = [];
  const params: unknown[] = [];
  for (const g of principal.grants) {
    if (g.regionCode && ROLES_THAT_SEE.has(g.role)) {
      anyOf.push(`${t}.district_code like ?`, `(? like (${t}.district_code || '%'))`);
      params.push(like(g.regionCode), g.regionCode);
    }
    if (g.role === 'DEPARTMENT_OFFICIAL' && g.departmentId) {
      anyOf.push(`exists (select 1 from campaign_sector s where s.campaign_id = ${t}.id and s.lead_department_id = ?)`);
      params.push(g.departmentId);
    }
  }
  return { sql: anyOf.length ? `(${anyOf.join(' or ')})` : 'false', params };
}

// The order: soonest open deadline first (campaigns with none last), then id. The cursor is that pair.
function filterSql(filter: CampaignFilterInput | undefined): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter?.stage?.length) {
    where.push('t.stage in (?)');
    params.push(filter.stage);
  }
  if (filter?.overdue !== undefined && filter.overdue !== null) {
    where.push('t.overdue = ?');
    params.push(filter.overdue);
  }
  if (filter?.year !== undefined && filter.year !== null) {
    where.push('t.year = ?');
    params.push(filter.year);
  }
  if (filter?.grade) {
    where.push('exists (select 1 from campaign_grade g where g.campaign_id = t.id and g.grade = ?)');
    params.push(filter.grade);
  }
  return { where, params };
}

/** A Relay-style page of the campaigns the caller sees, soonest open deadline first. */
export async function listCampaigns(ctx: Context, info: GraphQLResolveInfo, filter: CampaignFilterInput | undefined, first: number, after: string | undefined) {
  const visible = visibleCampaignsSql(ctx.principal);
  const own = filterSql(filter);
  const loaders = campaignLoaders(ctx);
  return duePage({
    em: ctx.em,
    table: 'campaign',
    dueColumn: 'next_due_at',
    dueOf: (row) => row.nextDueAt,
    where: [visible.sql, ...own.where],
    params: [...visible.params, ...own.params],
    first,
    after,
    count: selects(info, 'totalCount'),
    read: readCampaignRows,
    prime: (row) => loaders.campaign.prime(row.id, row),
    view: (row) => visibleCampaign(ctx, row),
  });
}

/** Grades of the campaigns the caller sees (002 §14-§16), newest year first. */
export async function listGrades(ctx: Context, filter: CampaignGradeFilterInput | undefined, first: number): Promise<CampaignGradeRow[]> {
  if (first < 0 || first > 200) throw new ApiError('BAD_USER_INPUT', 'first: between 0 and 200', 'first');
  const visible = visibleCampaignsSql(ctx.principal);
  const where = [visible.sql];
  const params = [...visible.params];
  if (filter?.campaignId !== undefined && filter.campaignId !== null) {
    if (!isRecordId(filter.campaignId)) throw notFound('filter.campaignId');
    where.push('g.campaign_id = ?');
    params.push(filter.campaignId.toLowerCase());
  }
  if (filter?.townRegionId !== undefined && filter.townRegionId !== null) {
    if (!isRecordId(filter.townRegionId)) throw notFound('filter.townRegionId');
    where.push('g.town_region_id = ?');
    params.push(filter.townRegionId.toLowerCase());
  }
  if (filter?.sector) {
    where.push('g.sector = ?');
    params.push(filter.sector);
  }
  if (filter?.year !== undefined && filter.year !== null) {
    where.push('g.year = ?');
    params.push(filter.year);
  }
  if (filter?.grade) {
    where.push('g.grade = ?');
    params.push(filter.grade);
  }
  const select = `select ${columnsOf(CAMPAIGN_TABLES.grade, 'g').map(([p, sql]) => `${sql} as "${p}"`).join(', ')} from campaign_grade g`;
  const raw = await ctx.em.execute<Record<string, unknown>[]>(
    `${select} join campaign t on t.id = g.campaign_id where ${where.join(' and ')} order by g.year desc, t.name, g.unit_kind desc, g.sector, g.unit limit ?`,
    [...params, first],
  );
  const grades = toRows<CampaignGradeRow>(CAMPAIGN_TABLES.grade, raw);
  const loaders = campaignLoaders(ctx);
  const campaigns = await loaders.campaign.loadMany([...new Set(grades.map((g) => g.campaign.id))]);
  const views = new Map(campaigns.flatMap((c) => (c && !(c instanceof Error) ? [[c.id, viewOfRow(ctx, c)] as const] : [])));
  return grades.flatMap((g) => {
    const view = views.get(g.campaign.id);
    if (!view) return [];
    ctx.views.set(g, { access: view.access, scope: null });
    return [g];
  });
}
