import type { EntityManager } from '@mikro-orm/postgresql';
import { getNamedType, isObjectType, Kind, type FragmentDefinitionNode, type GraphQLObjectType, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { columnsOf, READ_TABLES as T, toRows, type TableSpec } from './loaders.js';
import { prepared } from '../infra/prepared.js';

// A page's case graph in the page's own statement. Walked level by level, each relation was a statement and a
// round trip; on a loaded machine the round trips, not the database's work, were most of a page's time. So a
// query that reads cases (a page of accidents or evaluations, one case) looks ahead at what the client selected
// and reads every selected relation below it as nested JSON in one statement. Rows arrive like the loaders'
// (api/loaders.ts), under `$graph` on their parent; field resolvers take them from there and fall back to the
// loaders for rows read another way (a mutation's result). What each caller sees of them is still decided
// field by field by the field table (api/access.ts guardCaseFields): this only reads.

/** How a relation of a GraphQL type is read: its table, one row or a list, how it joins its parent, its order. */
interface Relation {
  spec: TableSpec;
  list: boolean;
  /** Every column, whatever was selected: a field resolver makes the GraphQL object from the whole row. */
  whole?: boolean;
  /** The condition tying the row (`t`) to its parent (`p`); of the parent it reads only `id` (see `parentColumns`). */
  on(t: string, p: string): string;
  /** More tables the row needs (the pivot of a many-to-many). */
  join?(t: string, p: string): string;
  /** The parent's column holding the row's id, for a row referenced by its parent: `{ id }` alone needs no read. */
  key?: string;
  order?(t: string): string;
}

const one = (spec: TableSpec, on: Relation['on']): Relation => ({ spec, list: false, on });
/** A row its parent references by `key`. */
const referenced = (spec: TableSpec, key: string): Relation => ({ spec, list: false, key, on: (t, p) => `${t}.id = ${p}.${key}` });
const list = (spec: TableSpec, on: Relation['on'], order: Relation['order']): Relation => ({ spec, list: true, on, order });
const byEvaluation = (t: string, p: string) => `${t}.evaluation_id = ${p}.id`;

/** `Type.field` → how it is read. Fields not here (regions, computed fields, paged lists) resolve as before. */
const RELATIONS: Record<string, Relation> = {
  'Accident.enterprise': referenced(T.enterprise, 'enterprise_id'),
  'Accident.investigation': one(T.investigation, (t, p) => `${t}.accident_id = ${p}.id`),
  'Accident.evaluation': one(T.evaluation, (t, p) => `${t}.accident_id = ${p}.id`),
  'Investigation.leadDepartment': referenced(T.department, 'lead_department_id'),
  'Investigation.departments': {
    spec: T.department,
    list: true,
    join: (t, p) => `join investigation_department ${t}x on ${t}x.department_id = ${t}.id and ${t}x.investigation_id = ${p}.id`,
    on: () => 'true',
    order: (t) => `${t}.name, ${t}.id`,
  },
  'Investigation.report': one(T.investigationReport, (t, p) => `${t}.investigation_id = ${p}.id`),
  'InvestigationReport.measures': list(T.measure, (t, p) => `${t}.report_id = ${p}.id`, (t) => `${t}.seq, ${t}.id`),
  'InvestigationReport.accountabilityItems': list(T.accountabilityItem, (t, p) => `${t}.report_id = ${p}.id`, (t) => `${t}.seq, ${t}.id`),
  'Evaluation.accident': referenced(T.accident, 'accident_id'),
  'Evaluation.team': list(T.teamMember, byEvaluation, (t) => `${t}.seq, ${t}.id`),
  'Evaluation.onSiteChecks': list(T.onSiteCheck, byEvaluation, (t) => `${t}.seq, ${t}.id`),
  'Evaluation.measureFindings': list(T.measureFinding, byEvaluation, (t) => `(select m.seq from measure m where m.id = ${t}.measure_id), ${t}.id`),
  'Evaluation.accountabilityFindings': list(T.accountabilityFinding, byEvaluation, (t) => `(select i.seq from accountability_item i where i.id = ${t}.item_id), ${t}.id`),
  'Evaluation.referrals': list(T.referral, byEvaluation, (t) => `${t}.code, ${t}.id`),
  'Evaluation.tasks': list(T.rectificationTask, byEvaluation, (t) => `${t}.deadline, ${t}.id`),
  'Evaluation.report': { ...one(T.evaluationReport, (t, p) => `${t}.evaluation_id = ${p}.id`), whole: true },
  'MeasureFinding.measure': referenced(T.measure, 'measure_id'),
  'AccountabilityFinding.item': referenced(T.accountabilityItem, 'item_id'),
  'RectificationTask.measure': referenced(T.measure, 'measure_id'),
};

/**
 * Columns that fields computed by a resolver read. A field named like a column, or like a reference (`enterprise`,
 * `locationRegion`), reads that column; a row read ahead is always read under its parent's view, so nothing else
 * needs its references. Any other field gets the row's id too (its resolver may load by it).
 */
const NEEDS: Record<string, string[]> = {
  'Evaluation.profile': ['id', 'profileId', 'profileVersion'],
  'Evaluation.allowedActions': ['stage'],
  'Evaluation.assistingRegions': ['assistingRegionIds'],
};

/** What a statement read for one relation, and below it. */
interface PlanNode {
  field: string;
  relation: Relation;
  /** The row's columns (and references) the selection needs, as properties; all of them for a `whole` relation. */
  columns: Set<string> | null;
  children: PlanNode[];
}

/** A compiled look-ahead: the JSON column to add to a statement, and how to turn what it returns into rows. */
export interface Graph {
  /** `json_build_object(…)` over the parent alias given to `compileGraph`; null when nothing below is selected. */
  column: string | null;
  plan: PlanNode[];
}

export interface Selection {
  sets: readonly SelectionSetNode[];
  fragments: Record<string, FragmentDefinitionNode>;
}

/** The selections of `field` in `sets`, through fragments (aliases of one field merge: a relation is read once). */
function fieldsIn(selection: Selection): Map<string, SelectionSetNode[]> {
  const fields = new Map<string, SelectionSetNode[]>();
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined): void => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) {
        const sets = fields.get(s.name.value) ?? [];
        if (s.selectionSet) sets.push(s.selectionSet);
        fields.set(s.name.value, sets);
      } else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        walk(selection.fragments[s.name.value]?.selectionSet);
      }
    }
  };
  for (const set of selection.sets) walk(set);
  return fields;
}

