import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { getIntrospectionQuery } from 'graphql';
import pg from 'pg';
import { mintToken } from '../../api/auth/tokens.js';
import { unboundedListFields } from '../../api/limits.js';
import { buildApiSchema } from '../../api/schema.js';
import { startApi, type ApiOptions, type RunningApi } from '../../api/server.js';
import { addDays, addMonths } from '../../domain/calendar.js';
import { testTokenSettings } from '../helpers/api.js';
import { freePort } from '../helpers/ports.js';
import { insertDemoWorld, seededStack, waitFor } from '../helpers/stack.js';

// Hostile and unlucky requests over real HTTP: each gets a typed JSON answer, and the server keeps serving.
const stack = seededStack('hardening', (em) => insertDemoWorld(em), []);
let officeToken: string;

beforeAll(async () => {
  officeToken = await mintToken(testTokenSettings, 'qilin-office');
});

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: { data?: Record<string, any> | null; errors?: { message: string; extensions?: Record<string, any> }[] };
}

/** A raw POST: the body as given (string) or as JSON, signed in as the Qilin office unless `token` is null. */
async function post(url: string, body: unknown, { token = officeToken as string | null, contentType = 'application/json' } = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  let parsed: Answer['body'] = {};
  try {
    parsed = JSON.parse(text) as Answer['body'];
  } catch {
    // Left empty: the assertions on `body` then fail with the text in view.
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

const gql = (query: string, variables: Record<string, unknown> = {}, token?: string | null) => post(stack.api.url, { query, variables }, token === undefined ? {} : { token });
const code = (a: Answer) => a.body.errors?.[0]?.extensions?.code;
const extensions = (a: Answer) => a.body.errors?.[0]?.extensions;

async function withApi<T>(options: Partial<ApiOptions>, run: (api: RunningApi) => Promise<T>, temporal: Client = stack.env.client): Promise<T> {
  const api = await startApi({ orm: stack.db.orm, temporal, taskQueue: 'hardening', tokens: testTokenSettings }, { host: '127.0.0.1', port: 0, ...options });
  try {
    return await run(api);
  } finally {
    await api.stop();
  }
}

test('should refuse 1,000 aliases of accidents(first: 200) as QUERY_TOO_COMPLEX while answering other requests', async () => {
  const hostile = `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: accidents(first: 200) { id title investigation { report { measures { text } } } }`).join(' ')} }`;
  const [refused, meanwhile] = await Promise.all([gql(hostile), gql('{ accidents(first: 5) { title } }')]);
  expect(refused.status).toBe(400);
  expect(code(refused)).toBe('QUERY_TOO_COMPLEX');
  expect(refused.body.data).toBeUndefined();
  expect(meanwhile.body.errors).toBeUndefined();
  expect(meanwhile.body.data!.accidents.length).toBeGreaterThan(0);
});

test('should refuse 30,000 repeated __typename as QUERY_TOO_COMPLEX on tokens, before parsing it', async () => {
  const refused = await gql(`{ ${'__typename '.repeat(30_000)}}`, {}, null);
  expect(refused.status).toBe(400);
  expect(extensions(refused)).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'tokens', limit: 2000 });
  expect((await gql('{ __typename }', {}, null)).body).toEqual({ data: { __typename: 'Query' } });
});

test('should refuse more aliases than the limit when the document is short', async () => {
  const aliases = Array.from({ length: 31 }, (_, i) => `e${i}: evaluation(id: "${stack.world.openCase}") { id }`).join(' ');
  const refused = await gql(`{ ${aliases} }`);
  expect(refused.status).toBe(400);
  expect(extensions(refused)).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'aliases', limit: 30 });
});

test('should refuse a query nested deeper than the limit', async () => {
  const nested = Array.from({ length: 12 }).reduce<string>((inner) => `parent { ${inner} }`, 'name');
  const refused = await gql(`{ regions { ${nested} } }`);
  expect(refused.status).toBe(400);
  expect(extensions(refused)).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'depth', limit: 12 });
});

test('should refuse more directives than the limit', async () => {
  const refused = await gql(`{ ${'__typename @include(if: true) '.repeat(51)}}`);
  expect(extensions(refused)).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'directives', limit: 50 });
});

test('should let the IDE\'s introspection query through and refuse introspection nested into a bomb', async () => {
  const ide = await gql(getIntrospectionQuery(), {}, null);
  expect(ide.body.errors).toBeUndefined();
  expect(ide.body.data!.__schema.types.length).toBeGreaterThan(10);
  const bomb = await gql(`{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }`, {}, null);
  expect(bomb.status).toBe(400);
  // graphql-js's own rule (MaxIntrospectionDepthRule) refuses it in validation.
  expect(code(bomb)).toBe('GRAPHQL_VALIDATION_FAILED');
});

test('should refuse a query whose nested lists multiply past the cost limit, with its cost', async () => {
  const refused = await gql(`{ accidents(first: 200) { investigation { departments { name } report { measures { text } accountabilityItems { kind } } } } }`);
  expect(refused.status).toBe(400);
  // 200 accidents × (itself + investigation + 200 departments + report + 100 measures + 200 accountability items)
  expect(extensions(refused)).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'cost', limit: 50_000, actual: 200 * 503 });
  const page = await gql(`{ accidents(first: 10) { investigation { departments { name } } } }`);
  expect(page.body.errors).toBeUndefined();
  expect(page.headers.get('x-query-cost')).toBe(String(10 * 202));
  expect(Number(page.headers.get('x-ratelimit-remaining'))).toBeLessThan(Number(page.headers.get('x-ratelimit-limit')));
});

test('should count a repeated document again where its variables change its cost, and only there', async () => {
  const cost = async (query: string, variables: Record<string, unknown>) => {
    const answer = await gql(query, variables);
    expect(answer.body.errors).toBeUndefined();
    return Number(answer.headers.get('x-query-cost'));
  };
  const paged = `query Paged($n: Int!) { accidents(first: $n) { investigation { departments { name } } } }`;
  expect([await cost(paged, { n: 10 }), await cost(paged, { n: 3 }), await cost(paged, { n: 10 })]).toEqual([10 * 202, 3 * 202, 10 * 202]);
  const optional = `query Optional($deep: Boolean!) { accidents(first: 5) { id investigation @include(if: $deep) { departments { name } } } }`;
  expect([await cost(optional, { deep: true }), await cost(optional, { deep: false })]).toEqual([5 * 202, 5]);
  // Variables that only carry values (an id) leave the cost as it was counted the first time.
  const one = `query One($id: ID!) { accident(id: $id) { investigation { departments { name } } } }`;
  expect([await cost(one, { id: stack.world.openCase }), await cost(one, { id: randomUUID() })]).toEqual([202, 202]);
});

test('should require first on every list query and refuse one outside 0 to 200', async () => {
  for (const query of ['{ accidents { id } }', '{ evaluations { totalCount } }', '{ auditEntries(actorId: "qilin-office") { action } }']) {
    const missing = await gql(query);
    expect(missing.status).toBe(400);
    expect(code(missing)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(missing.body.errors![0]!.message).toMatch(/"first"/);
  }
  for (const query of [
    '{ accidents(first: 201) { id } }',
    '{ evaluations(first: -1) { totalCount } }',
    `{ evaluation(id: "${stack.world.openCase}") { auditTrail(first: 1000) { action } } }`,
  ]) {
    const refused = await gql(query);
    expect(refused.status).toBe(400);
    expect(extensions(refused)).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
  }
});

test('should refuse with RATE_LIMITED, HTTP 429 and a retry hint once a caller has spent its budget', async () => {
  await withApi({ limits: { budget: { points: 100, perSeconds: 3600 } } }, async (api) => {
    const query = { query: '{ accidents(first: 40) { id } }' };
    expect((await post(api.url, query)).body.errors).toBeUndefined();
    expect((await post(api.url, query)).body.errors).toBeUndefined();
    const limited = await post(api.url, query);
    expect(limited.status).toBe(429);
    expect(code(limited)).toBe('RATE_LIMITED');
    const retryAfter = extensions(limited)!.retryAfterSeconds as number;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('retry-after')).toBe(String(retryAfter));
    // Budgets are per caller: another official and the public are still served.
    expect((await post(api.url, query, { token: await mintToken(testTokenSettings, 'qilin-leader') })).body.errors).toBeUndefined();
    expect((await post(api.url, query, { token: null })).body.errors).toBeUndefined();
    // A query dearer than the whole budget is too complex, not rate-limited forever.
    expect(extensions(await post(api.url, { query: '{ accidents(first: 101) { id } }' }, { token: null }))).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure: 'cost', limit: 100 });
  });
});

test('should answer malformed JSON, a wrong content type, an over-size body and an unknown route with typed JSON errors', async () => {
  const malformed = await post(stack.api.url, '{"query": "{ __typename }"');
  expect([malformed.status, malformed.body]).toEqual([400, { errors: [{ message: 'the request body is not valid JSON', extensions: { code: 'BAD_USER_INPUT' } }] }]);

  const text = await post(stack.api.url, '{ __typename }', { contentType: 'text/plain' });
  expect(text.status).toBe(415);
  expect(code(text)).toBe('BAD_USER_INPUT');

  const huge = await post(stack.api.url, { query: '{ __typename }', variables: { padding: 'x'.repeat(3 * 1024 * 1024) } });
  expect(huge.status).toBe(413);
  expect(extensions(huge)).toEqual({ code: 'PAYLOAD_TOO_LARGE', limit: 2 * 1024 * 1024 });

  const nowhere = await fetch(stack.api.url.replace('/graphql', '/nowhere'));
  expect(nowhere.status).toBe(404);
  expect(nowhere.headers.get('content-type')).toMatch(/application\/json/);
  expect(((await nowhere.json()) as Answer['body']).errors![0]!.extensions!.code).toBe('NOT_FOUND');

  for (const answer of [malformed, text, huge]) expect(answer.headers.get('content-type')).toMatch(/application\/json/);

  // A query by GET is served (with the preflight header Apollo's CSRF prevention asks of GET).
  const get = await fetch(`${stack.api.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'application/json', 'apollo-require-preflight': '1' } });
  expect([get.status, await get.json()]).toEqual([200, { data: { __typename: 'Query' } }]);
});

