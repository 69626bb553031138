// Writes a migration for the difference between the entities and the migrated schema of DATABASE_URL
// (or a scratch embedded database), into schema/migrations/. Run with `npm run migration:create`.
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { MikroORM } from '@mikro-orm/postgresql';
import { projectRoot } from './config.js';
import { ormOptions } from './orm.js';
import { startEmbeddedPostgres } from './postgres.js';

const root = projectRoot();
const scratch = process.env.DATABASE_URL ? undefined : await mkdtemp(join(tmpdir(), 'bihuan-migration-'));
const db = scratch
  ? await startEmbeddedPostgres({ dir: join(scratch, 'pg'), port: 54400 + Math.floor(Math.random() * 500), database: 'bihuan' })
  : { url: process.env.DATABASE_URL!, stop: async () => {} };
try {
  const orm = await MikroORM.init(
    ormOptions(db.url, {
      migrations: { ...ormOptions(db.url).migrations, path: join(root, 'schema/migrations'), emit: 'ts' },
    }),
  );
  await orm.migrator.up();
  const result = await orm.migrator.create(join(root, 'schema/migrations'), false, false, process.argv[2]);
  console.log(result.fileName ? `wrote schema/migrations/${result.fileName}; add it to schema/migrations/index.ts` : 'no changes');
  await orm.close();
} finally {
  await db.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
}
