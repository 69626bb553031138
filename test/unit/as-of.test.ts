import { caseAccess, PUBLIC_PRINCIPAL, type Principal } from '../../domain/access.js';
import { accessAsOf, firstTaskState, replayEvaluation, replayTask, scopeAsOf, stricterAccess, type TrailEntry } from '../../domain/as-of.js';
import { addDays } from '../../domain/calendar.js';
import {
  applyAction,
  checkAction,
  dueDeadlineEvents,
  evaluationScope,
  initialEvaluationState,
  type Actor,
  type EvaluationAction,
  type EvaluationCase,
  type EvaluationState,
} from '../../domain/evaluation.js';
import { closeTask, dueTaskEvents, fireTaskEvents, type TaskState } from '../../domain/rectification-task.js';
import { stateHashOf } from '../../workflows/state-hash.js';
import { leaderInCharge, officeDirector, qilinCase, steps, system } from './fixtures.js';

const DAY = 86_400_000;

/**
 * Records a case's trail as the workflows do: each change's input (officials' actions only), actor, time and the
 * hash of the state it produced; the workflow's own changes (deadlines, task reports) without their input.
 */
class Trail {
  readonly entries: TrailEntry[] = [];
  readonly states: EvaluationState[] = [];
  readonly taskEntries = new Map<string, TrailEntry[]>();
  readonly tasks = new Map<string, TaskState>();
  state: EvaluationState;

  constructor(readonly c: EvaluationCase, at: Date) {
    this.state = initialEvaluationState(c);
    this.record(this.state, 'START', system, at, undefined);
  }

  private record(state: EvaluationState, action: string, actor: Actor, at: Date, payload: unknown): void {
    this.state = state;
    this.states.push(state);
    this.entries.push(entry(state.revision, at, action, actor, payload, stateHashOf(state)));
  }

  /** An official's action: its input is stored as PostgreSQL gives jsonb back. */
  act(action: EvaluationAction, actor: Actor, at: Date): void {
    checkAction(this.state, action);
    const { type, ...input } = action;
    this.record(applyAction(this.state, action, actor, at), type, actor, at, JSON.parse(JSON.stringify(input)));
    for (const task of this.state.tasks) if (!this.tasks.has(task.id)) this.assign(task.id, at);
  }

  /** The workflow waking at `now` and committing what fell due a moment later (after its notices went out). */
  fireDeadlines(now: Date): void {
    const keys = dueDeadlineEvents(this.state, now).due.map((e) => e.key);
    if (!keys.length) return;
    this.record(applyAction(this.state, { type: 'FIRE_DEADLINES', keys }, system, new Date(now.getTime() + 40)), 'FIRE_DEADLINES', system, new Date(now.getTime() + 40), undefined);
  }

  private assign(taskId: string, at: Date): void {
    const task = firstTaskState(this.state, this.state.tasks.find((t) => t.id === taskId)!);
    this.tasks.set(taskId, task);
    this.taskEntries.set(taskId, [entry(1, new Date(at.getTime() + 10), 'ASSIGN_TASK', system, undefined, stateHashOf(task))]);
  }

  private taskChanged(taskId: string, next: TaskState, action: string, actor: Actor, at: Date, payload: unknown, evidence?: string): void {
    const before = this.tasks.get(taskId)!;
    this.tasks.set(taskId, next);
    this.taskEntries.get(taskId)!.push(entry(next.revision, at, action, actor, payload, stateHashOf(next)));
    if (before.task.status !== next.task.status) {
      // The evaluation hears of it by signal, a moment later, and records it without input.
      const heard = new Date(at.getTime() + 25);
      this.record(applyAction(this.state, { type: 'TASK_STATUS', taskId, status: next.task.status, evidence }, system, heard), 'TASK_STATUS', system, heard, undefined);
    }
  }

  taskDeadlines(taskId: string, now: Date): void {
    const task = this.tasks.get(taskId)!;
    const keys = dueTaskEvents(task, now).due.map((e) => e.key);
    if (keys.length) this.taskChanged(taskId, fireTaskEvents(task, keys, now), 'DEADLINE', system, now, { events: keys });
  }

  closeTask(taskId: string, evidence: string, at: Date): void {
    this.taskChanged(taskId, closeTask(this.tasks.get(taskId)!, evidence, officeDirector, at), 'CLOSE_TASK', officeDirector, at, { evidence }, evidence);
  }

