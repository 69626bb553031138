// Read-model writers of the hazard and whistleblower workflows (domain/hazard.ts → schema/entities/hazard.ts), and
// the quarterly circular. Each snapshot writes, in one transaction, the workflow's columns of its row from its whole
// state, guarded by `revision` (an older or equal revision writes nothing, so a retry is harmless), and the audit
// entry of the change that produced the state. What entry fixed (the API inserts it) is written only when the row
// is missing (a workflow started without the API, as in tests and recovery).
import type { EntityManager } from '@mikro-orm/postgresql';
import { regionPrefix } from '../domain/access.js';
import { SECTORS } from '../domain/case.js';
import { activeSupervision, enforcementAdvice, hazardWorkflowId, whistleblowerWorkflowId, type HazardState, type WhistleblowerState } from '../domain/hazard.js';
import type { HazardCircularRow } from '../schema/entities/hazard.js';
import { audit } from './audit.js';
import { storeOrRefuse } from './failures.js';
import type { ActivityDeps } from './index.js';
import type { CampaignSnapshotInput } from './types.js';

type Row = Record<string, unknown>;

/**
 * Inserts one row given as JSON (keys = column names, typed by `types`; `extra` adds computed columns as SQL over
 * `r`), or on a key conflict sets only `update`, when the stored revision is older. Returns whether it wrote.
 */
async function upsertGuarded(em: EntityManager, table: string, types: Record<string, string>, extra: Record<string, string>, row: Row, update: string[]): Promise<boolean> {
  const columns = [...Object.keys(types), ...Object.keys(extra)].map((c) => `"${c}"`);
  const values = [...Object.keys(types).map((c) => `r."${c}"`), ...Object.values(extra)];
  const definitions = Object.entries(types).map(([c, t]) => `"${c}" ${t}`);
  const sql = `insert into "${table}" (${columns.join(', ')})
    select ${values.join(', ')} from jsonb_to_record(?::jsonb) as r(${definitions.join(', ')})
    on conflict ("id") do update set ${update.map((c) => `"${c}" = excluded."${c}"`).join(', ')}
    where "${table}"."revision" < excluded."revision" returning 1 as written`;
  const written = await em.execute<{ written: number }[]>(sql, [JSON.stringify(row)]);
  return written.length > 0;
}

const HAZARD_COLUMNS = {
  id: 'uuid',
  workflow_id: 'text',
  enterprise_id: 'uuid',
  sector: 'varchar(32)',
  grade: 'varchar(16)',
  source: 'varchar(16)',
  region_code: 'varchar(12)',
  supervising_department_id: 'uuid',
  judgement_basis: 'text',
  description: 'text',
  evidence: 'text',
  reported_at: 'timestamptz',
  reported_by: 'text',
  origin: 'jsonb',
  origin_evaluation_id: 'uuid',
  origin_campaign_id: 'uuid',
  stage: 'varchar(16)',
  revision: 'int',
  plan: 'jsonb',
  funds_yuan: 'numeric(18,2)',
  deadline_on: 'date',
  due_at: 'timestamptz',
  overdue: 'boolean',
  overdue_notices: 'int',
  fixed_at_once_at: 'timestamptz',
  accepted_at: 'timestamptz',
  closed_at: 'timestamptz',
  supervision: 'jsonb',
  supervised: 'boolean',
  accident_id: 'uuid',
  suspected_crime: 'jsonb',
  advice: 'varchar(32)',
  advice_reason: 'text',
  decision: 'jsonb',
  extensions: 'jsonb',
  submissions: 'jsonb',
  updated_at: 'timestamptz',
};
/** The hazard workflow's columns: everything but what entry fixed. */
const HAZARD_WORKFLOW_COLUMNS = [
  'stage',
  'revision',
  'plan',
  'funds_yuan',
  'deadline_on',
  'due_at',
  'overdue',
  'overdue_notices',
  'fixed_at_once_at',
  'accepted_at',
  'closed_at',
  'supervision',
  'supervised',
  'accident_id',
  'suspected_crime',
  'advice',
  'advice_reason',
  'decision',
  'extensions',
  'submissions',
  'updated_at',
];

