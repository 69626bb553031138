import * as wf from '@temporalio/workflow';
import type { BihuanActivities } from '../../activities/index.js';
import { applySectorAction, checkSectorAction, sectorScope, type SectorAction, type SectorReviewState } from '../../domain/campaign.js';
import { SYSTEM_ACTOR } from '../failures.js';
import { PROJECTION_LOCAL_ACTIVITY } from '../projection-options.js';
import { serial } from '../serial.js';
import * as m from './messages.js';
import { handleOfficialActions } from './unit.js';

const local = wf.proxyLocalActivities<BihuanActivities>(PROJECTION_LOCAL_ACTIVITY);

const UPDATES = [
  [m.recordReviewMethodUpdate, 'RECORD_REVIEW_METHOD'],
  [m.submitSectorReviewUpdate, 'SUBMIT_SECTOR_REVIEW'],
  [m.returnSectorReviewUpdate, 'RETURN_SECTOR_REVIEW'],
  [m.approveSectorReviewUpdate, 'APPROVE_SECTOR_REVIEW'],
] as const;

/**
 * One sector's review (002 §10): its lead department records the methods used, then submits a grade for every
 * town in scope with an overall report and one sub-report per town; the district leader in charge approves or
 * returns it. Tells the campaign by signal (the approval carries the grades); ends once approved.
 * Workflow id: `campaign/<campaignId>/sector/<SECTOR>`.
 */
export async function campaignSectorWorkflow(input: m.SectorWorkflowInput): Promise<SectorReviewState> {
  let state = input.state;
  const exclusive = serial();

  async function tellCampaign(event: 'SUBMITTED' | 'APPROVED'): Promise<void> {
    const townGrades = event === 'APPROVED' ? state.review?.townGrades : undefined;
    try {
      await wf.getExternalWorkflowHandle(state.campaignWorkflowId).signal(m.unitSignal, { unitKind: 'SECTOR', unit: state.scope.sector, event, townGrades });
    } catch (error) {
      wf.log.warn('could not signal the campaign', { campaign: state.campaignWorkflowId, error: String(error) });
    }
  }

  wf.setHandler(m.sectorStateQuery, () => state);
  handleOfficialActions<SectorReviewState, SectorAction>({
    state: () => state,
    setState: (next) => void (state = next),
    exclusive,
    updates: UPDATES as never,
    check: checkSectorAction,
    apply: applySectorAction,
    scope: (s) => sectorScope(s),
    save: (change) => local.saveSectorSnapshot(change),
    after: async (before) => {
      if (state.stage === 'AWAITING_APPROVAL' && before.stage !== 'AWAITING_APPROVAL') await tellCampaign('SUBMITTED');
      if (state.stage === 'APPROVED') await tellCampaign('APPROVED');
    },
  });

  if (!input.continued) {
    await exclusive(() => local.saveSectorSnapshot({ state, change: { actor: SYSTEM_ACTOR, action: 'START', stageBefore: null, stageAfter: state.stage, at: new Date().toISOString() } }));
  }
  await wf.condition(() => state.stage === 'APPROVED' || wf.workflowInfo().continueAsNewSuggested);
  await wf.condition(wf.allHandlersFinished);
  if (state.stage !== 'APPROVED') await wf.continueAsNew<typeof campaignSectorWorkflow>({ state, continued: true });
  return state;
}