test('should refuse alike whichever way a request comes in: POST /graphql straight from Node, GET and the rest through the router', async () => {
  const withSearch = await post(`${stack.api.url}?trace=1`, '{"query": ');
  expect([withSearch.status, code(withSearch)]).toEqual([400, 'BAD_USER_INPUT']);
  expect((await post(`${stack.api.url}?trace=1`, { query: '{ __typename }' })).body).toEqual({ data: { __typename: 'Query' } });

  const headers = { authorization: `Bearer ${officeToken}`, 'content-type': 'application/json' };
  const compressed = await fetch(stack.api.url, { method: 'POST', headers: { ...headers, 'content-encoding': 'compress' }, body: '{}' });
  expect([compressed.status, await compressed.json()]).toEqual([415, { errors: [{ message: 'unsupported content encoding or charset', extensions: { code: 'BAD_USER_INPUT' } }] }]);
  const latin1 = await fetch(stack.api.url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json; charset=latin1' }, body: '{}' });
  expect(latin1.status).toBe(415);
  const empty = await fetch(stack.api.url, { method: 'POST', headers });
  expect([empty.status, ((await empty.json()) as Answer['body']).errors![0]!.extensions]).toEqual([400, { code: 'BAD_REQUEST' }]);

  // A long document by GET is refused before parsing, as by POST.
  const long = `{ ${'a '.repeat(2100)}}`;
  const get = await fetch(`${stack.api.url}?query=${encodeURIComponent(long)}`, { headers: { accept: 'application/json', 'apollo-require-preflight': '1' } });
  expect([get.status, ((await get.json()) as Answer['body']).errors![0]!.extensions]).toEqual([400, { code: 'QUERY_TOO_COMPLEX', measure: 'tokens', limit: 2000 }]);
  // Under /graphql's sub-paths (the router's way in) the same rules hold.
  const sub = await post(`${stack.api.url}/x`, '{"query": ');
  expect([sub.status, code(sub)]).toEqual([400, 'BAD_USER_INPUT']);
  // Another method is Apollo's to refuse, with the methods it serves.
  const put = await fetch(stack.api.url, { method: 'PUT', headers, body: JSON.stringify({ query: '{ __typename }' }) });
  expect([put.status, ((await put.json()) as Answer['body']).errors![0]!.extensions!.code]).toEqual([405, 'BAD_REQUEST']);
  expect(put.headers.get('allow')).toBe('GET, POST');
});

test('should answer what Node cannot parse as HTTP (a malformed chunk, headers over the limit) with typed JSON errors, and keep serving', async () => {
  const { port } = new URL(stack.api.url);
  const raw = (request: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.end(request));
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString()));
      socket.on('close', () => resolve(answer));
      socket.on('error', reject);
    });
  const parts = (answer: string) => {
    const [head, body] = answer.split('\r\n\r\n');
    return { status: Number(head!.split(' ')[1]), type: /content-type: ([^\r]*)/i.exec(head!)?.[1], body: JSON.parse(body!) as Answer['body'] };
  };
  const chunk = parts(await raw('POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'));
  expect(chunk).toEqual({ status: 400, type: 'application/json; charset=utf-8', body: { errors: [{ message: 'the request is not HTTP the server can read', extensions: { code: 'BAD_USER_INPUT' } }] } });
  const headers = parts(await raw(`GET /graphql?query=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`));
  expect([headers.status, headers.body.errors![0]!.extensions!.code]).toEqual([431, 'BAD_USER_INPUT']);
  expect((await post(stack.api.url, { query: '{ __typename }' })).body).toEqual({ data: { __typename: 'Query' } });
});

