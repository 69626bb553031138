import { caseAccess, type CaseAccess, type CaseScope, type Principal } from './access.js';
import {
  applyAction,
  dueDeadlineEvents,
  initialEvaluationState,
  type Actor,
  type EvaluationAction,
  type EvaluationCase,
  type EvaluationState,
  type RectificationTask,
} from './evaluation.js';
import { closeTask, fireTaskEvents, initialTaskState, type TaskState } from './rectification-task.js';

// A case as it stood at a past instant, rebuilt from its audit trail. The trail keeps each change's input, actor
// and time and the SHA-256 of the state it produced, not the state: the changes are applied again, from the
// case's first state, and each result must hash to what was recorded, so the state rebuilt is the one recorded.

/** One audit entry, as the rebuild needs it. */
export interface TrailEntry {
  revision: number;
  at: Date;
  action: string;
  actorId: string;
  actorName: string;
  actorRole: string | null;
  payload: unknown;
  stateHash: string | null;
}

/** Why a trail could not be replayed: the revision at which no change reproduced the recorded state. */
export interface ReplayBreak {
  revision: number;
  action: string;
  reason: string;
}

export type Replay<T> = { ok: true; state: T } | { ok: false; broken: ReplayBreak };

export type HashOf = (state: unknown) => string;

const actorOf = (e: TrailEntry): Actor => ({ id: e.actorId, name: e.actorName, ...(e.actorRole ? { role: e.actorRole } : {}) });

/**
 * The changes an entry may stand for. Officials' actions carry their input; the workflow's own do not: which
 * deadlines fired is what fell due by then (those due when the workflow woke, a prefix in time order), and a task's
 * status is what its own trail says it became (`closedWith`: the evidence a task was closed with).
 */
function candidates(state: EvaluationState, entry: TrailEntry, closedWith: ReadonlyMap<string, string>): EvaluationAction[] {
  switch (entry.action) {
    case 'FIRE_DEADLINES': {
      const due = dueDeadlineEvents(state, entry.at).due;
      return due.map((_e, i) => ({ type: 'FIRE_DEADLINES' as const, keys: due.slice(0, due.length - i).map((e) => e.key) }));
    }
    case 'TASK_STATUS':
      return state.tasks.flatMap((t): EvaluationAction[] => [
        ...(t.status === 'OPEN' ? [{ type: 'TASK_STATUS' as const, taskId: t.id, status: 'OVERDUE' as const }] : []),
        ...(t.status !== 'DONE' && closedWith.has(t.id) ? [{ type: 'TASK_STATUS' as const, taskId: t.id, status: 'DONE' as const, evidence: closedWith.get(t.id) }] : []),
      ]);
    default: {
      const input = entry.payload && typeof entry.payload === 'object' ? (entry.payload as Record<string, unknown>) : {};
      return [{ ...input, type: entry.action } as EvaluationAction];
    }
  }
}

/**
 * The evaluation after `entries` (its trail in revision order, up to the instant asked about), from `evaluationCase`.
 * `closedWith`: per task id, the evidence its own trail closed it with (for the task reports the evaluation heard).
 */
export function replayEvaluation(
  evaluationCase: EvaluationCase,
  entries: readonly TrailEntry[],
  hashOf: HashOf,
  closedWith: ReadonlyMap<string, string> = new Map(),
): Replay<EvaluationState> {
  let state: EvaluationState | null = null;
  for (const entry of entries) {
    const broken = (reason: string): Replay<EvaluationState> => ({ ok: false, broken: { revision: entry.revision, action: entry.action, reason } });
    if (entry.action === 'START') {
      // The closure records revision 1; a workflow whose first state differed writes its own as the next revision.
      const first: EvaluationState = { ...initialEvaluationState(evaluationCase), revision: entry.revision };
      if (hashOf(first) !== entry.stateHash) return broken('the case as held now does not give the first state recorded');
      state = first;
      continue;
    }
    if (!state) return broken('the trail does not start with the evaluation\'s first state');
    const before: EvaluationState = state;
    const found = candidates(before, entry, closedWith)
      .map((action) => {
        try {
          return applyAction(before, action, actorOf(entry), entry.at);
        } catch {
          return null;
        }
      })
      .find((next) => next !== null && next !== before && hashOf(next) === entry.stateHash);
    if (!found) return broken('applying the recorded change does not give the state recorded');
    state = found;
  }
  return state ? { ok: true, state } : { ok: false, broken: { revision: 0, action: 'START', reason: 'the trail has no first state' } };
}

/** What a task's own workflow starts from: the task as its evaluation created it. */
export function firstTaskState(evaluation: EvaluationState, task: RectificationTask): TaskState {
  const c = evaluation.case;
  return initialTaskState({
    task,
    evaluationId: c.evaluationId,
    measureText: c.measures.find((m) => m.id === task.measureId)?.text ?? '',
    organiserName: c.organiserName,
    organiserRegionCode: c.organiserRegionCode,
    reminderDaysBefore: c.profile.reminderDaysBefore.task,
  });
}

/** A rectification task after `entries` of its own trail (ASSIGN_TASK, DEADLINE, CLOSE_TASK), checked like above. */
export function replayTask(first: TaskState, entries: readonly TrailEntry[], hashOf: HashOf): Replay<TaskState> {
  let state = first;
  for (const entry of entries) {
    const payload = (entry.payload ?? {}) as { events?: unknown; evidence?: unknown };
    let next: TaskState;
    if (entry.action === 'ASSIGN_TASK') next = { ...first, revision: entry.revision };
    else if (entry.action === 'DEADLINE' && Array.isArray(payload.events)) next = fireTaskEvents(state, payload.events as string[], entry.at);
    else if (entry.action === 'CLOSE_TASK' && typeof payload.evidence === 'string') next = closeTask(state, payload.evidence, actorOf(entry), entry.at);
    else return { ok: false, broken: { revision: entry.revision, action: entry.action, reason: 'a change the task\'s trail cannot replay' } };
    if (hashOf(next) !== entry.stateHash) {
      return { ok: false, broken: { revision: entry.revision, action: entry.action, reason: 'applying the recorded change does not give the state recorded' } };
    }
    state = next;
  }
  return { ok: true, state };
}

const ACCESS_ORDER: readonly CaseAccess[] = ['NONE', 'PUBLIC', 'OFFICIAL', 'INSIDER'];

/** The lesser of two levels of access. */
export function stricterAccess(a: CaseAccess, b: CaseAccess): CaseAccess {
  return ACCESS_ORDER.indexOf(a) <= ACCESS_ORDER.indexOf(b) ? a : b;
}

/**
 * A case's access facts as they were: its parties as now, its stage, agreement, publication and filing as then
 * (each only ever goes from false to true, so "then and now" is "then").
 */
export function scopeAsOf(now: CaseScope, then: EvaluationState): CaseScope {
  return {
    ...now,
    stage: then.stage,
    reportApproved: now.reportApproved && Boolean(then.report?.approvedAt),
    published: now.published && Boolean(then.publication),
    filed: now.filed && Boolean(then.filing),
  };
}

/**
 * How a principal reads a case as it was: the lesser of its access now and its access then. The public's reading
 * rests on publication alone, so it needs the report published then: a case not yet published then is not public
 * as of then, whoever reads it now as the public (a team member once the case has closed).
 */
export function accessAsOf(principal: Principal, now: CaseScope, then: CaseScope): CaseAccess {
  const access = stricterAccess(caseAccess(principal, now), caseAccess(principal, then));
  return access === 'PUBLIC' && !then.published ? 'NONE' : access;
}
