import * as wf from '@temporalio/workflow';
import type { BihuanActivities, ChangeRecord } from '../../activities/index.js';
import { allowHazard, type HazardOperation } from '../../domain/access.js';
import {
  applyHazardAction,
  checkHazardAction,
  dueHazardEvents,
  hazardDeadlineEvents,
  hazardEventRecipients,
  hazardScope,
  initialHazardState,
  type Actor,
  type HazardAction,
  type HazardState,
} from '../../domain/hazard.js';
import { hazardNotice } from '../../domain/notices.js';
import { refuseAsFailure, SYSTEM_ACTOR } from '../failures.js';
import { PROJECTION_LOCAL_ACTIVITY } from '../projection-options.js';
import { changedSearchAttributes, DUE_AT, OVERDUE, REGION_CODE, STAGE } from '../search-attributes.js';
import { serial } from '../serial.js';
import * as m from './messages.js';
import { handleOfficialActions, principalOf, retryLater } from '../official-actions.js';
import { Alarm } from '../alarm.js';
import { continueAsNewDue } from '../continue-as-new.js';

const local = wf.proxyLocalActivities<BihuanActivities>(PROJECTION_LOCAL_ACTIVITY);

const OFFICIAL_UPDATES = [
  [m.fixAtOnceUpdate, 'FIX_AT_ONCE'],
  [m.planRectificationUpdate, 'PLAN_RECTIFICATION'],
  [m.requestHazardExtensionUpdate, 'REQUEST_EXTENSION'],
  [m.decideHazardExtensionUpdate, 'DECIDE_EXTENSION'],
  [m.submitForAcceptanceUpdate, 'SUBMIT_FOR_ACCEPTANCE'],
  [m.acceptRectificationUpdate, 'ACCEPT_RECTIFICATION'],
  [m.refuseAcceptanceUpdate, 'REFUSE_ACCEPTANCE'],
  [m.listSupervisionUpdate, 'LIST_SUPERVISION'],
  [m.recordSupervisionReceiptUpdate, 'RECORD_SUPERVISION_RECEIPT'],
  [m.liftSupervisionUpdate, 'LIFT_SUPERVISION'],
  [m.markSuspectedCrimeUpdate, 'MARK_SUSPECTED_CRIME'],
  [m.recordEnforcementDecisionUpdate, 'RECORD_ENFORCEMENT_DECISION'],
] as const satisfies readonly (readonly [unknown, HazardOperation])[];

/** After closure (销号) the hazard waits this long for the official's enforcement decision, then its workflow ends. */
const DECISION_WAIT = '180 days';

/**
 * One hazard in the ledger (003 §三), from entry to closure (销号): fixed at once, or planned with the five
 * must-haves and rectified by its deadline (reminders before it; after it, the first, second and third overdue
 * notices, each to the safety office one level further up); extensions; acceptance by the supervising department;
 * listed supervision (挂牌督办) until lifted; the enforcement advice and decision. Workflow id: `hazard/<hazardId>`.
 */
export async function hazardWorkflow(input: m.HazardWorkflowInput): Promise<HazardState> {
  let state = input.state ?? initialHazardState(input.case);
  const exclusive = serial();
  const { workflowId } = wf.workflowInfo();

  const publishSearchAttributes = (): void => {
    const attributes = [
      { key: STAGE, value: state.stage },
      { key: REGION_CODE, value: state.case.regionCode },
      { key: OVERDUE, value: state.overdue },
      ...(state.dueAt ? [{ key: DUE_AT, value: new Date(state.dueAt) }] : []),
    ];
    const changed = changedSearchAttributes(wf.workflowInfo().typedSearchAttributes, attributes);
    if (changed.length) wf.upsertSearchAttributes(changed);
  };

  const alarm = new Alarm();

  const save = (change: ChangeRecord): Promise<void> => local.saveHazardSnapshot({ state, change });

  function afterChange(): void {
    publishSearchAttributes();
    alarm.set(hazardDeadlineEvents(state)[0]?.at);
  }

  handleOfficialActions<HazardState, HazardAction>({
    subject: 'hazard',
    state: () => state,
    setState: (next) => void (state = next),
    exclusive,
    updates: OFFICIAL_UPDATES as never,
    allowed: (actor, s, action) => allowHazard(principalOf(actor), action.type as HazardOperation, hazardScope(s, action)),
    check: checkHazardAction,
    apply: applyHazardAction,
    save: (change) => local.saveHazardSnapshot(change),
    after: afterChange,
  });

  /** A change the workflow makes itself; one that does not fit the state now is ignored. */
  async function systemChange(action: HazardAction, actor: Actor = SYSTEM_ACTOR, payload?: unknown): Promise<void> {
    const before = state;
    const at = new Date();
    try {
      checkHazardAction(state, action, at);
    } catch (error) {
      wf.log.warn('ignored', { action: action.type, error: String(error) });
      return;
    }
    const next = refuseAsFailure(() => applyHazardAction(state, action, actor, at));
    if (next === before) return;
    state = next;
    try {
      await save({ actor, action: action.type, stageBefore: before.stage, stageAfter: state.stage, at: at.toISOString(), payload });
    } catch (error) {
      state = before;
      throw retryLater(action.type, error);
    }
    afterChange();
  }

  wf.setHandler(m.accidentLinkedSignal, (signal) => exclusive(() => systemChange({ type: 'ACCIDENT_LINKED', accidentId: signal?.accidentId }, SYSTEM_ACTOR, signal)));
  wf.setHandler(m.hazardStateQuery, () => state);

  async function fireDueDeadlines(): Promise<void> {
    const now = new Date();
    const { due, announce } = dueHazardEvents(state, now);
    if (!due.length) return;
    for (const event of announce) {
      for (const recipient of hazardEventRecipients(state, event)) {
        await local.notify({
          key: `${workflowId}/${event.key}/${recipient}`,
          kind: event.kind,
          subjectId: state.case.hazardId,
          recipient,
          message: hazardNotice(state, event, now),
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
  const handOver = async (): Promise<never> => {
    await wf.condition(wf.allHandlersFinished);
    return wf.continueAsNew<typeof hazardWorkflow>({ case: input.case, state, continueAsNewAfterEvents: input.continueAsNewAfterEvents });
  };
  while (!closed()) {
    await exclusive(fireDueDeadlines);
    if (closed()) break;
    alarm.set(hazardDeadlineEvents(state)[0]?.at);
    // Changes move the alarm themselves: only a deadline, the closure or a long history wakes this loop.
    await wf.condition(() => closed() || alarm.rang || continueAsNewDue(input.continueAsNewAfterEvents));
    alarm.clear();
    if (!closed() && continueAsNewDue(input.continueAsNewAfterEvents)) await handOver();
  }
  alarm.set(undefined);
  // Closed: the official's decision on the advice may still follow (and an accident may yet name the hazard).
  const decided = await wf.condition(() => Boolean(state.decision) || continueAsNewDue(input.continueAsNewAfterEvents), DECISION_WAIT);
  if (decided && !state.decision) await handOver();
  await wf.condition(wf.allHandlersFinished);
  return state;
}
