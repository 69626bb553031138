import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, EvaluationAction, EvaluationCase, EvaluationStage, EvaluationState, TaskStatus } from '../../domain/evaluation.js';

/** What an official sends with an action: who acts, and the action's own fields. */
export interface ActionRequest<T extends EvaluationAction['type']> {
  actor: Actor;
  input: Omit<Extract<EvaluationAction, { type: T }>, 'type'>;
}

export interface EvaluationWorkflowInput {
  case: EvaluationCase;
  /** Carried over by continue-as-new. */
  state?: EvaluationState;
  /** Continue as new once history passes this many events, besides when Temporal suggests it (operators, tests). */
  continueAsNewAfterEvents?: number;
  /**
   * The closure already wrote the first snapshot (revision 1, its START audit entry) of the state with this hash,
   * in its own transaction: the workflow then writes none.
   */
  startRecorded?: string;
}

/**
 * What an update answers: the revision and stage its change produced, already in the read model. Small on
 * purpose: it is stored in the workflow's history and sent back on every change (read the rest from the read
 * model, or `evaluationStateQuery`).
 */
export interface UpdateResult {
  revision: number;
  stage: EvaluationStage;
}

// Officials' decisions are updates: validated before anything is written, answered after the read model is.
export const formTeamUpdate = defineUpdate<UpdateResult, [ActionRequest<'FORM_TEAM'>]>('formTeam');
export const submitSelfEvaluationUpdate = defineUpdate<UpdateResult, [ActionRequest<'SUBMIT_SELF_EVALUATION'>]>('submitSelfEvaluation');
export const completeDocumentReviewUpdate = defineUpdate<UpdateResult, [ActionRequest<'COMPLETE_DOCUMENT_REVIEW'>]>('completeDocumentReview');
export const recordOnSiteCheckUpdate = defineUpdate<UpdateResult, [ActionRequest<'RECORD_ON_SITE_CHECK'>]>('recordOnSiteCheck');
export const completeOnSiteVerificationUpdate = defineUpdate<UpdateResult, [ActionRequest<'COMPLETE_ON_SITE_VERIFICATION'>]>(
  'completeOnSiteVerification',
);
export const submitAssessmentUpdate = defineUpdate<UpdateResult, [ActionRequest<'SUBMIT_ASSESSMENT'>]>('submitAssessment');
export const submitReportDraftUpdate = defineUpdate<UpdateResult, [ActionRequest<'SUBMIT_REPORT_DRAFT'>]>('submitReportDraft');
export const returnReportUpdate = defineUpdate<UpdateResult, [ActionRequest<'RETURN_REPORT'>]>('returnReport');
export const approveReportUpdate = defineUpdate<UpdateResult, [ActionRequest<'APPROVE_REPORT'>]>('approveReport');
export const publishReportUpdate = defineUpdate<UpdateResult, [ActionRequest<'PUBLISH_REPORT'>]>('publishReport');
export const fileReportUpdate = defineUpdate<UpdateResult, [ActionRequest<'FILE_REPORT'>]>('fileReport');
export const recordReferralOutcomeUpdate = defineUpdate<UpdateResult, [ActionRequest<'RECORD_REFERRAL_OUTCOME'>]>('recordReferralOutcome');

/** Sent by a rectification task's workflow when its status changes; needs no answer. */
export const taskStatusSignal = defineSignal<[{ taskId: string; status: TaskStatus; evidence?: string }]>('taskStatus');

export const evaluationStateQuery = defineQuery<EvaluationState>('evaluationState');
