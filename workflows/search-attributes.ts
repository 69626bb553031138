import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair, type TypedSearchAttributes } from '@temporalio/common';

// For operators in the Temporal UI and CLI. No personal data: stage, region code, due date, overdue only.
export const STAGE = defineSearchAttributeKey('BihuanStage', SearchAttributeType.KEYWORD);
export const REGION_CODE = defineSearchAttributeKey('BihuanRegionCode', SearchAttributeType.KEYWORD);
export const DUE_AT = defineSearchAttributeKey('BihuanDueAt', SearchAttributeType.DATETIME);
export const OVERDUE = defineSearchAttributeKey('BihuanOverdue', SearchAttributeType.BOOL);

export const SEARCH_ATTRIBUTES = [STAGE, REGION_CODE, DUE_AT, OVERDUE];

/** Of the attributes a workflow wants, those whose value differs from what it already holds. */
export function changedSearchAttributes(held: TypedSearchAttributes, wanted: SearchAttributePair[]): SearchAttributePair[] {
  return wanted.filter(({ key, value }) => {
    const current: unknown = held.get(key);
    return current instanceof Date && value instanceof Date ? current.getTime() !== value.getTime() : current !== value;
  });
}