test('should answer a subscription operation and a forged persisted-query hash with typed request errors', async () => {
  const subscription = await gql(`subscription { regions { id } }`);
  expect(code(subscription)).toBe('BAD_USER_INPUT');
  for (const persistedQuery of [{ version: 1, sha256Hash: 'x' }, { version: 2, sha256Hash: 'x' }]) {
    const forged = await post(stack.api.url, { query: '{ regions { id } }', extensions: { persistedQuery } });
    expect(code(forged)).toBeDefined();
    expect(code(forged)).not.toBe('INTERNAL_SERVER_ERROR');
  }
});

test('should show no stack trace or server path in any error, with NODE_ENV unset or development', async () => {
  const saved = process.env.NODE_ENV;
  try {
    for (const mode of [undefined, 'development']) {
      if (mode === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = mode;
      const answers = await withApi({}, async (api) => [
        await post(api.url, { query: '{ nope' }),
        await post(api.url, { query: '{ noSuchField }' }),
        await post(api.url, { query: 'query($f: Int!) { accidents(first: $f) { id } }', variables: { f: 'many' } }),
        await post(api.url, { query: '{ accidents { id } }' }),
        await post(api.url, { query: '{ evaluation(id: "not-a-uuid") { id } }' }),
        await post(api.url, { query: `mutation { approveReport(input: { evaluationId: "${stack.world.openCase}" }) { id } }` }),
        await post(api.url, '{"query": ', {}),
        await post(api.url, { query: '{ __typename }' }, { token: 'not-a-token' }),
      ]);
      for (const answer of answers) {
        expect(answer.headers.get('content-type')).toMatch(/application\/json/);
        expect(answer.text).not.toMatch(/stacktrace|\bat .+:\d+:\d+|node_modules|\.ts:\d+/);
        expect(answer.text).not.toContain(process.cwd());
        expect((answer.body.errors ?? []).map((e) => e.extensions?.code)).not.toContain('INTERNAL_SERVER_ERROR');
      }
    }
  } finally {
    process.env.NODE_ENV = saved;
  }
});

test('should answer a document alike every time it is sent, before and after the API compiles it', async () => {
  // A document runs under graphql-js until it repeats, then compiled (api/execution.ts): pages, a resolver's
  // refusal (its code, field, path and place in the document) and variables refused in coercion read the same.
  const PAGE = `query Board($first: Int!, $after: String, $filter: EvaluationFilterInput) {
  evaluations(first: $first, after: $after, filter: $filter) {
    edges { cursor node { id stage dueAt overdue organiserRegion { name } accident { title enterprise { name } } team { name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
  const CASES = `query Cases($first: Int!) { accidents(first: $first) { id title level enterprise { name } locationRegion { name parent { name } }
    investigation { leadDepartment { name } report { documentNo measures { text } } } evaluation { stage } } }`;
  const requests: [string, Record<string, unknown>, string][] = [
    [CASES, { first: 3 }, 'OK'],
    [PAGE, { first: 3 }, 'OK'],
    [PAGE, { first: 3, after: 'not-a-cursor' }, 'BAD_USER_INPUT'],
    [PAGE, { first: 'three' }, 'BAD_USER_INPUT'],
    [PAGE, { first: 3, filter: { stage: ['NO_SUCH_STAGE'] } }, 'BAD_USER_INPUT'],
    [`query One($id: ID!) { evaluation(id: $id) { id stage accident { title } } }`, { id: 'not-an-id' }, 'OK'],
  ];
  for (const [query, variables, expected] of requests) {
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await gql(query, variables));
    expect({ variables, code: answers[0]!.body.errors?.[0]?.extensions?.code ?? 'OK' }).toEqual({ variables, code: expected });
    for (const answer of answers.slice(1)) expect({ variables, status: answer.status, body: answer.body }).toEqual({ variables, status: answers[0]!.status, body: answers[0]!.body });
  }
  const cases = (await gql(CASES, { first: 3 })).body.data!.accidents;
  expect(cases.length).toBeGreaterThan(0);
  expect(cases[0].enterprise.name).toEqual(expect.any(String));
});

test('should answer BAD_USER_INPUT rather than INTERNAL_SERVER_ERROR when PostgreSQL refuses a value a client forged', async () => {
  // A cursor whose id is not a uuid: PostgreSQL answers 22P02 (invalid text representation).
  const after = Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', 'not-a-uuid'])).toString('base64url');
  const forged = await gql(`query($after: String) { evaluations(first: 5, after: $after) { totalCount } }`, { after });
  expect(code(forged)).toBe('BAD_USER_INPUT');
});

test('should answer /readyz 503 and queries SERVICE_UNAVAILABLE while PostgreSQL refuses connections, then recover', async () => {
  const origin = stack.api.url.replace('/graphql', '');
  expect(await (await fetch(`${origin}/readyz`)).json()).toEqual({ status: 'ready', postgres: 'up', temporal: 'up' });

  const name = new URL(stack.db.url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: process.env.BIHUAN_TEST_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`alter database ${name} allow_connections false`);
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);

    const ready = await fetch(`${origin}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', postgres: 'down', temporal: 'up' });
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);

    // Signed in (the caller is read from the database) and as the public (the query reads it).
    for (const token of [officeToken, null]) {
      const during = await gql('{ evaluations(first: 5) { totalCount } }', {}, token);
      expect(during.status).toBe(503);
      expect(extensions(during)).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true });
    }
  } finally {
    await admin.query(`alter database ${name} allow_connections true`);
    await admin.end();
  }
  await waitFor(() => fetch(`${origin}/readyz`).then((r) => r.status), (status) => status === 200, 'readiness after the outage');
  expect((await gql('{ evaluations(first: 5) { totalCount } }')).body.errors).toBeUndefined();
});

