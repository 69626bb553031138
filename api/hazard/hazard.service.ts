import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import {
  allowHazard,
  allowHazardFromFinding,
  allowHazardReport,
  hazardAccess,
  hazardReportGrant,
  type HazardOperation,
  type HazardScope,
  type RoleGrant,
} from '../../domain/access.js';
import { SECTORS, type Sector } from '../../domain/case.js';
import { CAPS } from '../../domain/caps.js';
import { badInput, DomainError } from '../../domain/errors.js';
import { DEFAULT_HAZARD_PROFILE, HAZARD_GRADES, hazardWorkflowId, type Actor, type HazardCase, type HazardGrade, type HazardSource } from '../../domain/hazard.js';
import { paragraph, recordId } from '../../domain/intake.js';
import { checkAllText, checkRecordId, isRecordId, notFound } from '../../domain/text.js';
import { audit } from '../../activities/audit.js';
import { accidentLinkedSignal, type HazardUpdateResult, type HazardWorkflowInput } from '../../workflows/hazard/messages.js';
import { OVERDUE, REGION_CODE, STAGE } from '../../workflows/search-attributes.js';
import { readAs, viewOf } from '../access.js';
import { actorOf, type Context } from '../context.js';
import { ApiError } from '../errors.js';
import { createLoaders } from '../loaders.js';
import { updateIdFor } from '../validation.js';
import { hazardLoaders, scopeOfHazard, type HazardRow } from './hazard-loaders.js';
import type { HazardEntryInput, HazardFromFindingInput, ReportHazardInput } from './hazard.inputs.js';
import { executeUpdate } from '../workflow-update.js';

// Entering a hazard (one transaction: the row at revision 0 and its REPORT audit entry, then its workflow's
// start) and every official action on it (one workflow update each, validated again in the workflow and
// answered after the read model is written).

/** The workflow type the worker registers for hazards (workflows/index.ts). */
export const HAZARD_WORKFLOW = 'hazardWorkflow';

// ---- visibility ----

export interface HazardView {
  row: HazardRow;
  scope: HazardScope;
  access: 'INSIDER' | 'OFFICIAL';
}

export function viewOfHazard(ctx: Context, row: HazardRow): HazardView | null {
  const scope = scopeOfHazard(row);
  const access = hazardAccess(ctx.principal, scope);
  return access === 'INSIDER' || access === 'OFFICIAL' ? { row, scope, access } : null;
}

/** The hazard, if the principal sees it at all; null when it is hidden or missing (the two read the same). */
export async function hazardView(ctx: Context, hazardId: string): Promise<HazardView | null> {
  if (!isRecordId(hazardId)) return null;
  const row = await hazardLoaders(ctx).hazard.load(hazardId.toLowerCase());
  return row ? viewOfHazard(ctx, row) : null;
}

/** Marks a hazard row as read under the principal's view: its fields show or hide by the field table. */
export function visibleHazard(ctx: Context, row: HazardRow | null): HazardRow | null {
  const view = row ? viewOfHazard(ctx, row) : null;
  return view ? readAs(ctx, { access: view.access, scope: null }, row) : null;
}

async function refresh(ctx: Context): Promise<void> {
  const tree = await ctx.loaders.regions();
  ctx.em.clear();
  ctx.scopes.clear();
  ctx.loaders = createLoaders(ctx.em, tree.version);
}

export async function rereadHazard(ctx: Context, hazardId: string): Promise<HazardRow> {
  await refresh(ctx);
  const visible = visibleHazard(ctx, await hazardLoaders(ctx).hazard.load(hazardId));
  if (!visible) throw notFound('hazardId');
  return visible;
}

// ---- entry ----

/** A hazard entry as it is stored and compared: normalised. */
export interface HazardEntry {
  enterpriseId: string;
  sector: Sector | null;
  grade: HazardGrade;
  supervisingDepartmentId: string;
  judgementBasis: string;
  description: string;
  evidence: string;
}

