import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { allow, allowingGrant, type Principal, type RegionOperation } from '../../domain/access.js';
import type { Actor } from '../../domain/evaluation.js';
import { badInput, DomainError } from '../../domain/errors.js';
import * as rules from '../../domain/intake.js';
import type { CaseFacts, CasePatch, PartPaths } from '../../domain/intake.js';
import { organiserOf } from '../../domain/organiser.js';
import type { RegionPath, RegionRef } from '../../domain/regions.js';
import { checkAllText, notFound } from '../../domain/text.js';
import { AccountabilityItem, Accident, Department, Enterprise, Investigation, InvestigationReport, Measure, Region } from '../../schema/entities/index.js';
import { regionPath } from '../evaluation/case-closure.js';
import { recordCaseChange } from './case-audit.js';

// Case intake: one transaction per call, refusals typed before anything is written. The API and the demo data
// both come in here.

export interface RegisterDraft extends rules.AccidentDraft {
  investigation?: (rules.InvestigationDraft & { report?: rules.ReportDraft | null }) | null;
}

export type InvestigationWithReportDraft = rules.InvestigationDraft & { report?: rules.ReportDraft | null };

const REGISTER: PartPaths = { accident: '', investigation: 'investigation', report: 'investigation.report' };
const INVESTIGATION: PartPaths = { accident: '', investigation: '', report: 'report' };
const REPORT: PartPaths = { accident: '', investigation: '', report: '' };
const CORRECTION: PartPaths = { accident: 'accident', investigation: 'investigation', report: 'report' };

const DOCUMENT_NO_UNIQUE = 'investigation_report_document_no_unique';

function uniqueViolation(error: unknown): string | undefined {
  const e = error as { name?: unknown; constraint?: unknown };
  return e?.name === 'UniqueConstraintViolationException' && typeof e.constraint === 'string' ? e.constraint : undefined;
}

/** A registration that lost a race on its document number runs again, and then finds the winner's case. */
async function onceForDocumentNo<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (uniqueViolation(error) === DOCUMENT_NO_UNIQUE) return run();
    throw error;
  }
}

// ---- reading a case ----------------------------------------------------------------------------------------

interface LoadedCase {
  accident: Accident;
  investigation: Investigation | null;
  report: InvestigationReport | null;
  measures: Measure[];
  items: AccountabilityItem[];
  facts: CaseFacts;
}

/** The case and its facts; `lock` takes the accident and report rows FOR UPDATE (corrections against closure). */
async function loadCase(tx: EntityManager, accidentId: string, lock: boolean): Promise<LoadedCase | null> {
  const lockMode = lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {};
  const accident = await tx.findOne(Accident, accidentId, lockMode);
  if (!accident) return null;
  const investigation = await tx.findOne(Investigation, { accident: accidentId }, { populate: ['departments'] });
  const report = investigation ? await tx.findOne(InvestigationReport, { investigation: investigation.id }, lockMode) : null;
  const [measures, items] = report
    ? await Promise.all([
        tx.find(Measure, { report: report.id }, { orderBy: { seq: 'asc' } }),
        tx.find(AccountabilityItem, { report: report.id }, { orderBy: { seq: 'asc' } }),
      ])
    : [[], []];
  const facts: CaseFacts = {
    accident: {
      title: accident.title,
      level: accident.level,
      sector: accident.sector,
      occurredAt: accident.occurredAt.toISOString(),
      locationRegionId: accident.locationRegion.id,
      enterpriseId: accident.enterprise.id,
      deaths: accident.deaths,
      injuries: accident.injuries,
      directLossYuan: rules.normaliseYuan('directLossYuan', String(accident.directLossYuan)),
    },
    investigation: investigation && {
      leadDepartmentId: investigation.leadDepartment.id,
      departmentIds: [...new Set([investigation.leadDepartment.id, ...investigation.departments.getItems().map((d) => d.id)])].sort(),
      escalated: investigation.escalated,
      listedSupervisionBy: investigation.listedSupervisionBy ?? null,
      delegatedEvaluationRegionId: investigation.delegatedEvaluationRegion?.id ?? null,
    },
    report: report && {
      documentNo: report.documentNo,
      approvedAt: report.approvedAt.toISOString(),
      measures: measures.map((m) => ({ text: m.text, responsibleUnits: [...m.responsibleUnits] })),
      accountabilityItems: items.map((a) => ({ kind: a.kind, subject: a.subject, recommendation: a.recommendation })),
    },
  };
  return { accident, investigation, report, measures, items, facts };
}

