import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { allow, covers, type Principal } from '../../../domain/access.js';
import { chinaDate } from '../../../domain/calendar.js';
import { CAPS } from '../../../domain/caps.js';
import { badInput, DomainError } from '../../../domain/errors.js';
import { evaluationScope, initialEvaluationState, type EvaluationCase } from '../../../domain/evaluation.js';
import { casesOf, problem, refusalAt, registerName, sortProblems, type CaseRow, type ImportProblem } from '../../../domain/import.js';
import { normaliseCreditCode, pastInstant, type CaseFacts } from '../../../domain/intake.js';
import { isRecordId, notFound, textProblem } from '../../../domain/text.js';
import { Department, Enterprise, InvestigationReport, Region } from '../../../schema/entities/index.js';
import { logger } from '../../../infra/logger.js';
import { closeCase, startEvaluationWorkflow } from '../../evaluation/case-closure.js';
import { registerInTransaction, registrationFacts, type RegisterDraft } from '../intake.service.js';
import { readImportFile, type ImportFormat, type ReadLimits } from './import-file.js';

// The bulk import of historical cases: every row goes through the intake's own normalisation, checks, access
// rule and audit entry (registerInTransaction), and closed cases through the one closure path (closeCase), all
// in one transaction. A file with any refused row writes nothing and answers with every refusal it found.

export interface ImportProgress {
  stage: 'checking' | 'registering' | 'closing';
  done: number;
  total: number;
}

export interface ImportOptions {
  /** Check and answer as an import would, then write nothing. */
  dryRun?: boolean;
  now?: Date;
  onProgress?: (progress: ImportProgress) => void;
  readLimits?: ReadLimits;
}

export interface ImportedCase {
  sheet: string;
  row: number;
  documentNo: string;
  accidentId: string;
  /** False when the document number already held this case (a file imported again). */
  created: boolean;
}

export interface ImportResult {
  dryRun: boolean;
  /** The file's cases are in the database (false for a dry run, and whenever a row was refused). */
  committed: boolean;
  rows: number;
  registered: number;
  alreadyRegistered: number;
  closed: number;
  alreadyClosed: number;
  problems: ImportProblem[];
  cases: ImportedCase[];
  /** Closed by this import: start their evaluation workflows once committed (startEvaluationWorkflow). */
  closedCases: EvaluationCase[];
}

/** Rows between clearing the transaction's identity map: flushes stay cheap however long the file is. */
const CLEAR_EVERY = 10;
const PROGRESS_EVERY = 50;
const log = logger('api.import');
const IN_CHUNK = 5_000;
/** Stands in for a reference the file names but the register lacks, so the row's other fields are still checked. */
const UNRESOLVED = '00000000-0000-4000-8000-000000000000';

/** Thrown out of the transaction to roll it back. */
class Rollback extends Error {}

/** Rows whose key is one of `values`, a chunk of keys a statement; text PostgreSQL could not take matches nothing. */
async function findIn<T extends object>(values: Iterable<string>, find: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const all = [...new Set(values)].filter((v) => v.length <= CAPS.name && !textProblem(v));
  const found: T[] = [];
  for (let i = 0; i < all.length; i += IN_CHUNK) found.push(...(await find(all.slice(i, i + IN_CHUNK))));
  return found;
}

// ---- the register: codes and names typed in a file → record ids ------------------------------------------

interface DepartmentRef {
  id: string;
  name: string;
  regionCode: string;
}

interface Register {
  regionsByCode: Map<string, { id: string; code: string }>;
  regionsById: Map<string, { id: string; code: string }>;
  enterprisesByCode: Map<string, string>;
  enterprisesByName: Map<string, string[]>;
  enterpriseIds: Set<string>;
  departmentsByName: Map<string, DepartmentRef[]>;
  departmentsById: Map<string, DepartmentRef>;
}

/** `530302/麒麟区应急管理局` names a department of one region; a bare name may match several. */
function departmentRef(text: string): { code: string | null; name: string | null } {
  const qualified = /^(\d{6,12})\s*[/／:：]\s*(.+)$/.exec(text);
  return qualified ? { code: qualified[1]!, name: registerName(qualified[2]!) } : { code: null, name: registerName(text) };
}

