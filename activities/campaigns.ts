// Read-model writers of the campaign workflows (domain/campaign.ts → schema/entities/campaign.ts). Each writes,
// in one transaction, the rows and columns its workflow owns from the workflow's whole state, guarded by that
// writer's revision column (an older or equal revision writes nothing, so a retry is harmless), and the audit
// entry of the change that produced the state. Campaigns are few: a snapshot per change is cheap.
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  campaignWorkflowId,
  campaignYear,
  nextDueAt,
  sectorWorkflowId,
  townWorkflowId,
  type CampaignState,
  type LookBackState,
  type SectorReviewState,
  type TownSelfEvaluationState,
} from '../domain/campaign.js';
import { audit } from './audit.js';
import { storeOrRefuse } from './failures.js';
import type { ActivityDeps } from './index.js';
import type { CampaignSnapshotInput } from './types.js';

type Row = Record<string, unknown>;

/**
 * One statement that inserts `rows` (given as JSON, keys = column names, typed by `types`) and, on a key conflict,
 * sets only `update` when `guard` holds. Returns how many rows were inserted or updated. A conflicting row is
 * locked whether or not the guard holds, so writers of one row are serialised until the transaction ends.
 */
async function upsert(
  em: EntityManager,
  table: string,
  types: Record<string, string>,
  key: string[],
  rows: Row[],
  on: { update: string[]; guard?: string } | 'nothing',
): Promise<number> {
  if (!rows.length) return 0;
  const columns = Object.keys(types).map((c) => `"${c}"`);
  const definitions = Object.entries(types).map(([c, t]) => `"${c}" ${t}`);
  const conflict =
    on === 'nothing'
      ? 'do nothing'
      : `do update set ${on.update.map((c) => `"${c}" = excluded."${c}"`).join(', ')}${on.guard ? ` where ${on.guard}` : ''}`;
  const sql = `insert into "${table}" (${columns.join(', ')})
    select ${columns.join(', ')} from jsonb_to_recordset(?::jsonb) as r(${definitions.join(', ')})
    on conflict (${key.map((c) => `"${c}"`).join(', ')}) ${conflict} returning 1 as written`;
  const written = await em.execute<{ written: number }[]>(sql, [JSON.stringify(rows)]);
  return written.length;
}

const CAMPAIGN_COLUMNS = {
  id: 'uuid',
  workflow_id: 'text',
  name: 'text',
  kind: 'varchar(16)',
  starts_on: 'date',
  ends_on: 'date',
  year: 'int',
  district_region_id: 'uuid',
  district_code: 'varchar(12)',
  dimensions: 'text[]',
  profile_id: 'text',
  profile_version: 'text',
  stage: 'varchar(32)',
  full_path: 'boolean',
  revision: 'int',
  overdue: 'boolean',
  overdue_clocks: 'text[]',
  deadlines: 'jsonb',
  next_due_at: 'timestamptz',
  preparation: 'jsonb',
  assessment: 'jsonb',
  inspections: 'jsonb',
  closed_at: 'timestamptz',
  updated_at: 'timestamptz',
};
/** What registration fixed (the API inserts them) stays; the workflow's columns follow its state. */
const CAMPAIGN_WORKFLOW_COLUMNS = ['stage', 'full_path', 'revision', 'overdue', 'overdue_clocks', 'deadlines', 'next_due_at', 'preparation', 'assessment', 'inspections', 'closed_at', 'updated_at'];

const TOWN_COLUMNS = {
  campaign_id: 'uuid',
  town_code: 'varchar(12)',
  town_region_id: 'uuid',
  sectors: 'text[]',
  workflow_id: 'text',
  submitted_at: 'timestamptz',
  approved_at: 'timestamptz',
  overdue: 'boolean',
  plan: 'jsonb',
  revision: 'int',
  self_stage: 'varchar(32)',
  report: 'text',
  target_tasks: 'jsonb',
  hazard_rectifications: 'jsonb',
  typical_practices: 'jsonb',
  submitted_by: 'text',
  approved_by: 'text',
  returns: 'jsonb',
  self_revision: 'int',
};
const TOWN_PARENT_COLUMNS = ['town_region_id', 'sectors', 'workflow_id', 'submitted_at', 'approved_at', 'overdue', 'plan', 'revision'];
const TOWN_CHILD_COLUMNS = ['self_stage', 'report', 'target_tasks', 'hazard_rectifications', 'typical_practices', 'submitted_by', 'approved_by', 'returns', 'self_revision'];
/** The town workflow's columns before its first write, for a row the campaign creates. */
const TOWN_CHILD_DEFAULTS = { self_stage: 'DRAFTING', report: null, target_tasks: null, hazard_rectifications: null, typical_practices: null, submitted_by: null, approved_by: null, returns: [], self_revision: 0 };

