import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { auditKeyOf, verifyAuditChain } from '../../activities/audit.js';
import { isRecordId, notFound } from '../../domain/text.js';
import { viewOf } from '../access.js';
import type { Context } from '../context.js';
import { ApiError } from '../errors.js';
import { AuditChainReportType } from './audit.type.js';

@Resolver()
export class AuditResolver {
  @Query(() => AuditChainReportType, {
    description:
      'Checks the audit trail of one case (its closure, its evaluation and its rectification tasks) against the keyed ' +
      'hash chain, and reports the first entry that does not verify. For the insiders of the case. ' +
      'Operators check every case with `npm run audit:verify`.',
  })
  async verifyAuditChain(@Arg('subjectId', () => ID, { description: 'The case: the accident (and evaluation) id' }) subjectId: string, @Ctx() ctx: Context) {
    const view = isRecordId(subjectId) ? await viewOf(ctx, subjectId) : null;
    if (!view) throw notFound('subjectId');
    if (view.access !== 'INSIDER') throw new ApiError('FORBIDDEN', `${ctx.principal.name} may not check this case's audit trail`);
    return verifyAuditChain(ctx.em, auditKeyOf(ctx.em), { caseId: subjectId });
  }
}
