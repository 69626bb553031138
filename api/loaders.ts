import DataLoader from 'dataloader';
import type { EntityClass, EntityManager } from '@mikro-orm/postgresql';
import type { CaseScope } from '../domain/access.js';
import type { AccountabilityKind, Sector } from '../domain/case.js';
import type { EvaluationStage, FindingStatus, OnSiteCheckKind, OverdueClock, ReferralKind, SecretPart, TaskStatus, TeamRole } from '../domain/evaluation.js';
import { organiserOf, type AccidentLevel } from '../domain/organiser.js';
import type { ReportList, ReportSection } from '../domain/rule-profiles.js';
import type { NotificationKind } from '../schema/entities/notification.js';
import type { DepartmentKind } from '../schema/entities/organisation.js';
import { Department, Enterprise } from '../schema/entities/index.js';
import { regionTree, type RegionRow, type RegionTree } from './region-tree.js';
import { prepared } from '../infra/prepared.js';

// The read path reads plain rows, not ORM entities: hydrating entities was over half of a page's CPU. A row has
// the entity's field names, and its relations as `{ id }` references, so resolvers read a row and an entity (a
// mutation's result) alike.

export interface Ref {
  id: string;
}

export interface AccidentRow {
  id: string;
  title: string;
  level: AccidentLevel;
  sector: Sector;
  occurredAt: Date;
  locationRegion: Ref;
  enterprise: Ref;
  deaths: number;
  injuries: number;
  directLossYuan: string;
  /** The hazard the accident came from (api/hazard), when the case names one. */
  originHazardId: string | null;
}

export interface InvestigationRow {
  id: string;
  accident: Ref;
  leadDepartment: Ref;
  escalated: boolean;
  listedSupervisionBy: string | null;
  delegatedEvaluationRegion: Ref | null;
}

export interface InvestigationReportRow {
  id: string;
  investigation: Ref;
  documentNo: string;
  approvedAt: Date;
  closedAt: Date | null;
}

export interface MeasureRow {
  id: string;
  report: Ref;
  seq: number;
  text: string;
  responsibleUnits: string[];
}

export interface AccountabilityItemRow {
  id: string;
  report: Ref;
  seq: number;
  kind: AccountabilityKind;
  subject: string;
  recommendation: string;
}

export interface DepartmentRow {
  id: string;
  name: string;
  kind: DepartmentKind;
  region: Ref;
}

export interface EnterpriseRow {
  id: string;
  name: string;
  creditCode: string | null;
  sector: Sector;
  homeRegion: Ref;
}

export interface EvaluationRow {
  id: string;
  accident: Ref;
  profileId: string;
  profileVersion: string;
  organiserRegion: Ref | null;
  assistingRegionIds: string[];
  stage: EvaluationStage;
  opensAt: Date;
  dueAt: Date;
  teamDueAt: Date | null;
  overdue: boolean;
  overdueClocks: OverdueClock[];
  teamFormedAt: Date | null;
  actingLeader: string | null;
  selfEvaluation: { submittedAt: string; submittedBy: string; summary: string; statements: { measureId: string; statement: string }[] } | null;
  documentReviewedAt: Date | null;
  documentReviewSummary: string | null;
  onSiteCompletedAt: Date | null;
  assessedAt: Date | null;
  assessmentSummary: string | null;
  publishedAt: Date | null;
  publicationUrl: string | null;
  filedAt: Date | null;
  filedWith: string | null;
  filingReference: string | null;
  closedAt: Date | null;
}

interface EvaluationChild {
  id: string;
  evaluation: Ref;
}

export interface TeamMemberRow extends EvaluationChild {
  seq: number;
  name: string;
  departmentName: string;
  role: TeamRole;
}

export interface OnSiteCheckRow extends EvaluationChild {
  seq: number;
  kind: OnSiteCheckKind;
  /** China date, YYYY-MM-DD. */
  on: string;
  place: string;
  summary: string;
  recordedBy: string;
}

