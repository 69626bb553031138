import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root, whether this file runs from source (infra/) or from dist/infra/. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the project root (no package.json above infra/)');
    dir = parent;
  }
  return dir;
}

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const DURATION = /^(\d+)\s*(s|m|h|d)?$/;
const SECONDS_PER = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** Seconds in a duration such as `90`, `45m`, `12h` or `7d` (a bare number is seconds). */
export function durationSeconds(text: string): number {
  const match = DURATION.exec(text.trim());
  if (!match) throw new Error(`not a duration: ${text} (use e.g. 900, 15m, 12h, 1d)`);
  return Number(match[1]) * SECONDS_PER[(match[2] ?? 's') as keyof typeof SECONDS_PER];
}

const duration = z
  .string()
  .regex(DURATION, 'use a duration such as 900, 15m, 12h or 1d')
  .transform(durationSeconds)
  .refine((seconds) => seconds > 0, 'use a duration above zero');

/** Every setting, its default and meaning; README's configuration table mirrors this. */
const ConfigSchema = z.object({
  /** PostgreSQL URL; unset → embedded PostgreSQL under BIHUAN_DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** The application role's URL, for a role a DBA made; unset → `bihuan_app` on DATABASE_URL's server and database. */
  DATABASE_APP_URL: z.string().url().optional(),
  /** `bihuan_app`'s LOGIN password, set at start-up; unset → generated once into BIHUAN_DATA_DIR/db-app-password. */
  BIHUAN_DB_APP_PASSWORD: z.string().min(16, 'use at least 16 characters').regex(/^[\x21-\x7e]+$/, 'use printable ASCII without spaces').optional(),
  /** Key of the audit trail's HMAC chain; unset → generated once into BIHUAN_DATA_DIR/audit-key. */
  BIHUAN_AUDIT_KEY: z.string().min(32, 'use at least 32 characters').optional(),
  /** Folder for embedded PostgreSQL data, the Temporal dev server's SQLite file and generated secrets (the Temporal binaries stay in <project>/.bihuan). */
  BIHUAN_DATA_DIR: z.string().optional(),
  EMBEDDED_PG_PORT: z.coerce.number().int().positive().default(54329),
  /** host:port of a Temporal frontend; unset → a local dev server started by `npm start`. */
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('bihuan'),
  TEMPORAL_DEV_PORT: z.coerce.number().int().positive().default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().positive().default(8233),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().nonnegative().default(4000),
  /** Load the demo data set into an empty database. */
  BIHUAN_SEED_DEMO: flag.default(true),
  /** HS256 signing secret; unset → generated once into BIHUAN_DATA_DIR/jwt-secret. */
  BIHUAN_JWT_SECRET: z.string().min(32, 'use at least 32 characters').optional(),
  BIHUAN_JWT_ISSUER: z.string().default('bihuan'),
  BIHUAN_JWT_AUDIENCE: z.string().default('bihuan-api'),
  /** Longest lifetime a bearer token may have (exp − iat), in seconds once parsed; longer tokens are refused. */
  BIHUAN_JWT_MAX_AGE: duration.prefault('12h'),
  /** RS256 instead of HS256: a JWKS endpoint of the identity provider… */
  BIHUAN_JWKS_URL: z.string().url().optional(),
  /** …or one SPKI public key (PEM). */
  BIHUAN_JWT_PUBLIC_KEY: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Open cases a worker keeps in memory (Temporal's workflow cache); see README for the memory each one takes. */
  BIHUAN_WORKER_CACHE_SIZE: z.coerce.number().int().min(2, 'use at least 2').default(10_000),
});

export type AppConfig = Omit<z.infer<typeof ConfigSchema>, 'BIHUAN_DATA_DIR'> & { BIHUAN_DATA_DIR: string };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty variable (compose's `${VAR:-}`) means unset.
  const parsed = ConfigSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid configuration:\n${problems}`);
  }
  return { ...parsed.data, BIHUAN_DATA_DIR: resolve(parsed.data.BIHUAN_DATA_DIR ?? join(projectRoot(), '.bihuan')) };
}