const SECTOR_COLUMNS = {
  campaign_id: 'uuid',
  sector: 'varchar(32)',
  lead_department_id: 'uuid',
  town_codes: 'text[]',
  workflow_id: 'text',
  submitted_at: 'timestamptz',
  approved_at: 'timestamptz',
  overdue: 'boolean',
  revision: 'int',
  review_stage: 'varchar(32)',
  methods: 'jsonb',
  overall_report: 'text',
  town_grades: 'jsonb',
  submitted_by: 'text',
  approved_by: 'text',
  returns: 'jsonb',
  review_revision: 'int',
};
const SECTOR_PARENT_COLUMNS = ['lead_department_id', 'town_codes', 'workflow_id', 'submitted_at', 'approved_at', 'overdue', 'revision'];
const SECTOR_CHILD_COLUMNS = ['review_stage', 'methods', 'overall_report', 'town_grades', 'submitted_by', 'approved_by', 'returns', 'review_revision'];
const SECTOR_CHILD_DEFAULTS = { review_stage: 'REVIEWING', methods: [], overall_report: null, town_grades: null, submitted_by: null, approved_by: null, returns: [], review_revision: 0 };

const REPORT_COLUMNS = {
  id: 'text',
  campaign_id: 'uuid',
  stage: 'varchar(16)',
  sector: 'varchar(32)',
  kind: 'varchar(8)',
  unit: 'text',
  text: 'text',
  submitted_at: 'timestamptz',
  approved_at: 'timestamptz',
};

const GRADE_COLUMNS = {
  id: 'text',
  campaign_id: 'uuid',
  year: 'int',
  unit_kind: 'varchar(8)',
  unit: 'text',
  town_region_id: 'uuid',
  sector: 'varchar(32)',
  grade: 'varchar(16)',
  priority: 'boolean',
  veto: 'boolean',
  graded_at: 'timestamptz',
};

const EXTENSION_COLUMNS = {
  campaign_id: 'uuid',
  id: 'varchar(16)',
  clock: 'varchar(32)',
  requested_at: 'timestamptz',
  requested_by: 'text',
  requesting_unit: 'text',
  explanation: 'text',
  until_on: 'date',
  decided_at: 'timestamptz',
  decided_by: 'text',
  approved: 'boolean',
  reason: 'text',
};

const LOOK_BACK_COLUMNS = {
  campaign_id: 'uuid',
  id: 'varchar(16)',
  workflow_id: 'text',
  town_code: 'varchar(12)',
  sector: 'varchar(32)',
  reason: 'varchar(32)',
  scheduled_on: 'date',
  scheduled_by: 'text',
  stage: 'varchar(16)',
  due_since: 'timestamptz',
  findings: 'text',
  resolved: 'boolean',
  recorded_at: 'timestamptz',
  revision: 'int',
};
const LOOK_BACK_CHILD_COLUMNS = ['stage', 'due_since', 'findings', 'resolved', 'recorded_at', 'revision'];

