import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ChainBreakReason } from '../../activities/audit.js';

export const ChainBreakReasonEnum = {
  BAD_HMAC: 'BAD_HMAC',
  BROKEN_PREVIOUS_LINK: 'BROKEN_PREVIOUS_LINK',
  REVISION_GAP: 'REVISION_GAP',
  MISSING_ENTRIES: 'MISSING_ENTRIES',
} as const satisfies Record<ChainBreakReason, ChainBreakReason>;
registerEnumType(ChainBreakReasonEnum, {
  name: 'AuditChainBreakReason',
  description:
    'BAD_HMAC: forged, changed, or written without the audit key; BROKEN_PREVIOUS_LINK: previousHash is not the stateHash before it; ' +
    'REVISION_GAP: entries before it are missing; MISSING_ENTRIES: the trail ends before the revision the case is at',
});

@ObjectType('AuditChainBreak', { description: 'The first audit entry that does not verify' })
export class AuditChainBreakType {
  @Field({ description: 'evaluation, rectification-task or accident' }) subjectType!: string;
  @Field(() => ID) subjectId!: string;
  @Field(() => Int, { description: 'The entry\'s revision; for MISSING_ENTRIES the first revision without an entry' }) revision!: number;
  @Field(() => ID, { nullable: true, description: 'The entry\'s row id; null for MISSING_ENTRIES' }) entryId!: string | null;
  @Field(() => ChainBreakReasonEnum) reason!: ChainBreakReason;
  @Field() message!: string;
}

@ObjectType('AuditChainReport', { description: 'The keyed hash chain of a case\'s audit trail, checked entry by entry' })
export class AuditChainReportType {
  @Field({ description: 'True when every entry verifies and the trail reaches the case\'s current revision' }) ok!: boolean;
  @Field(() => Int, { description: 'Entries checked, up to and including the broken one' }) checked!: number;
  @Field(() => AuditChainBreakType, { nullable: true }) firstBroken!: AuditChainBreakType | null;
}
