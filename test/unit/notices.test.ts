import { chinaMidnight } from '../../domain/calendar.js';
import { deadlineEvents, initialEvaluationState, type EvaluationState } from '../../domain/evaluation.js';
import { evaluationNotice, taskNotice } from '../../domain/notices.js';
import { fireTaskEvents, taskEvents } from '../../domain/rectification-task.js';
import { evaluationIn, qilinCase, rectificationTaskState, shanxiCase } from './fixtures.js';

const HOUR = 3_600_000;
const at = (date: string, hours = 0): Date => new Date(chinaMidnight(date).getTime() + hours * HOUR);
const eventOf = (state: EvaluationState, key: string) => {
  const event = deadlineEvents(state).find((e) => e.key === key);
  if (!event) throw new Error(`no ${key} event`);
  return event;
};

describe('evaluationNotice', () => {
  const shanxiTitle = '孝义市某煤业有限公司“5·31”较大顶板事故';
  const qilinTitle = '南宁街道某在建项目“12·31”高处坠落事故';

  test.each([
    // 001 §3: window opens 10 months after closure; due 12 months after, 31 May 2027
    {
      why: 'the Shanxi window opens',
      state: () => initialEvaluationState(shanxiCase()),
      key: 'window-opens',
      now: at('2027-03-31'),
      text: `【整改评估】${shanxiTitle}：结案已满10个月，评估窗口已开启，请于2027-05-31前完成评估并公开。请组建评估组。`,
    },
    // 001 §3: 30 days left
    { why: 'the 30-day window reminder goes out on time', state: () => evaluationIn('SELF_EVALUATION'), key: 'window-reminder-30d', now: at('2027-05-01'), text: `【整改评估提醒】${shanxiTitle}：评估须于2027-05-31前完成并公开，还剩30天。` },
    // a part day counts as a day left: 6 days 23 hours is still 7 days
    { why: 'the 7-day window reminder goes out an hour late', state: () => evaluationIn('SELF_EVALUATION'), key: 'window-reminder-7d', now: at('2027-05-24', 1), text: `【整改评估提醒】${shanxiTitle}：评估须于2027-05-31前完成并公开，还剩7天。` },
    // never a negative count
    { why: 'a 1-day reminder is sent after the due date', state: () => evaluationIn('SELF_EVALUATION'), key: 'window-reminder-1d', now: at('2027-06-02'), text: `【整改评估提醒】${shanxiTitle}：评估须于2027-05-31前完成并公开，还剩0天。` },
    // 004 item 3: not done within 12 months → flagged
    { why: 'the Shanxi evaluation is overdue', state: () => evaluationIn('SELF_EVALUATION'), key: 'window-overdue', now: at('2027-05-31', 1), text: `【整改评估逾期】${shanxiTitle}：未在结案后12个月内（2027-05-31前）完成评估并公开，已标记逾期。` },
    // 000 §四: the Qilin team, formed on 2 Nov 2026, must finish by 2 Dec 2026
    { why: 'the Qilin team has 7 days left', state: () => evaluationIn('SELF_EVALUATION', qilinCase()), key: 'team-reminder-7d', now: at('2026-11-25'), text: `【评估组时限提醒】${qilinTitle}：评估组须于2026-12-02前完成评估工作，还剩7天。` },
    // 000 §四: 评估组自成立后 30 日内
    { why: 'the Qilin team clock runs out', state: () => evaluationIn('SELF_EVALUATION', qilinCase()), key: 'team-overdue', now: at('2026-12-02'), text: `【评估组逾期】${qilinTitle}：评估组未在成立后30日内（2026-12-02前）完成评估工作，已标记逾期。` },
  ])('should tell the organiser "$text" when $why', ({ state, key, now, text }) => {
    const s = state();
    expect(evaluationNotice(s, eventOf(s, key), now)).toBe(text);
  });
});

describe('taskNotice', () => {
  test.each([
    // 001 §11(一): 督促整改 — the assignee is reminded with the days left
    {
      why: 'the 1-day reminder falls due',
      state: () => rectificationTaskState(),
      key: 'task-reminder-1d',
      now: at('2027-08-08'),
      text: '【整改任务提醒】孝义市能源局、孝义市应急管理局：整改任务“开展煤矿顶板灾害专项排查整治”须于2027-08-09前完成，还剩1天。',
    },
    {
      why: 'the 7-day reminder is sent half a day late',
      state: () => rectificationTaskState(),
      key: 'task-reminder-7d',
      now: at('2027-08-02', 12),
      text: '【整改任务提醒】孝义市能源局、孝义市应急管理局：整改任务“开展煤矿顶板灾害专项排查整治”须于2027-08-09前完成，还剩7天。',
    },
    // 001 §11(一): an overdue task is escalated to the organising office
    {
      why: 'the deadline passes',
      state: () => fireTaskEvents(rectificationTaskState(), ['task-reminder-7d', 'task-reminder-1d'], at('2027-08-08')),
      key: 'task-escalation',
      now: at('2027-08-09', 1),
      text: '【整改任务逾期督办】孝义市能源局、孝义市应急管理局未在2027-08-09前完成整改任务“开展煤矿顶板灾害专项排查整治”，已报吕梁市安全生产委员会办公室督办。',
    },
  ])('should send "$text" when $why', ({ state, key, now, text }) => {
    const s = state();
    const event = taskEvents(s).find((e) => e.key === key)!;
    expect(taskNotice(s, event, now)).toBe(text);
  });
});
