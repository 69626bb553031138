import { chinaDate } from './calendar.js';
import type { CampaignClock, CampaignEvent, CampaignState, LookBackState } from './campaign.js';
import type { DeadlineEvent, EvaluationState } from './evaluation.js';
import type { HazardEvent, HazardState } from './hazard.js';
import type { TaskEvent, TaskState } from './rectification-task.js';

// Texts of the notices officials receive; Chinese, as the offices use them.

const daysLeft = (deadline: string, now: Date): number => Math.max(0, Math.ceil((Date.parse(deadline) - now.getTime()) / 86_400_000));

export function evaluationNotice(state: EvaluationState, event: DeadlineEvent, now: Date): string {
  const title = state.case.title;
  const due = chinaDate(new Date(event.deadline));
  switch (event.kind) {
    case 'WINDOW_OPENS':
      return `【整改评估】${title}：结案已满${state.case.profile.window.opensAfterMonths}个月，评估窗口已开启，请于${chinaDate(new Date(state.dueAt))}前完成评估并公开。请组建评估组。`;
    case 'REMINDER':
      return event.clock === 'WINDOW'
        ? `【整改评估提醒】${title}：评估须于${due}前完成并公开，还剩${daysLeft(event.deadline, now)}天。`
        : `【评估组时限提醒】${title}：评估组须于${due}前完成评估工作，还剩${daysLeft(event.deadline, now)}天。`;
    case 'OVERDUE':
      return event.clock === 'WINDOW'
        ? `【整改评估逾期】${title}：未在结案后${state.case.profile.window.dueAfterMonths}个月内（${due}前）完成评估并公开，已标记逾期。`
        : `【评估组逾期】${title}：评估组未在成立后${state.case.profile.teamDays}日内（${due}前）完成评估工作，已标记逾期。`;
  }
}

export function taskNotice(state: TaskState, event: TaskEvent, now: Date): string {
  const due = chinaDate(new Date(state.task.deadline));
  return event.kind === 'REMINDER'
    ? `【整改任务提醒】${state.task.assignee}：整改任务“${state.measureText}”须于${due}前完成，还剩${daysLeft(state.task.deadline, now)}天。`
    : `【整改任务逾期督办】${state.task.assignee}未在${due}前完成整改任务“${state.measureText}”，已报${state.organiserName}督办。`;
}

const CLOCK_WORK: Record<CampaignClock, string> = {
  PREPARATION: '制定评估工作方案、组建评估工作领导小组',
  SELF_EVALUATION: '完成基层自评并经区镇分管领导审核',
  SECTOR_REVIEW: '完成行业复评并经分管区领导审核',
  ASSESSMENT: '完成综合评议',
};

export function campaignNotice(state: CampaignState, event: CampaignEvent, now: Date): string {
  const name = state.case.name;
  if (event.kind === 'CAMPAIGN_ENDS') {
    const prep = state.deadlines.find((d) => d.clock === 'PREPARATION')!;
    return `【专项整治评估】${name}已于${state.case.endsOn}结束，请于${prep.dueOn}前制定评估工作方案、组建评估工作领导小组。`;
  }
  const clock = event.clock!;
  const deadline = state.deadlines.find((d) => d.clock === clock)!;
  const work = clock === 'ASSESSMENT' && !state.fullPath ? '完成牵头部门综合评议并报区安委办备案' : CLOCK_WORK[clock];
  const provisional = deadline.provisional ? '（该年度节假日安排尚未公布，期限可能调整）' : '';
  return event.kind === 'REMINDER'
    ? `【专项整治评估提醒】${name}：须于${deadline.dueOn}前${work}，还剩${daysLeft(event.deadline, now)}天${provisional}。`
    : `【专项整治评估逾期】${name}：未在${deadline.dueOn}前${work}，已标记逾期。`;
}

export function lookBackNotice(state: LookBackState): string {
  return `【整改落实“回头看”】${state.leadDepartmentName}：${state.townName ?? state.lookBack.townCode}的“回头看”定于${state.lookBack.scheduledOn}，请组织开展并记录结果。`;
}

const GRADE_TEXT = { MAJOR: '重大事故隐患', GENERAL: '一般事故隐患' } as const;
const ORDINAL = ['', '第一次', '第二次', '第三次', '第四次', '第五次'];

/** A hazard's reminder before its rectification deadline, or an overdue notice to the office one level further up. */
export function hazardNotice(state: HazardState, event: HazardEvent, now: Date): string {
  const c = state.case;
  const what = `${c.enterpriseName}${GRADE_TEXT[c.grade]}“${c.description.length > 60 ? `${c.description.slice(0, 60)}…` : c.description}”`;
  const due = state.deadlineOn!;
  if (event.kind === 'REMINDER') {
    return `【隐患整改提醒】${what}须于${due}前整改完成（责任人：${state.plan?.responsiblePerson ?? '—'}），还剩${daysLeft(event.deadline, now)}天。`;
  }
  const n = event.notice ?? 1;
  return `【隐患整改逾期${ORDINAL[n] ?? `第${n}次`}通报】${event.officeName}：${what}未在${due}前整改完成，监管部门为${c.supervisingDepartmentName}，请督促整改。`;
}
