import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, getNullableType, isListType, isObjectType, type GraphQLObjectType } from 'graphql';
import {
  audienceOf,
  CASE_FIELDS,
  caseAccess,
  needsInvestigatingDepartments,
  PUBLIC_PRINCIPAL,
  REFERENCE_TYPES,
  seesField,
  seesTarget,
  type CaseScope,
  type Principal,
} from '../../domain/access.js';
import { regions } from './fixtures.js';

// A 一般 accident in 南宁街道, organised by the Qilin district (000 §二), at three points of its life.
const EVALUATION_ID = '7d1f0c52-8a3e-4c5b-9f0e-2b6a1d4c9e10';
const drafting: CaseScope = {
  evaluationId: EVALUATION_ID,
  organiserRegionCode: regions.qilin.code,
  upperRegionCode: regions.qujing.code,
  locationRegionCode: regions.nanning.code,
  enterpriseId: 'enterprise-carrier',
  departmentIds: ['department-qilin-transport'],
  stage: 'REPORT_APPROVAL',
  reportApproved: false,
  published: false,
  filed: false,
};
const agreed: CaseScope = { ...drafting, stage: 'PUBLICATION', reportApproved: true };
const published: CaseScope = { ...agreed, stage: 'FOLLOW_UP', published: true, filed: true };

const insider: Principal = { id: 'qilin-office', name: '麒麟区安委办 李主任', grants: [{ role: 'SAFETY_OFFICE', regionCode: regions.qilin.code }] };
const otherOfficial: Principal = {
  id: 'qilin-housing',
  name: '麒麟区住建局 王科长',
  grants: [{ role: 'DEPARTMENT_OFFICIAL', regionCode: regions.qilin.code, departmentId: 'department-qilin-housing' }],
};
const callers = { insider, 'another official': otherOfficial, 'the public': PUBLIC_PRINCIPAL } as const;
type Caller = keyof typeof callers;

const sees = (caller: Caller, scope: CaseScope, path: string, secretReason?: string): boolean => {
  const [type, field] = path.split('.') as [string, string];
  return seesField(type, field, caseAccess(callers[caller], scope), scope, { secretReason });
};

describe('caseAccess', () => {
  test.each([
    // README "What each caller sees": the organising office is an insider
    { caller: 'insider', scope: drafting, access: 'INSIDER' },
    // a department of the region sees the case, not as an insider
    { caller: 'another official', scope: drafting, access: 'OFFICIAL' },
    // 000 §六.三, 001 §10: nothing reaches the public before publication
    { caller: 'the public', scope: agreed, access: 'NONE' },
    { caller: 'the public', scope: published, access: 'PUBLIC' },
  ] as const)('should give $caller $access access when the case is at $scope.stage', ({ caller, scope, access }) => {
    expect(caseAccess(callers[caller], scope)).toBe(access);
  });
});

// Every field that names a person, or says something of a named person. README: other officials and the public
// get "no personal data".
const PERSONAL_FIELDS = [
  'Evaluation.actingLeader',
  'TeamMember.name',
  'SelfEvaluation.submittedBy',
  'OnSiteCheck.recordedBy',
  'AccountabilityItem.subject',
  'AccountabilityFinding.evidence',
  'Referral.subject',
  'EvaluationReport.approvedBy',
];

describe('needsInvestigatingDepartments', () => {
  // A department official of another region, whose department took part in the investigation.
  const investigator: Principal = {
    id: 'yunnan-transport',
    name: '云南省交通运输厅 张处长',
    grants: [{ role: 'DEPARTMENT_OFFICIAL', regionCode: '530000', departmentId: 'department-qilin-transport' }],
  };
  const outsideInvestigator: Principal = { ...investigator, grants: [{ ...investigator.grants[0]!, regionCode: '140000' }] };
  const enterprise: Principal = { id: 'carrier', name: '某运输公司', grants: [{ role: 'ENTERPRISE_CONTACT', enterpriseId: 'enterprise-carrier' }] as Principal['grants'] };
  const others = { insider, 'the public': PUBLIC_PRINCIPAL, 'an enterprise contact': enterprise };

  test.each(Object.entries(others))('should let a page leave out the departments for %s, whose access they cannot change', (_name, principal) => {
    expect(needsInvestigatingDepartments(principal)).toBe(false);
    for (const scope of [drafting, agreed, published]) expect(caseAccess(principal, { ...scope, departmentIds: [] })).toBe(caseAccess(principal, scope));
  });

  test('should keep the departments for a department official, whom they let see a case outside their region', () => {
    expect(needsInvestigatingDepartments(outsideInvestigator)).toBe(true);
    expect(caseAccess(outsideInvestigator, drafting)).toBe('OFFICIAL');
    expect(caseAccess(outsideInvestigator, { ...drafting, departmentIds: [] })).toBe('NONE');
  });
});

