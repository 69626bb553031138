import type { UpdateDefinition } from '@temporalio/common';
import * as wf from '@temporalio/workflow';
import type { BihuanActivities, ChangeRecord } from '../../activities/index.js';
import {
  applyAction,
  checkAction,
  deadlineEvents,
  dueDeadlineEvents,
  evaluationScope,
  initialEvaluationState,
  type Actor,
  type EvaluationAction,
  type EvaluationState,
} from '../../domain/evaluation.js';
import { checkActionLimits } from '../../domain/evaluation-limits.js';
import { evaluationNotice } from '../../domain/notices.js';
import { initialTaskState } from '../../domain/rectification-task.js';
import { checkActor, checkPermission, projectionRefused, refuseAsFailure, SYSTEM_ACTOR } from '../failures.js';
import { LOCAL_PROJECTION, PROJECTION_ACTIVITY, PROJECTION_LOCAL_ACTIVITY } from '../projection-options.js';
import { rectificationTaskWorkflow } from '../rectification-task/rectification-task.workflow.js';
import { changedSearchAttributes, DUE_AT, OVERDUE, REGION_CODE, STAGE } from '../search-attributes.js';
import { serial } from '../serial.js';
import { stateHashOf } from '../state-hash.js';
import * as m from './messages.js';
import { evaluationChange, startChange } from './projection.js';
import { Alarm } from '../alarm.js';
import { continueAsNewDue } from '../continue-as-new.js';

const { saveEvaluationSnapshot, notify } = wf.proxyActivities<BihuanActivities>(PROJECTION_ACTIVITY);
const local = wf.proxyLocalActivities<BihuanActivities>(PROJECTION_LOCAL_ACTIVITY);

type ActionType = EvaluationAction['type'];
const OFFICIAL_UPDATES: [UpdateDefinition<m.UpdateResult, [m.ActionRequest<ActionType>]>, ActionType][] = [
  [m.formTeamUpdate, 'FORM_TEAM'],
  [m.submitSelfEvaluationUpdate, 'SUBMIT_SELF_EVALUATION'],
  [m.completeDocumentReviewUpdate, 'COMPLETE_DOCUMENT_REVIEW'],
  [m.recordOnSiteCheckUpdate, 'RECORD_ON_SITE_CHECK'],
  [m.completeOnSiteVerificationUpdate, 'COMPLETE_ON_SITE_VERIFICATION'],
  [m.submitAssessmentUpdate, 'SUBMIT_ASSESSMENT'],
  [m.submitReportDraftUpdate, 'SUBMIT_REPORT_DRAFT'],
  [m.returnReportUpdate, 'RETURN_REPORT'],
  [m.approveReportUpdate, 'APPROVE_REPORT'],
  [m.publishReportUpdate, 'PUBLISH_REPORT'],
  [m.fileReportUpdate, 'FILE_REPORT'],
  [m.recordReferralOutcomeUpdate, 'RECORD_REFERRAL_OUTCOME'],
] as never;

/**
 * One post-accident rectification evaluation, from case closure to the last follow-up task
 * (001 §3-§11; 000 §二-§五). Workflow id: `accident-evaluation/<accidentId>`.
 */
