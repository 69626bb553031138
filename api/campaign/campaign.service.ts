import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { allow, allowCampaign, allowingGrant, campaignAccess, type CampaignOperation, type CampaignScope } from '../../domain/access.js';
import { CAMPAIGN_DIMENSIONS, CAMPAIGN_KINDS, campaignWorkflowId, lookBackWorkflowId, sectorWorkflowId, townWorkflowId } from '../../domain/campaign.js';
import type { Actor, CampaignCase, CampaignClock, CampaignDimension, CampaignKind, CampaignStage } from '../../domain/campaign.js';
import { campaignDeadlines, campaignYear, isFullPath } from '../../domain/campaign-deadlines.js';
import { SECTORS, type Sector } from '../../domain/case.js';
import { chinaDate } from '../../domain/calendar.js';
import { CAPS } from '../../domain/caps.js';
import { badInput, DomainError } from '../../domain/errors.js';
import { recordId, singleLine } from '../../domain/intake.js';
import { campaignProfileByVersion, campaignProfileFor, type CampaignProfileEntry } from '../../domain/rule-profiles.js';
import { checkAllText, checkRecordId, isRecordId, notFound } from '../../domain/text.js';
import { isCalendarDate } from '../../domain/working-days.js';
import { audit } from '../../activities/audit.js';
import { readWorkingCalendar } from '../../activities/calendar.js';
import { AuditEntry } from '../../schema/entities/index.js';
import type { CampaignUpdateResult, CampaignWorkflowInput } from '../../workflows/campaign/messages.js';
import { OVERDUE, REGION_CODE, STAGE } from '../../workflows/search-attributes.js';
import { readAs } from '../access.js';
import { actorOf, type Context } from '../context.js';
import { ApiError } from '../errors.js';
import { createLoaders } from '../loaders.js';
import { updateIdFor } from '../validation.js';
import { campaignLoaders, scopeOfCampaign, type CampaignTownRow, type ScopedCampaignRow } from './campaign-loaders.js';
import { CAMPAIGN_CAPS, type RegisterCampaignInput } from './campaign.inputs.js';
import { executeUpdate } from '../workflow-update.js';

// Registering a campaign (one transaction, then its workflow's start) and every official action on it (one
// workflow update each, validated again in the workflow and answered after the read model is written).

// ---- visibility ----

/** A campaign as the principal reads it: its row, its access facts, and how much of it shows. */
export interface CampaignView {
  row: ScopedCampaignRow;
  scope: CampaignScope;
  access: 'INSIDER' | 'OFFICIAL';
}

/** The campaign, if the principal sees it at all; null when it is hidden or missing (the two read the same). */
export async function campaignView(ctx: Context, campaignId: string): Promise<CampaignView | null> {
  // A malformed id names no campaign; it must never reach PostgreSQL as a uuid.
  if (!isRecordId(campaignId)) return null;
  const row = await campaignLoaders(ctx).campaign.load(campaignId.toLowerCase());
  return row ? viewOfRow(ctx, row) : null;
}

export function viewOfRow(ctx: Context, row: ScopedCampaignRow): CampaignView | null {
  const scope = scopeOfCampaign(row);
  const access = campaignAccess(ctx.principal, scope);
  return access === 'NONE' || access === 'PUBLIC' ? null : { row, scope, access };
}

/** Marks a campaign row as read under the principal's view: its fields show or hide by the field table. */
export function visibleCampaign<T extends ScopedCampaignRow>(ctx: Context, row: T | null): T | null {
  const view = row ? viewOfRow(ctx, row) : null;
  return view ? readAs(ctx, { access: view.access, scope: null }, row) : null;
}

/** After a change the rest of the request reads the new rows, not cached ones. */
async function refresh(ctx: Context): Promise<void> {
  const tree = await ctx.loaders.regions();
  ctx.em.clear();
  ctx.scopes.clear();
  ctx.loaders = createLoaders(ctx.em, tree.version);
}

async function reread(ctx: Context, campaignId: string): Promise<ScopedCampaignRow> {
  await refresh(ctx);
  const row = await campaignLoaders(ctx).campaign.load(campaignId);
  const visible = visibleCampaign(ctx, row);
  if (!visible) throw notFound('campaignId');
  return visible;
}

// ---- registration ----