/** The selection sets found by following field names down from `selection` (`edges`, `node` of a connection). */
export function selectionAt(selection: Selection, path: string[]): Selection {
  let sets = selection.sets;
  for (const name of path) sets = fieldsIn({ sets, fragments: selection.fragments }).get(name) ?? [];
  return { sets, fragments: selection.fragments };
}

const MAX_DEPTH = 8;

function plan(type: GraphQLObjectType, selection: Selection, depth: number): PlanNode[] {
  if (depth > MAX_DEPTH) return [];
  const nodes: PlanNode[] = [];
  for (const [field, sets] of fieldsIn(selection)) {
    const relation = RELATIONS[`${type.name}.${field}`];
    const child = getNamedType(type.getFields()[field]?.type);
    if (!relation || !isObjectType(child)) continue;
    const below = { sets, fragments: selection.fragments };
    const selected = [...fieldsIn(below).keys()];
    // A field that is neither a column, nor read ahead, nor listed in NEEDS has a resolver that may read the id.
    const known = (f: string) => f in relation.spec.columns || f in relation.spec.refs || `${child.name}.${f}` in RELATIONS || `${child.name}.${f}` in NEEDS;
    // A relation read ahead needs no reference to it; a field named like a reference otherwise reads it.
    const wanted = selected.filter((f) => !(`${child.name}.${f}` in RELATIONS));
    const columns = relation.whole
      ? null
      : new Set([...wanted, ...selected.flatMap((f) => NEEDS[`${child.name}.${f}`] ?? []), ...(selected.every(known) ? [] : ['id'])]);
    nodes.push({ field, relation, columns, children: plan(child, below, depth + 1) });
  }
  return nodes;
}

/**
 * The columns of `spec` (properties) that a row of `type` read by a page needs for `selection`: the selected
 * columns and references, what NEEDS lists for computed fields, and `always`. Null (every column) when a selected
 * field is none of those (its resolver may read any of the row). Reading only these leaves less for PostgreSQL
 * to send and for the driver to parse.
 */
