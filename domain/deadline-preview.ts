import { chinaDate } from './calendar.js';
import { badInput } from './errors.js';
import {
  applyAction,
  deadlineEvents,
  initialEvaluationState,
  type Actor,
  type DeadlineEvent,
  type EvaluationCase,
  type EvaluationState,
} from './evaluation.js';
import { initialTaskState, taskEvents, type TaskEvent } from './rectification-task.js';
import type { EvaluationRuleProfile } from './rule-profiles.js';

// Every statutory date of a case, before (or while) it runs. Nothing here computes a date of its own: each one is
// read off the states the workflow itself would hold (initialEvaluationState, applyAction, deadlineEvents,
// initialTaskState, taskEvents), so the preview and the running case cannot disagree.

/** One dated event, as the workflow's timers see it. */
export interface PreviewEvent {
  /** The workflow's key of the event (`window-reminder-7d`, `team-overdue`, `task-escalation` …). */
  key: string;
  kind: 'WINDOW_OPENS' | 'REMINDER' | 'OVERDUE' | 'ESCALATION';
  /** The instant the workflow's timer fires. */
  at: string;
  /** Its China calendar date. */
  on: string;
  /** The deadline the event is about. */
  deadline: string;
}

export interface DeadlinePreview {
  profile: EvaluationRuleProfile;
  closedAt: string;
  /** 001 §3: the window opens 10 months after closure … */
  opensAt: string;
  /** … and the evaluation is due at 12 (004 item 3: overdue after that). */
  dueAt: string;
  /** Window opening, the reminders before the due date, and the overdue flag. */
  window: PreviewEvent[];
  /** The team's clock, when the profile sets one (000 §四): from `formedAt`. */
  team: { formedAt: string; assumed: boolean; dueAt: string; events: PreviewEvent[] } | null;
  /** A rectification task started at `startsAt` with the profile's default time (001 §11(一)). */
  task: { startsAt: string; assumed: boolean; deadline: string; events: PreviewEvent[] };
}

export interface PreviewAssumptions {
  /** When the team was (or would be) formed; default: the day the window opens, the earliest it can be. */
  teamFormedAt?: Date;
  /** When follow-up starts (publication and filing both done); default: the evaluation's due date. */
  followUpStartsAt?: Date;
}

const PREVIEW_ACTOR: Actor = { id: 'preview', name: 'preview' };

const fromDeadline = (e: DeadlineEvent): PreviewEvent => ({ key: e.key, kind: e.kind, at: e.at, on: chinaDate(new Date(e.at)), deadline: e.deadline });
const fromTask = (deadline: string) => (e: TaskEvent): PreviewEvent => ({ key: e.key, kind: e.kind, at: e.at, on: chinaDate(new Date(e.at)), deadline });

/** The state after the window opened and the team was formed at `formedAt`, as the workflow would hold it. */
function withTeam(initial: EvaluationState, formedAt: Date): EvaluationState {
  const opened = applyAction(initial, { type: 'FIRE_DEADLINES', keys: ['window-opens'] }, PREVIEW_ACTOR, new Date(initial.opensAt));
  return applyAction(opened, { type: 'FORM_TEAM', leader: { name: '', departmentName: '' }, members: [] }, PREVIEW_ACTOR, formedAt);
}

/** The first task follow-up starts with, when publication and filing are done at `at` (001 §10-§11). */
function firstTask(formed: EvaluationState, at: Date) {
  const measure = { id: 'preview-measure', seq: 1, text: '', responsibleUnits: [] };
  const published: EvaluationState = {
    ...formed,
    case: { ...formed.case, measures: [measure] },
    stage: 'PUBLICATION',
    assessment: { completedAt: at.toISOString(), summary: '', measureFindings: [{ measureId: measure.id, status: 'NOT_IMPLEMENTED', evidence: '' }], accountabilityFindings: [] },
    report: { sections: {} as never, lists: {}, secretParts: [], submittedAt: at.toISOString(), approvedAt: at.toISOString(), returns: [] },
  };
  const filed = applyAction(applyAction(published, { type: 'PUBLISH_REPORT' }, PREVIEW_ACTOR, at), { type: 'FILE_REPORT', reference: 'preview' }, PREVIEW_ACTOR, at);
  const task = filed.tasks[0]!;
  return initialTaskState({
    task,
    evaluationId: formed.case.evaluationId,
    measureText: measure.text,
    organiserName: formed.case.organiserName,
    organiserRegionCode: formed.case.organiserRegionCode,
    // As the evaluation workflow starts its task workflows (workflows/evaluation/evaluation.workflow.ts startTasks).
    reminderDaysBefore: formed.case.profile.reminderDaysBefore.task,
  });
}

/** Every statutory date of the case under its profile (`evaluationCase.profile`). */
export function deadlinePreview(evaluationCase: EvaluationCase, assume: PreviewAssumptions = {}): DeadlinePreview {
  const initial = initialEvaluationState(evaluationCase);
  const opensAt = new Date(initial.opensAt);
  if (assume.teamFormedAt && assume.teamFormedAt < opensAt) {
    throw badInput('teamFormedOn', `the team is formed once the window opens, on ${chinaDate(opensAt)} (001 §3)`);
  }
  const formedAt = assume.teamFormedAt ?? opensAt;
  const formed = withTeam(initial, formedAt);
  const startsAt = assume.followUpStartsAt ?? new Date(initial.dueAt);
  if (startsAt < formedAt) throw badInput('followUpStartsOn', 'follow-up starts after the team is formed');
  const task = firstTask(formed, startsAt);
  return {
    profile: evaluationCase.profile,
    closedAt: evaluationCase.closedAt,
    opensAt: initial.opensAt,
    dueAt: initial.dueAt,
    window: deadlineEvents(initial).map(fromDeadline),
    team: formed.teamDueAt
      ? {
          formedAt: formedAt.toISOString(),
          assumed: !assume.teamFormedAt,
          dueAt: formed.teamDueAt,
          events: deadlineEvents(formed).filter((e) => e.clock === 'TEAM').map(fromDeadline),
        }
      : null,
    task: { startsAt: startsAt.toISOString(), assumed: !assume.followUpStartsAt, deadline: task.task.deadline, events: taskEvents(task).map(fromTask(task.task.deadline)) },
  };
}
