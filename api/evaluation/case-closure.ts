import type { Client } from '@temporalio/client';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { evaluationWorkflowId } from '../../domain/case.js';
import { chinaDate } from '../../domain/calendar.js';
import { DomainError } from '../../domain/errors.js';
import { initialEvaluationState, type Actor, type EvaluationCase } from '../../domain/evaluation.js';
import { organiserOf, type OrganiserDecision } from '../../domain/organiser.js';
import type { RegionPath, RegionRef } from '../../domain/regions.js';
import { profileByVersion, profileFor } from '../../domain/rule-profiles.js';
import { recordCaseChange } from '../intake/case-audit.js';
import { Accident, Evaluation, Region, type Investigation } from '../../schema/entities/index.js';
import type { EvaluationWorkflowInput } from '../../workflows/evaluation/messages.js';
import { DUE_AT, OVERDUE, REGION_CODE, STAGE } from '../../workflows/search-attributes.js';

const NATIONAL_OFFICE = '国务院安全生产委员会办公室';

/** Reads one region: an entity manager in a transaction, or a request's DataLoader. */
export type RegionLoader = (id: string) => Promise<Region | null>;

/** A region and its ancestors, province first. */
export async function regionPath(load: RegionLoader, regionId: string): Promise<RegionPath> {
  const path: RegionRef[] = [];
  let current = await load(regionId);
  while (current) {
    path.unshift({ id: current.id, code: current.code, name: current.name, level: current.level });
    current = current.parent ? await load(current.parent.id) : null;
  }
  return path;
}

async function loadCaseGraph(em: EntityManager, accidentId: string): Promise<Accident> {
  const accident = await em.findOne(Accident, accidentId, {
    populate: ['investigation.report.measures', 'investigation.report.accountabilityItems', 'investigation.departments', 'enterprise'],
  });
  if (!accident) throw new DomainError('NOT_FOUND', `no accident ${accidentId}`);
  if (!accident.investigation?.getEntity().report) {
    throw new DomainError('INVALID_TRANSITION', 'the accident has no approved investigation report yet');
  }
  return accident;
}

/** 001 §3-§4 applied to a case: who organises its evaluation and who assists. */
export async function decideOrganiser(
  load: RegionLoader,
  accident: Accident,
  enterpriseHomeRegionId: string,
  investigation: Investigation | null,
): Promise<OrganiserDecision> {
  const delegated = investigation?.delegatedEvaluationRegion;
  const [location, enterpriseHome, delegatedPath] = await Promise.all([
    regionPath(load, accident.locationRegion.id),
    regionPath(load, enterpriseHomeRegionId),
    delegated ? regionPath(load, delegated.id) : undefined,
  ]);
  return organiserOf({ level: accident.level, location, enterpriseHome, escalated: investigation?.escalated ?? false, delegatedTo: delegatedPath?.at(-1) });
}

/** What the evaluation workflow needs of a closed case, read from the case graph. */
export async function loadEvaluationCase(em: EntityManager, accidentId: string, profileRef?: { id: string; version: string }): Promise<EvaluationCase> {
  const accident = await loadCaseGraph(em, accidentId);
  const investigation = accident.investigation!.getEntity();
  const report = investigation.report!.getEntity();
  if (!report.closedAt) throw new DomainError('INVALID_TRANSITION', 'the case is not closed');
  const decision = await decideOrganiser((id) => em.findOne(Region, id), accident, accident.enterprise.getEntity().homeRegion.id, investigation);
  const organiser = decision.organiser ? await em.findOneOrFail(Region, decision.organiser.id, { populate: ['parent'] }) : null;
  const upper = organiser?.parent ? await em.findOneOrFail(Region, organiser.parent.id) : null;
  const profile = profileRef
    ? profileByVersion(profileRef.id, profileRef.version)
    : profileFor(organiser?.code ?? '', chinaDate(report.closedAt));
  if (!profile) throw new DomainError('NOT_FOUND', `rule profile ${profileRef?.id} ${profileRef?.version} is unknown to this version`);
  return {
    evaluationId: accident.id,
    accidentId: accident.id,
    title: accident.title,
    closedAt: report.closedAt.toISOString(),
    organiserRegionId: organiser?.id ?? null,
    organiserRegionCode: organiser?.code ?? '',
    organiserName: organiser?.safetyOfficeName ?? NATIONAL_OFFICE,
    upperOfficeName: upper?.safetyOfficeName ?? NATIONAL_OFFICE,
    upperRegionCode: upper?.code ?? '',
    locationRegionCode: (await em.findOneOrFail(Region, accident.locationRegion.id)).code,
    enterpriseId: accident.enterprise.id,
    assistingRegionIds: decision.assisting.map((r) => r.id),
    profile,
    measures: report.measures.getItems().map((m) => ({ id: m.id, seq: m.seq, text: m.text, responsibleUnits: m.responsibleUnits })),
    accountabilityItems: report.accountabilityItems.getItems().map((a) => ({ id: a.id, kind: a.kind, subject: a.subject })),
    investigatingDepartments: investigation.departments.getItems().map((d) => ({ id: d.id, name: d.name })),
  };
}

