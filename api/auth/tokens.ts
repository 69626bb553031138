import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createRemoteJWKSet, errors as joseErrors, importSPKI, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { durationSeconds, type AppConfig } from '../../infra/config.js';
import { ApiError } from '../errors.js';

/** How tokens are checked: HS256 with a shared secret (embedded default), or RS256 from a JWKS or public key. */
export interface TokenSettings {
  issuer: string;
  audience: string;
  secret?: Uint8Array;
  key?: Awaited<ReturnType<typeof importSPKI>> | JWTVerifyGetKey;
  algorithms: string[];
  /** Longest accepted lifetime (exp − iat, or exp − now without iat), in seconds; default 12 h. */
  maxAgeSeconds?: number;
}

const DEFAULT_MAX_AGE_SECONDS = 12 * 3600;
/** Clocks of the identity provider and of this server may differ a little; an `iat` further ahead is refused. */
const CLOCK_TOLERANCE_SECONDS = 60;

async function secretFile(dataDir: string): Promise<Uint8Array> {
  const path = join(dataDir, 'jwt-secret');
  try {
    return new TextEncoder().encode((await readFile(path, 'utf8')).trim());
  } catch {
    const secret = randomBytes(32).toString('hex');
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, secret + '\n', { flag: 'wx' }).catch(() => undefined);
    await chmod(path, 0o600);
    return new TextEncoder().encode((await readFile(path, 'utf8')).trim());
  }
}

export async function tokenSettings(config: AppConfig): Promise<TokenSettings> {
  const base = { issuer: config.BIHUAN_JWT_ISSUER, audience: config.BIHUAN_JWT_AUDIENCE, maxAgeSeconds: config.BIHUAN_JWT_MAX_AGE };
  if (config.BIHUAN_JWKS_URL) return { ...base, key: createRemoteJWKSet(new URL(config.BIHUAN_JWKS_URL)), algorithms: ['RS256'] };
  if (config.BIHUAN_JWT_PUBLIC_KEY) return { ...base, key: await importSPKI(config.BIHUAN_JWT_PUBLIC_KEY, 'RS256'), algorithms: ['RS256'] };
  const secret = config.BIHUAN_JWT_SECRET ? new TextEncoder().encode(config.BIHUAN_JWT_SECRET) : await secretFile(config.BIHUAN_DATA_DIR);
  return { ...base, secret, algorithms: ['HS256'] };
}

/**
 * Tokens verified lately, per settings: a client sends the same token with every request, and checking its
 * signature cost a third of a millisecond of CPU each time (HS256 through WebCrypto; RS256 costs more). Only
 * accepted tokens are kept, by their exact text, until their `exp` and for at most VERIFIED_FOR_MS (so a key
 * withdrawn from the JWKS stops being honoured within that time); the rules above depend on nothing else.
 */
const verified = new WeakMap<TokenSettings, Map<string, { sub: string; exp: number; until: number }>>();
const VERIFIED_FOR_MS = 60_000;
const VERIFIED_MAX = 10_000;

/** The user id of a valid bearer token; null when there is no Authorization header (the public). */
export async function verifyBearer(settings: TokenSettings, authorization: string | undefined): Promise<string | null> {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw new ApiError('UNAUTHENTICATED', 'Authorization must be "Bearer <token>"');
  const token = match[1]!;
  let known = verified.get(settings);
  const hit = known?.get(token);
  if (hit) {
    const at = Date.now();
    if (at < hit.until && at < hit.exp * 1000) return hit.sub;
    known!.delete(token);
  }
  const { sub, exp } = await verifyToken(settings, token);
  if (!known) verified.set(settings, (known = new Map()));
  if (known.size >= VERIFIED_MAX) known.delete(known.keys().next().value!);
  known.set(token, { sub, exp, until: Date.now() + VERIFIED_FOR_MS });
  return sub;
}

async function verifyToken(settings: TokenSettings, token: string): Promise<{ sub: string; exp: number }> {
  try {
    const { payload } = await jwtVerify(token, (settings.secret ?? settings.key) as Uint8Array, {
      issuer: settings.issuer,
      audience: settings.audience,
      algorithms: settings.algorithms,
      // A token without an expiry would be valid for ever once leaked.
      requiredClaims: ['exp'],
    });
    if (typeof payload.sub !== 'string' || !payload.sub) throw new ApiError('UNAUTHENTICATED', 'the token names no user (sub)');
    const now = Math.floor(Date.now() / 1000);
    if (payload.iat !== undefined && payload.iat > now + CLOCK_TOLERANCE_SECONDS) {
      throw new ApiError('UNAUTHENTICATED', 'the token is issued in the future (iat)');
    }
    const maxAge = settings.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS;
    if (payload.exp! - (payload.iat ?? now) > maxAge) {
      const from = payload.iat === undefined ? 'now' : 'iat';
      throw new ApiError('UNAUTHENTICATED', `the token lives longer than the maximum token age of ${spell(maxAge)} (exp is too far after ${from})`);
    }
    return { sub: payload.sub, exp: payload.exp! };
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const reason =
      error instanceof joseErrors.JWTExpired ? 'the token has expired'
      : error instanceof joseErrors.JWSSignatureVerificationFailed ? 'the token signature is invalid'
      : error instanceof joseErrors.JWTClaimValidationFailed && error.reason === 'missing' ? `the token has no ${error.claim} claim${error.claim === 'exp' ? ' (an expiry is required)' : ''}`
      : error instanceof joseErrors.JWTClaimValidationFailed ? `the token's ${error.claim} claim is not accepted`
      : 'the token is not valid';
    throw new ApiError('UNAUTHENTICATED', reason);
  }
}

function spell(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600} h` : seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

/**
 * Signs a token for a user (HS256 settings only: with RS256 the identity provider issues tokens). It lives for
 * `expiresIn` (a duration such as `1h`, or an absolute `exp` in epoch seconds), never longer than the maximum age.
 */
export async function mintToken(settings: TokenSettings, userId: string, expiresIn?: string | number): Promise<string> {
  if (!settings.secret) throw new Error('tokens are issued by the identity provider when RS256 is configured');
  const now = Math.floor(Date.now() / 1000);
  const latest = now + (settings.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS);
  const exp = expiresIn === undefined ? latest : typeof expiresIn === 'number' ? expiresIn : now + durationSeconds(expiresIn);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt(now)
    .setExpirationTime(Math.min(exp, latest))
    .sign(settings.secret);
}
