import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createRemoteJWKSet, errors as joseErrors, importSPKI, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import type { AppConfig } from '../../infra/config.js';
import { ApiError } from '../errors.js';

/** How tokens are checked: HS256 with a shared secret (embedded default), or RS256 from a JWKS or public key. */
export interface TokenSettings {
  issuer: string;
  audience: string;
  secret?: Uint8Array;
  key?: Awaited<ReturnType<typeof importSPKI>> | JWTVerifyGetKey;
  algorithms: string[];
}

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
  const base = { issuer: config.BIHUAN_JWT_ISSUER, audience: config.BIHUAN_JWT_AUDIENCE };
  if (config.BIHUAN_JWKS_URL) return { ...base, key: createRemoteJWKSet(new URL(config.BIHUAN_JWKS_URL)), algorithms: ['RS256'] };
  if (config.BIHUAN_JWT_PUBLIC_KEY) return { ...base, key: await importSPKI(config.BIHUAN_JWT_PUBLIC_KEY, 'RS256'), algorithms: ['RS256'] };
  const secret = config.BIHUAN_JWT_SECRET ? new TextEncoder().encode(config.BIHUAN_JWT_SECRET) : await secretFile(config.BIHUAN_DATA_DIR);
  return { ...base, secret, algorithms: ['HS256'] };
}

/** The user id of a valid bearer token; null when there is no Authorization header (the public). */
export async function verifyBearer(settings: TokenSettings, authorization: string | undefined): Promise<string | null> {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw new ApiError('UNAUTHENTICATED', 'Authorization must be "Bearer <token>"');
  try {
    const { payload } = await jwtVerify(match[1]!, (settings.secret ?? settings.key) as Uint8Array, {
      issuer: settings.issuer,
      audience: settings.audience,
      algorithms: settings.algorithms,
    });
    if (typeof payload.sub !== 'string' || !payload.sub) throw new ApiError('UNAUTHENTICATED', 'the token names no user (sub)');
    return payload.sub;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const reason =
      error instanceof joseErrors.JWTExpired ? 'the token has expired'
      : error instanceof joseErrors.JWSSignatureVerificationFailed ? 'the token signature is invalid'
      : error instanceof joseErrors.JWTClaimValidationFailed ? `the token's ${error.claim} claim is not accepted`
      : 'the token is not valid';
    throw new ApiError('UNAUTHENTICATED', reason);
  }
}

/** Signs a token for a user (HS256 settings only: with RS256 the identity provider issues tokens). */
export async function mintToken(settings: TokenSettings, userId: string, expiresIn: string | number = '12h'): Promise<string> {
  if (!settings.secret) throw new Error('tokens are issued by the identity provider when RS256 is configured');
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(settings.secret);
}
