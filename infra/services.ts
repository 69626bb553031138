import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import pg from 'pg';
import { NativeConnection } from '@temporalio/worker';
import type { AppConfig } from './config.js';
import { logger } from './logger.js';
import { startEmbeddedPostgres } from './postgres.js';
import { describeStartFailure, resolveTemporalExecutable } from './temporal-binaries.js';
import { ensureSearchAttributes } from './temporal.js';

const log = logger('services');

export interface Database {
  url: string;
  embedded: boolean;
  /** The embedded cluster's data folder, when this process started it. */
  dataDir?: string;
  stop(): Promise<void>;
  /** Immediate, synchronous stop for a forced exit. */
  kill(): void;
}

/** DATABASE_URL, or embedded PostgreSQL whose data stays in BIHUAN_DATA_DIR/pg. */
export async function startDatabase(config: AppConfig, options: { detached?: boolean } = {}): Promise<Database> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: false, stop: async () => {}, kill: () => {} };
  // Already running (another command of this project started it): use it, leave it running.
  const running = `postgres://postgres:postgres@127.0.0.1:${config.EMBEDDED_PG_PORT}/bihuan`;
  const probe = new pg.Client({ connectionString: running, connectionTimeoutMillis: 1000 });
  if (await probe.connect().then(() => true, () => false)) {
    await probe.end();
    return { url: running, embedded: true, stop: async () => {}, kill: () => {} };
  }
  log.info({ dir: join(config.BIHUAN_DATA_DIR, 'pg'), port: config.EMBEDDED_PG_PORT }, 'starting embedded PostgreSQL');
  const db = await startEmbeddedPostgres({
    dir: join(config.BIHUAN_DATA_DIR, 'pg'),
    port: config.EMBEDDED_PG_PORT,
    database: 'bihuan',
    detached: options.detached,
    log: (message) => log.debug(message),
    warn: (message) => log.warn(message),
  });
  return { ...db, embedded: true };
}

export interface TemporalServices {
  address: string;
  uiUrl?: string;
  connection: Connection;
  nativeConnection: NativeConnection;
  client: Client;
  stop(): Promise<void>;
}

/** TEMPORAL_ADDRESS, or a local dev server keeping its state in BIHUAN_DATA_DIR/temporal.db, with its web UI. */
export async function startTemporal(config: AppConfig, options: { allowDevServer: boolean }): Promise<TemporalServices> {
  const namespace = config.TEMPORAL_NAMESPACE;
  if (config.TEMPORAL_ADDRESS) {
    const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
    const nativeConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    await ensureSearchAttributes(connection, namespace);
    return {
      address: config.TEMPORAL_ADDRESS,
      connection,
      nativeConnection,
      client: new Client({ connection, namespace }),
      stop: async () => {
        await nativeConnection.close();
        await connection.close();
      },
    };
  }
  if (!options.allowDevServer) throw new Error('TEMPORAL_ADDRESS is not set (npm start runs a local Temporal server; this entry point does not)');
  const resolved = await resolveTemporalExecutable('cli', { log: (message) => log.info(message) });
  let env: TestWorkflowEnvironment;
  try {
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: resolved.executable,
        namespace,
        ip: '127.0.0.1',
        port: config.TEMPORAL_DEV_PORT,
        dbFilename: join(config.BIHUAN_DATA_DIR, 'temporal.db'),
        ui: true,
        uiPort: config.TEMPORAL_UI_PORT,
        log: { format: 'pretty', level: 'error' },
      },
    });
  } catch (error) {
    throw await describeStartFailure('cli', resolved, error);
  }
  await ensureSearchAttributes(env.connection, namespace);
  return {
    address: `127.0.0.1:${config.TEMPORAL_DEV_PORT}`,
    uiUrl: `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`,
    connection: env.connection,
    nativeConnection: env.nativeConnection,
    client: env.client,
    stop: () => env.teardown(),
  };
}
