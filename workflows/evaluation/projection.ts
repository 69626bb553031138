// What the read model holds of an evaluation, and what one change altered in it. Pure: the workflow computes the
// change it sends to the projection, and the projection's whole-snapshot path uses the same columns.
import type { ChangeRecord, EvaluationChange, EvaluationColumns } from '../../activities/index.js';
import type { EvaluationState } from '../../domain/evaluation.js';

export function evaluationColumns(state: EvaluationState): EvaluationColumns {
  return {
    stage: state.stage,
    opensAt: state.opensAt,
    dueAt: state.dueAt,
    teamDueAt: state.teamDueAt ?? null,
    overdue: state.overdue.length > 0,
    overdueClocks: state.overdue,
    teamFormedAt: state.team?.formedAt ?? null,
    actingLeader: state.team?.actingLeader ?? null,
    selfEvaluation: state.selfEvaluation ?? null,
    documentReviewedAt: state.documentReview?.completedAt ?? null,
    documentReviewSummary: state.documentReview?.summary ?? null,
    onSiteCompletedAt: state.onSiteCompletedAt ?? null,
    assessedAt: state.assessment?.completedAt ?? null,
    assessmentSummary: state.assessment?.summary ?? null,
    publishedAt: state.publication?.publishedAt ?? null,
    publicationUrl: state.publication?.url ?? null,
    filedAt: state.filing?.filedAt ?? null,
    filedWith: state.filing?.filedWith ?? null,
    filingReference: state.filing?.reference ?? null,
    closedAt: state.closedAt ?? null,
  };
}

// The domain's actions copy a state and replace only what they change, so unchanged parts are the same objects.
const same = (a: unknown, b: unknown): boolean => a === b || (Array.isArray(a) && Array.isArray(b) && JSON.stringify(a) === JSON.stringify(b));

/** The items of `after` not found at the same place in `before`, when `after` only adds or replaces in place. */
function changedItems<T>(before: readonly T[], after: readonly T[]): T[] | null {
  if (after.length < before.length) return null;
  return after.filter((item, i) => before[i] !== item);
}

/**
 * The columns and child rows `after` changed relative to `before`, for the projection to write; null when the
 * change is not one a patch expresses (referrals removed), and the whole snapshot must be written instead.
 */
export function evaluationChange(before: EvaluationState, after: EvaluationState, change: ChangeRecord, stateHash: string): EvaluationChange | null {
  const old = evaluationColumns(before);
  const now = evaluationColumns(after);
  const columns: Partial<Record<keyof EvaluationColumns, unknown>> = {};
  for (const key of Object.keys(now) as (keyof EvaluationColumns)[]) {
    if (!same(old[key], now[key])) columns[key] = now[key];
  }
  const result: EvaluationChange = {
    evaluationId: after.case.evaluationId,
    revision: after.revision,
    columns: columns as Partial<EvaluationColumns>,
    change,
    stateHash,
  };
  if (after.team !== before.team) result.team = after.team?.members ?? [];
  if (after.onSiteChecks !== before.onSiteChecks) {
    const prefixKept = after.onSiteChecks.length >= before.onSiteChecks.length && before.onSiteChecks.every((c, i) => after.onSiteChecks[i] === c);
    const from = prefixKept ? before.onSiteChecks.length : 0;
    result.onSiteChecks = { from, checks: after.onSiteChecks.slice(from), replace: !prefixKept };
  }
  if (after.assessment !== before.assessment) {
    result.findings = { measures: after.assessment?.measureFindings ?? [], accountability: after.assessment?.accountabilityFindings ?? [] };
  }
  if (after.referrals !== before.referrals) {
    // Referrals are only added or given an outcome.
    const referrals = changedItems(before.referrals, after.referrals);
    if (!referrals) return null;
    result.referrals = referrals;
  }
  if (after.report !== before.report && after.report) {
    const b = before.report;
    const a = after.report;
    const textKept =
      b && a.sections === b.sections && a.lists === b.lists && a.secretParts === b.secretParts && a.memberMeetingHeldOn === b.memberMeetingHeldOn && a.submittedAt === b.submittedAt;
    result.report = textKept ? { approval: { approvedAt: a.approvedAt, approvedBy: a.approvedBy, returns: a.returns } } : { whole: a };
  }
  if (after.tasks !== before.tasks) {
    const known = new Set(before.tasks.map((t) => t.id));
    const created = after.tasks.filter((t) => !known.has(t.id));
    if (created.length) result.newTasks = created;
  }
  return result;
}

/** The first change of a workflow: every column, onto the row the closure recorded (revision 0). */
export function startChange(state: EvaluationState, change: ChangeRecord, stateHash: string): EvaluationChange {
  return { evaluationId: state.case.evaluationId, revision: state.revision, started: true, columns: evaluationColumns(state), change, stateHash };
}
