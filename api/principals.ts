import pg from 'pg';
import { logger } from '../infra/logger.js';

const log = logger('api');

/** The channel the database notifies when users, grants or regions change (migration access_changes). */
export const ACCESS_CHANNEL = 'bihuan_access';

/**
 * Callers' grants (and the region tree's version read with them), kept in this process between requests. Reading
 * them was a round trip to PostgreSQL on every request, a third of what an empty query cost. Every change to
 * `app_user`, `role_grant` or `region`, from any process (a team formed by the worker, an operator's SQL, another
 * API replica), notifies channel `bihuan_access` when it commits (statement triggers, migration access_changes);
 * this process LISTENs and forgets every caller on each notification. So a grant revoked or added takes effect
 * as soon as PostgreSQL delivers the notification (milliseconds). Nothing is kept while the listening connection
 * is down (the next request reads the grants, as before), and no entry is used for longer than `maxAgeMs`, which
 * bounds a notification lost on a connection that failed silently.
 */
export class PrincipalCache<T> {
  private readonly entries = new Map<string, { value: T; at: number }>();
  private client: pg.Client | null = null;
  private listening = false;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  /** Bumped on every notification: a read that began before one must not be kept. */
  private generation = 0;

  constructor(
    private readonly url: string,
    readonly maxAgeMs = 5_000,
    private readonly maxEntries = 10_000,
  ) {}

  /** Connects and listens in the background; until it listens, nothing is kept. */
  start(): void {
    void this.connect(0);
  }

  private async connect(attempt: number): Promise<void> {
    if (this.stopped) return;
    let client: pg.Client;
    try {
      client = new pg.Client({ connectionString: this.url, keepAlive: true });
    } catch (error) {
      log.warn({ err: error }, 'access-change listener could not be created; grants are read on every request');
      this.schedule(attempt);
      return;
    }
    const lost = (error?: unknown) => {
      if (this.client !== client) return;
      this.client = null;
      this.forget(false);
      if (error) log.warn({ err: error }, 'access-change listener lost; grants are read on every request until it is back');
      client.end().catch(() => undefined);
      this.schedule(attempt);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', () => this.forget(true));
    this.client = client;
    try {
      await client.connect();
      await client.query(`listen ${ACCESS_CHANNEL}`);
      if (this.client !== client) return;
      this.forget(true);
      attempt = 0;
    } catch (error) {
      lost(error);
    }
  }

  /** The next attempt, backing off to 30 s; it does not keep the process alive on its own. */
  private schedule(attempt: number): void {
    if (this.stopped) return;
    this.retry = setTimeout(() => void this.connect(attempt + 1), Math.min(30_000, 250 * 2 ** Math.min(attempt, 7)));
    this.retry.unref();
  }

  private forget(listening: boolean): void {
    this.generation++;
    this.entries.clear();
    this.listening = listening;
  }

  /** The value kept for `key`, if any is still good. */
  get(key: string): T | undefined {
    if (!this.listening) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (Date.now() - entry.at < this.maxAgeMs) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Reads `key` with `read` unless kept; keeps what it read unless a change was notified meanwhile. */
  async read(key: string, read: () => Promise<T>): Promise<T> {
    const kept = this.get(key);
    if (kept !== undefined) return kept;
    const generation = this.generation;
    const at = Date.now();
    const value = await read();
    if (value !== undefined && value !== null && this.listening && generation === this.generation) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { value, at });
    }
    return value;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    this.forget(false);
    await client?.end().catch(() => undefined);
  }
}
