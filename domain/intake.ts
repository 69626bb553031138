import { regionPrefix } from './access.js';
import { CAPS } from './caps.js';
import { ACCOUNTABILITY_KINDS, SECTORS, type AccountabilityKind, type Sector } from './case.js';
import { badInput, DomainError, invalidTransition } from './errors.js';
import { ACCIDENT_LEVELS, investigatingLevel, type AccidentLevel } from './organiser.js';
import { ancestorAt, levelRank, type RegionLevel, type RegionPath, type RegionRef } from './regions.js';
import { checkText, isRecordId, notFound } from './text.js';

// What a case must hold to be registered, what may be corrected before closure, and how typed text is
// normalised so that the same report entered twice compares equal (idempotency on the document number).

/** Departments taking part in one investigation, and units responsible for one measure. */
export const INTAKE_CAPS = { departments: 60, responsibleUnits: 30 } as const;

// ---- the case as stored and compared: normalised, JSON-safe -----------------------------------------------

export interface AccidentFacts {
  title: string;
  level: AccidentLevel;
  sector: Sector;
  /** ISO instant. */
  occurredAt: string;
  locationRegionId: string;
  enterpriseId: string;
  deaths: number;
  injuries: number;
  /** Exact decimal with two places, e.g. "1380000.00". */
  directLossYuan: string;
}

export interface InvestigationFacts {
  leadDepartmentId: string;
  /** Every department that took part, the lead included, sorted. */
  departmentIds: string[];
  escalated: boolean;
  listedSupervisionBy: string | null;
  delegatedEvaluationRegionId: string | null;
}

export interface MeasureFacts {
  text: string;
  responsibleUnits: string[];
}

export interface AccountabilityFacts {
  kind: AccountabilityKind;
  subject: string;
  recommendation: string;
}

export interface ReportFacts {
  documentNo: string;
  approvedAt: string;
  measures: MeasureFacts[];
  accountabilityItems: AccountabilityFacts[];
}

export interface CaseFacts {
  accident: AccidentFacts;
  investigation: InvestigationFacts | null;
  report: ReportFacts | null;
}

// ---- what a client sends ---------------------------------------------------------------------------------

export interface AccidentDraft {
  title: string;
  level: string;
  sector: string;
  occurredAt: Date | string;
  locationRegionId: string;
  enterpriseId: string;
  deaths: number;
  injuries: number;
  directLossYuan: string;
}

export interface InvestigationDraft {
  leadDepartmentId: string;
  /** Departments that took part; the lead is added when missing. */
  departmentIds?: string[] | null;
  escalated?: boolean | null;
  listedSupervisionBy?: string | null;
  delegatedEvaluationRegionId?: string | null;
}

export interface ReportDraft {
  documentNo: string;
  approvedAt: Date | string;
  measures: MeasureFacts[];
  accountabilityItems?: { kind: string; subject: string; recommendation: string }[] | null;
}

/** A correction: each part lists only what changes; a list given replaces the whole list. */
export interface CasePatch {
  accident?: Partial<AccidentDraft> | null;
  investigation?: Partial<InvestigationDraft> | null;
  report?: Partial<ReportDraft> | null;
}

/** Where each part of the case sits in the client's input, so a refusal names the field the client sent. */
export interface PartPaths {
  accident: string;
  investigation: string;
  report: string;
}

export const at = (prefix: string, name: string): string => (prefix ? `${prefix}.${name}` : name);

// ---- normalisation ---------------------------------------------------------------------------------------

/** A one-line name or number: NFC, whitespace runs (full-width spaces included) made one space, trimmed. */
export function singleLine(path: string, value: unknown, max: number = CAPS.name): string {
  if (typeof value !== 'string') throw badInput(path, 'must be text');
  checkText(path, value, max);
  const line = value.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (!line) throw badInput(path, 'must not be empty');
  return line;
}

