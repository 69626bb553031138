import { randomUUID } from 'node:crypto';
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import type { EvaluationState } from '../domain/evaluation.js';
import type { TaskState } from '../domain/rectification-task.js';
import { AppUser, RoleGrantRow } from '../schema/entities/identity.js';
import {
  AccountabilityFinding,
  Evaluation,
  EvaluationReport,
  MeasureFinding,
  OnSiteCheck,
  RectificationTask,
  Referral,
  TeamMember,
} from '../schema/entities/evaluation.js';
import { audit } from './audit.js';
import { storeOrRefuse } from './failures.js';
import type { ActivityDeps } from './index.js';
import type { ChangeRecord } from './types.js';

const date = (iso: string | undefined): Date | null => (iso ? new Date(iso) : null);

/** Replaces the child rows of one evaluation with those of the snapshot. */
async function replaceChildren(em: EntityManager, state: EvaluationState): Promise<void> {
  const id = state.case.evaluationId;
  await Promise.all([
    em.nativeDelete(TeamMember, { evaluation: id }),
    em.nativeDelete(OnSiteCheck, { evaluation: id }),
    em.nativeDelete(MeasureFinding, { evaluation: id }),
    em.nativeDelete(AccountabilityFinding, { evaluation: id }),
    em.nativeDelete(Referral, { evaluation: id }),
  ]);
  const inserts: Promise<unknown>[] = [];
  const members = state.team?.members ?? [];
  if (members.length) {
    inserts.push(
      em.insertMany(
        TeamMember,
        members.map((m, seq) => ({
          id: `${id}/team/${seq}`,
          evaluation: id,
          seq,
          name: m.name,
          departmentName: m.departmentName,
          departmentId: m.departmentId ?? null,
          role: m.role,
        })),
      ),
    );
  }
  if (state.onSiteChecks.length) {
    inserts.push(
      em.insertMany(
        OnSiteCheck,
        state.onSiteChecks.map((c, seq) => ({ id: `${id}/check/${seq}`, evaluation: id, seq, ...c })),
      ),
    );
  }
  const assessment = state.assessment;
  if (assessment?.measureFindings.length) {
    inserts.push(
      em.insertMany(
        MeasureFinding,
        assessment.measureFindings.map((f) => ({ id: `${id}/${f.measureId}`, evaluation: id, measure: f.measureId, status: f.status, evidence: f.evidence })),
      ),
    );
  }
  if (assessment?.accountabilityFindings.length) {
    inserts.push(
      em.insertMany(
        AccountabilityFinding,
        assessment.accountabilityFindings.map((f) => ({ id: `${id}/${f.itemId}`, evaluation: id, item: f.itemId, status: f.status, evidence: f.evidence })),
      ),
    );
  }
  if (state.referrals.length) {
    inserts.push(
      em.insertMany(
        Referral,
        state.referrals.map((r) => ({
          id: `${id}/${r.id}`,
          evaluation: id,
          code: r.id,
          kind: r.kind,
          subject: r.subject,
          reason: r.reason,
          outcome: r.outcome ?? null,
          resolvedAt: date(r.resolvedAt),
        })),
      ),
    );
  }
  await Promise.all(inserts);
}

/** Members with a user account hold TEAM_MEMBER on this evaluation (domain/access.ts ends it at closure). */
async function replaceTeamGrants(em: EntityManager, state: EvaluationState): Promise<void> {
  const id = state.case.evaluationId;
  const userIds = [...new Set((state.team?.members ?? []).map((m) => m.userId).filter((u): u is string => Boolean(u)))];
  await em.nativeDelete(RoleGrantRow, { evaluationId: id, role: 'TEAM_MEMBER' });
  const known = userIds.length ? await em.find(AppUser, { id: { $in: userIds } }) : [];
  if (known.length) {
    await em.insertMany(RoleGrantRow, known.map((user) => ({ id: randomUUID(), user: user.id, role: 'TEAM_MEMBER' as const, evaluationId: id })));
  }
}

