import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type Router } from 'express';
import { ACTOR_HEADERS } from './context.js';

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

const DEMO_HEADERS = {
  [ACTOR_HEADERS.id]: 'demo-qilin-office',
  [ACTOR_HEADERS.name]: encodeURIComponent('麒麟区安委办 演示用户'),
  [ACTOR_HEADERS.role]: 'SAFETY_OFFICE',
};

const DEFAULT_QUERY = `# Bihuan — closed-loop rectification evaluation.
# Mutations record who acts: see the Headers tab (x-actor-id, x-actor-name percent-encoded).
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
  const config = JSON.stringify({ endpoint, headers: JSON.stringify(DEMO_HEADERS, null, 2), query: DEFAULT_QUERY }).replaceAll('<', '\\u003c');
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