export function columnsFor(type: GraphQLObjectType, selection: Selection, spec: TableSpec, always: string[]): ReadonlySet<string> | null {
  return fromSelection(selection, `columns:${type.name}:${spec.table}:${always.join(',')}`, () => selectedColumns(type, selection, spec, always));
}

function selectedColumns(type: GraphQLObjectType, selection: Selection, spec: TableSpec, always: string[]): Set<string> | null {
  const columns = new Set(always);
  for (const field of fieldsIn(selection).keys()) {
    const key = `${type.name}.${field}`;
    if (field === '__typename' || key in RELATIONS) continue;
    if (key in NEEDS) for (const c of NEEDS[key]!) columns.add(c);
    else if (field in spec.columns || field in spec.refs) columns.add(field);
    else return null;
  }
  return columns;
}

function objectSql(nodes: PlanNode[], parent: string, depth: number): string {
  return `json_build_object(${nodes.map((n) => `'${n.field}', ${relationSql(n, parent, depth)}`).join(', ')})`;
}

function relationSql(node: PlanNode, parent: string, depth: number): string {
  const t = `g${depth}`;
  const { spec, list, on, join, order, key } = node.relation;
  // `measure { id }`: the parent holds the id (a foreign key, so the row exists).
  if (key && !node.children.length && node.columns && [...node.columns].every((c) => c === 'id')) {
    return `case when ${parent}.${key} is null then null else json_build_object('id', ${parent}.${key}) end`;
  }
  const pairs = columnsOf(spec, t)
    .filter(([p]) => !node.columns || node.columns.has(p))
    .map(([p, sql]) => `'${p}', ${sql}`);
  if (node.children.length) pairs.push(`'$graph', ${objectSql(node.children, t, depth + 1)}`);
  // json_build_object takes at most 100 arguments: a wider row is built in parts, as jsonb to concatenate them.
  const wide = pairs.length > 50;
  const parts: string[] = [];
  for (let i = 0; i < pairs.length; i += 50) parts.push(`${wide ? 'jsonb' : 'json'}_build_object(${pairs.slice(i, i + 50).join(', ')})`);
  const row = parts.join(' || ');
  const from = `from ${spec.table} ${t} ${join?.(t, parent) ?? ''} where ${on(t, parent)}`;
  const agg = wide ? 'jsonb' : 'json';
  return list ? `(select coalesce(${agg}_agg(${row} order by ${order!(t)}), '[]'::${agg}) ${from})` : `(select ${row} ${from} limit 1)`;
}

/**
 * What was made from a selection, kept with the document's own nodes: Apollo hands every request with the same
 * text the same parsed document, so a client repeating a query has its statement built once. `key` tells apart
 * what else the value depends on (the type, an alias). The execution's fragment map is a new object each request;
 * its definitions are the document's.
 */
const madeFrom = new WeakMap<SelectionSetNode, { sets: readonly SelectionSetNode[]; fragments: FragmentDefinitionNode[]; key: string; value: unknown }[]>();
const MADE_PER_SELECTION = 16;

const sameNodes = <N>(a: readonly N[], b: readonly N[]): boolean => a.length === b.length && a.every((n, i) => n === b[i]);

export function fromSelection<T>(selection: Selection, key: string, make: () => T): T {
  const first = selection.sets[0];
  if (!first) return make();
  const fragments = Object.values(selection.fragments);
  let made = madeFrom.get(first);
  const found = made?.find((m) => m.key === key && sameNodes(m.sets, selection.sets) && sameNodes(m.fragments, fragments));
  if (found) return found.value as T;
  const value = make();
  if (!made) madeFrom.set(first, (made = []));
  if (made.length >= MADE_PER_SELECTION) made.shift();
  made.push({ sets: [...selection.sets], fragments, key, value });
  return value;
}

/** Compiles what the client selected under objects of `type` (read as `alias` by the statement) into one JSON column. */
export function compileGraph(type: GraphQLObjectType, selection: Selection, alias: string): Graph {
  return fromSelection(selection, `graph:${type.name}:${alias}`, () => {
    const nodes = plan(type, selection, 1);
    return { column: nodes.length ? objectSql(nodes, alias, 1) : null, plan: nodes };
  });
}