export interface MeasureFindingRow extends EvaluationChild {
  measure: Ref;
  status: FindingStatus;
  evidence: string;
}

export interface AccountabilityFindingRow extends EvaluationChild {
  item: Ref;
  status: FindingStatus;
  evidence: string;
}

export interface ReferralRow extends EvaluationChild {
  code: string;
  kind: ReferralKind;
  subject: string;
  reason: string;
  outcome: string | null;
  resolvedAt: Date | null;
}

export interface EvaluationReportRow {
  evaluation: Ref;
  sections: Record<ReportSection, string>;
  lists: Partial<Record<ReportList, string[]>>;
  memberMeetingHeldOn: string | null;
  secretParts: SecretPart[];
  submittedAt: Date;
  approvedAt: Date | null;
  approvedBy: string | null;
  returns: { at: string; reason: string }[];
}

export interface RectificationTaskRow extends EvaluationChild {
  measure: Ref;
  assignee: string;
  deadline: Date;
  status: TaskStatus;
  escalatedAt: Date | null;
  escalatedTo: string | null;
  closedAt: Date | null;
  evidence: string | null;
}

export interface NotificationRow {
  id: string;
  subjectId: string;
  kind: NotificationKind;
  recipient: string;
  message: string;
  dueAt: Date | null;
  createdAt: Date;
}

export interface AuditEntryRow {
  id: string;
  at: Date;
  subjectType: 'evaluation' | 'rectification-task' | 'accident';
  subjectId: string;
  revision: number;
  actorId: string;
  actorName: string;
  actorRole: string | null;
  action: string;
  stageBefore: string | null;
  stageAfter: string | null;
  reason: string | null;
  stateHash: string | null;
  previousHash: string | null;
  hmac: string | null;
}

/** How one table is read: its columns (property → SQL), its references (property → id column), its timestamps. */
export interface TableSpec {
  table: string;
  columns: Record<string, string>;
  refs: Record<string, string>;
  dates: string[];
}

const snake = (property: string): string => property.replace(/[A-Z]/g, (l) => `_${l.toLowerCase()}`);

/**
 * `columns` are read as they are; `dates` (timestamptz) travel as epoch milliseconds, since the ORM's driver leaves
 * timestamps as text in the server's format; `expressions` are read as given.
 */
const spec = (
  table: string,
  columns: string[],
  options: { refs?: Record<string, string>; dates?: string[]; expressions?: Record<string, string> } = {},
): TableSpec => ({
  table,
  columns: Object.fromEntries([
    ...columns.map((c) => [c, `$t.${snake(c)}`]),
    ...(options.dates ?? []).map((c) => [c, `date_part('epoch', $t.${snake(c)}) * 1000`]),
    ...Object.entries(options.expressions ?? {}),
  ]),
  refs: options.refs ?? {},
  dates: options.dates ?? [],
});

