import { addDays } from './calendar.js';
import { badInput, invalidTransition } from './errors.js';
import type { CaseScope } from './access.js';
import type { Actor, RectificationTask } from './evaluation.js';

/** A rectification task as its own workflow holds it (001 §11(一): assigned, tracked and urged until done). */
export interface TaskState {
  task: RectificationTask;
  evaluationId: string;
  measureText: string;
  /** The organising office, to which an overdue task is escalated. */
  organiserName: string;
  /** Its region code: that office closes the task (domain/access.ts). */
  organiserRegionCode?: string;
  reminderDaysBefore: number[];
  revision: number;
  firedDeadlines: string[];
  escalatedAt?: string;
  closedBy?: string;
}

export interface TaskEvent {
  key: string;
  at: string;
  kind: 'REMINDER' | 'ESCALATION';
}

export function initialTaskState(input: Omit<TaskState, 'revision' | 'firedDeadlines'>): TaskState {
  return { ...input, revision: 1, firedDeadlines: [] };
}

export function taskEvents(state: TaskState): TaskEvent[] {
  if (state.task.status === 'DONE') return [];
  const deadline = new Date(state.task.deadline);
  const events: TaskEvent[] = state.reminderDaysBefore.map((days) => ({
    key: `task-reminder-${days}d`,
    at: addDays(deadline, -days).toISOString(),
    kind: 'REMINDER' as const,
  }));
  events.push({ key: 'task-escalation', at: state.task.deadline, kind: 'ESCALATION' });
  const fired = new Set(state.firedDeadlines);
  return events.filter((e) => !fired.has(e.key)).sort((a, b) => a.at.localeCompare(b.at));
}

/** Due events, and the ones worth announcing (only the latest reminder, none once escalated). */
export function dueTaskEvents(state: TaskState, now: Date): { due: TaskEvent[]; announce: TaskEvent[] } {
  const due = taskEvents(state).filter((e) => Date.parse(e.at) <= now.getTime());
  const escalating = due.some((e) => e.kind === 'ESCALATION');
  const lastReminder = due.filter((e) => e.kind === 'REMINDER').at(-1);
  return { due, announce: due.filter((e) => e.kind === 'ESCALATION' || (!escalating && e === lastReminder)) };
}

export function fireTaskEvents(state: TaskState, keys: string[], at: Date): TaskState {
  const events = taskEvents(state).filter((e) => keys.includes(e.key));
  if (!events.length) return state;
  const escalate = events.some((e) => e.kind === 'ESCALATION');
  return {
    ...state,
    revision: state.revision + 1,
    firedDeadlines: [...state.firedDeadlines, ...events.map((e) => e.key)],
    ...(escalate ? { escalatedAt: at.toISOString(), task: { ...state.task, status: 'OVERDUE' as const } } : {}),
  };
}

export function checkTaskClose(state: TaskState, evidence: string): void {
  if (state.task.status === 'DONE') throw invalidTransition('the rectification task is already closed');
  if (!evidence.trim()) throw badInput('evidence', 'closing a rectification task needs the evidence of its completion');
}

export function closeTask(state: TaskState, evidence: string, actor: Actor, at: Date): TaskState {
  return {
    ...state,
    revision: state.revision + 1,
    closedBy: actor.name,
    task: { ...state.task, status: 'DONE', closedAt: at.toISOString(), evidence },
  };
}

/**
 * What access rules know of a task's case. Tasks exist only in follow-up, after approval, publication and
 * filing; the task holds its organiser, which is what closing it depends on (domain/access.ts).
 */
export function taskScope(state: TaskState): CaseScope {
  return {
    evaluationId: state.evaluationId,
    organiserRegionCode: state.organiserRegionCode ?? '',
    upperRegionCode: '',
    locationRegionCode: '',
    enterpriseId: '',
    departmentIds: [],
    stage: 'FOLLOW_UP',
    reportApproved: true,
    published: true,
    filed: true,
  };
}