async function caseOfDocumentNo(tx: EntityManager, documentNo: string): Promise<string | null> {
  const report = await tx.findOne(InvestigationReport, { documentNo });
  if (!report) return null;
  return (await tx.findOneOrFail(Investigation, report.investigation.id)).accident.id;
}

// ---- references and who may act ---------------------------------------------------------------------------

interface Resolved {
  /** The government that investigates, whose office (or one above it) registers and corrects. */
  government: RegionRef;
}

const byId = (tx: EntityManager) => (id: string) => tx.findOne(Region, id);

/**
 * Every id the facts name must exist (NOT_FOUND with the field), and the case must hold together with its
 * places: a location with an investigating government, a delegation the rules allow (001 §3-§4).
 */
async function resolve(tx: EntityManager, facts: CaseFacts, paths: PartPaths): Promise<Resolved> {
  const { accident, investigation } = facts;
  const locationField = rules.at(paths.accident, 'locationRegionId');
  const location = await tx.findOne(Region, accident.locationRegionId);
  if (!location) throw notFound(locationField);
  const enterprise = await tx.findOne(Enterprise, accident.enterpriseId);
  if (!enterprise) throw notFound(rules.at(paths.accident, 'enterpriseId'));
  let delegatedPath: RegionPath | undefined;
  if (investigation) {
    const found = await tx.find(Department, { id: { $in: investigation.departmentIds } }, { fields: ['id'] });
    const known = new Set(found.map((d) => d.id));
    if (!known.has(investigation.leadDepartmentId)) throw notFound(rules.at(paths.investigation, 'leadDepartmentId'));
    if (investigation.departmentIds.some((id) => !known.has(id))) throw notFound(rules.at(paths.investigation, 'departmentIds'));
    const delegated = investigation.delegatedEvaluationRegionId;
    if (delegated) {
      if (!(await tx.findOne(Region, delegated))) throw notFound(rules.at(paths.investigation, 'delegatedEvaluationRegionId'));
      delegatedPath = await regionPath(byId(tx), delegated);
    }
  }
  const locationPath = await regionPath(byId(tx), location.id);
  const escalated = investigation?.escalated ?? false;
  const government = rules.investigatingGovernment(accident.level, escalated, locationPath, locationField);
  try {
    organiserOf({
      level: accident.level,
      location: locationPath,
      enterpriseHome: await regionPath(byId(tx), enterprise.homeRegion.id),
      escalated,
      delegatedTo: delegatedPath?.at(-1),
    });
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'BAD_USER_INPUT') throw error;
    const field = error.field === 'delegatedTo' ? rules.at(paths.investigation, 'delegatedEvaluationRegionId') : locationField;
    throw new DomainError('BAD_USER_INPUT', `${field}: ${error.message}`, field);
  }
  return { government };
}

/** Refuses (FORBIDDEN) unless the principal's office covers the investigating government; returns the actor. */
function authorizeIn(principal: Principal, operation: RegionOperation, government: RegionRef, what = 'a case'): Actor {
  const scope = { regionCode: government.code };
  if (!allow(principal, operation, scope)) {
    throw new DomainError('FORBIDDEN', `${principal.name} may not ${operation} for ${what} investigated by ${government.name}: only its safety office or one above it may`);
  }
  return { id: principal.id, name: principal.name, role: allowingGrant(principal, operation, scope)?.role };
}

function change(actor: Actor, action: string, payload: unknown) {
  return { actor, action, stageBefore: null, stageAfter: null, at: new Date().toISOString(), payload };
}

// ---- writing a case ----------------------------------------------------------------------------------------

function insertInvestigation(tx: EntityManager, accidentId: string, facts: rules.InvestigationFacts): Investigation {
  const investigation = tx.create(Investigation, {
    accident: accidentId,
    leadDepartment: facts.leadDepartmentId,
    escalated: facts.escalated,
    listedSupervisionBy: facts.listedSupervisionBy,
    delegatedEvaluationRegion: facts.delegatedEvaluationRegionId,
  });
  investigation.departments.set(facts.departmentIds.map((id) => tx.getReference(Department, id)));
  return investigation;
}

