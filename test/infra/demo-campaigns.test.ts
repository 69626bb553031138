import type { RunningApi } from '../../api/server.js';
import { addDays, chinaDate } from '../../domain/calendar.js';
import { ensureDistrict, seedDemoCampaigns } from '../../infra/demo-campaigns.js';
import { seedDemo } from '../../infra/demo-data.js';
import { AuditEntry, Campaign, Region } from '../../schema/entities/index.js';
import { graphqlClient } from '../helpers/api.js';
import type { TestDatabase } from '../helpers/database.js';
import { startTestStack, waitFor, type TestStack } from '../helpers/stack.js';

// `npm start` with BIHUAN_SEED_DEMO: the demo's campaign evaluations are entered through the API as its officials,
// and what they leave is what a newcomer reads over GraphQL.
const TASK_QUEUE = 'demo-campaigns';
let stack: TestStack;
let db: TestDatabase;
let api: RunningApi;

/** A fresh system with the demo data set loaded as main-dev loads it (the campaigns follow once the worker polls). */
function withDemo(): void {
  beforeAll(async () => {
    stack = await startTestStack(TASK_QUEUE);
    ({ db, api } = stack);
    expect(await seedDemo(db.orm.em.fork(), new Date())).toBe('loaded');
  });
  afterAll(() => stack?.stop());
}

const CAMPAIGN = `query($id: ID!) { campaign(id: $id) { name kind stage fullPath overdue
  towns { townCode town { name } selfEvaluation { stage submittedBy approvedBy } plan { measures deadlineOn } }
  sectors { sector leadDepartment { name } review { stage approvedBy } }
  assessment { approvedBy }
  grades { unitKind unit sector grade priority veto townRegion { name } }
  followUp { lookBacks { townCode sector reason stage scheduledOn } }
  auditTrail { action actorName subjectType } } }`;

describe('the demo campaigns', () => {
  withDemo();

  test('should leave a graded campaign in follow-up and another in self-evaluation, entered by the demo officials, once', async () => {
    const now = new Date();
    const seeded = await seedDemoCampaigns(db.orm, stack.env.client, TASK_QUEUE, now);
    expect(seeded).not.toBeNull();
    const { finished, running } = seeded!;
    const office = await graphqlClient(api.url, 'qilin-office');

    const first = await office(CAMPAIGN, { id: finished });
    expect(first.errors).toBeUndefined();
    const c = first.data!.campaign;
    expect(c).toMatchObject({ kind: 'THREE_YEAR', stage: 'FOLLOW_UP', fullPath: true, assessment: { approvedBy: '麒麟区分管副区长 钱某' } });
    expect(c.towns.map((t: { town: { name: string } }) => t.town.name)).toEqual(['南宁街道', '白石江街道', '越州镇']);
    expect(c.towns.every((t: { selfEvaluation: { stage: string; approvedBy: string | null } }) => t.selfEvaluation.stage === 'APPROVED' && t.selfEvaluation.approvedBy)).toBe(true);
    expect(c.sectors.map((s: { review: { stage: string; approvedBy: string } }) => s.review)).toEqual([
      { stage: 'APPROVED', approvedBy: '麒麟区分管副区长 钱某' },
      { stage: 'APPROVED', approvedBy: '麒麟区分管副区长 钱某' },
    ]);
    // 优 gives priority (002 §15), 差 is a one-vote veto (002 §16).
    expect(c.grades).toEqual(expect.arrayContaining([
      { unitKind: 'TOWN', unit: '530302001', sector: 'CONSTRUCTION', grade: 'EXCELLENT', priority: true, veto: false, townRegion: { name: '南宁街道' } },
      { unitKind: 'TOWN', unit: '530302101', sector: 'ROAD_TRANSPORT', grade: 'POOR', priority: false, veto: true, townRegion: { name: '越州镇' } },
      expect.objectContaining({ unitKind: 'SECTOR', unit: 'CONSTRUCTION', grade: 'GOOD' }),
    ]));
    expect(c.grades).toHaveLength(6);
    const vetoed = await office(`query { campaignGrades(filter: { grade: POOR }) { campaignId unit veto } }`);
    expect(vetoed.data!.campaignGrades).toEqual([{ campaignId: finished, unit: '530302101', veto: true }]);
    // The vetoed town's plan is in, and its look-back waits some weeks ahead.
    expect(c.towns.find((t: { townCode: string }) => t.townCode === '530302101').plan).toMatchObject({ deadlineOn: expect.any(String) });
    expect(c.followUp.lookBacks).toEqual([
      { townCode: '530302101', sector: 'ROAD_TRANSPORT', reason: 'MAJOR_HAZARDS', stage: 'SCHEDULED', scheduledOn: chinaDate(addDays(now, 35)) },
    ]);
    // Each step was taken by the official whose step it is, and is in the audit trail.
    const actors = new Set(c.auditTrail.map((e: { actorName: string }) => e.actorName));
    for (const name of ['麒麟区安委办 李主任', '南宁街道 安全员 刘某', '越州镇分管副镇长 蒋某', '麒麟区住建局 王科长', '麒麟区交通运输局 赵科长', '麒麟区分管副区长 钱某']) {
      expect(actors).toContain(name);
    }
    // The new officials sign in like the others: the town leader sees the campaign, and only its own town's sub-report.
    const yuezhou = await graphqlClient(api.url, 'yuezhou-leader');
    const seen = await yuezhou(`query($id: ID!) { campaign(id: $id) { sectors { sector review { report { subReports { unit text } } } } } }`, { id: finished });
    const road = seen.data!.campaign.sectors.find((s: { sector: string }) => s.sector === 'ROAD_TRANSPORT');
    expect(road.review.report.subReports).toEqual([
      { unit: '530302001', text: null },
      { unit: '530302101', text: '越州镇：临水临崖路段防护设施缺口大，重大隐患未按期整改' },
    ]);

    const second = await office(CAMPAIGN, { id: running });
    expect(second.data!.campaign).toMatchObject({ kind: 'DISTRICT_WIDE', stage: 'SELF_EVALUATION', grades: [] });
    expect(second.data!.campaign.towns.map((t: { townCode: string; selfEvaluation: { stage: string } }) => [t.townCode, t.selfEvaluation.stage])).toEqual([
      ['530302001', 'AWAITING_APPROVAL'],
      ['530302003', 'DRAFTING'],
      ['530302101', 'DRAFTING'],
    ]);
    // A second start adds nothing: no campaign, no town, no audit entry (once the children's own first writes are in).
    const counts = async () => {
      const em = db.orm.em.fork();
      return { campaigns: await em.count(Campaign, {}), regions: await em.count(Region, {}), audit: await em.count(AuditEntry, {}) };
    };
    let before = await counts();
    for (let settled = false; !settled; ) {
      await new Promise((r) => setTimeout(r, 500));
      const again = await counts();
      settled = JSON.stringify(again) === JSON.stringify(before);
      before = again;
    }
    expect(await seedDemoCampaigns(db.orm, stack.env.client, TASK_QUEUE, new Date())).toBeNull();
    expect(await counts()).toEqual(before);

    // The demo is live: the town leader approves the submitted self-evaluation, as a user would.
    const nanning = (await db.orm.em.fork().findOneOrFail(Region, { code: '530302001' })).id;
    const approved = await (await graphqlClient(api.url, 'nanning-leader'))(
      `mutation($in: CampaignTownInput!) { approveTownSelfEvaluation(input: $in) { towns { townCode selfEvaluation { stage } } } }`,
      { in: { campaignId: running, townRegionId: nanning } },
    );
    expect(approved.errors).toBeUndefined();
    expect(approved.data!.approveTownSelfEvaluation.towns[0]).toEqual({ townCode: '530302001', selfEvaluation: { stage: 'APPROVED' } });
    const list = await office(`query { campaigns(first: 10) { totalCount } }`);
    expect(list.data!.campaigns.totalCount).toBe(2);
  });
});

