// The campaign's parallel work, each in a child workflow: one town's self-evaluation (002 §9), one sector's review
// (002 §10), and a look-back review (002 §12(二)). Pure: `at` is the caller's clock.
import { chinaDate, chinaMidnight } from './calendar.js';
import {
  GRADES,
  REVIEW_METHODS,
  type Actor,
  type CampaignSectorScope,
  type CampaignTown,
  type LookBack,
  type LookBackAction,
  type LookBackState,
  type SectorAction,
  type SectorReviewState,
  type TownAction,
  type TownSelfEvaluationState,
} from './campaign.js';
import { CAMPAIGN_CAPS, coversEach, isoDate, list, oneOf, text } from './campaign-input.js';
import type { CampaignScope } from './access.js';
import type { Sector } from './case.js';
import { CAPS } from './caps.js';
import { badInput, invalidTransition } from './errors.js';

// ---- a town's self-evaluation (002 §9) ----

export function initialTownState(input: {
  campaignId: string;
  campaignWorkflowId: string;
  town: CampaignTown;
  districtRegionCode: string;
  sectors: Sector[];
}): TownSelfEvaluationState {
  return { ...input, stage: 'DRAFTING', revision: 1, returns: [] };
}

const TOWN_STAGE: Record<TownAction['type'], TownSelfEvaluationState['stage']> = {
  SUBMIT_TOWN_SELF_EVALUATION: 'DRAFTING',
  RETURN_TOWN_SELF_EVALUATION: 'AWAITING_APPROVAL',
  APPROVE_TOWN_SELF_EVALUATION: 'AWAITING_APPROVAL',
};

function checkItems(field: string, items: unknown): void {
  list(field, items, CAPS.listItems, 'items');
  // 002 §9(二): the self-evaluation material includes each of the three lists.
  if (!items.length) throw badInput(field, 'the self-evaluation includes this list, with at least one item (002 §9(二))');
  items.forEach((item, i) => text(`${field}[${i}]`, item, CAPS.listItem));
}

export function checkTownAction(state: TownSelfEvaluationState, action: TownAction): void {
  if (TOWN_STAGE[action.type] !== state.stage) throw invalidTransition(`${action.type} is not allowed while the self-evaluation is ${state.stage}`);
  switch (action.type) {
    case 'SUBMIT_TOWN_SELF_EVALUATION':
      text('report', action.report, CAPS.reportSection);
      checkItems('targetTasks', action.targetTasks);
      checkItems('hazardRectifications', action.hazardRectifications);
      checkItems('typicalPractices', action.typicalPractices);
      return;
    case 'RETURN_TOWN_SELF_EVALUATION':
      if (state.returns.length >= CAMPAIGN_CAPS.returns) throw badInput('input', `a self-evaluation may be returned at most ${CAMPAIGN_CAPS.returns} times`);
      text('reason', action.reason, CAPS.text);
      return;
    case 'APPROVE_TOWN_SELF_EVALUATION':
      return;
  }
}

/** 002 §9(三): the town's leader in charge approves before the material counts as submitted to the review. */
export function applyTownAction(state: TownSelfEvaluationState, action: TownAction, actor: Actor, at: Date): TownSelfEvaluationState {
  const now = at.toISOString();
  const next = ((): TownSelfEvaluationState => {
    switch (action.type) {
      case 'SUBMIT_TOWN_SELF_EVALUATION': {
        const { report, targetTasks, hazardRectifications, typicalPractices } = action;
        return { ...state, stage: 'AWAITING_APPROVAL', draft: { report, targetTasks, hazardRectifications, typicalPractices, submittedAt: now, submittedBy: actor.name } };
      }
      case 'RETURN_TOWN_SELF_EVALUATION':
        return { ...state, stage: 'DRAFTING', returns: [...state.returns, { at: now, reason: action.reason }] };
      case 'APPROVE_TOWN_SELF_EVALUATION':
        return { ...state, stage: 'APPROVED', approvedAt: now, approvedBy: actor.name };
    }
  })();
  return { ...next, revision: state.revision + 1 };
}

export function townScope(state: TownSelfEvaluationState): CampaignScope {
  return {
    campaignId: state.campaignId,
    districtRegionCode: state.districtRegionCode,
    townCodes: [state.town.regionCode],
    sectors: [],
    stage: 'SELF_EVALUATION',
    // Both paths share the self-evaluation; the path matters only to who assesses.
    fullPath: false,
    townCode: state.town.regionCode,
  };
}

// ---- a sector's review (002 §10) ----

export function initialSectorState(input: { campaignId: string; campaignWorkflowId: string; districtRegionCode: string; scope: CampaignSectorScope }): SectorReviewState {
  return { ...input, stage: 'REVIEWING', revision: 1, methods: [], returns: [] };
}

const SECTOR_STAGE: Record<SectorAction['type'], SectorReviewState['stage']> = {
  RECORD_REVIEW_METHOD: 'REVIEWING',
  SUBMIT_SECTOR_REVIEW: 'REVIEWING',
  RETURN_SECTOR_REVIEW: 'AWAITING_APPROVAL',
  APPROVE_SECTOR_REVIEW: 'AWAITING_APPROVAL',
};

