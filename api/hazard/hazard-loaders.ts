import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { HazardScope } from '../../domain/access.js';
import type { Sector } from '../../domain/case.js';
import type { EnforcementAdvice, HazardCase, HazardGrade, HazardSource, HazardStage, HazardState, ListedSupervision } from '../../domain/hazard.js';
import type { Context } from '../context.js';
import { READ_TABLES, selectFrom, toRows, type AuditEntryRow, type Loaders, type TableSpec } from '../loaders.js';

// The hazard read model (schema/entities/hazard.ts) as plain rows, like api/loaders.ts reads cases: one statement
// per relation for every hazard a request reads.

const snake = (property: string): string => property.replace(/[A-Z]/g, (l) => `_${l.toLowerCase()}`);

/** As api/loaders.ts: timestamps travel as epoch milliseconds, dates and decimals as text, references as `{ id }`. */
export function spec(table: string, columns: string[], options: { refs?: Record<string, string>; dates?: string[]; text?: string[] } = {}): TableSpec {
  return {
    table,
    columns: Object.fromEntries([
      ...columns.map((c) => [c, `$t.${snake(c)}`]),
      ...(options.dates ?? []).map((c) => [c, `date_part('epoch', $t.${snake(c)}) * 1000`]),
      ...(options.text ?? []).map((c) => [c, `$t.${snake(c)}::text`]),
    ]),
    refs: options.refs ?? {},
    dates: options.dates ?? [],
  };
}

export const HAZARD_TABLE = spec(
  'hazard',
  [
    'id', 'workflowId', 'sector', 'grade', 'source', 'regionCode', 'judgementBasis', 'description', 'evidence', 'reportedBy', 'origin', 'originEvaluationId',
    'originCampaignId', 'stage', 'revision', 'plan', 'overdue', 'overdueNotices', 'supervision', 'supervised', 'accidentId', 'suspectedCrime', 'advice',
    'adviceReason', 'decision', 'extensions', 'submissions',
  ],
  {
    refs: { enterprise: 'enterprise_id', region: 'region_id', supervisingDepartment: 'supervising_department_id' },
    dates: ['reportedAt', 'dueAt', 'fixedAtOnceAt', 'acceptedAt', 'closedAt'],
    text: ['deadlineOn', 'fundsYuan'],
  },
);

interface Ref {
  id: string;
}

export interface HazardRow {
  id: string;
  workflowId: string;
  enterprise: Ref;
  sector: Sector;
  grade: HazardGrade;
  source: HazardSource;
  region: Ref;
  regionCode: string;
  supervisingDepartment: Ref;
  judgementBasis: string;
  description: string;
  evidence: string;
  reportedAt: Date;
  reportedBy: string;
  origin: HazardCase['origin'] | null;
  originEvaluationId: string | null;
  originCampaignId: string | null;
  stage: HazardStage;
  revision: number;
  plan: (NonNullable<HazardState['plan']>) | null;
  fundsYuan: string | null;
  deadlineOn: string | null;
  dueAt: Date | null;
  overdue: boolean;
  overdueNotices: number;
  fixedAtOnceAt: Date | null;
  acceptedAt: Date | null;
  closedAt: Date | null;
  supervision: ListedSupervision | null;
  supervised: boolean;
  accidentId: string | null;
  suspectedCrime: HazardState['suspectedCrime'] | null;
  advice: EnforcementAdvice | null;
  adviceReason: string | null;
  decision: HazardState['decision'] | null;
  extensions: HazardState['extensions'] | null;
  submissions: HazardState['submissions'] | null;
}

export function scopeOfHazard(row: HazardRow): HazardScope {
  return {
    hazardId: row.id,
    enterpriseId: row.enterprise.id,
    regionCode: row.regionCode,
    supervisingDepartmentId: row.supervisingDepartment.id,
    supervisionRegionCode: row.supervision?.regionCode ?? null,
  };
}

/** Hazard rows: `where` over `t`, in the order given. */
export async function readHazardRows(em: EntityManager, where: string, params: unknown[], tail = ''): Promise<HazardRow[]> {
  const raw = await em.execute<Record<string, unknown>[]>(`${selectFrom(HAZARD_TABLE)} where ${where} ${tail}`, params);
  return toRows<HazardRow>(HAZARD_TABLE, raw);
}

function createHazardLoaders(em: EntityManager) {
  return {
    hazard: new DataLoader<string, HazardRow | null>(async (ids) => {
      const rows = await readHazardRows(em, 't.id in (?)', [ids]);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    /** The whistleblower report a hazard was entered from, if any. */
    reportOf: new DataLoader<string, string | null>(async (ids) => {
      const rows = await em.execute<{ id: string; hazardId: string }[]>(
        `select id, hazard_id as "hazardId" from whistleblower_report where hazard_id in (?)`,
        [ids],
      );
      const byHazard = new Map(rows.map((r) => [r.hazardId, r.id]));
      return ids.map((id) => byHazard.get(id) ?? null);
    }),
    auditTrail: new DataLoader<string, AuditEntryRow[]>(async (ids) => {
      const subjects = ids.map((id) => `hazard/${id}`);
      const raw = await em.execute<Record<string, unknown>[]>(
        `${selectFrom(READ_TABLES.auditEntry)} where t.subject_type = 'hazard' and t.subject_id in (?) order by t.revision, t.id`,
        [subjects],
      );
      const rows = toRows<AuditEntryRow>(READ_TABLES.auditEntry, raw);
      const grouped = new Map<string, AuditEntryRow[]>(ids.map((id) => [id, []]));
      for (const row of rows) grouped.get(row.subjectId.slice('hazard/'.length))?.push(row);
      return ids.map((id) => grouped.get(id) ?? []);
    }),
  };
}

export type HazardLoaders = ReturnType<typeof createHazardLoaders>;

const perRequest = new WeakMap<Loaders, HazardLoaders>();

/** Per request, and fresh whenever the request's loaders are (after a change). */
export function hazardLoaders(ctx: Context): HazardLoaders {
  let loaders = perRequest.get(ctx.loaders);
  if (!loaders) {
    loaders = createHazardLoaders(ctx.em);
    perRequest.set(ctx.loaders, loaders);
  }
  return loaders;
}