interface RegionFact {
  id: string;
  code: string;
  name: string;
  level: string;
  parentId: string | null;
  safetyOfficeName: string;
}

interface DepartmentFact {
  id: string;
  name: string;
  regionId: string;
}

/** The registration as it is stored and compared: normalised, in a fixed order. */
interface Registration {
  name: string;
  kind: CampaignKind;
  startsOn: string;
  endsOn: string;
  districtRegionId: string;
  dimensions: CampaignDimension[];
  sectors: { sector: Sector; leadDepartmentId: string; townRegionIds: string[] }[];
}

function date(field: string, value: unknown): string {
  if (!isCalendarDate(value)) throw badInput(field, 'must be a real date, YYYY-MM-DD');
  return value;
}

/** Everything about the input that needs no database: text, dates, lists, repeats. */
function normalise(input: RegisterCampaignInput): Registration {
  checkAllText(input);
  const name = singleLine('name', input.name, CAPS.name);
  if (!(CAMPAIGN_KINDS as readonly string[]).includes(input.kind)) throw badInput('kind', `must be one of ${CAMPAIGN_KINDS.join(', ')}`);
  const startsOn = date('startsOn', input.startsOn);
  const endsOn = date('endsOn', input.endsOn);
  if (endsOn < startsOn) throw badInput('endsOn', `must not be before startsOn (${startsOn})`);
  if (Number(endsOn.slice(0, 4)) - Number(startsOn.slice(0, 4)) > 10) throw badInput('endsOn', 'a campaign lasts at most ten years');
  const districtRegionId = recordId('districtRegionId', input.districtRegionId);
  if (!Array.isArray(input.dimensions) || !input.dimensions.length) throw badInput('dimensions', 'name at least one dimension of 002 §5');
  const dimensions = new Set<CampaignDimension>();
  input.dimensions.forEach((d, i) => {
    if (!(CAMPAIGN_DIMENSIONS as readonly string[]).includes(d)) throw badInput(`dimensions[${i}]`, `must be one of ${CAMPAIGN_DIMENSIONS.join(', ')}`);
    if (dimensions.has(d)) throw badInput(`dimensions[${i}]`, `${d} is given twice`);
    dimensions.add(d);
  });
  if (!Array.isArray(input.sectors) || !input.sectors.length) throw badInput('sectors', 'name at least one sector with its lead department and towns');
  const seen = new Set<Sector>();
  const towns = new Set<string>();
  const sectors = input.sectors.map((s, i) => {
    if (!(SECTORS as readonly string[]).includes(s.sector)) throw badInput(`sectors[${i}].sector`, `must be one of ${SECTORS.join(', ')}`);
    if (seen.has(s.sector)) throw badInput(`sectors[${i}].sector`, `${s.sector} is given twice`);
    seen.add(s.sector);
    const leadDepartmentId = recordId(`sectors[${i}].leadDepartmentId`, s.leadDepartmentId);
    if (!Array.isArray(s.townRegionIds) || !s.townRegionIds.length) throw badInput(`sectors[${i}].townRegionIds`, 'name at least one town');
    const own = new Set<string>();
    const townRegionIds = s.townRegionIds.map((id, j) => {
      const town = recordId(`sectors[${i}].townRegionIds[${j}]`, id);
      if (own.has(town)) throw badInput(`sectors[${i}].townRegionIds[${j}]`, 'the town is given twice');
      own.add(town);
      towns.add(town);
      return town;
    });
    return { sector: s.sector, leadDepartmentId, townRegionIds };
  });
  if (towns.size > CAMPAIGN_CAPS.towns) throw badInput('sectors', `at most ${CAMPAIGN_CAPS.towns} towns in one campaign`);
  return { name, kind: input.kind, startsOn, endsOn, districtRegionId, dimensions: CAMPAIGN_DIMENSIONS.filter((d) => dimensions.has(d)), sectors };
}

