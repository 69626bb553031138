// Proves that a signal stops every process the entry points start, also under load. `npm test` runs it through
// stack-shutdown.test.ts (which builds dist/ first); by hand: `npm run build && node test/shutdown/stack-shutdown.mjs`.
//
// Each scenario spawns the built `npm start` (dist/infra/main-dev.js) with BIHUAN_DATA_DIR in a fresh temp dir and
// free ports, waits for "Bihuan is running", sends a burst of queries and mutations, signals it mid-burst, and
// then requires that the process exited and that no process of its tree (or naming its temp dir or ports) is
// left. The `api+worker` scenario runs `npm run api` and `npm run worker` against a dev stack the same way.
// Usage: node test/shutdown/stack-shutdown.mjs [scenario…]   (default: all; SHUTDOWN_DEBUG=1 prints the answers' errors)
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';

const root = fileURLToPath(new URL('../..', import.meta.url));
const node = process.execPath;
const STARTUP_MS = 240_000;
const EXIT_MS = 60_000;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Every live process as { pid, ppid, start, cmdline }. */
async function processes() {
  const list = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      const cmdline = (await readFile(`/proc/${name}/cmdline`, 'utf8')).replaceAll('\0', ' ').trim();
      list.push({ pid: Number(name), ppid: Number(fields[1]), start: fields[19], cmdline });
    } catch {
      // gone meanwhile
    }
  }
  return list;
}

async function tree(rootPid) {
  const all = await processes();
  const found = all.filter((p) => p.pid === rootPid);
  for (let i = 0; i < found.length; i++) found.push(...all.filter((p) => p.ppid === found[i].pid));
  return found;
}

/** Processes left from `before` (same pid and start time), or naming one of `marks` on their command line. */
async function leftovers(before, marks) {
  const all = await processes();
  const alive = all.filter((p) => p.pid !== process.pid && (before.some((b) => b.pid === p.pid && b.start === p.start) || marks.some((m) => p.cmdline.includes(m))));
  return alive;
}