function insertReport(tx: EntityManager, investigation: Investigation, facts: rules.ReportFacts): void {
  const report = tx.create(InvestigationReport, { investigation, documentNo: facts.documentNo, approvedAt: new Date(facts.approvedAt) });
  facts.measures.forEach((m, i) => tx.create(Measure, { report, seq: i + 1, text: m.text, responsibleUnits: m.responsibleUnits }));
  facts.accountabilityItems.forEach((a, i) => tx.create(AccountabilityItem, { report, seq: i + 1, ...a }));
}

/** The same request again gives the same case; a different one under the same number is refused, naming what differs. */
async function sameOrConflict(
  tx: EntityManager,
  principal: Principal,
  existingId: string,
  requested: CaseFacts,
  parts: readonly (keyof CaseFacts)[],
  field: string,
): Promise<string> {
  const existing = (await loadCase(tx, existingId, false))!;
  const differ = rules.conflicts(existing.facts, requested, parts);
  if (!differ.length) return existingId;
  const documentNo = requested.report!.documentNo;
  // Say what differs only to an office that could register that case itself.
  const { government } = await resolve(tx, existing.facts, REGISTER).catch(() => ({ government: null }));
  if (!government || !allow(principal, 'REGISTER_CASE', { regionCode: government.code })) {
    throw badInput(field, `${documentNo} is already registered for another case`);
  }
  throw badInput(field, `${documentNo} is already registered for case “${existing.facts.accident.title}” (${existingId}), which differs in ${differ.map((d) => d.field).join(', ')}`);
}

/**
 * Registers an accident, with its investigation and approved report when given. Idempotent on the report's
 * document number: the same content again returns the existing case.
 */
export async function registerAccident(em: EntityManager, principal: Principal, draft: RegisterDraft, now = new Date()): Promise<string> {
  const facts = registrationFacts(draft, now);
  return onceForDocumentNo(async () => (await em.fork().transactional((tx) => registerInTransaction(tx, principal, facts))).accidentId);
}

/** A registration normalised and checked before anything is read: the refusals `registerAccident` gives first. */
export function registrationFacts(draft: RegisterDraft, now = new Date()): CaseFacts {
  checkAllText(draft);
  const facts: CaseFacts = {
    accident: rules.normaliseAccident(draft, REGISTER.accident, now),
    investigation: draft.investigation ? rules.normaliseInvestigation(draft.investigation, REGISTER.investigation) : null,
    report: draft.investigation?.report ? rules.normaliseReport(draft.investigation.report, REGISTER.report, now) : null,
  };
  rules.checkCase(facts, REGISTER);
  return facts;
}

/**
 * `registerAccident` inside the caller's transaction (the bulk import runs a whole file in one): refusals are
 * thrown before anything is written. `created` is false when the document number already holds the same case.
 */
export async function registerInTransaction(
  tx: EntityManager,
  principal: Principal,
  facts: CaseFacts,
): Promise<{ accidentId: string; created: boolean; actor: Actor }> {
  const { government } = await resolve(tx, facts, REGISTER);
  const actor = authorizeIn(principal, 'REGISTER_CASE', government);
  if (facts.report) {
    const existing = await caseOfDocumentNo(tx, facts.report.documentNo);
    if (existing) {
      const accidentId = await sameOrConflict(tx, principal, existing, facts, ['accident', 'investigation', 'report'], rules.at(REGISTER.report, 'documentNo'));
      return { accidentId, created: false, actor };
    }
  }
  const { locationRegionId, enterpriseId, occurredAt, ...a } = facts.accident;
  const accident = tx.create(Accident, { ...a, occurredAt: new Date(occurredAt), locationRegion: locationRegionId, enterprise: enterpriseId });
  if (facts.investigation) {
    const investigation = insertInvestigation(tx, accident.id, facts.investigation);
    if (facts.report) insertReport(tx, investigation, facts.report);
  }
  await tx.flush();
  await recordCaseChange(tx, accident.id, change(actor, 'REGISTER_CASE', { registered: facts }), facts);
  return { accidentId: accident.id, created: true, actor };
}