const TABLES = {
  accident: spec('accident', ['id', 'title', 'level', 'sector', 'deaths', 'injuries', 'originHazardId'], {
    refs: { locationRegion: 'location_region_id', enterprise: 'enterprise_id' },
    dates: ['occurredAt'],
    // Exact decimal: text, never a JSON number.
    expressions: { directLossYuan: '$t.direct_loss_yuan::text' },
  }),
  investigation: spec('investigation', ['id', 'escalated', 'listedSupervisionBy'], {
    refs: { accident: 'accident_id', leadDepartment: 'lead_department_id', delegatedEvaluationRegion: 'delegated_evaluation_region_id' },
  }),
  investigationReport: spec('investigation_report', ['id', 'documentNo'], { refs: { investigation: 'investigation_id' }, dates: ['approvedAt', 'closedAt'] }),
  measure: spec('measure', ['id', 'seq', 'text', 'responsibleUnits'], { refs: { report: 'report_id' } }),
  accountabilityItem: spec('accountability_item', ['id', 'seq', 'kind', 'subject', 'recommendation'], { refs: { report: 'report_id' } }),
  department: spec('department', ['id', 'name', 'kind'], { refs: { region: 'region_id' } }),
  enterprise: spec('enterprise', ['id', 'name', 'creditCode', 'sector'], { refs: { homeRegion: 'home_region_id' } }),
  evaluation: spec(
    'evaluation',
    [
      'id', 'profileId', 'profileVersion', 'assistingRegionIds', 'stage', 'overdue', 'overdueClocks', 'actingLeader', 'selfEvaluation',
      'documentReviewSummary', 'assessmentSummary', 'publicationUrl', 'filedWith', 'filingReference',
    ],
    {
      refs: { accident: 'accident_id', organiserRegion: 'organiser_region_id' },
      dates: ['opensAt', 'dueAt', 'teamDueAt', 'teamFormedAt', 'documentReviewedAt', 'onSiteCompletedAt', 'assessedAt', 'publishedAt', 'filedAt', 'closedAt'],
    },
  ),
  teamMember: spec('team_member', ['id', 'seq', 'name', 'departmentName', 'role'], { refs: { evaluation: 'evaluation_id' } }),
  // A date column stays text (YYYY-MM-DD), as the API shows it.
  onSiteCheck: spec('on_site_check', ['id', 'seq', 'kind', 'place', 'summary', 'recordedBy'], { refs: { evaluation: 'evaluation_id' }, expressions: { on: '$t."on"::text' } }),
  measureFinding: spec('measure_finding', ['id', 'status', 'evidence'], { refs: { evaluation: 'evaluation_id', measure: 'measure_id' } }),
  accountabilityFinding: spec('accountability_finding', ['id', 'status', 'evidence'], { refs: { evaluation: 'evaluation_id', item: 'item_id' } }),
  referral: spec('referral', ['id', 'code', 'kind', 'subject', 'reason', 'outcome'], { refs: { evaluation: 'evaluation_id' }, dates: ['resolvedAt'] }),
  evaluationReport: spec('evaluation_report', ['sections', 'lists', 'secretParts', 'approvedBy', 'returns'], {
    refs: { evaluation: 'evaluation_id' },
    dates: ['submittedAt', 'approvedAt'],
    expressions: { memberMeetingHeldOn: '$t.member_meeting_held_on::text' },
  }),
  rectificationTask: spec('rectification_task', ['id', 'assignee', 'status', 'escalatedTo', 'evidence'], {
    refs: { evaluation: 'evaluation_id', measure: 'measure_id' },
    dates: ['deadline', 'escalatedAt', 'closedAt'],
  }),
  notification: spec('notification', ['id', 'subjectId', 'kind', 'recipient', 'message'], { dates: ['dueAt', 'createdAt'] }),
  auditEntry: spec(
    'audit_entry',
    ['id', 'subjectType', 'subjectId', 'revision', 'actorId', 'actorName', 'actorRole', 'action', 'stageBefore', 'stageAfter', 'reason', 'stateHash', 'previousHash', 'hmac'],
    { dates: ['at'] },
  ),
} as const;

/** The columns of a table read as `alias`: [property, SQL] pairs, references as their id columns. */
export function columnsOf(spec: TableSpec, alias: string): readonly (readonly [string, string])[] {
  // Every page builds its statement from these: made once per table and alias.
  let byAlias = columnsMade.get(spec);
  if (!byAlias) columnsMade.set(spec, (byAlias = new Map()));
  let columns = byAlias.get(alias);
  if (!columns) {
    columns = Object.freeze([
      ...Object.entries(spec.columns).map(([p, sql]) => Object.freeze([p, sql.replaceAll('$t', alias)] as const)),
      ...Object.entries(spec.refs).map(([p, c]) => Object.freeze([p, `${alias}.${c}`] as const)),
    ]);
    byAlias.set(alias, columns);
  }
  return columns;
}

