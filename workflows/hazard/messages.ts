import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, HazardAction, HazardCase, HazardStage, HazardState, WhistleblowerAction, WhistleblowerReport, WhistleblowerState } from '../../domain/hazard.js';

/** What an official sends with an action: who acts, and the action's own fields (as the evaluation's updates). */
export interface HazardRequest<A extends { type: string }, T extends A['type']> {
  actor: Actor;
  input: Omit<Extract<A, { type: T }>, 'type'>;
}

export interface HazardWorkflowInput {
  case: HazardCase;
  /** Carried over by continue-as-new. */
  state?: HazardState;
  continueAsNewAfterEvents?: number;
}

/** What every hazard and whistleblower update answers: the revision and stage its change produced, already in the read model. */
export interface HazardUpdateResult {
  revision: number;
  stage: string;
}

type H<T extends HazardAction['type']> = HazardRequest<HazardAction, T>;
export const fixAtOnceUpdate = defineUpdate<HazardUpdateResult, [H<'FIX_AT_ONCE'>]>('fixHazardAtOnce');
export const planRectificationUpdate = defineUpdate<HazardUpdateResult, [H<'PLAN_RECTIFICATION'>]>('planHazardRectification');
export const requestHazardExtensionUpdate = defineUpdate<HazardUpdateResult, [H<'REQUEST_EXTENSION'>]>('requestHazardExtension');
export const decideHazardExtensionUpdate = defineUpdate<HazardUpdateResult, [H<'DECIDE_EXTENSION'>]>('decideHazardExtension');
export const submitForAcceptanceUpdate = defineUpdate<HazardUpdateResult, [H<'SUBMIT_FOR_ACCEPTANCE'>]>('submitHazardForAcceptance');
export const acceptRectificationUpdate = defineUpdate<HazardUpdateResult, [H<'ACCEPT_RECTIFICATION'>]>('acceptHazardRectification');
export const refuseAcceptanceUpdate = defineUpdate<HazardUpdateResult, [H<'REFUSE_ACCEPTANCE'>]>('refuseHazardAcceptance');
export const listSupervisionUpdate = defineUpdate<HazardUpdateResult, [H<'LIST_SUPERVISION'>]>('listHazardSupervision');
export const recordSupervisionReceiptUpdate = defineUpdate<HazardUpdateResult, [H<'RECORD_SUPERVISION_RECEIPT'>]>('recordSupervisionReceipt');
export const liftSupervisionUpdate = defineUpdate<HazardUpdateResult, [H<'LIFT_SUPERVISION'>]>('liftHazardSupervision');
export const markSuspectedCrimeUpdate = defineUpdate<HazardUpdateResult, [H<'MARK_SUSPECTED_CRIME'>]>('markHazardSuspectedCrime');
export const recordEnforcementDecisionUpdate = defineUpdate<HazardUpdateResult, [H<'RECORD_ENFORCEMENT_DECISION'>]>('recordEnforcementDecision');
/** An accident case named this hazard as its origin (003 §三: a hazard that led to an accident is penalised both ways). */
export const accidentLinkedSignal = defineSignal<[{ accidentId: string }]>('hazardAccidentLinked');
export const hazardStateQuery = defineQuery<HazardState>('hazardState');
export type { HazardStage };

export interface WhistleblowerWorkflowInput {
  report: WhistleblowerReport;
  state?: WhistleblowerState;
}
type W<T extends WhistleblowerAction['type']> = HazardRequest<WhistleblowerAction, T>;
export const dispatchReportUpdate = defineUpdate<HazardUpdateResult, [W<'DISPATCH_REPORT'>]>('dispatchWhistleblowerReport');
export const recordVerificationUpdate = defineUpdate<HazardUpdateResult, [W<'RECORD_VERIFICATION'>]>('recordWhistleblowerVerification');
export const recordRewardUpdate = defineUpdate<HazardUpdateResult, [W<'RECORD_REWARD'>]>('recordWhistleblowerReward');
export const closeReportUpdate = defineUpdate<HazardUpdateResult, [W<'CLOSE_REPORT'>]>('closeWhistleblowerReport');
export const whistleblowerStateQuery = defineQuery<WhistleblowerState>('whistleblowerState');
