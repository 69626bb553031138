// Named prepared statements on the ORM's own connections, for the statements every request runs.
//
// MikroORM's `em.execute` writes the parameters into the SQL text, so PostgreSQL parses and plans every statement
// anew: planning the closure's case read took 1.7-2.7 ms against 0.7 ms to run it. A statement sent here is
// parsed once per connection under a name derived from its text, with its parameters bound ($1, $2…), and
// PostgreSQL reuses its plan (a generic plan after five runs, when that is no dearer). It runs on the entity
// manager's transaction when it has one, so it mixes freely with `em.execute` in `em.transactional`.
//
// Texts built from what a client selected (a page and its look-ahead, api/graph.ts) are `dynamic`: the first
// DYNAMIC_NAMED of them per process are named, the rest run as unnamed statements (parameters bound, planned each
// time), so no client can leave an unbounded number of prepared statements on the server's connections.
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery, type Kysely, type QueryResult } from 'kysely';

/** Statements by their text as written (`?` placeholders): a fixed text is numbered and hashed once per process. */
const statements = new Map<string, { name: string; text: string }>();

/**
 * `?` placeholders as `$1`, `$2`… (as `em.execute` takes them, so a statement moves here unchanged), outside
 * quoted literals and identifiers. An array parameter compares with `= any(?)`: `in (?)` expands arrays only in
 * `em.execute`.
 */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\?/g, (match) => (match === '?' ? `$${++n}` : match));
}

/** How many client-shaped texts a process names (each a prepared statement on every connection that runs it). */
export const DYNAMIC_NAMED = 64;
let dynamicNamed = 0;

function statementOf(sql: string, dynamic: boolean): { name?: string; text: string } {
  let statement = statements.get(sql);
  if (!statement) {
    const text = numbered(sql);
    if (dynamic && dynamicNamed >= DYNAMIC_NAMED) return { text };
    if (dynamic) dynamicNamed++;
    statement = { name: `bihuan_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`, text };
    statements.set(sql, statement);
  }
  return statement;
}

/**
 * Runs `sql` (`?` placeholders) as a named prepared statement on `em`'s transaction or pool; the rows come typed
 * as `em.execute` gives them. Errors are MikroORM's (`UniqueConstraintViolationException`…), as there.
 */
export async function prepared<R = Record<string, unknown>>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[] = [],
  options: { dynamic?: boolean } = {},
): Promise<R[]> {
  const runner = (em.getTransactionContext() ?? em.getConnection().getClient()) as Kysely<unknown>;
  const statement = statementOf(sql, options.dynamic ?? false);
  // The ORM's `onQuery` hook sees the statement (its `$n` text and values), as it sees `em.execute`'s; what it
  // returns is not used: a prepared statement's text is fixed by its name.
  em.config.get('onQuery')(statement.text, [...params]);
  // Through the connection's own runner, so MikroORM logs it (debug, slow queries) as any statement.
  const connection = em.getConnection() as unknown as { executeQuery<T>(query: string, run: () => Promise<T>, context?: object): Promise<T> };
  try {
    return await connection.executeQuery(
      statement.text,
      async () => {
        // pg takes a query config in place of the text: `name` makes it a prepared statement (kysely passes it
        // through). A fresh object each time: pg writes the values into it.
        const result: QueryResult<R> = await runner.executeQuery(CompiledQuery.raw({ ...statement } as unknown as string, [...params]));
        return result.rows;
      },
      { query: statement.text, params },
    );
  } catch (error) {
    throw error instanceof Error ? em.getDriver().convertException(error) : error;
  }
}
