import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { printSchema } from 'graphql';
import { buildApiSchema } from '../../api/schema.js';

// Front-end teams read schema/schema.graphql: it must be what the server serves.
test('should keep the committed schema/schema.graphql identical to the served schema', async () => {
  const committed = await readFile(join(process.cwd(), 'schema/schema.graphql'), 'utf8');
  const served = printSchema(await buildApiSchema()) + '\n';
  if (committed !== served) {
    throw new Error('schema/schema.graphql is stale: run `npm run schema:print` and commit the result');
  }
});
