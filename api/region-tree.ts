import type { EntityManager } from '@mikro-orm/postgresql';
import type { RegionLevel, RegionPath, RegionRef } from '../domain/regions.js';

/** A region as the API reads it: the row, with its parent as a reference (the shape of the entity's fields). */
export interface RegionRow {
  id: string;
  code: string;
  name: string;
  level: RegionLevel;
  parent: { id: string } | null;
  safetyOfficeName: string;
}

/**
 * The whole region tree, shared by every request of this process. Access checks walk it for every case (the
 * location's and the organiser's codes, the organiser's upper level, who organises a case not yet closed), so
 * reading it per request cost a statement per level of the tree. Every change to `region` bumps the one row of
 * `region_tree_version` in the same transaction (a trigger, migration read_indexes); a request learns the version
 * with its first statement (the caller's grants, api/context.ts) and reloads the tree when it moved, so a region
 * added or renamed through any API process shows in the next request everywhere.
 */
export class RegionTree {
  readonly byId: ReadonlyMap<string, RegionRow>;

  constructor(
    readonly version: string,
    rows: RegionRow[],
  ) {
    this.byId = new Map(rows.map((r) => [r.id, r]));
  }

  get(id: string): RegionRow | null {
    return this.byId.get(id) ?? null;
  }

  #children?: Map<string, string[]>;

  /** The region and every region under it (by parent links), ids. */
  within(id: string): string[] {
    if (!this.#children) {
      this.#children = new Map();
      for (const r of this.byId.values()) {
        if (!r.parent) continue;
        const siblings = this.#children.get(r.parent.id);
        if (siblings) siblings.push(r.id);
        else this.#children.set(r.parent.id, [r.id]);
      }
    }
    const ids: string[] = [];
    const seen = new Set<string>();
    for (const queue = [id]; queue.length; ) {
      const next = queue.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      ids.push(next);
      queue.push(...(this.#children.get(next) ?? []));
    }
    return ids;
  }

  /** From the province down to the region itself; empty for an unknown id. */
  path(id: string): RegionPath {
    const path: RegionRef[] = [];
    for (let r = this.get(id); r; r = r.parent ? this.get(r.parent.id) : null) {
      path.unshift({ id: r.id, code: r.code, name: r.name, level: r.level });
      if (path.length > 16) break; // a cycle in bad data must not hang a request
    }
    return path;
  }
}

const VERSION_SQL = `select version::text as version from region_tree_version`;

/** The version a request reads the tree at, as a scalar sub-select for a statement the request runs anyway. */
export const REGION_TREE_VERSION_COLUMN = `(${VERSION_SQL})`;

// One tree per database (tests run several ORMs in one process); the driver is shared by an ORM's forks.
const current = new WeakMap<object, Promise<RegionTree>>();

async function load(em: EntityManager): Promise<RegionTree> {
  // Version first: a change that lands between the two reads leaves the tree newer than its version, never older.
  const [{ version }] = await em.execute<{ version: string }[]>(VERSION_SQL);
  const rows = await em.execute<(Omit<RegionRow, 'parent'> & { parentId: string | null })[]>(
    `select id, code, name, level, parent_id as "parentId", safety_office_name as "safetyOfficeName" from region`,
  );
  return new RegionTree(
    version!,
    rows.map(({ parentId, ...r }) => ({ ...r, parent: parentId ? { id: parentId } : null })),
  );
}

/**
 * The tree at `version` or later. Without a version (a request that has not read one yet) the version is read
 * first: one small statement.
 */
export async function regionTree(em: EntityManager, version?: string): Promise<RegionTree> {
  const known = version ?? (await em.execute<{ version: string }[]>(VERSION_SQL))[0]!.version;
  const key = em.getDriver();
  const pending = current.get(key);
  const cached = pending ? await pending.catch(() => null) : null;
  if (cached && BigInt(cached.version) >= BigInt(known)) return cached;
  const loading = load(em);
  current.set(key, loading);
  try {
    return await loading;
  } catch (error) {
    if (current.get(key) === loading) current.delete(key);
    throw error;
  }
}
