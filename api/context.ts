import type { Client } from '@temporalio/client';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../domain/evaluation.js';
import type { Orm } from '../infra/orm.js';
import { ApiError } from './errors.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface ApiDeps {
  orm: Orm;
  temporal: Client;
  taskQueue: string;
}

/** Per request: its own entity manager and loaders; resolvers keep nothing on `this`. */
export interface Context {
  em: EntityManager;
  loaders: Loaders;
  temporal: Client;
  taskQueue: string;
  actor: Actor | null;
}

// Until authentication lands, the acting official names themselves in headers (percent-encoded UTF-8).
export const ACTOR_HEADERS = { id: 'x-actor-id', name: 'x-actor-name', role: 'x-actor-role' } as const;

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (!first) return undefined;
  try {
    return decodeURIComponent(first).trim() || undefined;
  } catch {
    throw new ApiError('BAD_USER_INPUT', `header ${name} is not valid percent-encoded UTF-8`);
  }
}

export function actorFromHeaders(headers: Record<string, string | string[] | undefined>): Actor | null {
  const id = header(headers, ACTOR_HEADERS.id);
  if (!id) return null;
  return { id, name: header(headers, ACTOR_HEADERS.name) ?? id, role: header(headers, ACTOR_HEADERS.role) };
}

export function createContext(deps: ApiDeps, headers: Record<string, string | string[] | undefined>): Context {
  const em = deps.orm.em.fork();
  return { em, loaders: createLoaders(em), temporal: deps.temporal, taskQueue: deps.taskQueue, actor: actorFromHeaders(headers) };
}

export function requireActor(ctx: Context): Actor {
  if (!ctx.actor) throw new ApiError('FORBIDDEN', `every change records who made it: send the ${ACTOR_HEADERS.id} header (and ${ACTOR_HEADERS.name})`);
  return ctx.actor;
}