async function writeCampaign(em: EntityManager, state: CampaignState): Promise<boolean> {
  const c = state.case;
  const a = state.assessment;
  const written = await upsert(
    em,
    'campaign',
    CAMPAIGN_COLUMNS,
    ['id'],
    [
      {
        id: c.campaignId,
        workflow_id: campaignWorkflowId(c.campaignId),
        name: c.name,
        kind: c.kind,
        starts_on: c.startsOn,
        ends_on: c.endsOn,
        year: campaignYear(c),
        district_region_id: c.districtRegionId,
        district_code: c.districtRegionCode,
        dimensions: c.dimensions,
        profile_id: c.profile.id,
        profile_version: c.profile.version,
        stage: state.stage,
        full_path: state.fullPath,
        revision: state.revision,
        overdue: state.overdue.length > 0 || state.towns.some((t) => t.overdue) || state.sectors.some((s) => s.overdue),
        overdue_clocks: state.overdue,
        deadlines: state.deadlines,
        next_due_at: nextDueAt(state),
        preparation: state.preparation ?? null,
        // The texts are campaign_report rows.
        assessment: a
          ? { status: a.status, sectorGrades: a.sectorGrades, submittedAt: a.submittedAt, submittedBy: a.submittedBy, approvedAt: a.approvedAt, approvedBy: a.approvedBy, returns: a.returns }
          : null,
        inspections: state.inspections,
        closed_at: state.closedAt ?? null,
        updated_at: new Date().toISOString(),
      },
    ],
    { update: CAMPAIGN_WORKFLOW_COLUMNS, guard: `"campaign"."revision" < excluded."revision"` },
  );
  return written > 0;
}

async function writeCampaignUnits(em: EntityManager, state: CampaignState): Promise<void> {
  const c = state.case;
  const id = c.campaignId;
  const townStatus = new Map(state.towns.map((t) => [t.unit, t]));
  const plans = new Map(state.plans.map((p) => [p.townCode, p]));
  await upsert(
    em,
    'campaign_town',
    TOWN_COLUMNS,
    ['campaign_id', 'town_code'],
    c.towns.map((town) => {
      const status = townStatus.get(town.regionCode);
      return {
        campaign_id: id,
        town_code: town.regionCode,
        town_region_id: town.regionId,
        sectors: c.sectors.filter((s) => s.townCodes.includes(town.regionCode)).map((s) => s.sector),
        workflow_id: status?.workflowId ?? townWorkflowId(id, town.regionCode),
        submitted_at: status?.submittedAt ?? null,
        approved_at: status?.approvedAt ?? null,
        overdue: status?.overdue ?? false,
        plan: plans.get(town.regionCode) ?? null,
        revision: state.revision,
        ...TOWN_CHILD_DEFAULTS,
      };
    }),
    { update: TOWN_PARENT_COLUMNS, guard: `"campaign_town"."revision" < excluded."revision"` },
  );
  const sectorStatus = new Map(state.sectors.map((s) => [s.unit, s]));
  await upsert(
    em,
    'campaign_sector',
    SECTOR_COLUMNS,
    ['campaign_id', 'sector'],
    c.sectors.map((scope) => {
      const status = sectorStatus.get(scope.sector);
      return {
        campaign_id: id,
        sector: scope.sector,
        lead_department_id: scope.leadDepartmentId,
        town_codes: scope.townCodes,
        workflow_id: status?.workflowId ?? sectorWorkflowId(id, scope.sector),
        submitted_at: status?.submittedAt ?? null,
        approved_at: status?.approvedAt ?? null,
        overdue: status?.overdue ?? false,
        revision: state.revision,
        ...SECTOR_CHILD_DEFAULTS,
      };
    }),
    { update: SECTOR_PARENT_COLUMNS, guard: `"campaign_sector"."revision" < excluded."revision"` },
  );
}

