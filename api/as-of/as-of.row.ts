import { evaluationColumns } from '../../workflows/evaluation/projection.js';
import type {
  AccountabilityFindingRow,
  EvaluationReportRow,
  EvaluationRow,
  MeasureFindingRow,
  OnSiteCheckRow,
  RectificationTaskRow,
  ReferralRow,
  TeamMemberRow,
} from '../loaders.js';
import type { CaseAsOf } from './as-of.rebuild.js';

const date = (iso: string | null | undefined): Date | null => (iso ? new Date(iso) : null);

/** An evaluation row read as of a past instant: its lists are filtered to what existed then (`untilAsOf`). */
export type EvaluationRowAsOf = EvaluationRow & { $asOf: Date; $graph: Record<string, unknown> };

/**
 * The rows the read model held at that instant, made from the rebuilt state as the projection makes them from the
 * live one (activities/projections.ts, workflows/evaluation/projection.ts), relations read ahead under `$graph`, so
 * the field resolvers of the live record answer from them (api/graph.ts orLoad).
 */
export function rowAsOf({ asOf, state, tasks }: CaseAsOf): EvaluationRowAsOf {
  const c = state.case;
  const id = c.evaluationId;
  const evaluation = { id };
  const columns = evaluationColumns(state);
  const team: TeamMemberRow[] = (state.team?.members ?? []).map((m, seq) => ({
    id: `${id}/team/${seq}`,
    evaluation,
    seq,
    name: m.name,
    departmentName: m.departmentName,
    role: m.role,
  }));
  const onSiteChecks: OnSiteCheckRow[] = state.onSiteChecks.map((check, seq) => ({ id: `${id}/check/${seq}`, evaluation, seq, ...check }));
  // In the report's order of measures and items, as the live read lists them.
  const measureSeq = new Map(state.case.measures.map((m) => [m.id, m.seq]));
  const itemOrder = new Map(state.case.accountabilityItems.map((item, i) => [item.id, i]));
  const bySeq = <T>(key: (x: T) => number) => (a: T, b: T) => key(a) - key(b);
  const measureFindings: MeasureFindingRow[] = [...(state.assessment?.measureFindings ?? [])].sort(bySeq((f) => measureSeq.get(f.measureId) ?? 0)).map((f) => ({
    id: `${id}/${f.measureId}`,
    evaluation,
    measure: { id: f.measureId },
    status: f.status,
    evidence: f.evidence,
  }));
  const accountabilityFindings: AccountabilityFindingRow[] = [...(state.assessment?.accountabilityFindings ?? [])].sort(bySeq((f) => itemOrder.get(f.itemId) ?? 0)).map((f) => ({
    id: `${id}/${f.itemId}`,
    evaluation,
    item: { id: f.itemId },
    status: f.status,
    evidence: f.evidence,
  }));
  const referrals: ReferralRow[] = state.referrals.map((r) => ({
    id: `${id}/${r.id}`,
    evaluation,
    code: r.id,
    kind: r.kind,
    subject: r.subject,
    reason: r.reason,
    outcome: r.outcome ?? null,
    resolvedAt: date(r.resolvedAt),
  }));
  const r = state.report;
  const report: EvaluationReportRow | null = r
    ? {
        evaluation,
        sections: r.sections,
        lists: r.lists,
        memberMeetingHeldOn: r.memberMeetingHeldOn ?? null,
        secretParts: r.secretParts,
        submittedAt: new Date(r.submittedAt),
        approvedAt: date(r.approvedAt),
        approvedBy: r.approvedBy ?? null,
        returns: r.returns,
      }
    : null;
  const taskRows: RectificationTaskRow[] = state.tasks
    .map((t): RectificationTaskRow => {
      const own = tasks.get(t.id);
      const task = own?.task ?? t;
      return {
        id: t.id,
        evaluation,
        measure: { id: t.measureId },
        assignee: task.assignee,
        deadline: new Date(task.deadline),
        status: task.status,
        escalatedAt: date(own?.escalatedAt),
        escalatedTo: own?.escalatedAt ? own.organiserName : null,
        closedAt: date(task.closedAt),
        evidence: task.evidence ?? null,
      };
    })
    .sort((a, b) => a.deadline.getTime() - b.deadline.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const row of taskRows) (row as RectificationTaskRow & { $asOf: Date }).$asOf = asOf;
  return {
    id,
    accident: { id: c.accidentId },
    profileId: c.profile.id,
    profileVersion: c.profile.version,
    organiserRegion: c.organiserRegionId ? { id: c.organiserRegionId } : null,
    assistingRegionIds: c.assistingRegionIds,
    stage: columns.stage,
    opensAt: new Date(columns.opensAt),
    dueAt: new Date(columns.dueAt),
    teamDueAt: date(columns.teamDueAt),
    overdue: columns.overdue,
    overdueClocks: columns.overdueClocks,
    teamFormedAt: date(columns.teamFormedAt),
    actingLeader: columns.actingLeader,
    selfEvaluation: columns.selfEvaluation ?? null,
    documentReviewedAt: date(columns.documentReviewedAt),
    documentReviewSummary: columns.documentReviewSummary,
    onSiteCompletedAt: date(columns.onSiteCompletedAt),
    assessedAt: date(columns.assessedAt),
    assessmentSummary: columns.assessmentSummary,
    publishedAt: date(columns.publishedAt),
    publicationUrl: columns.publicationUrl ?? null,
    filedAt: date(columns.filedAt),
    filedWith: columns.filedWith,
    filingReference: columns.filingReference,
    closedAt: date(columns.closedAt),
    $asOf: asOf,
    $graph: { team, onSiteChecks, measureFindings, accountabilityFindings, referrals, report, tasks: taskRows },
  };
}

/**
 * Of a record's notifications or audit entries, those that existed at the instant it is read as of (all of them
 * for a record read as it is now).
 */
export function untilAsOf<T>(record: object, rows: T[], at: (row: T) => Date): T[] {
  const asOf = (record as { $asOf?: Date }).$asOf;
  return asOf ? rows.filter((row) => at(row).getTime() <= asOf.getTime()) : rows;
}
