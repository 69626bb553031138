import { createHash, randomBytes, randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { GraphQLResolveInfo } from 'graphql';
import {
  allowHazard,
  allowWhistleblower,
  covers,
  MAY_ON_WHISTLEBLOWER,
  PUBLIC_PRINCIPAL,
  regionPrefix,
  whistleblowerAccess,
  type Principal,
  type WhistleblowerOperation,
  type WhistleblowerScope,
} from '../../domain/access.js';
import { chinaDate } from '../../domain/calendar.js';
import { SECTORS, type Sector } from '../../domain/case.js';
import { CAPS } from '../../domain/caps.js';
import { badInput, DomainError } from '../../domain/errors.js';
import {
  canWhistleblowerTransition,
  VERIFICATION_OUTCOMES,
  whistleblowerStatus,
  whistleblowerWorkflowId,
  type Actor,
  type WhistleblowerReport,
  type WhistleblowerState,
  type WhistleblowerStatus,
} from '../../domain/hazard.js';
import { paragraph, recordId, singleLine } from '../../domain/intake.js';
import { checkAllText, checkRecordId, isRecordId, notFound } from '../../domain/text.js';
import { audit } from '../../activities/audit.js';
import * as m from '../../workflows/hazard/messages.js';
import { REGION_CODE, STAGE } from '../../workflows/search-attributes.js';
import { readAs } from '../access.js';
import { actorOf, type Context } from '../context.js';
import { ApiError } from '../errors.js';
import { selects } from '../graph.js';
import { CostBudget, rateLimited } from '../limits.js';
import { createLoaders, READ_TABLES, selectFrom, toRows, type AuditEntryRow, type Loaders } from '../loaders.js';
import { updateIdFor } from '../validation.js';
import { spec } from '../hazard/hazard-loaders.js';
import { actOnHazard, enterHazard, normaliseEntry } from '../hazard/hazard.service.js';
import { executeUpdate } from '../workflow-update.js';
import type {
  DispatchWhistleblowerReportInput,
  RecordWhistleblowerRewardInput,
  RecordWhistleblowerVerificationInput,
  SubmitWhistleblowerReportInput,
} from './whistleblower.inputs.js';

// Whistleblower reports (举报, 003 §三.三): the public submits without an account and keeps a receipt; the handling
// office (the county's safety office) dispatches, the department verifies, the office rewards and closes.

/** The workflow type the worker registers for whistleblower reports (workflows/index.ts). */
export const WHISTLEBLOWER_WORKFLOW = 'whistleblowerReportWorkflow';

/**
 * Reports one client address may submit: a small bucket of its own, apart from the query budget (a report is
 * stored and handled by officials; a query is not). In memory, per API process, like the query budget.
 */
export const WHISTLEBLOWER_BUDGET = { reports: 5, perSeconds: 3600 } as const;
const submissions = new CostBudget(WHISTLEBLOWER_BUDGET.reports, WHISTLEBLOWER_BUDGET.perSeconds);

// ---- rows ----

export const REPORT_TABLE = spec(
  'whistleblower_report',
  [
    'id', 'workflowId', 'regionCode', 'handlingRegionCode', 'handlingOfficeName', 'sector', 'enterpriseName', 'description', 'reporter', 'stage',
    'revision', 'dispatch', 'dispatchedDepartmentId', 'verification', 'hazardId', 'reward',
  ],
  { refs: { region: 'region_id' }, dates: ['receivedAt', 'closedAt'] },
);

export interface ReportRow {
  id: string;
  workflowId: string;
  region: { id: string };
  regionCode: string;
  handlingRegionCode: string;
  handlingOfficeName: string;
  sector: Sector | null;
  enterpriseName: string | null;
  description: string;
  reporter: { name: string; contact: string } | null;
  receivedAt: Date;
  stage: WhistleblowerState['stage'];
  revision: number;
  dispatch: WhistleblowerState['dispatch'] | null;
  dispatchedDepartmentId: string | null;
  verification: WhistleblowerState['verification'] | null;
  hazardId: string | null;
  reward: WhistleblowerState['reward'] | null;
  closedAt: Date | null;
}

export function scopeOfReport(row: ReportRow): WhistleblowerScope {
  return { reportId: row.id, handlingRegionCode: row.handlingRegionCode, dispatchedDepartmentId: row.dispatchedDepartmentId };
}

async function readReportRows(em: EntityManager, where: string, params: unknown[], tail = ''): Promise<ReportRow[]> {
  const raw = await em.execute<Record<string, unknown>[]>(`${selectFrom(REPORT_TABLE)} where ${where} ${tail}`, params);
  return toRows<ReportRow>(REPORT_TABLE, raw);
}

function createReportLoaders(em: EntityManager) {
  return {
    report: new DataLoader<string, ReportRow | null>(async (ids) => {
      const rows = await readReportRows(em, 't.id in (?)', [ids]);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    auditTrail: new DataLoader<string, AuditEntryRow[]>(async (ids) => {
      const subjects = ids.map((id) => whistleblowerWorkflowId(id));
      const raw = await em.execute<Record<string, unknown>[]>(
        `${selectFrom(READ_TABLES.auditEntry)} where t.subject_type = 'whistleblower-report' and t.subject_id in (?) order by t.revision, t.id`,
        [subjects],
      );
      const rows = toRows<AuditEntryRow>(READ_TABLES.auditEntry, raw);
      const grouped = new Map<string, AuditEntryRow[]>(ids.map((id) => [id, []]));
      for (const row of rows) grouped.get(row.subjectId.slice('whistleblower-report/'.length))?.push(row);
      return ids.map((id) => grouped.get(id) ?? []);
    }),
  };
}

const perRequest = new WeakMap<Loaders, ReturnType<typeof createReportLoaders>>();

export function reportLoaders(ctx: Context): ReturnType<typeof createReportLoaders> {
  let loaders = perRequest.get(ctx.loaders);
  if (!loaders) {
    loaders = createReportLoaders(ctx.em);
    perRequest.set(ctx.loaders, loaders);
  }
  return loaders;
}

export interface ReportView {
  row: ReportRow;
  scope: WhistleblowerScope;
  access: 'INSIDER' | 'OFFICIAL';
}

export function viewOfReport(ctx: Context, row: ReportRow): ReportView | null {
  const scope = scopeOfReport(row);
  const access = whistleblowerAccess(ctx.principal, scope);
  return access === 'INSIDER' || access === 'OFFICIAL' ? { row, scope, access } : null;
}

export function visibleReport(ctx: Context, row: ReportRow | null): ReportRow | null {
  const view = row ? viewOfReport(ctx, row) : null;
  return view ? readAs(ctx, { access: view.access, scope: null }, row) : null;
}

export async function reportView(ctx: Context, reportId: string): Promise<ReportView | null> {
  if (!isRecordId(reportId)) return null;
  const row = await reportLoaders(ctx).report.load(reportId.toLowerCase());
  return row ? viewOfReport(ctx, row) : null;
}

async function reread(ctx: Context, reportId: string): Promise<ReportRow> {
  const tree = await ctx.loaders.regions();
  ctx.em.clear();
  ctx.scopes.clear();
  ctx.loaders = createLoaders(ctx.em, tree.version);
  const visible = visibleReport(ctx, await reportLoaders(ctx).report.load(reportId));
  if (!visible) throw notFound('reportId');
  return visible;
}

// ---- the public: submitting, and reading the status with the receipt ----

const receiptHash = (receipt: string): string => createHash('sha256').update(receipt, 'utf8').digest('hex');

/** Receipts are 24 characters of base64url (144 random bits). */
const RECEIPT = /^[A-Za-z0-9_-]{24}$/;

export async function submitWhistleblowerReport(ctx: Context, input: SubmitWhistleblowerReportInput, budgetKey: string): Promise<{ receipt: string; receivedOn: string }> {
  checkAllText(input);
  const regionId = recordId('regionId', input.regionId);
  const tree = await ctx.loaders.regions();
  const region = tree.get(regionId);
  if (!region) throw notFound('regionId');
  const county = region.level === 'COUNTY' ? region : region.level === 'TOWN' && region.parent ? tree.get(region.parent.id) : null;
  if (!county || county.level !== 'COUNTY') throw badInput('regionId', 'name the county (区/县) or town where the hazard is');
  if (input.sector !== undefined && input.sector !== null && !(SECTORS as readonly string[]).includes(input.sector)) {
    throw badInput('sector', `must be one of ${SECTORS.join(', ')}`);
  }
  const description = paragraph('description', input.description, CAPS.text);
  const enterpriseName = typeof input.enterpriseName === 'string' && input.enterpriseName.trim() ? singleLine('enterpriseName', input.enterpriseName) : undefined;
  const reporter = input.reporter
    ? { name: singleLine('reporter.name', input.reporter.name), contact: singleLine('reporter.contact', input.reporter.contact) }
    : undefined;
  // Only a report that would be stored draws from the address's bucket.
  const taken = submissions.take(budgetKey, 1);
  if (!taken.ok) throw rateLimited(taken.retryAfterSeconds);
  const receipt = randomBytes(18).toString('base64url');
  const report: WhistleblowerReport = {
    reportId: randomUUID(),
    receiptHash: receiptHash(receipt),
    regionCode: region.code,
    handlingRegionCode: county.code,
    handlingOfficeName: county.safetyOfficeName,
    ...(input.sector ? { sector: input.sector } : {}),
    ...(enterpriseName ? { enterpriseName } : {}),
    description,
    ...(reporter ? { reporter } : {}),
    receivedAt: new Date().toISOString(),
  };
  await ctx.em.fork().transactional(async (tx) => {
    const workflowId = whistleblowerWorkflowId(report.reportId);
    await tx.execute(
      `insert into whistleblower_report (id, workflow_id, receipt_hash, region_id, region_code, handling_region_code, handling_office_name, sector,
         enterprise_name, description, reporter, received_at, stage, revision)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, 'RECEIVED', 0)`,
      [
        report.reportId, workflowId, report.receiptHash, region.id, region.code, county.code, county.safetyOfficeName, report.sector ?? null,
        report.enterpriseName ?? null, description, reporter ? JSON.stringify(reporter) : null, report.receivedAt,
      ],
    );
    const change = {
      actor: { id: PUBLIC_PRINCIPAL.id, name: PUBLIC_PRINCIPAL.name },
      action: 'RECEIVE',
      stageBefore: null,
      stageAfter: 'RECEIVED',
      at: report.receivedAt,
      payload: { report },
    };
    await audit(tx, 'whistleblower-report' as never, workflowId, 0, change, report, { previous: null });
  });
  await startWhistleblowerWorkflow(ctx.temporal, ctx.taskQueue, report);
  return { receipt, receivedOn: chinaDate(new Date(report.receivedAt)) };
}

export async function startWhistleblowerWorkflow(client: Client, taskQueue: string, report: WhistleblowerReport): Promise<void> {
  const input: m.WhistleblowerWorkflowInput = { report };
  try {
    await client.workflow.start(WHISTLEBLOWER_WORKFLOW, {
      taskQueue,
      workflowId: whistleblowerWorkflowId(report.reportId),
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [input],
      typedSearchAttributes: [
        { key: STAGE, value: 'RECEIVED' },
        { key: REGION_CODE, value: report.handlingRegionCode },
      ],
    });
  } catch (error) {
    if ((error as { name?: string })?.name !== 'WorkflowExecutionAlreadyStartedError') throw error;
  }
}

/**
 * What the receipt shows: the stage, the dates of its steps and the outcome. Any other string — a wrong receipt,
 * a malformed one — reads NOT_FOUND, by the same path (one hash, one indexed lookup).
 */
export async function whistleblowerReportStatusOf(ctx: Context, receipt: string): Promise<WhistleblowerStatus> {
  const hash = receiptHash(typeof receipt === 'string' ? receipt.slice(0, 200) : '');
  const [row] = await ctx.em.execute<{ stage: WhistleblowerState['stage']; receivedAt: string; dispatch: WhistleblowerState['dispatch'] | null; verification: WhistleblowerState['verification'] | null; closedAt: string | null }[]>(
    `select stage, received_at as "receivedAt", dispatch, verification, closed_at as "closedAt" from whistleblower_report where receipt_hash = ?`,
    [hash],
  );
  if (!row || !RECEIPT.test(receipt)) throw notFound('receipt');
  return whistleblowerStatus({
    stage: row.stage,
    report: { receivedAt: new Date(row.receivedAt).toISOString() },
    ...(row.dispatch ? { dispatch: row.dispatch } : {}),
    ...(row.verification ? { verification: row.verification } : {}),
    ...(row.closedAt ? { closedAt: new Date(row.closedAt).toISOString() } : {}),
  });
}

// ---- the handling office and the department ----

const STAGE_NAMES: Record<WhistleblowerState['stage'], string> = {
  RECEIVED: 'received',
  DISPATCHED: 'dispatched',
  VERIFIED: 'verified',
  CLOSED: 'closed',
};

async function authorizeReport(ctx: Context, reportId: string, operation: WhistleblowerOperation): Promise<ReportView> {
  checkRecordId('reportId', reportId);
  const view = await reportView(ctx, reportId);
  if (!view) throw notFound('reportId');
  if (!allowWhistleblower(ctx.principal, operation, view.scope)) {
    throw new ApiError('FORBIDDEN', `${ctx.principal.name} may not ${operation} on this report: ${operation === 'RECORD_VERIFICATION' ? 'the department it was dispatched to, or the handling office, does' : 'the handling office does'}`);
  }
  return view;
}

async function runUpdate<I>(
  ctx: Context,
  view: ReportView,
  operation: WhistleblowerOperation,
  update: UpdateDefinition<m.HazardUpdateResult, [{ actor: Actor; input: I }]>,
  input: I,
  updateId: string | undefined,
): Promise<void> {
  try {
    await executeUpdate(ctx.temporal.workflow.getHandle(view.row.workflowId), update, { args: [{ actor: actorOf(ctx), input }], updateId });
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new DomainError('INVALID_TRANSITION', `${operation} is not possible: the report is ${STAGE_NAMES[view.row.stage]}`);
    throw error;
  }
}

export async function dispatchReport(ctx: Context, { reportId, departmentId }: DispatchWhistleblowerReportInput, key?: string | null): Promise<ReportRow> {
  const updateId = updateIdFor(ctx.principal.id, key);
  const view = await authorizeReport(ctx, reportId, 'DISPATCH_REPORT');
  const id = recordId('departmentId', departmentId);
  const department = await ctx.loaders.department.load(id);
  if (!department) throw notFound('departmentId');
  const region = await ctx.loaders.regionOf(department.region.id);
  if (!region || !covers(view.row.handlingRegionCode, region.code)) {
    throw badInput('departmentId', `${department.name} is not a department of the handling office's region`);
  }
  await runUpdate(ctx, view, 'DISPATCH_REPORT', m.dispatchReportUpdate, { departmentId: id, departmentName: department.name }, updateId);
  return reread(ctx, view.row.id);
}

export async function recordVerification(ctx: Context, input: RecordWhistleblowerVerificationInput, key?: string | null): Promise<ReportRow> {
  const updateId = updateIdFor(ctx.principal.id, key);
  const view = await authorizeReport(ctx, input.reportId, 'RECORD_VERIFICATION');
  if (!(VERIFICATION_OUTCOMES as readonly string[]).includes(input.outcome)) throw badInput('outcome', `must be one of ${VERIFICATION_OUTCOMES.join(', ')}`);
  const findings = paragraph('findings', input.findings, CAPS.text);
  if (input.outcome === 'UNFOUNDED') {
    if (input.hazard) throw badInput('hazard', 'an unfounded report becomes no hazard');
    if (input.supervision) throw badInput('supervision', 'an unfounded report is not listed');
    await runUpdate(ctx, view, 'RECORD_VERIFICATION', m.recordVerificationUpdate, { outcome: 'UNFOUNDED', findings }, updateId);
    return reread(ctx, view.row.id);
  }
  if (!input.hazard) throw badInput('hazard', 'a report found true is entered as a hazard: give the hazard');
  if (input.supervision && input.outcome !== 'LISTED_SUPERVISION') throw badInput('supervision', 'only the outcome LISTED_SUPERVISION lists the hazard');
  // Nothing is entered for a report that is not open for verification, or for a verification the workflow would refuse.
  const state = { stage: view.row.stage } as WhistleblowerState;
  if (!canWhistleblowerTransition(state, 'RECORD_VERIFICATION')) {
    throw new DomainError('INVALID_TRANSITION', `RECORD_VERIFICATION is not possible while the report is ${view.row.stage}`);
  }
  const entry = normaliseEntry(input.hazard, 'hazard');
  if (input.supervision) {
    // The handling office lists it at once; a department verifying leaves the listing to the office.
    const may = ctx.principal.grants.some((g) => g.role === 'SAFETY_OFFICE' && g.regionCode === view.row.handlingRegionCode);
    if (!may) throw new ApiError('FORBIDDEN', `${ctx.principal.name} may not list supervision: the handling office does (listHazardSupervision)`);
  }
  const grant = ctx.principal.grants.find((g) => MAY_ON_WHISTLEBLOWER.RECORD_VERIFICATION(g, view.scope));
  const hazard = await enterHazard(ctx, {
    entry,
    source: 'WHISTLEBLOWER',
    prefix: 'hazard',
    authority: { kind: 'VERIFICATION', reportId: view.row.id, handlingRegionCode: view.row.handlingRegionCode, grant },
  });
  await runUpdate(ctx, view, 'RECORD_VERIFICATION', m.recordVerificationUpdate, { outcome: input.outcome, findings, hazardId: hazard.hazardId }, updateId);
  if (input.supervision) {
    const { documentNo, listedOn } = input.supervision;
    const listing = { regionCode: view.row.handlingRegionCode, officeName: view.row.handlingOfficeName, documentNo, listedOn };
    if (allowHazard(ctx.principal, 'LIST_SUPERVISION', { hazardId: hazard.hazardId, enterpriseId: hazard.enterpriseId, regionCode: hazard.regionCode, supervisingDepartmentId: hazard.supervisingDepartmentId, listingRegionCode: listing.regionCode })) {
      await actOnHazard(ctx, hazard.hazardId, 'LIST_SUPERVISION', m.listSupervisionUpdate, listing, key ? `${key}:list` : undefined, { listingRegionCode: listing.regionCode });
    }
  }
  return reread(ctx, view.row.id);
}

export async function recordReward(ctx: Context, { reportId, amountYuan, note }: RecordWhistleblowerRewardInput, key?: string | null): Promise<ReportRow> {
  const updateId = updateIdFor(ctx.principal.id, key);
  const view = await authorizeReport(ctx, reportId, 'RECORD_REWARD');
  await runUpdate(ctx, view, 'RECORD_REWARD', m.recordRewardUpdate, { amountYuan, note }, updateId);
  return reread(ctx, view.row.id);
}

export async function closeReport(ctx: Context, reportId: string, key?: string | null): Promise<ReportRow> {
  const updateId = updateIdFor(ctx.principal.id, key);
  const view = await authorizeReport(ctx, reportId, 'CLOSE_REPORT');
  await runUpdate(ctx, view, 'CLOSE_REPORT', m.closeReportUpdate, {}, updateId);
  return reread(ctx, view.row.id);
}

// ---- the list ----

/** The SQL side of `whistleblowerAccess` over reports `t`. */
function visibleReportsSql(principal: Principal): { sql: string; params: unknown[] } {
  const anyOf: string[] = [];
  const params: unknown[] = [];
  for (const g of principal.grants) {
    if (g.role === 'SAFETY_OFFICE' && g.regionCode) {
      anyOf.push(`t.handling_region_code like ?`);
      params.push(`${regionPrefix(g.regionCode).replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    if (g.role === 'DEPARTMENT_OFFICIAL' && g.departmentId) {
      anyOf.push('t.dispatched_department_id = ?');
      params.push(g.departmentId);
    }
  }
  return { sql: anyOf.length ? `(${anyOf.join(' or ')})` : 'false', params };
}

const encodeCursor = (row: { receivedAt: Date; id: string }): string => Buffer.from(JSON.stringify([row.receivedAt.toISOString(), row.id])).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || !isRecordId(id)) throw new Error('bad cursor');
    return [at, id];
  } catch {
    throw new ApiError('BAD_USER_INPUT', 'after: not a cursor this API issued', 'after');
  }
}

/** Reports the caller handles or was sent (offices above the handling office too), newest first. */
export async function listReports(ctx: Context, info: GraphQLResolveInfo, first: number, after: string | undefined) {
  if (first < 0 || first > 200) throw new ApiError('BAD_USER_INPUT', 'first: between 0 and 200', 'first');
  const cursor = after ? decodeCursor(after) : undefined;
  const visible = visibleReportsSql(ctx.principal);
  const [rows, count] = await Promise.all([
    readReportRows(
      ctx.em,
      [visible.sql, ...(cursor ? ['(t.received_at, t.id) < (?::timestamptz, ?::uuid)'] : [])].join(' and '),
      [...visible.params, ...(cursor ?? [])],
      `order by t.received_at desc, t.id desc limit ${first + 1}`,
    ),
    selects(info, 'totalCount') ? ctx.em.execute<{ count: string }[]>(`select count(*) from whistleblower_report t where ${visible.sql}`, visible.params) : undefined,
  ]);
  const loaders = reportLoaders(ctx);
  for (const row of rows) loaders.report.prime(row.id, row);
  const nodes = rows.slice(0, first).flatMap((row) => visibleReport(ctx, row) ?? []);
  return {
    edges: nodes.map((node) => ({ cursor: encodeCursor(node), node })),
    pageInfo: { hasNextPage: rows.length > first, endCursor: nodes.length ? encodeCursor(nodes.at(-1)!) : null },
    totalCount: count ? Number(count[0]!.count) : -1,
  };
}

/** Reports received whose workflow never started (the API stopped in between): started by the worker at boot. */
export async function startPendingWhistleblowerReports(em: EntityManager, client: Client, taskQueue: string): Promise<number> {
  const pending = await em.execute<{ payload: { report?: WhistleblowerReport } | null }[]>(
    `select a.payload from whistleblower_report r join audit_entry a on a.subject_type = 'whistleblower-report' and a.subject_id = r.workflow_id and a.revision = 0
      where r.revision = 0`,
  );
  let started = 0;
  for (const row of pending) {
    if (!row.payload?.report) continue;
    await startWhistleblowerWorkflow(client, taskQueue, row.payload.report);
    started++;
  }
  return started;
}
