import { createServer, type IncomingMessage, type Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import express from 'express';
import { GraphQLError } from 'graphql';
import { PUBLIC_PRINCIPAL } from '../domain/access.js';
import { logger } from '../infra/logger.js';
import { createContext, principalCache, type ApiDeps, type Context, type Principals } from './context.js';
import { errorStatusPlugin, formatError, httpErrorHandler, mapError, notFoundHandler } from './errors.js';
import { writeStartMarks } from './evaluation/case-closure.js';
import { compiledGateway } from './execution.js';
import { answerClientError, graphqlOverHttp, isGraphqlPost } from './graphql-http.js';
import { graphiqlAssets, graphiqlPage } from './graphiql.js';
import { HAZARD_DISPATCH_ROUTE, hazardDispatchDownload } from './hazard-circular/hazard-dispatch.download.js';
import { CostBudget, queryCostPlugin, queryLimitRules, queryLimits, type QueryLimits } from './limits.js';
import { readiness } from './readiness.js';
import { buildApiSchema } from './schema.js';
import { textCheckPlugin } from './validation.js';

const log = logger('api');

export interface RunningApi {
  url: string;
  server: Server;
  stop(): Promise<void>;
}

export interface ApiOptions {
  host: string;
  port: number;
  /** Query limits and the per-caller budget; defaults in api/limits.ts (DEFAULT_QUERY_LIMITS). */
  limits?: Partial<QueryLimits>;
  /** How long /readyz waits for PostgreSQL and Temporal. */
  readinessTimeoutMs?: number;
}

/** The request context plus whose cost budget the request draws from. */
type RequestContext = Context & { budgetKey: string };

/** Reads the caller; an outage while doing so is SERVICE_UNAVAILABLE (503), not a failed context. */
async function requestContext(deps: ApiDeps, principals: Principals, req: IncomingMessage): Promise<RequestContext> {
  try {
    const ctx = await createContext(deps, req.headers, principals);
    // The public is one caller per client address (behind a proxy: the proxy's).
    const budgetKey = ctx.principal.id === PUBLIC_PRINCIPAL.id ? `ip:${req.socket.remoteAddress}` : `user:${ctx.principal.id}`;
    return { ...ctx, budgetKey };
  } catch (error) {
    const mapped = error instanceof GraphQLError ? undefined : mapError(error);
    if (mapped?.code !== 'SERVICE_UNAVAILABLE') throw error;
    throw new GraphQLError(mapped.message, { extensions: { code: mapped.code, retryable: true, http: { status: 503 } } });
  }
}

/**
 * The GraphQL API over HTTP: POST /graphql, the IDE on GET /graphql (and /), liveness on /healthz, readiness
 * (PostgreSQL and Temporal reachable) on /readyz. Every answer, refusals included, is JSON with a typed code.
 */
export async function startApi(deps: ApiDeps, options: ApiOptions): Promise<RunningApi> {
  const limits = queryLimits(options.limits);
  const budget = new CostBudget(limits.budget.points, limits.budget.perSeconds);
  const app = express();
  // Answers depend on the caller and change with every action: no ETags (nor the hashing of every body they cost).
  app.set('etag', false);
  app.disable('x-powered-by');
  // `graphql` is made below, once Apollo (which needs this server) has started; the server listens only after that.
  const server = createServer((req, res) => {
    if (isGraphqlPost(req)) void graphql(req, res);
    else app(req, res);
  });
  server.on('clientError', answerClientError);
  const principals = principalCache(deps.orm);
  const apollo = new ApolloServer<RequestContext>({
    // The schema, executed by compiled operations (api/execution.ts).
    gateway: compiledGateway(await buildApiSchema()),
    formatError,
    introspection: true,
    // Apollo adds stack traces outside production and test; no mode may show them.
    includeStacktraceInErrorResponses: false,
    // `refuseLongDocument` refuses long documents before this; the parser's own limit covers in-process calls.
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: queryLimitRules(limits),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      ApolloServerPluginLandingPageDisabled(),
      // No HTTP caching of answers that depend on the caller; the default plugin also wraps every field.
      ApolloServerPluginCacheControlDisabled(),
      textCheckPlugin<RequestContext>(),
      queryCostPlugin<RequestContext>(limits, budget, (ctx) => ctx.budgetKey),
      errorStatusPlugin<RequestContext>(),
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = await readiness(deps, options.readinessTimeoutMs);
    res.status(ready.status === 'ready' ? 200 : 503).json(ready);
  });
  app.use('/ide', graphiqlAssets());
  app.get(['/', '/graphql'], (req, res, next) => {
    if (req.path === '/graphql' && !req.accepts('html')) return next();
    if (req.path === '/graphql' && req.query.query) return next();
    res.type('html').send(graphiqlPage('/graphql'));
  });
  // Before parsing, a huge document is refused: it costs neither a parse nor validation (whose field-merging check is quadratic).
  const graphql = graphqlOverHttp(apollo, limits, (req) => requestContext(deps, principals, req));
  app.use('/graphql', graphql);
  app.get(HAZARD_DISPATCH_ROUTE, hazardDispatchDownload(deps, principals));
  app.use(notFoundHandler);
  app.use(httpErrorHandler(limits.maxBodyBytes));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as { port: number };
  const url = `http://${options.host}:${address.port}/graphql`;
  principals.start();
  log.info({ url }, 'GraphQL API listening');
  return {
    url,
    server,
    stop: async () => {
      await apollo.stop();
      await principals.stop();
      // Closures answered before the stop: their workflows' starts recorded now, not at the next worker's boot.
      await writeStartMarks(deps.orm.em);
    },
  };
}
