import { covers } from '../../domain/access.js';
import { DomainError } from '../../domain/errors.js';
import {
  applyCorrection,
  checkCase,
  checkCorrectable,
  checkRegionCode,
  conflicts,
  differences,
  investigatingGovernment,
  minimumLevel,
  normaliseAccident,
  normaliseCreditCode,
  normaliseDocumentNo,
  normaliseInvestigation,
  normaliseReport,
  normaliseYuan,
  type CaseFacts,
} from '../../domain/intake.js';
import type { AccidentLevel } from '../../domain/organiser.js';
import type { RegionPath } from '../../domain/regions.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const PATHS = { accident: 'accident', investigation: 'investigation', report: 'report' };
const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function refusal(run: () => unknown): { code: string; field?: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, field: error.field, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

function qilinFall(): CaseFacts {
  return {
    accident: normaliseAccident(
      {
        title: ' 麒麟区某建设工程有限公司“3·14”高处坠落事故 ',
        level: 'ORDINARY',
        sector: 'CONSTRUCTION',
        occurredAt: '2025-03-14T02:00:00Z',
        locationRegionId: ID(1),
        enterpriseId: ID(2),
        deaths: 1,
        injuries: 0,
        directLossYuan: '1380000',
      },
      '',
      NOW,
    ),
    investigation: normaliseInvestigation({ leadDepartmentId: ID(3), departmentIds: [ID(4), ID(3)] }, 'investigation'),
    report: normaliseReport(
      {
        documentNo: '麒政复 [2025] 37号',
        approvedAt: '2025-07-01T00:00:00Z',
        measures: [{ text: '施工单位落实高处作业安全防护', responsibleUnits: ['曲靖市某建设工程有限公司', '曲靖市某建设工程有限公司'] }],
        accountabilityItems: [{ kind: 'CRIMINAL', subject: '项目经理　王某', recommendation: '移送司法机关' }],
      },
      'investigation.report',
      NOW,
    ),
  };
}

describe('normalising what an office types', () => {
  test('should store the same case the same way when text differs only in spacing and brackets', () => {
    const facts = qilinFall();
    expect(facts.accident.title).toBe('麒麟区某建设工程有限公司“3·14”高处坠落事故');
    expect(facts.accident.directLossYuan).toBe('1380000.00');
    expect(facts.investigation!.departmentIds).toEqual([ID(3), ID(4)]);
    expect(facts.report!.documentNo).toBe('麒政复〔2025〕37号');
    expect(facts.report!.measures[0]!.responsibleUnits).toEqual(['曲靖市某建设工程有限公司']);
    expect(facts.report!.accountabilityItems[0]!.subject).toBe('项目经理 王某');
  });

  test.each([
    ['麒政复〔2025〕37号', '麒政复〔2025〕37号'],
    ['麒政复[2025]37号', '麒政复〔2025〕37号'],
    ['麒政复【2025】37号', '麒政复〔2025〕37号'],
    ['麒政复（2025）37号', '麒政复〔2025〕37号'],
    [' 吕政函 〔2025〕 112号 ', '吕政函〔2025〕112号'],
  ])('should read document number %s as %s (GB/T 9704 §7.2.3)', (typed, stored) => {
    expect(normaliseDocumentNo('documentNo', typed)).toBe(stored);
  });

  test.each([
    ['0', '0.00'],
    ['007.5', '7.50'],
    ['8620000.00', '8620000.00'],
    ['99999999999999.99', '99999999999999.99'],
  ])('should keep yuan %s exactly as %s', (typed, stored) => {
    expect(normaliseYuan('directLossYuan', typed)).toBe(stored);
  });

  test.each(['-1', '1,000', '1e6', '1.234', '123456789012345', '', 'abc'])('should refuse %j as an amount in yuan', (typed) => {
    expect(refusal(() => normaliseYuan('directLossYuan', typed))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'directLossYuan' });
  });

  test.each([
    ['title', { title: 'a\u0000b' }, 'NUL'],
    ['title', { title: '\uD800' }, 'surrogate'],
    ['title', { title: 'x'.repeat(201) }, 'at most 200'],
    ['title', { title: '   ' }, 'empty'],
    ['occurredAt', { occurredAt: '2026-07-01T00:00:00Z' }, 'future'],
    ['deaths', { deaths: -1 }, 'zero or more'],
    ['locationRegionId', { locationRegionId: 'not-an-id' }, 'no such record'],
  ])('should refuse a bad %s naming the field', (field, change, reason) => {
    const draft = { title: '事故', level: 'ORDINARY', sector: 'FIRE', occurredAt: '2025-01-01T00:00:00Z', locationRegionId: ID(1), enterpriseId: ID(2), deaths: 0, injuries: 0, directLossYuan: '0', ...change };
    const r = refusal(() => normaliseAccident(draft, 'accident', NOW));
    expect(r.field).toBe(`accident.${field}`);
    expect(r.message).toContain(reason);
  });

  test('should refuse a report without measures, or a measure without a responsible unit, by its path', () => {
    const report = { documentNo: '麒政复〔2025〕1号', approvedAt: '2025-01-01T00:00:00Z', measures: [] };
    expect(refusal(() => normaliseReport(report, 'report', NOW)).field).toBe('report.measures');
    const noUnit = { ...report, measures: [{ text: '整改', responsibleUnits: [] }] };
    expect(refusal(() => normaliseReport(noUnit, 'report', NOW)).field).toBe('report.measures[0].responsibleUnits');
  });

  test.each([
    ['91530302MA6K000001', '91530302MA6K000001'],
    [' 91530302ma6k00009x ', '91530302MA6K00009X'],
  ])('should accept credit code %j as %s', (typed, stored) => {
    expect(normaliseCreditCode('creditCode', typed)).toBe(stored);
  });

  test.each(['9153030', '91530302MA6K00000I', '91530302MA6K0000010'])('should refuse credit code %s (GB 32100)', (typed) => {
    expect(refusal(() => normaliseCreditCode('creditCode', typed)).code).toBe('BAD_USER_INPUT');
  });
});

