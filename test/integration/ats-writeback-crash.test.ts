// A worker killed (SIGKILL) in the middle of a write-back, after the email left and after
// Greenhouse wrote the rejection but before Hearback heard back: after a restart the candidate
// has one email and Greenhouse one rejection and one note. The write-back's row, not the lost
// job, carries the work: the workers' clock takes back a write-back nothing holds any more.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeAts, type FakeAts } from '../ats-fake/server.js';
import { atsInbound } from '../helpers/ats-inbound.js';
import { callAs, connectWithCredentials } from '../helpers/ats-writeback.js';
import { createTestContext, REDIS_URL, type TestContext } from '../helpers/context.js';
import { setUpSending } from '../helpers/delivery.js';
import { createOrganization, type TestOrganization } from '../helpers/factories.js';
import { startProcess } from '../helpers/process.js';
import { waitFor } from '../helpers/wait.js';
import { startPostmarkServer, type PostmarkFake } from '../postmark/server.js';

const FAST = {
  OUTBOX_POLL_MS: '50',
  DELIVERY_POLL_MS: '100',
  DELIVERY_STALE_MS: '1000',
  DELIVERY_RECONCILE_DELAY_MS: '0',
  ATS_API_TIMEOUT_MS: '500',
  ATS_WRITEBACK_RETRY_BASE_MS: '20',
  ATS_WRITEBACK_MAX_ATTEMPTS: '50',
};
let ctx: TestContext;
let org: TestOrganization;
let ats: FakeAts;
let postmark: PostmarkFake;

beforeAll(async () => {
  ats = await startFakeAts({ greenhouse: { clientId: 'gh-client', clientSecret: 'gh-secret-value' } });
  postmark = await startPostmarkServer();
  ctx = await createTestContext({ ...FAST, POSTMARK_API_URL: postmark.url, GREENHOUSE_API_URL: ats.url, GREENHOUSE_AUTH_URL: ats.url });
  org = await createOrganization(ctx.deps);
  await setUpSending(ctx, org);
});
afterAll(async () => {
  await ctx?.close();
  await postmark?.close();
  await ats?.close();
});

it('a worker killed between Greenhouse’s write and Hearback’s record of it: after a restart, one email, one rejection, one note', async () => {
  const call = (method: 'post' | 'get', path: string, body?: object) => callAs(ctx, org, method, path, body);
  const connection = await connectWithCredentials(ctx, org, atsInbound(ctx, org), {
    provider: 'greenhouse',
    credentials: { clientId: 'gh-client', clientSecret: 'gh-secret-value' },
    reasonMap: { default: '101' },
    leverToken: '',
  });
  const requisition = await call('post', '/v1/requisitions', { title: 'Crash role', externalIds: [{ source: 'greenhouse', id: '77' }] });
  const make = async (name: string, candidate: string, application: string) => {
    ats.state.addApplication('greenhouse', { id: application, candidateId: candidate, jobId: '77' });
    const c = await call('post', '/v1/candidates', { name, emails: [`${candidate}@x.test`], externalIds: [{ source: 'greenhouse', id: candidate }] });
    return (await call('post', '/v1/applications', { candidate: { id: c.id }, requisition: { id: requisition.id }, externalIds: [{ source: 'greenhouse', id: application }] }))
      .id as string;
  };
  const hired = await make('Hana Hired', '701', '7701');
  const other = await make('Otto Other', '702', '7702');
  await call('post', '/v1/decisions', { application: { id: hired }, kind: 'hire' });
  const plan = await call('post', `/v1/requisitions/${requisition.id}/plans`, { chosen: [{ applicationId: hired }], targets: { mode: 'list', applicationIds: [other] } });
  const messageId = (await call('post', `/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [hired] })).messages[0].id as string;
  await ctx.deps.messages.renderPlan(plan.id);
  await call('post', `/v1/messages/${messageId}/approve`, { contentVersion: 1, overrideReason: 'Reviewed for the crash test' });

  // Greenhouse rejects and never answers; notes hang: the first worker can never finish.
  ats.state.fail('greenhouse', { method: 'POST', path: /\/reject$/ }, { hangAfterWrite: true });
  ats.state.fail('greenhouse', { method: 'POST', path: /^\/v3\/notes$/ }, { hang: true }, 1000);
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: ctx.database.url,
    REDIS_URL,
    REDIS_PREFIX: ctx.config.REDIS_PREFIX,
    PUBLIC_BASE_URL: ctx.config.PUBLIC_BASE_URL,
    POSTMARK_API_URL: postmark.url,
    GREENHOUSE_API_URL: ats.url,
    GREENHOUSE_AUTH_URL: ats.url,
    ...FAST,
  };
  const first = startProcess('workers/main.ts', env);
  try {
    await first.waitForLog((r) => r.msg === 'workers started');
    await waitFor(
      () => ats.state.writesOf('greenhouse', /\/reject$/).length,
      (n) => n === 1,
      { what: 'Greenhouse to reject', intervalMs: 5, checks: 4000, progress: () => [ats.state.requests.length, postmark.messages().length, first.logs.length] },
    );
  } finally {
    expect((await first.stop('SIGKILL')).signal).toBe('SIGKILL');
  }
  expect(postmark.messages().filter((m) => m.Metadata?.hearback_message_id === messageId)).toHaveLength(1);
  const atKill = await ctx.deps.db.atsWriteback.findFirstOrThrow({ where: { connectionId: connection.id } });
  expect(atKill.status).toBe('pending');

  ats.state.clearFaults();
  const second = startProcess('workers/main.ts', env);
  try {
    await waitFor(
      () => ctx.deps.db.atsWriteback.findFirstOrThrow({ where: { connectionId: connection.id } }),
      (row) => row.status !== 'pending',
      {
        what: 'the write-back to finish after the restart',
        progress: () => ats.state.requests.length,
      },
    );
  } finally {
    await second.stop();
  }
  const done = await ctx.deps.db.atsWriteback.findFirstOrThrow({ where: { connectionId: connection.id } });
  expect(done.status).toBe('done');
  expect(ats.state.writesOf('greenhouse', /\/reject$/)).toHaveLength(1);
  expect(ats.state.notesOf('greenhouse', '702')).toHaveLength(1);
  expect(ats.state.notesOf('greenhouse', '701')).toEqual([]);
  expect(postmark.messages().filter((m) => m.Metadata?.hearback_message_id === messageId)).toHaveLength(1);
});