/** The regions and departments a registration names, in one statement. */
async function readFacts(tx: EntityManager, r: Registration): Promise<{ regions: Map<string, RegionFact>; departments: Map<string, DepartmentFact> }> {
  const regionIds = [r.districtRegionId, ...r.sectors.flatMap((s) => s.townRegionIds)];
  const departmentIds = r.sectors.map((s) => s.leadDepartmentId);
  const [facts] = await tx.execute<{ regions: RegionFact[] | null; departments: DepartmentFact[] | null }[]>(
    `select (select json_agg(json_build_object('id', g.id, 'code', g.code, 'name', g.name, 'level', g.level, 'parentId', g.parent_id, 'safetyOfficeName', g.safety_office_name))
        from region g where g.id in (?)) as regions,
      (select json_agg(json_build_object('id', d.id, 'name', d.name, 'regionId', d.region_id)) from department d where d.id in (?)) as departments`,
    [regionIds, departmentIds],
  );
  return {
    regions: new Map((facts?.regions ?? []).map((g) => [g.id, g])),
    departments: new Map((facts?.departments ?? []).map((d) => [d.id, d])),
  };
}

/** What the campaign workflow is started with, from a registration and the facts it names. */
function campaignCaseOf(
  campaignId: string,
  r: Registration,
  regions: Map<string, RegionFact>,
  departments: Map<string, DepartmentFact>,
  kept?: { id: string; version: string },
): CampaignCase {
  const district = regions.get(r.districtRegionId)!;
  let entry: CampaignProfileEntry | undefined;
  try {
    // The rules in force when the campaign is registered (domain/rule-profiles.ts); the campaign keeps them.
    entry = kept ? campaignProfileByVersion(kept.id, kept.version) : campaignProfileFor(district.code, chinaDate(new Date()));
  } catch (error) {
    if (error instanceof DomainError) throw badInput('districtRegionId', `no campaign rules are in force for ${district.name}`);
    throw error;
  }
  if (!entry) throw new Error(`campaign rule profile ${kept?.id} ${kept?.version} is unknown to this version`);
  const { jurisdictionPrefix: _j, effectiveFrom: _f, effectiveUntil: _u, ...profile } = entry;
  const townIds = [...new Set(r.sectors.flatMap((s) => s.townRegionIds))];
  const towns = townIds.map((id) => regions.get(id)!).sort((a, b) => a.code.localeCompare(b.code));
  return {
    campaignId,
    name: r.name,
    kind: r.kind,
    startsOn: r.startsOn,
    endsOn: r.endsOn,
    districtRegionId: district.id,
    districtRegionCode: district.code,
    districtName: district.name,
    officeName: district.safetyOfficeName,
    sectors: r.sectors.map((s) => ({
      sector: s.sector,
      leadDepartmentId: s.leadDepartmentId,
      leadDepartmentName: departments.get(s.leadDepartmentId)!.name,
      townCodes: s.townRegionIds.map((id) => regions.get(id)!.code).sort(),
    })),
    towns: towns.map((t) => ({ regionId: t.id, regionCode: t.code, name: t.name })),
    dimensions: r.dimensions,
    profile,
  };
}

/** Checks what the registration names against the register: the district, its towns, its departments; and who may. */
function checkFacts(ctx: Context, r: Registration, regions: Map<string, RegionFact>, departments: Map<string, DepartmentFact>): void {
  const district = regions.get(r.districtRegionId);
  if (!district) throw notFound('districtRegionId');
  if (district.level !== 'COUNTY') throw badInput('districtRegionId', `${district.name} is not a district or county (区/县): campaigns are evaluated by districts`);
  if (!allow(ctx.principal, 'REGISTER_CAMPAIGN', { regionCode: district.code })) {
    throw new DomainError('FORBIDDEN', `districtRegionId: only the safety office of ${district.name} (or one above it) registers its campaigns`, 'districtRegionId');
  }
  r.sectors.forEach((s, i) => {
    const lead = departments.get(s.leadDepartmentId);
    if (!lead) throw notFound(`sectors[${i}].leadDepartmentId`);
    if (lead.regionId !== district.id) throw badInput(`sectors[${i}].leadDepartmentId`, `${lead.name} is not a department of ${district.name}`);
    s.townRegionIds.forEach((id, j) => {
      const town = regions.get(id);
      const field = `sectors[${i}].townRegionIds[${j}]`;
      if (!town) throw notFound(field);
      if (town.level !== 'TOWN' || town.parentId !== district.id) throw badInput(field, `${town.name} is not a town (区镇/街道) of ${district.name}`);
    });
  });
}

