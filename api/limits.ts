import { HeaderMap, type ApolloServerPlugin, type BaseContext, type GraphQLRequest } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { ServerResponse } from 'node:http';
import {
  BREAK,
  GraphQLError,
  Kind,
  Lexer,
  Source,
  TokenKind,
  getNamedType,
  getNullableType,
  getVariableValues,
  isLeafType,
  isListType,
  visit,
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { CAPS } from '../domain/caps.js';
import { REPORT_LISTS, REPORT_SECTIONS } from '../domain/rule-profiles.js';
import { HAZARD_CAPS } from '../domain/hazard.js';
import { HAZARD_CAMPAIGN_PHASES, OBLIGATION_KINDS } from '../domain/hazard-campaign.js';
import { SECTORS } from '../domain/case.js';
import { MAX_STATISTICS_ROWS } from '../domain/statistics.js';
import { MAX_CALENDAR_DAYS } from '../domain/working-days.js';
import { CAMPAIGN_LIST_MULTIPLIERS } from './campaign/campaign-limits.js';
import { sendError } from './errors.js';

/**
 * What one request may ask for, in the style of GitHub's GraphQL API: tokens before parsing, depth, aliases and
 * directives in validation, a node-count cost before execution, and a budget of cost points per caller over time.
 */
export interface QueryLimits {
  /** Lexical tokens of the document: checked before it is parsed, so a huge document costs no parse or validation. */
  maxTokens: number;
  /** Nesting of selections (introspection excluded: its cost is bounded by the schema). */
  maxDepth: number;
  /** Aliased fields in one operation. */
  maxAliases: number;
  /** Directives in one operation. */
  maxDirectives: number;
  /** Nodes one query may return at most, estimated before execution (see `queryCost`). */
  maxCost: number;
  /** Ceiling on every `first` argument. */
  maxFirst: number;
  /** Per principal (or client address for the public): a token bucket of cost points. */
  budget: { points: number; perSeconds: number };
  /** Bytes of one request body. */
  maxBodyBytes: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxTokens: 2_000,
  maxDepth: 12,
  maxAliases: 30,
  maxDirectives: 50,
  maxCost: 50_000,
  maxFirst: CAPS.listPage,
  budget: { points: 200_000, perSeconds: 60 },
  maxBodyBytes: 2 * 1024 * 1024,
};

export function queryLimits(overrides: Partial<QueryLimits> = {}): QueryLimits {
  const limits = { ...DEFAULT_QUERY_LIMITS, ...overrides };
  // A query dearer than the whole bucket could never run; refuse it as too complex instead of rate-limiting forever.
  limits.maxCost = Math.min(limits.maxCost, limits.budget.points);
  return limits;
}

/**
 * How many items a list field without `first` returns at most, so nested lists can be multiplied before execution.
 * The caps come from the domain (domain/caps.ts), which refuses an action that would pass one.
 */
export const LIST_MULTIPLIERS: Readonly<Record<string, number>> = {
  // The whole region tree; it needs paging (`first`) before it serves a national deployment.
  'Query.regions': 5_000,
  'Investigation.departments': CAPS.listPage,
  'InvestigationReport.measures': CAPS.measures,
  'InvestigationReport.accountabilityItems': CAPS.accountabilityItems,
  // The enterprise's home region, when it is not the organiser (domain/organiser.ts).
  'Evaluation.assistingRegions': 1,
  'Evaluation.team': CAPS.teamMembers,
  'Evaluation.onSiteChecks': CAPS.onSiteChecks,
  'Evaluation.measureFindings': CAPS.measures,
  'Evaluation.accountabilityFindings': CAPS.accountabilityItems,
  'Evaluation.referrals': CAPS.referrals,
  'Evaluation.tasks': CAPS.measures,
  'SelfEvaluation.statements': CAPS.measures,
  'EvaluationReport.sections': REPORT_SECTIONS.length,
  'EvaluationReport.lists': REPORT_LISTS.length,
  'EvaluationReport.secretParts': REPORT_SECTIONS.length,
  'EvaluationReport.returns': CAPS.reportReturns,
  // Registration, corrections and closure of one case (api/intake): no cap, so a page.
  'Accident.auditTrail': CAPS.listPage,
  // Counted by the connection's own `first`.
  'EvaluationConnection.edges': 1,
  // One year's State Council notice.
  'WorkingCalendarYear.holidays': MAX_CALENDAR_DAYS,
  'WorkingCalendarYear.workdays': MAX_CALENDAR_DAYS,
  ...CAMPAIGN_LIST_MULTIPLIERS,
  // Rule profiles (api/profiles): every version of every jurisdiction, a page; a rule's seven clauses; a schedule's
  // events: at most 10 reminders (domain/rule-profiles.ts) plus the opening, the overdue mark and the escalation.
  'Query.ruleProfiles': CAPS.listPage,
  'RuleProfile.clauses': 7,
  'DeadlinePreview.assistingRegions': 1,
  'DeadlineSchedule.window': 12,
  'TeamSchedule.events': 12,
  'TaskSchedule.events': 12,
  // Statistics rows: sectors, levels, regions under one region (the statistics service refuses more).
  'AccidentStatistics.rows': MAX_STATISTICS_ROWS,
  'EvaluationStatistics.regions': MAX_STATISTICS_ROWS,
  // Hazards and whistleblower reports (domain/hazard.ts HAZARD_CAPS bounds what one hazard holds); connections
  // are counted by their own `first`.
  'Hazard.extensions': HAZARD_CAPS.extensions,
  'Hazard.submissions': HAZARD_CAPS.submissions,
  'HazardConnection.edges': 1,
  'WhistleblowerReportConnection.edges': 1,
  // Seed 003's reference data (domain/hazard-campaign.ts) and the dispatch table's twelve sectors.
  'Query.hazardSectors': SECTORS.length,
  'HazardSector.leadDepartments': 12,
  'Query.hazardCampaignPhases': HAZARD_CAMPAIGN_PHASES.length,
  'Query.enterpriseObligations': OBLIGATION_KINDS.length,
  'HazardDispatchTable.rows': SECTORS.length,
};

/** A mutation starts work in Temporal: it costs more than the node it returns. */
const MUTATION_COST = 10;

/** Object-typed list fields that have neither `first` nor an entry in LIST_MULTIPLIERS (they cost CAPS.listPage). */
export function unboundedListFields(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !('getFields' in type) || !('getInterfaces' in type)) continue;
    for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
      const key = `${type.name}.${field.name}`;
      if (isObjectList(field) && !field.args.some((a) => a.name === 'first') && !(key in LIST_MULTIPLIERS)) missing.push(key);
    }
  }
  return missing;
}

