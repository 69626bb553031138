import * as wf from '@temporalio/workflow';
import type { BihuanActivities } from '../../activities/index.js';
import {
  applyLookBackAction,
  checkLookBackAction,
  lookBackDueAt,
  lookBackScope,
  markLookBackDue,
  type LookBackAction,
  type LookBackState,
} from '../../domain/campaign.js';
import { lookBackNotice } from '../../domain/notices.js';
import { SYSTEM_ACTOR } from '../failures.js';
import { PROJECTION_LOCAL_ACTIVITY } from '../projection-options.js';
import { serial } from '../serial.js';
import * as m from './messages.js';
import { handleOfficialActions, retryLater } from './unit.js';

const local = wf.proxyLocalActivities<BihuanActivities>(PROJECTION_LOCAL_ACTIVITY);

/**
 * A look-back review (回头看, 002 §12(二)): sleeps until its day (months, if need be; a timer, so it resumes by
 * itself on any worker), reminds the sector's lead department, then waits for its record. Tells the campaign by
 * signal. Workflow id: `campaign/<campaignId>/look-back/<id>`.
 */
export async function campaignLookBackWorkflow(input: m.LookBackWorkflowInput): Promise<LookBackState> {
  let state = input.state;
  const exclusive = serial();
  const { workflowId } = wf.workflowInfo();
  const lookBackId = state.lookBack.id;

  async function tellCampaign(signal: m.LookBackSignal): Promise<void> {
    try {
      await wf.getExternalWorkflowHandle(state.campaignWorkflowId).signal(m.lookBackSignal, signal);
    } catch (error) {
      wf.log.warn('could not signal the campaign', { campaign: state.campaignWorkflowId, error: String(error) });
    }
  }

  wf.setHandler(m.lookBackStateQuery, () => state);
  handleOfficialActions<LookBackState, LookBackAction>({
    state: () => state,
    setState: (next) => void (state = next),
    exclusive,
    updates: [[m.recordLookBackUpdate, 'RECORD_LOOK_BACK']] as never,
    check: (s, action) => checkLookBackAction(s, action),
    apply: applyLookBackAction,
    scope: (s) => lookBackScope(s),
    save: (change) => local.saveLookBackSnapshot(change),
    after: async () => {
      const { findings, resolved } = state.lookBack;
      await tellCampaign({ lookBackId, event: 'RECORDED', findings: findings!, resolved: resolved! });
    },
  });

  if (!input.continued) {
    await exclusive(() => local.saveLookBackSnapshot({ state, change: { actor: SYSTEM_ACTOR, action: 'START', stageBefore: null, stageAfter: state.stage, at: new Date().toISOString() } }));
  }
  if (state.stage === 'SCHEDULED') {
    await wf.sleep(Math.max(Date.parse(lookBackDueAt(state)) - Date.now(), 0));
    await exclusive(async () => {
      const before = state;
      const now = new Date();
      state = markLookBackDue(state, now);
      try {
        await local.saveLookBackSnapshot({ state, change: { actor: SYSTEM_ACTOR, action: 'LOOK_BACK_DUE', stageBefore: before.stage, stageAfter: state.stage, at: now.toISOString() } });
      } catch (error) {
        state = before;
        throw retryLater('LOOK_BACK_DUE', error);
      }
      await local.notify({
        key: `${workflowId}/due`,
        kind: 'REMINDER',
        subjectId: state.campaignId,
        recipient: state.leadDepartmentName,
        message: lookBackNotice(state),
        dueAt: lookBackDueAt(state),
      });
      await tellCampaign({ lookBackId, event: 'DUE' });
    });
  }
  await wf.condition(() => state.stage === 'RECORDED' || wf.workflowInfo().continueAsNewSuggested);
  await wf.condition(wf.allHandlersFinished);
  if (state.stage !== 'RECORDED') await wf.continueAsNew<typeof campaignLookBackWorkflow>({ state, continued: true });
  return state;
}
