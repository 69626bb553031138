import { Client, Connection } from '@temporalio/client';
import { startPendingCampaigns } from '../../api/campaign/campaign.service.js';
import { startApi } from '../../api/server.js';
import { campaignWorkflowId } from '../../domain/campaign.js';
import { graphqlClient, testTokenSettings } from '../helpers/api.js';
import { campaignInput, daysFromToday, insertCampaignWorld, type CampaignWorld } from '../helpers/campaign-world.js';
import { startTestStack, waitFor, type TestStack } from '../helpers/stack.js';

// A registration is committed before its workflow starts: when Temporal cannot be reached the official is told so,
// the campaign is kept, and the worker starts it when it next boots (infra/run-worker.ts).
const TASK_QUEUE = 'campaign-recovery';
let stack: TestStack;
let world: CampaignWorld;

beforeAll(async () => {
  stack = await startTestStack(TASK_QUEUE);
  world = await insertCampaignWorld(stack.db.orm.em.fork());
});

afterAll(() => stack?.stop());

const revisionOf = async (id: string): Promise<number> =>
  (await stack.db.orm.em.fork().getConnection().execute<{ revision: number }[]>('select revision from campaign where id = ?', [id]))[0]!.revision;

test('should keep a campaign registered while Temporal was unreachable and start it when the worker boots', async () => {
  // An API whose Temporal is down: nothing listens on port 1.
  const unreachable = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '1s' }) });
  const api = await startApi({ orm: stack.db.orm, temporal: unreachable, taskQueue: TASK_QUEUE, tokens: testTokenSettings }, { host: '127.0.0.1', port: 0 });
  try {
    const office = await graphqlClient(api.url, 'ha-office');
    const answer = await office(`mutation($in: RegisterCampaignInput!) { registerCampaign(input: $in) { id } }`, {
      in: campaignInput(world, { name: '危险化学品安全专项整治（补启）', endsOn: daysFromToday(-40) }),
    });
    expect(answer.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
  } finally {
    await api.stop();
  }
  const [row] = await stack.db.orm.em
    .fork()
    .getConnection()
    .execute<{ id: string }[]>(`select id from campaign where name = '危险化学品安全专项整治（补启）'`);
  expect(row).toBeDefined();
  expect(await revisionOf(row!.id)).toBe(0);

  expect(await startPendingCampaigns(stack.db.orm.em.fork(), stack.env.client, TASK_QUEUE)).toBe(1);
  const description = await stack.env.client.workflow.getHandle(campaignWorkflowId(row!.id)).describe();
  expect(description.status.name).toBe('RUNNING');
  // It ended forty days ago: the workflow moves it on by itself and writes its read model.
  await waitFor(() => revisionOf(row!.id), (revision) => revision > 0, 'the campaign workflow to write its first change');
  expect(await startPendingCampaigns(stack.db.orm.em.fork(), stack.env.client, TASK_QUEUE)).toBe(0);
});