describe('what a registration needs', () => {
  // 国务院令第493号 第三条: deaths and direct loss set the least level.
  test.each<[number, string, AccidentLevel]>([
    [0, '0.00', 'ORDINARY'],
    [2, '9999999.99', 'ORDINARY'],
    [3, '0.00', 'LARGER'],
    [0, '10000000.00', 'LARGER'],
    [10, '0.00', 'MAJOR'],
    [0, '50000000.00', 'MAJOR'],
    [30, '0.00', 'EXTRAORDINARY'],
    [0, '100000000.00', 'EXTRAORDINARY'],
  ])('should make %i deaths and %s yuan at least %s', (deaths, yuan, level) => {
    expect(minimumLevel(deaths, yuan)).toBe(level);
  });

  test('should refuse a level below what the deaths make', () => {
    const facts = qilinFall();
    facts.accident.deaths = 3;
    expect(refusal(() => checkCase(facts, PATHS))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'accident.level' });
  });

  test('should refuse a report approved before the accident and a delegation without escalation', () => {
    const early = qilinFall();
    early.report!.approvedAt = '2024-01-01T00:00:00.000Z';
    expect(refusal(() => checkCase(early, PATHS)).field).toBe('report.approvedAt');
    const delegated = qilinFall();
    delegated.investigation!.delegatedEvaluationRegionId = ID(9);
    expect(refusal(() => checkCase(delegated, PATHS)).field).toBe('investigation.delegatedEvaluationRegionId');
  });

  const location: RegionPath = [
    { id: 'p', code: '530000', name: '云南省', level: 'PROVINCE' },
    { id: 'c', code: '530300', name: '曲靖市', level: 'CITY' },
    { id: 'd', code: '530302', name: '麒麟区', level: 'COUNTY' },
    { id: 't', code: '530302001', name: '南宁街道', level: 'TOWN' },
  ];
  test.each<[AccidentLevel, boolean, string]>([
    ['ORDINARY', false, '麒麟区'],
    ['ORDINARY', true, '曲靖市'],
    ['LARGER', false, '曲靖市'],
    ['MAJOR', false, '云南省'],
    ['EXTRAORDINARY', false, '云南省'],
  ])('should have a %s accident (escalated: %s) registered by the %s government', (level, escalated, name) => {
    expect(investigatingGovernment(level, escalated, location, 'locationRegionId').name).toBe(name);
  });

  test('should refuse an ordinary accident placed only at city level', () => {
    expect(refusal(() => investigatingGovernment('ORDINARY', false, location.slice(0, 2), 'locationRegionId')).field).toBe('locationRegionId');
  });
});