/** The case as it stands must be the caller's to change; returns it locked. */
async function caseToChange(tx: EntityManager, principal: Principal, accidentId: string, operation: RegionOperation): Promise<{ loaded: LoadedCase; actor: Actor }> {
  const loaded = await loadCase(tx, accidentId, true);
  if (!loaded) throw notFound('accidentId');
  const { government } = await resolve(tx, loaded.facts, CORRECTION);
  return { loaded, actor: authorizeIn(principal, operation, government, 'this case') };
}

/** Records the investigation of a registered accident (and its report, when given). A retry with the same content returns the case. */
export async function recordInvestigation(
  em: EntityManager,
  principal: Principal,
  accidentId: string,
  draft: InvestigationWithReportDraft,
  now = new Date(),
): Promise<string> {
  checkAllText(draft);
  const investigation = rules.normaliseInvestigation(draft, INVESTIGATION.investigation);
  const report = draft.report ? rules.normaliseReport(draft.report, INVESTIGATION.report, now) : null;
  return onceForDocumentNo(() =>
    em.fork().transactional(async (tx) => {
      const { loaded, actor } = await caseToChange(tx, principal, accidentId, 'REGISTER_CASE');
      const next: CaseFacts = { accident: loaded.facts.accident, investigation, report: report ?? loaded.facts.report };
      if (loaded.facts.investigation) {
        if (!rules.conflicts(loaded.facts, next, report ? ['investigation', 'report'] : ['investigation']).length) return accidentId;
        throw new DomainError('INVALID_TRANSITION', 'the investigation is already recorded: change it with correctAccidentCase');
      }
      rules.checkCase(next, INVESTIGATION);
      const { government } = await resolve(tx, next, INVESTIGATION);
      authorizeIn(principal, 'REGISTER_CASE', government);
      if (report && (await caseOfDocumentNo(tx, report.documentNo))) {
        throw badInput(rules.at(INVESTIGATION.report, 'documentNo'), `${report.documentNo} is already registered for another case`);
      }
      const row = insertInvestigation(tx, accidentId, investigation);
      if (report) insertReport(tx, row, report);
      await tx.flush();
      await recordCaseChange(tx, accidentId, change(actor, 'RECORD_INVESTIGATION', { investigation, report }), next);
      return accidentId;
    }),
  );
}

/** Records the approved report of an investigated case. Idempotent on the document number. */
export async function recordInvestigationReport(em: EntityManager, principal: Principal, accidentId: string, draft: rules.ReportDraft, now = new Date()): Promise<string> {
  checkAllText(draft);
  const report = rules.normaliseReport(draft, REPORT.report, now);
  return onceForDocumentNo(() =>
    em.fork().transactional(async (tx) => {
      const { loaded, actor } = await caseToChange(tx, principal, accidentId, 'REGISTER_CASE');
      if (!loaded.investigation) throw new DomainError('INVALID_TRANSITION', 'record the investigation first (recordInvestigation)');
      const next: CaseFacts = { ...loaded.facts, report };
      const current = loaded.facts.report;
      if (current?.documentNo === report.documentNo) return sameOrConflict(tx, principal, accidentId, next, ['report'], 'documentNo');
      if (current) throw new DomainError('INVALID_TRANSITION', `the case already has its report ${current.documentNo}: change it with correctAccidentCase`);
      if (await caseOfDocumentNo(tx, report.documentNo)) throw badInput('documentNo', `${report.documentNo} is already registered for another case`);
      rules.checkCase(next, REPORT);
      insertReport(tx, loaded.investigation, report);
      await tx.flush();
      await recordCaseChange(tx, accidentId, change(actor, 'RECORD_REPORT', { report }), next);
      return accidentId;
    }),
  );
}

