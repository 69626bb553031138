import { DomainError } from './errors.js';

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
}

const COMMON = {
  window: { opensAfterMonths: 10, dueAfterMonths: 12 },
  reminderDaysBefore: { window: [30, 7, 1], team: [7, 1], task: [7, 1] },
  requiredSections: [...REPORT_SECTIONS],
  rectificationDays: 90,
} satisfies Partial<EvaluationRuleProfile>;

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

export function profileByVersion(id: string, version: string): EvaluationRuleProfile | undefined {
  return EVALUATION_PROFILES.find((p) => p.id === id && p.version === version);
}
