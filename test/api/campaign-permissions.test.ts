import { errorCode, errorField } from '../helpers/api.js';
import {
  CAMPAIGN_USERS,
  campaignInput,
  daysFromToday,
  insertCampaignWorld,
  monthsFromToday,
  today,
  TOWN_CODES,
  type CampaignUser,
} from '../helpers/campaign-world.js';
import { seededStack, waitFor } from '../helpers/stack.js';

// Who may do what in a campaign (domain/access.ts MAY_ON_CAMPAIGN), over HTTP with real tokens: every campaign
// mutation is tried by every user. Each refusal is FORBIDDEN, or NOT_FOUND for whom the campaign does not exist,
// and changes nothing; each allowed user gets past the access check to the workflow, which answers by its stage.
const stack = seededStack('campaign-permissions', insertCampaignWorld, CAMPAIGN_USERS);
const { as } = stack;
/** A three-year campaign not yet ended, and a seven-month one (short path). */
let full: string;
let short: string;

/** Officials outside 海安, and the public: for them the campaign does not exist. */
const HIDDEN: readonly CampaignUser[] = ['public', 'rugao-office', 'rucheng-town'];

beforeAll(async () => {
  const REGISTER = `mutation($in: RegisterCampaignInput!) { registerCampaign(input: $in) { id stage fullPath } }`;
  const a = await as['ha-office'](REGISTER, { in: campaignInput(stack.world, { name: '权限测试 三年行动', endsOn: daysFromToday(60) }) });
  const b = await as['ha-office'](REGISTER, { in: campaignInput(stack.world, { name: '权限测试 短期整治', kind: 'SECTOR', startsOn: monthsFromToday(-6), endsOn: daysFromToday(30) }) });
  expect([a.data?.registerCampaign, b.data?.registerCampaign]).toEqual([
    { id: expect.any(String), stage: 'WAITING_FOR_END', fullPath: true },
    { id: expect.any(String), stage: 'WAITING_FOR_END', fullPath: false },
  ]);
  full = a.data!.registerCampaign.id;
  short = b.data!.registerCampaign.id;
  // Each workflow records its start by itself: the tables below compare states after that.
  for (const id of [full, short]) await waitFor(() => snapshot(id), (s) => s.revision >= 1, 'the campaign workflow to start');
  // A look-back as the read model holds one (its workflow is not running): recordLookBack is tried on it.
  await stack.db.orm.em.fork().execute(
    `insert into campaign_look_back (campaign_id, id, workflow_id, town_code, sector, reason, scheduled_on, scheduled_by, stage, revision)
     values (?, 'L9', ?, ?, 'HAZARDOUS_CHEMICALS', 'MAJOR_HAZARDS', ?, '海安市应急管理局 陈科长', 'SCHEDULED', 0)`,
    [full, `campaign/${full}/look-back/L9`, TOWN_CODES.chengdong, daysFromToday(10)],
  );
});

/** The campaign's revision and how many audit entries it and its children have: a refusal changes neither. */
async function snapshot(id: string): Promise<{ revision: number; audit: number }> {
  const [row] = await stack.db.orm.em.fork().execute<{ revision: number; audit: string }[]>(
    `select c.revision, (select count(*) from audit_entry a where a.subject_id = c.workflow_id or a.subject_id like c.workflow_id || '/%') as audit from campaign c where c.id = ?`,
    [id],
  );
  return { revision: row!.revision, audit: Number(row!.audit) };
}

type Row = [mutation: string, inputType: string, campaign: () => string, input: () => Record<string, unknown>, allowed: CampaignUser[]];

const chengdong = () => ({ townRegionId: stack.world.regions.chengdong });
const chemicals = { sector: 'HAZARDOUS_CHEMICALS' };
const LEADS: CampaignUser[] = ['ha-emergency', 'ha-housing'];

