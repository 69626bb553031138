import * as wf from '@temporalio/workflow';
import type { BihuanActivities } from '../../activities/index.js';
import { allowWhistleblower } from '../../domain/access.js';
import {
  applyWhistleblowerAction,
  checkWhistleblowerAction,
  initialWhistleblowerState,
  whistleblowerScope,
  type WhistleblowerAction,
  type WhistleblowerState,
} from '../../domain/hazard.js';
import { SYSTEM_ACTOR } from '../failures.js';
import { PROJECTION_LOCAL_ACTIVITY } from '../projection-options.js';
import { REGION_CODE, STAGE, changedSearchAttributes } from '../search-attributes.js';
import { serial } from '../serial.js';
import * as m from './messages.js';
import { handleOfficialActions, principalOf } from '../official-actions.js';

const local = wf.proxyLocalActivities<BihuanActivities>(PROJECTION_LOCAL_ACTIVITY);

const OFFICIAL_UPDATES = [
  [m.dispatchReportUpdate, 'DISPATCH_REPORT'],
  [m.recordVerificationUpdate, 'RECORD_VERIFICATION'],
  [m.recordRewardUpdate, 'RECORD_REWARD'],
  [m.closeReportUpdate, 'CLOSE_REPORT'],
] as const satisfies readonly (readonly [unknown, WhistleblowerAction['type']])[];

/**
 * One whistleblower report (举报, 003 §三.三): received, dispatched by the handling office to the responsible
 * department, verified (unfounded, a hazard, or a hazard under listed supervision), rewarded, closed. Workflow id:
 * `whistleblower-report/<reportId>`.
 */
export async function whistleblowerReportWorkflow(input: m.WhistleblowerWorkflowInput): Promise<WhistleblowerState> {
  let state = input.state ?? initialWhistleblowerState(input.report);
  const exclusive = serial();

  const publishSearchAttributes = (): void => {
    const attributes = [
      { key: STAGE, value: state.stage },
      { key: REGION_CODE, value: state.report.handlingRegionCode },
    ];
    const changed = changedSearchAttributes(wf.workflowInfo().typedSearchAttributes, attributes);
    if (changed.length) wf.upsertSearchAttributes(changed);
  };

  handleOfficialActions<WhistleblowerState, WhistleblowerAction>({
    subject: 'report',
    state: () => state,
    setState: (next) => void (state = next),
    exclusive,
    updates: OFFICIAL_UPDATES as never,
    allowed: (actor, s, action) => allowWhistleblower(principalOf(actor), action.type, whistleblowerScope(s)),
    check: checkWhistleblowerAction,
    apply: applyWhistleblowerAction,
    save: (change) => local.saveWhistleblowerSnapshot(change),
    after: publishSearchAttributes,
  });
  wf.setHandler(m.whistleblowerStateQuery, () => state);

  if (!input.state) {
    await exclusive(() =>
      local.saveWhistleblowerSnapshot({ state, change: { actor: SYSTEM_ACTOR, action: 'START', stageBefore: null, stageAfter: state.stage, at: new Date().toISOString() } }),
    );
  }
  publishSearchAttributes();
  await wf.condition(() => state.stage === 'CLOSED' || wf.workflowInfo().continueAsNewSuggested);
  await wf.condition(wf.allHandlersFinished);
  if (state.stage !== 'CLOSED') await wf.continueAsNew<typeof whistleblowerReportWorkflow>({ report: input.report, state });
  return state;
}
