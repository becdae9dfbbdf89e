// The ATS learns what Hearback did, end to end through the API, the workers, the local Postmark
// server and local servers speaking Greenhouse Harvest v3, Lever and Ashby: credentials checked at
// save, a hire arriving by webhook, a rejection planned, confirmed, approved and sent, then
// exactly one rejection written to the ATS (mapped reason, no ATS email) and one note.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ashbySignatureHeader } from '../../src/modules/webhook-signatures/ashby.js';
import { greenhouseSignatureHeader } from '../../src/modules/webhook-signatures/greenhouse.js';
import { leverSignature } from '../../src/modules/webhook-signatures/lever.js';
import { startFakeAts, type FakeAts } from '../ats-fake/server.js';
import { atsFixture as fixture, atsInbound } from '../helpers/ats-inbound.js';
import { leverWebhookToken } from '../helpers/ats-webhooks.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { setUpSending, startDelivery } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { callAs, connectWithCredentials, rejectAndSendOne, writebackActivity } from '../helpers/ats-writeback.js';
import { eventually } from '../helpers/wait.js';
import { startPostmarkServer, type PostmarkFake } from '../postmark/server.js';

const LEVER_TOKEN = 'lever-signature-token-0123456789';
let ctx: TestContext;
let org: TestOrganization;
let ats: FakeAts;
let postmark: PostmarkFake;
let delivery: Awaited<ReturnType<typeof startDelivery>>;
let inbound: ReturnType<typeof atsInbound>;

beforeAll(async () => {
  ats = await startFakeAts({
    greenhouse: { clientId: 'gh-client', clientSecret: 'gh-secret-value' },
    lever: { apiKey: 'lever-api-key' },
    ashby: { apiKey: 'ashby-api-key' },
  });
  postmark = await startPostmarkServer();
  ctx = await createTestContext({
    OUTBOX_POLL_MS: '20',
    POSTMARK_API_URL: postmark.url,
    GREENHOUSE_API_URL: ats.url,
    GREENHOUSE_AUTH_URL: ats.url,
    LEVER_API_URL: ats.url,
    ASHBY_API_URL: ats.url,
    ATS_API_TIMEOUT_MS: '300',
    ATS_WRITEBACK_RETRY_BASE_MS: '20',
    ATS_WRITEBACK_MAX_ATTEMPTS: '6',
  });
  org = await createOrganization(ctx.deps);
  await setUpSending(ctx, org);
  delivery = await startDelivery(ctx);
  inbound = atsInbound(ctx, org);
});
afterAll(async () => {
  await delivery?.stop();
  await ctx?.close();
  await postmark?.close();
  await ats?.close();
});

const api = () => request(ctx.app.server);
const as = (key = org.adminKey) => bearer(key);
const call = (method: 'post' | 'put' | 'patch' | 'get', path: string, body?: object) => callAs(ctx, org, method, path, body);
/** The write-backs (the webhook calls Lever's and Ashby's registration made are beside them in the activity). */
const activity = async (connectionId: string) => (await writebackActivity(ctx, org, connectionId)).filter((a) => a.action !== 'webhook');
const rejectAndSend = (requisitionId: string, chosen: string, rejected: string, reasonCategory: string) =>
  rejectAndSendOne(ctx, org, postmark, { requisitionId, chosen, rejected, reasonCategory });
const connectWithApi = (provider: 'greenhouse' | 'lever' | 'ashby', credentials: object, reasonMap: object, settings?: object) =>
  connectWithCredentials(ctx, org, inbound, { provider, credentials, reasonMap, ...(settings ? { settings } : {}), leverToken: LEVER_TOKEN });

