import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CampaignScope } from '../../domain/access.js';
import type {
  CampaignClock,
  CampaignDimension,
  CampaignKind,
  CampaignStage,
  Deadline,
  Grade,
  Inspection,
  LookBack,
  Preparation,
  RectificationPlan,
  ReviewMethod,
} from '../../domain/campaign.js';
import { SECTORS, type Sector } from '../../domain/case.js';
import type { Context } from '../context.js';
import { READ_TABLES, selectFrom, toRows, type AuditEntryRow, type Loaders, type TableSpec } from '../loaders.js';

// The campaign read model (schema/entities/campaign.ts) as plain rows, like api/loaders.ts reads cases: one
// statement per relation for every campaign a request reads, never one per row. Campaigns are few and small
// (a district's towns and sectors), so each relation is read whole per campaign and filtered in memory.

const snake = (property: string): string => property.replace(/[A-Z]/g, (l) => `_${l.toLowerCase()}`);

/** As api/loaders.ts: timestamps travel as epoch milliseconds, dates as text (YYYY-MM-DD), references as `{ id }`. */
function spec(table: string, columns: string[], options: { refs?: Record<string, string>; dates?: string[]; days?: string[] } = {}): TableSpec {
  return {
    table,
    columns: Object.fromEntries([
      ...columns.map((c) => [c, `$t.${snake(c)}`]),
      ...(options.dates ?? []).map((c) => [c, `date_part('epoch', $t.${snake(c)}) * 1000`]),
      ...(options.days ?? []).map((c) => [c, `$t.${snake(c)}::text`]),
    ]),
    refs: options.refs ?? {},
    dates: options.dates ?? [],
  };
}

export const CAMPAIGN_TABLES = {
  campaign: spec(
    'campaign',
    [
      'id', 'workflowId', 'name', 'kind', 'year', 'districtCode', 'stage', 'fullPath', 'revision', 'overdue', 'overdueClocks', 'deadlines',
      'preparation', 'assessment', 'inspections', 'dimensions', 'profileId', 'profileVersion',
    ],
    { refs: { districtRegion: 'district_region_id' }, dates: ['nextDueAt', 'registeredAt', 'closedAt'], days: ['startsOn', 'endsOn'] },
  ),
  sector: spec(
    'campaign_sector',
    [
      'sector', 'townCodes', 'workflowId', 'overdue', 'revision', 'reviewStage', 'methods', 'overallReport', 'townGrades', 'submittedBy', 'approvedBy',
      'returns', 'reviewRevision',
    ],
    { refs: { campaign: 'campaign_id', leadDepartment: 'lead_department_id' }, dates: ['submittedAt', 'approvedAt'] },
  ),
  town: spec(
    'campaign_town',
    [
      'townCode', 'sectors', 'workflowId', 'overdue', 'plan', 'revision', 'selfStage', 'report', 'targetTasks', 'hazardRectifications', 'typicalPractices',
      'submittedBy', 'approvedBy', 'returns', 'selfRevision',
    ],
    { refs: { campaign: 'campaign_id', townRegion: 'town_region_id' }, dates: ['submittedAt', 'approvedAt'] },
  ),
  report: spec('campaign_report', ['id', 'stage', 'sector', 'kind', 'unit', 'text'], { refs: { campaign: 'campaign_id' }, dates: ['submittedAt', 'approvedAt'] }),
  grade: spec('campaign_grade', ['id', 'year', 'unitKind', 'unit', 'sector', 'grade', 'priority', 'veto'], {
    refs: { campaign: 'campaign_id', townRegion: 'town_region_id' },
    dates: ['gradedAt'],
  }),
  extension: spec('campaign_extension', ['id', 'clock', 'requestedBy', 'requestingUnit', 'explanation', 'decidedBy', 'approved', 'reason'], {
    refs: { campaign: 'campaign_id' },
    dates: ['requestedAt', 'decidedAt'],
    days: ['untilOn'],
  }),
  lookBack: spec('campaign_look_back', ['id', 'workflowId', 'townCode', 'sector', 'reason', 'scheduledBy', 'stage', 'findings', 'resolved', 'revision'], {
    refs: { campaign: 'campaign_id' },
    dates: ['dueSince', 'recordedAt'],
    days: ['scheduledOn'],
  }),
} as const;

interface Ref {
  id: string;
}

type Returns = { at: string; reason: string }[];