const columnsMade = new WeakMap<TableSpec, Map<string, readonly (readonly [string, string])[]>>();

/** `select … from <table> t`, every column (or those in `only`) under its property name. */
export function selectFrom(spec: TableSpec, extra: string[] = [], only?: ReadonlySet<string> | null): string {
  const columns = columnsOf(spec, 't').filter(([p]) => !only || only.has(p));
  return `select ${[...columns.map(([p, sql]) => `${sql} as "${p}"`), ...extra].join(', ')} from ${spec.table} t`;
}

/** Turns raw rows into rows: id columns into `{ id }` references, timestamps into Dates, in place. */
export function toRows<T>(spec: TableSpec, raw: Record<string, unknown>[]): T[] {
  let refs = refKeys.get(spec);
  if (!refs) refKeys.set(spec, (refs = Object.keys(spec.refs)));
  for (const row of raw) {
    for (const ref of refs) if (row[ref] !== undefined) row[ref] = row[ref] === null ? null : { id: row[ref] };
    for (const date of spec.dates) if (row[date] !== undefined) row[date] = row[date] === null ? null : new Date(row[date] as number);
  }
  return raw as T[];
}

const refKeys = new WeakMap<TableSpec, string[]>();

export const READ_TABLES = TABLES;

type Keyed = Record<string, unknown>;

/** The key a row is grouped under: a scalar column, or the id of a reference. */
function keyOf(row: object, key: string): string {
  const value = (row as Keyed)[key];
  if (value && typeof value === 'object' && 'id' in value) return String((value as Ref).id);
  return String(value);
}

/** What access rules need of a case, and what `CaseScope` is computed from (api/access.ts). */
export interface ScopeFacts {
  /** The accident's id (and its evaluation's). */
  id: string;
  caseLevel: AccidentLevel;
  locationRegionId: string;
  enterpriseId: string;
  homeRegionId: string;
  evaluationId: string | null;
  organiserRegionId: string | null;
  caseStage: EvaluationStage | null;
  published: boolean;
  filed: boolean;
  reportApproved: boolean;
  escalated: boolean | null;
  delegatedRegionId: string | null;
  departmentIds: string[];
}

/** Columns and joins that add a case's access facts (`ScopeFacts`) to a statement, so a page and its facts are one. */
export interface ScopeSql {
  columns: string[];
  joins: string;
}

// A department's officials see the cases it investigated: for anyone else (`needsInvestigatingDepartments`) a
// page leaves this sub-select out (about a third of a list page's execution in PostgreSQL at 100k cases).
const departmentIds = (accidentId: string, needed: boolean) =>
  needed
    ? `coalesce((select array_agg(x.department_id::text order by x.department_id) from investigation ix join investigation_department x on x.investigation_id = ix.id where ix.accident_id = ${accidentId}), '{}') as "departmentIds"`
    : `'{}'::text[] as "departmentIds"`;

/**
 * For a statement over accidents `a`: a case may not be closed yet, so what decides its organiser comes along.
 * `departments`: whether the reader needs the investigating departments (`needsInvestigatingDepartments`).
 */
export function accidentScope(a: string, ev: string, departments = true): ScopeSql {
  return {
    columns: [
      `${a}.level as "caseLevel"`, `${a}.location_region_id as "locationRegionId"`, `${a}.enterprise_id as "enterpriseId"`, `en.home_region_id as "homeRegionId"`,
      `${ev}.id as "evaluationId"`, `${ev}.organiser_region_id as "organiserRegionId"`, `${ev}.stage as "caseStage"`,
      `${ev}.published_at is not null as published`, `${ev}.filed_at is not null as filed`, `coalesce(er.approved_at is not null, false) as "reportApproved"`,
      `i.escalated`, `i.delegated_evaluation_region_id as "delegatedRegionId"`, departmentIds(`${a}.id`, departments),
    ],
    joins:
      `join enterprise en on en.id = ${a}.enterprise_id left join evaluation ${ev} on ${ev}.accident_id = ${a}.id ` +
      `left join evaluation_report er on er.evaluation_id = ${ev}.id left join investigation i on i.accident_id = ${a}.id`,
  };
}

