import { CAMPAIGN_CLOCKS, CAMPAIGN_DIMENSIONS } from '../../domain/campaign.js';
import { CAMPAIGN_CAPS as DOMAIN_CAPS } from '../../domain/campaign-input.js';
import { SECTORS } from '../../domain/case.js';
import { CAMPAIGN_CAPS } from './campaign.inputs.js';

/**
 * How many items each list of the campaign graph holds at most, for the query cost (api/limits.ts): the caps the
 * registration and the workflows hold a campaign to.
 */
export const CAMPAIGN_LIST_MULTIPLIERS: Readonly<Record<string, number>> = {
  'Campaign.deadlines': CAMPAIGN_CLOCKS.length,
  'Campaign.sectors': SECTORS.length,
  'Campaign.towns': CAMPAIGN_CAPS.towns,
  // A grade per town per sector, and one per sector.
  'Campaign.grades': CAMPAIGN_CAPS.towns * 2 + SECTORS.length,
  'Campaign.extensions': DOMAIN_CAPS.extensions,
  'CampaignPreparation.leadingGroup': DOMAIN_CAPS.leadingGroup,
  'CampaignSector.towns': CAMPAIGN_CAPS.towns,
  'CampaignTown.grades': SECTORS.length,
  'CampaignTown.lookBacks': DOMAIN_CAPS.lookBacks,
  'TownSelfEvaluation.returns': DOMAIN_CAPS.returns,
  'CampaignSectorReview.methods': DOMAIN_CAPS.reviewMethods,
  'CampaignSectorReview.proposedGrades': CAMPAIGN_CAPS.towns,
  'CampaignSectorReview.returns': DOMAIN_CAPS.returns,
  'CampaignSectorReview.grades': CAMPAIGN_CAPS.towns,
  'CampaignReport.subReports': Math.max(CAMPAIGN_CAPS.towns, SECTORS.length),
  'CampaignAssessment.returns': DOMAIN_CAPS.returns,
  'CampaignAssessment.grades': SECTORS.length,
  'CampaignFollowUp.inspections': DOMAIN_CAPS.inspections,
  'CampaignFollowUp.plans': CAMPAIGN_CAPS.towns,
  'CampaignFollowUp.lookBacks': DOMAIN_CAPS.lookBacks,
  // Counted by the connection's own `first`.
  'CampaignConnection.edges': 1,
  'Campaign.dimensions': CAMPAIGN_DIMENSIONS.length,
};
