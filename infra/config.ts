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

/** Every setting, its default and meaning; README's configuration table mirrors this. */
const ConfigSchema = z.object({
  /** PostgreSQL URL; unset → embedded PostgreSQL under BIHUAN_DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** Folder for embedded PostgreSQL data, the Temporal dev server's SQLite file and the Temporal binaries. */
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
  /** RS256 instead of HS256: a JWKS endpoint of the identity provider… */
  BIHUAN_JWKS_URL: z.string().url().optional(),
  /** …or one SPKI public key (PEM). */
  BIHUAN_JWT_PUBLIC_KEY: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