export interface CampaignRow {
  id: string;
  workflowId: string;
  name: string;
  kind: CampaignKind;
  startsOn: string;
  endsOn: string;
  year: number;
  districtRegion: Ref;
  districtCode: string;
  stage: CampaignStage;
  fullPath: boolean;
  revision: number;
  overdue: boolean;
  overdueClocks: CampaignClock[];
  deadlines: Deadline[];
  nextDueAt: Date | null;
  preparation: Preparation | null;
  assessment: { submittedAt: string; submittedBy: string; approvedAt?: string; approvedBy?: string; returns: Returns } | null;
  inspections: Inspection[];
  dimensions: CampaignDimension[];
  profileId: string;
  profileVersion: string;
  registeredAt: Date;
  closedAt: Date | null;
}

export interface CampaignSectorRow {
  campaign: Ref;
  sector: Sector;
  leadDepartment: Ref;
  townCodes: string[];
  workflowId: string;
  submittedAt: Date | null;
  approvedAt: Date | null;
  overdue: boolean;
  revision: number;
  reviewStage: 'REVIEWING' | 'AWAITING_APPROVAL' | 'APPROVED';
  methods: { method: ReviewMethod; on: string; summary: string; recordedBy: string }[];
  overallReport: string | null;
  townGrades: { townCode: string; grade: Grade }[] | null;
  submittedBy: string | null;
  approvedBy: string | null;
  returns: Returns;
  reviewRevision: number;
}

export interface CampaignTownRow {
  campaign: Ref;
  townCode: string;
  townRegion: Ref;
  sectors: Sector[];
  workflowId: string;
  submittedAt: Date | null;
  approvedAt: Date | null;
  overdue: boolean;
  plan: RectificationPlan | null;
  revision: number;
  selfStage: 'DRAFTING' | 'AWAITING_APPROVAL' | 'APPROVED';
  report: string | null;
  targetTasks: string[] | null;
  hazardRectifications: string[] | null;
  typicalPractices: string[] | null;
  submittedBy: string | null;
  approvedBy: string | null;
  returns: Returns;
  selfRevision: number;
}

export interface CampaignReportRow {
  id: string;
  campaign: Ref;
  stage: 'SECTOR_REVIEW' | 'ASSESSMENT';
  sector: Sector | null;
  kind: 'OVERALL' | 'SUB';
  unit: string | null;
  text: string;
  submittedAt: Date;
  approvedAt: Date | null;
}

export interface CampaignGradeRow {
  id: string;
  campaign: Ref;
  year: number;
  unitKind: 'TOWN' | 'SECTOR';
  unit: string;
  townRegion: Ref | null;
  sector: Sector;
  grade: Grade;
  priority: boolean;
  veto: boolean;
  gradedAt: Date;
}

export interface CampaignExtensionRow {
  campaign: Ref;
  id: string;
  clock: CampaignClock;
  requestedAt: Date;
  requestedBy: string;
  requestingUnit: string;
  explanation: string;
  untilOn: string;
  decidedAt: Date | null;
  decidedBy: string | null;
  approved: boolean | null;
  reason: string | null;
}

export interface CampaignLookBackRow {
  campaign: Ref;
  id: string;
  workflowId: string;
  townCode: string;
  sector: Sector;
  reason: LookBack['reason'];
  scheduledOn: string;
  scheduledBy: string;
  stage: 'SCHEDULED' | 'DUE' | 'RECORDED';
  dueSince: Date | null;
  findings: string | null;
  resolved: boolean | null;
  recordedAt: Date | null;
  revision: number;
}

/** What a campaign's access rules read, beside its row: its sectors and towns (api/campaign `campaignScope`). */
export const SCOPE_COLUMNS = (t: string): string[] => [
  `coalesce((select json_agg(json_build_object('sector', s.sector, 'leadDepartmentId', s.lead_department_id, 'townCodes', s.town_codes) order by ${SECTOR_ORDER('s.sector')})
     from campaign_sector s where s.campaign_id = ${t}.id), '[]') as "scopeSectors"`,
  `coalesce((select array_agg(w.town_code order by w.town_code) from campaign_town w where w.campaign_id = ${t}.id), '{}') as "scopeTowns"`,
];

export interface ScopedCampaignRow extends CampaignRow {
  scopeSectors: CampaignScope['sectors'];
  scopeTowns: string[];
}

export function scopeOfCampaign(row: ScopedCampaignRow): CampaignScope {
  return {
    campaignId: row.id,
    districtRegionCode: row.districtCode,
    stage: row.stage,
    fullPath: row.fullPath,
    sectors: row.scopeSectors.map((s) => ({ sector: s.sector, leadDepartmentId: s.leadDepartmentId, townCodes: s.townCodes ?? [] })),
    townCodes: row.scopeTowns ?? [],
  };
}