export async function accidentEvaluationWorkflow(input: m.EvaluationWorkflowInput): Promise<EvaluationState> {
  let state = input.state ?? initialEvaluationState(input.case);
  const exclusive = serial();
  const { workflowId } = wf.workflowInfo();

  const publishSearchAttributes = (): void => {
    const attributes = [
      { key: STAGE, value: state.stage },
      { key: REGION_CODE, value: state.case.organiserRegionCode },
      { key: DUE_AT, value: new Date(state.teamDueAt && !state.report?.approvedAt ? minIso(state.teamDueAt, state.dueAt) : state.dueAt) },
      { key: OVERDUE, value: state.overdue.length > 0 },
    ];
    if (!wf.patched(LOCAL_PROJECTION)) return wf.upsertSearchAttributes(attributes);
    // Set at start and carried over by continue-as-new: only a value that changed costs a visibility write.
    const changed = changedSearchAttributes(wf.workflowInfo().typedSearchAttributes, attributes);
    if (changed.length) wf.upsertSearchAttributes(changed);
  };

  // One timer for the next deadline (workflows/alarm.ts), used behind the local-projection patch.
  const alarm = new Alarm();

  /**
   * Writes the read model of the change from `before` (null: the start) to `state`. Patched: a local activity (no
   * task-queue round trip inside the update) that writes only what changed, falling back to the whole snapshot
   * when the read model is not at the revision before; before the patch, a regular activity with the whole state.
   */
  async function project(before: EvaluationState | null, change: ChangeRecord): Promise<void> {
    if (!wf.patched(LOCAL_PROJECTION)) return saveEvaluationSnapshot({ state, change });
    const hash = stateHashOf(state);
    const patch = before ? evaluationChange(before, state, change, hash) : startChange(state, change, hash);
    if (patch && (await local.saveEvaluationChange(patch)) !== 'GAP') return;
    await local.saveEvaluationSnapshot({ state, change });
  }

  async function startTasks(before: EvaluationState): Promise<void> {
    const known = new Set(before.tasks.map((t) => t.id));
    for (const task of state.tasks.filter((t) => !known.has(t.id))) {
      const measure = state.case.measures.find((x) => x.id === task.measureId)!;
      // ABANDON: a task outlives this run when the evaluation continues as new; it reports back by signal.
      await wf.startChild(rectificationTaskWorkflow, {
        workflowId: task.workflowId,
        parentClosePolicy: 'ABANDON',
        args: [
          {
            evaluationWorkflowId: workflowId,
            state: initialTaskState({
              task,
              evaluationId: state.case.evaluationId,
              measureText: measure.text,
              organiserName: state.case.organiserName,
              organiserRegionCode: state.case.organiserRegionCode,
              reminderDaysBefore: state.case.profile.reminderDaysBefore.task,
            }),
          },
        ],
      });
    }
  }

  /** Applies one action and writes the read model; call inside `exclusive` so writes keep their order. */
  async function commit(action: EvaluationAction, actor: Actor, payload?: unknown): Promise<m.UpdateResult> {
    const before = state;
    const next = refuseAsFailure(() => {
      checkAction(state, action);
      return applyAction(state, action, actor, new Date());
    });
    if (next === before) return { revision: state.revision, stage: state.stage };
    state = next;
    try {
      await project(before, { actor, action: action.type, stageBefore: before.stage, stageAfter: state.stage, at: new Date().toISOString(), payload });
    } catch (error) {
      // The read model refused the change for good (the activity failed without retry): the change is undone,
      // so the workflow and the read model still agree, and the official gets a typed refusal.
      state = before;
      throw projectionRefused(error);
    }
    publishSearchAttributes();
    if (wf.patched(LOCAL_PROJECTION)) alarm.set(deadlineEvents(state)[0]?.at);
    if (state.tasks !== before.tasks) await startTasks(before);
    return { revision: state.revision, stage: state.stage };
  }

  for (const [definition, type] of OFFICIAL_UPDATES) {
    wf.setHandler(
      definition,
      (request) => exclusive(() => commit({ ...request.input, type } as EvaluationAction, request.actor, request.input)),
      {
        validator: (request) => {
          checkActor(request?.actor);
          checkPermission(request.actor, type, evaluationScope(state));
          refuseAsFailure(() => {
            const action = { ...request.input, type } as EvaluationAction;
            checkAction(state, action);
            checkActionLimits(state, action, request.actor, new Date());
          });
        },
      },
    );
  }

  wf.setHandler(m.taskStatusSignal, (signal) =>
    exclusive(async () => {
      const action: EvaluationAction = { type: 'TASK_STATUS', ...signal };
      try {
        checkAction(state, action);
      } catch (error) {
        wf.log.warn('ignored task status', { signal, error: String(error) });
        return;
      }
      await commit(action, SYSTEM_ACTOR);
    }),
  );

  wf.setHandler(m.evaluationStateQuery, () => state);

  async function fireDueDeadlines(): Promise<void> {
    const now = new Date();
    const { due, announce } = dueDeadlineEvents(state, now);
    if (!due.length) return;
    const notice = wf.patched(LOCAL_PROJECTION) ? local.notify : notify;
    for (const event of announce) {
      await notice({
        key: `${workflowId}/${event.key}`,
        kind: event.kind === 'OVERDUE' ? 'OVERDUE' : 'REMINDER',
        subjectId: state.case.evaluationId,
        recipient: state.case.organiserName,
        message: evaluationNotice(state, event, now),
        dueAt: event.deadline,
      });
    }
    await commit({ type: 'FIRE_DEADLINES', keys: due.map((e) => e.key) }, SYSTEM_ACTOR);
  }

  if (!input.state) {
    const start = { actor: SYSTEM_ACTOR, action: 'START', stageBefore: null, stageAfter: state.stage, at: new Date().toISOString() };
    if (!(wf.patched(LOCAL_PROJECTION) && input.startRecorded)) {
      await exclusive(() => project(null, start));
    } else if (input.startRecorded !== stateHashOf(state)) {
      // The closure recorded another first state than this code makes (API and worker of different versions):
      // the workflow's own state is written over it, as the next revision.
      state = { ...state, revision: state.revision + 1 };
      await exclusive(() => local.saveEvaluationSnapshot({ state, change: start }));
    }
  }
  publishSearchAttributes();

  const closed = (): boolean => state.stage === 'CLOSED';
  while (!closed()) {
    await exclusive(fireDueDeadlines);
    if (closed()) break;
    const next = deadlineEvents(state)[0];
    if (wf.patched(LOCAL_PROJECTION)) {
      alarm.set(next?.at);
      // Changes move the alarm themselves (commit): only a deadline, the case's end or a long history wakes this loop.
      await wf.condition(() => closed() || alarm.rang || continueAsNewDue(input.continueAsNewAfterEvents));
      alarm.clear();
    } else {
      const seen = state.revision;
      if (next) await wf.condition(() => state.revision !== seen, Math.max(Date.parse(next.at) - Date.now(), 0));
      else await wf.condition(() => state.revision !== seen);
    }
    if (continueAsNewDue(input.continueAsNewAfterEvents)) {
      // Long waits must not grow history without bound: hand the state to a fresh run, once no update is mid-way.
      await wf.condition(wf.allHandlersFinished);
      await wf.continueAsNew<typeof accidentEvaluationWorkflow>({ ...input, state });
    }
  }
  await wf.condition(wf.allHandlersFinished);
  return state;
}

function minIso(a: string, b: string): string {
  return a < b ? a : b;
}