/**
 * For a statement over evaluations `ev` (selecting `id`, `stage` and `organiserRegion` as `selectFrom` names them):
 * a closed case, whose organiser is recorded; the evaluation row carries its accident's location and enterprise
 * (migration read_indexes), so no join. Only what the row does not already hold is added (every column is sent
 * for every row of a page: what repeats costs PostgreSQL, the wire and the parse); `evaluationFacts` completes
 * it. What decides who organises a case not yet closed is not needed. `departments` as for `accidentScope`.
 */
export function evaluationScope(ev: string, departments = true): ScopeSql {
  return {
    columns: [
      `${ev}.location_region_id as "locationRegionId"`, `${ev}.enterprise_id as "enterpriseId"`,
      `${ev}.published_at is not null as published`, `${ev}.filed_at is not null as filed`,
      // A scalar sub-select: an index probe a row (as EXISTS it became a hash of every report).
      `coalesce((select er.approved_at is not null from evaluation_report er where er.evaluation_id = ${ev}.id), false) as "reportApproved"`,
      ...(departments ? [departmentIds(`${ev}.accident_id`, true)] : []),
    ],
    joins: '',
  };
}

/** The access facts of an evaluation row read with `evaluationScope` (raw: references still ids). */
export function evaluationFacts(row: Record<string, unknown>): ScopeFacts {
  return {
    id: row.id as string,
    caseLevel: null as unknown as AccidentLevel,
    locationRegionId: row.locationRegionId as string,
    enterpriseId: row.enterpriseId as string,
    homeRegionId: '',
    evaluationId: row.id as string,
    organiserRegionId: row.organiserRegion as string | null,
    caseStage: row.stage as EvaluationStage,
    published: row.published as boolean,
    filed: row.filed as boolean,
    reportApproved: row.reportApproved as boolean,
    escalated: null,
    delegatedRegionId: null,
    departmentIds: (row.departmentIds as string[] | undefined) ?? [],
  };
}

/** The access facts of a case, its regions' codes taken from the region tree. */
export function scopeOf(facts: ScopeFacts, tree: RegionTree): CaseScope {
  const organiser = facts.organiserRegionId ? tree.get(facts.organiserRegionId) : null;
  const upper = organiser?.parent ? tree.get(organiser.parent.id) : null;
  let organiserCode = organiser?.code ?? '';
  if (!facts.evaluationId) {
    // Before closure there is no evaluation row: the organiser is the government that investigates (001 §3).
    try {
      const decision = organiserOf({
        level: facts.caseLevel,
        location: tree.path(facts.locationRegionId),
        enterpriseHome: tree.path(facts.homeRegionId),
        escalated: facts.escalated ?? false,
        delegatedTo: facts.delegatedRegionId ? tree.path(facts.delegatedRegionId).at(-1) : undefined,
      });
      organiserCode = decision.organiser?.code ?? '';
    } catch {
      organiserCode = ''; // an inconsistent case graph: nobody is its organiser
    }
  }
  return {
    evaluationId: facts.evaluationId,
    organiserRegionCode: organiserCode,
    upperRegionCode: upper?.code ?? '',
    locationRegionCode: tree.get(facts.locationRegionId)?.code ?? '',
    enterpriseId: facts.enterpriseId,
    departmentIds: facts.departmentIds,
    stage: facts.caseStage,
    reportApproved: facts.reportApproved,
    published: facts.published,
    filed: facts.filed,
  };
}

/**
 * Per-request batching: every field that reads a related row goes through one of these, so a page of N cases
 * costs one statement per relation, not N. Created fresh for each request (never shared between users).
 * `treeVersion` is the region tree's version read with the request's first statement, when there was one.
 */