/** A registration's content, whatever order its lists came in: what a repeated registration is compared by. */
const canonical = (r: Registration): string =>
  // Keys in a fixed order: the stored copy comes back from jsonb, which reorders them.
  JSON.stringify([
    r.name,
    r.kind,
    r.startsOn,
    r.endsOn,
    r.districtRegionId,
    [...r.dimensions].sort(),
    [...r.sectors].sort((a, b) => SECTORS.indexOf(a.sector) - SECTORS.indexOf(b.sector)).map((s) => [s.sector, s.leadDepartmentId, [...s.townRegionIds].sort()]),
  ]);

// A text[] value from a JSON array parameter (the driver would spread a JS array into a list of values).
const TEXT_ARRAY = `(select coalesce(array_agg(x.v order by x.n), '{}') from jsonb_array_elements_text(?::jsonb) with ordinality x(v, n))`;

interface Registered {
  campaign: CampaignCase;
  /** Written by this call; false for a retry of an earlier registration. */
  created: boolean;
}

/**
 * Inserts the campaign, its sectors and towns at revision 0, and the REGISTER entry that starts its audit trail,
 * in one transaction. A second registration of the same name in the district is a retry when it has the same
 * content (or the same idempotency key from the same official): it answers with the campaign already registered.
 */
async function insertCampaign(ctx: Context, r: Registration, idempotencyKey: string | undefined): Promise<Registered> {
  return ctx.em.fork().transactional(async (tx) => {
    const { regions, departments } = await readFacts(tx, r);
    checkFacts(ctx, r, regions, departments);
    // One registration per district at a time: the name check and the insert cannot interleave with another's.
    await tx.execute(`select pg_advisory_xact_lock(hashtext('campaign-register:' || ?))`, [r.districtRegionId]);
    const [existing] = await tx.execute<{ id: string; profileId: string; profileVersion: string }[]>(
      `select id, profile_id as "profileId", profile_version as "profileVersion" from campaign where district_region_id = ? and name = ?`,
      [r.districtRegionId, r.name],
    );
    if (existing) {
      const first = await tx.findOne(AuditEntry, { subjectType: 'campaign', subjectId: campaignWorkflowId(existing.id), action: 'REGISTER' });
      const payload = first?.payload as { registration?: Registration; idempotencyKey?: string } | null;
      const sameKey = Boolean(idempotencyKey) && payload?.idempotencyKey === idempotencyKey && first?.actorId === ctx.principal.id;
      if (!sameKey && (!payload?.registration || canonical(payload.registration) !== canonical(r))) {
        throw badInput('name', `${regions.get(r.districtRegionId)!.name} already has a campaign named ${r.name}`);
      }
      const stored = payload!.registration ?? r;
      const facts = sameKey ? await readFacts(tx, stored) : { regions, departments };
      const kept = { id: existing.profileId, version: existing.profileVersion };
      return { campaign: campaignCaseOf(existing.id, stored, facts.regions, facts.departments, kept), created: false };
    }
    const campaign = campaignCaseOf(randomUUID(), r, regions, departments);
    const calendar = await readWorkingCalendar(tx, calendarYears(campaign));
    const deadlines = campaignDeadlines(campaign, calendar);
    const workflowId = campaignWorkflowId(campaign.campaignId);
    const stage: CampaignStage = 'WAITING_FOR_END';
    await tx.execute(
      `insert into campaign (id, workflow_id, name, kind, starts_on, ends_on, year, district_region_id, district_code, stage, full_path, revision,
         overdue, overdue_clocks, deadlines, next_due_at, inspections, dimensions, profile_id, profile_version, registered_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, false, '{}', ?::jsonb, ?, '[]'::jsonb, ${TEXT_ARRAY}, ?, ?, now(), now())`,
      [
        campaign.campaignId, workflowId, campaign.name, campaign.kind, campaign.startsOn, campaign.endsOn, campaignYear(campaign), campaign.districtRegionId,
        campaign.districtRegionCode, stage, isFullPath(campaign), JSON.stringify(deadlines), deadlines[0]?.dueAt ?? null, JSON.stringify(campaign.dimensions),
        campaign.profile.id, campaign.profile.version,
      ],
    );
    for (const s of campaign.sectors) {
      await tx.execute(
        `insert into campaign_sector (campaign_id, sector, lead_department_id, town_codes, workflow_id, overdue, revision, review_stage, methods, returns, review_revision)
         values (?, ?, ?, ${TEXT_ARRAY}, ?, false, 0, 'REVIEWING', '[]'::jsonb, '[]'::jsonb, 0)`,
        [campaign.campaignId, s.sector, s.leadDepartmentId, JSON.stringify(s.townCodes), sectorWorkflowId(campaign.campaignId, s.sector)],
      );
    }
    for (const t of campaign.towns) {
      const sectors = campaign.sectors.filter((s) => s.townCodes.includes(t.regionCode)).map((s) => s.sector);
      await tx.execute(
        `insert into campaign_town (campaign_id, town_code, town_region_id, sectors, workflow_id, overdue, revision, self_stage, returns, self_revision)
         values (?, ?, ?, ${TEXT_ARRAY}, ?, false, 0, 'DRAFTING', '[]'::jsonb, 0)`,
        [campaign.campaignId, t.regionCode, t.regionId, JSON.stringify(sectors), townWorkflowId(campaign.campaignId, t.regionCode)],
      );
    }
    const change = {
      actor: { ...actorOf(ctx), role: allowingGrant(ctx.principal, 'REGISTER_CAMPAIGN', { regionCode: campaign.districtRegionCode })?.role, grants: undefined },
      action: 'REGISTER',
      stageBefore: null,
      stageAfter: stage,
      at: new Date().toISOString(),
      payload: { registration: r, ...(idempotencyKey ? { idempotencyKey } : {}) },
    };
    // The campaign's trail starts here: its workflow's changes follow from revision 1.
    await audit(tx, 'campaign', workflowId, 0, change, campaign, { previous: null });
    return { campaign, created: true };
  });
}

