import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123110039_initial } from './Migration20261123110039_initial.js';
import { Migration20261123115201_identity } from './Migration20261123115201_identity.js';
import { Migration20261202010000_app_role } from './Migration20261202010000_app_role.js';
import { Migration20261202010100_audit_hmac } from './Migration20261202010100_audit_hmac.js';
import { Migration20261202020000_intake } from './Migration20261202020000_intake.js';
import { Migration20261202030000_read_indexes } from './Migration20261202030000_read_indexes.js';
import { Migration20261202040000_campaigns } from './Migration20261202040000_campaigns.js';
import { Migration20261202040100_working_calendar } from './Migration20261202040100_working_calendar.js';
import { Migration20261202040200_rule_profiles } from './Migration20261202040200_rule_profiles.js';
import { Migration20261202040300_statistics } from './Migration20261202040300_statistics.js';
import { Migration20261202050000_access_changes } from './Migration20261202050000_access_changes.js';
import { Migration20261202060000_hazards } from './Migration20261202060000_hazards.js';
import { Migration20261202060100_hazard_links } from './Migration20261202060100_hazard_links.js';

/** Applied in order by `openOrm`. New migrations: `npm run migration:create -- <name>`, then list them here. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261123110039_initial', class: Migration20261123110039_initial },
  { name: 'Migration20261123115201_identity', class: Migration20261123115201_identity },
  { name: 'Migration20261202010000_app_role', class: Migration20261202010000_app_role },
  { name: 'Migration20261202010100_audit_hmac', class: Migration20261202010100_audit_hmac },
  { name: 'Migration20261202020000_intake', class: Migration20261202020000_intake },
  { name: 'Migration20261202030000_read_indexes', class: Migration20261202030000_read_indexes },
  { name: 'Migration20261202040000_campaigns', class: Migration20261202040000_campaigns },
  { name: 'Migration20261202040100_working_calendar', class: Migration20261202040100_working_calendar },
  { name: 'Migration20261202040200_rule_profiles', class: Migration20261202040200_rule_profiles },
  { name: 'Migration20261202040300_statistics', class: Migration20261202040300_statistics },
  { name: 'Migration20261202050000_access_changes', class: Migration20261202050000_access_changes },
  { name: 'Migration20261202060000_hazards', class: Migration20261202060000_hazards },
  { name: 'Migration20261202060100_hazard_links', class: Migration20261202060100_hazard_links },
];