function applyFacts(tx: EntityManager, loaded: LoadedCase, next: CaseFacts): void {
  const a = next.accident;
  Object.assign(loaded.accident, {
    title: a.title,
    level: a.level,
    sector: a.sector,
    occurredAt: new Date(a.occurredAt),
    deaths: a.deaths,
    injuries: a.injuries,
    directLossYuan: a.directLossYuan,
  });
  if (loaded.accident.locationRegion.id !== a.locationRegionId) loaded.accident.locationRegion = tx.getReference(Region, a.locationRegionId, { wrapped: true });
  if (loaded.accident.enterprise.id !== a.enterpriseId) loaded.accident.enterprise = tx.getReference(Enterprise, a.enterpriseId, { wrapped: true });
  const i = next.investigation;
  if (i && loaded.investigation) {
    const row = loaded.investigation;
    Object.assign(row, { escalated: i.escalated, listedSupervisionBy: i.listedSupervisionBy });
    if (row.leadDepartment.id !== i.leadDepartmentId) row.leadDepartment = tx.getReference(Department, i.leadDepartmentId, { wrapped: true });
    if ((row.delegatedEvaluationRegion?.id ?? null) !== i.delegatedEvaluationRegionId) {
      row.delegatedEvaluationRegion = i.delegatedEvaluationRegionId ? tx.getReference(Region, i.delegatedEvaluationRegionId, { wrapped: true }) : null;
    }
    const current = row.departments.getItems().map((d) => d.id).sort();
    if (current.join() !== i.departmentIds.join()) row.departments.set(i.departmentIds.map((id) => tx.getReference(Department, id)));
  }
  const r = next.report;
  if (r && loaded.report) {
    Object.assign(loaded.report, { documentNo: r.documentNo, approvedAt: new Date(r.approvedAt) });
    // Rows keep their ids where a position stays; nothing refers to them before closure.
    r.measures.forEach((m, seq) => {
      const row = loaded.measures[seq];
      if (row) Object.assign(row, { seq: seq + 1, text: m.text, responsibleUnits: m.responsibleUnits });
      else tx.create(Measure, { report: loaded.report!, seq: seq + 1, ...m });
    });
    loaded.measures.slice(r.measures.length).forEach((row) => tx.remove(row));
    r.accountabilityItems.forEach((item, seq) => {
      const row = loaded.items[seq];
      if (row) Object.assign(row, { seq: seq + 1, ...item });
      else tx.create(AccountabilityItem, { report: loaded.report!, seq: seq + 1, ...item });
    });
    loaded.items.slice(r.accountabilityItems.length).forEach((row) => tx.remove(row));
  }
}

/**
 * Corrects a case before closure (after 结案 the evaluation works from the case as closed: INVALID_TRANSITION).
 * The office must be allowed on the case both as it stands and as corrected. Each correction is one audit
 * entry with the reason and every field's before and after; a correction that changes nothing writes nothing.
 */
export async function correctAccidentCase(
  em: EntityManager,
  principal: Principal,
  accidentId: string,
  reason: string,
  patch: CasePatch,
  now = new Date(),
  originHazardId?: string,
): Promise<string> {
  checkAllText({ reason, ...patch });
  const why = rules.paragraph('reason', reason);
  return em.fork().transactional(async (tx) => {
    const { loaded, actor } = await caseToChange(tx, principal, accidentId, 'CORRECT_CASE');
    rules.checkCorrectable(loaded.report?.closedAt);
    const next = rules.applyCorrection(loaded.facts, patch, now, CORRECTION);
    const changes = rules.differences(loaded.facts, next);
    // The hazard the accident came from (checked by the caller: one it sees, of the case's enterprise) is named once.
    const current = loaded.accident.originHazardId ?? null;
    if (originHazardId && current !== originHazardId) {
      if (current) throw badInput('originHazardId', `the case already names hazard ${current} as its origin`);
      changes.push({ field: 'originHazardId', before: null, after: originHazardId });
      loaded.accident.originHazardId = originHazardId;
    }
    if (!changes.length) return accidentId;
    const { government } = await resolve(tx, next, CORRECTION);
    authorizeIn(principal, 'CORRECT_CASE', government, 'the corrected case');
    if (next.report && next.report.documentNo !== loaded.facts.report?.documentNo) {
      const holder = await caseOfDocumentNo(tx, next.report.documentNo);
      if (holder && holder !== accidentId) throw badInput('report.documentNo', `${next.report.documentNo} is already registered for another case`);
    }
    applyFacts(tx, loaded, next);
    await tx.flush();
    await recordCaseChange(tx, accidentId, change(actor, 'CORRECT_CASE', { reason: why, changes }), next);
    return accidentId;
  });
}