async function loadRegister(em: EntityManager, cases: CaseRow[]): Promise<Register> {
  const regionRefs = cases.flatMap((c) => [c.location, c.delegatedTo ?? '']).filter(Boolean);
  const enterpriseRefs = cases.map((c) => c.enterprise).filter(Boolean);
  const departmentRefs = cases.flatMap((c) => [c.leadDepartment, ...c.departments]).filter(Boolean);
  const creditCodes = enterpriseRefs.map((e) => creditCodeOf(e)).filter((e): e is string => Boolean(e));
  const regions = [
    ...(await findIn(regionRefs.filter((r) => !isRecordId(r)), (codes) => em.find(Region, { code: { $in: codes } }, { fields: ['id', 'code'] }))),
    ...(await findIn(regionRefs.filter(isRecordId).map((r) => r.toLowerCase()), (ids) => em.find(Region, { id: { $in: ids } }, { fields: ['id', 'code'] }))),
  ];
  const enterprises = [
    ...(await findIn(creditCodes, (codes) => em.find(Enterprise, { creditCode: { $in: codes } }, { fields: ['id', 'name', 'creditCode'] }))),
    ...(await findIn(
      enterpriseRefs.map((e) => registerName(e)).filter((e): e is string => Boolean(e)),
      (names) => em.find(Enterprise, { name: { $in: names } }, { fields: ['id', 'name', 'creditCode'] }),
    )),
    ...(await findIn(enterpriseRefs.filter(isRecordId).map((e) => e.toLowerCase()), (ids) => em.find(Enterprise, { id: { $in: ids } }, { fields: ['id', 'name', 'creditCode'] }))),
  ];
  const departmentNames = departmentRefs.filter((d) => !isRecordId(d)).map((d) => departmentRef(d).name).filter((d): d is string => Boolean(d));
  const departments = [
    ...(await findIn(departmentNames, (names) => em.find(Department, { name: { $in: names } }, { populate: ['region'] }))),
    ...(await findIn(departmentRefs.filter(isRecordId).map((d) => d.toLowerCase()), (ids) => em.find(Department, { id: { $in: ids } }, { populate: ['region'] }))),
  ];
  const register: Register = {
    regionsByCode: new Map(regions.map((r) => [r.code, { id: r.id, code: r.code }])),
    regionsById: new Map(regions.map((r) => [r.id, { id: r.id, code: r.code }])),
    enterprisesByCode: new Map(enterprises.filter((e) => e.creditCode).map((e) => [e.creditCode!, e.id])),
    enterprisesByName: new Map(),
    enterpriseIds: new Set(enterprises.map((e) => e.id)),
    departmentsByName: new Map(),
    departmentsById: new Map(),
  };
  for (const e of new Map(enterprises.map((e) => [e.id, e])).values()) register.enterprisesByName.set(e.name, [...(register.enterprisesByName.get(e.name) ?? []), e.id]);
  for (const d of new Map(departments.map((d) => [d.id, d])).values()) {
    const ref = { id: d.id, name: d.name, regionCode: d.region.getEntity().code };
    register.departmentsById.set(d.id, ref);
    register.departmentsByName.set(d.name, [...(register.departmentsByName.get(d.name) ?? []), ref]);
  }
  return register;
}

function creditCodeOf(text: string): string | null {
  try {
    return normaliseCreditCode('enterprise', text);
  } catch {
    return null;
  }
}

