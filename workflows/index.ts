// The worker's workflow bundle: every workflow type, by name.
export { accidentEvaluationWorkflow } from './evaluation/evaluation.workflow.js';
export { rectificationTaskWorkflow } from './rectification-task/rectification-task.workflow.js';
