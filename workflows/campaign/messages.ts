import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  Actor,
  CampaignAction,
  CampaignCase,
  CampaignStage,
  CampaignState,
  Grade,
  LookBackAction,
  LookBackState,
  SectorAction,
  SectorReviewState,
  TownAction,
  TownSelfEvaluationState,
} from '../../domain/campaign.js';
import type { WorkingCalendar } from '../../domain/working-days.js';

/** What an official sends with an action: who acts, and the action's own fields (as the evaluation's updates). */
export interface Request<A extends { type: string }, T extends A['type']> {
  actor: Actor;
  input: Omit<Extract<A, { type: T }>, 'type'>;
}

export interface CampaignWorkflowInput {
  case: CampaignCase;
  /** The working-day calendar for the years the deadlines fall in, read before the start. */
  calendar: WorkingCalendar;
  /** Carried over by continue-as-new. */
  state?: CampaignState;
  continueAsNewAfterEvents?: number;
}

/** What every campaign update answers: the revision and stage its change produced, already in the read model. */
export interface CampaignUpdateResult {
  revision: number;
  stage: string;
}

// ---- the campaign (`campaign/<id>`) ----
type C<T extends CampaignAction['type']> = Request<CampaignAction, T>;
export const submitPreparationUpdate = defineUpdate<CampaignUpdateResult, [C<'SUBMIT_PREPARATION'>]>('submitCampaignPreparation');
export const requestExtensionUpdate = defineUpdate<CampaignUpdateResult, [C<'REQUEST_EXTENSION'>]>('requestCampaignExtension');
export const decideExtensionUpdate = defineUpdate<CampaignUpdateResult, [C<'DECIDE_EXTENSION'>]>('decideCampaignExtension');
export const submitCampaignAssessmentUpdate = defineUpdate<CampaignUpdateResult, [C<'SUBMIT_ASSESSMENT'>]>('submitCampaignAssessment');
export const returnCampaignAssessmentUpdate = defineUpdate<CampaignUpdateResult, [C<'RETURN_ASSESSMENT'>]>('returnCampaignAssessment');
export const approveCampaignAssessmentUpdate = defineUpdate<CampaignUpdateResult, [C<'APPROVE_ASSESSMENT'>]>('approveCampaignAssessment');
export const submitRectificationPlanUpdate = defineUpdate<CampaignUpdateResult, [C<'SUBMIT_RECTIFICATION_PLAN'>]>('submitRectificationPlan');
export const scheduleLookBackUpdate = defineUpdate<CampaignUpdateResult, [C<'SCHEDULE_LOOK_BACK'>]>('scheduleLookBack');
export const recordInspectionUpdate = defineUpdate<CampaignUpdateResult, [C<'RECORD_INSPECTION'>]>('recordCampaignInspection');
export const closeFollowUpUpdate = defineUpdate<CampaignUpdateResult, [C<'CLOSE_FOLLOW_UP'>]>('closeCampaignFollowUp');

/** A working-day calendar year was loaded or replaced: the campaign recomputes its open deadlines. */
export const calendarLoadedSignal = defineSignal<[{ calendar: WorkingCalendar }]>('calendarLoaded');
/** Children report back: a town's self-evaluation or a sector's review submitted or approved. */
export const unitSignal = defineSignal<[{ unitKind: 'TOWN' | 'SECTOR'; unit: string; event: 'SUBMITTED' | 'APPROVED'; townGrades?: { townCode: string; grade: Grade }[] }]>(
  'campaignUnit',
);
/** A look-back's day came, or its result was recorded. */
export type LookBackSignal = { lookBackId: string; event: 'DUE' } | { lookBackId: string; event: 'RECORDED'; findings: string; resolved: boolean };
export const lookBackSignal = defineSignal<[LookBackSignal]>('campaignLookBack');
export const campaignStateQuery = defineQuery<CampaignState>('campaignState');
export type { CampaignStage };

// ---- one town's self-evaluation (`campaign/<id>/town/<code>`) ----
type T<K extends TownAction['type']> = Request<TownAction, K>;
export const submitTownSelfEvaluationUpdate = defineUpdate<CampaignUpdateResult, [T<'SUBMIT_TOWN_SELF_EVALUATION'>]>('submitTownSelfEvaluation');
export const returnTownSelfEvaluationUpdate = defineUpdate<CampaignUpdateResult, [T<'RETURN_TOWN_SELF_EVALUATION'>]>('returnTownSelfEvaluation');
export const approveTownSelfEvaluationUpdate = defineUpdate<CampaignUpdateResult, [T<'APPROVE_TOWN_SELF_EVALUATION'>]>('approveTownSelfEvaluation');
export const townStateQuery = defineQuery<TownSelfEvaluationState>('townSelfEvaluationState');

// ---- one sector's review (`campaign/<id>/sector/<sector>`) ----
type S<K extends SectorAction['type']> = Request<SectorAction, K>;
export const recordReviewMethodUpdate = defineUpdate<CampaignUpdateResult, [S<'RECORD_REVIEW_METHOD'>]>('recordReviewMethod');
export const submitSectorReviewUpdate = defineUpdate<CampaignUpdateResult, [S<'SUBMIT_SECTOR_REVIEW'>]>('submitSectorReview');
export const returnSectorReviewUpdate = defineUpdate<CampaignUpdateResult, [S<'RETURN_SECTOR_REVIEW'>]>('returnSectorReview');
export const approveSectorReviewUpdate = defineUpdate<CampaignUpdateResult, [S<'APPROVE_SECTOR_REVIEW'>]>('approveSectorReview');
export const sectorStateQuery = defineQuery<SectorReviewState>('sectorReviewState');

// ---- a look-back review (`campaign/<id>/look-back/<n>`) ----
export const recordLookBackUpdate = defineUpdate<CampaignUpdateResult, [Request<LookBackAction, 'RECORD_LOOK_BACK'>]>('recordLookBack');
export const lookBackStateQuery = defineQuery<LookBackState>('lookBackState');

// ---- the children's inputs (started by the campaign, parentClosePolicy ABANDON) ----
/** `continued`: carried over by continue-as-new (the start is already in the read model). */
export interface TownWorkflowInput {
  state: TownSelfEvaluationState;
  continued?: boolean;
}
export interface SectorWorkflowInput {
  state: SectorReviewState;
  continued?: boolean;
}
export interface LookBackWorkflowInput {
  state: LookBackState;
  continued?: boolean;
}