/** A paragraph: NFC, trimmed, line breaks kept. */
export function paragraph(path: string, value: unknown, max: number = CAPS.text): string {
  if (typeof value !== 'string') throw badInput(path, 'must be text');
  checkText(path, value, max);
  const text = value.normalize('NFC').replace(/\r\n?/g, '\n').trim();
  if (!text) throw badInput(path, 'must not be empty');
  return text;
}

function optionalLine(path: string, value: unknown, max: number = CAPS.name): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' && !value.trim()) return null;
  return singleLine(path, value, max);
}

/**
 * A government document number (发文字号), e.g. 麒政复〔2025〕37号. GB/T 9704-2012 §7.2.3 puts the year in
 * 六角括号〔〕; square, lenticular and round brackets typed instead are read as the same number.
 */
export function normaliseDocumentNo(path: string, value: unknown): string {
  const line = singleLine(path, value).replace(/\s+/g, '');
  return line.replace(/[[【［(（]\s*(\d{4})\s*[\]】］)）]/g, '〔$1〕');
}

export function recordId(path: string, value: unknown): string {
  if (!isRecordId(value)) throw notFound(path);
  return value.toLowerCase();
}

function optionalRecordId(path: string, value: unknown): string | null {
  return value === null || value === undefined || value === '' ? null : recordId(path, value);
}

const EARLIEST = Date.UTC(1949, 9, 1);

/** An instant that has happened: not in the future (a minute of clock skew allowed), not before 1949-10-01. */
export function pastInstant(path: string, value: unknown, now: Date): string {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw badInput(path, 'must be a date and time');
  if (date.getTime() > now.getTime() + 60_000) throw badInput(path, 'must not be in the future');
  if (date.getTime() < EARLIEST) throw badInput(path, 'must not be before 1949-10-01');
  return date.toISOString();
}

function count(path: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw badInput(path, 'must be a whole number, zero or more');
  if (value > 1_000_000) throw badInput(path, 'must be at most 1000000');
  return value;
}

const YUAN = /^(\d{1,14})(?:\.(\d{1,2}))?$/;

/** Yuan as an exact decimal with two places (the column is numeric(16,2)); no sign, grouping or exponent. */
export function normaliseYuan(path: string, value: unknown): string {
  const match = typeof value === 'string' ? YUAN.exec(value.trim()) : null;
  if (!match) throw badInput(path, 'must be a decimal amount in yuan with at most 14 digits and 2 decimals, e.g. 1380000.00');
  return `${BigInt(match[1]!).toString()}.${(match[2] ?? '').padEnd(2, '0')}`;
}

function oneOf<T extends string>(path: string, value: unknown, values: readonly T[]): T {
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) throw badInput(path, `must be one of ${values.join(', ')}`);
  return value as T;
}

function list(path: string, value: unknown, min: number, max: number): unknown[] {
  if (!Array.isArray(value)) throw badInput(path, 'must be a list');
  if (value.length < min) throw badInput(path, min === 1 ? 'must not be empty' : `must have at least ${min} entries`);
  if (value.length > max) throw badInput(path, `must have at most ${max} entries`);
  return value;
}

export function normaliseAccident(draft: AccidentDraft, prefix: string, now: Date): AccidentFacts {
  return {
    title: singleLine(at(prefix, 'title'), draft.title),
    level: oneOf(at(prefix, 'level'), draft.level, ACCIDENT_LEVELS),
    sector: oneOf(at(prefix, 'sector'), draft.sector, SECTORS),
    occurredAt: pastInstant(at(prefix, 'occurredAt'), draft.occurredAt, now),
    locationRegionId: recordId(at(prefix, 'locationRegionId'), draft.locationRegionId),
    enterpriseId: recordId(at(prefix, 'enterpriseId'), draft.enterpriseId),
    deaths: count(at(prefix, 'deaths'), draft.deaths),
    injuries: count(at(prefix, 'injuries'), draft.injuries),
    directLossYuan: normaliseYuan(at(prefix, 'directLossYuan'), draft.directLossYuan),
  };
}

