// Builds N closed (or open) accident cases through the bulk import, batch by batch, for the benchmarks to read,
// list and close. Every case is registered as an office registers it (intake checks, audit entry) and closed
// through the closure path, so the data has the shape real data has.
// Run: npm run bench:generate   (BENCH_CASES=100000 for the issue's 100k; DATABASE_URL, or the embedded database
// in BIHUAN_DATA_DIR; BENCH_BATCH cases per file and transaction, default 1000; BENCH_CONCURRENCY files at once,
// default 2; BENCH_CLOSED_SHARE of them closed, default 1).
// The same content for the same index: running it again adds nothing, and a larger N adds the difference.
import { fileURLToPath } from 'node:url';
import type { Principal } from '../domain/access.js';
import { addDays } from '../domain/calendar.js';
import { normaliseDocumentNo } from '../domain/intake.js';
import { casesWorkbook, type SheetRecord } from '../api/intake/import/import-template.js';
import { importCases } from '../api/intake/import/import.service.js';
import { createDepartment, createEnterprise, createRegion } from '../api/intake/register.service.js';
import type { Orm } from '../infra/orm.js';
import { Department, Enterprise, InvestigationReport, Region } from '../schema/entities/index.js';

export interface GenerateOptions {
  cases: number;
  /** Cases per file: one file is one import, one transaction. */
  batchSize?: number;
  /** Share of cases closed (their evaluations recorded, workflows left to a worker's start), 0 to 1. */
  closedShare?: number;
  /** Files imported at once, each in its own transaction. */
  concurrency?: number;
  onProgress?: (done: number, total: number, seconds: number) => void;
}

export interface Generated {
  cases: number;
  registered: number;
  closed: number;
  seconds: number;
}

// Real division codes of Yunnan (GB/T 2260), away from the demo's 曲靖市/麒麟区.
const CITIES: [string, string, [string, string][]][] = [
  ['530100', '昆明市', [['530102', '五华区'], ['530103', '盘龙区'], ['530111', '官渡区'], ['530112', '西山区']]],
  ['530400', '玉溪市', [['530402', '红塔区'], ['530403', '江川区'], ['530423', '通海县']]],
  ['530500', '保山市', [['530502', '隆阳区'], ['530521', '施甸县']]],
  ['530600', '昭通市', [['530602', '昭阳区'], ['530621', '鲁甸县']]],
];
/**
 * The generator's own office: administrator and safety office of the province, so it may register every case, and
 * the safety office of every city and county, since only a case's organising office closes it (the import checks).
 */
export const GENERATOR: Principal = {
  id: 'bench-generator',
  name: '基准数据生成',
  grants: [
    { role: 'ADMINISTRATOR', regionCode: '530000' },
    { role: 'SAFETY_OFFICE', regionCode: '530000' },
    ...CITIES.flatMap(([city, , counties]) => [city, ...counties.map(([county]) => county)]).map((regionCode) => ({ role: 'SAFETY_OFFICE' as const, regionCode })),
  ],
};

const ENTERPRISES_PER_COUNTY = 10;
const SECTORS = ['建筑施工', '道路运输', '工贸', '消防', '危险化学品', '城镇燃气'];

interface County {
  code: string;
  name: string;
  cityName: string;
}

async function regionId(orm: Orm, code: string, create: () => Promise<string>): Promise<string> {
  return (await orm.em.fork().findOne(Region, { code }))?.id ?? create();
}

async function ensureDepartment(orm: Orm, name: string, regionId: string, kind: 'EMERGENCY_MANAGEMENT' | 'PUBLIC_SECURITY' | 'SECTOR_REGULATOR'): Promise<void> {
  if (!(await orm.em.fork().findOne(Department, { name, region: regionId }))) await createDepartment(orm.em.fork(), GENERATOR, { name, kind, regionId });
}