/** The ids a case row names, or the refusal of each name the register lacks (NOT_FOUND, or ambiguous). */
function resolveRow(c: CaseRow, register: Register): { ids: { location: string; enterprise: string; lead: string; departments: string[]; delegatedTo: string | null }; errors: DomainError[] } {
  const errors: DomainError[] = [];
  const refuse = (error: DomainError) => {
    errors.push(error);
    return UNRESOLVED;
  };
  const region = (field: string, text: string) => {
    const found = isRecordId(text) ? register.regionsById.get(text.toLowerCase()) : register.regionsByCode.get(text);
    if (found) return found;
    refuse(text ? new DomainError('NOT_FOUND', `${field}: no region has the division code ${text}`, field) : badInput(field, 'give the division code (行政区划代码) of the region'));
    return null;
  };
  const location = region('locationRegionId', c.location);
  const delegated = c.delegatedTo ? region('investigation.delegatedEvaluationRegionId', c.delegatedTo) : null;

  let enterprise: string;
  const field = 'enterpriseId';
  if (!c.enterprise) enterprise = refuse(badInput(field, 'give the enterprise\'s unified social credit code (统一社会信用代码) or its registered name'));
  else if (isRecordId(c.enterprise)) enterprise = register.enterpriseIds.has(c.enterprise.toLowerCase()) ? c.enterprise.toLowerCase() : refuse(notFound(field));
  else {
    const code = creditCodeOf(c.enterprise);
    const byName = register.enterprisesByName.get(registerName(c.enterprise) ?? '') ?? [];
    if (code && register.enterprisesByCode.has(code)) enterprise = register.enterprisesByCode.get(code)!;
    else if (byName.length === 1) enterprise = byName[0]!;
    else if (byName.length > 1) enterprise = refuse(badInput(field, `${byName.length} enterprises are named ${c.enterprise}: give its unified social credit code instead`));
    else enterprise = refuse(new DomainError('NOT_FOUND', `${field}: no enterprise has the credit code or name ${c.enterprise} (an administrator registers it with createEnterprise)`, field));
  }

  const department = (field: string, text: string): string => {
    if (isRecordId(text)) return register.departmentsById.get(text.toLowerCase())?.id ?? refuse(notFound(field));
    const { code, name } = departmentRef(text);
    const named = register.departmentsByName.get(name ?? '') ?? [];
    const candidates = code ? named.filter((d) => d.regionCode === code) : named;
    if (candidates.length === 1) return candidates[0]!.id;
    // The same name in several regions: the one over the accident's location, if that settles it.
    const near = location ? candidates.filter((d) => covers(d.regionCode, location.code)) : [];
    if (near.length === 1) return near[0]!.id;
    if (candidates.length > 1) {
      return refuse(badInput(field, `departments named ${name} exist in regions ${candidates.map((d) => d.regionCode).join(', ')}: write it as <region code>/${name}`));
    }
    return refuse(new DomainError('NOT_FOUND', `${field}: no department is named ${text} (an administrator registers it with createDepartment)`, field));
  };
  const lead = c.leadDepartment ? department('investigation.leadDepartmentId', c.leadDepartment) : refuse(badInput('investigation.leadDepartmentId', 'name the lead department'));
  const departments = c.departments.map((d, i) => department(`investigation.departmentIds[${i}]`, d));
  return { ids: { location: location?.id ?? UNRESOLVED, enterprise, lead, departments, delegatedTo: delegated ? delegated.id : c.delegatedTo ? UNRESOLVED : null }, errors };
}

// ---- rows → the intake's drafts ---------------------------------------------------------------------------

interface CheckedRow {
  row: CaseRow;
  facts: CaseFacts;
  closedAt: Date | null;
}

function draftOf(c: CaseRow, ids: ReturnType<typeof resolveRow>['ids']): RegisterDraft {
  return {
    title: c.title,
    level: c.level,
    sector: c.sector,
    occurredAt: c.occurredAt as Date,
    locationRegionId: ids.location,
    enterpriseId: ids.enterprise,
    deaths: c.deaths as number,
    injuries: c.injuries as number,
    directLossYuan: c.directLossYuan,
    investigation: {
      leadDepartmentId: ids.lead,
      departmentIds: ids.departments,
      escalated: c.escalated as boolean,
      listedSupervisionBy: c.listedSupervisionBy,
      delegatedEvaluationRegionId: ids.delegatedTo,
      report: {
        documentNo: c.documentNo,
        approvedAt: c.approvedAt as Date,
        measures: c.measures.map(({ text, responsibleUnits }) => ({ text, responsibleUnits })),
        accountabilityItems: c.accountabilityItems.map(({ kind, subject, recommendation }) => ({ kind, subject, recommendation })),
      },
    },
  };
}

