import type { GraphQLResolveInfo } from 'graphql';
import { regionPrefix, type Principal } from '../../domain/access.js';
import { badInput } from '../../domain/errors.js';
import { HAZARD_GRADES, HAZARD_SOURCES, HAZARD_STAGES } from '../../domain/hazard.js';
import { SECTORS } from '../../domain/case.js';
import { isRecordId } from '../../domain/text.js';
import type { Context } from '../context.js';
import { duePage } from '../due-page.js';
import { selects } from '../graph.js';
import { hazardLoaders, readHazardRows } from './hazard-loaders.js';
import type { HazardFilterInput } from './hazard.inputs.js';
import { visibleHazard } from './hazard.service.js';

// The ledger list: one statement for a page, one for a count when asked.

const REGION_READERS = new Set(['SAFETY_OFFICE', 'DEPARTMENT_OFFICIAL', 'DISCIPLINE_INSPECTION', 'LEADER_IN_CHARGE', 'TOWN_OFFICIAL', 'INSPECTOR']);
const like = (code: string): string => `${regionPrefix(code).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The SQL side of `hazardAccess` over hazards `t`. A superset: rows are checked again one by one. */
export function visibleHazardsSql(principal: Principal, t = 't'): { sql: string; params: unknown[] } {
  const anyOf: string[] = [];
  const params: unknown[] = [];
  for (const g of principal.grants) {
    if (g.regionCode && REGION_READERS.has(g.role)) {
      anyOf.push(`${t}.region_code like ?`);
      params.push(like(g.regionCode));
    }
    if (g.role === 'DEPARTMENT_OFFICIAL' && g.departmentId) {
      anyOf.push(`${t}.supervising_department_id = ?`);
      params.push(g.departmentId);
    }
    if (g.role === 'ENTERPRISE_CONTACT' && g.enterpriseId) {
      anyOf.push(`${t}.enterprise_id = ?`);
      params.push(g.enterpriseId);
    }
  }
  return { sql: anyOf.length ? `(${anyOf.join(' or ')})` : 'false', params };
}

function oneOf(field: string, value: unknown, values: readonly string[]): void {
  if (!values.includes(value as string)) throw badInput(field, `must be one of ${values.join(', ')}`);
}

function filterSql(filter: HazardFilterInput | undefined | null): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (!filter) return { where, params };
  if (filter.stage?.length) {
    filter.stage.forEach((s, i) => oneOf(`filter.stage[${i}]`, s, HAZARD_STAGES));
    where.push('t.stage in (?)');
    params.push(filter.stage);
  }
  if (filter.grade) {
    oneOf('filter.grade', filter.grade, HAZARD_GRADES);
    where.push('t.grade = ?');
    params.push(filter.grade);
  }
  if (filter.sector) {
    oneOf('filter.sector', filter.sector, SECTORS);
    where.push('t.sector = ?');
    params.push(filter.sector);
  }
  if (filter.source) {
    oneOf('filter.source', filter.source, HAZARD_SOURCES);
    where.push('t.source = ?');
    params.push(filter.source);
  }
  for (const [name, column] of [['overdue', 't.overdue'], ['supervised', 't.supervised']] as const) {
    const value = filter[name];
    if (value !== undefined && value !== null) {
      where.push(`${column} = ?`);
      params.push(value);
    }
  }
  if (filter.regionCode !== undefined && filter.regionCode !== null) {
    if (!/^\d{2,12}$/.test(filter.regionCode)) throw badInput('filter.regionCode', 'must be a division code (digits)');
    where.push('t.region_code like ?');
    params.push(like(filter.regionCode));
  }
  for (const [name, column] of [['enterpriseId', 't.enterprise_id'], ['originEvaluationId', 't.origin_evaluation_id'], ['originCampaignId', 't.origin_campaign_id']] as const) {
    const value = filter[name];
    if (value === undefined || value === null) continue;
    // A malformed id names nothing: the list is empty, as for an id that does not exist.
    if (!isRecordId(value)) {
      where.push('false');
      continue;
    }
    where.push(`${column} = ?`);
    params.push(value.toLowerCase());
  }
  return { where, params };
}

/** A Relay-style page of the hazards the caller sees, soonest deadline first (none last), then id. */
export async function listHazards(ctx: Context, info: GraphQLResolveInfo, filter: HazardFilterInput | undefined | null, first: number, after: string | undefined) {
  const visible = visibleHazardsSql(ctx.principal);
  const own = filterSql(filter);
  const loaders = hazardLoaders(ctx);
  return duePage({
    em: ctx.em,
    table: 'hazard',
    dueColumn: 'due_at',
    dueOf: (row) => row.dueAt,
    where: [visible.sql, ...own.where],
    params: [...visible.params, ...own.params],
    first,
    after,
    count: selects(info, 'totalCount'),
    read: readHazardRows,
    prime: (row) => loaders.hazard.prime(row.id, row),
    view: (row) => visibleHazard(ctx, row),
  });
}
