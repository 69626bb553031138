import type { Client } from '@temporalio/client';
import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { PUBLIC_PRINCIPAL, type CaseScope, type Principal, type Role } from '../domain/access.js';
import type { Actor } from '../domain/evaluation.js';
import type { Orm } from '../infra/orm.js';
import { verifyBearer, type TokenSettings } from './auth/tokens.js';
import type { RowView } from './access.js';
import { ApiError } from './errors.js';
import { createLoaders, type Loaders } from './loaders.js';
import { PrincipalCache } from './principals.js';
import { REGION_TREE_VERSION_COLUMN } from './region-tree.js';

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
  /** The view each record was read under (api/access.ts `readAs`): what of it the field table shows. */
  views: WeakMap<object, RowView>;
}

interface PrincipalRow {
  id: string;
  name: string;
  grants: { role: Role; regionCode: string | null; departmentId: string | null; enterpriseId: string | null; evaluationId: string | null }[];
  treeVersion: string;
}

/** The user and their grants in one statement, with the region tree's version (api/region-tree.ts) riding along. */
async function readPrincipal(em: EntityManager, userId: string): Promise<{ principal: Principal; treeVersion: string } | null> {
  const [row] = await em.execute<PrincipalRow[]>(
    `select u.id, u.name, ${REGION_TREE_VERSION_COLUMN} as "treeVersion",
       coalesce((select json_agg(json_build_object('role', g.role, 'regionCode', g.region_code, 'departmentId', g.department_id,
         'enterpriseId', g.enterprise_id, 'evaluationId', g.evaluation_id)) from role_grant g where g.user_id = u.id), '[]') as grants
     from app_user u where u.id = ?`,
    [userId],
  );
  if (!row) return null;
  return {
    treeVersion: row.treeVersion,
    principal: {
      id: row.id,
      name: row.name,
      grants: row.grants.map((g) => ({
        role: g.role,
        ...(g.regionCode ? { regionCode: g.regionCode } : {}),
        ...(g.departmentId ? { departmentId: g.departmentId } : {}),
        ...(g.enterpriseId ? { enterpriseId: g.enterpriseId } : {}),
        ...(g.evaluationId ? { evaluationId: g.evaluationId } : {}),
      })),
    },
  };
}

export async function loadPrincipal(em: EntityManager, userId: string): Promise<Principal | null> {
  return (await readPrincipal(em, userId))?.principal ?? null;
}

export function contextFor(deps: Omit<ApiDeps, 'tokens'>, principal: Principal, treeVersion?: string): Context {
  const em = deps.orm.em.fork();
  return { em, loaders: createLoaders(em, treeVersion), temporal: deps.temporal, taskQueue: deps.taskQueue, principal, scopes: new Map(), views: new WeakMap() };
}

/** What `createContext` keeps of callers between requests (api/principals.ts). */
export type Principals = PrincipalCache<{ principal: Principal; treeVersion: string } | null>;

/** A cache of callers for an API process over `orm`; `start()` it, `stop()` it with the API. */
export function principalCache(orm: Orm): Principals {
  return new PrincipalCache(orm.config.get('clientUrl')!);
}

/**
 * Reads the bearer token: none → the public; bad, expired or for an unknown user → UNAUTHENTICATED (HTTP 401).
 * With `principals`, a caller's grants read by an earlier request are used while no change was notified.
 */
export async function createContext(deps: ApiDeps, headers: Record<string, string | string[] | undefined>, principals?: Principals): Promise<Context> {
  const authorization = Array.isArray(headers.authorization) ? headers.authorization[0] : headers.authorization;
  try {
    const userId = await verifyBearer(deps.tokens, authorization);
    if (!userId) return contextFor(deps, PUBLIC_PRINCIPAL);
    const read = () => readPrincipal(deps.orm.em.fork(), userId);
    const found = principals ? await principals.read(userId, read) : await read();
    if (!found) throw new ApiError('UNAUTHENTICATED', 'the token\'s user is unknown');
    return contextFor(deps, found.principal, found.treeVersion);
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