export function checkSectorAction(state: SectorReviewState, action: SectorAction, at: Date): void {
  if (SECTOR_STAGE[action.type] !== state.stage) throw invalidTransition(`${action.type} is not allowed while the sector review is ${state.stage}`);
  const towns = state.scope.townCodes;
  switch (action.type) {
    case 'RECORD_REVIEW_METHOD':
      oneOf('method', action.method, REVIEW_METHODS);
      isoDate('on', action.on);
      if (action.on > chinaDate(at)) throw badInput('on', 'a review method is recorded once used: must not be in the future');
      text('summary', action.summary, CAPS.onSiteCheckSummary);
      if (state.methods.length >= CAMPAIGN_CAPS.reviewMethods) throw badInput('input', `a sector review holds at most ${CAMPAIGN_CAPS.reviewMethods} methods`);
      return;
    case 'SUBMIT_SECTOR_REVIEW':
      // 002 §10(一): the review goes to the towns (meetings, questionnaires, visits, ledger checks) before it grades them.
      if (!state.methods.length) throw invalidTransition('record at least one review method before submitting the review (002 §10(一))');
      text('overall', action.overall, CAPS.reportSection);
      // 002 §10(三): one sub-report per town in scope, and (§10(二)) a grade for each.
      list('subReports', action.subReports, towns.length, 'sub-reports');
      coversEach('subReports', towns, action.subReports, (r) => r?.unit, 'town');
      action.subReports.forEach((r, i) => text(`subReports[${i}].text`, r.text, CAPS.reportSection));
      list('townGrades', action.townGrades, towns.length, 'grades');
      coversEach('townGrades', towns, action.townGrades, (g) => g?.townCode, 'town');
      action.townGrades.forEach((g, i) => oneOf(`townGrades[${i}].grade`, g.grade, GRADES));
      return;
    case 'RETURN_SECTOR_REVIEW':
      if (state.returns.length >= CAMPAIGN_CAPS.returns) throw badInput('input', `a review may be returned at most ${CAMPAIGN_CAPS.returns} times`);
      text('reason', action.reason, CAPS.text);
      return;
    case 'APPROVE_SECTOR_REVIEW':
      return;
  }
}

/** 002 §10(四): the district leader in charge approves the review; returned, it is reworked and submitted again. */
export function applySectorAction(state: SectorReviewState, action: SectorAction, actor: Actor, at: Date): SectorReviewState {
  const now = at.toISOString();
  const next = ((): SectorReviewState => {
    switch (action.type) {
      case 'RECORD_REVIEW_METHOD':
        return { ...state, methods: [...state.methods, { method: action.method, on: action.on, summary: action.summary, recordedBy: actor.name }] };
      case 'SUBMIT_SECTOR_REVIEW': {
        const overall = action.overall;
        const subReports = action.subReports.map(({ unit, text }) => ({ unit, text }));
        const townGrades = action.townGrades.map(({ townCode, grade }) => ({ townCode, grade }));
        return { ...state, stage: 'AWAITING_APPROVAL', review: { overall, subReports, townGrades, submittedAt: now, submittedBy: actor.name } };
      }
      case 'RETURN_SECTOR_REVIEW':
        return { ...state, stage: 'REVIEWING', returns: [...state.returns, { at: now, reason: action.reason }] };
      case 'APPROVE_SECTOR_REVIEW':
        return { ...state, stage: 'APPROVED', approvedAt: now, approvedBy: actor.name };
    }
  })();
  return { ...next, revision: state.revision + 1 };
}

export function sectorScope(state: SectorReviewState): CampaignScope {
  const { sector, leadDepartmentId, townCodes } = state.scope;
  return {
    campaignId: state.campaignId,
    districtRegionCode: state.districtRegionCode,
    townCodes,
    sectors: [{ sector, leadDepartmentId, townCodes }],
    stage: 'SECTOR_REVIEW',
    fullPath: false,
    sector,
  };
}

// ---- a look-back review (002 §12(二)) ----

export function initialLookBackState(input: {
  campaignId: string;
  campaignWorkflowId: string;
  districtRegionCode: string;
  lookBack: LookBack;
  leadDepartmentId: string;
  leadDepartmentName: string;
  townName?: string;
}): LookBackState {
  return { ...input, stage: 'SCHEDULED', revision: 1 };
}

/** The look-back falls due at the start (China midnight) of its day. */
export function lookBackDueAt(state: LookBackState): string {
  return chinaMidnight(state.lookBack.scheduledOn).toISOString();
}

export function markLookBackDue(state: LookBackState, at: Date): LookBackState {
  if (state.stage !== 'SCHEDULED') return state;
  return { ...state, stage: 'DUE', revision: state.revision + 1, lookBack: { ...state.lookBack, dueSince: at.toISOString() } };
}

export function checkLookBackAction(state: LookBackState, action: LookBackAction): void {
  if (state.stage === 'SCHEDULED') throw invalidTransition(`the look-back is held on ${state.lookBack.scheduledOn}; record it from that day on`);
  if (state.stage === 'RECORDED') throw invalidTransition('the look-back is already recorded');
  text('findings', action.findings, CAPS.text);
  if (typeof action.resolved !== 'boolean') throw badInput('resolved', 'must be true or false');
}

export function applyLookBackAction(state: LookBackState, action: LookBackAction, _actor: Actor, at: Date): LookBackState {
  return {
    ...state,
    stage: 'RECORDED',
    revision: state.revision + 1,
    lookBack: { ...state.lookBack, findings: action.findings, resolved: action.resolved, recordedAt: at.toISOString() },
  };
}

export function lookBackScope(state: LookBackState): CampaignScope {
  const { sector, townCode } = state.lookBack;
  return {
    campaignId: state.campaignId,
    districtRegionCode: state.districtRegionCode,
    townCodes: [townCode],
    sectors: [{ sector, leadDepartmentId: state.leadDepartmentId, townCodes: [townCode] }],
    stage: 'FOLLOW_UP',
    fullPath: true,
    townCode,
    sector,
  };
}