/**
 * 结案: closes the case and records its evaluation (revision 0) in one transaction. The workflow is started
 * afterwards by `startEvaluationWorkflow`; an evaluation left unstarted (a crash in between) is started by
 * `startPendingEvaluations` when a worker boots.
 */
export async function closeCase(em: EntityManager, accidentId: string, closedAt: Date, actor: Actor, idempotencyKey?: string): Promise<EvaluationCase> {
  if (closedAt.getTime() > Date.now() + 60_000) throw new DomainError('BAD_USER_INPUT', 'closedAt: a case cannot be closed in the future', 'closedAt');
  return em.transactional(async (tx) => {
    // Corrections (api/intake) lock the case row too: closure reads the case as corrected, or a correction waits and is refused.
    await tx.findOne(Accident, accidentId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const accident = await loadCaseGraph(tx, accidentId);
    const report = accident.investigation!.getEntity().report!.getEntity();
    if (report.closedAt) throw new DomainError('INVALID_TRANSITION', `the case was already closed on ${chinaDate(report.closedAt)}`);
    if (closedAt < report.approvedAt) throw new DomainError('BAD_USER_INPUT', 'closedAt: a case closes after its report is approved', 'closedAt');
    report.closedAt = closedAt;
    await tx.flush();
    const evaluationCase = await loadEvaluationCase(tx, accidentId);
    const initial = initialEvaluationState(evaluationCase);
    tx.create(Evaluation, {
      id: evaluationCase.evaluationId,
      accident: accidentId,
      workflowId: evaluationWorkflowId(accidentId),
      profileId: evaluationCase.profile.id,
      profileVersion: evaluationCase.profile.version,
      organiserRegion: evaluationCase.organiserRegionId,
      assistingRegionIds: evaluationCase.assistingRegionIds,
      stage: initial.stage,
      opensAt: new Date(initial.opensAt),
      dueAt: new Date(initial.dueAt),
    });
    await tx.flush();
    const change = { actor, action: 'CLOSE_CASE', stageBefore: null, stageAfter: 'CLOSED', at: new Date().toISOString(), payload: { closedAt: closedAt.toISOString(), ...(idempotencyKey ? { idempotencyKey } : {}) } };
    await recordCaseChange(tx, accidentId, change, evaluationCase);
    return evaluationCase;
  });
}

/** Starts (or finds, when already running) the evaluation workflow of a closed case, and records that it runs. */
export async function startEvaluationWorkflow(
  em: EntityManager,
  client: Client,
  taskQueue: string,
  evaluationCase: EvaluationCase,
  options: Pick<EvaluationWorkflowInput, 'continueAsNewAfterEvents'> = {},
): Promise<void> {
  const initial = initialEvaluationState(evaluationCase);
  await client.workflow.start('accidentEvaluationWorkflow', {
    taskQueue,
    workflowId: evaluationWorkflowId(evaluationCase.accidentId),
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [{ case: evaluationCase, ...options }],
    typedSearchAttributes: [
      { key: STAGE, value: initial.stage },
      { key: REGION_CODE, value: evaluationCase.organiserRegionCode },
      { key: DUE_AT, value: new Date(initial.dueAt) },
      { key: OVERDUE, value: false },
    ],
  });
  await em.nativeUpdate(Evaluation, { id: evaluationCase.evaluationId, workflowStartedAt: null }, { workflowStartedAt: new Date() });
}

/** Starts the workflow of every evaluation recorded without one. Returns how many were started. */
export async function startPendingEvaluations(em: EntityManager, client: Client, taskQueue: string): Promise<number> {
  const pending = await em.find(Evaluation, { workflowStartedAt: null }, { orderBy: { createdAt: 'asc' } });
  for (const evaluation of pending) {
    const evaluationCase = await loadEvaluationCase(em, evaluation.accident.id, { id: evaluation.profileId, version: evaluation.profileVersion });
    await startEvaluationWorkflow(em, client, taskQueue, evaluationCase);
  }
  return pending.length;
}