describe('seesField', () => {
  test.each(PERSONAL_FIELDS)('should show %s to insiders only, even once the report is published', (path) => {
    expect(audienceOf(...(path.split('.') as [string, string]))).toBe('PERSONAL');
    expect([sees('insider', published, path), sees('another official', published, path), sees('the public', published, path)]).toEqual([true, false, false]);
  });

  test.each([
    // 000 §六.三: 评估报告未经商定前，不得向外界透露 — working papers stay with the team until the report is agreed
    { path: 'Evaluation.selfEvaluation', caller: 'another official', scope: drafting, shown: false },
    { path: 'Evaluation.onSiteChecks', caller: 'another official', scope: drafting, shown: false },
    { path: 'Evaluation.team', caller: 'another official', scope: drafting, shown: false },
    { path: 'Evaluation.onSiteChecks', caller: 'another official', scope: agreed, shown: true },
    { path: 'Evaluation.assessmentSummary', caller: 'insider', scope: drafting, shown: true },
    // 001 §10 publishes the report, not the working papers
    { path: 'Evaluation.onSiteChecks', caller: 'the public', scope: published, shown: false },
    { path: 'Evaluation.referrals', caller: 'the public', scope: published, shown: false },
    // 000 §六.三: the draft report is for the team and the organising government only
    { path: 'Evaluation.report', caller: 'insider', scope: drafting, shown: true },
    { path: 'Evaluation.report', caller: 'another official', scope: drafting, shown: false },
    { path: 'Evaluation.report', caller: 'another official', scope: agreed, shown: true },
    // 001 §10: 向社会全文公开发布
    { path: 'Evaluation.report', caller: 'the public', scope: published, shown: true },
    // the leader's reasons for sending a draft back are deliberation on the draft, even after publication
    { path: 'ReportReturn.reason', caller: 'another official', scope: published, shown: false },
    { path: 'ReportReturn.at', caller: 'another official', scope: published, shown: true },
    // 001 §11: follow-up tasks are between governments and departments
    { path: 'Evaluation.tasks', caller: 'another official', scope: published, shown: true },
    { path: 'Evaluation.tasks', caller: 'the public', scope: published, shown: false },
    { path: 'Evaluation.notifications', caller: 'the public', scope: published, shown: false },
    // README: the audit trail is for insiders
    { path: 'Evaluation.auditTrail', caller: 'another official', scope: published, shown: false },
    { path: 'Evaluation.auditTrail', caller: 'insider', scope: published, shown: true },
    // the case itself is no secret from those who see it
    { path: 'Evaluation.stage', caller: 'the public', scope: published, shown: true },
    { path: 'AccountabilityItem.recommendation', caller: 'the public', scope: published, shown: true },
  ] as const)('should answer $shown for $path read by $caller when the case is at $scope.stage', ({ path, caller, scope, shown }) => {
    expect(sees(caller, scope, path)).toBe(shown);
  });

  test.each([
    // 001 §10: 依法应当保密的除外 — a secret part is withheld from the public, with its reason
    { caller: 'the public', secret: '涉及正在侦查的刑事案件', text: false, reason: true },
    { caller: 'the public', secret: undefined, text: true, reason: false },
    // officials read the whole agreed report; nothing is withheld from them
    { caller: 'another official', secret: '涉及正在侦查的刑事案件', text: true, reason: false },
    { caller: 'insider', secret: '涉及正在侦查的刑事案件', text: true, reason: false },
  ] as const)('should show the text ($text) and the reason it is withheld ($reason) to $caller when the secret reason is $secret', ({ caller, secret, text, reason }) => {
    expect(sees(caller, published, 'ReportSectionText.text', secret)).toBe(text);
    expect(sees(caller, published, 'ReportSectionText.withheldReason', secret)).toBe(reason);
  });

  test('should hide a field the table does not know from everyone', () => {
    expect(seesField('Evaluation', 'someNewField', 'INSIDER', published)).toBe(false);
    expect(seesField('SomeNewType', 'id', 'INSIDER', published)).toBe(false);
  });
});

describe('seesTarget', () => {
  test.each([
    // tasks are hidden from the public (001 §11): closing one reads like closing a task that does not exist
    { operation: 'CLOSE_TASK', caller: 'the public', found: false },
    { operation: 'RECORD_REFERRAL_OUTCOME', caller: 'the public', found: false },
    // another official sees the task: refused as FORBIDDEN, not hidden
    { operation: 'CLOSE_TASK', caller: 'another official', found: true },
    { operation: 'CLOSE_TASK', caller: 'insider', found: true },
    // the published evaluation itself exists for everyone
    { operation: 'APPROVE_REPORT', caller: 'the public', found: true },
  ] as const)('should find the target of $operation for $caller: $found', ({ operation, caller, found }) => {
    expect(seesTarget(operation, caseAccess(callers[caller], published), published)).toBe(found);
  });

  test('should find nothing in a case hidden from the caller', () => {
    expect(seesTarget('APPROVE_REPORT', caseAccess(PUBLIC_PRINCIPAL, agreed), agreed)).toBe(false);
  });
});

describe('CASE_FIELDS', () => {
  // The committed SDL (checked against the served schema by test/api/schema-file.test.ts).
  const schema = buildSchema(readFileSync(join(process.cwd(), 'schema/schema.graphql'), 'utf8'));
  const objectTypes = Object.values(schema.getTypeMap()).filter(
    (t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__') && !['Query', 'Mutation', 'Subscription'].includes(t.name),
  );

  test('should classify every object type of the schema as case data or reference data', () => {
    const unclassified = objectTypes.map((t) => t.name).filter((name) => !(name in CASE_FIELDS) && !REFERENCE_TYPES.includes(name));
    expect(unclassified).toEqual([]);
  });

  test('should give every field of case data an audience, and nothing else', () => {
    for (const type of objectTypes.filter((t) => t.name in CASE_FIELDS)) {
      const fields = Object.keys(type.getFields()).sort();
      expect([type.name, Object.keys(CASE_FIELDS[type.name as keyof typeof CASE_FIELDS]).sort()]).toEqual([type.name, fields]);
    }
  });

  test('should let every field hidden from some caller read as null or an empty list', () => {
    const notNullable = objectTypes
      .filter((t) => t.name in CASE_FIELDS)
      .flatMap((t) => Object.values(t.getFields()).map((f) => ({ path: `${t.name}.${f.name}`, f })))
      .filter(({ path, f }) => audienceOf(...(path.split('.') as [string, string])) !== 'ANYONE' && getNullableType(f.type) !== f.type && !isListType(getNullableType(f.type)))
      .map(({ path }) => path);
    expect(notNullable).toEqual([]);
  });
});
