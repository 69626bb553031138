import { mintToken, type TokenSettings } from '../../api/auth/tokens.js';

export interface GraphQLResponse<T = Record<string, any>> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

export const testTokenSettings: TokenSettings = {
  issuer: 'bihuan',
  audience: 'bihuan-api',
  secret: new TextEncoder().encode('test-secret-for-bihuan-test-suite-0123456789'),
  algorithms: ['HS256'],
};

/** A client for the API over real HTTP, signed in as `userId` (with a freshly minted token) or as the public. */
export async function graphqlClient(url: string, userId?: string, token?: string) {
  const bearer = token ?? (userId ? await mintToken(testTokenSettings, userId) : undefined);
  const headers: Record<string, string> = bearer ? { authorization: `Bearer ${bearer}` } : {};
  return async <T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    return (await response.json()) as GraphQLResponse<T>;
  };
}

export type Client = Awaited<ReturnType<typeof graphqlClient>>;

/** A client for each of `users`, signed in by id; `public` signs in as no one. */
export async function clientsFor<U extends string>(url: string, users: readonly U[]): Promise<Record<U, Client>> {
  const as = {} as Record<U, Client>;
  for (const user of users) as[user] = await graphqlClient(url, user === 'public' ? undefined : user);
  return as;
}

/** The code of a response's first error, `OK` when it has none. */
export const errorCode = (r: GraphQLResponse): string => r.errors?.[0]?.extensions?.code ?? 'OK';

/** The input field a response's first error names. */
export const errorField = (r: GraphQLResponse): string | undefined => r.errors?.[0]?.extensions?.field;
