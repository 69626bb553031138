import type { Client } from '@temporalio/client';
import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { PUBLIC_PRINCIPAL, type CaseScope, type Principal } from '../domain/access.js';
import type { Actor } from '../domain/evaluation.js';
import type { Orm } from '../infra/orm.js';
import { AppUser } from '../schema/entities/identity.js';
import { verifyBearer, type TokenSettings } from './auth/tokens.js';
import { ApiError } from './errors.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface ApiDeps {
  orm: Orm;
  temporal: Client;
  taskQueue: string;
  tokens: TokenSettings;
}

/** Per request: its own entity manager, loaders and access decisions; resolvers keep nothing on `this`. */
export interface Context {
  em: EntityManager;
  loaders: Loaders;
  temporal: Client;
  taskQueue: string;
  principal: Principal;
  /** Access facts of each case, computed once per request (api/access.ts). */
  scopes: Map<string, Promise<CaseScope | null>>;
}

export async function loadPrincipal(em: EntityManager, userId: string): Promise<Principal | null> {
  const user = await em.findOne(AppUser, userId, { populate: ['grants'] });
  if (!user) return null;
  return {
    id: user.id,
    name: user.name,
    grants: user.grants.getItems().map((g) => ({
      role: g.role,
      ...(g.regionCode ? { regionCode: g.regionCode } : {}),
      ...(g.departmentId ? { departmentId: g.departmentId } : {}),
      ...(g.enterpriseId ? { enterpriseId: g.enterpriseId } : {}),
      ...(g.evaluationId ? { evaluationId: g.evaluationId } : {}),
    })),
  };
}

export function contextFor(deps: Omit<ApiDeps, 'tokens'>, principal: Principal): Context {
  const em = deps.orm.em.fork();
  return { em, loaders: createLoaders(em), temporal: deps.temporal, taskQueue: deps.taskQueue, principal, scopes: new Map() };
}

/** Reads the bearer token: none → the public; bad, expired or for an unknown user → UNAUTHENTICATED (HTTP 401). */
export async function createContext(deps: ApiDeps, headers: Record<string, string | string[] | undefined>): Promise<Context> {
  const authorization = Array.isArray(headers.authorization) ? headers.authorization[0] : headers.authorization;
  try {
    const userId = await verifyBearer(deps.tokens, authorization);
    const ctx = contextFor(deps, PUBLIC_PRINCIPAL);
    if (!userId) return ctx;
    const principal = await loadPrincipal(ctx.em, userId);
    if (!principal) throw new ApiError('UNAUTHENTICATED', 'the token\'s user is unknown');
    return { ...ctx, principal };
  } catch (error) {
    if (error instanceof ApiError) throw new GraphQLError(error.message, { extensions: { code: error.code, http: { status: 401 } } });
    throw error;
  }
}

/** The principal as it travels into workflow updates, for the audit trail and the workflow's own check. */
export function actorOf(ctx: Context): Actor {
  const { principal } = ctx;
  return { id: principal.id, name: principal.name, role: principal.grants[0]?.role, grants: principal.grants };
}