export function createProjectionActivities({ orm }: ActivityDeps) {
  return {
    /**
     * Writes the evaluation's read model from a workflow snapshot, with the audit entry of the change that
     * produced it. Idempotent and ordered: a snapshot older than the stored revision changes nothing.
     */
    async saveEvaluationSnapshot(input: { state: EvaluationState; change?: ChangeRecord }): Promise<void> {
      const { state, change } = input;
      const id = state.case.evaluationId;
      await storeOrRefuse('the evaluation', () => orm.em.fork().transactional(async (em) => {
        const current = await em.findOne(Evaluation, id, { lockMode: LockMode.PESSIMISTIC_WRITE });
        if (current && current.revision >= state.revision) {
          await audit(em, 'evaluation', id, state.revision, change, state);
          return;
        }
        const row = {
          id,
          accident: state.case.accidentId,
          workflowId: `accident-evaluation/${state.case.accidentId}`,
          profileId: state.case.profile.id,
          profileVersion: state.case.profile.version,
          organiserRegion: state.case.organiserRegionId,
          assistingRegionIds: state.case.assistingRegionIds,
          stage: state.stage,
          revision: state.revision,
          opensAt: new Date(state.opensAt),
          dueAt: new Date(state.dueAt),
          teamDueAt: date(state.teamDueAt),
          overdue: state.overdue.length > 0,
          overdueClocks: state.overdue,
          teamFormedAt: date(state.team?.formedAt),
          actingLeader: state.team?.actingLeader ?? null,
          selfEvaluation: state.selfEvaluation ?? null,
          documentReviewedAt: date(state.documentReview?.completedAt),
          documentReviewSummary: state.documentReview?.summary ?? null,
          onSiteCompletedAt: date(state.onSiteCompletedAt),
          assessedAt: date(state.assessment?.completedAt),
          assessmentSummary: state.assessment?.summary ?? null,
          publishedAt: date(state.publication?.publishedAt),
          publicationUrl: state.publication?.url ?? null,
          filedAt: date(state.filing?.filedAt),
          filedWith: state.filing?.filedWith ?? null,
          filingReference: state.filing?.reference ?? null,
          closedAt: date(state.closedAt),
          workflowStartedAt: current?.workflowStartedAt ?? new Date(),
          updatedAt: new Date(),
        };
        if (current) {
          await em.nativeUpdate(Evaluation, { id }, row);
        } else {
          await em.insert(Evaluation, row);
        }
        await replaceChildren(em, state);
        await replaceTeamGrants(em, state);
        if (state.report) {
          const r = state.report;
          await em.upsert(
            EvaluationReport,
            {
              evaluation: id,
              sections: r.sections,
              lists: r.lists,
              memberMeetingHeldOn: r.memberMeetingHeldOn ?? null,
              secretParts: r.secretParts,
              submittedAt: new Date(r.submittedAt),
              approvedAt: date(r.approvedAt),
              approvedBy: r.approvedBy ?? null,
              returns: r.returns,
            },
            { onConflictFields: ['evaluation'] },
          );
        }
        if (state.tasks.length) {
          // The task's own workflow owns its row after this; the evaluation only creates it, so the response to
          // the publishing official already lists the tasks.
          await em.upsertMany(
            RectificationTask,
            state.tasks.map((t) => ({
              id: t.id,
              evaluation: id,
              measure: t.measureId,
              workflowId: t.workflowId,
              assignee: t.assignee,
              deadline: new Date(t.deadline),
              status: t.status,
              revision: 0,
            })),
            { onConflictFields: ['id'], onConflictAction: 'ignore' },
          );
        }
        await audit(em, 'evaluation', id, state.revision, change, state);
      }));
    },

    /** Writes one rectification task's row from its workflow's snapshot; ordered and idempotent like above. */
    async saveTaskSnapshot(input: { state: TaskState; change?: ChangeRecord }): Promise<void> {
      const { state, change } = input;
      const t = state.task;
      await storeOrRefuse('the rectification task', () => orm.em.fork().transactional(async (em) => {
        const current = await em.findOne(RectificationTask, t.id, { lockMode: LockMode.PESSIMISTIC_WRITE });
        if (!current || current.revision < state.revision) {
          const row = {
            id: t.id,
            evaluation: state.evaluationId,
            measure: t.measureId,
            workflowId: t.workflowId,
            assignee: t.assignee,
            deadline: new Date(t.deadline),
            status: t.status,
            escalatedAt: date(state.escalatedAt),
            escalatedTo: state.escalatedAt ? state.organiserName : null,
            closedAt: date(t.closedAt),
            evidence: t.evidence ?? null,
            revision: state.revision,
          };
          if (current) await em.nativeUpdate(RectificationTask, { id: t.id }, row);
          else await em.insert(RectificationTask, row);
        }
        await audit(em, 'rectification-task', t.id, state.revision, change, state);
      }));
    },
  };
}
