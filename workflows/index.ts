// The worker's workflow bundle: every workflow type, by name.
export { accidentEvaluationWorkflow } from './evaluation/evaluation.workflow.js';
export { rectificationTaskWorkflow } from './rectification-task/rectification-task.workflow.js';
export { campaignWorkflow } from './campaign/campaign.workflow.js';
export { campaignTownWorkflow } from './campaign/town.workflow.js';
export { campaignSectorWorkflow } from './campaign/sector.workflow.js';
export { campaignLookBackWorkflow } from './campaign/look-back.workflow.js';
export { hazardWorkflow } from './hazard/hazard.workflow.js';
export { whistleblowerReportWorkflow } from './hazard/whistleblower.workflow.js';
export { enterpriseObligationRemindersWorkflow, hazardCircularsWorkflow } from './hazard/circular.workflow.js';