describe('a demo start cut short', () => {
  withDemo();

  test('should be finished by the next start, from where it stopped', async () => {
    // What a start stopped after its first steps leaves: the first campaign registered and prepared, nothing else.
    const em = db.orm.em.fork();
    const qilin = await em.findOneOrFail(Region, { code: '530302' });
    const { towns, departments } = await ensureDistrict(em, qilin.id);
    const office = await graphqlClient(api.url, 'qilin-office');
    const registered = await office(`mutation($in: RegisterCampaignInput!, $key: String) { registerCampaign(input: $in, idempotencyKey: $key) { id } }`, {
      key: 'demo-campaign-three-year',
      in: {
        name: '麒麟区安全生产专项整治三年行动',
        kind: 'THREE_YEAR',
        startsOn: chinaDate(addDays(new Date(), -1200)),
        endsOn: chinaDate(addDays(new Date(), -120)),
        districtRegionId: qilin.id,
        dimensions: ['TARGET_TASKS'],
        sectors: [
          { sector: 'CONSTRUCTION', leadDepartmentId: departments.housing, townRegionIds: [towns.nanning, towns.baishijiang] },
          { sector: 'ROAD_TRANSPORT', leadDepartmentId: departments.transport, townRegionIds: [towns.nanning, towns.yuezhou] },
        ],
      },
    });
    expect(registered.errors).toBeUndefined();
    const id: string = registered.data!.registerCampaign.id;
    const STAGE = `query($id: ID!) { campaign(id: $id) { stage } }`;
    await waitFor(() => office(STAGE, { id }), (r) => r.data?.campaign?.stage === 'PREPARATION', 'the campaign to start');
    const prepared = await office(`mutation($in: SubmitCampaignPreparationInput!) { submitCampaignPreparation(input: $in) { stage } }`, {
      in: { campaignId: id, schedule: '三个月', scope: '全区', duties: '区安委办牵头', leadingGroup: [{ name: '李主任', unit: '麒麟区安委办' }] },
    });
    expect(prepared.data?.submitCampaignPreparation.stage).toBe('SELF_EVALUATION');

    const seeded = await seedDemoCampaigns(db.orm, stack.env.client, TASK_QUEUE, new Date());
    expect(seeded?.finished).toBe(id);
    const trail = await office(`query($id: ID!) { campaign(id: $id) { stage auditTrail { action } } }`, { id });
    expect(trail.data!.campaign.stage).toBe('FOLLOW_UP');
    // Prepared once: the next start took up the work where the first stopped.
    expect(trail.data!.campaign.auditTrail.filter((e: { action: string }) => e.action === 'SUBMIT_PREPARATION')).toHaveLength(1);
    expect((await office(STAGE, { id: seeded!.running })).data!.campaign.stage).toBe('SELF_EVALUATION');

  });
});
