// How the workflow bundle is built, shared by the worker, the tests' global setup and the benchmarks. No imports
// of the project's other modules: the tests' global setup loads this file through Node's type stripping.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Modules the reusable V8 context evaluates once and shares between workflows, instead of once for every workflow
 * it creates or replays (the SDK's `preloadModules`). Only the domain rules qualify: pure functions and constants,
 * no per-workflow state, no import of `@temporalio/workflow` (their exports are frozen when shared). Paths are
 * relative to the project root, without extension; their imports are shared with them.
 */
export const SHARED_WORKFLOW_MODULES = ['domain/access', 'domain/notices', 'domain/evaluation-limits', 'domain/hazard-campaign', 'workflows/state-hash'] as const;

/** The bundler options for the workflows whose entry file is `workflowsPath` (compiled `.js` or `.ts` source). */
export function workflowBundlerOptions(workflowsPath: string): { preloadModules: string[] } {
  const extension = workflowsPath.endsWith('.ts') ? '.ts' : '.js';
  const root = dirname(dirname(workflowsPath));
  const preloadModules = SHARED_WORKFLOW_MODULES.map((module) => join(root, `${module}${extension}`));
  const missing = preloadModules.find((path) => !existsSync(path));
  if (missing) throw new Error(`workflow bundle: shared module ${missing} does not exist`);
  return { preloadModules };
}