function isObjectList(field: GraphQLField<unknown, unknown>): boolean {
  return isListType(getNullableType(field.type)) && !isLeafType(getNamedType(field.type));
}

/**
 * Introspection lists are bounded by the schema itself. Each counts as its mean size (rounded up): `types { fields }`
 * then costs about what it returns (types × mean fields = all fields), where the largest size would price the
 * IDE's own introspection query at several times its real size.
 */
const introspectionCache = new WeakMap<GraphQLSchema, Record<string, number>>();

function introspectionMultipliers(schema: GraphQLSchema): Record<string, number> {
  const cached = introspectionCache.get(schema);
  if (cached) return cached;
  const types = Object.values(schema.getTypeMap());
  const fields = types.flatMap((t) => ('getFields' in t ? Object.values(t.getFields()) : []));
  const directives = schema.getDirectives();
  const mean = (values: number[]) => Math.max(1, Math.ceil(values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)));
  const multipliers = {
    '__Schema.types': types.length,
    '__Schema.directives': directives.length,
    '__Type.fields': mean(types.map((t) => ('getFields' in t && 'getInterfaces' in t ? Object.keys(t.getFields()).length : 0))),
    '__Type.inputFields': mean(types.map((t) => ('getFields' in t && !('getInterfaces' in t) ? Object.keys(t.getFields()).length : 0))),
    '__Type.enumValues': mean(types.map((t) => ('getValues' in t ? t.getValues().length : 0))),
    '__Type.interfaces': mean(types.map((t) => ('getInterfaces' in t ? t.getInterfaces().length : 0))),
    '__Type.possibleTypes': mean(types.map((t) => ('getTypes' in t ? t.getTypes().length : 0))),
    '__Field.args': mean(fields.map((f) => ('args' in f ? f.args.length : 0))),
    '__Directive.args': mean(directives.map((d) => d.args.length)),
  };
  introspectionCache.set(schema, multipliers);
  return multipliers;
}