/** The hazard row as the state makes it (the advice of the state included). */
export function hazardRow(state: HazardState, now: Date): Row {
  const c = state.case;
  const advice = enforcementAdvice(state);
  return {
    id: c.hazardId,
    workflow_id: hazardWorkflowId(c.hazardId),
    enterprise_id: c.enterpriseId,
    sector: c.sector,
    grade: c.grade,
    source: c.source,
    region_code: c.regionCode,
    supervising_department_id: c.supervisingDepartmentId,
    judgement_basis: c.judgementBasis,
    description: c.description,
    evidence: c.evidence,
    reported_at: c.reportedAt,
    reported_by: c.reportedBy,
    origin: c.origin ?? null,
    origin_evaluation_id: c.origin?.kind === 'EVALUATION' ? c.origin.evaluationId : null,
    origin_campaign_id: c.origin?.kind === 'CAMPAIGN' ? c.origin.campaignId : null,
    stage: state.stage,
    revision: state.revision,
    plan: state.plan ?? null,
    funds_yuan: state.plan?.funds ?? null,
    deadline_on: state.deadlineOn ?? null,
    due_at: state.dueAt ?? null,
    overdue: state.overdue,
    overdue_notices: state.overdueNotices,
    fixed_at_once_at: state.fixedAtOnce?.at ?? null,
    accepted_at: state.acceptedAt ?? null,
    closed_at: state.closedAt ?? null,
    supervision: state.supervision ?? null,
    supervised: Boolean(activeSupervision(state)),
    accident_id: state.accidentId ?? null,
    suspected_crime: state.suspectedCrime ?? null,
    advice: advice.advice,
    advice_reason: advice.reason,
    decision: state.decision ?? null,
    extensions: state.extensions,
    submissions: state.submissions,
    updated_at: now.toISOString(),
  };
}

const REPORT_COLUMNS = {
  id: 'uuid',
  workflow_id: 'text',
  receipt_hash: 'varchar(64)',
  region_code: 'varchar(12)',
  handling_region_code: 'varchar(12)',
  handling_office_name: 'text',
  sector: 'varchar(32)',
  enterprise_name: 'text',
  description: 'text',
  reporter: 'jsonb',
  received_at: 'timestamptz',
  stage: 'varchar(16)',
  revision: 'int',
  dispatch: 'jsonb',
  dispatched_department_id: 'uuid',
  verification: 'jsonb',
  hazard_id: 'uuid',
  reward: 'jsonb',
  closed_at: 'timestamptz',
};
const REPORT_WORKFLOW_COLUMNS = ['stage', 'revision', 'dispatch', 'dispatched_department_id', 'verification', 'hazard_id', 'reward', 'closed_at'];

export function whistleblowerRow(state: WhistleblowerState): Row {
  const r = state.report;
  return {
    id: r.reportId,
    workflow_id: whistleblowerWorkflowId(r.reportId),
    receipt_hash: r.receiptHash,
    region_code: r.regionCode,
    handling_region_code: r.handlingRegionCode,
    handling_office_name: r.handlingOfficeName,
    sector: r.sector ?? null,
    enterprise_name: r.enterpriseName ?? null,
    description: r.description,
    reporter: r.reporter ?? null,
    received_at: r.receivedAt,
    stage: state.stage,
    revision: state.revision,
    dispatch: state.dispatch ?? null,
    dispatched_department_id: state.dispatch?.departmentId ?? null,
    verification: state.verification ?? null,
    hazard_id: state.verification?.hazardId ?? null,
    reward: state.reward ?? null,
    closed_at: state.closedAt ?? null,
  };
}

/** The region's id by its code (the row names both; a missing region fails the insert's not-null constraint). */
const REGION_ID = { region_id: `(select "id" from "region" where "code" = r."region_code")` };

/** China midnight of the first day of a quarter, as SQL over a year and quarter (1-4; quarter 5 = next year's first). */
function quarterStart(year: number, quarter: number): string {
  const y = year + Math.floor((quarter - 1) / 4);
  const q = ((quarter - 1) % 4) + 1;
  const month = String((q - 1) * 3 + 1).padStart(2, '0');
  return `${y}-${month}-01T00:00:00+08:00`;
}

export interface CircularInput {
  regionCode: string;
  year: number;
  quarter: number;
}