/** Everything about an entry that needs no database, each problem named by its field (under `prefix`). */
export function normaliseEntry(input: HazardEntryInput, prefix = ''): HazardEntry {
  const at = (name: string) => (prefix ? `${prefix}.${name}` : name);
  checkAllText(input, prefix || 'input');
  const enterpriseId = recordId(at('enterpriseId'), input.enterpriseId);
  if (input.sector !== undefined && input.sector !== null && !(SECTORS as readonly string[]).includes(input.sector)) {
    throw badInput(at('sector'), `must be one of ${SECTORS.join(', ')}`);
  }
  if (!(HAZARD_GRADES as readonly string[]).includes(input.grade)) throw badInput(at('grade'), `must be one of ${HAZARD_GRADES.join(', ')}`);
  const supervisingDepartmentId = recordId(at('supervisingDepartmentId'), input.supervisingDepartmentId);
  const judgementBasis = paragraph(at('judgementBasis'), input.judgementBasis, CAPS.text);
  const description = paragraph(at('description'), input.description, CAPS.text);
  const evidence = typeof input.evidence === 'string' && input.evidence.trim() ? paragraph(at('evidence'), input.evidence, CAPS.text) : '';
  return { enterpriseId, sector: input.sector ?? null, grade: input.grade, supervisingDepartmentId, judgementBasis, description, evidence };
}

interface EnterpriseFact {
  id: string;
  name: string;
  sector: Sector;
  homeRegionId: string;
}

interface DepartmentFact {
  id: string;
  name: string;
  regionId: string;
}

/** How an entry is authorised: by source (the reporter's grants), by an evaluation's organiser, or by a verification. */
export type EntryAuthority =
  | { kind: 'REPORT' }
  | { kind: 'FINDING'; grant: RoleGrant }
  | { kind: 'VERIFICATION'; reportId: string; handlingRegionCode: string; grant: RoleGrant | undefined };

export interface EntryRequest {
  entry: HazardEntry;
  source: HazardSource;
  origin?: HazardCase['origin'];
  authority: EntryAuthority;
  /** Field prefix of the entry's fields in the caller's input, for errors. */
  prefix?: string;
  idempotencyKey?: string;
}

/**
 * Inserts the hazard at revision 0, with the REPORT entry that starts its audit trail, in one transaction, after
 * checking what it names against the register and who may enter it. A retry (the same idempotency key from the
 * same official, the same evaluation finding for the same enterprise, the same whistleblower report) answers
 * with the hazard already entered.
 */
