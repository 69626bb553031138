import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import * as wf from '@temporalio/workflow';
import type { BihuanActivities, ChangeRecord } from '../../activities/index.js';
import {
  applyCampaignAction,
  campaignActionScope,
  campaignDeadlineEvents,
  campaignEventRecipients,
  checkCampaignAction,
  dueCampaignEvents,
  initialCampaignState,
  initialLookBackState,
  initialSectorState,
  initialTownState,
  nextDueAt,
  type Actor,
  type CampaignAction,
  type CampaignState,
} from '../../domain/campaign.js';
import { campaignNotice } from '../../domain/notices.js';
import { refuseAsFailure, SYSTEM_ACTOR } from '../failures.js';
import { PROJECTION_LOCAL_ACTIVITY } from '../projection-options.js';
import { changedSearchAttributes, DUE_AT, OVERDUE, REGION_CODE, STAGE } from '../search-attributes.js';
import { serial } from '../serial.js';
import { campaignLookBackWorkflow } from './look-back.workflow.js';
import * as m from './messages.js';
import { campaignSectorWorkflow } from './sector.workflow.js';
import { campaignTownWorkflow } from './town.workflow.js';
import { handleOfficialActions, retryLater } from './unit.js';
import { Alarm } from '../alarm.js';
import { continueAsNewDue } from '../continue-as-new.js';

const local = wf.proxyLocalActivities<BihuanActivities>(PROJECTION_LOCAL_ACTIVITY);

type OfficialType = Exclude<CampaignAction['type'], 'UNIT_SUBMITTED' | 'UNIT_APPROVED' | 'LOOK_BACK_DUE' | 'LOOK_BACK_RECORDED' | 'CALENDAR_LOADED' | 'FIRE_DEADLINES'>;
const OFFICIAL_UPDATES = [
  [m.submitPreparationUpdate, 'SUBMIT_PREPARATION'],
  [m.requestExtensionUpdate, 'REQUEST_EXTENSION'],
  [m.decideExtensionUpdate, 'DECIDE_EXTENSION'],
  [m.submitCampaignAssessmentUpdate, 'SUBMIT_ASSESSMENT'],
  [m.returnCampaignAssessmentUpdate, 'RETURN_ASSESSMENT'],
  [m.approveCampaignAssessmentUpdate, 'APPROVE_ASSESSMENT'],
  [m.submitRectificationPlanUpdate, 'SUBMIT_RECTIFICATION_PLAN'],
  [m.scheduleLookBackUpdate, 'SCHEDULE_LOOK_BACK'],
  [m.recordInspectionUpdate, 'RECORD_INSPECTION'],
  [m.closeFollowUpUpdate, 'CLOSE_FOLLOW_UP'],
] as const satisfies readonly (readonly [unknown, OfficialType])[];

/**
 * The evaluation of one special rectification campaign (002 §7-§13), from its end date to the close of follow-up:
 * every deadline and its reminders, extensions, grades, and the status of each town and sector, whose work runs in
 * child workflows that report back by signal. Workflow id: `campaign/<campaignId>`.
 */
