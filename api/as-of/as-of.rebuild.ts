import { stateHash } from '../../activities/audit.js';
import { evaluationWorkflowId } from '../../domain/case.js';
import { firstTaskState, replayEvaluation, replayTask, type ReplayBreak, type TrailEntry } from '../../domain/as-of.js';
import type { EvaluationCase, EvaluationState, RectificationTask } from '../../domain/evaluation.js';
import type { TaskState } from '../../domain/rectification-task.js';
import { evaluationStateQuery } from '../../workflows/evaluation/messages.js';
import { loadEvaluationCase } from '../evaluation/case-closure.js';
import type { Context } from '../context.js';
import { ApiError } from '../errors.js';

/** An evaluation as it stood at an instant, with its rectification tasks as their own trails had them. */
export interface CaseAsOf {
  asOf: Date;
  state: EvaluationState;
  /** By task id: the task's own state, or the task as created when its workflow had recorded nothing yet. */
  tasks: Map<string, TaskState>;
}

interface EntryRaw {
  subject_type: 'evaluation' | 'rectification-task';
  subject_id: string;
  revision: number;
  at: Date | string;
  action: string;
  actor_id: string;
  actor_name: string;
  actor_role: string | null;
  payload: unknown;
  state_hash: string | null;
}

const entryOf = (r: EntryRaw): TrailEntry => ({
  revision: r.revision,
  at: new Date(r.at),
  action: r.action,
  actorId: r.actor_id,
  actorName: r.actor_name,
  actorRole: r.actor_role,
  payload: r.payload,
  stateHash: r.state_hash,
});

/** The refusal when a trail does not reproduce what it recorded: no answer rather than a wrong one. */
function mismatch(evaluationId: string, asOf: Date, broken: ReplayBreak, subject = 'evaluation'): ApiError {
  return new ApiError(
    'HISTORY_MISMATCH',
    `the ${subject} ${evaluationId} as of ${asOf.toISOString()} cannot be rebuilt: revision ${broken.revision} (${broken.action}): ${broken.reason}`,
    'asOf',
  );
}

/** The case the evaluation started from: read from the case graph, or, when that no longer gives it, from its workflow. */
async function caseCandidates(ctx: Context, evaluationId: string): Promise<(() => Promise<EvaluationCase | null>)[]> {
  const [row] = await ctx.em.execute<{ profileId: string; profileVersion: string }[]>(
    'select profile_id as "profileId", profile_version as "profileVersion" from evaluation where id = ?',
    [evaluationId],
  );
  if (!row) return [];
  return [
    () => loadEvaluationCase(ctx.em, evaluationId, { id: row.profileId, version: row.profileVersion }).catch(() => null),
    // A region renamed or an office renamed since closure: the workflow still holds the case it was started with.
    async () => {
      try {
        return (await ctx.temporal.workflow.getHandle(evaluationWorkflowId(evaluationId)).query(evaluationStateQuery)).case;
      } catch {
        return null;
      }
    },
  ];
}

/**
 * Rebuilds an evaluation as of `asOf` from its audit trail (and its tasks from theirs), checking every step against
 * the recorded state hash. Null when the evaluation did not exist yet at `asOf`. Throws HISTORY_MISMATCH when the
 * trail does not reproduce a recorded state.
 */
export async function rebuildAsOf(ctx: Context, evaluationId: string, asOf: Date): Promise<CaseAsOf | null> {
  const raw = await ctx.em.execute<EntryRaw[]>(
    `select subject_type, subject_id, revision, at, action, actor_id, actor_name, actor_role, payload, state_hash from audit_entry
     where ((subject_type = 'evaluation' and subject_id = ?) or (subject_type = 'rectification-task' and subject_id like ?)) and at <= ?
     order by subject_type, subject_id, revision`,
    [evaluationId, `${evaluationId}/%`, asOf],
  );
  const own = raw.filter((r) => r.subject_type === 'evaluation').map(entryOf);
  if (!own.length) return null;
  const taskTrails = new Map<string, TrailEntry[]>();
  for (const r of raw) {
    if (r.subject_type !== 'rectification-task') continue;
    const trail = taskTrails.get(r.subject_id) ?? [];
    trail.push(entryOf(r));
    taskTrails.set(r.subject_id, trail);
  }
  const closedWith = new Map<string, string>();
  for (const [taskId, trail] of taskTrails) {
    const closing = trail.find((e) => e.action === 'CLOSE_TASK')?.payload as { evidence?: unknown } | undefined;
    if (typeof closing?.evidence === 'string') closedWith.set(taskId, closing.evidence);
  }

  let replayed: ReturnType<typeof replayEvaluation> | null = null;
  for (const candidate of await caseCandidates(ctx, evaluationId)) {
    const evaluationCase = await candidate();
    if (!evaluationCase) continue;
    replayed = replayEvaluation(evaluationCase, own, stateHash, closedWith);
    // Only a case that does not give the first state is worth another source; a later break is the trail's.
    if (replayed.ok || replayed.broken.action !== 'START') break;
  }
  if (!replayed) throw new ApiError('NOT_FOUND', `no evaluation ${evaluationId}`, 'id');
  if (!replayed.ok) throw mismatch(evaluationId, asOf, replayed.broken);
  const state = replayed.state;

  const tasks = new Map<string, TaskState>();
  for (const task of state.tasks) {
    const { closedAt: _closedAt, evidence: _evidence, ...created } = task;
    const first = firstTaskState(state, { ...created, status: 'OPEN' } as RectificationTask);
    const trail = taskTrails.get(task.id) ?? [];
    const result = replayTask(first, trail, stateHash);
    if (!result.ok) throw mismatch(task.id, asOf, result.broken, 'rectification task');
    tasks.set(task.id, result.state);
  }
  return { asOf, state, tasks };
}