describe('credentials', () => {
  it('are checked at save with a harmless read, never returned, and show on the connection', async () => {
    const gh = await inbound.connect('greenhouse');
    const before = ats.state.writes.length;
    const refused = await api().put(`/v1/ats-connections/${gh.id}/credentials`).set(as()).send({ clientId: 'gh-client', clientSecret: 'wrong-secret' });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('ats_credentials_refused');
    const wrongShape = await api().put(`/v1/ats-connections/${gh.id}/credentials`).set(as()).send({ apiKey: 'lever-api-key' });
    expect(wrongShape.status).toBe(400);
    let listed = (await call('get', '/v1/ats-connections?limit=200')).data.find((c: { id: string }) => c.id === gh.id);
    expect(listed.api).toMatchObject({ verified: false, verifiedAt: null });

    const saved = await api().put(`/v1/ats-connections/${gh.id}/credentials`).set(as()).send({ clientId: 'gh-client', clientSecret: 'gh-secret-value', onBehalfOfUserId: '4080' });
    expect(saved.status).toBe(200);
    expect(saved.body.reasons).toEqual([
      { id: '101', text: 'Lacking skill(s)/qualification(s)' },
      { id: '102', text: 'Another candidate was hired' },
    ]);
    expect([...ats.state.tokens.values()].at(-1)?.sub).toBe('4080');
    expect(ats.state.writes.length).toBe(before);
    listed = (await call('get', '/v1/ats-connections?limit=200')).data.find((c: { id: string }) => c.id === gh.id);
    expect(listed.api).toMatchObject({ verified: true, lastError: null, reasonMap: {} });
    expect(JSON.stringify(listed)).not.toContain('gh-secret-value');
    const row = await ctx.deps.db.atsConnection.findUniqueOrThrow({ where: { id: gh.id } });
    expect(row.apiCredentials).not.toContain('gh-secret-value');

    // The reason map takes only reasons the ATS lists.
    const unknown = await api()
      .put(`/v1/ats-connections/${gh.id}/reason-map`)
      .set(as())
      .send({ reasonMap: { default: '999' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toBe('body.reasonMap.default');
    expect(
      (
        await api()
          .put(`/v1/ats-connections/${gh.id}/reason-map`)
          .set(as())
          .send({ reasonMap: { default: '102' } })
      ).status,
    ).toBe(200);

    // A read key sees the activity, not the credentials' routes.
    const reader = await call('post', '/v1/api-keys', { name: 'reader', scopes: ['read'] });
    expect((await api().put(`/v1/ats-connections/${gh.id}/credentials`).set(as(reader.secret)).send({ clientId: 'x', clientSecret: 'y' })).status).toBe(403);
    expect((await api().get(`/v1/ats-connections/${gh.id}/activity`).set(as(reader.secret))).status).toBe(200);

    // Forgotten: unverified again, and nothing is written back through it.
    expect((await api().delete(`/v1/ats-connections/${gh.id}/credentials`).set(as())).status).toBe(204);
    listed = (await call('get', '/v1/ats-connections?limit=200')).data.find((c: { id: string }) => c.id === gh.id);
    expect(listed.api.verified).toBe(false);
    expect((await ctx.deps.db.atsConnection.findUniqueOrThrow({ where: { id: gh.id } })).apiCredentials).toBeNull();
  });
});

describe('write-back at send', () => {
  it('Greenhouse: a hire by webhook, the duplicate’s rejection held back, the other candidate rejected once with the mapped reason, no Greenhouse email, one note', async () => {
    const gh = await connectWithApi('greenhouse', { clientId: 'gh-client', clientSecret: 'gh-secret-value' }, { skills_gap: '101', default: '102' });
    const send = async (body: object) => {
      const raw = JSON.stringify(body);
      expect((await api().post(gh.url).set('content-type', 'application/json').set('signature', greenhouseSignatureHeader(raw, gh.secret)).send(raw)).status).toBe(202);
    };
    const greenhouse = (action: string, ids: { application: number; candidate: number }, email: string) => {
      const body = fixture(`greenhouse/${action}.json`);
      const application = body.payload.application;
      application.id = ids.application;
      application.candidate.id = ids.candidate;
      application.candidate.email_addresses = [{ value: email, type: 'personal' }];
      application.jobs = [{ ...application.jobs[0], id: 7001, name: 'Platform Engineer' }];
      delete application.job;
      return body;
    };
    // The addresses the payloads carry are Greenhouse's too: what is applied is read back from it.
    ats.state.addApplication('greenhouse', { id: '9001', candidateId: '8001', jobId: '7001', status: 'hired', email: 'jo.doe@x.test' });
    ats.state.addApplication('greenhouse', { id: '9002', candidateId: '8002', jobId: '7001' });
    ats.state.addApplication('greenhouse', { id: '9003', candidateId: '8003', jobId: '7001', status: 'rejected', reasonId: '102', email: 'Jo.Doe@X.test' });
    await send(greenhouse('hire_candidate', { application: 9001, candidate: 8001 }, 'jo.doe@x.test'));
    await inbound.settled(gh.id, 1);
    // The hired person's duplicate record, rejected in Greenhouse: a plan that is blocked.
    await send(greenhouse('reject_candidate', { application: 9003, candidate: 8003 }, 'Jo.Doe@X.test'));
    await inbound.settled(gh.id, 2);
    const deliveries = await inbound.deliveries(gh.id);
    expect(deliveries[1].outcome).toMatch(/awaits confirmation \(1 blocked/);

    const resolve = async (externalId: string) =>
      (await ctx.deps.db.externalId.findFirstOrThrow({ where: { organizationId: org.id, source: 'greenhouse', externalId, entity: 'application' } })).entityId;
    const hired = await resolve('9001');
    const requisitionId = (await call('get', `/v1/applications/${hired}`)).requisitionId as string;
    // Another candidate on the job, synced from Greenhouse by the API.
    const sam = await call('post', '/v1/candidates', { name: 'Sam Other', emails: ['sam.other@x.test'], externalIds: [{ source: 'greenhouse', id: '8002' }] });
    const other = (await call('post', '/v1/applications', { candidate: { id: sam.id }, requisition: { id: requisitionId }, externalIds: [{ source: 'greenhouse', id: '9002' }] }))
      .id as string;
    const messageId = await rejectAndSend(requisitionId, hired, other, 'skills_gap');

    await eventually(async () => (await activity(gh.id)).map((a) => a.status)).toEqual(['done']);
    const rejects = ats.state.writesOf('greenhouse', /\/reject$/);
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({ path: '/v3/applications/9002/reject', body: { rejection_reason_id: 101 } });
    expect(rejects[0]!.body).not.toHaveProperty('rejection_email');
    expect(ats.state.emails).toEqual([]);
    expect(ats.state.notesOf('greenhouse', '8002')).toHaveLength(1);
    expect(ats.state.notesOf('greenhouse', '8002')[0]).toContain(`http://localhost:3000/v1/messages/${messageId}`);
    expect(ats.state.notesOf('greenhouse', '8001')).toEqual([]);
    expect((await activity(gh.id))[0]!.steps.map((s) => `${s.action}:${s.result}`)).toEqual(['reject:written', 'note:written']);

    // Run again (a retry, a redelivered job): it reads back first and writes nothing.
    const row = await ctx.deps.db.atsWriteback.findFirstOrThrow({ where: { connectionId: gh.id } });
    await ctx.deps.db.atsWriteback.update({ where: { id: row.id }, data: { status: 'pending' } });
    expect(await ctx.deps.atsWriteback.run(row.id)).toEqual({ status: 'done' });
    expect(ats.state.writesOf('greenhouse')).toHaveLength(2);
  });
});

describe('write-back at send: Lever and Ashby', () => {
  /** A requisition, the hired person and another candidate, synced by the API with the ATS's ids. */
  async function people(source: string, ids: { requisition: string; hired: [string, string]; other: [string, string] }) {
    const requisition = await call('post', '/v1/requisitions', { title: `${source} role`, externalIds: [{ source, id: ids.requisition }] });
    const make = async (name: string, email: string, [candidate, application]: [string, string]) => {
      const c = await call('post', '/v1/candidates', { name, emails: [email], externalIds: [{ source, id: candidate }] });
      return (await call('post', '/v1/applications', { candidate: { id: c.id }, requisition: { id: requisition.id }, externalIds: [{ source, id: application }] })).id as string;
    };
    return {
      requisitionId: requisition.id as string,
      hired: await make('Hana Hired', `hana.${source}@x.test`, ids.hired),
      other: await make('Otto Other', `otto.${source}@x.test`, ids.other),
    };
  }

  it('Lever: the hire archives with a hired reason (by webhook), the duplicate’s archive is held back; the other opportunity is archived once with the mapped non-hired reason, as the perform_as user, with one note', async () => {
    const reasons = [
      { id: 'reason-hired', text: 'Hired', type: 'hired' },
      { id: 'reason-underqualified', text: 'Underqualified', type: 'non-hired' },
      { id: 'reason-filled', text: 'Position filled', type: 'non-hired' },
    ];
    const lever = await connectWithApi(
      'lever',
      { apiKey: 'lever-api-key', performAs: 'user-77' },
      { skills_gap: 'reason-underqualified', default: 'reason-filled' },
      { archiveReasons: reasons },
    );
    // Only non-hired reasons can reject.
    expect(lever.reasons.map((r) => r.id)).toEqual(['reason-underqualified', 'reason-filled']);
    const { requisitionId, hired, other } = await people('lever', { requisition: 'posting-1', hired: ['contact-1', 'opp-1'], other: ['contact-2', 'opp-2'] });
    ats.state.addApplication('lever', {
      id: 'opp-1',
      candidateId: 'contact-1',
      status: 'hired',
      reasonId: 'reason-hired',
      candidateName: 'Hana Hired',
      email: 'hana.lever@x.test',
    });
    ats.state.addApplication('lever', { id: 'opp-2', candidateId: 'contact-2' });
    // Saving the credentials registered Lever's webhooks: each event is signed with its own webhook's token.
    const signingToken = await leverWebhookToken(ctx, org, ats, lever.id, 'candidateHired');
    const triggeredAt = Date.now();
    const body = {
      event: 'candidateHired',
      triggeredAt,
      token: 'tok-hire',
      signature: leverSignature('tok-hire', triggeredAt, signingToken),
      data: { opportunityId: 'opp-1', candidateId: 'contact-1', contactId: 'contact-1' },
    };
    expect((await api().post(lever.url).set('content-type', 'application/json').send(body)).status).toBe(202);
    await inbound.settled(lever.id, 1);
    expect((await call('get', `/v1/applications/${hired}`)).status).toBe('hired');
    // The hired person's second Lever contact (her address written another way; synced to Hearback
    // before: a Lever payload describes nobody), archived in Lever: a plan that is blocked.
    const twin = await call('post', '/v1/candidates', { name: 'Hana Hired', emails: ['Hana.Lever@X.test'], externalIds: [{ source: 'lever', id: 'contact-3' }] });
    await call('post', '/v1/applications', { candidate: { id: twin.id }, requisition: { id: requisitionId }, externalIds: [{ source: 'lever', id: 'opp-3' }] });
    ats.state.addApplication('lever', {
      id: 'opp-3',
      candidateId: 'contact-3',
      jobId: 'posting-1',
      status: 'rejected',
      reasonId: 'reason-underqualified',
      candidateName: 'Hana Hired',
      email: 'Hana.Lever@X.test',
    });
    const archiveToken = await leverWebhookToken(ctx, org, ats, lever.id, 'candidateArchiveChange');
    const archivedAt = Date.now();
    const archive = {
      event: 'candidateArchiveChange',
      triggeredAt: archivedAt,
      token: 'tok-archive',
      signature: leverSignature('tok-archive', archivedAt, archiveToken),
      data: { opportunityId: 'opp-3', candidateId: 'contact-3', contactId: 'contact-3', fromArchived: null, toArchived: { archivedAt, reason: 'reason-underqualified' } },
    };
    expect((await api().post(lever.url).set('content-type', 'application/json').send(archive)).status).toBe(202);
    await inbound.settled(lever.id, 2);
    expect((await inbound.deliveries(lever.id)).map((d: { outcome: string }) => d.outcome).join('\n')).toMatch(/awaits confirmation \(1 blocked/);

    const messageId = await rejectAndSend(requisitionId, hired, other, 'skills_gap');
    await eventually(async () => (await activity(lever.id)).map((a) => a.status)).toEqual(['done']);
    const archives = ats.state.writesOf('lever', /\/archived$/);
    expect(archives).toHaveLength(1);
    expect(archives[0]).toMatchObject({ path: '/v1/opportunities/opp-2/archived', body: { reason: 'reason-underqualified' }, query: { perform_as: 'user-77' } });
    expect(ats.state.notesOf('lever', 'opp-2')).toHaveLength(1);
    expect(ats.state.notesOf('lever', 'opp-2')[0]).toContain(messageId);
    expect(ats.state.writesOf('lever', /opp-1/)).toEqual([]);
  });

  it('Ashby: a hire by webhook, the duplicate’s archive held back; the other application moves to its plan’s Archived stage once with the mapped archive reason, no Ashby email, one note', async () => {
    const ashby = await connectWithApi('ashby', { apiKey: 'ashby-api-key' }, { default: 'ar-skills' });
    expect(ashby.reasons).toEqual([{ id: 'ar-skills', text: 'Skills' }]);
    const hire = fixture('ashby/candidateHire.json');
    const app = hire.data.application;
    const { requisitionId, hired, other } = await people('ashby', { requisition: app.job.id, hired: [app.candidate.id, app.id], other: ['cand-ashby-2', 'app-ashby-2'] });
    ats.state.addApplication('ashby', { id: app.id, candidateId: app.candidate.id, jobId: app.job.id, status: 'hired', candidateName: 'Hana Hired', email: 'hana.ashby@x.test' });
    ats.state.addApplication('ashby', { id: 'app-ashby-2', candidateId: 'cand-ashby-2', interviewPlanId: 'plan-9' });
    const raw = JSON.stringify(hire);
    expect((await api().post(ashby.url).set('content-type', 'application/json').set('ashby-signature', ashbySignatureHeader(raw, ashby.secret)).send(raw)).status).toBe(202);
    await inbound.settled(ashby.id, 1);
    expect((await inbound.deliveries(ashby.id))[0].outcome).toContain('(read back from ashby)');
    expect((await call('get', `/v1/applications/${hired}`)).status).toBe('hired');
    // The hired person's duplicate record (her address written another way), archived in Ashby: a plan that is blocked.
    const email = 'hana.ashby@x.test';
    ats.state.addApplication('ashby', {
      id: 'app-ashby-3',
      candidateId: 'cand-ashby-3',
      jobId: app.job.id,
      status: 'rejected',
      reasonId: 'ar-skills',
      candidateName: 'Hana Hired',
      email: email.toUpperCase(),
    });
    const archived = fixture('ashby/applicationUpdate.json');
    Object.assign(archived.data.application, {
      id: 'app-ashby-3',
      candidate: {
        ...archived.data.application.candidate,
        id: 'cand-ashby-3',
        name: app.candidate.name,
        primaryEmailAddress: { value: email.toUpperCase(), type: 'Personal', isPrimary: true },
      },
      job: { ...archived.data.application.job, id: app.job.id },
      archiveReason: { ...archived.data.application.archiveReason, id: 'ar-skills' },
    });
    const archivedRaw = JSON.stringify(archived);
    expect(
      (await api().post(ashby.url).set('content-type', 'application/json').set('ashby-signature', ashbySignatureHeader(archivedRaw, ashby.secret)).send(archivedRaw)).status,
    ).toBe(202);
    await inbound.settled(ashby.id, 2);
    expect((await inbound.deliveries(ashby.id)).map((d: { outcome: string }) => d.outcome).join('\n')).toMatch(/awaits confirmation \(1 blocked/);

    await rejectAndSend(requisitionId, hired, other, 'experience_level');
    await eventually(async () => (await activity(ashby.id)).map((a) => a.status)).toEqual(['done']);
    const moves = ats.state.writesOf('ashby', /changeStage/);
    expect(moves).toHaveLength(1);
    expect(moves[0]!.body).toEqual({ applicationId: 'app-ashby-2', interviewStageId: 'plan-9-archived', archiveReasonId: 'ar-skills' });
    expect(ats.state.emails).toEqual([]);
    expect(ats.state.notesOf('ashby', 'cand-ashby-2')).toHaveLength(1);
  });
});