  /** Each task's evidence of closure, as the rebuild reads it from the tasks' own trails. */
  closedWith(): Map<string, string> {
    const closed = new Map<string, string>();
    for (const [id, trail] of this.taskEntries) {
      const closing = trail.find((e) => e.action === 'CLOSE_TASK');
      if (closing) closed.set(id, (closing.payload as { evidence: string }).evidence);
    }
    return closed;
  }
}

function entry(revision: number, at: Date, action: string, actor: Actor, payload: unknown, stateHash: string): TrailEntry {
  return { revision, at, action, actorId: actor.id, actorName: actor.name, actorRole: actor.role ?? null, payload: payload ?? null, stateHash };
}

/**
 * The Qilin case (closed 2025-12-31 under the district's 2022 scheme: a 30-day team limit) walked to its end: the
 * team misses its 30 days, measure q2 is found partly implemented, its task escalates, then closes.
 */
function qilinTrail(): { trail: Trail; c: EvaluationCase } {
  const c = qilinCase();
  const s = steps(c, { q2: 'PARTLY_IMPLEMENTED' });
  const trail = new Trail(c, new Date(Date.parse(c.closedAt) + 60_000));
  const opens = new Date(trail.state.opensAt);
  trail.fireDeadlines(opens);
  let day = opens.getTime() + DAY;
  const next = (days = 1): Date => new Date((day += days * DAY));
  trail.act(s.formTeam, officeDirector, next());
  trail.act(s.submitSelfEvaluation, officeDirector, next(5));
  trail.act(s.completeDocumentReview, officeDirector, next(3));
  trail.act(s.recordOnSiteCheck, officeDirector, next(3));
  trail.act(s.completeOnSiteVerification, officeDirector, next());
  // The team's reminders and its limit pass while the assessment is written.
  for (const at of [addDays(new Date(trail.state.teamDueAt!), -7), addDays(new Date(trail.state.teamDueAt!), -1), new Date(trail.state.teamDueAt!)]) trail.fireDeadlines(at);
  day = Date.parse(trail.state.teamDueAt!);
  trail.act(s.submitAssessment, officeDirector, next(2));
  trail.act(s.submitReportDraft, officeDirector, next());
  trail.act({ type: 'RETURN_REPORT', reason: '问题清单不完整' }, leaderInCharge, next());
  trail.act(s.submitReportDraft, officeDirector, next());
  trail.act(s.approveReport, leaderInCharge, next());
  trail.act(s.publishReport, officeDirector, next());
  trail.act(s.fileReport, officeDirector, next());
  const [task] = trail.state.tasks;
  const deadline = new Date(task!.deadline);
  trail.taskDeadlines(task!.id, addDays(deadline, -7));
  trail.taskDeadlines(task!.id, deadline);
  trail.closeTask(task!.id, '在建项目动态巡查制度验收单', addDays(deadline, 3));
  trail.act({ type: 'RECORD_REFERRAL_OUTCOME', referralId: 'R1', outcome: '已提起公诉' }, officeDirector, addDays(deadline, 4));
  return { trail, c };
}

