import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// For operators in the Temporal UI and CLI. No personal data: stage, region code, due date, overdue only.
export const STAGE = defineSearchAttributeKey('BihuanStage', SearchAttributeType.KEYWORD);
export const REGION_CODE = defineSearchAttributeKey('BihuanRegionCode', SearchAttributeType.KEYWORD);
export const DUE_AT = defineSearchAttributeKey('BihuanDueAt', SearchAttributeType.DATETIME);
export const OVERDUE = defineSearchAttributeKey('BihuanOverdue', SearchAttributeType.BOOL);

export const SEARCH_ATTRIBUTES = [STAGE, REGION_CODE, DUE_AT, OVERDUE];