/** Turns the `$graph` a statement returned for each row into rows (references, dates), in place. */
export function attachGraph(graph: Graph, rows: Record<string, unknown>[]): void {
  if (!graph.plan.length) return;
  const walk = (nodes: PlanNode[], value: Record<string, unknown> | undefined): void => {
    if (!value) return;
    for (const node of nodes) {
      const found = value[node.field];
      if (found == null) continue;
      const children = toRows<Record<string, unknown>>(node.relation.spec, node.relation.list ? (found as Record<string, unknown>[]) : [found as Record<string, unknown>]);
      if (node.children.length) for (const child of children) walk(node.children, child.$graph as Record<string, unknown> | undefined);
    }
  };
  for (const row of rows) walk(graph.plan, row.$graph as Record<string, unknown> | undefined);
}

/**
 * A relation of `row` read ahead with it (a to-one relation found absent is null), else what `load` reads: the
 * row came another way (a mutation's result) or the field was not looked ahead.
 */
export function orLoad<T>(row: object, field: string, load: () => Promise<T>): T | Promise<T> {
  const graph = (row as { $graph?: Record<string, unknown> }).$graph;
  return graph && field in graph ? (graph[field] as T) : load();
}

/** The parent's columns a graph's first level reads: its `id`, and the keys of the rows it references. */
function parentColumns(graph: Graph): string[] {
  return [...new Set(['id', ...graph.plan.flatMap((n) => (n.relation.key ? [n.relation.key] : []))])];
}

/**
 * The page's rows as the graph's parent `r`: built from the page's own columns when it holds every one the graph
 * reads (no second read of the row), else the row read again by its key.
 */
function parentOf(graph: Graph, spec: TableSpec, columns: ReadonlySet<string> | null | undefined): string {
  const propertyOf = new Map(Object.entries(spec.refs).map(([property, column]) => [column, property]));
  const pairs = parentColumns(graph).map((column): [string, string | undefined] => [column, column === 'id' ? 'id' : propertyOf.get(column)]);
  if (pairs.every(([, property]) => property && (!columns || columns.has(property)))) {
    return `(select ${pairs.map(([column, property]) => `p."${property}" as ${column}`).join(', ')}) r`;
  }
  return `${spec.table} r where r.id = p.id`;
}

/**
 * Runs `page`, a statement over `spec`'s table, adding the graph selected under `type` as column `$graph`.
 * `page.columns`: the properties its statement selects (`selectFrom`'s `only`; absent: all of them).
 */
export async function readWithGraph(
  em: EntityManager,
  spec: TableSpec,
  type: GraphQLObjectType,
  selection: Selection,
  page: { sql: string; params: unknown[]; order: string; columns?: ReadonlySet<string> | null },
): Promise<Record<string, unknown>[]> {
  // The page keeps its own plan (limit first); the graph is read for the page's rows only.
  const graph = compileGraph(type, selection, 'r');
  // Lateral, so the plan is the page's index walk then key lookups per row, whatever the parameters (a hash join
  // of the whole table was what a generic plan chose).
  const rows = graph.column
    ? `select p.*, g."$graph" from (${page.sql}) p cross join lateral (select ${graph.column} as "$graph" from ${parentOf(graph, spec, page.columns)}) g`
    : page.sql;
  // The page comes back as one JSON document (the rows in order, as the floor's statement sends its page): one
  // JSON.parse instead of the driver's parse of every column of every row, arrays included.
  const [result] = await prepared<{ rows: Record<string, unknown>[] }>(
    em,
    `select coalesce(json_agg(p order by ${page.order}), '[]') as rows from (${rows}) p`,
    page.params,
    // Shaped by the client's selection: prepared while few (infra/prepared.ts).
    { dynamic: true },
  );
  // The driver parses json columns: the rows arrive as objects.
  const raw = result!.rows;
  attachGraph(graph, raw);
  return raw;
}

/** Whether the client asks for `name` directly under the field a resolver resolves (through fragments too). */
export function selects(info: GraphQLResolveInfo, name: string): boolean {
  return fieldsIn(selectionOf(info)).has(name);
}

/** The client's selection under the field a resolver resolves. */
export function selectionOf(info: GraphQLResolveInfo): Selection {
  return { sets: info.fieldNodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : [])), fragments: info.fragments };
}

/** A GraphQL object type of the schema by name (the types the look-ahead starts from). */
export function objectType(info: GraphQLResolveInfo, name: string): GraphQLObjectType {
  const type = info.schema.getType(name);
  if (!isObjectType(type)) throw new Error(`${name} is not an object type of the schema`);
  return type;
}