/** Grades, extensions and the assessment's reports: the campaign's alone, replaced by each newer snapshot. */
async function writeCampaignRecords(em: EntityManager, state: CampaignState): Promise<void> {
  const c = state.case;
  const id = c.campaignId;
  const townRegion = new Map(c.towns.map((t) => [t.regionCode, t.regionId]));
  await em.execute(`delete from "campaign_grade" where "campaign_id" = ?`, [id]);
  await upsert(
    em,
    'campaign_grade',
    GRADE_COLUMNS,
    ['id'],
    state.grades.map((g) => ({
      id: `${id}/${g.unitKind}/${g.unit}/${g.sector}`,
      campaign_id: id,
      year: campaignYear(c),
      unit_kind: g.unitKind,
      unit: g.unit,
      town_region_id: g.unitKind === 'TOWN' ? (townRegion.get(g.unit) ?? null) : null,
      sector: g.sector,
      grade: g.grade,
      priority: g.priority,
      veto: g.veto,
      graded_at: g.gradedAt,
    })),
    { update: Object.keys(GRADE_COLUMNS) },
  );
  await em.execute(`delete from "campaign_extension" where "campaign_id" = ?`, [id]);
  await upsert(
    em,
    'campaign_extension',
    EXTENSION_COLUMNS,
    ['campaign_id', 'id'],
    state.extensions.map((e) => ({
      campaign_id: id,
      id: e.id,
      clock: e.clock,
      requested_at: e.requestedAt,
      requested_by: e.requestedBy,
      requesting_unit: e.requestingUnit,
      explanation: e.explanation,
      until_on: e.untilOn,
      decided_at: e.decision?.at ?? null,
      decided_by: e.decision?.by ?? null,
      approved: e.decision?.approved ?? null,
      reason: e.decision?.reason ?? null,
    })),
    { update: Object.keys(EXTENSION_COLUMNS) },
  );
  await em.execute(`delete from "campaign_report" where "campaign_id" = ? and "stage" = 'ASSESSMENT'`, [id]);
  const a = state.assessment;
  if (a) {
    const base = { campaign_id: id, stage: 'ASSESSMENT', sector: null, submitted_at: a.submittedAt, approved_at: a.approvedAt ?? null };
    await upsert(
      em,
      'campaign_report',
      REPORT_COLUMNS,
      ['id'],
      [
        { ...base, id: `${id}/ASSESSMENT/OVERALL`, kind: 'OVERALL', unit: null, text: a.overall },
        ...a.subReports.map((r) => ({ ...base, id: `${id}/ASSESSMENT/SUB/${r.unit}`, kind: 'SUB', unit: r.unit, text: r.text })),
      ],
      { update: Object.keys(REPORT_COLUMNS) },
    );
  }
  // The look-back's own workflow writes the rest of its row; the campaign only creates it when scheduled.
  await upsert(
    em,
    'campaign_look_back',
    LOOK_BACK_COLUMNS,
    ['campaign_id', 'id'],
    state.lookBacks.map((l) => ({ ...lookBackFixed(id, l), stage: 'SCHEDULED', due_since: null, findings: null, resolved: null, recorded_at: null, revision: 0 })),
    'nothing',
  );
}

function lookBackFixed(campaignId: string, l: CampaignState['lookBacks'][number]): Row {
  return {
    campaign_id: campaignId,
    id: l.id,
    workflow_id: l.workflowId,
    town_code: l.townCode,
    sector: l.sector,
    reason: l.reason,
    scheduled_on: l.scheduledOn,
    scheduled_by: l.scheduledBy,
  };
}