/** A refusal before execution, typed for clients: which limit, its value and, for the cost, what the request asked for. */
export function tooComplex(measure: string, limit: number, actual?: number): GraphQLError {
  const found = actual === undefined ? '' : ` (this request: ${actual})`;
  return new GraphQLError(`query too complex: ${measure} is limited to ${limit}${found}`, {
    extensions: { code: 'QUERY_TOO_COMPLEX', measure, limit, ...(actual === undefined ? {} : { actual }), http: { status: 400 } },
  });
}

function firstOutOfRange(limits: QueryLimits, field: string, first: unknown): GraphQLError | undefined {
  if (typeof first === 'number' && first >= 0 && first <= limits.maxFirst) return undefined;
  return new GraphQLError(`first: between 0 and ${limits.maxFirst} (on ${field})`, {
    extensions: { code: 'BAD_USER_INPUT', field: 'first', http: { status: 400 } },
  });
}

/**
 * The node-count estimator: scalars and enums are part of their node (0); an object costs 1 plus its selection;
 * a list multiplies by its `first`, else by its cap in LIST_MULTIPLIERS. So `accidents(first: 50) { investigation
 * { departments { name } } }` costs 50 × (1 + 1 + 200 × 1).
 */
export function nodeCostEstimator(schema: GraphQLSchema, limits: QueryLimits): ComplexityEstimator {
  const introspection = introspectionMultipliers(schema);
  const mutation = schema.getMutationType();
  return ({ type, field, args, childComplexity }) => {
    if (isLeafType(getNamedType(field.type))) return 0;
    const key = `${type.name}.${field.name}`;
    const self = type === mutation ? MUTATION_COST : 1;
    if (field.args.some((a) => a.name === 'first')) {
      const refusal = firstOutOfRange(limits, key, args.first);
      if (refusal) throw refusal;
      return (args.first as number) * (self + childComplexity);
    }
    if (!isListType(getNullableType(field.type))) return self + childComplexity;
    return (introspection[key] ?? LIST_MULTIPLIERS[key] ?? CAPS.listPage) * (self + childComplexity);
  };
}

/**
 * Costs already counted, per parsed document (Apollo hands the same DocumentNode to every request with the same
 * text) and limits, by operation name and, where they can change it, variables: a client repeating a query pays
 * the walk once, and a mutation whose variables only carry its input (a case's id, a text) pays it once for all
 * its calls. Only costs within the limits are kept, at most COSTS_PER_DOCUMENT per document and for variables of
 * modest size; a refusal is counted again each time.
 */
const costs = new WeakMap<DocumentNode, WeakMap<QueryLimits, Map<string, number>>>();
const COSTS_PER_DOCUMENT = 100;
const COST_KEY_MAX = 2_000;

