import { badInput, DomainError, invalidTransition } from './errors.js';
import type { CampaignRuleProfile } from './campaign.js';
import { checkText } from './text.js';

export const REPORT_SECTIONS = ['ORGANISATION', 'ACCOUNTABILITY', 'MEASURES', 'CONCLUSION'] as const;
/** The four parts of an evaluation report (001 §9). */
export type ReportSection = (typeof REPORT_SECTIONS)[number];

export const REPORT_LISTS = ['PROBLEMS', 'RECOMMENDATIONS', 'GOOD_PRACTICES'] as const;
/** 问题清单, 工作建议清单, 经验做法清单 (000 §五). */
export type ReportList = (typeof REPORT_LISTS)[number];

/**
 * Versioned rules of one jurisdiction for the post-accident evaluation. A running evaluation keeps the
 * profile it started under: the whole object travels in the workflow's input, so later edits here never
 * change a case already under way.
 */
export interface EvaluationRuleProfile {
  id: string;
  version: string;
  /** The issuing document. */
  document: string;
  /** Seed file and clauses the numbers below come from. */
  source: string;
  /** Administrative division code prefix the profile governs; '' for the national default. */
  jurisdictionPrefix: string;
  /** First day (China date) the profile applies to newly closed cases. */
  effectiveFrom: string;
  /** First day it no longer applies (it was replaced), if any. */
  effectiveUntil?: string;
  window: { opensAfterMonths: number; dueAfterMonths: number };
  /** Days the team has from its formation to finish, when the profile sets a limit. */
  teamDays: number | null;
  /** Reminders before the evaluation's due date and the team's deadline, in days. */
  reminderDaysBefore: { window: number[]; team: number[]; task: number[] };
  requiredSections: ReportSection[];
  requiredLists: ReportList[];
  /** The report is final only after a meeting of all team member units (000 §五). */
  requiresMemberMeeting: boolean;
  /** Default days a rectification task gets when the office sets no deadline (office practice, not a seed rule). */
  rectificationDays: number;
  /** The seed clause (or office practice) each rule of the profile comes from. */
  clauses?: Partial<Record<ProfileRule, string>>;
}

/** The rules of a profile that cite a clause of their own. */
export const PROFILE_RULES = ['window', 'teamDays', 'reminderDaysBefore', 'requiredSections', 'requiredLists', 'requiresMemberMeeting', 'rectificationDays'] as const;
export type ProfileRule = (typeof PROFILE_RULES)[number];

const COMMON = {
  window: { opensAfterMonths: 10, dueAfterMonths: 12 },
  reminderDaysBefore: { window: [30, 7, 1], team: [7, 1], task: [7, 1] },
  requiredSections: [...REPORT_SECTIONS],
  rectificationDays: 90,
} satisfies Partial<EvaluationRuleProfile>;

const COMMON_CLAUSES = {
  window: '001 §3; 000 §二; 004 item 3 (10 to 12 months after closure)',
  reminderDaysBefore: 'office practice, not a seed rule',
  requiredSections: '001 §9 (four parts of the report)',
  rectificationDays: 'office practice, not a seed rule',
} satisfies Partial<Record<ProfileRule, string>>;
const NO_TEAM_LIMIT = { teamDays: 'no time limit set by this document', requiredLists: 'none required', requiresMemberMeeting: 'not required' };

