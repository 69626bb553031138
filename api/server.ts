import { createServer, type Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { logger } from '../infra/logger.js';
import { createContext, type ApiDeps, type Context } from './context.js';
import { formatError } from './errors.js';
import { graphiqlAssets, graphiqlPage } from './graphiql.js';
import { buildApiSchema } from './schema.js';

const log = logger('api');

export interface RunningApi {
  url: string;
  server: Server;
  stop(): Promise<void>;
}

/** The GraphQL API over HTTP: POST /graphql, the IDE on GET /graphql (and /), health on /healthz. */
export async function startApi(deps: ApiDeps, options: { host: string; port: number }): Promise<RunningApi> {
  const app = express();
  const server = createServer(app);
  const apollo = new ApolloServer<Context>({
    schema: await buildApiSchema(),
    formatError,
    introspection: true,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer: server }), ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use('/ide', graphiqlAssets());
  app.get(['/', '/graphql'], (req, res, next) => {
    if (req.path === '/graphql' && !req.accepts('html')) return next();
    if (req.path === '/graphql' && req.query.query) return next();
    res.type('html').send(graphiqlPage('/graphql'));
  });
  app.use('/graphql', express.json({ limit: '2mb' }), expressMiddleware(apollo, { context: async ({ req }) => createContext(deps, req.headers) }));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as { port: number };
  const url = `http://${options.host}:${address.port}/graphql`;
  log.info({ url }, 'GraphQL API listening');
  return {
    url,
    server,
    stop: async () => {
      await apollo.stop();
    },
  };
}
