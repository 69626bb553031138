import { chinaDate, chinaMidnight } from '../../domain/calendar.js';
import { checkTaskClose, closeTask, dueTaskEvents, fireTaskEvents, taskEvents, type TaskState } from '../../domain/rectification-task.js';
import { officeDirector, rectificationTaskState, refusalOf } from './fixtures.js';

const HOUR = 3_600_000;
const oneHourAfter = (date: string): Date => new Date(chinaMidnight(date).getTime() + HOUR);
const keys = (events: { key: string }[]): string[] => events.map((e) => e.key);

describe('initialTaskState', () => {
  test('should start at revision 1 with nothing fired when a task is handed over', () => {
    // 001 §11(一): 交办整改工作任务 — tracking starts from the hand-over
    expect(rectificationTaskState()).toMatchObject({ revision: 1, firedDeadlines: [], task: { status: 'OPEN' } });
  });
});

describe('taskEvents', () => {
  test.each([
    // 001 §11(一): 持续跟踪、督促整改 — reminders 7 and 1 days before, escalation on the deadline
    { why: 'the task is open', state: () => rectificationTaskState(), events: [['task-reminder-7d', '2027-08-02'], ['task-reminder-1d', '2027-08-08'], ['task-escalation', '2027-08-09']] },
    // the office may give the reminder days in any order; they still come out by date
    { why: 'the reminder days are given in reverse', state: () => ({ ...rectificationTaskState(), reminderDaysBefore: [1, 7] }), events: [['task-reminder-7d', '2027-08-02'], ['task-reminder-1d', '2027-08-08'], ['task-escalation', '2027-08-09']] },
    // a reminder is sent once
    { why: 'the 7-day reminder already fired', state: () => fireTaskEvents(rectificationTaskState(), ['task-reminder-7d'], oneHourAfter('2027-08-02')), events: [['task-reminder-1d', '2027-08-08'], ['task-escalation', '2027-08-09']] },
    // 001 §11(一): a done task is no longer urged
    { why: 'the task is done', state: () => rectificationTaskState({ status: 'DONE' }), events: [] },
  ].map((row: { why: string; state: () => TaskState; events: string[][] }) => ({ ...row, listed: row.events.map((e) => e[0]).join(', ') || 'nothing' })))('should list $listed when $why', ({ state, events }) => {
    expect(taskEvents(state()).map((e) => [e.key, chinaDate(new Date(e.at))])).toEqual(events);
  });
});

describe('dueTaskEvents', () => {
  test.each([
    { why: 'the first reminder is not yet due', state: () => rectificationTaskState(), now: new Date(chinaMidnight('2027-08-02').getTime() - 1), due: [], announce: [] },
    // 001 §11(一): urge 7 days ahead
    { why: 'the 7-day reminder falls due', state: () => rectificationTaskState(), now: oneHourAfter('2027-08-02'), due: ['task-reminder-7d'], announce: ['task-reminder-7d'] },
    // only the latest reminder is sent when several fell due together
    { why: 'the 7- and 1-day reminders fell due together', state: () => rectificationTaskState(), now: oneHourAfter('2027-08-08'), due: ['task-reminder-7d', 'task-reminder-1d'], announce: ['task-reminder-1d'] },
    // 001 §11(一): past the deadline the organiser is told, and no reminder goes out
    { why: 'the deadline passed with every reminder unsent', state: () => rectificationTaskState(), now: oneHourAfter('2027-08-09'), due: ['task-reminder-7d', 'task-reminder-1d', 'task-escalation'], announce: ['task-escalation'] },
    // the 7-day reminder already went out; the 1-day reminder is the only one left
    { why: 'the 1-day reminder falls due after the 7-day one was sent', state: () => fireTaskEvents(rectificationTaskState(), ['task-reminder-7d'], oneHourAfter('2027-08-02')), now: oneHourAfter('2027-08-08'), due: ['task-reminder-1d'], announce: ['task-reminder-1d'] },
    // 001 §11(一): a done task is not escalated even after its deadline
    { why: 'the task was done before the deadline', state: () => closeTask(rectificationTaskState(), '验收报告', officeDirector, chinaMidnight('2027-08-01')), now: oneHourAfter('2027-08-09'), due: [], announce: [] },
  ] satisfies { why: string; state: () => TaskState; now: Date; due: string[]; announce: string[] }[])(
    'should announce $announce when $why',
    ({ state, now, due, announce }) => {
      const result = dueTaskEvents(state(), now);
      expect({ due: keys(result.due), announce: keys(result.announce) }).toEqual({ due, announce });
    },
  );
});