async function insertHazard(ctx: Context, request: EntryRequest): Promise<HazardCase> {
  const { entry, source, authority } = request;
  const at = (name: string) => (request.prefix ? `${request.prefix}.${name}` : name);
  const tree = await ctx.loaders.regions();
  return ctx.em.fork().transactional(async (tx) => {
    const [facts] = await tx.execute<{ enterprise: EnterpriseFact | null; department: DepartmentFact | null }[]>(
      `select (select json_build_object('id', e.id, 'name', e.name, 'sector', e.sector, 'homeRegionId', e.home_region_id) from enterprise e where e.id = ?) as enterprise,
              (select json_build_object('id', d.id, 'name', d.name, 'regionId', d.region_id) from department d where d.id = ?) as department`,
      [entry.enterpriseId, entry.supervisingDepartmentId],
    );
    const enterprise = facts?.enterprise;
    if (!enterprise) throw notFound(at('enterpriseId'));
    const department = facts?.department;
    if (!department) throw notFound(at('supervisingDepartmentId'));
    const path = tree.path(enterprise.homeRegionId);
    const region = path.at(-1);
    if (!region) throw badInput(at('enterpriseId'), 'the enterprise\'s location is not in the region register');
    if (!path.some((r) => r.id === department.regionId)) {
      throw badInput(at('supervisingDepartmentId'), `${department.name} is not a department of ${region.name} or a region above it`);
    }
    if (entry.sector && entry.sector !== enterprise.sector) {
      throw badInput(at('sector'), `${enterprise.name} is registered in ${enterprise.sector}, not ${entry.sector}`);
    }
    const scope: HazardScope = { hazardId: '', enterpriseId: enterprise.id, regionCode: region.code, supervisingDepartmentId: department.id };
    let grant: RoleGrant | undefined;
    switch (authority.kind) {
      case 'REPORT':
        if (!allowHazardReport(ctx.principal, source, scope)) {
          throw new DomainError(
            'FORBIDDEN',
            source === 'SELF_REPORT'
              ? `${ctx.principal.name} may not report hazards of ${enterprise.name}: only its own contact does`
              : `${ctx.principal.name} may not enter hazards in ${region.name}: an inspector, the safety office or the supervising department does`,
          );
        }
        grant = hazardReportGrant(ctx.principal, source, scope);
        break;
      case 'FINDING':
        grant = authority.grant;
        break;
      case 'VERIFICATION': {
        const handling = tree.path(enterprise.homeRegionId).some((r) => r.code === authority.handlingRegionCode);
        if (!handling) throw badInput(at('enterpriseId'), `${enterprise.name} is not in the handling office's region`);
        grant = authority.grant;
        break;
      }
    }
    // Retries: one lock per retry key, so a check and its insert never interleave with another's.
    const retryKey =
      authority.kind === 'VERIFICATION'
        ? `report:${authority.reportId}`
        : request.origin?.kind === 'EVALUATION'
          ? `finding:${request.origin.evaluationId}:${request.origin.measureId}:${enterprise.id}`
          : request.idempotencyKey
            ? `key:${ctx.principal.id}:${request.idempotencyKey}`
            : undefined;
    if (retryKey) {
      await tx.execute(`select pg_advisory_xact_lock(hashtext('hazard-entry:' || ?))`, [retryKey]);
      const [existing] = await tx.execute<{ payload: { case?: HazardCase } | null }[]>(
        `select a.payload from audit_entry a where a.subject_type = 'hazard' and a.revision = 0 and a.payload->>'retryKey' = ? limit 1`,
        [retryKey],
      );
      if (existing?.payload?.case) return existing.payload.case;
    }
    const [penalties] = await tx.execute<{ count: string }[]>(
      `select count(*) from hazard h where h.enterprise_id = ? and h.decision->>'decision' in ('PENALTY', 'CLOSURE_AND_BAN')`,
      [enterprise.id],
    );
    const upper = path.slice(0, -1).reverse();
    const hazardId = randomUUID();
    const reportedAt = new Date().toISOString();
    const hazard: HazardCase = {
      hazardId,
      enterpriseId: enterprise.id,
      enterpriseName: enterprise.name,
      sector: entry.sector ?? enterprise.sector,
      grade: entry.grade,
      source,
      regionCode: region.code,
      upperRegionCodes: upper.map((r) => r.code),
      upperOfficeNames: upper.map((r) => tree.get(r.id)?.safetyOfficeName ?? r.name),
      supervisingDepartmentId: department.id,
      supervisingDepartmentName: department.name,
      judgementBasis: entry.judgementBasis,
      description: entry.description,
      evidence: entry.evidence,
      reportedAt,
      reportedBy: ctx.principal.name,
      ...(request.origin ? { origin: request.origin } : {}),
      earlierPenalties: Number(penalties?.count ?? 0),
      profile: DEFAULT_HAZARD_PROFILE,
    };
    const workflowId = hazardWorkflowId(hazardId);
    const origin = request.origin;
    await tx.execute(
      `insert into hazard (id, workflow_id, enterprise_id, sector, grade, source, region_id, region_code, supervising_department_id, judgement_basis,
         description, evidence, reported_at, reported_by, origin, origin_evaluation_id, origin_campaign_id, stage, revision, overdue, overdue_notices,
         supervised, extensions, submissions, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, 'REPORTED', 0, false, 0, false, '[]'::jsonb, '[]'::jsonb, now())`,
      [
        hazardId, workflowId, enterprise.id, hazard.sector, hazard.grade, source, region.id, region.code, department.id, hazard.judgementBasis,
        hazard.description, hazard.evidence, reportedAt, hazard.reportedBy, origin ? JSON.stringify(origin) : null,
        origin?.kind === 'EVALUATION' ? origin.evaluationId : null, origin?.kind === 'CAMPAIGN' ? origin.campaignId : null,
      ],
    );
    const change = {
      actor: { ...actorOf(ctx), role: grant?.role, grants: undefined },
      action: 'REPORT',
      stageBefore: null,
      stageAfter: 'REPORTED',
      at: reportedAt,
      payload: { case: hazard, ...(retryKey ? { retryKey } : {}) },
    };
    // The hazard's trail starts here: its workflow's changes follow from revision 1.
    await audit(tx, 'hazard' as never, workflowId, 0, change, hazard, { previous: null });
    return hazard;
  });
}