/** The intake's checks of one row, without the database: its facts, or its refusals. */
function checkRow(c: CaseRow, register: Register, now: Date): CheckedRow | ImportProblem[] {
  const { ids, errors } = resolveRow(c, register);
  const problems = errors.map((e) => refusalAt(c, e));
  let facts: CaseFacts | null = null;
  try {
    facts = registrationFacts(draftOf(c, ids), now);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    problems.push(refusalAt(c, error));
  }
  let closedAt: Date | null = null;
  if (c.closedAt !== undefined) {
    try {
      closedAt = new Date(pastInstant('closedAt', c.closedAt, now));
      if (facts?.report && closedAt.toISOString() < facts.report.approvedAt) throw badInput('closedAt', 'a case closes after its report is approved');
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      problems.push(refusalAt(c, error));
    }
  }
  return problems.length || !facts ? problems : { row: c, facts, closedAt };
}

// ---- the import -------------------------------------------------------------------------------------------

function isDocumentNoRace(error: unknown): boolean {
  const e = error as { name?: unknown; constraint?: unknown };
  return e?.name === 'UniqueConstraintViolationException' && e.constraint === 'investigation_report_document_no_unique';
}

/**
 * Imports a file of cases for `principal`, who must be allowed to register each one (the intake's rule, row by
 * row). All or nothing: any refused row, and the answer lists every refusal with its row, column and reason.
 * Importing the same file again registers nothing new (document numbers), and closes only what was not closed.
 */
export async function importCases(em: EntityManager, principal: Principal, bytes: Buffer, format: ImportFormat, options: ImportOptions = {}): Promise<ImportResult> {
  if (!principal.grants.length) throw new DomainError('FORBIDDEN', 'sign in as a safety office to import cases');
  const now = options.now ?? new Date();
  const sheets = await readImportFile(bytes, format, options.readLimits);
  const problems: ImportProblem[] = [];
  const { cases, layoutOk } = casesOf(sheets, problems);
  const result: ImportResult = {
    dryRun: Boolean(options.dryRun),
    committed: false,
    rows: cases.length,
    registered: 0,
    alreadyRegistered: 0,
    closed: 0,
    alreadyClosed: 0,
    problems,
    cases: [],
    closedCases: [],
  };
  if (!layoutOk) return { ...result, problems: sortProblems(problems) };
  if (!cases.length) {
    problems.push(problem(sheets.cases?.name ?? 'cases', 2, null, null, 'BAD_USER_INPUT', 'the file has no cases: one row a case, below the header row'));
    return result;
  }

  const register = await loadRegister(em.fork(), cases);
  const checked: CheckedRow[] = [];
  cases.forEach((c, i) => {
    const outcome = checkRow(c, register, now);
    if (Array.isArray(outcome)) problems.push(...outcome);
    else checked.push(outcome);
    if ((i + 1) % PROGRESS_EVERY === 0 || i + 1 === cases.length) options.onProgress?.({ stage: 'checking', done: i + 1, total: cases.length });
  });

  // A dry run, and a file with a refused row, roll back: the answer says what the import did or would do.
  let written: Written | undefined;
  const checkedProblems = problems.length;
  const write = () =>
    em.fork().transactional(async (tx) => {
      written = await writeRows(tx, principal, checked, problems, options);
      if (problems.length || options.dryRun) throw new Rollback();
    });
  try {
    try {
      await write();
    } catch (error) {
      // Another import or registration took a document number first: run again, and meet it as idempotent.
      if (!isDocumentNoRace(error)) throw error;
      problems.length = checkedProblems;
      await write();
    }
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
    if (problems.length) return { ...result, problems: sortProblems(problems) };
    return { ...result, ...written!.counts, cases: written!.cases };
  }
  return { ...result, ...written!.counts, committed: true, cases: written!.cases, closedCases: written!.closedCases };
}