describe('corrections before closure', () => {
  test('should list every changed field with its value before and after', () => {
    const before = qilinFall();
    const after = applyCorrection(before, { accident: { deaths: 2 }, report: { measures: [...before.report!.measures, { text: '新增措施', responsibleUnits: ['麒麟区住建局'] }] } }, NOW, PATHS);
    expect(differences(before, after)).toEqual([
      { field: 'accident.deaths', before: 1, after: 2 },
      { field: 'report.measures[1]', before: null, after: { text: '新增措施', responsibleUnits: ['麒麟区住建局'] } },
    ]);
  });

  test('should check a corrected case like a new one', () => {
    expect(refusal(() => applyCorrection(qilinFall(), { accident: { deaths: 3 } }, NOW, PATHS)).field).toBe('accident.level');
    expect(refusal(() => applyCorrection(qilinFall(), { accident: { title: null as never } }, NOW, PATHS)).field).toBe('accident.title');
  });

  test('should refuse a correction once the case is closed', () => {
    expect(refusal(() => checkCorrectable(new Date('2025-08-01T00:00:00Z'))).code).toBe('INVALID_TRANSITION');
    expect(() => checkCorrectable(null)).not.toThrow();
  });

  test('should compare only the parts a retried request carries', () => {
    const existing = qilinFall();
    const retry = { ...qilinFall(), accident: { ...existing.accident, title: '别的标题' } };
    expect(conflicts(existing, retry, ['report'])).toEqual([]);
    expect(conflicts(existing, retry, ['accident', 'report']).map((c) => c.field)).toEqual(['accident.title']);
  });
});

describe('division codes of the register', () => {
  type Parent = Parameters<typeof checkRegionCode>[2];
  const qilin: Parent = { code: '530302', level: 'COUNTY', name: '麒麟区' };
  test.each<[string, Parameters<typeof checkRegionCode>[1], Parent]>([
    ['530000', 'PROVINCE', null],
    ['530300', 'CITY', { code: '530000', level: 'PROVINCE', name: '云南省' }],
    ['530302001', 'TOWN', qilin],
    ['530302100', 'TOWN', qilin],
  ])('should accept %s as a %s', (code, level, parent) => {
    expect(() => checkRegionCode(code, level, parent)).not.toThrow();
  });

  test.each<[string, Parameters<typeof checkRegionCode>[1], Parent, string]>([
    ['530300', 'PROVINCE', null, 'code'],
    ['530302', 'COUNTY', null, 'parentId'],
    ['540101001', 'TOWN', qilin, 'code'],
    ['530302', 'TOWN', qilin, 'code'],
    ['530000', 'PROVINCE', qilin, 'parentId'],
    ['530302002', 'CITY', qilin, 'code'],
  ])('should refuse %s as a %s', (code, level, parent, field) => {
    expect(refusal(() => checkRegionCode(code, level, parent))).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  test('should let a town whose code ends in 00 cover itself and not its sibling towns', () => {
    expect(covers('530302100', '530302100')).toBe(true);
    expect(covers('530302100', '530302101')).toBe(false);
    expect(covers('530302', '530302101')).toBe(true);
  });
});