export const EVALUATION_PROFILES: readonly EvaluationRuleProfile[] = [
  {
    ...COMMON,
    id: 'national',
    version: '2021-4',
    document: '安委办〔2021〕4号',
    source: '001 §3, §9, §10 (restating the national measures); 004 item 3',
    jurisdictionPrefix: '',
    effectiveFrom: '2021-01-01',
    teamDays: null,
    requiredLists: [],
    requiresMemberMeeting: false,
    clauses: { ...COMMON_CLAUSES, ...NO_TEAM_LIMIT },
  },
  {
    ...COMMON,
    id: 'shanxi',
    version: '2021-119',
    document: '晋安办发〔2021〕119号',
    source: '001 §12 (replaced by 晋安办发〔2026〕48号)',
    jurisdictionPrefix: '14',
    effectiveFrom: '2021-01-01',
    effectiveUntil: '2026-04-16',
    teamDays: null,
    requiredLists: [],
    requiresMemberMeeting: false,
    clauses: { ...COMMON_CLAUSES, ...NO_TEAM_LIMIT },
  },
  {
    ...COMMON,
    id: 'shanxi',
    version: '2026-48',
    document: '晋安办发〔2026〕48号',
    source: '001 §3-§11',
    jurisdictionPrefix: '14',
    effectiveFrom: '2026-04-16',
    teamDays: null,
    requiredLists: [],
    requiresMemberMeeting: false,
    clauses: { ...COMMON_CLAUSES, ...NO_TEAM_LIMIT },
  },
  {
    ...COMMON,
    id: 'qilin',
    version: '2022',
    document: '麒麟区生产安全事故防范和整改措施落实情况评估工作实施方案 (2022)',
    source: '000 §二, §四 (30 days), §五 (lists, member meeting)',
    jurisdictionPrefix: '530302',
    effectiveFrom: '2022-01-01',
    teamDays: 30,
    requiredLists: ['PROBLEMS', 'RECOMMENDATIONS', 'GOOD_PRACTICES'],
    requiresMemberMeeting: true,
    clauses: { ...COMMON_CLAUSES, teamDays: '000 §四 (30 days)', requiredLists: '000 §五 (three lists)', requiresMemberMeeting: '000 §五' },
  },
];

/**
 * The profile for a case whose organiser sits in `regionCode`, closed on China date `closedOn`:
 * the most specific jurisdiction in force that day.
 */
export function profileFor(
  regionCode: string,
  closedOn: string,
  profiles: readonly EvaluationRuleProfile[] = EVALUATION_PROFILES,
): EvaluationRuleProfile {
  const inForce = profiles.filter(
    (p) =>
      regionCode.startsWith(p.jurisdictionPrefix) &&
      p.effectiveFrom <= closedOn &&
      (p.effectiveUntil === undefined || closedOn < p.effectiveUntil),
  );
  const best = inForce.sort(
    (a, b) => b.jurisdictionPrefix.length - a.jurisdictionPrefix.length || b.effectiveFrom.localeCompare(a.effectiveFrom),
  )[0];
  if (!best) throw new DomainError('NOT_FOUND', `no evaluation rule profile in force for region ${regionCode} on ${closedOn}`);
  return best;
}

export function profileByVersion(
  id: string,
  version: string,
  profiles: readonly EvaluationRuleProfile[] = EVALUATION_PROFILES,
): EvaluationRuleProfile | undefined {
  return profiles.find((p) => p.id === id && p.version === version);
}

// ---- Profiles as data: what an administrator may load (api/profiles, infra/load-profile.ts) ----

/** Why a case got its profile: the jurisdiction that covers its organiser, and the closure date. */
export interface ProfileChoice {
  profile: EvaluationRuleProfile;
  regionCode: string;
  closedOn: string;
  basis: string;
}

export function periodOf(p: Pick<EvaluationRuleProfile, 'effectiveFrom' | 'effectiveUntil'>): string {
  return p.effectiveUntil ? `from ${p.effectiveFrom} until ${p.effectiveUntil}` : `from ${p.effectiveFrom}`;
}

/** `profileFor`, with the reason in words (shown as `evaluation.profile.chosenFor` and by the deadline preview). */
export function chooseProfile(regionCode: string, closedOn: string, profiles: readonly EvaluationRuleProfile[] = EVALUATION_PROFILES): ProfileChoice {
  const profile = profileFor(regionCode, closedOn, profiles);
  return { profile, regionCode, closedOn, basis: choiceBasis(profile, regionCode || '(the State Council)', closedOn) };
}

export function choiceBasis(profile: EvaluationRuleProfile, regionCode: string, closedOn: string): string {
  const where = profile.jurisdictionPrefix
    ? `jurisdiction ${profile.jurisdictionPrefix} is the most specific one covering organiser ${regionCode}`
    : `no provincial or local profile covers organiser ${regionCode}, so the national measures apply`;
  return `${where}; ${profile.id} ${profile.version} (${profile.document}) is in force ${periodOf(profile)}, which includes the closure date ${closedOn}`;
}

const PROFILE_ID = /^[a-z][a-z0-9-]{1,31}$/;
const VERSION = /^[0-9A-Za-z][0-9A-Za-z.-]{0,31}$/;
// Division codes nest by pairs of digits to the county, then by three (town) and three (village): see regionPrefix.
const PREFIX = /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})?$/;
const MAX_MONTHS = 60;
const MAX_DAYS = 730;

