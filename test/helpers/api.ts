import type { ACTOR_HEADERS } from '../../api/context.js';

type Headers = Partial<Record<(typeof ACTOR_HEADERS)[keyof typeof ACTOR_HEADERS], string>>;

export interface GraphQLResponse<T = Record<string, any>> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

/** A client for the API over real HTTP, acting as one official (or nobody). */
export function graphqlClient(url: string, actor?: { id: string; name: string; role?: string }) {
  const headers: Headers = actor
    ? { 'x-actor-id': actor.id, 'x-actor-name': encodeURIComponent(actor.name), ...(actor.role ? { 'x-actor-role': actor.role } : {}) }
    : {};
  return async <T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    return (await response.json()) as GraphQLResponse<T>;
  };
}
