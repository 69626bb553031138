import { SignJWT } from 'jose';
import { mintToken, verifyBearer } from '../../api/auth/tokens.js';
import { testTokenSettings, type GraphQLResponse } from '../helpers/api.js';
import { insertDemoWorld, seededStack } from '../helpers/stack.js';

// The lifetime rules for bearer tokens, over HTTP: an expiry is required, a token may not live longer than the
// maximum token age (12 h by default), and a token may not be issued in the future.
const stack = seededStack('tokens', (em) => insertDemoWorld(em), []);

const now = () => Math.floor(Date.now() / 1000);

/** A token for qilin-office, signed with the right key, issuer and audience; `claims` sets iat and exp. */
function signed(claims: { iat?: number; exp?: number }): Promise<string> {
  let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('qilin-office').setIssuer('bihuan').setAudience('bihuan-api');
  if (claims.iat !== undefined) jwt = jwt.setIssuedAt(claims.iat);
  if (claims.exp !== undefined) jwt = jwt.setExpirationTime(claims.exp);
  return jwt.sign(testTokenSettings.secret!);
}

async function ask(token: string): Promise<{ status: number; body: GraphQLResponse }> {
  const response = await fetch(stack.api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ regions { code } }' }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse };
}

test.each([
  ['without exp', () => signed({ iat: now() }), /no exp claim \(an expiry is required\)/],
  ['without exp or iat', () => signed({}), /no exp claim/],
  ['with exp in 2999', () => signed({ iat: now(), exp: Date.UTC(2999, 0, 1) / 1000 }), /maximum token age of 12 h \(exp is too far after iat\)/],
  ['with exp in 2999 and no iat', () => signed({ exp: Date.UTC(2999, 0, 1) / 1000 }), /maximum token age of 12 h \(exp is too far after now\)/],
  ['living 12 h and a minute', () => signed({ iat: now(), exp: now() + 12 * 3600 + 60 }), /maximum token age/],
  ['issued an hour from now', () => signed({ iat: now() + 3600, exp: now() + 7200 }), /issued in the future \(iat\)/],
])('should answer UNAUTHENTICATED (401) to a token %s', async (_name, token, reason) => {
  const { status, body } = await ask(await token());
  expect(status).toBe(401);
  expect(body.data).toBeUndefined();
  expect(body.errors).toHaveLength(1);
  expect(body.errors![0]!.extensions?.code).toBe('UNAUTHENTICATED');
  expect(body.errors![0]!.message).toMatch(reason);
});

test.each([
  ['living exactly the maximum age', () => signed({ iat: now(), exp: now() + 12 * 3600 })],
  ['issued 30 s ahead of this clock (within the tolerance)', () => signed({ iat: now() + 30, exp: now() + 3600 })],
  ['without iat, expiring within the maximum age', () => signed({ exp: now() + 3600 })],
  ['minted by npm run token', () => mintToken(testTokenSettings, 'qilin-office')],
])('should accept a token %s', async (_name, token) => {
  const { status, body } = await ask(await token());
  expect(body.errors).toBeUndefined();
  expect(status).toBe(200);
  expect(body.data?.regions?.length).toBeGreaterThan(0);
});

test('should mint tokens that stay within a shorter configured maximum age when asked for a longer one', async () => {
  const settings = { ...testTokenSettings, maxAgeSeconds: 15 * 60 };
  const token = await mintToken(settings, 'qilin-office', '7d');
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { iat: number; exp: number };
  expect(claims.exp - claims.iat).toBe(15 * 60);
  await expect(verifyBearer(settings, `Bearer ${token}`)).resolves.toBe('qilin-office');
  await expect(verifyBearer(settings, `Bearer ${await mintToken(testTokenSettings, 'qilin-office', '1h')}`)).rejects.toThrow(/maximum token age of 15 min/);
});