/** The years a campaign's deadlines (and their extensions) may fall in: from its start to a year after its end. */
function calendarYears(c: Pick<CampaignCase, 'startsOn' | 'endsOn'>): number[] {
  const years: number[] = [];
  for (let y = Number(c.startsOn.slice(0, 4)); y <= Number(c.endsOn.slice(0, 4)) + 1; y++) years.push(y);
  return years;
}

/**
 * Starts the campaign's workflow, or finds it running (the workflow id is the campaign's): a registration whose
 * start failed (Temporal unreachable) is started by registering it again, with the same content or key.
 */
export async function startCampaignWorkflow(em: EntityManager, client: Client, taskQueue: string, campaign: CampaignCase): Promise<void> {
  const calendar = await readWorkingCalendar(em, calendarYears(campaign));
  const input: CampaignWorkflowInput = { case: campaign, calendar };
  await client.workflow.start('campaignWorkflow', {
    taskQueue,
    workflowId: campaignWorkflowId(campaign.campaignId),
    workflowIdConflictPolicy: 'USE_EXISTING',
    // A finished campaign is never started again by a retried registration.
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    args: [input],
    typedSearchAttributes: [
      { key: STAGE, value: 'WAITING_FOR_END' },
      { key: REGION_CODE, value: campaign.districtRegionCode },
      { key: OVERDUE, value: false },
    ],
  });
}

export async function registerCampaign(ctx: Context, input: RegisterCampaignInput, idempotencyKey?: string | null): Promise<ScopedCampaignRow> {
  updateIdFor(ctx.principal.id, idempotencyKey);
  if (!ctx.principal.grants.length) throw new DomainError('FORBIDDEN', 'sign in as the district\'s safety office to register a campaign');
  const registration = normalise(input);
  const { campaign } = await insertCampaign(ctx, registration, idempotencyKey ?? undefined);
  try {
    await startCampaignWorkflow(ctx.em.fork(), ctx.temporal, ctx.taskQueue, campaign);
  } catch (error) {
    // Closed already (a retry long after): it ran; the row says where it ended.
    if ((error as { name?: string })?.name !== 'WorkflowExecutionAlreadyStartedError') throw error;
  }
  return reread(ctx, campaign.campaignId);
}

// ---- official actions ----

/** The unit an action is on, as the client names it. */
export interface Target {
  townRegionId?: string;
  sector?: Sector;
  lookBackId?: string;
  clock?: CampaignClock;
}

export interface Resolved {
  view: CampaignView;
  town?: CampaignTownRow;
  lookBack?: { id: string; sector: Sector; townCode: string };
}

