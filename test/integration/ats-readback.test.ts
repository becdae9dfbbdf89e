// Read back before acting: with API credentials an inbound event is applied only as the ATS's
// API confirms it. Lever signs only token + triggeredAt, so a captured delivery with its
// opportunity id swapped for another still verifies; the read-back of that other opportunity
// does not match, and the event is refused. Without credentials the payload is taken as sent.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greenhouseSignatureHeader } from '../../src/modules/webhook-signatures/greenhouse.js';
import { leverSignature } from '../../src/modules/webhook-signatures/lever.js';
import { startFakeAts, type FakeAts } from '../ats-fake/server.js';
import { atsFixture as fixture, atsInbound } from '../helpers/ats-inbound.js';
import { leverWebhookToken } from '../helpers/ats-webhooks.js';
import { callAs } from '../helpers/ats-writeback.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { startDelivery } from '../helpers/delivery.js';
import { createOrganization, type TestOrganization } from '../helpers/factories.js';

const LEVER_TOKEN = 'lever-signature-token-0123456789';
let ctx: TestContext;
let org: TestOrganization;
let ats: FakeAts;
let delivery: Awaited<ReturnType<typeof startDelivery>>;
let inbound: ReturnType<typeof atsInbound>;

beforeAll(async () => {
  ats = await startFakeAts({ greenhouse: { clientId: 'gh-client', clientSecret: 'gh-secret-value' }, lever: { apiKey: 'lever-api-key' } });
  ctx = await createTestContext({ OUTBOX_POLL_MS: '20', GREENHOUSE_API_URL: ats.url, GREENHOUSE_AUTH_URL: ats.url, LEVER_API_URL: ats.url, ATS_API_TIMEOUT_MS: '500' });
  org = await createOrganization(ctx.deps);
  delivery = await startDelivery(ctx);
  inbound = atsInbound(ctx, org);
});
afterAll(async () => {
  await delivery?.stop();
  await ctx?.close();
  await ats?.close();
});

const call = (method: 'post' | 'put' | 'patch' | 'get', path: string, body?: object) => callAs(ctx, org, method, path, body);
const status = async (applicationId: string) => (await call('get', `/v1/applications/${applicationId}`)).status as string;

describe('read back before acting', () => {
  it('Lever: a signed delivery whose opportunity was swapped for another is refused; the genuine one is applied', async () => {
    const lever = await inbound.connect('lever', LEVER_TOKEN);
    await call('put', `/v1/ats-connections/${lever.id}/credentials`, { apiKey: 'lever-api-key' });
    const requisition = await call('post', '/v1/requisitions', { title: 'Lever role' });
    const application = async (name: string, opportunity: string) => {
      const candidate = await call('post', '/v1/candidates', { name, emails: [`${opportunity}@x.test`] });
      return (await call('post', '/v1/applications', { candidate: { id: candidate.id }, requisition: { id: requisition.id }, externalIds: [{ source: 'lever', id: opportunity }] }))
        .id as string;
    };
    const hired = await application('Hana Hired', 'opp-10');
    const bystander = await application('Bo Bystander', 'opp-11');
    ats.state.addApplication('lever', { id: 'opp-10', candidateId: 'contact-10', status: 'hired', reasonId: 'reason-hired' });
    ats.state.addApplication('lever', { id: 'opp-11', candidateId: 'contact-11' });

    // The signed part (token, triggeredAt) is genuine; the opportunity is not the one hired.
    const signingToken = await leverWebhookToken(ctx, org, ats, lever.id, 'candidateHired');
    const triggeredAt = Date.now();
    const signed = { event: 'candidateHired', triggeredAt, token: 'tok-forged', signature: leverSignature('tok-forged', triggeredAt, signingToken) };
    const forged = await request(ctx.app.server)
      .post(lever.url)
      .set('content-type', 'application/json')
      .send({ ...signed, data: { opportunityId: 'opp-11', candidateId: 'contact-11', contactId: 'contact-11' } });
    expect(forged.status).toBe(202);
    await inbound.settled(lever.id, 1);
    expect((await inbound.deliveries(lever.id))[0]).toMatchObject({
      status: 'failed',
      outcome: 'refused: lever shows application opp-11 active, which a hire event cannot leave it (read back)',
    });
    expect(await status(bystander)).toBe('active');

    const genuineAt = triggeredAt + 1;
    const genuine = {
      event: 'candidateHired',
      triggeredAt: genuineAt,
      token: 'tok-genuine',
      signature: leverSignature('tok-genuine', genuineAt, signingToken),
      data: { opportunityId: 'opp-10', candidateId: 'contact-10', contactId: 'contact-10' },
    };
    expect((await request(ctx.app.server).post(lever.url).set('content-type', 'application/json').send(genuine)).status).toBe(202);
    await inbound.settled(lever.id, 2);
    expect((await inbound.deliveries(lever.id))[1]).toMatchObject({ status: 'processed', outcome: expect.stringMatching(/^recorded hire .* \(read back from lever\)$/) });
    expect(await status(hired)).toBe('hired');
    expect(ats.state.requests.filter((r) => r.provider === 'lever' && r.path.startsWith('/v1/opportunities/')).map((r) => r.path)).toEqual([
      '/v1/opportunities/opp-11',
      '/v1/opportunities/opp-10',
    ]);
  });

  it('Greenhouse: a payload whose candidate is not the application’s is refused; an ATS that is down is retried, not guessed', async () => {
    const gh = await inbound.connect('greenhouse');
    await call('put', `/v1/ats-connections/${gh.id}/credentials`, { clientId: 'gh-client', clientSecret: 'gh-secret-value' });
    ats.state.addApplication('greenhouse', { id: '5001', candidateId: '6001', jobId: '7001', status: 'hired' });
    const hire = (candidate: number) => {
      const body = fixture('greenhouse/hire_candidate.json');
      body.payload.application.id = 5001;
      body.payload.application.candidate.id = candidate;
      body.payload.application.candidate.email_addresses = [{ value: `c${candidate}@x.test`, type: 'personal' }];
      body.payload.application.jobs = [{ ...body.payload.application.jobs[0], id: 7001, name: 'Platform Engineer' }];
      delete body.payload.application.job;
      return JSON.stringify(body);
    };
    const send = (raw: string) =>
      request(ctx.app.server).post(gh.url).set('content-type', 'application/json').set('signature', greenhouseSignatureHeader(raw, gh.secret)).send(raw);
    expect((await send(hire(6999))).status).toBe(202);
    await inbound.settled(gh.id, 1);
    expect((await inbound.deliveries(gh.id))[0]).toMatchObject({
      status: 'failed',
      outcome: expect.stringContaining("the payload's candidate 6999 is not application 5001's (6001 in greenhouse)"),
    });

    ats.state.fail('greenhouse', { method: 'GET', path: /^\/v3\/applications\/5001$/ }, { status: 503 }, 2);
    expect((await send(hire(6001))).status).toBe(202);
    await inbound.settled(gh.id, 2);
    expect((await inbound.deliveries(gh.id))[1]).toMatchObject({ status: 'processed', outcome: expect.stringContaining('(read back from greenhouse)') });
    expect(ats.state.requests.filter((r) => r.path === '/v3/applications/5001').length).toBe(4);
  });
});