/** Starts the hazard's workflow, or finds it running (the workflow id is the hazard's). */
export async function startHazardWorkflow(client: Client, taskQueue: string, hazard: HazardCase): Promise<void> {
  const input: HazardWorkflowInput = { case: hazard };
  try {
    await client.workflow.start(HAZARD_WORKFLOW, {
      taskQueue,
      workflowId: hazardWorkflowId(hazard.hazardId),
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [input],
      typedSearchAttributes: [
        { key: STAGE, value: 'REPORTED' },
        { key: REGION_CODE, value: hazard.regionCode },
        { key: OVERDUE, value: false },
      ],
    });
  } catch (error) {
    // Closed already (a retry long after): it ran; the row says where it ended.
    if ((error as { name?: string })?.name !== 'WorkflowExecutionAlreadyStartedError') throw error;
  }
}

/** Enters a hazard and starts its workflow: the one path every source takes (reportHazard, findings, verifications). */
export async function enterHazard(ctx: Context, request: EntryRequest): Promise<HazardCase> {
  const hazard = await insertHazard(ctx, request);
  await startHazardWorkflow(ctx.temporal, ctx.taskQueue, hazard);
  return hazard;
}

export async function reportHazard(ctx: Context, input: ReportHazardInput, idempotencyKey?: string | null): Promise<HazardRow> {
  updateIdFor(ctx.principal.id, idempotencyKey);
  if (!ctx.principal.grants.length) throw new DomainError('FORBIDDEN', 'sign in to enter a hazard; the public reports through submitWhistleblowerReport');
  const entry = normaliseEntry(input);
  if (input.source === 'WHISTLEBLOWER') throw badInput('source', 'a whistleblower report becomes a hazard through its verification (recordWhistleblowerVerification)');
  if (input.source === 'EVALUATION') throw badInput('source', 'an evaluation\'s finding becomes a hazard through createHazardFromFinding, which keeps the link back');
  let origin: HazardCase['origin'];
  if (input.campaignId !== undefined && input.campaignId !== null) {
    if (input.source !== 'CAMPAIGN') throw badInput('campaignId', 'only a hazard with source CAMPAIGN names a campaign');
    const campaignId = recordId('campaignId', input.campaignId);
    const [campaign] = await ctx.em.execute<{ id: string }[]>(`select id from campaign where id = ?`, [campaignId]);
    if (!campaign) throw notFound('campaignId');
    origin = { kind: 'CAMPAIGN', campaignId };
  }
  const hazard = await enterHazard(ctx, { entry, source: input.source, authority: { kind: 'REPORT' }, ...(origin ? { origin } : {}), ...(idempotencyKey ? { idempotencyKey } : {}) });
  return rereadHazard(ctx, hazard.hazardId);
}

/**
 * An accident evaluation's finding that a measure was not (or only partly) implemented, entered as a hazard with
 * source EVALUATION and the link back (`origin`, and `hazards(filter: { originEvaluationId })`). The evaluation's
 * organiser office enters it; the same finding for the same enterprise again returns the hazard already entered.
 */
export async function createHazardFromFinding(ctx: Context, input: HazardFromFindingInput, idempotencyKey?: string | null): Promise<HazardRow> {
  updateIdFor(ctx.principal.id, idempotencyKey);
  checkRecordId('evaluationId', input.evaluationId);
  checkRecordId('measureId', input.measureId);
  const evaluationId = input.evaluationId.toLowerCase();
  const measureId = input.measureId.toLowerCase();
  const view = await viewOf(ctx, evaluationId);
  if (!view || !view.scope.evaluationId) throw notFound('evaluationId');
  const grant = allowHazardFromFinding(ctx.principal, view.scope);
  if (!grant) throw new ApiError('FORBIDDEN', `${ctx.principal.name} may not enter this evaluation's findings as hazards: its organiser's safety office does`);
  const entry = normaliseEntry(input);
  const [finding] = await ctx.em.execute<{ status: string }[]>(`select f.status from measure_finding f where f.evaluation_id = ? and f.measure_id = ?`, [
    view.scope.evaluationId,
    measureId,
  ]);
  if (!finding) throw badInput('measureId', 'the evaluation has no finding on this measure');
  if (finding.status !== 'NOT_IMPLEMENTED' && finding.status !== 'PARTLY_IMPLEMENTED') {
    throw badInput('measureId', `the measure was found ${finding.status}: only a measure not (or partly) implemented becomes a hazard`);
  }
  const hazard = await enterHazard(ctx, {
    entry,
    source: 'EVALUATION',
    origin: { kind: 'EVALUATION', evaluationId: view.scope.evaluationId, measureId },
    authority: { kind: 'FINDING', grant },
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });
  return rereadHazard(ctx, hazard.hazardId);
}