async function resolveTarget(ctx: Context, campaignId: string, target: Target): Promise<Resolved> {
  const view = await campaignView(ctx, campaignId);
  if (!view) throw notFound('campaignId');
  const resolved: Resolved = { view };
  if (target.townRegionId !== undefined) {
    const id = recordId('townRegionId', target.townRegionId);
    const town = (await campaignLoaders(ctx).towns.load(view.row.id)).find((t) => t.townRegion.id === id);
    if (!town) throw badInput('townRegionId', 'not a town in this campaign\'s scope');
    resolved.town = town;
  }
  if (target.sector !== undefined && !view.scope.sectors.some((s) => s.sector === target.sector)) {
    throw badInput('sector', `${target.sector} is not a sector of this campaign`);
  }
  if (target.lookBackId !== undefined) {
    const found = (await campaignLoaders(ctx).lookBacks.load(view.row.id)).find((l) => l.id === target.lookBackId);
    if (!found) throw notFound('lookBackId');
    resolved.lookBack = { id: found.id, sector: found.sector, townCode: found.townCode };
  }
  return resolved;
}

/** The scope an operation is checked against: the campaign's, with the unit the act is on. */
function scopeFor(resolved: Resolved, target: Target): CampaignScope {
  return {
    ...resolved.view.scope,
    ...(resolved.town ? { townCode: resolved.town.townCode } : {}),
    ...(target.sector ? { sector: target.sector } : resolved.lookBack ? { sector: resolved.lookBack.sector } : {}),
    ...(target.clock ? { clock: target.clock } : {}),
  };
}

const STAGE_NAMES: Record<CampaignStage, string> = {
  WAITING_FOR_END: 'the campaign has not ended yet',
  PREPARATION: 'the campaign is in preparation',
  SELF_EVALUATION: 'the towns are evaluating themselves',
  SECTOR_REVIEW: 'the sectors are reviewing',
  COMPREHENSIVE_ASSESSMENT: 'the comprehensive assessment is under way',
  LEAD_ASSESSMENT: 'the lead department\'s assessment is under way',
  FOLLOW_UP: 'the campaign is in follow-up',
  CLOSED: 'the campaign is closed',
};

/** Which workflow an operation goes to: the campaign's, a town's, a sector's, a look-back's. */
function workflowFor(operation: CampaignOperation, campaignId: string, scope: CampaignScope, resolved: Resolved): string {
  switch (operation) {
    case 'SUBMIT_TOWN_SELF_EVALUATION':
    case 'RETURN_TOWN_SELF_EVALUATION':
    case 'APPROVE_TOWN_SELF_EVALUATION':
      return townWorkflowId(campaignId, scope.townCode!);
    case 'RECORD_REVIEW_METHOD':
    case 'SUBMIT_SECTOR_REVIEW':
    case 'RETURN_SECTOR_REVIEW':
    case 'APPROVE_SECTOR_REVIEW':
      return sectorWorkflowId(campaignId, scope.sector!);
    case 'RECORD_LOOK_BACK':
      return lookBackWorkflowId(campaignId, resolved.lookBack!.id);
    default:
      return campaignWorkflowId(campaignId);
  }
}

/**
 * Runs one official action as a workflow update: the campaign's access facts are read once; a campaign hidden
 * from the caller is NOT_FOUND, an act the caller may not do FORBIDDEN, before anything reaches Temporal. The
 * workflow checks the stage, the content and the actor again, and writes the read model before it answers.
 */
export async function actOnCampaign<I>(
  ctx: Context,
  campaignId: string,
  operation: CampaignOperation,
  target: Target,
  update: UpdateDefinition<CampaignUpdateResult, [{ actor: Actor; input: I }]>,
  input: I | ((resolved: Resolved & { scope: CampaignScope }) => I | Promise<I>),
  idempotencyKey?: string | null,
): Promise<ScopedCampaignRow> {
  const updateId = updateIdFor(ctx.principal.id, idempotencyKey);
  checkRecordId('campaignId', campaignId);
  const id = campaignId.toLowerCase();
  const resolved = await resolveTarget(ctx, id, target);
  const scope = scopeFor(resolved, target);
  if (!allowCampaign(ctx.principal, operation, scope)) {
    throw new ApiError('FORBIDDEN', `${ctx.principal.name} may not ${operation} in this campaign`);
  }
  const args = typeof input === 'function' ? await (input as (r: Resolved & { scope: CampaignScope }) => I | Promise<I>)({ ...resolved, scope }) : input;
  const workflowId = workflowFor(operation, id, scope, resolved);
  for (let attempt = 0; ; attempt++) {
    try {
      await executeUpdate(ctx.temporal.workflow.getHandle(workflowId), update, { args: [{ actor: actorOf(ctx), input: args }], updateId });
      break;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      // The campaign writes a stage, then starts that stage's children: for a moment after a stage opens its
      // town's or sector's workflow may not exist yet. Anywhere else a missing child means the act is not open now.
      if (attempt < CHILD_START_RETRIES && childStarting(workflowId, resolved.view.row.stage)) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      throw new DomainError('INVALID_TRANSITION', `${operation} is not open now: ${STAGE_NAMES[resolved.view.row.stage] ?? resolved.view.row.stage}`);
    }
  }
  return reread(ctx, id);
}

