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
