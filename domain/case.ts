export const ACCOUNTABILITY_KINDS = ['ADMINISTRATIVE_PENALTY', 'PARTY_GOVERNMENT_DISCIPLINE', 'CRIMINAL'] as const;
/** 责任追究: 行政处罚, 党纪政务处分, 刑事责任 (001 §7). */
export type AccountabilityKind = (typeof ACCOUNTABILITY_KINDS)[number];

export const SECTORS = [
  'COAL_MINE',
  'NON_COAL_MINE',
  'HAZARDOUS_CHEMICALS',
  'ROAD_TRANSPORT',
  'CONSTRUCTION',
  'FIRE',
  'SELF_BUILT_HOUSING',
  'URBAN_GAS',
  'TOURISM',
  'INDUSTRY_AND_TRADE',
  'WATERWAYS_AND_FISHING',
  'OTHER',
] as const;
/** The twelve sectors of the major-hazard campaign (003 §二). */
export type Sector = (typeof SECTORS)[number];

/** Workflow id of a case's evaluation: one per closed case, derived from the business id. */
export function evaluationWorkflowId(accidentId: string): string {
  return `accident-evaluation/${accidentId}`;
}
