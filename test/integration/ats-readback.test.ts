// Read back before acting: with API credentials an inbound event is applied only as the ATS's
// API confirms it. Lever signs only token + triggeredAt, so a captured delivery with its
// opportunity id swapped for another still verifies; the read-back of that other opportunity
// does not match, and the event is refused. Without credentials the payload is taken as sent.
// A confirmed event is applied with what the ATS holds: the candidate the application names (name,
// emails) and the rejection's reason, whatever a signed payload said.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ashbySignatureHeader } from '../../src/modules/webhook-signatures/ashby.js';
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
  ats = await startFakeAts({ greenhouse: { clientId: 'gh-client', clientSecret: 'gh-secret-value' }, lever: { apiKey: 'lever-api-key' }, ashby: { apiKey: 'ashby-api-key' } });
  ctx = await createTestContext({
    OUTBOX_POLL_MS: '20',
    GREENHOUSE_API_URL: ats.url,
    GREENHOUSE_AUTH_URL: ats.url,
    LEVER_API_URL: ats.url,
    ASHBY_API_URL: ats.url,
    ATS_API_TIMEOUT_MS: '500',
  });
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

/** Hearback's candidate for an ATS candidate id, as the API shows it. */
async function candidateFrom(source: string, externalId: string) {
  const link = await ctx.deps.db.externalId.findFirstOrThrow({ where: { organizationId: org.id, entity: 'candidate', source, externalId } });
  const found = (await call('get', `/v1/candidates/${link.entityId}`)) as { name: string; emails: { address: string }[] };
  return { name: found.name, emails: found.emails.map((e) => e.address) };
}