export function normaliseInvestigation(draft: InvestigationDraft, prefix: string): InvestigationFacts {
  const lead = recordId(at(prefix, 'leadDepartmentId'), draft.leadDepartmentId);
  const given = draft.departmentIds ?? [];
  list(at(prefix, 'departmentIds'), given, 0, INTAKE_CAPS.departments);
  const ids = new Set(given.map((id, i) => recordId(`${at(prefix, 'departmentIds')}[${i}]`, id)));
  ids.add(lead);
  if (ids.size > INTAKE_CAPS.departments) throw badInput(at(prefix, 'departmentIds'), `must have at most ${INTAKE_CAPS.departments} entries`);
  if (draft.escalated !== undefined && draft.escalated !== null && typeof draft.escalated !== 'boolean') throw badInput(at(prefix, 'escalated'), 'must be true or false');
  return {
    leadDepartmentId: lead,
    departmentIds: [...ids].sort(),
    escalated: draft.escalated ?? false,
    listedSupervisionBy: optionalLine(at(prefix, 'listedSupervisionBy'), draft.listedSupervisionBy),
    delegatedEvaluationRegionId: optionalRecordId(at(prefix, 'delegatedEvaluationRegionId'), draft.delegatedEvaluationRegionId),
  };
}

export function normaliseReport(draft: ReportDraft, prefix: string, now: Date): ReportFacts {
  const measuresPath = at(prefix, 'measures');
  const itemsPath = at(prefix, 'accountabilityItems');
  const measures = list(measuresPath, draft.measures, 1, CAPS.measures).map((raw, i) => {
    const m = (raw ?? {}) as Partial<MeasureFacts>;
    const unitsPath = `${measuresPath}[${i}].responsibleUnits`;
    const units = list(unitsPath, m.responsibleUnits, 1, INTAKE_CAPS.responsibleUnits).map((u, j) => singleLine(`${unitsPath}[${j}]`, u));
    return { text: paragraph(`${measuresPath}[${i}].text`, m.text), responsibleUnits: [...new Set(units)] };
  });
  const accountabilityItems = list(itemsPath, draft.accountabilityItems ?? [], 0, CAPS.accountabilityItems).map((raw, i) => {
    const a = (raw ?? {}) as Partial<AccountabilityFacts>;
    return {
      kind: oneOf(`${itemsPath}[${i}].kind`, a.kind, ACCOUNTABILITY_KINDS),
      subject: singleLine(`${itemsPath}[${i}].subject`, a.subject),
      recommendation: paragraph(`${itemsPath}[${i}].recommendation`, a.recommendation),
    };
  });
  return {
    documentNo: normaliseDocumentNo(at(prefix, 'documentNo'), draft.documentNo),
    approvedAt: pastInstant(at(prefix, 'approvedAt'), draft.approvedAt, now),
    measures,
    accountabilityItems,
  };
}

// ---- rules across fields ---------------------------------------------------------------------------------

/**
 * The least level the deaths and the direct loss make (生产安全事故报告和调查处理条例, 国务院令第493号, 第三条):
 * 3, 10, 30 deaths or 10, 50, 100 million yuan make 较大, 重大, 特别重大. Serious injuries count too, but the
 * injuries recorded here are not only serious ones, so they set no bound.
 */
export function minimumLevel(deaths: number, directLossYuan: string): AccidentLevel {
  const yuan = BigInt(directLossYuan.split('.')[0]!);
  if (deaths >= 30 || yuan >= 100_000_000n) return 'EXTRAORDINARY';
  if (deaths >= 10 || yuan >= 50_000_000n) return 'MAJOR';
  if (deaths >= 3 || yuan >= 10_000_000n) return 'LARGER';
  return 'ORDINARY';
}