/** The register the cases point to: a province, cities, counties, their departments and enterprises (kept if present). */
export async function ensureRegister(orm: Orm): Promise<County[]> {
  const province = await regionId(orm, '530000', () => createRegion(orm.em.fork(), GENERATOR, { code: '530000', name: '云南省', level: 'PROVINCE', safetyOfficeName: '云南省安全生产委员会办公室' }));
  const counties: County[] = [];
  for (const [cityCode, cityName, cityCounties] of CITIES) {
    const city = await regionId(orm, cityCode, () =>
      createRegion(orm.em.fork(), GENERATOR, { code: cityCode, name: cityName, level: 'CITY', parentId: province, safetyOfficeName: `${cityName}安全生产委员会办公室` }),
    );
    await ensureDepartment(orm, `${cityName}应急管理局`, city, 'EMERGENCY_MANAGEMENT');
    for (const [code, name] of cityCounties) {
      const county = await regionId(orm, code, () =>
        createRegion(orm.em.fork(), GENERATOR, { code, name, level: 'COUNTY', parentId: city, safetyOfficeName: `${name}安全生产委员会办公室` }),
      );
      await ensureDepartment(orm, `${name}应急管理局`, county, 'EMERGENCY_MANAGEMENT');
      await ensureDepartment(orm, `${cityName}公安局${name}分局`, county, 'PUBLIC_SECURITY');
      await ensureDepartment(orm, `${name}住房和城乡建设局`, county, 'SECTOR_REGULATOR');
      for (let e = 0; e < ENTERPRISES_PER_COUNTY; e++) {
        const creditCode = creditCodeOf(code, e);
        if (!(await orm.em.fork().findOne(Enterprise, { creditCode }))) {
          await createEnterprise(orm.em.fork(), GENERATOR, { name: `${name}某${SECTORS[e % SECTORS.length]}企业${e + 1}号有限公司`, creditCode, sector: 'OTHER', homeRegionId: county });
        }
      }
      counties.push({ code, name, cityName });
    }
  }
  return counties;
}

/** 统一社会信用代码 shape: 91 + the county's code + MA + eight digits. */
const creditCodeOf = (countyCode: string, n: number) => `91${countyCode}MA${String(n).padStart(8, '0')}`;

const BASE = Date.UTC(2022, 0, 3, 1, 30); // 09:30 China time
const MINUTE = 60_000;

/** Case number `i`, as a row of the import's sheets; the same `i` always gives the same case. */
export function generatedCase(i: number, counties: County[], closedShare: number): { row: SheetRecord; measures: SheetRecord[]; accountability: SheetRecord[] } {
  const county = counties[i % counties.length]!;
  // Every 20th is 较大: the city investigates it.
  const larger = i % 20 === 7;
  const occurredAt = new Date(BASE + ((i * 7_919) % (700 * 24 * 60)) * MINUTE);
  const approvedAt = addDays(occurredAt, 45 + (i % 30));
  const closed = (i % 1000) / 1000 < closedShare;
  const enterprise = creditCodeOf(county.code, i % ENTERPRISES_PER_COUNTY);
  const key = `G${i}`;
  const short = county.name.replace(/[区县]$/, '');
  return {
    row: {
      key,
      title: `${county.name}“${i}”${larger ? '较大' : ''}生产安全事故`,
      level: larger ? '较大' : '一般',
      sector: SECTORS[i % SECTORS.length]!,
      occurred_at: occurredAt,
      location: county.code,
      enterprise,
      deaths: larger ? 3 + (i % 5) : i % 3,
      injuries: i % 7,
      direct_loss_yuan: `${100_000 + ((i * 37) % 9_000_000)}.00`,
      lead_department: larger ? `${county.cityName}应急管理局` : `${county.name}应急管理局`,
      departments: `${county.cityName}公安局${county.name}分局、${county.name}住房和城乡建设局`,
      document_no: larger ? `${county.cityName.replace(/市$/, '')}政复〔${occurredAt.getUTCFullYear()}〕${i}号` : `${short}政复〔${occurredAt.getUTCFullYear()}〕${i}号`,
      approved_at: approvedAt,
      ...(closed ? { closed_at: addDays(approvedAt, 20 + (i % 40)) } : {}),
    },
    measures: Array.from({ length: 2 + (i % 3) }, (_, m) => ({
      case: key,
      text: `第${m + 1}项整改措施：落实安全生产主体责任，开展隐患排查治理（案件${i}）`,
      responsible_units: m === 0 ? enterprise : `${county.name}应急管理局、${county.name}住房和城乡建设局`,
    })),
    accountability: Array.from({ length: 1 + (i % 2) }, (_, a) => ({
      case: key,
      kind: a === 0 ? '行政处罚' : '党纪政务处分',
      subject: a === 0 ? `案件${i}事故企业` : `${county.name}有关监管人员`,
      recommendation: a === 0 ? '依法处以罚款' : '给予政务处分',
    })),
  };
}