describe('applied from what the ATS holds, not from the payload', () => {
  it('Greenhouse: a signed rejection naming another person and reason is applied with the candidate and reason Greenhouse shows', async () => {
    const gh = await inbound.connect('greenhouse');
    await call('put', `/v1/ats-connections/${gh.id}/credentials`, { clientId: 'gh-client', clientSecret: 'gh-secret-value' });
    ats.state.addApplication('greenhouse', {
      id: '5201',
      candidateId: '6201',
      jobId: '7201',
      status: 'rejected',
      reasonId: '102',
      candidateName: 'Grace Hopper',
      email: 'grace@ats.test',
    });
    const body = fixture('greenhouse/reject_candidate.json');
    body.payload.application.id = 5201;
    body.payload.application.candidate.id = 6201;
    body.payload.application.candidate.first_name = 'Mallory';
    body.payload.application.candidate.last_name = 'Forged';
    body.payload.application.candidate.email_addresses = [{ value: 'mallory@forged.test', type: 'personal' }];
    body.payload.application.rejection_reason = { id: 101, name: 'Forged reason', type: { id: 2, name: 'They rejected us' } };
    body.payload.application.jobs = [{ ...body.payload.application.jobs[0], id: 7201, name: 'Compiler Engineer' }];
    delete body.payload.application.job;
    const raw = JSON.stringify(body);
    const sent = await request(ctx.app.server).post(gh.url).set('content-type', 'application/json').set('signature', greenhouseSignatureHeader(raw, gh.secret)).send(raw);
    expect(sent.status).toBe(202);
    await inbound.settled(gh.id, 1);
    const [delivery] = await inbound.deliveries(gh.id);
    expect(delivery).toMatchObject({ status: 'processed' });
    expect(delivery.outcome).toContain('reason in greenhouse: “Another candidate was hired” (rejected by the organization)');
    expect(delivery.outcome).not.toContain('Forged');
    expect(await candidateFrom('greenhouse', '6201')).toMatchObject({ name: 'Grace Hopper', emails: ['grace@ats.test'] });
    expect(ats.state.requests.filter((r) => r.path === '/v3/candidates/6201')).toHaveLength(1);
  });

  it('Ashby: a signed archive naming another person and reason is applied with the candidate and reason Ashby shows', async () => {
    const ashby = await inbound.connect('ashby');
    await call('put', `/v1/ats-connections/${ashby.id}/credentials`, { apiKey: 'ashby-api-key' });
    ats.state.addApplication('ashby', {
      id: 'ash-app-1',
      candidateId: 'ash-cand-1',
      jobId: 'ash-job-1',
      status: 'rejected',
      reasonId: 'ar-withdrew',
      candidateName: 'Katherine Johnson',
      email: 'katherine@ats.test',
    });
    const body = fixture('ashby/applicationUpdate.json');
    body.data.application.id = 'ash-app-1';
    body.data.application.candidate = { id: 'ash-cand-1', name: 'Mallory Forged', primaryEmailAddress: { value: 'mallory@forged.test', type: 'Personal', isPrimary: true } };
    body.data.application.job.id = 'ash-job-1';
    body.data.application.archiveReason = { id: 'ar-skills', text: 'Forged reason', reasonType: 'RejectedByOrg', isArchived: false };
    const raw = JSON.stringify(body);
    const sent = await request(ctx.app.server).post(ashby.url).set('content-type', 'application/json').set('ashby-signature', ashbySignatureHeader(raw, ashby.secret)).send(raw);
    expect(sent.status).toBe(202);
    await inbound.settled(ashby.id, 1);
    const [delivery] = await inbound.deliveries(ashby.id);
    expect(delivery).toMatchObject({ status: 'processed' });
    expect(delivery.outcome).toContain('reason in ashby: “Withdrew” (rejected by the candidate)');
    expect(delivery.outcome).not.toContain('Forged');
    expect(await candidateFrom('ashby', 'ash-cand-1')).toMatchObject({ name: 'Katherine Johnson', emails: ['katherine@ats.test'] });
  });

  it('Lever: an archive whose signed-over payload names another reason is applied with the reason Lever shows, and the contact Lever holds', async () => {
    const lever = await inbound.connect('lever', LEVER_TOKEN);
    await call('put', `/v1/ats-connections/${lever.id}/credentials`, { apiKey: 'lever-api-key' });
    const requisition = await call('post', '/v1/requisitions', { title: 'Lever archive role' });
    const candidate = await call('post', '/v1/candidates', { name: 'Dorothy Vaughan', emails: ['dorothy@hearback.test'], externalIds: [{ source: 'lever', id: 'contact-30' }] });
    await call('post', '/v1/applications', { candidate: { id: candidate.id }, requisition: { id: requisition.id }, externalIds: [{ source: 'lever', id: 'opp-30' }] });
    ats.state.addApplication('lever', {
      id: 'opp-30',
      candidateId: 'contact-30',
      status: 'rejected',
      reasonId: 'reason-filled',
      candidateName: 'Dorothy Vaughan',
      email: 'dorothy@ats.test',
    });

    const signingToken = await leverWebhookToken(ctx, org, ats, lever.id, 'candidateArchiveChange');
    const triggeredAt = Date.now();
    const sent = await request(ctx.app.server)
      .post(lever.url)
      .set('content-type', 'application/json')
      .send({
        event: 'candidateArchiveChange',
        triggeredAt,
        token: 'tok-archive',
        signature: leverSignature('tok-archive', triggeredAt, signingToken),
        data: {
          opportunityId: 'opp-30',
          candidateId: 'contact-30',
          contactId: 'contact-30',
          fromArchived: null,
          toArchived: { archivedAt: triggeredAt, reason: 'reason-underqualified' },
        },
      });
    expect(sent.status).toBe(202);
    await inbound.settled(lever.id, 1);
    const [delivery] = await inbound.deliveries(lever.id);
    expect(delivery).toMatchObject({ status: 'processed' });
    expect(delivery.outcome).toContain('reason in lever: “Position filled”');
    expect(delivery.outcome).not.toContain('Underqualified');
    expect(ats.state.requests.filter((r) => r.path === '/v1/contacts/contact-30')).toHaveLength(1);
  });
});