/** Up to two seconds for a child the campaign is starting. */
const CHILD_START_RETRIES = 20;

/** Whether the campaign's stage is the one in which the child `workflowId` runs (it may be starting). */
function childStarting(workflowId: string, stage: string): boolean {
  if (workflowId.includes('/town/')) return stage === 'SELF_EVALUATION';
  if (workflowId.includes('/sector/')) return stage === 'SECTOR_REVIEW';
  if (workflowId.includes('/look-back/')) return stage === 'FOLLOW_UP';
  return false;
}

/** The name of the unit asking for more time: the lead department's, or the town's. */
export async function requestingUnit(ctx: Context, r: Resolved & { scope: CampaignScope }, clock: CampaignClock): Promise<string> {
  const scope = { ...r.scope, clock };
  for (const g of ctx.principal.grants) {
    if (g.role === 'DEPARTMENT_OFFICIAL' && g.departmentId && scope.sectors.some((s) => s.leadDepartmentId === g.departmentId)) {
      const department = await ctx.loaders.department.load(g.departmentId);
      if (department) return department.name;
    }
  }
  const towns = await campaignLoaders(ctx).towns.load(r.view.row.id);
  const own = towns.find((t) => ctx.principal.grants.some((g) => g.role === 'TOWN_OFFICIAL' && g.regionCode === t.townCode));
  if (own) {
    const region = await ctx.loaders.regionOf(own.townRegion.id);
    if (region) return region.name;
  }
  return ctx.principal.name;
}

/** Town region ids (as the client names towns) to town codes (as the workflows do), each named field by field. */
export async function townCodesOf(ctx: Context, campaignId: string, field: string, ids: string[]): Promise<string[]> {
  const towns = await campaignLoaders(ctx).towns.load(campaignId);
  return ids.map((id, i) => {
    const town = towns.find((t) => t.townRegion.id === (typeof id === 'string' ? id.toLowerCase() : id));
    if (!town) throw badInput(`${field}[${i}].townRegionId`, 'not a town in this campaign\'s scope');
    return town.townCode;
  });
}

/**
 * Starts the workflows of campaigns whose registration committed but whose start never happened (Temporal was
 * unreachable, the API stopped in between, and nobody registered again). Run by the worker at boot, like
 * `startPendingEvaluations`; the registration is read back from its REGISTER audit entry, with the rules it was
 * registered under. Returns how many it started.
 */
export async function startPendingCampaigns(em: EntityManager, client: Client, taskQueue: string): Promise<number> {
  const pending = await em.execute<{ id: string; profileId: string; profileVersion: string; payload: { registration?: Registration } | null }[]>(
    `select c.id, c.profile_id as "profileId", c.profile_version as "profileVersion", a.payload
       from campaign c join audit_entry a on a.subject_type = 'campaign' and a.subject_id = c.workflow_id and a.revision = 0
      where c.revision = 0`,
  );
  let started = 0;
  for (const row of pending) {
    const registration = row.payload?.registration;
    if (!registration) continue;
    const facts = await readFacts(em, registration);
    const campaign = campaignCaseOf(row.id, registration, facts.regions, facts.departments, { id: row.profileId, version: row.profileVersion });
    try {
      await startCampaignWorkflow(em, client, taskQueue, campaign);
      started++;
    } catch (error) {
      if ((error as { name?: string })?.name !== 'WorkflowExecutionAlreadyStartedError') throw error;
    }
  }
  return started;
}
