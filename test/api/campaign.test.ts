import { errorCode, errorField, type GraphQLResponse } from '../helpers/api.js';
import {
  CAMPAIGN_GRAPH,
  CAMPAIGN_USERS,
  campaignInput,
  daysFromToday,
  insertCampaignFixture,
  insertCampaignWorld,
  monthsFromToday,
  today,
  TOWN_CODES,
  type CampaignUser,
} from '../helpers/campaign-world.js';
import { seededStack, waitFor } from '../helpers/stack.js';

// Campaign evaluations (002) over HTTP, as a district's officials use them: registering, reading (who sees what),
// lists and grades, and whole campaigns driven through GraphQL alone.
const stack = seededStack('campaign-http', insertCampaignWorld, CAMPAIGN_USERS);
const { as } = stack;

const REGISTER = `mutation($in: RegisterCampaignInput!, $key: String) { registerCampaign(input: $in, idempotencyKey: $key) { id name stage fullPath year
  deadlines { clock dueOn provisional } sectors { sector townCodes leadDepartment { name } } towns { townCode sectors } } }`;

const register = (user: CampaignUser, input: Record<string, unknown>, key?: string) => as[user](REGISTER, { in: input, ...(key ? { key } : {}) });

describe('registering a campaign', () => {
  test('should refuse bad input with a typed error naming the field at fault', async () => {
    const { regions: r, departments: d } = stack.world;
    const sector = (over: Record<string, unknown>) => ({ sector: 'HAZARDOUS_CHEMICALS', leadDepartmentId: d.emergency, townRegionIds: [r.chengdong], ...over });
    const cases: [string, Record<string, unknown>, string, string | undefined][] = [
      ['an end before the start', { startsOn: '2026-03-01', endsOn: '2026-02-28' }, 'BAD_USER_INPUT', 'endsOn'],
      ['a date that does not exist', { startsOn: '2025-02-29' }, 'BAD_USER_INPUT', 'startsOn'],
      ['a date in another format', { endsOn: '2026/03/01' }, 'BAD_USER_INPUT', 'endsOn'],
      ['an empty name', { name: '   ' }, 'BAD_USER_INPUT', 'name'],
      ['a city as the district', { districtRegionId: r.nantong }, 'BAD_USER_INPUT', 'districtRegionId'],
      ['a town as the district', { districtRegionId: r.chengdong }, 'BAD_USER_INPUT', 'districtRegionId'],
      ['an unknown district', { districtRegionId: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND', 'districtRegionId'],
      ['no sector', { sectors: [] }, 'BAD_USER_INPUT', 'sectors'],
      ['a sector without towns', { sectors: [sector({ townRegionIds: [] })] }, 'BAD_USER_INPUT', 'sectors[0].townRegionIds'],
      ['a sector twice', { sectors: [sector({}), sector({ leadDepartmentId: d.housing })] }, 'BAD_USER_INPUT', 'sectors[1].sector'],
      ['a town twice in a sector', { sectors: [sector({ townRegionIds: [r.chengdong, r.chengdong] })] }, 'BAD_USER_INPUT', 'sectors[0].townRegionIds[1]'],
      ['a town of another district', { sectors: [sector({ townRegionIds: [r.chengdong, r.rucheng] })] }, 'BAD_USER_INPUT', 'sectors[0].townRegionIds[1]'],
      ['the district itself as a town', { sectors: [sector({ townRegionIds: [r.haian] })] }, 'BAD_USER_INPUT', 'sectors[0].townRegionIds[0]'],
      ['a malformed town id', { sectors: [sector({ townRegionIds: ['城东镇'] })] }, 'NOT_FOUND', 'sectors[0].townRegionIds[0]'],
      ['a lead department of another district', { sectors: [sector({ leadDepartmentId: d.rugaoEmergency })] }, 'BAD_USER_INPUT', 'sectors[0].leadDepartmentId'],
      ['no dimension', { dimensions: [] }, 'BAD_USER_INPUT', 'dimensions'],
      ['a dimension twice', { dimensions: ['ACCIDENTS', 'ACCIDENTS'] }, 'BAD_USER_INPUT', 'dimensions[1]'],
    ];
    for (const [what, override, expected, at] of cases) {
      const result = await register('ha-office', campaignInput(stack.world, { name: `错误输入 ${what}`, ...override }));
      expect({ what, code: errorCode(result), field: errorField(result) }).toEqual({ what, code: expected, field: at });
    }
    // A kind the schema does not know never reaches the service; text that cannot be stored neither.
    expect(errorCode(await register('ha-office', campaignInput(stack.world, { kind: 'FIVE_YEAR' })))).toBe('BAD_USER_INPUT');
    expect(errorCode(await register('ha-office', campaignInput(stack.world, { name: '整治\u0000行动' })))).toBe('BAD_USER_INPUT');
    expect(errorCode(await register('ha-office', campaignInput(stack.world, {}), 'not a key!'))).toBe('BAD_USER_INPUT');
  });

  test('should let only the safety office of the district, or one above it, register', async () => {
    for (const user of ['public', 'ha-leader', 'ha-emergency', 'chengdong-town', 'rugao-office'] as const) {
      const result = await register(user, campaignInput(stack.world, { name: `无权登记 ${user}` }));
      expect({ user, code: errorCode(result) }).toEqual({ user, code: 'FORBIDDEN' });
    }
    const byCity = await register('nantong-office', campaignInput(stack.world, { name: '市安委办登记的整治', endsOn: daysFromToday(200) }));
    expect(errorCode(byCity)).toBe('OK');
    expect(byCity.data!.registerCampaign).toMatchObject({ stage: 'WAITING_FOR_END', fullPath: true });
  });

  test('should register a campaign once: the same content or key again returns it, another campaign of that name is refused', async () => {
    const input = campaignInput(stack.world, { name: '城镇燃气安全专项整治', endsOn: daysFromToday(90) });
    const first = await register('ha-office', input, 'register-gas-1');
    expect(errorCode(first)).toBe('OK');
    const campaign = first.data!.registerCampaign;
    expect(campaign).toMatchObject({ name: '城镇燃气安全专项整治', stage: 'WAITING_FOR_END', fullPath: true, year: Number(daysFromToday(90).slice(0, 4)) });
    expect(campaign.sectors).toEqual([
      { sector: 'HAZARDOUS_CHEMICALS', townCodes: [TOWN_CODES.chengdong, TOWN_CODES.nanmo], leadDepartment: { name: '海安市应急管理局' } },
      { sector: 'CONSTRUCTION', townCodes: [TOWN_CODES.nanmo, TOWN_CODES.yazhou], leadDepartment: { name: '海安市住房和城乡建设局' } },
    ]);
    expect(campaign.towns).toEqual([
      { townCode: TOWN_CODES.chengdong, sectors: ['HAZARDOUS_CHEMICALS'] },
      { townCode: TOWN_CODES.nanmo, sectors: ['HAZARDOUS_CHEMICALS', 'CONSTRUCTION'] },
      { townCode: TOWN_CODES.yazhou, sectors: ['CONSTRUCTION'] },
    ]);
    // 002 §8(一), §9(四): 10 and 30 days after the end, moved off days that are not working days.
    expect(campaign.deadlines.map((x: { clock: string }) => x.clock)).toEqual(['PREPARATION', 'SELF_EVALUATION', 'SECTOR_REVIEW', 'ASSESSMENT']);
    expect(campaign.deadlines[0].dueOn >= daysFromToday(100)).toBe(true);

    const sameContent = await register('ha-office', input);
    expect(sameContent.errors).toBeUndefined();
    expect(sameContent.data?.registerCampaign.id).toBe(campaign.id);
    const sameKey = await register('ha-office', { ...input, dimensions: ['ACCIDENTS'] }, 'register-gas-1');
    expect(sameKey.data?.registerCampaign.id).toBe(campaign.id);
    const other = await register('ha-office', { ...input, dimensions: ['ACCIDENTS'] });
    expect({ code: errorCode(other), field: errorField(other) }).toEqual({ code: 'BAD_USER_INPUT', field: 'name' });
    expect(other.errors![0]!.message).toContain('城镇燃气安全专项整治');
    // The same name in another district is another campaign.
    const rugao = await register('rugao-office', {
      ...input,
      districtRegionId: stack.world.regions.rugao,
      sectors: [{ sector: 'URBAN_GAS', leadDepartmentId: stack.world.departments.rugaoEmergency, townRegionIds: [stack.world.regions.rucheng] }],
    });
    expect(errorCode(rugao)).toBe('OK');

    // Registration starts the trail: the district's office reads it, a lead department does not.
    const trail = `query($id: ID!) { campaign(id: $id) { id auditTrail { action actorName stageAfter subjectType } } }`;
    const office = await as['ha-office'](trail, { id: campaign.id });
    expect(office.data!.campaign.auditTrail[0]).toEqual({ action: 'REGISTER', actorName: '海安市安委办 顾主任', stageAfter: 'WAITING_FOR_END', subjectType: 'campaign' });
    const lead = await as['ha-emergency'](trail, { id: campaign.id });
    expect(lead.data!.campaign).toEqual({ id: campaign.id, auditTrail: [] });
  });
});

describe('reading campaigns', () => {
  let finished: string;
  let running: string;

  beforeAll(async () => {
    const em = stack.db.orm.em.fork();
    finished = await insertCampaignFixture(em, stack.world, {
      name: '道路交通安全专项整治（已评估）',
      stage: 'FOLLOW_UP',
      endsOn: '2025-12-31',
      reports: true,
      grades: [
        { unitKind: 'TOWN', unit: TOWN_CODES.chengdong, sector: 'HAZARDOUS_CHEMICALS', grade: 'EXCELLENT' },
        { unitKind: 'TOWN', unit: TOWN_CODES.nanmo, sector: 'HAZARDOUS_CHEMICALS', grade: 'POOR' },
        { unitKind: 'TOWN', unit: TOWN_CODES.nanmo, sector: 'CONSTRUCTION', grade: 'GOOD' },
        { unitKind: 'TOWN', unit: TOWN_CODES.yazhou, sector: 'CONSTRUCTION', grade: 'FAIR' },
        { unitKind: 'SECTOR', unit: 'HAZARDOUS_CHEMICALS', sector: 'HAZARDOUS_CHEMICALS', grade: 'GOOD' },
        { unitKind: 'SECTOR', unit: 'CONSTRUCTION', sector: 'CONSTRUCTION', grade: 'POOR' },
      ],
    });
    running = await insertCampaignFixture(em, stack.world, {
      name: '消防安全专项整治（进行中）',
      stage: 'SELF_EVALUATION',
      endsOn: '2026-06-30',
      overdue: true,
      nextDueAt: '2026-07-30T16:00:00.000Z',
    });
  });

  const REPORTS = `query($id: ID!) { campaign(id: $id) { name
    sectors { sector review { report { overall subReports { unit townRegionId text } } } }
    assessment { submittedAt } } }`;

  test('should show a town\'s officials only their own town\'s sub-report, and every other official all of them', async () => {
    const subReports = async (user: CampaignUser) => {
      const result = await as[user](REPORTS, { id: finished });
      expect(result.errors).toBeUndefined();
      const chemicals = result.data!.campaign.sectors.find((s: { sector: string }) => s.sector === 'HAZARDOUS_CHEMICALS');
      return { overall: chemicals.review.report.overall, subs: Object.fromEntries(chemicals.review.report.subReports.map((s: { unit: string; text: string | null }) => [s.unit, s.text])) };
    };
    const all = { [TOWN_CODES.chengdong]: '城东镇分报告：隐患整改到位', [TOWN_CODES.nanmo]: '南莫镇分报告：台账不全' };
    for (const user of ['ha-office', 'ha-leader', 'ha-emergency', 'ha-housing', 'nantong-office'] as const) {
      expect({ user, ...(await subReports(user)) }).toEqual({ user, overall: '危化品领域评估总报告', subs: all });
    }
    expect(await subReports('chengdong-town')).toEqual({ overall: '危化品领域评估总报告', subs: { [TOWN_CODES.chengdong]: all[TOWN_CODES.chengdong], [TOWN_CODES.nanmo]: null } });
    expect(await subReports('nanmo-leader')).toEqual({ overall: '危化品领域评估总报告', subs: { [TOWN_CODES.chengdong]: null, [TOWN_CODES.nanmo]: all[TOWN_CODES.nanmo] } });
    // 雅周镇 is not in the chemicals sector: it reads the overall report and no sub-report.
    expect(await subReports('yazhou-town')).toEqual({ overall: '危化品领域评估总报告', subs: { [TOWN_CODES.chengdong]: null, [TOWN_CODES.nanmo]: null } });
  });

  test('should hide a campaign from officials outside the district and from the public', async () => {
    for (const user of ['public', 'rugao-office', 'rucheng-town'] as const) {
      const result = await as[user](REPORTS, { id: finished });
      expect({ user, errors: result.errors, campaign: result.data?.campaign }).toEqual({ user, errors: undefined, campaign: null });
    }
    const malformed = await as['ha-office'](REPORTS, { id: 'not-an-id' });
    expect(malformed.data?.campaign).toBeNull();
  });

  const LIST = `query($filter: CampaignFilterInput, $first: Int!, $after: String) { campaigns(filter: $filter, first: $first, after: $after) {
    totalCount edges { cursor node { id name stage overdue } } pageInfo { hasNextPage endCursor } } }`;

  test('should list the campaigns a caller sees, soonest open deadline first, by stage, overdue, year and grade', async () => {
    const names = async (user: CampaignUser, filter: Record<string, unknown> = {}) => {
      const result = await as[user](LIST, { filter, first: 50 });
      expect(result.errors).toBeUndefined();
      return result.data!.campaigns.edges.map((e: { node: { name: string } }) => e.node.name);
    };
    const mine = await names('ha-office');
    expect(mine[0]).toBe('消防安全专项整治（进行中）');
    const first = await as['ha-office'](LIST, { first: 1 });
    expect(first.data!.campaigns.edges[0].node).toEqual({ id: running, name: '消防安全专项整治（进行中）', stage: 'SELF_EVALUATION', overdue: true });
    expect(mine).toContain('道路交通安全专项整治（已评估）');
    expect(await names('ha-office', { stage: ['FOLLOW_UP'] })).toEqual(['道路交通安全专项整治（已评估）']);
    expect(await names('ha-office', { overdue: true })).toEqual(['消防安全专项整治（进行中）']);
    expect(await names('ha-office', { year: 2025 })).toEqual(['道路交通安全专项整治（已评估）']);
    expect(await names('ha-office', { grade: 'POOR' })).toEqual(['道路交通安全专项整治（已评估）']);
    expect(await names('chengdong-town', { year: 2026, stage: ['SELF_EVALUATION'] })).toEqual(['消防安全专项整治（进行中）']);
    expect(await names('rugao-office', { year: 2025 })).toEqual([]);
    expect(await names('public')).toEqual([]);

    // Page by page with the cursor, each campaign once.
    const all = await as['ha-office'](LIST, { first: 200 });
    const total: number = all.data!.campaigns.totalCount;
    expect(total).toBe(all.data!.campaigns.edges.length);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: GraphQLResponse = await as['ha-office'](LIST, { first: 1, after });
      seen.push(...page.data!.campaigns.edges.map((e: { node: { id: string } }) => e.node.id));
      after = page.data!.campaigns.pageInfo.hasNextPage ? page.data!.campaigns.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(all.data!.campaigns.edges.map((e: { node: { id: string } }) => e.node.id));
    expect(errorCode(await as['ha-office'](LIST, { first: 1, after: 'bm90IGEgY3Vyc29y' }))).toBe('BAD_USER_INPUT');
  });

  test('should answer grades by town, sector, year and grade, with the priority (优) and veto (差) marks', async () => {
    const GRADES = `query($filter: CampaignGradeFilterInput) { campaignGrades(filter: $filter) { campaignId year unitKind unit sector grade priority veto
      townRegion { name } campaign { name } } }`;
    const vetoes = await as['ha-office'](GRADES, { filter: { year: 2025, grade: 'POOR' } });
    expect(vetoes.errors).toBeUndefined();
    expect(vetoes.data!.campaignGrades).toEqual([
      { campaignId: finished, year: 2025, unitKind: 'TOWN', unit: TOWN_CODES.nanmo, sector: 'HAZARDOUS_CHEMICALS', grade: 'POOR', priority: false, veto: true,
        townRegion: { name: '南莫镇' }, campaign: { name: '道路交通安全专项整治（已评估）' } },
      { campaignId: finished, year: 2025, unitKind: 'SECTOR', unit: 'CONSTRUCTION', sector: 'CONSTRUCTION', grade: 'POOR', priority: false, veto: true,
        townRegion: null, campaign: { name: '道路交通安全专项整治（已评估）' } },
    ]);
    const chengdong = await as['chengdong-town'](GRADES, { filter: { townRegionId: stack.world.regions.chengdong } });
    expect(chengdong.data!.campaignGrades).toEqual([
      expect.objectContaining({ unit: TOWN_CODES.chengdong, grade: 'EXCELLENT', priority: true, veto: false }),
    ]);
    const nanmo = await as['ha-housing'](GRADES, { filter: { campaignId: finished, townRegionId: stack.world.regions.nanmo, sector: 'CONSTRUCTION' } });
    expect(nanmo.data!.campaignGrades.map((g: { grade: string }) => g.grade)).toEqual(['GOOD']);
    expect((await as['rugao-office'](GRADES, { filter: { year: 2025 } })).data!.campaignGrades).toEqual([]);
    expect(errorCode(await as['ha-office'](GRADES, { filter: { townRegionId: 'x' } }))).toBe('NOT_FOUND');
  });
});

// ---- whole campaigns, through GraphQL alone ----

const STAGE = `query($id: ID!) { campaign(id: $id) { stage } }`;

async function act(user: CampaignUser, mutation: string, inputType: string, input: Record<string, unknown>, selection = 'stage'): Promise<Record<string, any>> {
  const result = await as[user](`mutation($in: ${inputType}!) { ${mutation}(input: $in) { ${selection} } }`, { in: input });
  if (result.errors) throw new Error(`${mutation} as ${user}: ${JSON.stringify(result.errors)}`);
  return result.data![mutation];
}

const stageIs = (id: string, stage: string) =>
  waitFor(() => as['ha-office'](STAGE, { id }), (r) => r.data?.campaign?.stage === stage, `campaign ${id} to reach ${stage}`);

async function selfEvaluate(campaignId: string, towns: [CampaignUser, CampaignUser, string][]): Promise<void> {
  for (const [official, leader, townRegionId] of towns) {
    const self = { campaignId, townRegionId, report: '自评报告：目标任务全部完成', targetTasks: ['排查整治危化品企业 12 家'], hazardRectifications: ['重大隐患 3 项已整改'], typicalPractices: ['网格化巡查'] };
    await act(official, 'submitTownSelfEvaluation', 'SubmitTownSelfEvaluationInput', self);
    await act(leader, 'approveTownSelfEvaluation', 'CampaignTownInput', { campaignId, townRegionId });
  }
}

describe('a campaign through GraphQL alone', () => {
  test('should take a three-year campaign that has ended through every stage to a look-back and closure', async () => {
    const { regions: r } = stack.world;
    const registered = await register('ha-office', campaignInput(stack.world, { name: '安全生产专项整治三年行动（2023-2026）' }));
    expect(registered.errors).toBeUndefined();
    const id: string = registered.data!.registerCampaign.id;
    expect(registered.data!.registerCampaign.fullPath).toBe(true);
    // Ended yesterday: the workflow starts the evaluation by itself.
    await stageIs(id, 'PREPARATION');

    const preparation = await act('ha-office', 'submitCampaignPreparation', 'SubmitCampaignPreparationInput', {
      campaignId: id,
      schedule: '2026年7月完成',
      scope: '全市三个镇、两个重点领域',
      duties: '市安委办牵头，各行业主管部门分领域评估',
      leadingGroup: [{ name: '顾主任', unit: '海安市安委办' }, { name: '徐教授', unit: '南京工业大学', expert: true }],
    }, 'stage preparation { leadingGroup { name expert } }');
    expect(preparation.stage).toBe('SELF_EVALUATION');

    // A town's leader sends its self-evaluation back once; approved the second time.
    const townRegionId = r.chengdong;
    const self = { campaignId: id, townRegionId, report: '初稿', targetTasks: ['a'], hazardRectifications: ['b'], typicalPractices: ['c'] };
    await act('chengdong-town', 'submitTownSelfEvaluation', 'SubmitTownSelfEvaluationInput', self);
    const returned = await act('chengdong-leader', 'returnTownSelfEvaluation', 'ReturnTownSelfEvaluationInput', { campaignId: id, townRegionId, reason: '隐患清单不完整' },
      'towns { townCode selfEvaluation { stage returns { reason } } }');
    expect(returned.towns.find((t: { townCode: string }) => t.townCode === TOWN_CODES.chengdong).selfEvaluation).toEqual({ stage: 'DRAFTING', returns: [{ reason: '隐患清单不完整' }] });
    // Another town's leader may not approve it.
    const other = await as['nanmo-leader'](`mutation($in: CampaignTownInput!) { approveTownSelfEvaluation(input: $in) { stage } }`, { in: { campaignId: id, townRegionId } });
    expect(errorCode(other)).toBe('FORBIDDEN');
    await selfEvaluate(id, [
      ['chengdong-town', 'chengdong-leader', r.chengdong],
      ['nanmo-town', 'nanmo-leader', r.nanmo],
      ['yazhou-town', 'yazhou-leader', r.yazhou],
    ]);
    await stageIs(id, 'SECTOR_REVIEW');

    const reviews: [CampaignUser, string, [string, string, string][]][] = [
      ['ha-emergency', 'HAZARDOUS_CHEMICALS', [[r.chengdong, 'EXCELLENT', '城东镇：整治成效显著'], [r.nanmo, 'POOR', '南莫镇：重大隐患未按期整改']]],
      ['ha-housing', 'CONSTRUCTION', [[r.nanmo, 'FAIR', '南莫镇：基本完成'], [r.yazhou, 'GOOD', '雅周镇：完成较好']]],
    ];
    for (const [lead, sector, towns] of reviews) {
      await act(lead, 'recordReviewMethod', 'RecordReviewMethodInput', { campaignId: id, sector, method: 'RANDOM_VISIT', on: today(), summary: '随机走访企业 10 家' });
      await act(lead, 'submitSectorReview', 'SubmitSectorReviewInput', {
        campaignId: id,
        sector,
        overall: `${sector} 领域评估报告`,
        subReports: towns.map(([town, , text]) => ({ townRegionId: town, text })),
        townGrades: towns.map(([town, grade]) => ({ townRegionId: town, grade })),
      });
      await act('ha-leader', 'approveSectorReview', 'CampaignSectorRefInput', { campaignId: id, sector });
    }
    await stageIs(id, 'COMPREHENSIVE_ASSESSMENT');

    // The town reads the overall report and its own sub-report only.
    const seen = await as['chengdong-town'](`query($id: ID!) { campaign(id: $id) { sectors { sector review { report { overall subReports { unit text } } grades { unit grade priority veto } } } } }`, { id });
    const chemicals = seen.data!.campaign.sectors.find((s: { sector: string }) => s.sector === 'HAZARDOUS_CHEMICALS').review;
    expect(chemicals.report).toEqual({
      overall: 'HAZARDOUS_CHEMICALS 领域评估报告',
      subReports: [{ unit: TOWN_CODES.chengdong, text: '城东镇：整治成效显著' }, { unit: TOWN_CODES.nanmo, text: null }],
    });
    expect(chemicals.grades).toEqual([
      { unit: TOWN_CODES.chengdong, grade: 'EXCELLENT', priority: true, veto: false },
      { unit: TOWN_CODES.nanmo, grade: 'POOR', priority: false, veto: true },
    ]);

    const assessment = {
      campaignId: id,
      overall: '综合评估报告',
      subReports: [{ sector: 'HAZARDOUS_CHEMICALS', text: '危化品领域' }, { sector: 'CONSTRUCTION', text: '建筑施工领域' }],
      sectorGrades: [{ sector: 'HAZARDOUS_CHEMICALS', grade: 'GOOD' }, { sector: 'CONSTRUCTION', grade: 'POOR' }],
    };
    await act('ha-office', 'submitCampaignAssessment', 'SubmitCampaignAssessmentInput', assessment);
    await act('ha-leader', 'returnCampaignAssessment', 'ReturnCampaignAssessmentInput', { campaignId: id, reason: '请补充建筑施工领域问题分析' });
    await act('ha-office', 'submitCampaignAssessment', 'SubmitCampaignAssessmentInput', assessment);
    expect((await act('ha-leader', 'approveCampaignAssessment', 'CampaignIdInput', { campaignId: id })).stage).toBe('FOLLOW_UP');

    for (const [user, town] of [['chengdong-town', r.chengdong], ['nanmo-town', r.nanmo], ['yazhou-town', r.yazhou]] as const) {
      await act(user, 'submitRectificationPlan', 'SubmitRectificationPlanInput', {
        campaignId: id, townRegionId: town, responsibility: '镇安监办', measures: '逐项销号', deadlineOn: daysFromToday(90),
      });
    }
    // A look-back scheduled for today falls due at once, and is recorded.
    const scheduled = await act('ha-emergency', 'scheduleLookBack', 'ScheduleLookBackInput', {
      campaignId: id, townRegionId: r.nanmo, sector: 'HAZARDOUS_CHEMICALS', reason: 'MAJOR_HAZARDS', scheduledOn: today(),
    }, 'followUp { lookBacks { id townCode stage } }');
    expect(scheduled.followUp.lookBacks).toEqual([{ id: expect.any(String), townCode: TOWN_CODES.nanmo, stage: expect.stringMatching(/SCHEDULED|DUE/) }]);
    const lookBackId: string = scheduled.followUp.lookBacks[0].id;
    const LOOK_BACKS = `query($id: ID!) { campaign(id: $id) { followUp { lookBacks { id stage dueSince findings resolved recordedAt } } } }`;
    await waitFor(() => as['ha-office'](LOOK_BACKS, { id }), (x) => x.data?.campaign?.followUp.lookBacks[0]?.stage === 'DUE', 'the look-back to fall due');
    await act('ha-emergency', 'recordLookBack', 'RecordLookBackInput', { campaignId: id, lookBackId, findings: '重大隐患已整改销号', resolved: true });
    const recorded = await waitFor(() => as['ha-office'](LOOK_BACKS, { id }), (x) => x.data?.campaign?.followUp.lookBacks[0]?.stage === 'RECORDED', 'the look-back to be recorded');
    expect(recorded.data!.campaign.followUp.lookBacks[0]).toMatchObject({ findings: '重大隐患已整改销号', resolved: true, recordedAt: expect.any(String), dueSince: expect.any(String) });

    await act('ha-office', 'recordCampaignInspection', 'RecordCampaignInspectionInput', { campaignId: id, townRegionId: r.nanmo, on: today(), findings: '整改到位' });
    // The parent hears of the recorded look-back by signal: closing waits until it has.
    const closed = await waitFor(
      () => as['ha-office'](`mutation($in: CampaignIdInput!) { closeCampaignFollowUp(input: $in) { stage closedAt } }`, { in: { campaignId: id } }),
      (x) => x.data?.closeCampaignFollowUp?.stage === 'CLOSED',
      'follow-up to close',
    );
    expect(closed.data!.closeCampaignFollowUp.closedAt).toEqual(expect.any(String));

    const whole = await as['ha-office'](`query($id: ID!) { campaign(id: $id) { ${CAMPAIGN_GRAPH} } }`, { id });
    expect(whole.errors).toBeUndefined();
    const c = whole.data!.campaign;
    expect(c).toMatchObject({ stage: 'CLOSED', overdue: false, allowedActions: [] });
    expect(c.grades).toHaveLength(6);
    expect(c.assessment).toMatchObject({ approvedBy: '海安市分管副市长 许某', returns: [{ reason: '请补充建筑施工领域问题分析' }] });
    expect(c.followUp.plans).toHaveLength(3);
    expect(c.auditTrail[0]).toMatchObject({ action: 'REGISTER', subjectType: 'campaign' });
    expect(c.auditTrail.map((e: { subjectType: string }) => e.subjectType)).toEqual(expect.arrayContaining(['campaign-town', 'campaign-sector', 'campaign-look-back']));
    const vetoes = await as['ha-office'](`query($id: ID!) { campaignGrades(filter: { campaignId: $id, grade: POOR }) { unitKind unit veto } }`, { id });
    expect(vetoes.data!.campaignGrades).toEqual([
      { unitKind: 'TOWN', unit: TOWN_CODES.nanmo, veto: true },
      { unitKind: 'SECTOR', unit: 'CONSTRUCTION', veto: true },
    ]);
  });

  test('should take an eight-month campaign the short path: the lead department files its own assessment', async () => {
    const { regions: r, departments: d } = stack.world;
    const registered = await register('ha-office', campaignInput(stack.world, {
      name: '危险化学品百日攻坚行动',
      kind: 'SECTOR',
      startsOn: monthsFromToday(-8),
      sectors: [{ sector: 'HAZARDOUS_CHEMICALS', leadDepartmentId: d.emergency, townRegionIds: [r.chengdong, r.nanmo] }],
    }));
    expect(registered.errors).toBeUndefined();
    const id: string = registered.data!.registerCampaign.id;
    expect(registered.data!.registerCampaign.fullPath).toBe(false);
    await stageIs(id, 'PREPARATION');
    await act('ha-emergency', 'submitCampaignPreparation', 'SubmitCampaignPreparationInput', {
      campaignId: id, schedule: '一个月内', scope: '两个镇', duties: '应急管理局牵头', leadingGroup: [{ name: '陈科长', unit: '海安市应急管理局' }],
    });
    await selfEvaluate(id, [['chengdong-town', 'chengdong-leader', r.chengdong], ['nanmo-town', 'nanmo-leader', r.nanmo]]);
    await stageIs(id, 'SECTOR_REVIEW');
    await act('ha-emergency', 'recordReviewMethod', 'RecordReviewMethodInput', { campaignId: id, sector: 'HAZARDOUS_CHEMICALS', method: 'LEDGER_SPOT_CHECK', on: today(), summary: '抽查台账 20 本' });
    await act('ha-emergency', 'submitSectorReview', 'SubmitSectorReviewInput', {
      campaignId: id,
      sector: 'HAZARDOUS_CHEMICALS',
      overall: '领域评估报告',
      subReports: [{ townRegionId: r.chengdong, text: '城东镇' }, { townRegionId: r.nanmo, text: '南莫镇' }],
      townGrades: [{ townRegionId: r.chengdong, grade: 'GOOD' }, { townRegionId: r.nanmo, grade: 'GOOD' }],
    });
    await act('ha-leader', 'approveSectorReview', 'CampaignSectorRefInput', { campaignId: id, sector: 'HAZARDOUS_CHEMICALS' });
    await stageIs(id, 'LEAD_ASSESSMENT');
    // On the short path the office does not assess: the lead department does.
    const assessment = {
      campaignId: id, overall: '牵头部门综合评估', subReports: [{ sector: 'HAZARDOUS_CHEMICALS', text: '危化品领域' }], sectorGrades: [{ sector: 'HAZARDOUS_CHEMICALS', grade: 'GOOD' }],
    };
    const byOffice = await as['ha-office'](`mutation($in: SubmitCampaignAssessmentInput!) { submitCampaignAssessment(input: $in) { stage } }`, { in: assessment });
    expect(errorCode(byOffice)).toBe('FORBIDDEN');
    const filed = await act('ha-emergency', 'submitCampaignAssessment', 'SubmitCampaignAssessmentInput', assessment, 'stage closedAt assessment { report { overall } }');
    expect(filed).toMatchObject({ stage: 'CLOSED', assessment: { report: { overall: '牵头部门综合评估' } } });
  });
});
