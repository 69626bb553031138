import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Signals stop every process the entry points start, also under load (stack-shutdown.mjs, scenario by scenario).
// It builds dist/ and starts whole stacks on embedded PostgreSQL, so it says nothing new about an external
// database: the DATABASE_URL run of the suite skips it.
const root = fileURLToPath(new URL('../..', import.meta.url));

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const maybe = process.env.DATABASE_URL ? test.skip : test;

maybe(
  'should leave no process behind when npm start, npm run api or npm run worker gets SIGINT or SIGTERM mid-load',
  async () => {
    const build = await run(process.execPath, [fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url)), '-p', 'tsconfig.build.json']);
    if (build.code !== 0) process.stderr.write(build.output);
    expect(build.code).toBe(0);
    const result = await run(process.execPath, [fileURLToPath(new URL('./stack-shutdown.mjs', import.meta.url))]);
    if (result.code !== 0) process.stderr.write(result.output);
    expect(result.code).toBe(0);
  },
  600_000,
);