const LEVEL_NAMES: Record<AccidentLevel, string> = { ORDINARY: '一般', LARGER: '较大', MAJOR: '重大', EXTRAORDINARY: '特别重大' };

/** What a case must hold together: checked on registration and again on every correction. */
export function checkCase(facts: CaseFacts, paths: PartPaths): void {
  const { accident, investigation, report } = facts;
  const least = minimumLevel(accident.deaths, accident.directLossYuan);
  if (ACCIDENT_LEVELS.indexOf(accident.level) < ACCIDENT_LEVELS.indexOf(least)) {
    throw badInput(
      at(paths.accident, 'level'),
      `${accident.deaths} deaths and ${accident.directLossYuan} yuan of direct loss make at least a ${least} (${LEVEL_NAMES[least]}) accident (国务院令第493号 第三条)`,
    );
  }
  if (report && !investigation) throw invalidTransition('a report is recorded with its investigation: record the investigation first');
  if (investigation?.delegatedEvaluationRegionId && !investigation.escalated) {
    throw badInput(at(paths.investigation, 'delegatedEvaluationRegionId'), 'only an escalated investigation (提级调查) may delegate its evaluation (001 §4)');
  }
  if (report && report.approvedAt < accident.occurredAt) {
    throw badInput(at(paths.report, 'approvedAt'), 'the report cannot be approved before the accident happened');
  }
}

/**
 * The government whose office registers a case: the one that investigates it, by level and one level up when
 * escalated. The State Council (特别重大) has no office in this system, so the province stands in for it.
 */
export function investigatingGovernment(level: AccidentLevel, escalated: boolean, location: RegionPath, locationPath: string): RegionRef {
  const wanted = investigatingLevel(level, escalated);
  const government = wanted === 'NATION' ? location[0] : ancestorAt(location, wanted);
  if (!government) throw badInput(locationPath, `the accident location has no ${wanted} government: give a region at that level or below`);
  return government;
}

// ---- corrections -----------------------------------------------------------------------------------------

/** Corrections are for cases not yet closed: after 结案 the evaluation works from the case as closed. */
export function checkCorrectable(closedAt: Date | null | undefined): void {
  if (closedAt) throw invalidTransition(`the case was closed on ${closedAt.toISOString().slice(0, 10)}; a closed case cannot be corrected`);
}