// ---- official actions ----

/**
 * Runs one official action as a workflow update: a hazard hidden from the caller is NOT_FOUND, an act the caller
 * may not do FORBIDDEN, before anything reaches Temporal. The workflow checks the stage, the content and the
 * actor again, and writes the read model before it answers.
 */
export async function actOnHazard<I>(
  ctx: Context,
  hazardId: string,
  operation: HazardOperation,
  update: UpdateDefinition<HazardUpdateResult, [{ actor: Actor; input: I }]>,
  input: I | ((view: HazardView) => I | Promise<I>),
  idempotencyKey?: string | null,
  scopeExtra: Partial<HazardScope> = {},
): Promise<HazardRow> {
  const updateId = updateIdFor(ctx.principal.id, idempotencyKey);
  checkRecordId('hazardId', hazardId);
  const view = await hazardView(ctx, hazardId);
  if (!view) throw notFound('hazardId');
  if (!allowHazard(ctx.principal, operation, { ...view.scope, ...scopeExtra })) {
    throw new ApiError('FORBIDDEN', `${ctx.principal.name} may not ${operation} on this hazard`);
  }
  const args = typeof input === 'function' ? await (input as (v: HazardView) => I | Promise<I>)(view) : input;
  try {
    await executeUpdate(ctx.temporal.workflow.getHandle(view.row.workflowId), update, { args: [{ actor: actorOf(ctx), input: args }], updateId });
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new DomainError('INVALID_TRANSITION', `${operation} is not possible: the hazard's work has ended (${view.row.stage})`);
    throw error;
  }
  return rereadHazard(ctx, view.row.id);
}

/** Signals the hazard's workflow that an accident case named it as its origin (003 §三: 一案双罚). */
export async function linkAccidentToHazard(client: Client, hazardWorkflowIdValue: string, accidentId: string): Promise<void> {
  try {
    await client.workflow.getHandle(hazardWorkflowIdValue).signal(accidentLinkedSignal, { accidentId });
  } catch (error) {
    // A closed hazard's workflow has ended; its accident link is recorded on the accident.
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}

/**
 * Starts the workflows of hazards whose entry committed but whose start never happened (Temporal was unreachable,
 * the API stopped in between). Run by the worker at boot, like `startPendingCampaigns`; the hazard is read back
 * from its REPORT audit entry. Returns how many it started.
 */
export async function startPendingHazards(em: EntityManager, client: Client, taskQueue: string): Promise<number> {
  const pending = await em.execute<{ payload: { case?: HazardCase } | null }[]>(
    `select a.payload from hazard h join audit_entry a on a.subject_type = 'hazard' and a.subject_id = h.workflow_id and a.revision = 0 where h.revision = 0`,
  );
  let started = 0;
  for (const row of pending) {
    if (!row.payload?.case) continue;
    await startHazardWorkflow(client, taskQueue, row.payload.case);
    started++;
  }
  return started;
}

/**
 * The hazard an accident registration names as its origin, checked before anything is written: a hazard the
 * caller sees (NOT_FOUND otherwise, as for one that does not exist), of the accident's enterprise.
 */
export async function originHazardOf(ctx: Context, originHazardId: unknown, enterpriseId: unknown): Promise<HazardRow> {
  checkRecordId('originHazardId', originHazardId);
  const view = await hazardView(ctx, originHazardId);
  if (!view) throw notFound('originHazardId');
  if (typeof enterpriseId !== 'string' || view.row.enterprise.id !== enterpriseId.toLowerCase()) {
    throw badInput('originHazardId', 'the hazard is of another enterprise than the accident');
  }
  return view.row;
}

/** Stores the accident's origin hazard on the accident, and signals the hazard's workflow (accidentLinkedSignal). */
export async function linkAccidentOrigin(ctx: Context, accidentId: string, hazard: HazardRow): Promise<void> {
  await ctx.em.fork().execute(`update accident set origin_hazard_id = ? where id = ? and origin_hazard_id is null`, [hazard.id, accidentId]);
  await linkAccidentToHazard(ctx.temporal, hazard.workflowId, accidentId);
}
