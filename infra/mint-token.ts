// `npm run token -- <userId>` prints a bearer token for one user; `npm run token -- --demo` one per demo user.
import { tokenSettings, mintToken } from '../api/auth/tokens.js';
import { AppUser } from '../schema/entities/identity.js';
import { loadConfig } from './config.js';
import { openOrm } from './orm.js';
import { startDatabase } from './services.js';

const config = loadConfig();
const settings = await tokenSettings(config);
const wanted = process.argv.slice(2);
if (!wanted.length) {
  console.error('usage: npm run token -- <userId> | --demo');
  process.exit(2);
}
const db = await startDatabase(config);
const orm = await openOrm(db.url);
try {
  const users = wanted.includes('--demo')
    ? await orm.em.fork().find(AppUser, {}, { orderBy: { id: 'asc' } })
    : await orm.em.fork().find(AppUser, { id: { $in: wanted } });
  const missing = wanted.filter((id) => id !== '--demo' && !users.some((u) => u.id === id));
  if (missing.length) console.error(`unknown user(s): ${missing.join(', ')}`);
  for (const user of users) {
    console.log(`# ${user.id}  ${user.name}\n{"Authorization": "Bearer ${await mintToken(settings, user.id)}"}\n`);
  }
  if (missing.length) process.exitCode = 1;
} finally {
  await orm.close();
  await db.stop();
}
