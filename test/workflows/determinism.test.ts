import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

// Workflow code must be deterministic: it may import only the workflow SDK, the pure domain rules, its own
// message definitions and activity *types*. This guards what the bundler would otherwise accept silently.
const root = process.cwd();
const ALLOWED = [/^@temporalio\/(workflow|common)$/, /^\.\.?\/.*\.js$/];
const FORBIDDEN_RELATIVE = [/\/(api|infra|schema)\//, /\/activities\/(?!index\.js$)/];

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

test('should keep workflow and domain code free of I/O imports', async () => {
  const files = [...(await filesUnder(join(root, 'workflows'))), ...(await filesUnder(join(root, 'domain')))];
  expect(files.length).toBeGreaterThan(5);
  const problems: string[] = [];
  for (const file of files) {
    const source = await readFile(file, 'utf8');
    for (const match of source.matchAll(/^import\s+(type\s+)?[^'"]*from\s+'([^']+)'/gm)) {
      const [, typeOnly, specifier] = match as unknown as [string, string | undefined, string];
      const where = `${relative(root, file)} imports ${specifier}`;
      if (!ALLOWED.some((re) => re.test(specifier))) problems.push(where);
      else if (specifier.startsWith('.') && FORBIDDEN_RELATIVE.some((re) => re.test(specifier))) problems.push(where);
      else if (specifier.includes('/activities/') && !typeOnly) problems.push(`${where} (only \`import type\` of activities)`);
    }
    if (/\bDate\.now\(\)|Math\.random\(\)|setTimeout\(/.test(source) && file.includes('/domain/')) {
      problems.push(`${relative(root, file)} reads the clock or randomness; pass time in`);
    }
  }
  expect(problems).toEqual([]);
});
