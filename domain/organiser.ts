import { DomainError } from './errors.js';
import { ancestorAt, levelRank, type RegionLevel, type RegionPath, type RegionRef } from './regions.js';

export const ACCIDENT_LEVELS = ['ORDINARY', 'LARGER', 'MAJOR', 'EXTRAORDINARY'] as const;
/** 事故等级: 一般 / 较大 / 重大 / 特别重大. */
export type AccidentLevel = (typeof ACCIDENT_LEVELS)[number];

/** Which government investigates an accident of each level (DOMAIN glossary: 一般→county … 特别重大→State Council). */
const INVESTIGATING_LEVEL: Record<AccidentLevel, RegionLevel> = {
  ORDINARY: 'COUNTY',
  LARGER: 'CITY',
  MAJOR: 'PROVINCE',
  EXTRAORDINARY: 'NATION',
};

export interface OrganiserInput {
  level: AccidentLevel;
  /** Path of the region where the accident happened, province first. */
  location: RegionPath;
  /** Path of the enterprise's home region, province first. */
  enterpriseHome: RegionPath;
  /** 提级调查: a government one level higher than usual investigated. */
  escalated: boolean;
  /** An escalated investigation may name a lower government to run the evaluation (001 §4). */
  delegatedTo?: RegionRef;
}

export interface OrganiserDecision {
  /** Null when the State Council organises (特别重大). */
  organiser: RegionRef | null;
  assisting: RegionRef[];
  basis: string;
}

const STATE_COUNCIL_BASIS = '特别重大 accidents are evaluated under the State Council';

export function investigatingLevel(level: AccidentLevel, escalated: boolean): RegionLevel {
  const usual = INVESTIGATING_LEVEL[level];
  if (!escalated || usual === 'NATION') return usual;
  const rank = levelRank(usual) - 1;
  return rank <= levelRank('NATION') ? 'NATION' : (['NATION', 'PROVINCE', 'CITY', 'COUNTY', 'TOWN'] as const)[rank]!;
}

/**
 * 001 §3: the government that investigated organises; when the accident's location and the enterprise's home
 * are in different jurisdictions at that level, the location's government organises and the home's assists.
 * 001 §4: an escalated investigation may delegate the evaluation to a named lower government.
 */
export function organiserOf(input: OrganiserInput): OrganiserDecision {
  const level = investigatingLevel(input.level, input.escalated);
  if (input.delegatedTo) {
    if (!input.escalated) {
      throw new DomainError('BAD_USER_INPUT', 'only an escalated investigation (提级调查) may delegate its evaluation', 'delegatedTo');
    }
    if (level !== 'NATION' && levelRank(input.delegatedTo.level) <= levelRank(level)) {
      throw new DomainError('BAD_USER_INPUT', `the evaluation can be delegated only to a government below ${level}`, 'delegatedTo');
    }
    if (!input.location.some((r) => r.id === input.delegatedTo!.id)) {
      throw new DomainError('BAD_USER_INPUT', 'the delegated government must contain the accident location', 'delegatedTo');
    }
    return { organiser: input.delegatedTo, assisting: [], basis: '001 §4: delegated by the escalated investigation' };
  }
  if (level === 'NATION') return { organiser: null, assisting: [], basis: STATE_COUNCIL_BASIS };
  const organiser = ancestorAt(input.location, level);
  if (!organiser) throw new DomainError('BAD_USER_INPUT', `the accident location has no ${level} government`, 'locationRegionId');
  const home = ancestorAt(input.enterpriseHome, level);
  const assisting = home && home.id !== organiser.id ? [home] : [];
  return {
    organiser,
    assisting,
    basis: assisting.length
      ? '001 §3: location and enterprise home differ; the location organises, the home assists'
      : `001 §3: the ${level.toLowerCase()} government that investigated organises`,
  };
}