class Stack {
  constructor(name, entry, env) {
    this.name = name;
    this.output = '';
    // Its own process group, so that `group` signals reach it and its children as a terminal's Ctrl-C does.
    this.child = spawn(node, [join(root, entry)], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child.stdout.on('data', (chunk) => (this.output += chunk));
    this.child.stderr.on('data', (chunk) => (this.output += chunk));
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  async waitFor(text) {
    const deadline = Date.now() + STARTUP_MS;
    while (!this.output.includes(text)) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`${this.name} exited before "${text}":\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`${this.name}: no "${text}" after ${STARTUP_MS / 1000} s:\n${this.output}`);
      await sleep(200);
    }
  }

  async exitWithin(ms) {
    return Promise.race([this.exited, sleep(ms).then(() => null)]);
  }
}

async function tokenFor(dataDir, userId) {
  const secret = new TextEncoder().encode((await readFile(join(dataDir, 'jwt-secret'), 'utf8')).trim());
  return new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(userId).setIssuer('bihuan').setAudience('bihuan-api').setIssuedAt().setExpirationTime('1h').sign(secret);
}

async function post(url, token, query, variables = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

/** A burst of case-graph queries and workflow updates, left in flight. Returns the promises (settled later). */
async function burst(url, dataDir) {
  const office = await tokenFor(dataDir, 'qilin-office');
  const listed = await post(url, office, '{ evaluations(first: 20) { edges { node { id stage accident { investigation { departments { id name } } } } } } }');
  const evaluations = listed.data?.evaluations?.edges?.map((e) => e.node) ?? [];
  if (!evaluations.length) throw new Error(`no demo evaluations: ${JSON.stringify(listed)}`);
  const inFlight = [];
  // Several principals, so that the per-principal rate limit leaves most of the burst to run.
  const readers = [office, ...(await Promise.all(['qilin-leader', 'qilin-discipline', 'lvliang-office', 'shanxi-office', 'qujing-office'].map((u) => tokenFor(dataDir, u))))];
  for (let i = 0; i < 60; i++) {
    inFlight.push(post(url, readers[i % readers.length], '{ accidents(first: 20) { id title evaluation { stage allowedActions } } }'));
    inFlight.push(post(url, undefined, '{ regions { code name } }'));
  }
  for (const [i, evaluation] of evaluations.entries()) {
    const departments = evaluation.accident?.investigation?.departments ?? [];
    if (!departments.length) continue;
    for (let j = 0; j < 10; j++) {
      inFlight.push(
        post(url, office, 'mutation ($input: FormTeamInput!) { formEvaluationTeam(input: $input) { id stage } }', {
          input: {
            evaluationId: evaluation.id,
            leader: { name: `评估组长 ${i}-${j}`, departmentName: departments[0].name, departmentId: departments[0].id },
            members: [
              { name: '纪委监委 周某', departmentName: '麒麟区纪委监委', role: 'DISCIPLINE_INSPECTION' },
              { name: `专家 ${i}-${j}`, departmentName: '安全技术服务机构', role: 'EXPERT' },
            ],
          },
        }),
      );
    }
  }
  return inFlight.map((p) => p.catch((error) => ({ transportError: error?.cause?.code ?? String(error) })));
}

async function devStack(work) {
  const ports = { PORT: await freePort(), EMBEDDED_PG_PORT: await freePort(), TEMPORAL_DEV_PORT: await freePort(), TEMPORAL_UI_PORT: await freePort() };
  const env = { BIHUAN_DATA_DIR: work, LOG_LEVEL: 'warn', ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) };
  const stack = new Stack('npm start', 'dist/infra/main-dev.js', env);
  await stack.waitFor('Bihuan is running');
  return { stack, ports, url: `http://127.0.0.1:${ports.PORT}/graphql` };
}

async function expectStopped(label, stack, before, marks) {
  const exit = await stack.exitWithin(EXIT_MS);
  if (!exit) {
    const alive = await leftovers(before, marks);
    for (const p of alive) process.kill(p.pid, 'SIGKILL');
    throw new Error(`${label}: still running ${EXIT_MS / 1000} s after the signal:\n${alive.map((p) => `  ${p.pid} ${p.cmdline}`).join('\n')}\n${stack.output.slice(-4000)}`);
  }
  // Children get a moment to finish exiting after their parent.
  let alive = [];
  for (let i = 0; i < 10; i++) {
    alive = await leftovers(before, marks);
    if (!alive.length) break;
    await sleep(300);
  }
  if (alive.length) {
    for (const p of alive) process.kill(p.pid, 'SIGKILL');
    throw new Error(`${label}: exited (${JSON.stringify(exit)}) but left:\n${alive.map((p) => `  ${p.pid} ${p.cmdline}`).join('\n')}\n${stack.output.slice(-4000)}`);
  }
  return exit;
}

/** "n answered, m refused, k cut" for a settled burst. */
async function outcome(inFlight) {
  const results = await Promise.all(inFlight);
  const failed = results.filter((r) => r.transportError);
  const codes = results.flatMap((r) => r.errors?.map((e) => e.extensions?.code ?? e.message) ?? []);
  if (process.env.SHUTDOWN_DEBUG) console.log([...new Set(results.flatMap((r) => r.errors?.map((e) => `${e.extensions?.code}: ${e.message}`) ?? []))]);
  const withErrors = `${codes.length}${codes.length ? `: ${[...new Set(codes)].map((c) => `${c} ×${codes.filter((x) => x === c).length}`).join(', ')}` : ''}`;
  const refused = failed.filter((r) => r.transportError === 'ECONNREFUSED').length;
  const cut = failed.length - refused;
  const how = [...new Set(failed.map((r) => r.transportError).filter((c) => c !== 'ECONNREFUSED'))].join(', ');
  return `burst of ${results.length}: ${results.length - failed.length} answered (${withErrors} with GraphQL errors), ${refused} refused after the signal, ${cut} cut${how ? ` (${how})` : ''}`;
}

const marksOf = (work, ports) => [work, ...Object.values(ports).map(String)];

/** Starts the dev stack, sends a burst, signals it mid-burst (`signals` in turn), and checks that nothing is left. */
async function stopUnderLoad(work, signals, afterMs = 300) {
  const { stack, ports, url } = await devStack(work);
  const inFlight = await burst(url, work);
  await sleep(afterMs);
  const before = await tree(stack.child.pid);
  const started = Date.now();
  for (const [i, signal] of signals.entries()) {
    if (i) await sleep(200);
    if (signal === 'group SIGINT') process.kill(-stack.child.pid, 'SIGINT');
    else stack.child.kill(signal);
  }
  const exit = await expectStopped(`${signals.join(' + ')} under load`, stack, before, marksOf(work, ports));
  const took = ((Date.now() - started) / 1000).toFixed(1);
  return `exit code ${exit.code} after ${took} s, ${before.length} processes gone; ${await outcome(inFlight)}`;
}

const scenarios = {
  /** Ctrl-C once, mid-burst. */
  sigint: (work) => stopUnderLoad(work, ['SIGINT']),
  /** SIGTERM (docker stop, systemd), mid-burst. */
  sigterm: (work) => stopUnderLoad(work, ['SIGTERM'], 1500),
  /** Ctrl-C in a terminal: SIGINT to the whole process group, children included. */
  'ctrl-c': (work) => stopUnderLoad(work, ['group SIGINT']),
  /** Ctrl-C while starting: the Temporal dev server is up, the API not yet. */
  async 'sigint-while-starting'(work) {
    const ports = { PORT: await freePort(), EMBEDDED_PG_PORT: await freePort(), TEMPORAL_DEV_PORT: await freePort(), TEMPORAL_UI_PORT: await freePort() };
    const env = { BIHUAN_DATA_DIR: work, LOG_LEVEL: 'warn', ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) };
    const stack = new Stack('npm start', 'dist/infra/main-dev.js', env);
    await stack.waitFor('Temporal Server:');
    const before = await tree(stack.child.pid);
    stack.child.kill('SIGINT');
    const exit = await expectStopped('SIGINT while starting', stack, before, marksOf(work, ports));
    if (process.env.SHUTDOWN_DEBUG) console.log(stack.output);
    return `exit code ${exit.code}, ${before.length} processes gone${stack.output.includes('Bihuan is running') ? ' (it had finished starting)' : ''}`;
  },
  /** Ctrl-C twice: the second one forces the exit, and still no child is left. */
  'double-sigint': (work) => stopUnderLoad(work, ['SIGINT', 'SIGINT']),
  /** `npm run api` and `npm run worker` against the dev stack's PostgreSQL and Temporal, each stopped mid-burst. */
  async 'api+worker'(work) {
    const { stack, ports } = await devStack(work);
    const apiPort = await freePort();
    const env = {
      BIHUAN_DATA_DIR: work,
      LOG_LEVEL: 'info',
      DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${ports.EMBEDDED_PG_PORT}/bihuan`,
      TEMPORAL_ADDRESS: `127.0.0.1:${ports.TEMPORAL_DEV_PORT}`,
      PORT: String(apiPort),
    };
    const results = [];
    for (const [signal, entry] of [['SIGTERM', 'worker'], ['SIGINT', 'api'], ['SIGINT', 'worker'], ['SIGTERM', 'api']]) {
      const part = new Stack(`npm run ${entry}`, `dist/infra/main-${entry}.js`, env);
      if (entry === 'api') await waitHttp(`http://127.0.0.1:${apiPort}/healthz`, part);
      else await part.waitFor('worker running');
      const inFlight = await burst(entry === 'api' ? `http://127.0.0.1:${apiPort}/graphql` : `http://127.0.0.1:${ports.PORT}/graphql`, work);
      await sleep(300);
      const before = await tree(part.child.pid);
      const started = Date.now();
      part.child.kill(signal);
      const exit = await expectStopped(`npm run ${entry} on ${signal}`, part, before, [`main-${entry}.js`]);
      results.push(`${entry} on ${signal}: exit code ${exit.code} after ${((Date.now() - started) / 1000).toFixed(1)} s, ${await outcome(inFlight)}`);
    }
    const before = await tree(stack.child.pid);
    stack.child.kill('SIGINT');
    await expectStopped('npm start after api+worker', stack, before, marksOf(work, ports));
    return results.join('\n     ');
  },
};

async function waitHttp(url, part) {
  const deadline = Date.now() + STARTUP_MS;
  for (;;) {
    if (part.child.exitCode !== null) throw new Error(`${part.name} exited:\n${part.output}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`no answer from ${url}`);
    await sleep(200);
  }
}

if (!existsSync(join(root, 'dist/infra/main-dev.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(scenarios);
let failed = 0;
for (const name of wanted) {
  const scenario = scenarios[name];
  if (!scenario) throw new Error(`unknown scenario ${name}; known: ${Object.keys(scenarios).join(', ')}`);
  const work = await mkdtemp(join(tmpdir(), 'bihuan-shutdown-'));
  // mkdtemp makes it private (700); embedded PostgreSQL's own handling of that is tested elsewhere.
  await chmod(work, 0o755);
  const started = Date.now();
  try {
    const result = await scenario(work);
    console.log(`ok   ${name}: ${result} (${Math.round((Date.now() - started) / 1000)} s)`);
  } catch (error) {
    failed++;
    console.log(`FAIL ${name}: ${error instanceof Error ? error.message : error}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
process.exit(failed ? 1 : 0);