export async function campaignWorkflow(input: m.CampaignWorkflowInput): Promise<CampaignState> {
  let state = input.state ?? initialCampaignState(input.case, input.calendar, new Date());
  const exclusive = serial();
  const { workflowId } = wf.workflowInfo();

  const publishSearchAttributes = (): void => {
    const due = nextDueAt(state) ?? state.deadlines.at(-1)!.dueAt;
    const attributes = [
      { key: STAGE, value: state.stage },
      { key: REGION_CODE, value: state.case.districtRegionCode },
      { key: DUE_AT, value: new Date(due) },
      { key: OVERDUE, value: state.overdue.length > 0 },
    ];
    // Only a value that changed costs a visibility write.
    const changed = changedSearchAttributes(wf.workflowInfo().typedSearchAttributes, attributes);
    if (changed.length) wf.upsertSearchAttributes(changed);
  };

  const alarm = new Alarm();

  const save = (change: ChangeRecord): Promise<void> => local.saveCampaignSnapshot({ state, change });

  /** Children start with ABANDON: they outlive a run that continues as new, and report back by signal. */
  const child = { parentClosePolicy: 'ABANDON' } as const;
  async function started(childId: string, start: () => Promise<unknown>): Promise<void> {
    try {
      await start();
    } catch (error) {
      // Already running (an operator restarted the campaign): it reports to this workflow id all the same.
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      wf.log.warn('child already running', { childId });
    }
  }

  /** The children a change from `before` to `after` calls for: the towns' self-evaluations, the sectors' reviews, new look-backs. */
  async function startChildren(before: CampaignState, after: CampaignState): Promise<void> {
    const c = after.case;
    const common = { campaignId: c.campaignId, campaignWorkflowId: workflowId, districtRegionCode: c.districtRegionCode };
    const starts: Promise<void>[] = [];
    if (before.stage !== 'SELF_EVALUATION' && after.stage === 'SELF_EVALUATION') {
      for (const unit of after.towns) {
        const town = c.towns.find((t) => t.regionCode === unit.unit)!;
        const sectors = c.sectors.filter((s) => s.townCodes.includes(town.regionCode)).map((s) => s.sector);
        const args: [m.TownWorkflowInput] = [{ state: initialTownState({ ...common, town, sectors }) }];
        starts.push(started(unit.workflowId, () => wf.startChild(campaignTownWorkflow, { ...child, workflowId: unit.workflowId, args })));
      }
    }
    if (before.stage !== 'SECTOR_REVIEW' && after.stage === 'SECTOR_REVIEW') {
      for (const unit of after.sectors) {
        const scope = c.sectors.find((s) => s.sector === unit.unit)!;
        const args: [m.SectorWorkflowInput] = [{ state: initialSectorState({ ...common, scope }) }];
        starts.push(started(unit.workflowId, () => wf.startChild(campaignSectorWorkflow, { ...child, workflowId: unit.workflowId, args })));
      }
    }
    const known = new Set(before.lookBacks.map((l) => l.id));
    for (const lookBack of after.lookBacks.filter((l) => !known.has(l.id))) {
      const scope = c.sectors.find((s) => s.sector === lookBack.sector)!;
      const townName = c.towns.find((t) => t.regionCode === lookBack.townCode)?.name;
      const args: [m.LookBackWorkflowInput] = [
        { state: initialLookBackState({ ...common, lookBack, leadDepartmentId: scope.leadDepartmentId, leadDepartmentName: scope.leadDepartmentName, townName }) },
      ];
      starts.push(started(lookBack.workflowId, () => wf.startChild(campaignLookBackWorkflow, { ...child, workflowId: lookBack.workflowId, args })));
    }
    // Started together: the commands go out in this order, in one workflow task.
    await Promise.all(starts);
  }

  /** After a change is in the read model: search attributes and the alarm. */
  function afterChange(): void {
    publishSearchAttributes();
    alarm.set(campaignDeadlineEvents(state)[0]?.at);
  }

  handleOfficialActions<CampaignState, CampaignAction>({
    state: () => state,
    setState: (next) => void (state = next),
    exclusive,
    updates: OFFICIAL_UPDATES as never,
    check: checkCampaignAction,
    apply: applyCampaignAction,
    scope: campaignActionScope,
    save: (input) => local.saveCampaignSnapshot(input),
    // An official's change is undone when the read model refuses it, so its children start once it is stored.
    after: async (before) => {
      afterChange();
      await startChildren(before, state);
    },
  });

  /** A change the workflow makes itself; one that does not fit the state now (a late or repeated signal) is ignored. */
  async function systemChange(action: CampaignAction, actor: Actor = SYSTEM_ACTOR, payload?: unknown): Promise<void> {
    const before = state;
    const at = new Date();
    try {
      checkCampaignAction(state, action, at);
    } catch (error) {
      wf.log.warn('ignored', { action: action.type, error: String(error) });
      return;
    }
    const next = refuseAsFailure(() => applyCampaignAction(state, action, actor, at));
    if (next === before) return;
    // Children first: once the campaign shows a stage (query, read model), that stage's children exist. A change
    // the read model refuses fails the workflow task, which is retried, so it is never undone after they started.
    await startChildren(before, next);
    state = next;
    try {
      await save({ actor, action: action.type, stageBefore: before.stage, stageAfter: state.stage, at: at.toISOString(), payload });
    } catch (error) {
      state = before;
      throw retryLater(action.type, error);
    }
    afterChange();
  }

  wf.setHandler(m.unitSignal, (signal) =>
    exclusive(() =>
      systemChange(
        signal.event === 'SUBMITTED'
          ? { type: 'UNIT_SUBMITTED', unitKind: signal.unitKind, unit: signal.unit }
          : { type: 'UNIT_APPROVED', unitKind: signal.unitKind, unit: signal.unit, townGrades: signal.townGrades },
        SYSTEM_ACTOR,
        signal,
      ),
    ),
  );
  wf.setHandler(m.lookBackSignal, (signal) =>
    exclusive(() =>
      systemChange(
        signal.event === 'DUE'
          ? { type: 'LOOK_BACK_DUE', lookBackId: signal.lookBackId }
          : { type: 'LOOK_BACK_RECORDED', lookBackId: signal.lookBackId, findings: signal.findings, resolved: signal.resolved },
        SYSTEM_ACTOR,
        signal,
      ),
    ),
  );
  wf.setHandler(m.calendarLoadedSignal, (signal) =>
    exclusive(() => systemChange({ type: 'CALENDAR_LOADED', calendar: signal?.calendar }, SYSTEM_ACTOR, { years: signal?.calendar?.years?.map((y) => y.year) })),
  );
  wf.setHandler(m.campaignStateQuery, () => state);

  async function fireDueDeadlines(): Promise<void> {
    const now = new Date();
    const { due, announce } = dueCampaignEvents(state, now);
    if (!due.length) return;
    for (const event of announce) {
      for (const recipient of campaignEventRecipients(state, event)) {
        await local.notify({
          key: `${workflowId}/${event.key}/${recipient}`,
          kind: event.kind === 'OVERDUE' ? 'OVERDUE' : 'REMINDER',
          subjectId: state.case.campaignId,
          recipient,
          message: campaignNotice(state, event, now),
          dueAt: event.deadline,
        });
      }
    }
    await systemChange({ type: 'FIRE_DEADLINES', keys: due.map((e) => e.key) }, SYSTEM_ACTOR, { events: due.map((e) => e.key) });
  }

  if (!input.state) {
    await exclusive(() => save({ actor: SYSTEM_ACTOR, action: 'START', stageBefore: null, stageAfter: state.stage, at: new Date().toISOString() }));
  }
  publishSearchAttributes();

  const closed = (): boolean => state.stage === 'CLOSED';
  while (!closed()) {
    await exclusive(fireDueDeadlines);
    if (closed()) break;
    alarm.set(campaignDeadlineEvents(state)[0]?.at);
    // Changes move the alarm themselves: only a deadline, the close or a long history wakes this loop.
    await wf.condition(() => closed() || alarm.rang || continueAsNewDue(input.continueAsNewAfterEvents));
    alarm.clear();
    if (!closed() && continueAsNewDue(input.continueAsNewAfterEvents)) {
      // Months of waiting must not grow history without bound: hand the state to a fresh run once no handler is mid-way.
      await wf.condition(wf.allHandlersFinished);
      await wf.continueAsNew<typeof campaignWorkflow>({ case: input.case, calendar: state.calendar, state, continueAsNewAfterEvents: input.continueAsNewAfterEvents });
    }
  }
  await wf.condition(wf.allHandlersFinished);
  return state;
}