describe('replaying an evaluation\'s audit trail', () => {
  const { trail, c } = qilinTrail();

  test('should rebuild the state recorded after every change, from the case and the trail alone', () => {
    expect(trail.state.stage).toBe('CLOSED');
    expect(trail.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['FIRE_DEADLINES', 'TASK_STATUS', 'RETURN_REPORT']));
    for (let i = 0; i < trail.entries.length; i++) {
      const replayed = replayEvaluation(c, trail.entries.slice(0, i + 1), stateHashOf, trail.closedWith());
      expect(replayed).toEqual({ ok: true, state: trail.states[i] });
    }
  });

  test('should recover which deadlines fired and what a task reported, though the trail holds no input for them', () => {
    const replayed = replayEvaluation(c, trail.entries, stateHashOf, trail.closedWith());
    if (!replayed.ok) throw new Error(replayed.broken.reason);
    expect(replayed.state.overdue).toEqual(['TEAM']);
    // The window's 30-day reminder fell due with the team's last one: one wake-up fired both.
    expect(replayed.state.firedDeadlines).toEqual(['window-opens', 'team-reminder-7d', 'window-reminder-30d', 'team-reminder-1d', 'team-overdue']);
    expect(replayed.state.tasks).toEqual([expect.objectContaining({ measureId: 'q2', status: 'DONE', evidence: '在建项目动态巡查制度验收单' })]);
  });

  test('should refuse to answer, naming the revision, when a recorded input was altered', () => {
    const altered = trail.entries.map((e) => (e.action === 'COMPLETE_DOCUMENT_REVIEW' ? { ...e, payload: { summary: '未审查' } } : e));
    const replayed = replayEvaluation(c, altered, stateHashOf, trail.closedWith());
    const revision = trail.entries.find((e) => e.action === 'COMPLETE_DOCUMENT_REVIEW')!.revision;
    expect(replayed).toEqual({ ok: false, broken: expect.objectContaining({ revision, action: 'COMPLETE_DOCUMENT_REVIEW' }) });
  });

  test('should refuse when the case as held now is not the one the evaluation started from', () => {
    const renamed = { ...c, organiserName: '麒麟区应急管理局' };
    expect(replayEvaluation(renamed, trail.entries, stateHashOf)).toEqual({ ok: false, broken: expect.objectContaining({ revision: 1, action: 'START' }) });
  });

  test('should refuse a task report when the task\'s own trail does not hold its closure', () => {
    const replayed = replayEvaluation(c, trail.entries, stateHashOf, new Map());
    expect(replayed).toEqual({ ok: false, broken: expect.objectContaining({ action: 'TASK_STATUS' }) });
  });

  test('should replay a rectification task\'s own trail through escalation and closure', () => {
    const [taskId, entries] = [...trail.taskEntries][0]!;
    const filed = trail.states.find((s) => s.tasks.length)!;
    const first = firstTaskState(filed, filed.tasks[0]!);
    expect(replayTask(first, entries, stateHashOf)).toEqual({ ok: true, state: trail.tasks.get(taskId) });
    const escalated = replayTask(first, entries.filter((e) => e.action !== 'CLOSE_TASK'), stateHashOf);
    expect(escalated.ok && escalated.state.task.status).toBe('OVERDUE');
    expect(escalated.ok && escalated.state.escalatedAt).toBe(filed.tasks[0]!.deadline);
    const forged = entries.map((e) => (e.action === 'CLOSE_TASK' ? { ...e, payload: { evidence: '伪造的验收单' } } : e));
    expect(replayTask(first, forged, stateHashOf)).toEqual({ ok: false, broken: expect.objectContaining({ action: 'CLOSE_TASK' }) });
  });
});

describe('who reads a case as it was', () => {
  const { trail } = qilinTrail();
  const now = evaluationScope(trail.state);
  const before = (action: string): EvaluationState => trail.states[trail.entries.findIndex((e) => e.action === action) - 1]!;
  const teamMember: Principal = { id: 'u-expert', name: '专家 吴某', grants: [{ role: 'TEAM_MEMBER', evaluationId: now.evaluationId! }] };
  const office: Principal = { id: 'u-office', name: '麒麟区安委办', grants: [{ role: 'SAFETY_OFFICE', regionCode: now.organiserRegionCode }] };
  const read = (p: Principal, then: EvaluationState) => accessAsOf(p, now, scopeAsOf(now, then));

  test('should hide a case from the public as of a time before its report was published', () => {
    expect(caseAccess(PUBLIC_PRINCIPAL, now)).toBe('PUBLIC');
    expect(read(PUBLIC_PRINCIPAL, before('PUBLISH_REPORT'))).toBe('NONE');
    expect(read(PUBLIC_PRINCIPAL, before('FILE_REPORT'))).toBe('PUBLIC');
  });

  test('should not let a team member read the case as it was once the case has closed', () => {
    // An insider then, one of the public now: the case was not public then.
    expect(caseAccess(teamMember, scopeAsOf(now, before('SUBMIT_ASSESSMENT')))).toBe('INSIDER');
    expect(caseAccess(teamMember, now)).toBe('PUBLIC');
    expect(read(teamMember, before('SUBMIT_ASSESSMENT'))).toBe('NONE');
    expect(read(teamMember, before('FILE_REPORT'))).toBe('PUBLIC');
  });

  test('should keep the organising office an insider then as now', () => {
    expect(read(office, before('FORM_TEAM'))).toBe('INSIDER');
  });

  test('should take agreement, publication and filing as they were then', () => {
    const then = scopeAsOf(now, before('APPROVE_REPORT'));
    expect(then).toMatchObject({ stage: 'REPORT_APPROVAL', reportApproved: false, published: false, filed: false });
    expect(scopeAsOf(now, trail.state)).toEqual(now);
  });

  test('should order access from none to insider', () => {
    expect(stricterAccess('INSIDER', 'OFFICIAL')).toBe('OFFICIAL');
    expect(stricterAccess('PUBLIC', 'OFFICIAL')).toBe('PUBLIC');
    expect(stricterAccess('NONE', 'INSIDER')).toBe('NONE');
  });
});
