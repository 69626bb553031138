// Writes the GraphQL SDL front-end teams read to schema/schema.graphql (`npm run schema:print`).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { printSchema } from 'graphql';
import { buildApiSchema } from '../api/schema.js';
import { projectRoot } from './config.js';

const path = join(projectRoot(), 'schema/schema.graphql');
await writeFile(path, printSchema(await buildApiSchema()) + '\n');
console.log(`wrote ${path}`);
