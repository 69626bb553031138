import fc from 'fast-check';
import { addDays, chinaDate, chinaMidnight } from '../../domain/calendar.js';
import { deadlinePreview, type PreviewEvent } from '../../domain/deadline-preview.js';
import {
  applyAction,
  checkAction,
  deadlineEvents,
  dueDeadlineEvents,
  initialEvaluationState,
  type EvaluationAction,
  type EvaluationCase,
  type EvaluationState,
} from '../../domain/evaluation.js';
import { dueTaskEvents, fireTaskEvents, initialTaskState, taskEvents } from '../../domain/rectification-task.js';
import { profileByVersion, REPORT_LISTS, REPORT_SECTIONS, type EvaluationRuleProfile } from '../../domain/rule-profiles.js';
import { officeDirector, refusalOf, shanxiCase, steps, system } from './fixtures.js';

const DAY = 86_400_000;

/**
 * What the workflows do with a case, timer by timer: the evaluation workflow's loop (sleep until the next of
 * `deadlineEvents`, fire what `dueDeadlineEvents` says is due) with the team formed at `formedAt` and the report
 * approved, published and filed at `filedAt`; then the first rectification task's workflow (never closed).
 * Returns when each event key fired.
 */
function runCase(c: EvaluationCase, formedAt: Date, filedAt: Date) {
  const s = steps(c, { [c.measures[0]!.id]: 'NOT_IMPLEMENTED' }, false);
  const official: { at: Date; actions: EvaluationAction[] }[] = [
    { at: formedAt, actions: [s.formTeam] },
    {
      at: filedAt,
      actions: [s.submitSelfEvaluation, s.completeDocumentReview, s.recordOnSiteCheck, s.completeOnSiteVerification, s.submitAssessment, s.submitReportDraft, s.approveReport, s.publishReport, s.fileReport],
    },
  ];
  let state: EvaluationState = initialEvaluationState(c);
  const fired = new Map<string, string>();
  for (let guard = 0; guard < 100; guard++) {
    const next = deadlineEvents(state)[0];
    const act = official[0];
    if (act && (!next || act.at.getTime() < Date.parse(next.at))) {
      for (const action of act.actions) {
        checkAction(state, action);
        state = applyAction(state, action, officeDirector, act.at);
      }
      official.shift();
      continue;
    }
    if (!next) break;
    const now = new Date(next.at);
    const { due } = dueDeadlineEvents(state, now);
    for (const e of due) fired.set(e.key, now.toISOString());
    state = applyAction(state, { type: 'FIRE_DEADLINES', keys: due.map((e) => e.key) }, system, now);
  }
  const teamDueAt = state.teamDueAt;
  const task = state.tasks[0]!;
  let taskState = initialTaskState({ task, evaluationId: c.evaluationId, measureText: '', organiserName: c.organiserName, reminderDaysBefore: c.profile.reminderDaysBefore.task });
  const taskFired = new Map<string, string>();
  for (let next = taskEvents(taskState)[0]; next; next = taskEvents(taskState)[0]) {
    const now = new Date(next.at);
    const { due } = dueTaskEvents(taskState, now);
    for (const e of due) taskFired.set(e.key, now.toISOString());
    taskState = fireTaskEvents(taskState, due.map((e) => e.key), now);
  }
  return { fired, teamDueAt, taskDeadline: task.deadline, taskFired };
}

const asMap = (events: PreviewEvent[]) => new Map(events.map((e) => [e.key, e.at]));

const reminders = fc.uniqueArray(fc.integer({ min: 1, max: 120 }), { maxLength: 4 });
const profiles: fc.Arbitrary<EvaluationRuleProfile> = fc
  .record({
    opens: fc.integer({ min: 0, max: 18 }),
    span: fc.integer({ min: 1, max: 12 }),
    teamDays: fc.option(fc.integer({ min: 1, max: 120 }), { nil: null }),
    window: reminders,
    team: reminders,
    task: reminders,
    rectificationDays: fc.integer({ min: 1, max: 400 }),
  })
  .map((r) => ({
    ...profileByVersion('shanxi', '2026-48')!,
    id: 'generated',
    version: 'v',
    window: { opensAfterMonths: r.opens, dueAfterMonths: r.opens + r.span },
    teamDays: r.teamDays,
    reminderDaysBefore: { window: r.window, team: r.team, task: r.task },
    requiredSections: [...REPORT_SECTIONS],
    requiredLists: [...REPORT_LISTS],
    requiresMemberMeeting: true,
    rectificationDays: r.rectificationDays,
  }));