test('should answer /readyz 503 and mutations SERVICE_UNAVAILABLE while Temporal is unreachable', async () => {
  // A case whose evaluation waits for its team, closed through the working stack.
  const closedAt = addDays(addMonths(new Date(), -10), -1).toISOString();
  const closed = await gql(`mutation($in: CloseAccidentCaseInput!) { closeAccidentCase(input: $in) { id } }`, { in: { accidentId: stack.world.openCase, closedAt } });
  expect(closed.body.errors).toBeUndefined();
  const id: string = closed.body.data!.closeAccidentCase.id;
  await waitFor(() => gql(`query($id: ID!) { evaluation(id: $id) { stage } }`, { id }), (a) => a.body.data?.evaluation?.stage === 'TEAM_FORMATION', 'the team stage');

  // Nothing listens there. The client retries UNAVAILABLE about 19 s by default; two attempts keep the test short.
  const connection = Connection.lazy({
    address: `127.0.0.1:${await freePort()}`,
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 2 }))],
  });
  try {
    await withApi({ readinessTimeoutMs: 1_000 }, async (api) => {
      const ready = await fetch(api.url.replace('/graphql', '/readyz'));
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'unavailable', postgres: 'up', temporal: 'down' });

      const form = await post(api.url, {
        query: `mutation($in: FormTeamInput!) { formEvaluationTeam(input: $in) { stage } }`,
        variables: { in: { evaluationId: id, leader: { name: '赵某', departmentName: '麒麟区应急管理局' }, members: [] } },
      });
      expect(form.status).toBe(503);
      expect(extensions(form)).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true });
    }, new Client({ connection }));
  } finally {
    await connection.close();
  }
  expect((await gql(`query($id: ID!) { evaluation(id: $id) { stage } }`, { id })).body.data!.evaluation.stage).toBe('TEAM_FORMATION');
});

test('should bound every list field of the schema by first or by a cap', async () => {
  expect(unboundedListFields(await buildApiSchema())).toEqual([]);
});