type Loose = Record<string, unknown>;

function record(field: string, value: unknown): Loose {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw badInput(field, 'must be an object');
  return value as Loose;
}

function text(field: string, value: unknown, max: number, pattern?: RegExp, hint?: string): string {
  if (typeof value !== 'string') throw badInput(field, 'must be text');
  checkText(field, value, max);
  const line = value.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (!line) throw badInput(field, 'must not be empty');
  if (pattern && !pattern.test(line)) throw badInput(field, hint ?? 'is malformed');
  return line;
}

function integer(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw badInput(field, `must be a whole number from ${min} to ${max}`);
  return value;
}

function isoDate(field: string, value: unknown): string {
  // Date.parse rolls 2027-02-30 over to 2 March: a real date survives the round trip unchanged.
  const parsed = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) throw badInput(field, 'must be a date YYYY-MM-DD');
  return value as string;
}

function days(field: string, value: unknown): number[] {
  if (!Array.isArray(value)) throw badInput(field, 'must be a list of days');
  if (value.length > 10) throw badInput(field, 'at most 10 reminders');
  const list = value.map((d, i) => integer(`${field}[${i}]`, d, 1, 365));
  if (new Set(list).size !== list.length) throw badInput(field, 'gives a day twice');
  return [...list].sort((a, b) => b - a);
}

function subset<T extends string>(field: string, value: unknown, allowed: readonly T[]): T[] {
  if (!Array.isArray(value)) throw badInput(field, `must be a list of ${allowed.join(', ')}`);
  value.forEach((v, i) => {
    if (!(allowed as readonly unknown[]).includes(v)) throw badInput(`${field}[${i}]`, `must be one of ${allowed.join(', ')}`);
  });
  if (new Set(value).size !== value.length) throw badInput(field, 'names an item twice');
  // Kept in the documents' order, so equal profiles read equal.
  return allowed.filter((a) => value.includes(a));
}

/**
 * A profile version as given by an administrator (GraphQL input or a JSON/YAML file), checked rule by rule and
 * returned in the shape workflows carry. Throws BAD_USER_INPUT naming the field at fault.
 */
export function checkProfileVersion(input: unknown): EvaluationRuleProfile {
  const p = record('input', input);
  const known = new Set(['id', 'version', 'document', 'source', 'jurisdictionPrefix', 'effectiveFrom', 'effectiveUntil', 'window', 'teamDays', 'reminderDaysBefore', 'requiredSections', 'requiredLists', 'requiresMemberMeeting', 'rectificationDays', 'clauses']);
  const unknown = Object.keys(p).find((k) => !known.has(k));
  if (unknown) throw badInput(unknown, 'is not a rule of a profile');
  const id = text('id', p.id, 32, PROFILE_ID, 'must be 2-32 lower-case letters, digits or hyphens, starting with a letter (e.g. shanxi)');
  const version = text('version', p.version, 32, VERSION, 'must be 1-32 letters, digits, dots or hyphens (e.g. 2026-48)');
  const document = text('document', p.document, 200);
  const source = text('source', p.source, 500);
  if (typeof p.jurisdictionPrefix !== 'string' || !PREFIX.test(p.jurisdictionPrefix)) {
    throw badInput('jurisdictionPrefix', "must be a division code prefix of 2, 4, 6, 9 or 12 digits (14 for Shanxi, 530302 for 麒麟区), or '' for the national rules");
  }
  const jurisdictionPrefix = p.jurisdictionPrefix;
  const effectiveFrom = isoDate('effectiveFrom', p.effectiveFrom);
  const effectiveUntil = p.effectiveUntil === undefined || p.effectiveUntil === null ? undefined : isoDate('effectiveUntil', p.effectiveUntil);
  if (effectiveUntil !== undefined && effectiveUntil <= effectiveFrom) throw badInput('effectiveUntil', `must be after effectiveFrom (${effectiveFrom})`);
  const w = record('window', p.window);
  const opensAfterMonths = integer('window.opensAfterMonths', w.opensAfterMonths, 0, MAX_MONTHS);
  const dueAfterMonths = integer('window.dueAfterMonths', w.dueAfterMonths, 1, MAX_MONTHS);
  if (dueAfterMonths <= opensAfterMonths) throw badInput('window.dueAfterMonths', `must be later than the opening (${opensAfterMonths} months)`);
  const teamDays = p.teamDays === null || p.teamDays === undefined ? null : integer('teamDays', p.teamDays, 1, 365);
  const r = record('reminderDaysBefore', p.reminderDaysBefore);
  const reminderDaysBefore = {
    window: days('reminderDaysBefore.window', r.window),
    team: days('reminderDaysBefore.team', r.team ?? []),
    task: days('reminderDaysBefore.task', r.task ?? []),
  };
  const requiredSections = subset('requiredSections', p.requiredSections, REPORT_SECTIONS);
  if (!requiredSections.length) throw badInput('requiredSections', 'a report needs at least one section (001 §9)');
  const requiredLists = subset('requiredLists', p.requiredLists ?? [], REPORT_LISTS);
  if (typeof p.requiresMemberMeeting !== 'boolean') throw badInput('requiresMemberMeeting', 'must be true or false');
  const rectificationDays = integer('rectificationDays', p.rectificationDays, 1, MAX_DAYS);
  const clauses: Partial<Record<ProfileRule, string>> = {};
  if (p.clauses !== undefined && p.clauses !== null) {
    for (const [rule, clause] of Object.entries(record('clauses', p.clauses))) {
      if (!(PROFILE_RULES as readonly string[]).includes(rule)) throw badInput(`clauses.${rule}`, `names no rule; rules are ${PROFILE_RULES.join(', ')}`);
      clauses[rule as ProfileRule] = text(`clauses.${rule}`, clause, 200);
    }
  }
  return {
    id,
    version,
    document,
    source,
    jurisdictionPrefix,
    effectiveFrom,
    ...(effectiveUntil ? { effectiveUntil } : {}),
    window: { opensAfterMonths, dueAfterMonths },
    teamDays,
    reminderDaysBefore,
    requiredSections,
    requiredLists,
    requiresMemberMeeting: p.requiresMemberMeeting,
    rectificationDays,
    ...(Object.keys(clauses).length ? { clauses } : {}),
  };
}