// In the order tried (an allowed request may go through: the extension it makes is the one decided next).
const TABLE: Row[] = [
  ['submitCampaignPreparation', 'SubmitCampaignPreparationInput', () => full, () => ({ schedule: '计划', scope: '范围', duties: '分工', leadingGroup: [{ name: '顾主任', unit: '海安市安委办' }] }), ['ha-office', ...LEADS]],
  ['requestCampaignExtension', 'RequestCampaignExtensionInput', () => full, () => ({ clock: 'SECTOR_REVIEW', untilOn: daysFromToday(400), explanation: '汛期任务重' }), LEADS],
  ['requestCampaignExtension', 'RequestCampaignExtensionInput', () => full, () => ({ clock: 'SELF_EVALUATION', untilOn: daysFromToday(300), explanation: '镇村换届' }), [...LEADS, 'chengdong-town', 'nanmo-town', 'yazhou-town']],
  ['decideCampaignExtension', 'DecideCampaignExtensionInput', () => full, () => ({ extensionId: 'E1', approved: false, reason: '理由不充分' }), ['ha-office']],
  ['submitTownSelfEvaluation', 'SubmitTownSelfEvaluationInput', () => full, () => ({ ...chengdong(), report: '自评', targetTasks: [], hazardRectifications: [], typicalPractices: [] }), ['chengdong-town']],
  ['returnTownSelfEvaluation', 'ReturnTownSelfEvaluationInput', () => full, () => ({ ...chengdong(), reason: '请补充' }), ['chengdong-leader']],
  ['approveTownSelfEvaluation', 'CampaignTownInput', () => full, chengdong, ['chengdong-leader']],
  ['recordReviewMethod', 'RecordReviewMethodInput', () => full, () => ({ ...chemicals, method: 'MEETING', on: today(), summary: '座谈会' }), ['ha-emergency']],
  ['submitSectorReview', 'SubmitSectorReviewInput', () => full, () => ({
    ...chemicals,
    overall: '总报告',
    subReports: [{ townRegionId: stack.world.regions.chengdong, text: '城东镇' }, { townRegionId: stack.world.regions.nanmo, text: '南莫镇' }],
    townGrades: [{ townRegionId: stack.world.regions.chengdong, grade: 'GOOD' }, { townRegionId: stack.world.regions.nanmo, grade: 'FAIR' }],
  }), ['ha-emergency']],
  ['returnSectorReview', 'ReturnSectorReviewInput', () => full, () => ({ ...chemicals, reason: '请补充' }), ['ha-leader']],
  ['approveSectorReview', 'CampaignSectorRefInput', () => full, () => chemicals, ['ha-leader']],
  ['submitCampaignAssessment', 'SubmitCampaignAssessmentInput', () => full, () => ({ overall: '综合', subReports: [], sectorGrades: [] }), ['ha-office']],
  // 002 §13: on the short path the lead departments assess, not the office.
  ['submitCampaignAssessment', 'SubmitCampaignAssessmentInput', () => short, () => ({ overall: '综合', subReports: [], sectorGrades: [] }), LEADS],
  ['returnCampaignAssessment', 'ReturnCampaignAssessmentInput', () => full, () => ({ reason: '请补充' }), ['ha-leader']],
  ['approveCampaignAssessment', 'CampaignIdInput', () => full, () => ({}), ['ha-leader']],
  ['submitRectificationPlan', 'SubmitRectificationPlanInput', () => full, () => ({ ...chengdong(), responsibility: '镇安监办', measures: '整改', deadlineOn: daysFromToday(200) }), ['chengdong-town']],
  ['scheduleLookBack', 'ScheduleLookBackInput', () => full, () => ({ ...chengdong(), ...chemicals, reason: 'PROMINENT_PROBLEMS', scheduledOn: daysFromToday(100) }), ['ha-emergency']],
  ['recordLookBack', 'RecordLookBackInput', () => full, () => ({ lookBackId: 'L9', findings: '已整改', resolved: true }), ['ha-emergency']],
  ['recordCampaignInspection', 'RecordCampaignInspectionInput', () => full, () => ({ ...chengdong(), on: today(), findings: '检查' }), ['ha-office']],
  ['closeCampaignFollowUp', 'CampaignIdInput', () => full, () => ({}), ['ha-office']],
];

test('should cover every campaign mutation of the schema', async () => {
  const schema = await as['ha-office'](`{ __schema { mutationType { fields { name args { name type { ofType { name } } } } } } }`);
  const campaignMutations = schema.data!.__schema.mutationType.fields
    .filter((f: { args: { type: { ofType: { name: string } | null } }[] }) => f.args.some((a) => /Campaign|Town|Sector|LookBack|RectificationPlan|ReviewMethod/.test(a.type.ofType?.name ?? '')))
    .map((f: { name: string }) => f.name)
    .filter((name: string) => name !== 'registerCampaign');
  expect(new Set(TABLE.map(([mutation]) => mutation))).toEqual(new Set(campaignMutations));
});

test.each(TABLE.map((row, i) => [`${row[0]} #${i + 1}`, row] as const))('%s: only the allowed roles get past the access check', async (_name, [mutation, inputType, campaign, input, allowed]) => {
  const id = campaign();
  const document = `mutation($in: ${inputType}!) { ${mutation}(input: $in) { id stage } }`;
  const variables = { in: { campaignId: id, ...input() } };
  const before = await snapshot(id);
  for (const user of CAMPAIGN_USERS.filter((u) => !allowed.includes(u))) {
    const result = await as[user](document, variables);
    expect({ user, code: errorCode(result) }).toEqual({ user, code: HIDDEN.includes(user) ? 'NOT_FOUND' : 'FORBIDDEN' });
  }
  expect(await snapshot(id)).toEqual(before);
  for (const user of allowed) {
    const result = await as[user](document, variables);
    // Past the access check the workflow answers by its stage and content (the campaign has not ended yet).
    expect({ user, code: errorCode(result) }).toEqual({ user, code: expect.stringMatching(/^(OK|INVALID_TRANSITION|BAD_USER_INPUT)$/) });
  }
});

test('should let a town official see the campaign but not act for another town', async () => {
  const plan = { campaignId: full, townRegionId: stack.world.regions.nanmo, responsibility: '镇安监办', measures: '整改', deadlineOn: daysFromToday(200) };
  const other = await as['chengdong-town'](`mutation($in: SubmitRectificationPlanInput!) { submitRectificationPlan(input: $in) { id } }`, { in: plan });
  expect(errorCode(other)).toBe('FORBIDDEN');
  const outside = await as['chengdong-town'](`mutation($in: SubmitRectificationPlanInput!) { submitRectificationPlan(input: $in) { id } }`, {
    in: { ...plan, townRegionId: stack.world.regions.rucheng },
  });
  expect({ code: errorCode(outside), field: errorField(outside) }).toEqual({ code: 'BAD_USER_INPUT', field: 'townRegionId' });
  const seen = await as['chengdong-town'](`query($id: ID!) { campaign(id: $id) { id stage auditTrail { action } preparation { submittedBy } } }`, { id: full });
  expect(seen.data!.campaign).toEqual({ id: full, stage: 'WAITING_FOR_END', auditTrail: [], preparation: null });
});
