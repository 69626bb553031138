import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../../domain/evaluation.js';
import type { TaskState } from '../../domain/rectification-task.js';

export interface RectificationTaskInput {
  state: TaskState;
  evaluationWorkflowId: string;
}

export const closeRectificationTaskUpdate = defineUpdate<TaskState, [{ actor: Actor; input: { evidence: string } }]>('closeRectificationTask');

export const taskStateQuery = defineQuery<TaskState>('taskState');