/** The estimated node count of the operation a request resolved to (at least 1: every request costs something). */
export function queryCost(
  schema: GraphQLSchema,
  limits: QueryLimits,
  input: { document: DocumentNode; operation: OperationDefinitionNode; request: GraphQLRequest },
): number {
  const operation = input.operation.name?.value ?? '';
  const key = costReadsVariables(input.document) ? `${operation}\u0000${JSON.stringify(input.request.variables ?? {})}` : operation;
  if (key.length > COST_KEY_MAX) return countCost(schema, limits, input) ?? 1;
  let byLimits = costs.get(input.document);
  if (!byLimits) costs.set(input.document, (byLimits = new WeakMap()));
  let known = byLimits.get(limits);
  if (!known) byLimits.set(limits, (known = new Map()));
  const cached = known.get(key);
  if (cached !== undefined) return cached;
  const cost = countCost(schema, limits, input);
  // Bad variables: execution refuses them with its own typed error, before any resolver runs. They cost 1 until
  // the document's cost is known without them (its cost after: what the operation would have cost).
  if (cost === null) return 1;
  if (cost <= limits.maxCost) {
    if (known.size >= COSTS_PER_DOCUMENT) known.delete(known.keys().next().value!);
    known.set(key, cost);
  }
  return cost;
}

// Whether a document's cost can depend on its variables: the estimator reads only `first` arguments, and the walk
// skips what an @include or @skip condition leaves out. Once per parsed document.
const readsVariables = new WeakMap<DocumentNode, boolean>();

function costReadsVariables(document: DocumentNode): boolean {
  let reads = readsVariables.get(document);
  if (reads === undefined) {
    reads = false;
    const variable = (value: ValueNode): boolean =>
      value.kind === Kind.VARIABLE ||
      (value.kind === Kind.LIST && value.values.some(variable)) ||
      (value.kind === Kind.OBJECT && value.fields.some((f) => variable(f.value)));
    visit(document, {
      Argument(node) {
        if (node.name.value !== 'first' || !variable(node.value)) return undefined;
        reads = true;
        return BREAK;
      },
      Directive(node) {
        if ((node.name.value !== 'include' && node.name.value !== 'skip') || !node.arguments?.some((a) => variable(a.value))) return undefined;
        reads = true;
        return BREAK;
      },
    });
    readsVariables.set(document, reads);
  }
  return reads;
}

function countCost(
  schema: GraphQLSchema,
  limits: QueryLimits,
  { document, operation, request }: { document: DocumentNode; operation: OperationDefinitionNode; request: GraphQLRequest },
): number | null {
  const variables = request.variables ?? {};
  if (getVariableValues(schema, operation.variableDefinitions ?? [], variables).errors) return null;
  try {
    const cost = getComplexity({
      schema,
      query: document,
      variables,
      ...(operation.name ? { operationName: operation.name.value } : {}),
      estimators: [nodeCostEstimator(schema, limits)],
      // Fragments are expanded while counting: this bounds the walk itself (a "fragment bomb").
      maxQueryNodes: limits.maxTokens * 5,
    });
    return Math.max(1, cost);
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions.code) throw error;
    // The only other refusal of a valid operation with valid variables: more nodes than `maxQueryNodes`.
    if (error instanceof GraphQLError) throw tooComplex('nodes', limits.maxTokens * 5);
    throw error;
  }
}

/** Lexical tokens of a document, counted up to `limit + 1` (a lexical error ends the count: the parser reports it). */
export function countTokens(document: string, limit: number): number {
  const lexer = new Lexer(new Source(document));
  let count = 0;
  try {
    while (count <= limit && lexer.advance().kind !== TokenKind.EOF) count++;
  } catch {
    // The parser reports the lexical error with its position.
  }
  return count;
}

/**
 * Refuses a document over `maxTokens` before Apollo parses it, with QUERY_TOO_COMPLEX (Apollo's own hooks run
 * too late or cannot refuse); true when it answered. Apollo's `parseOptions.maxTokens` stays as the backstop for
 * in-process calls.
 */
