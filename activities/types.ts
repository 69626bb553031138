import type { Actor, AccountabilityFinding, MeasureFinding, OnSiteCheck, RectificationTask, Referral, TeamMember } from '../domain/evaluation.js';
import type { EvaluationState } from '../domain/evaluation.js';
import type { NotificationKind } from '../schema/entities/notification.js';

/** One state change, as the audit trail records it. */
export interface ChangeRecord {
  actor: Actor;
  action: string;
  stageBefore: string | null;
  stageAfter: string | null;
  at: string;
  payload?: unknown;
}

export interface NoticeInput {
  /** Derived from the workflow id and the deadline, so a retry writes one row. */
  key: string;
  kind: NotificationKind;
  subjectId: string;
  recipient: string;
  message: string;
  dueAt?: string;
}

/** The evaluation row's own columns, as JSON values (timestamps as ISO strings). */
export interface EvaluationColumns {
  stage: EvaluationState['stage'];
  opensAt: string;
  dueAt: string;
  teamDueAt: string | null;
  overdue: boolean;
  overdueClocks: EvaluationState['overdue'];
  teamFormedAt: string | null;
  actingLeader: string | null;
  selfEvaluation: EvaluationState['selfEvaluation'] | null;
  documentReviewedAt: string | null;
  documentReviewSummary: string | null;
  onSiteCompletedAt: string | null;
  assessedAt: string | null;
  assessmentSummary: string | null;
  publishedAt: string | null;
  publicationUrl: string | null;
  filedAt: string | null;
  filedWith: string | null;
  filingReference: string | null;
  closedAt: string | null;
}

type Report = NonNullable<EvaluationState['report']>;

/**
 * What one change did to an evaluation's read model: the columns and child rows that differ from the revision
 * before it, never the whole state. Applied only onto `revision - 1`; anything else is a gap the workflow fills
 * with a whole snapshot.
 */
export interface EvaluationChange {
  evaluationId: string;
  /** The revision this change produces. */
  revision: number;
  /** The workflow's first change: the evaluation is marked as running (`workflowStartedAt`). */
  started?: boolean;
  columns: Partial<EvaluationColumns>;
  /** The whole team, replacing the one stored (with the members' TEAM_MEMBER grants). */
  team?: TeamMember[];
  /** Checks added after the `from` already stored, or (`from` 0 and `replace`) the whole list. */
  onSiteChecks?: { from: number; checks: OnSiteCheck[]; replace: boolean };
  /** The assessment's findings, replacing those stored. */
  findings?: { measures: MeasureFinding[]; accountability: AccountabilityFinding[] };
  /** Referrals that are new or changed (referrals are never removed). */
  referrals?: Referral[];
  /** The whole report when its text changed; otherwise only its approval and returns. */
  report?: { whole: Report } | { approval: Pick<Report, 'approvedAt' | 'approvedBy' | 'returns'> };
  /** Rectification tasks the change created (each task's own workflow writes its row from then on). */
  newTasks?: RectificationTask[];
  change: ChangeRecord;
  /** SHA-256 of the whole state after the change, as `stateHash` in activities/audit.ts computes it. */
  stateHash: string;
}

/** How a change met the read model: written, written before (a retry), or not applicable (a gap). */
export type ChangeOutcome = 'WRITTEN' | 'ALREADY_WRITTEN' | 'GAP';

/**
 * What a campaign workflow hands its read-model writer (activities/campaigns.ts): its whole state, and the change
 * that produced it (its audit entry; without one, only the rows are written).
 */
export interface CampaignSnapshotInput<S> {
  state: S;
  change?: ChangeRecord;
}
