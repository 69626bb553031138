import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123110039_initial } from './Migration20261123110039_initial.js';
import { Migration20261123115201_identity } from './Migration20261123115201_identity.js';

/** Applied in order by `openOrm`. New migrations: `npm run migration:create -- <name>`, then list them here. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261123110039_initial', class: Migration20261123110039_initial },
  { name: 'Migration20261123115201_identity', class: Migration20261123115201_identity },
];