describe('fireTaskEvents', () => {
  test('should mark the task overdue and escalated when the escalation fires', () => {
    // 001 §11(一): an overdue task is escalated to the organising office
    const at = oneHourAfter('2027-08-09');
    const state = fireTaskEvents(rectificationTaskState(), ['task-reminder-7d', 'task-reminder-1d', 'task-escalation'], at);
    expect(state).toMatchObject({ revision: 2, escalatedAt: at.toISOString(), task: { status: 'OVERDUE' } });
    expect(state.firedDeadlines).toEqual(['task-reminder-7d', 'task-reminder-1d', 'task-escalation']);
    expect(taskEvents(state)).toEqual([]);
  });

  test('should leave the task open when only a reminder fires', () => {
    // 001 §11(一): a reminder is not an escalation
    const state = fireTaskEvents(rectificationTaskState(), ['task-reminder-7d'], oneHourAfter('2027-08-02'));
    expect({ status: state.task.status, escalatedAt: state.escalatedAt, revision: state.revision }).toEqual({ status: 'OPEN', escalatedAt: undefined, revision: 2 });
  });

  test.each([
    { why: 'the key is unknown', keys: ['task-reminder-3d'], state: () => rectificationTaskState() },
    // an escalation happens once
    { why: 'the escalation already fired', keys: ['task-escalation'], state: () => fireTaskEvents(rectificationTaskState(), ['task-escalation'], oneHourAfter('2027-08-09')) },
    // 001 §11(一): a done task is not escalated
    { why: 'the task is done', keys: ['task-escalation'], state: () => rectificationTaskState({ status: 'DONE' }) },
  ])('should return the same state when $why', ({ keys: firing, state }) => {
    const before = state();
    expect(fireTaskEvents(before, firing, oneHourAfter('2027-08-10'))).toBe(before);
  });
});

describe('closing a task', () => {
  const overdue = () => fireTaskEvents(rectificationTaskState(), ['task-escalation'], oneHourAfter('2027-08-09'));

  test.each([
    // 001 §11(一): 督促整改 until done, and done once
    { why: 'the task is already done', state: () => rectificationTaskState({ status: 'DONE' }), evidence: '验收报告', answer: 'refuse with INVALID_TRANSITION', refusal: { code: 'INVALID_TRANSITION' } },
    // 001 §11(一): done means evidenced
    { why: 'no evidence is given', state: () => rectificationTaskState(), evidence: '   ', answer: 'refuse with BAD_USER_INPUT on evidence', refusal: { code: 'BAD_USER_INPUT', field: 'evidence' } },
    // 001 §11(一): an overdue task can still be rectified and closed
    { why: 'an overdue task is closed with evidence', state: overdue, evidence: '孝义市能源局顶板专项整治验收报告', answer: 'accept', refusal: undefined },
  ])('should $answer when $why', ({ state, evidence, refusal }) => {
    expect(refusalOf(() => checkTaskClose(state(), evidence))).toEqual(refusal);
  });

  test('should keep the escalation on record when an overdue task is closed', () => {
    // 004 item 3: lateness stays visible after the work is done
    const before = overdue();
    const at = chinaMidnight('2027-08-20');
    const closed = closeTask(before, '孝义市能源局顶板专项整治验收报告', officeDirector, at);
    expect(closed).toMatchObject({
      revision: before.revision + 1,
      escalatedAt: before.escalatedAt,
      closedBy: officeDirector.name,
      task: { status: 'DONE', closedAt: at.toISOString(), evidence: '孝义市能源局顶板专项整治验收报告' },
    });
    expect(before.escalatedAt).toBeDefined();
  });
});