const given = <T extends object>(patch: T | null | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(patch ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;

/** The case as it would be after a correction, normalised and checked like a registration. */
export function applyCorrection(current: CaseFacts, patch: CasePatch, now: Date, paths: PartPaths): CaseFacts {
  if (patch.investigation && !current.investigation) {
    throw invalidTransition('the case has no investigation yet: record it with recordInvestigation');
  }
  if (patch.report && !current.report) throw invalidTransition('the case has no report yet: record it with recordInvestigationReport');
  const accident = patch.accident ? normaliseAccident({ ...current.accident, ...given(patch.accident) } as AccidentDraft, paths.accident, now) : current.accident;
  const investigation =
    patch.investigation && current.investigation
      ? normaliseInvestigation({ ...current.investigation, ...given(patch.investigation) } as InvestigationDraft, paths.investigation)
      : current.investigation;
  const report = patch.report && current.report ? normaliseReport({ ...current.report, ...given(patch.report) } as ReportDraft, paths.report, now) : current.report;
  const next = { accident, investigation, report };
  checkCase(next, paths);
  return next;
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function diffObject(prefix: string, before: object | null, after: object | null, out: FieldChange[]): void {
  if (!before || !after) {
    if (!same(before, after)) out.push({ field: prefix, before, after });
    return;
  }
  for (const key of Object.keys(after)) {
    const b = (before as Record<string, unknown>)[key];
    const a = (after as Record<string, unknown>)[key];
    if (Array.isArray(a) && a.length && typeof a[0] === 'object') {
      const bs = Array.isArray(b) ? b : [];
      for (let i = 0; i < Math.max(a.length, bs.length); i++) {
        if (!same(bs[i] ?? null, a[i] ?? null)) out.push({ field: `${prefix}.${key}[${i}]`, before: bs[i] ?? null, after: a[i] ?? null });
      }
    } else if (!same(b, a)) {
      out.push({ field: `${prefix}.${key}`, before: b ?? null, after: a ?? null });
    }
  }
}

/** What differs between two states of a case, field by field (list entries by position). */
export function differences(before: CaseFacts, after: CaseFacts): FieldChange[] {
  const out: FieldChange[] = [];
  diffObject('accident', before.accident, after.accident, out);
  diffObject('investigation', before.investigation, after.investigation, out);
  diffObject('report', before.report, after.report, out);
  return out;
}

/** Differences in the parts a request carries only (a retried `recordInvestigationReport` says nothing of the accident). */
export function conflicts(existing: CaseFacts, requested: CaseFacts, parts: readonly (keyof CaseFacts)[]): FieldChange[] {
  return differences(existing, requested).filter((c) => parts.some((p) => c.field === p || c.field.startsWith(`${p}.`)));
}

// ---- regions, departments, enterprises -------------------------------------------------------------------

const CODE_SHAPE: Record<Exclude<RegionLevel, 'NATION'>, { pattern: RegExp; describe: string }> = {
  PROVINCE: { pattern: /^\d{2}0000$/, describe: 'six digits ending in 0000, e.g. 530000' },
  CITY: { pattern: /^\d{4}00$/, describe: 'six digits ending in 00, e.g. 530300' },
  COUNTY: { pattern: /^\d{6}$/, describe: 'six digits not ending in 00, e.g. 530302' },
  TOWN: { pattern: /^\d{9}(\d{3})?$/, describe: 'nine digits, e.g. 530302001' },
};

/**
 * 行政区划代码 (GB/T 2260, towns per the statistical division code): the shape must match the level, and a
 * region's code must start with its parent's, because access rules read "this region and below" from the code.
 */
export function checkRegionCode(code: string, level: RegionLevel, parent: { code: string; level: RegionLevel; name: string } | null): void {
  if (level === 'NATION') throw badInput('level', 'the State Council is not a region of this system');
  const shape = CODE_SHAPE[level];
  const wrongShape =
    !shape.pattern.test(code) || (level === 'CITY' && code.endsWith('0000')) || (level === 'COUNTY' && code.endsWith('00'));
  if (wrongShape) throw badInput('code', `a ${level} code is ${shape.describe}`);
  if (level === 'PROVINCE') {
    if (parent) throw badInput('parentId', 'a province has no parent region');
    return;
  }
  if (!parent) throw badInput('parentId', `a ${level} needs its parent region`);
  if (levelRank(parent.level) >= levelRank(level)) throw badInput('level', `a ${level} cannot sit under the ${parent.level} ${parent.name}`);
  if (!code.startsWith(regionPrefix(parent.code)) || code === parent.code) {
    throw badInput('code', `${code} is not a division of ${parent.name} (${parent.code}): it must start with ${regionPrefix(parent.code)}`);
  }
}

const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** 统一社会信用代码 (GB 32100-2015): 18 characters, digits and capitals without I, O, S, V, Z; upper-cased. */
export function normaliseCreditCode(path: string, value: unknown): string | null {
  if (value === null || value === undefined || (typeof value === 'string' && !value.trim())) return null;
  const code = singleLine(path, value).toUpperCase();
  if (!CREDIT_CODE.test(code)) throw badInput(path, 'must be an 18-character unified social credit code (统一社会信用代码)');
  return code;
}

/** A refusal that names a field whose record belongs to someone else's region. */
export function outsideRegion(field: string, what: string): DomainError {
  return new DomainError('FORBIDDEN', `${field}: ${what} is outside the region you administer`, field);
}