/** Campaign rows with their access facts: `where` over `t`, in the order given. */
export async function readCampaignRows(em: EntityManager, where: string, params: unknown[], tail = ''): Promise<ScopedCampaignRow[]> {
  const raw = await em.execute<Record<string, unknown>[]>(`${selectFrom(CAMPAIGN_TABLES.campaign, SCOPE_COLUMNS('t'))} where ${where} ${tail}`, params);
  return toRows<ScopedCampaignRow>(CAMPAIGN_TABLES.campaign, raw);
}

/** Sectors in the order of the list of 003 §二 (domain/case.ts), as registration gives them. */
export const SECTOR_ORDER = (column: string): string => `array_position('{${SECTORS.join(',')}}'::text[], ${column}::text)`;

function createCampaignLoaders(em: EntityManager) {
  const query = <T>(spec: TableSpec, where: string, params: unknown[], order: string): Promise<T[]> =>
    em.execute<Record<string, unknown>[]>(`${selectFrom(spec)} where ${where} order by ${order}`, params).then((raw) => toRows<T>(spec, raw));
  const byCampaign = <T extends { campaign: Ref }>(spec: TableSpec, order: string) =>
    new DataLoader<string, T[]>(async (ids) => {
      const rows = await query<T>(spec, 't.campaign_id in (?)', [ids], `t.campaign_id, ${order}`);
      const grouped = new Map<string, T[]>(ids.map((id) => [id, []]));
      for (const row of rows) grouped.get(row.campaign.id)?.push(row);
      return ids.map((id) => grouped.get(id) ?? []);
    });
  const campaign = new DataLoader<string, ScopedCampaignRow | null>(async (ids) => {
    const rows = await readCampaignRows(em, 't.id in (?)', [ids]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
  return {
    campaign,
    sectors: byCampaign<CampaignSectorRow>(CAMPAIGN_TABLES.sector, SECTOR_ORDER('t.sector')),
    towns: byCampaign<CampaignTownRow>(CAMPAIGN_TABLES.town, 't.town_code'),
    reports: byCampaign<CampaignReportRow>(CAMPAIGN_TABLES.report, 't.stage, t.sector nulls first, t.kind desc, t.unit, t.id'),
    grades: byCampaign<CampaignGradeRow>(CAMPAIGN_TABLES.grade, `t.unit_kind desc, ${SECTOR_ORDER('t.sector')}, t.unit`),
    extensions: byCampaign<CampaignExtensionRow>(CAMPAIGN_TABLES.extension, 't.requested_at, t.id'),
    lookBacks: byCampaign<CampaignLookBackRow>(CAMPAIGN_TABLES.lookBack, 't.scheduled_on, t.id'),
    /** Every audit entry of the campaign and its child workflows (subject ids `campaign/<id>` and `campaign/<id>/…`), in order. */
    auditTrail: new DataLoader<string, AuditEntryRow[]>(async (ids) => {
      const subjects = ids.map((id) => `campaign/${id}`);
      const raw = await em.execute<Record<string, unknown>[]>(
        `${selectFrom(READ_TABLES.auditEntry)} where t.subject_type like 'campaign%' and (t.subject_id in (?) or ${subjects.map(() => 't.subject_id like ?').join(' or ')}) order by t.at, t.id`,
        [subjects, ...subjects.map((s) => `${s}/%`)],
      );
      const rows = toRows<AuditEntryRow>(READ_TABLES.auditEntry, raw);
      const grouped = new Map<string, AuditEntryRow[]>(ids.map((id) => [id, []]));
      for (const row of rows) grouped.get(row.subjectId.split('/')[1]!)?.push(row);
      return ids.map((id) => grouped.get(id) ?? []);
    }),
  };
}

export type CampaignLoaders = ReturnType<typeof createCampaignLoaders>;

// Per request, and fresh whenever the request's loaders are (after a change: api/campaign/campaign.service.ts).
const perRequest = new WeakMap<Loaders, CampaignLoaders>();

export function campaignLoaders(ctx: Context): CampaignLoaders {
  let loaders = perRequest.get(ctx.loaders);
  if (!loaders) {
    loaders = createCampaignLoaders(ctx.em);
    perRequest.set(ctx.loaders, loaders);
  }
  return loaders;
}
