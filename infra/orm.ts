import 'reflect-metadata';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import { ENTITIES } from '../schema/entities/index.js';
import { MIGRATIONS } from '../schema/migrations/index.js';

export type Orm = MikroORM;

export function ormOptions(databaseUrl: string, extra: Partial<Options> = {}): Options {
  return {
    clientUrl: databaseUrl,
    entities: ENTITIES,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    pool: { min: 0, max: 10 },
    ...extra,
  };
}

/** Connects and applies pending migrations (never schema sync). */
export async function openOrm(databaseUrl: string, extra: Partial<Options> = {}): Promise<Orm> {
  const orm = await MikroORM.init(ormOptions(databaseUrl, extra));
  await orm.migrator.up();
  return orm;
}