interface Written {
  counts: Pick<ImportResult, 'registered' | 'alreadyRegistered' | 'closed' | 'alreadyClosed'>;
  cases: ImportedCase[];
  closedCases: EvaluationCase[];
}

async function writeRows(tx: EntityManager, principal: Principal, checked: CheckedRow[], problems: ImportProblem[], options: ImportOptions): Promise<Written> {
  const written: Written = { counts: { registered: 0, alreadyRegistered: 0, closed: 0, alreadyClosed: 0 }, cases: [], closedCases: [] };
  const toClose: { row: CaseRow; accidentId: string; closedAt: Date; actor: Awaited<ReturnType<typeof registerInTransaction>>['actor']; created: boolean }[] = [];
  for (const [i, { row, facts, closedAt }] of checked.entries()) {
    try {
      const { accidentId, created, actor } = await registerInTransaction(tx, principal, facts);
      written.cases.push({ sheet: row.sheet, row: row.row, documentNo: facts.report!.documentNo, accidentId, created });
      if (created) written.counts.registered++;
      else written.counts.alreadyRegistered++;
      if (closedAt) toClose.push({ row, accidentId, closedAt, actor, created });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      problems.push(refusalAt(row, error));
    }
    if ((i + 1) % CLEAR_EVERY === 0) tx.clear();
    if ((i + 1) % PROGRESS_EVERY === 0 || i + 1 === checked.length) options.onProgress?.({ stage: 'registering', done: i + 1, total: checked.length });
  }
  // Closure reads each case back as registered: from the database, not from this unit of work's new entities.
  tx.clear();
  for (const [i, { row, accidentId, closedAt, actor, created }] of toClose.entries()) {
    try {
      const report = created ? null : await tx.findOne(InvestigationReport, { investigation: { accident: accidentId } }, { fields: ['closedAt'] });
      if (report?.closedAt) {
        if (chinaDate(report.closedAt) !== chinaDate(closedAt)) {
          throw new DomainError('INVALID_TRANSITION', `closedAt: the case was already closed on ${chinaDate(report.closedAt)}, not ${chinaDate(closedAt)}`, 'closedAt');
        }
        written.counts.alreadyClosed++;
      } else {
        const closed = await closeCase(tx, accidentId, closedAt, actor);
        // Registering a case is for the investigating office or one above it; closing it is for the organiser's own
        // office, as closeAccidentCase requires. A refusal here rolls the whole file back.
        if (!allow(principal, 'CLOSE_CASE', evaluationScope(initialEvaluationState(closed)))) {
          throw new DomainError('FORBIDDEN', `closedAt: only the organising office (${closed.organiserName}) closes this case`, 'closedAt');
        }
        written.closedCases.push(closed);
        written.counts.closed++;
      }
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      problems.push(refusalAt(row, error.field ? error : new DomainError(error.code, error.message, 'closedAt')));
    }
    if ((i + 1) % CLEAR_EVERY === 0) tx.clear();
    if ((i + 1) % PROGRESS_EVERY === 0 || i + 1 === toClose.length) options.onProgress?.({ stage: 'closing', done: i + 1, total: toClose.length });
  }
  return written;
}

/**
 * Starts the evaluation workflows of the cases an import closed, a few at a time, after its commit. Returns how
 * many started; the others (Temporal unreachable) stay recorded without a workflow, and the next worker start
 * picks them up (startPendingEvaluations).
 */
export async function startImportedEvaluations(em: EntityManager, client: Client, taskQueue: string, cases: EvaluationCase[], concurrency = 8): Promise<number> {
  let next = 0;
  let started = 0;
  const run = async () => {
    while (next < cases.length) {
      const evaluationCase = cases[next++]!;
      try {
        await startEvaluationWorkflow(em.fork(), client, taskQueue, evaluationCase);
        started++;
      } catch (error) {
        log.warn({ err: error, accidentId: evaluationCase.accidentId }, 'evaluation workflow not started; the next worker start will start it');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, cases.length) }, run));
  return started;
}
