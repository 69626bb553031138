import * as wf from '@temporalio/workflow';
import type { BihuanActivities } from '../../activities/index.js';
import { dispatchTotal, obligationReminder, obligationsDueIn, quarterJustEnded, type Quarter } from '../../domain/hazard-campaign.js';

// The recurring hazard work, each run started by a Temporal schedule (infra/hazard-schedules.ts): the quarterly
// progress circulars with their dispatch tables (003 §三 组织保障(三): 每季度通报整治进展情况; 调度表), and the reminders of the
// enterprise obligations (003 §三.(二)1.(2), (6)). Each run is short and idempotent: a circular is stored once per
// county and quarter (produced again: replaced), a notice once per key.

const acts = wf.proxyActivities<BihuanActivities>({ startToCloseTimeout: '2 minutes', retry: { maximumInterval: '5 minutes' } });

/** Activities run side by side (bounded, so one run does not flood the worker). */
const BATCH = 10;

async function inBatches<T>(items: readonly T[], run: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH) await Promise.all(items.slice(i, i + BATCH).map(run));
}

export interface HazardCircularsInput {
  /** The quarter to report; absent: the quarter that ended last before the run (China time). */
  year?: number;
  quarter?: number;
}

export interface HazardCircularsResult extends Quarter {
  regions: string[];
}

const percent = (rate: string | null): string => (rate === null ? '—' : `${(Number(rate) * 100).toFixed(2)}%`);

/**
 * 季度通报: the circular and dispatch table of every county holding hazards, for the quarter just ended; each county's
 * safety office is told it is out, with its totals.
 */
export async function hazardCircularsWorkflow(input: HazardCircularsInput = {}): Promise<HazardCircularsResult> {
  // The workflow's clock: the instant the schedule started the run (deterministic on replay).
  const q: Quarter = input.year && input.quarter ? { year: input.year, quarter: input.quarter } : quarterJustEnded(new Date());
  const regions = await acts.hazardCircularRegions(q);
  await inBatches(regions, async (region) => {
    const circular = await acts.produceHazardCircular({ regionCode: region.code, ...q });
    const total = dispatchTotal(circular.rows);
    await acts.notify({
      key: `hazard-circular/${region.code}/${q.year}-Q${q.quarter}`,
      kind: 'REMINDER',
      subjectId: circular.id,
      recipient: region.safetyOfficeName,
      message:
        `【重大事故隐患排查整治季度通报】${region.name}${q.year}年第${q.quarter}季度调度表已生成：年内排查隐患${total.found}项，` +
        `已整改销号${total.rectified}项，逾期未整改${total.overdue}项，整改率${percent(total.rectificationRate)}，整改资金${total.fundsYuan}元。`,
    });
  });
  wf.log.info('hazard circulars produced', { year: q.year, quarter: q.quarter, regions: regions.length });
  return { ...q, regions: regions.map((r) => r.code) };
}

export interface ObligationRemindersInput {
  /** The month whose reminders go out; absent: the month the run starts in (China time). */
  year?: number;
  month?: number;
  /** Carried over by continue-as-new: the last enterprise reminded. */
  afterId?: string | null;
  reminded?: number;
}

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * 企业主体责任提醒: at the start of each month, every enterprise that has a contact is reminded of the obligations
 * whose period begins (principal inspections monthly in high-risk sectors, quarterly in others; drills half-yearly
 * in high-risk sectors, yearly in others). Pages through the enterprises; continues as new when its history grows.
 */
export async function enterpriseObligationRemindersWorkflow(input: ObligationRemindersInput = {}): Promise<{ year: number; month: number; reminded: number }> {
  const local = new Date(Date.now() + CHINA_OFFSET_MS);
  const year = input.year ?? local.getUTCFullYear();
  const month = input.month ?? local.getUTCMonth() + 1;
  const tag = `${year}-${String(month).padStart(2, '0')}`;
  let afterId = input.afterId ?? null;
  let reminded = input.reminded ?? 0;
  for (;;) {
    const page = await acts.enterprisesToRemind({ afterId });
    if (!page.length) break;
    const due = page.map((e) => ({ enterprise: e, obligations: obligationsDueIn(e.sector, month) })).filter((d) => d.obligations.length > 0);
    await inBatches(due, ({ enterprise, obligations }) =>
      acts.notify({
        key: `enterprise-obligations/${enterprise.id}/${tag}`,
        kind: 'REMINDER',
        subjectId: enterprise.id,
        recipient: enterprise.name,
        message: obligationReminder(enterprise.name, year, month, obligations),
      }),
    );
    reminded += due.length;
    afterId = page[page.length - 1]!.id;
    if (wf.workflowInfo().continueAsNewSuggested) {
      await wf.continueAsNew<typeof enterpriseObligationRemindersWorkflow>({ year, month, afterId, reminded });
    }
  }
  wf.log.info('enterprise obligation reminders sent', { year, month, reminded });
  return { year, month, reminded };
}