describe('deadlinePreview', () => {
  test('should give every date the state machine acts on when cases, profiles, formation and filing dates vary', () => {
    fc.assert(
      fc.property(
        profiles,
        // Closure instants from 2021 to 2035, at any time of day (China month ends, leap days, midnight crossings).
        fc.integer({ min: Date.parse('2021-01-01T00:00:00Z'), max: Date.parse('2035-12-31T00:00:00Z') }),
        // The team is formed after the window opens, up to 90 days later; filing follows up to 400 days after that.
        fc.integer({ min: 60_000, max: 90 * DAY }),
        fc.integer({ min: 60_000, max: 400 * DAY }),
        (profile, closedMs, formedAfter, filedAfter) => {
          const c = shanxiCase({ profile, closedAt: new Date(closedMs).toISOString() });
          const opensAt = Date.parse(initialEvaluationState(c).opensAt);
          const formedAt = new Date(opensAt + formedAfter);
          const filedAt = new Date(formedAt.getTime() + filedAfter);
          const preview = deadlinePreview(c, { teamFormedAt: formedAt, followUpStartsAt: filedAt });
          const real = runCase(c, formedAt, filedAt);

          // Window: every previewed event before publication fires at its previewed instant, and nothing else fires.
          const windowReal = new Map([...real.fired].filter(([key]) => key.startsWith('window')));
          expect(windowReal).toEqual(new Map([...asMap(preview.window)].filter(([, at]) => Date.parse(at) < filedAt.getTime())));
          expect(real.fired.get('window-opens')).toBe(preview.opensAt);
          // Team: its clock runs from formation until approval (the same instant as filing here).
          const teamReal = new Map([...real.fired].filter(([key]) => key.startsWith('team')));
          expect(real.teamDueAt).toBe(preview.team?.dueAt);
          expect(teamReal).toEqual(new Map([...asMap(preview.team?.events ?? [])].filter(([, at]) => Date.parse(at) < filedAt.getTime())));
          // Task: an unfinished task's reminders and escalation all fire, at the previewed instants.
          expect(real.taskDeadline).toBe(preview.task.deadline);
          expect(real.taskFired).toEqual(asMap(preview.task.events));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('should open the window on 31 March 2027 and make it due on 31 May 2027 when a Shanxi 较大 case closed on 31 May 2026', () => {
    // 001 §3: 10 to 12 months after closure; 晋安办发〔2026〕48号 sets no team limit
    const preview = deadlinePreview(shanxiCase());
    expect(chinaDate(new Date(preview.opensAt))).toBe('2027-03-31');
    expect(chinaDate(new Date(preview.dueAt))).toBe('2027-05-31');
    expect(preview.window.map((e) => [e.key, e.on])).toEqual([
      ['window-opens', '2027-03-31'],
      ['window-reminder-30d', '2027-05-01'],
      ['window-reminder-7d', '2027-05-24'],
      ['window-reminder-1d', '2027-05-30'],
      ['window-overdue', '2027-05-31'],
    ]);
    expect(preview.team).toBeNull();
    // Default task time is 90 days from follow-up, assumed to start on the due date.
    expect(preview.task).toMatchObject({ assumed: true, deadline: addDays(new Date(preview.dueAt), 90).toISOString() });
  });

  test('should give the team 30 days from its formation when the profile is Qilin 2022', () => {
    // 000 §四: the team finishes within 30 days
    const c = shanxiCase({ profile: profileByVersion('qilin', '2022')! });
    const formedAt = chinaMidnight('2027-04-06');
    const team = deadlinePreview(c, { teamFormedAt: formedAt }).team!;
    expect(team).toMatchObject({ assumed: false, dueAt: chinaMidnight('2027-05-06').toISOString() });
    expect(team.events.map((e) => [e.key, e.on])).toEqual([
      ['team-reminder-7d', '2027-04-29'],
      ['team-reminder-1d', '2027-05-05'],
      ['team-overdue', '2027-05-06'],
    ]);
  });

  test('should refuse with BAD_USER_INPUT when the team would be formed before the window opens', () => {
    expect(refusalOf(() => deadlinePreview(shanxiCase(), { teamFormedAt: chinaMidnight('2026-12-01') }))).toEqual({ code: 'BAD_USER_INPUT', field: 'teamFormedOn' });
  });
});
