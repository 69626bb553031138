// Read model of campaign evaluations (domain/campaign.ts). Filled in by the campaign read-model work.
export const CAMPAIGN_ENTITIES: Function[] = [];