export function createLoaders(em: EntityManager, treeVersion?: string) {
  // Fixed texts (a table, a key column, an order): prepared statements, the keys one array parameter.
  const query = <T>(spec: TableSpec, where: string, params: unknown[], order = ''): Promise<T[]> =>
    prepared(em, `${selectFrom(spec)} where ${where}${order ? ` order by ${order}` : ''}`, params).then((raw) => toRows<T>(spec, raw));

  // Rows found by any loader are handed to their table's by-id loader, so a row reached two ways is read once.
  const byId = new Map<TableSpec, DataLoader<string, unknown>>();
  const share = (spec: TableSpec, rows: { id?: unknown }[]): void => {
    const loader = byId.get(spec);
    if (loader) for (const row of rows) loader.prime(String(row.id), row);
  };
  const one = <T>(spec: TableSpec, column = 'id') => {
    const loader = new DataLoader<string, T | null>(async (keys) => {
      const rows = await query<T>(spec, `t.${column} = any(?)`, [keys]);
      const key = column === 'id' ? 'id' : Object.keys(spec.refs).find((p) => spec.refs[p] === column)!;
      if (column !== 'id') share(spec, rows as { id?: unknown }[]);
      const byKey = new Map(rows.map((r) => [keyOf(r as object, key), r]));
      return keys.map((k) => byKey.get(k) ?? null);
    });
    if (column === 'id') byId.set(spec, loader as DataLoader<string, unknown>);
    return loader;
  };
  const many = <T>(spec: TableSpec, ref: string, order: string) =>
    new DataLoader<string, T[]>(async (keys) => {
      const column = spec.refs[ref] ?? snake(ref);
      const rows = await query<T>(spec, `t.${column} = any(?)`, [keys], `t.${column}, ${order}`);
      share(spec, rows as { id?: unknown }[]);
      const byKey = new Map<string, T[]>(keys.map((k) => [k, []]));
      for (const row of rows) byKey.get(keyOf(row as object, ref))?.push(row);
      return keys.map((k) => byKey.get(k) ?? []);
    });

  let tree: Promise<RegionTree> | undefined;
  let loaded: RegionTree | undefined;
  const regions = (): Promise<RegionTree> =>
    (tree ??= regionTree(em, treeVersion).then((t) => {
      loaded = t;
      return t;
    }));
  const region = new DataLoader<string, RegionRow | null>(async (ids) => {
    const known = await regions();
    return ids.map((id) => known.get(id));
  });

  const loaders = {
    /** The region tree (shared by the process), at this request's version. */
    regions,
    region,
    /** A region, at once when the request has read the tree already (a page of cases has): no promise per field. */
    regionOf: (id: string): RegionRow | null | Promise<RegionRow | null> => (loaded ? loaded.get(id) : region.load(id)),
    department: one<DepartmentRow>(TABLES.department),
    enterprise: one<EnterpriseRow>(TABLES.enterprise),
    accident: one<AccidentRow>(TABLES.accident),
    measure: one<MeasureRow>(TABLES.measure),
    accountabilityItem: one<AccountabilityItemRow>(TABLES.accountabilityItem),
    investigationByAccident: one<InvestigationRow>(TABLES.investigation, 'accident_id'),
    reportByInvestigation: one<InvestigationReportRow>(TABLES.investigationReport, 'investigation_id'),
    departmentsByInvestigation: new DataLoader<string, DepartmentRow[]>(async (ids) => {
      const rows = await em.execute<Record<string, unknown>[]>(
        `${selectFrom(TABLES.department, ['x.investigation_id as "investigationId"'])} join investigation_department x on x.department_id = t.id where x.investigation_id in (?) order by t.name, t.id`,
        [ids],
      );
      const byInvestigation = new Map<string, DepartmentRow[]>(ids.map((id) => [id, []]));
      // The pivot's column rides along as an extra field; the rest is a department row.
      for (const row of toRows<DepartmentRow & { investigationId?: string }>(TABLES.department, rows)) byInvestigation.get(row.investigationId!)?.push(row);
      return ids.map((id) => byInvestigation.get(id) ?? []);
    }),
    measuresByReport: many<MeasureRow>(TABLES.measure, 'report', 't.seq, t.id'),
    accountabilityByReport: many<AccountabilityItemRow>(TABLES.accountabilityItem, 'report', 't.seq, t.id'),
    evaluation: one<EvaluationRow>(TABLES.evaluation),
    teamByEvaluation: many<TeamMemberRow>(TABLES.teamMember, 'evaluation', 't.seq, t.id'),
    checksByEvaluation: many<OnSiteCheckRow>(TABLES.onSiteCheck, 'evaluation', 't.seq, t.id'),
    // In the report's order of measures and items, as the assessment lists them.
    measureFindingsByEvaluation: many<MeasureFindingRow>(TABLES.measureFinding, 'evaluation', '(select m.seq from measure m where m.id = t.measure_id), t.id'),
    accountabilityFindingsByEvaluation: many<AccountabilityFindingRow>(TABLES.accountabilityFinding, 'evaluation', '(select i.seq from accountability_item i where i.id = t.item_id), t.id'),
    referralsByEvaluation: many<ReferralRow>(TABLES.referral, 'evaluation', 't.code, t.id'),
    reportByEvaluation: new DataLoader<string, EvaluationReportRow | null>(async (ids) => {
      const rows = await query<EvaluationReportRow>(TABLES.evaluationReport, 't.evaluation_id = any(?)', [ids]);
      const byKey = new Map(rows.map((r) => [r.evaluation.id, r]));
      return ids.map((id) => byKey.get(id) ?? null);
    }),
    tasksByEvaluation: many<RectificationTaskRow>(TABLES.rectificationTask, 'evaluation', 't.deadline, t.id'),
    notificationsBySubject: many<NotificationRow>(TABLES.notification, 'subjectId', 't.created_at, t.id'),
    auditBySubject: many<AuditEntryRow>(TABLES.auditEntry, 'subjectId', 't.id'),
    /** Access facts of cases, by accident id (api/access.ts `caseScope`). */
    scope: new DataLoader<string, CaseScope | null>(async (ids) => {
      const scope = accidentScope('a', 'ev');
      const sql = `select a.id, ${scope.columns.join(', ')} from accident a ${scope.joins} where a.id = any(?::uuid[])`;
      const [facts, known] = await Promise.all([prepared<ScopeFacts>(em, sql, [ids]), regions()]);
      const byId = new Map(facts.map((f) => [f.id, f]));
      return ids.map((id) => {
        const f = byId.get(id);
        return f ? scopeOf(f, known) : null;
      });
    }),
    /**
     * Access facts a page's statement read along (`accidentScope`, `evaluationScope`) are handed to the scope
     * loader; returns them, in order, for the page to decide its rows' views at once (api/access.ts `viewWith`).
     */
    primeScopes: async (facts: ScopeFacts[]): Promise<CaseScope[]> => {
      const known = await regions();
      return facts.map((f) => {
        const scope = scopeOf(f, known);
        loaders.scope.prime(f.id, scope);
        return scope;
      });
    },
    /** Rows a query already read (a page of accidents, say) are handed to the loaders. */
    prime: (entity: EntityClass<object> | TableSpec, rows: object[]): void => {
      const spec = 'table' in entity ? entity : ENTITY_TABLES.get(entity as EntityClass<object>);
      if (spec) share(spec, rows as { id?: unknown }[]);
    },
  };
  return loaders;
}

// What callers that hold entities (api/intake) prime the loaders with.
const ENTITY_TABLES = new Map<EntityClass<object>, TableSpec>([
  [Department as EntityClass<object>, TABLES.department],
  [Enterprise as EntityClass<object>, TABLES.enterprise],
]);

export type Loaders = ReturnType<typeof createLoaders>;

export type { RegionRow };