/** Two versions of one jurisdiction claim the same day: the engine could not tell which governs a case closed then. */
export class ProfileOverlapError extends DomainError {
  constructor(
    readonly candidate: EvaluationRuleProfile,
    readonly conflict: EvaluationRuleProfile,
  ) {
    super(
      'BAD_USER_INPUT',
      `effectiveFrom: ${candidate.id} ${candidate.version} (${periodOf(candidate)}) overlaps ${conflict.id} ${conflict.version} ` +
        `(${periodOf(conflict)}) in jurisdiction ${conflict.jurisdictionPrefix || "'' (national)"}`,
      'effectiveFrom',
    );
  }
}

/**
 * The version of the candidate's jurisdiction it overlaps, if any. A version without an end date runs until the
 * next version of its jurisdiction takes effect (the most recent governs, `profileFor`); a version with an end date
 * claims its period for itself. So two versions overlap when they take effect the same day, or when one starts
 * before the other's end date.
 */
export function overlappingVersion(candidate: EvaluationRuleProfile, profiles: readonly EvaluationRuleProfile[]): EvaluationRuleProfile | undefined {
  return profiles.find((other) => {
    if (other.jurisdictionPrefix !== candidate.jurisdictionPrefix) return false;
    if (other.id === candidate.id && other.version === candidate.version) return false;
    if (other.effectiveFrom === candidate.effectiveFrom) return true;
    const [first, second] = other.effectiveFrom < candidate.effectiveFrom ? [other, candidate] : [candidate, other];
    return first.effectiveUntil !== undefined && second.effectiveFrom < first.effectiveUntil;
  });
}

/** Whether two versions hold the same rules (a file loaded twice changes nothing). */
export function sameProfile(a: EvaluationRuleProfile, b: EvaluationRuleProfile): boolean {
  const canonical = (p: EvaluationRuleProfile) =>
    JSON.stringify(p, (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Loose).sort(([x], [y]) => x.localeCompare(y))) : v,
    );
  return canonical(a) === canonical(b);
}

export type VersionChange = 'ADD' | 'REPLACE' | 'UNCHANGED';