export function refuseLongDocument(res: ServerResponse, source: unknown, limits: QueryLimits): boolean {
  if (typeof source !== 'string' || countTokens(source, limits.maxTokens) <= limits.maxTokens) return false;
  const { message, extensions } = tooComplex('tokens', limits.maxTokens);
  sendError(res, 400, 'QUERY_TOO_COMPLEX', message, { measure: extensions.measure, limit: extensions.limit });
  return true;
}

/**
 * Depth, aliases and directives, by GraphQL Armor's rules, reported as QUERY_TOO_COMPLEX validation errors. Each
 * walks the operation once on entering it (fragments counted once, then memoised).
 */
export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  const refuse = (measure: string, limit: number) => ({
    n: limit,
    propagateOnRejection: false,
    onReject: [(context: ValidationContext | null) => context?.reportError(tooComplex(measure, limit))],
  });
  return [
    maxDepthRule({ ...refuse('depth', limits.maxDepth), ignoreIntrospection: true }),
    maxAliasesRule(refuse('aliases', limits.maxAliases)),
    maxDirectivesRule(refuse('directives', limits.maxDirectives)),
  ] as ValidationRule[];
}

/** Cost points per key, refilled continuously. In memory, per API process: each replica has its own buckets. */
export class CostBudget {
  private readonly buckets = new Map<string, { points: number; at: number }>();

  constructor(
    readonly points: number,
    readonly perSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  private level(key: string, at: number): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return this.points;
    return Math.min(this.points, bucket.points + ((at - bucket.at) / 1000) * (this.points / this.perSeconds));
  }

  /** Takes `cost` points from `key`'s bucket, or says how long until it holds them. */
  take(key: string, cost: number): { ok: true; remaining: number } | { ok: false; remaining: number; retryAfterSeconds: number } {
    const at = this.now();
    const level = this.level(key, at);
    if (level < cost) {
      const retryAfterSeconds = Math.max(1, Math.ceil(((cost - level) * this.perSeconds) / this.points));
      return { ok: false, remaining: Math.floor(level), retryAfterSeconds };
    }
    this.buckets.set(key, { points: level - cost, at });
    if (this.buckets.size > 10_000) this.forgetFull(at);
    return { ok: true, remaining: Math.floor(level - cost) };
  }

  /** A full bucket is the same as none: forgetting those keeps memory bounded by recent callers. */
  private forgetFull(at: number): void {
    for (const key of this.buckets.keys()) if (this.level(key, at) >= this.points) this.buckets.delete(key);
  }
}

export function rateLimited(retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(`rate limited: this caller's query budget is spent; retry in ${retryAfterSeconds} s`, {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfterSeconds,
      http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) },
    },
  });
}

/**
 * Charges each operation's cost to its caller's budget before execution (a refusal costs nothing), and tells
 * the caller what it cost. `budgetKey` names whose bucket a request draws from. `refuseLongDocument` and
 * `queryLimitRules` run earlier, before parsing and in validation.
 */
export function queryCostPlugin<TContext extends BaseContext>(
  limits: QueryLimits,
  budget: CostBudget,
  budgetKey: (context: TContext) => string,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      let charged: { cost: number; remaining: number } | undefined;
      return {
        async didResolveOperation(request) {
          if (!request.operation) return;
          const cost = queryCost(request.schema, limits, { ...request, operation: request.operation });
          if (cost > limits.maxCost) throw tooComplex('cost', limits.maxCost, cost);
          const taken = budget.take(budgetKey(request.contextValue), cost);
          if (!taken.ok) throw rateLimited(taken.retryAfterSeconds);
          charged = { cost, remaining: taken.remaining };
        },
        async willSendResponse({ response }) {
          if (!charged) return;
          response.http.headers.set('x-query-cost', String(charged.cost));
          response.http.headers.set('x-ratelimit-limit', String(budget.points));
          response.http.headers.set('x-ratelimit-remaining', String(charged.remaining));
        },
      };
    },
  };
}