export function createCampaignActivities({ orm }: ActivityDeps) {
  return {
    /**
     * Writes what the campaign workflow owns: the campaign row (inserted when the API has not registered it), the
     * campaign's columns of every town and sector row, the grades, the extensions, the assessment's reports, and
     * the look-back rows it scheduled; with the change's audit entry (subject 'campaign', the workflow id).
     */
    async saveCampaignSnapshot(input: CampaignSnapshotInput<CampaignState>): Promise<void> {
      const { state, change } = input;
      await storeOrRefuse('the campaign', () =>
        orm.em.fork().transactional(async (em) => {
          if (await writeCampaign(em, state)) {
            await writeCampaignUnits(em, state);
            await writeCampaignRecords(em, state);
          }
          await audit(em, 'campaign', campaignWorkflowId(state.case.campaignId), state.revision, change, state);
        }),
      );
    },

    /** Writes a town's self-evaluation columns of its `campaign_town` row, with the change's audit entry. */
    async saveTownSnapshot(input: CampaignSnapshotInput<TownSelfEvaluationState>): Promise<void> {
      const { state, change } = input;
      const workflowId = townWorkflowId(state.campaignId, state.town.regionCode);
      const d = state.draft;
      await storeOrRefuse('the self-evaluation', () =>
        orm.em.fork().transactional(async (em) => {
          await upsert(
            em,
            'campaign_town',
            TOWN_COLUMNS,
            ['campaign_id', 'town_code'],
            [
              {
                campaign_id: state.campaignId,
                town_code: state.town.regionCode,
                town_region_id: state.town.regionId,
                sectors: state.sectors,
                workflow_id: workflowId,
                // The campaign's columns, until the campaign writes them.
                submitted_at: null,
                approved_at: null,
                overdue: false,
                plan: null,
                revision: 0,
                self_stage: state.stage,
                report: d?.report ?? null,
                target_tasks: d?.targetTasks ?? null,
                hazard_rectifications: d?.hazardRectifications ?? null,
                typical_practices: d?.typicalPractices ?? null,
                submitted_by: d?.submittedBy ?? null,
                approved_by: state.approvedBy ?? null,
                returns: state.returns,
                self_revision: state.revision,
              },
            ],
            { update: TOWN_CHILD_COLUMNS, guard: `"campaign_town"."self_revision" < excluded."self_revision"` },
          );
          await audit(em, 'campaign-town', workflowId, state.revision, change, state);
        }),
      );
    },

    /**
     * Writes a sector's review columns of its `campaign_sector` row and its review's reports (stage
     * SECTOR_REVIEW), with the change's audit entry.
     */
    async saveSectorSnapshot(input: CampaignSnapshotInput<SectorReviewState>): Promise<void> {
      const { state, change } = input;
      const sector = state.scope.sector;
      const workflowId = sectorWorkflowId(state.campaignId, sector);
      const r = state.review;
      await storeOrRefuse('the sector review', () =>
        orm.em.fork().transactional(async (em) => {
          const written = await upsert(
            em,
            'campaign_sector',
            SECTOR_COLUMNS,
            ['campaign_id', 'sector'],
            [
              {
                campaign_id: state.campaignId,
                sector,
                lead_department_id: state.scope.leadDepartmentId,
                town_codes: state.scope.townCodes,
                workflow_id: workflowId,
                submitted_at: null,
                approved_at: null,
                overdue: false,
                revision: 0,
                review_stage: state.stage,
                methods: state.methods,
                overall_report: r?.overall ?? null,
                town_grades: r?.townGrades ?? null,
                submitted_by: r?.submittedBy ?? null,
                approved_by: state.approvedBy ?? null,
                returns: state.returns,
                review_revision: state.revision,
              },
            ],
            { update: SECTOR_CHILD_COLUMNS, guard: `"campaign_sector"."review_revision" < excluded."review_revision"` },
          );
          if (written) {
            await em.execute(`delete from "campaign_report" where "campaign_id" = ? and "stage" = 'SECTOR_REVIEW' and "sector" = ?`, [state.campaignId, sector]);
            if (r) {
              const prefix = `${state.campaignId}/SECTOR_REVIEW/${sector}`;
              const base = { campaign_id: state.campaignId, stage: 'SECTOR_REVIEW', sector, submitted_at: r.submittedAt, approved_at: state.approvedAt ?? null };
              await upsert(
                em,
                'campaign_report',
                REPORT_COLUMNS,
                ['id'],
                [
                  { ...base, id: `${prefix}/OVERALL`, kind: 'OVERALL', unit: null, text: r.overall },
                  ...r.subReports.map((s) => ({ ...base, id: `${prefix}/SUB/${s.unit}`, kind: 'SUB', unit: s.unit, text: s.text })),
                ],
                { update: Object.keys(REPORT_COLUMNS) },
              );
            }
          }
          await audit(em, 'campaign-sector', workflowId, state.revision, change, state);
        }),
      );
    },

    /** Writes a look-back's own columns of its `campaign_look_back` row, with the change's audit entry. */
    async saveLookBackSnapshot(input: CampaignSnapshotInput<LookBackState>): Promise<void> {
      const { state, change } = input;
      const l = state.lookBack;
      await storeOrRefuse('the look-back', () =>
        orm.em.fork().transactional(async (em) => {
          await upsert(
            em,
            'campaign_look_back',
            LOOK_BACK_COLUMNS,
            ['campaign_id', 'id'],
            [
              {
                ...lookBackFixed(state.campaignId, l),
                stage: state.stage,
                due_since: l.dueSince ?? null,
                findings: l.findings ?? null,
                resolved: l.resolved ?? null,
                recorded_at: l.recordedAt ?? null,
                revision: state.revision,
              },
            ],
            { update: LOOK_BACK_CHILD_COLUMNS, guard: `"campaign_look_back"."revision" < excluded."revision"` },
          );
          await audit(em, 'campaign-look-back', l.workflowId, state.revision, change, state);
        }),
      );
    },
  };
}