export function createHazardActivities({ orm }: ActivityDeps) {
  return {
    /** Writes the hazard workflow's columns of its `hazard` row, with the change's audit entry (subject 'hazard', the workflow id). */
    async saveHazardSnapshot(input: CampaignSnapshotInput<HazardState>): Promise<void> {
      const { state, change } = input;
      await storeOrRefuse('the hazard', () =>
        orm.em.fork().transactional(async (em) => {
          await upsertGuarded(em, 'hazard', HAZARD_COLUMNS, REGION_ID, hazardRow(state, new Date()), HAZARD_WORKFLOW_COLUMNS);
          await audit(em, 'hazard', hazardWorkflowId(state.case.hazardId), state.revision, change, state);
        }),
      );
    },

    /** Writes the report workflow's columns of its `whistleblower_report` row, with the change's audit entry. */
    async saveWhistleblowerSnapshot(input: CampaignSnapshotInput<WhistleblowerState>): Promise<void> {
      const { state, change } = input;
      await storeOrRefuse('the whistleblower report', () =>
        orm.em.fork().transactional(async (em) => {
          await upsertGuarded(em, 'whistleblower_report', REPORT_COLUMNS, REGION_ID, whistleblowerRow(state), REPORT_WORKFLOW_COLUMNS);
          await audit(em, 'whistleblower-report', whistleblowerWorkflowId(state.report.reportId), state.revision, change, state);
        }),
      );
    },

    /**
     * The quarterly progress circular and dispatch table (季度通报, 调度表) of a region and everything under it, per
     * sector, counted from the start of the year to the end of the quarter (China time), in one statement over
     * `hazard`: found (entered), rectified (closed, 销号, by the quarter's end), overdue (not closed by then and its
     * deadline passed), the rectification rate, and the planned funds. Stored (produced again: replaced); returns the rows.
     */
    async produceHazardCircular(input: CircularInput): Promise<{ id: string; rows: HazardCircularRow[] }> {
      const { regionCode, year, quarter } = input;
      if (!/^\d{6,12}$/.test(regionCode) || !Number.isInteger(year) || year < 2000 || year > 2100 || !Number.isInteger(quarter) || quarter < 1 || quarter > 4) {
        throw new Error(`no circular for ${regionCode} ${year} Q${quarter}`);
      }
      const from = `${year}-01-01T00:00:00+08:00`;
      const until = quarterStart(year, quarter + 1);
      const em = orm.em.fork();
      const figures = dispatchFigures(regionCode, from, until);
      const [stored] = await em.execute<{ id: string; rows: HazardCircularRow[] }[]>(
        `with ${figures.ctes}
         insert into hazard_circular (id, region_code, year, quarter, produced_at, rows)
         select gen_random_uuid(), ?::varchar(12), ?::int, ?::int, now(), coalesce(jsonb_agg(jsonb_build_object(
                  'sector', sector, 'found', found, 'rectified', rectified, 'overdue', overdue,
                  'rectificationRate', rectification_rate, 'fundsYuan', funds::text) order by ord), '[]'::jsonb)
           from per_sector
         on conflict (region_code, year, quarter) do update set rows = excluded.rows, produced_at = excluded.produced_at
         returning id, rows`,
        [...figures.params, regionCode, year, quarter],
      );
      return stored!;
    },
  };
}

/**
 * The dispatch table's figures per sector (003 §三 组织保障(三)), as the CTEs `h` and `per_sector` (sector, ord,
 * found, rectified, overdue, funds, rectification_rate), in 003's order of the twelve sectors: the hazards of the
 * region and every region under it entered from `from` until `until`; rectified = closed by `until`; overdue = not
 * closed by `until` and past the deadline; funds of the plans. One statement for the stored circular
 * (`produceHazardCircular`) and the live table (api/hazard-circular), so the two cannot count differently.
 */
export function dispatchFigures(regionCode: string, from: Date | string, until: Date | string): { ctes: string; params: unknown[] } {
  return {
    ctes: `h as (
           select sector, closed_at is not null and closed_at < ?::timestamptz as rectified,
                  (closed_at is null or closed_at >= ?::timestamptz) and due_at is not null and due_at < ?::timestamptz as overdue,
                  coalesce(funds_yuan, 0) as funds
             from hazard
            where region_code like ?::text and reported_at >= ?::timestamptz and reported_at < ?::timestamptz
         ), per_sector as (
           select s.sector, s.ord, count(h.sector)::int as found, count(*) filter (where h.rectified)::int as rectified,
                  count(*) filter (where h.overdue)::int as overdue, coalesce(sum(h.funds), 0)::numeric(18,2) as funds,
                  case when count(h.sector) = 0 then null else round((count(*) filter (where h.rectified))::numeric / count(h.sector), 4)::text end as rectification_rate
             from jsonb_array_elements_text(?::jsonb) with ordinality as s(sector, ord) left join h on h.sector = s.sector
            group by s.sector, s.ord
         )`,
    params: [until, until, until, `${regionPrefix(regionCode)}%`, from, until, JSON.stringify(SECTORS)],
  };
}