/**
 * Cases 0…N-1 through the import, `batchSize` to a file, `concurrency` files at a time (each its own
 * transaction: while one waits on PostgreSQL another runs). Batches already imported whole are skipped.
 */
export async function generateCases(orm: Orm, options: GenerateOptions): Promise<Generated> {
  const started = Date.now();
  const batchSize = options.batchSize ?? 1_000;
  const closedShare = options.closedShare ?? 1;
  const counties = await ensureRegister(orm);
  const total = { cases: 0, registered: 0, closed: 0 };
  const starts = Array.from({ length: Math.ceil(options.cases / batchSize) }, (_, b) => b * batchSize);
  const importBatch = async (from: number) => {
    const cases = Array.from({ length: Math.min(batchSize, options.cases - from) }, (_, k) => generatedCase(from + k, counties, closedShare));
    const present = await orm.em.fork().count(InvestigationReport, { documentNo: { $in: cases.map((c) => normaliseDocumentNo('documentNo', c.row.document_no)) } });
    if (present < cases.length) {
      const file = await casesWorkbook({ cases: cases.map((c) => c.row), measures: cases.flatMap((c) => c.measures), accountability: cases.flatMap((c) => c.accountability) });
      const result = await importCases(orm.em.fork(), GENERATOR, file, 'XLSX', { readLimits: { maxUnzippedBytes: Number.MAX_SAFE_INTEGER } });
      if (!result.committed) {
        throw new Error(`batch from case ${from} was refused:\n${result.problems.slice(0, 20).map((p) => `  ${p.sheet} row ${p.row} ${p.column ?? ''}: ${p.message}`).join('\n')}`);
      }
      total.registered += result.registered;
      total.closed += result.closed;
    }
    total.cases += cases.length;
    options.onProgress?.(total.cases, options.cases, (Date.now() - started) / 1000);
  };
  const worker = async () => {
    for (let from = starts.shift(); from !== undefined; from = starts.shift()) await importBatch(from);
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
  return { ...total, seconds: (Date.now() - started) / 1000 };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { loadConfig } = await import('../infra/config.js');
  const { openOrm } = await import('../infra/orm.js');
  const { startDatabase } = await import('../infra/services.js');
  const cases = Number(process.env.BENCH_CASES ?? 1_000);
  const batchSize = Number(process.env.BENCH_BATCH ?? 1_000);
  const closedShare = Number(process.env.BENCH_CLOSED_SHARE ?? 1);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 2);
  const whole = (n: number, min: number) => Number.isInteger(n) && n >= min;
  if (!whole(cases, 0) || !whole(batchSize, 1) || !whole(concurrency, 1) || !(closedShare >= 0 && closedShare <= 1)) {
    console.error('BENCH_CASES, BENCH_BATCH, BENCH_CONCURRENCY: whole numbers (batch and concurrency at least 1); BENCH_CLOSED_SHARE: 0 to 1');
    process.exit(2);
  }
  const config = loadConfig();
  const db = await startDatabase(config);
  const orm = await openOrm(db.url);
  try {
    process.stdout.write(`generating ${cases} cases through the import, ${batchSize} a file, ${concurrency} at a time, ${Math.round(closedShare * 100)}% closed…\n`);
    const result = await generateCases(orm, {
      cases,
      batchSize,
      closedShare,
      concurrency,
      onProgress: (done, total, seconds) => process.stdout.write(`  ${done}/${total} cases, ${seconds.toFixed(1)} s, ${(done / seconds).toFixed(0)} cases/s\n`),
    });
    process.stdout.write(
      `done: ${result.cases} cases (${result.registered} new, ${result.closed} closed) in ${result.seconds.toFixed(1)} s. ` +
        'Closed cases\' evaluation workflows start when a worker next starts on this database.\n',
    );
  } finally {
    await orm.close();
    await db.stop();
  }
}
