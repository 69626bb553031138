// `npm run audit:verify [-- <caseId>]`: checks the audit trail's keyed chain, of every case or of one, with the
// key the API and the worker use, and prints the first broken link. Exits 1 when a link is broken.
import { MikroORM } from '@mikro-orm/postgresql';
import { verifyAuditChain } from '../activities/audit.js';
import { isRecordId } from '../domain/text.js';
import { loadConfig } from './config.js';
import { ormOptions } from './orm.js';
import { loadAuditKey } from './secrets.js';
import { startDatabase } from './services.js';

const config = loadConfig();
const caseId = process.argv[2];
if (caseId !== undefined && !isRecordId(caseId)) {
  console.error('usage: npm run audit:verify [-- <caseId>]   (a case is named by its accident id, a UUID)');
  process.exit(2);
}
const key = await loadAuditKey(config, { create: false }).catch((error: Error) => {
  console.error(`audit:verify: ${error.message}`);
  process.exit(2);
});
const db = await startDatabase(config);
// Reads only: no migration, and any role that may SELECT the trail will do.
const orm = await MikroORM.init(ormOptions(config.DATABASE_APP_URL ?? db.url, { ensureDatabase: false, extensions: [] }));
try {
  const report = await verifyAuditChain(orm.em.fork(), key, caseId ? { caseId } : 'all');
  const scope = caseId ? `case ${caseId}` : 'all cases';
  const broken = report.firstBroken;
  if (!broken) {
    console.log(`audit trail ok: ${report.checked} entries of ${report.subjects} subjects verified (${scope})`);
  } else {
    console.log(
      `audit trail BROKEN (${scope}), first broken link: ${broken.subjectType} ${broken.subjectId} revision ${broken.revision}` +
        `${broken.entryId ? ` (entry ${broken.entryId})` : ''}: ${broken.reason}: ${broken.message}`,
    );
    console.log(`${report.checked} entries checked up to there`);
    process.exitCode = 1;
  }
} finally {
  await orm.close();
  await db.stop();
}