/**
 * What adding `candidate` does to the held `profiles`, given how many cases use each version; throws when it may
 * not. A version is immutable once a case uses it (the case carries it, and its dates and audit trail were decided
 * under it); a version no case uses yet may be corrected. One jurisdiction is one profile id. A version takes effect
 * today or later (`today`, a China date): cases closed before then were decided under the rules held then.
 */
export function checkVersionChange(
  candidate: EvaluationRuleProfile,
  profiles: readonly EvaluationRuleProfile[],
  casesUsing: (p: EvaluationRuleProfile) => number,
  today: string,
): VersionChange {
  const existing = profileByVersion(candidate.id, candidate.version, profiles);
  if (existing && sameProfile(existing, candidate)) return 'UNCHANGED';
  if (existing) {
    const used = casesUsing(existing);
    if (used > 0) {
      throw invalidTransition(`${existing.id} ${existing.version} is used by ${used} case${used > 1 ? 's' : ''} and cannot change: add a new version instead`);
    }
  }
  const sameId = profiles.find((p) => p.id === candidate.id && p.jurisdictionPrefix !== candidate.jurisdictionPrefix);
  if (sameId) throw badInput('jurisdictionPrefix', `profile ${candidate.id} governs jurisdiction ${sameId.jurisdictionPrefix || "''"}, not ${candidate.jurisdictionPrefix || "''"}`);
  const samePrefix = profiles.find((p) => p.jurisdictionPrefix === candidate.jurisdictionPrefix && p.id !== candidate.id);
  if (samePrefix) throw badInput('id', `jurisdiction ${candidate.jurisdictionPrefix || "''"} is governed by profile ${samePrefix.id}: a new version keeps that id`);
  if (candidate.effectiveFrom < today) {
    throw badInput('effectiveFrom', `must be today (${today}) or later: cases closed before then keep the rules held when they closed`);
  }
  const conflict = overlappingVersion(candidate, profiles);
  if (conflict) throw new ProfileOverlapError(candidate, conflict);
  return existing ? 'REPLACE' : 'ADD';
}

// ---- Campaign evaluations (专项整治评估, seed 002) ----

/** A campaign profile and where and when it governs. The whole profile travels in the campaign's workflow input. */
export interface CampaignProfileEntry extends CampaignRuleProfile {
  /** Administrative division code prefix; '' for every region. */
  jurisdictionPrefix: string;
  /** First day (China date) the profile applies to newly registered campaigns. */
  effectiveFrom: string;
  effectiveUntil?: string;
}

export const CAMPAIGN_PROFILES: readonly CampaignProfileEntry[] = [
  {
    id: 'haimen',
    version: '2022-17',
    document: '海安委办〔2022〕17号',
    source: '002 §8-§13',
    // 002 §17: towns (and, lacking their own rules, other districts) evaluate their campaigns by this norm.
    jurisdictionPrefix: '',
    effectiveFrom: '2022-03-18',
    preparationDays: 10, // 002 §8(一): within 10 days after the campaign ends
    selfEvaluationDays: 30, // 002 §9(四): within 30 days after the campaign ends
    sectorReviewDays: 30, // 002 §10(五): within 30 days after the self-evaluation
    assessmentDays: 30, // 002 §11(四): within 30 days after the sector review
    extensionNoticeWorkingDays: 7, // 002 §10(五): asked for 7 working days ahead
    fullPathMinMonths: 12, // 002 §13: a year or more runs all five stages
    reminderDaysBefore: [7, 1], // office practice, not a seed rule
  },
];

/** The campaign profile for a district `regionCode` on China date `on`: the most specific jurisdiction in force. */
export function campaignProfileFor(regionCode: string, on: string, profiles: readonly CampaignProfileEntry[] = CAMPAIGN_PROFILES): CampaignProfileEntry {
  const best = profiles
    .filter((p) => regionCode.startsWith(p.jurisdictionPrefix) && p.effectiveFrom <= on && (p.effectiveUntil === undefined || on < p.effectiveUntil))
    .sort((a, b) => b.jurisdictionPrefix.length - a.jurisdictionPrefix.length || b.effectiveFrom.localeCompare(a.effectiveFrom))[0];
  if (!best) throw new DomainError('NOT_FOUND', `no campaign rule profile in force for region ${regionCode} on ${on}`);
  return best;
}

export function campaignProfileByVersion(id: string, version: string): CampaignProfileEntry | undefined {
  return CAMPAIGN_PROFILES.find((p) => p.id === id && p.version === version);
}
