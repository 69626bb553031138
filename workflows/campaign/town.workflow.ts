import * as wf from '@temporalio/workflow';
import type { BihuanActivities } from '../../activities/index.js';
import { applyTownAction, checkTownAction, townScope, type TownAction, type TownSelfEvaluationState } from '../../domain/campaign.js';
import { SYSTEM_ACTOR } from '../failures.js';
import { PROJECTION_LOCAL_ACTIVITY } from '../projection-options.js';
import { serial } from '../serial.js';
import * as m from './messages.js';
import { handleOfficialActions } from './unit.js';

const local = wf.proxyLocalActivities<BihuanActivities>(PROJECTION_LOCAL_ACTIVITY);

const UPDATES = [
  [m.submitTownSelfEvaluationUpdate, 'SUBMIT_TOWN_SELF_EVALUATION'],
  [m.returnTownSelfEvaluationUpdate, 'RETURN_TOWN_SELF_EVALUATION'],
  [m.approveTownSelfEvaluationUpdate, 'APPROVE_TOWN_SELF_EVALUATION'],
] as const;

/**
 * One town's self-evaluation (002 §9): the town official submits the report and its three lists, the town's
 * leader in charge approves it or returns it. Tells the campaign by signal; ends once approved.
 * Workflow id: `campaign/<campaignId>/town/<townCode>`.
 */
export async function campaignTownWorkflow(input: m.TownWorkflowInput): Promise<TownSelfEvaluationState> {
  let state = input.state;
  const exclusive = serial();

  async function tellCampaign(event: 'SUBMITTED' | 'APPROVED'): Promise<void> {
    try {
      await wf.getExternalWorkflowHandle(state.campaignWorkflowId).signal(m.unitSignal, { unitKind: 'TOWN', unit: state.town.regionCode, event });
    } catch (error) {
      // The campaign may have been terminated by an operator; the town's own record stands.
      wf.log.warn('could not signal the campaign', { campaign: state.campaignWorkflowId, error: String(error) });
    }
  }

  wf.setHandler(m.townStateQuery, () => state);
  handleOfficialActions<TownSelfEvaluationState, TownAction>({
    state: () => state,
    setState: (next) => void (state = next),
    exclusive,
    updates: UPDATES as never,
    check: (s, action) => checkTownAction(s, action),
    apply: applyTownAction,
    scope: (s) => townScope(s),
    save: (change) => local.saveTownSnapshot(change),
    after: async (before) => {
      if (state.stage === 'AWAITING_APPROVAL' && before.stage !== 'AWAITING_APPROVAL') await tellCampaign('SUBMITTED');
      if (state.stage === 'APPROVED') await tellCampaign('APPROVED');
    },
  });

  if (!input.continued) {
    await exclusive(() => local.saveTownSnapshot({ state, change: { actor: SYSTEM_ACTOR, action: 'START', stageBefore: null, stageAfter: state.stage, at: new Date().toISOString() } }));
  }
  await wf.condition(() => state.stage === 'APPROVED' || wf.workflowInfo().continueAsNewSuggested);
  await wf.condition(wf.allHandlersFinished);
  if (state.stage !== 'APPROVED') await wf.continueAsNew<typeof campaignTownWorkflow>({ state, continued: true });
  return state;
}
