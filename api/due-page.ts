import type { EntityManager } from '@mikro-orm/postgresql';
import { isRecordId } from '../domain/text.js';
import { ApiError } from './errors.js';

/**
 * A Relay-style page of rows in (due instant, id) order, the rows without a due instant last: the campaigns and
 * hazards lists. The cursor is base64url JSON of [due instant or 'infinity', id]; a cursor this API did not issue is
 * BAD_USER_INPUT. `totalCount` is counted only when asked for (-1 otherwise).
 */
export interface DuePage<R extends { id: string }, N> {
  em: EntityManager;
  /** Table aliased `t`, and the column holding the due instant. */
  table: string;
  dueColumn: string;
  dueOf: (row: R) => Date | null;
  where: string[];
  params: unknown[];
  first: number;
  after: string | undefined;
  count: boolean;
  /** Reads the rows matching `where` (on alias `t`), ordered and limited by `tail`. */
  read: (em: EntityManager, where: string, params: unknown[], tail: string) => Promise<R[]>;
  /** Each row read, for the request's loaders. */
  prime: (row: R) => void;
  /** What the caller sees of a row; null hides it. */
  view: (row: R) => N | null;
}

export async function duePage<R extends { id: string }, N extends R>(p: DuePage<R, N>) {
  if (p.first < 0 || p.first > 200) throw new ApiError('BAD_USER_INPUT', 'first: between 0 and 200', 'first');
  const cursor = p.after ? decodeCursor(p.after) : undefined;
  const order = `coalesce(t.${p.dueColumn}, 'infinity'::timestamptz)`;
  const [rows, count] = await Promise.all([
    p.read(
      p.em,
      [...p.where, ...(cursor ? [`(${order}, t.id) > (?::timestamptz, ?::uuid)`] : [])].join(' and '),
      [...p.params, ...(cursor ?? [])],
      `order by ${order}, t.id limit ${p.first + 1}`,
    ),
    p.count ? p.em.execute<{ count: string }[]>(`select count(*) from ${p.table} t where ${p.where.join(' and ')}`, p.params) : undefined,
  ]);
  rows.forEach(p.prime);
  const nodes = rows.slice(0, p.first).flatMap((row) => p.view(row) ?? []);
  const encode = (row: R): string => Buffer.from(JSON.stringify([p.dueOf(row)?.toISOString() ?? 'infinity', row.id])).toString('base64url');
  return {
    edges: nodes.map((node) => ({ cursor: encode(node), node })),
    pageInfo: { hasNextPage: rows.length > p.first, endCursor: nodes.length ? encode(nodes.at(-1)!) : null },
    totalCount: count ? Number(count[0]!.count) : -1,
  };
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const [due, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    if (typeof due !== 'string' || (due !== 'infinity' && Number.isNaN(Date.parse(due))) || !isRecordId(id)) throw new Error('bad cursor');
    return [due, id];
  } catch {
    throw new ApiError('BAD_USER_INPUT', 'after: not a cursor this API issued', 'after');
  }
}
