import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type Router } from 'express';

const require = createRequire(import.meta.url);
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

/**
 * GraphiQL served from installed packages: government networks are often closed, and Apollo's default
 * landing page loads from a CDN.
 */
export function graphiqlAssets(): Router {
  const router = express.Router();
  const files: Record<string, string> = {
    'graphiql.min.js': join(packageDir('graphiql'), 'graphiql.min.js'),
    'graphiql.min.css': join(packageDir('graphiql'), 'graphiql.min.css'),
    'react.production.min.js': join(packageDir('react'), 'umd/react.production.min.js'),
    'react-dom.production.min.js': join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
  };
  for (const [name, path] of Object.entries(files)) {
    router.get(`/${name}`, (_req, res) => res.sendFile(path, { maxAge: '1d' }));
  }
  return router;
}

// Without a token the IDE acts as the public; the default query explains how to sign in.
const DEFAULT_HEADERS = {};

const DEFAULT_QUERY = `# Bihuan — closed-loop rectification evaluation.
# Sign in as an official: \`npm run token -- --demo\` prints a token for each demo user;
# put it in the Headers tab as {"Authorization": "Bearer <token>"}. With no header you act as the public.
query Overview {
  evaluations(first: 10) {
    totalCount
    edges {
      node {
        id stage dueAt overdue allowedActions
        profile { document }
        accident { title level }
        organiserRegion { name }
      }
    }
  }
}
`;

export function graphiqlPage(endpoint: string): string {
  const config = JSON.stringify({ endpoint, headers: JSON.stringify(DEFAULT_HEADERS), query: DEFAULT_QUERY }).replaceAll('<', '\\u003c');
  return `<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8" />
  <title>Bihuan 闭环 — GraphQL</title>
  <link rel="stylesheet" href="/ide/graphiql.min.css" />
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading…</div>
  <script src="/ide/react.production.min.js"></script>
  <script src="/ide/react-dom.production.min.js"></script>
  <script src="/ide/graphiql.min.js"></script>
  <script>
    const config = ${config};
    const fetcher = GraphiQL.createFetcher({ url: config.endpoint });
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, { fetcher, defaultQuery: config.query, defaultHeaders: config.headers, headerEditorEnabled: true, shouldPersistHeaders: true })
    );
  </script>
</body>
</html>`;
}
