import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes.js';
import { loadConfig } from './config.js';
import type { Orm } from './orm.js';

const { temporal } = proto;

const INDEXED_TYPE = {
  KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  DATETIME: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  BOOL: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  TEXT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  INT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DOUBLE: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  KEYWORD_LIST: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
} as const;

/** Registers the search attributes the workflows set, if the namespace lacks any of them. */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  let known = new Set<string>();
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    known = new Set([...Object.keys(existing.customAttributes ?? {}), ...Object.keys(existing.systemAttributes ?? {})]);
  } catch (error) {
    // The time-skipping test server has no list call, only add.
    if (!/UNIMPLEMENTED/.test(String(error))) throw error;
  }
  const missing = SEARCH_ATTRIBUTES.filter((key) => !known.has(key.name));
  if (!missing.length) return;
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, INDEXED_TYPE[key.type as keyof typeof INDEXED_TYPE]])),
    });
  } catch (error) {
    // Another process may have added them between our list and add.
    if (!/already exists/i.test(String(error))) throw error;
  }
}

/** The workflows' entry file: compiled JS after `npm run build`, the TypeScript source otherwise. */
export function workflowsPath(): string {
  const js = fileURLToPath(new URL('../workflows/index.js', import.meta.url));
  return existsSync(js) ? js : fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
}

export interface BihuanWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  orm: Orm;
  /** Workflows kept in memory; default BIHUAN_WORKER_CACHE_SIZE. */
  cacheSize?: number;
  /** A prebuilt bundle (tests bundle once per file); otherwise the worker bundles `workflowsPath()`. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  extra?: Partial<WorkerOptions>;
}

export async function createWorker(options: BihuanWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: createActivities({ orm: options.orm }),
    // A cached case answers its next update without replaying its history. The SDK's default follows the heap
    // size instead; an open case waits months between changes, so the operator sizes this (README).
    maxCachedWorkflows: options.cacheSize ?? loadConfig().BIHUAN_WORKER_CACHE_SIZE,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: workflowsPath() }),
    ...options.extra,
  });
}
