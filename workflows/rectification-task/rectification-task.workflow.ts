import * as wf from '@temporalio/workflow';
import type { BihuanActivities } from '../../activities/index.js';
import type { TaskStatus } from '../../domain/evaluation.js';
import { taskNotice } from '../../domain/notices.js';
import { checkTaskClose, closeTask, dueTaskEvents, fireTaskEvents, taskEvents, taskScope } from '../../domain/rectification-task.js';
import { taskStatusSignal } from '../evaluation/messages.js';
import { CAPS } from '../../domain/caps.js';
import { checkAllText } from '../../domain/text.js';
import { checkActor, checkPermission, projectionRefused, refuseAsFailure, SYSTEM_ACTOR } from '../failures.js';
import { LOCAL_PROJECTION, PROJECTION_ACTIVITY, PROJECTION_LOCAL_ACTIVITY } from '../projection-options.js';
import { serial } from '../serial.js';
import { closeRectificationTaskUpdate, taskStateQuery, type RectificationTaskInput } from './messages.js';

const remote = wf.proxyActivities<BihuanActivities>(PROJECTION_ACTIVITY);
const local = wf.proxyLocalActivities<BihuanActivities>(PROJECTION_LOCAL_ACTIVITY);
const { notify } = remote;

/** The task's row is one small row: the whole task state is its change. Patched like the evaluation's. */
const saveTaskSnapshot: BihuanActivities['saveTaskSnapshot'] = (input) => (wf.patched(LOCAL_PROJECTION) ? local : remote).saveTaskSnapshot(input);

/**
 * One rectification task (001 §11(一)): reminders before its deadline, escalation to the organising office
 * when it passes, closure with evidence. Reports each status change to its evaluation by signal.
 */
export async function rectificationTaskWorkflow(input: RectificationTaskInput & { continued?: boolean }): Promise<void> {
  let state = input.state;
  const exclusive = serial();
  const { workflowId } = wf.workflowInfo();

  async function tellEvaluation(status: TaskStatus, evidence?: string): Promise<void> {
    try {
      await wf.getExternalWorkflowHandle(input.evaluationWorkflowId).signal(taskStatusSignal, { taskId: state.task.id, status, evidence });
    } catch (error) {
      // The evaluation may have been terminated by an operator; the task's own record still stands.
      wf.log.warn('could not signal the evaluation', { evaluation: input.evaluationWorkflowId, error: String(error) });
    }
  }

  wf.setHandler(taskStateQuery, () => state);
  wf.setHandler(
    closeRectificationTaskUpdate,
    (request) =>
      exclusive(async () => {
        const before = state;
        state = refuseAsFailure(() => {
          checkTaskClose(state, request.input.evidence);
          return closeTask(state, request.input.evidence, request.actor, new Date());
        });
        try {
          await saveTaskSnapshot({
            state,
            change: { actor: request.actor, action: 'CLOSE_TASK', stageBefore: before.task.status, stageAfter: 'DONE', at: new Date().toISOString(), payload: request.input },
          });
        } catch (error) {
          // Refused for good by the read model: undone, and answered with a typed failure.
          state = before;
          throw projectionRefused(error);
        }
        await tellEvaluation('DONE', request.input.evidence);
        return state;
      }),
    {
      validator: (request) => {
        checkActor(request?.actor);
        checkPermission(request.actor, 'CLOSE_TASK', taskScope(state));
        refuseAsFailure(() => {
          checkAllText(request.input, 'input', CAPS.text);
          checkTaskClose(state, request.input?.evidence ?? '');
        });
      },
    },
  );

  async function fireDue(): Promise<void> {
    const now = new Date();
    const { due, announce } = dueTaskEvents(state, now);
    if (!due.length) return;
    for (const event of announce) {
      await notify({
        key: `${workflowId}/${event.key}`,
        kind: event.kind,
        subjectId: state.task.id,
        recipient: event.kind === 'ESCALATION' ? state.organiserName : state.task.assignee,
        message: taskNotice(state, event, now),
        dueAt: state.task.deadline,
      });
    }
    const before = state;
    state = fireTaskEvents(state, due.map((e) => e.key), now);
    await saveTaskSnapshot({
      state,
      change: { actor: SYSTEM_ACTOR, action: 'DEADLINE', stageBefore: before.task.status, stageAfter: state.task.status, at: now.toISOString(), payload: { events: due.map((e) => e.key) } },
    });
    if (before.task.status !== state.task.status) await tellEvaluation(state.task.status);
  }

  if (!input.continued) {
    await exclusive(() =>
      saveTaskSnapshot({
        state,
        change: { actor: SYSTEM_ACTOR, action: 'ASSIGN_TASK', stageBefore: null, stageAfter: state.task.status, at: new Date().toISOString() },
      }),
    );
  }

  while (state.task.status !== 'DONE') {
    await exclusive(fireDue);
    const next = taskEvents(state)[0];
    const seen = state.revision;
    if (next) await wf.condition(() => state.revision !== seen, Math.max(Date.parse(next.at) - Date.now(), 0));
    else await wf.condition(() => state.revision !== seen);
    if (wf.workflowInfo().continueAsNewSuggested) {
      await wf.condition(wf.allHandlersFinished);
      await wf.continueAsNew<typeof rectificationTaskWorkflow>({ ...input, state, continued: true });
    }
  }
  await wf.condition(wf.allHandlersFinished);
}
