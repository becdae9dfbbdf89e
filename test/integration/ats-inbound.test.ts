// ATS webhooks into Hearback, end to end through the workers: signatures, storage of what was
// refused, deduplication, mapping to hires, rejections (as plans with every check), un-rejects,
// connection settings (Lever's archive reasons), Ashby un-archives, and replays.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ashbySignatureHeader } from '../../src/modules/webhook-signatures/ashby.js';
import { webhookHeaders } from '../../src/modules/webhook-signatures/standard-webhooks.js';
import { greenhouseSignatureHeader } from '../../src/modules/webhook-signatures/greenhouse.js';
import { leverSignature } from '../../src/modules/webhook-signatures/lever.js';
import { atsFixture as fixture, atsInbound } from '../helpers/ats-inbound.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { startDelivery } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';

let ctx: TestContext;
let org: TestOrganization;
let delivery: Awaited<ReturnType<typeof startDelivery>>;
let connect: ReturnType<typeof atsInbound>['connect'];
let deliveries: ReturnType<typeof atsInbound>['deliveries'];
let settled: ReturnType<typeof atsInbound>['settled'];

beforeAll(async () => {
  ctx = await createTestContext({ OUTBOX_POLL_MS: '20' });
  org = await createOrganization(ctx.deps);
  delivery = await startDelivery(ctx);
  ({ connect, deliveries, settled } = atsInbound(ctx, org));
});
afterAll(async () => {
  await delivery?.stop();
  await ctx?.close();
});

const api = () => request(ctx.app.server);
const post = (path: string, body: object) => api().post(path).set(bearer(org.adminKey)).send(body);
const patchConnection = (id: string, body: object, key = org.adminKey) => api().patch(`/v1/ats-connections/${id}`).set(bearer(key)).send(body);
const replay = (deliveryId: string, key = org.adminKey) => api().post(`/v1/inbound-deliveries/${deliveryId}/replay`).set(bearer(key));
const applicationStatus = async (id: string) => (await api().get(`/v1/applications/${id}`).set(bearer(org.adminKey))).body.status;

/** A Greenhouse application payload for one person and one job, from the documented example. */
function greenhouse(action: 'hire_candidate' | 'reject_candidate', ids: { application: number; candidate: number; job: number }, email: string) {
  const body = fixture(`greenhouse/${action}.json`);
  const application = body.payload.application;
  application.id = ids.application;
  application.candidate.id = ids.candidate;
  application.candidate.email_addresses = [{ value: email, type: 'personal' }];
  application.jobs = [{ ...application.jobs[0], id: ids.job, name: 'Platform Engineer' }];
  delete application.job;
  return body;
}

describe('ATS webhooks in', () => {
  it('Greenhouse: a hire, then a rejection of the same person under a duplicate record, is blocked', async () => {
    const gh = await connect('greenhouse');
    const send = (body: object, eventId: string, secret = gh.secret) => {
      const raw = JSON.stringify(body);
      return api().post(gh.url).set('content-type', 'application/json').set('signature', greenhouseSignatureHeader(raw, secret)).set('greenhouse-event-id', eventId).send(raw);
    };
    expect((await send(greenhouse('hire_candidate', { application: 9001, candidate: 8001, job: 7001 }, 'jo.doe@x.test'), 'evt-hire')).status).toBe(202);
    await settled(gh.id, 1);
    // The duplicate record: another Greenhouse candidate, the same address in other case.
    expect((await send(greenhouse('reject_candidate', { application: 9002, candidate: 8002, job: 7001 }, 'Jo.Doe@X.test'), 'evt-reject')).status).toBe(202);
    await settled(gh.id, 2);

    const [hire, reject] = await deliveries(gh.id);
    expect(hire).toMatchObject({ eventType: 'hire_candidate', status: 'processed', outcome: expect.stringContaining('recorded hire') });
    expect(reject).toMatchObject({ eventType: 'reject_candidate', status: 'processed', outcome: expect.stringMatching(/plan .* awaits confirmation \(1 blocked/) });
    const planId = /plan ([0-9a-f-]{36})/.exec(reject.outcome)![1];
    const plan = (await api().get(`/v1/plans/${planId}`).set(bearer(org.adminKey))).body;
    expect(plan.items[0].checks.map((c: { code: string }) => c.code)).toContain('has_offer_or_hire');
    // Nothing was sent: a plan waits for a person, and this one cannot be confirmed as it is.
    expect((await api().get('/v1/messages').set(bearer(org.adminKey))).body.data).toEqual([]);

    // The same event again: acknowledged, changes nothing.
    const again = await send(greenhouse('reject_candidate', { application: 9002, candidate: 8002, job: 7001 }, 'Jo.Doe@X.test'), 'evt-reject');
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ received: true, duplicate: true });
    expect(await deliveries(gh.id)).toHaveLength(2);
  });

  it('refuses unsigned, wrongly signed and malformed deliveries, and keeps them for inspection', async () => {
    const gh = await connect('greenhouse');
    const raw = JSON.stringify(greenhouse('hire_candidate', { application: 1, candidate: 2, job: 3 }, 'a@x.test'));
    const unsigned = await api().post(gh.url).set('content-type', 'application/json').send(raw);
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.code).toBe('signature_invalid');
    const wrong = await api().post(gh.url).set('content-type', 'application/json').set('signature', greenhouseSignatureHeader(raw, 'not-the-secret')).send(raw);
    expect(wrong.status).toBe(401);
    const garbage = await api().post(gh.url).set('content-type', 'application/json').send('{"action": ');
    expect(garbage.status).toBe(400);
    const stored = await deliveries(gh.id);
    expect(stored.map((d: { status: string }) => d.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(stored[2].rawBody).toBe('{"action": ');
    expect((await api().post('/webhooks/ats/00000000-0000-7000-8000-000000000000').send('{}')).status).toBe(404);
  });

  it('acknowledges and records event types it does not act on', async () => {
    const gh = await connect('greenhouse');
    const raw = JSON.stringify({ action: 'prospect_created', payload: {} });
    expect((await api().post(gh.url).set('content-type', 'application/json').set('signature', greenhouseSignatureHeader(raw, gh.secret)).send(raw)).status).toBe(202);
    await settled(gh.id, 1);
    expect((await deliveries(gh.id))[0]).toMatchObject({ status: 'ignored', eventType: 'prospect_created' });
  });

  it('Lever: signed in the body; a hire on a known application is recorded', async () => {
    const lever = await connect('lever', 'lever-signature-token-0123456789');
    const post = (path: string, body: object) => api().post(path).set(bearer(org.adminKey)).send(body);
    const req = (await post('/v1/requisitions', { title: 'Lever role' })).body;
    const cand = (await post('/v1/candidates', { name: 'Lee Ver', emails: ['lee@x.test'] })).body;
    const app = (await post('/v1/applications', { candidate: { id: cand.id }, requisition: { id: req.id }, externalIds: [{ source: 'lever', id: 'opp-123' }] })).body;
    const triggeredAt = Date.now();
    const token = 'tok-1';
    const body = {
      event: 'candidateHired',
      triggeredAt,
      token,
      signature: leverSignature(token, triggeredAt, 'lever-signature-token-0123456789'),
      data: { opportunityId: 'opp-123', candidateId: 'c-1', contactId: 'c-1' },
    };
    expect((await api().post(lever.url).set('content-type', 'application/json').send(body)).status).toBe(202);
    await settled(lever.id, 1);
    expect((await api().get(`/v1/applications/${app.id}`).set(bearer(org.adminKey))).body.status).toBe('hired');
    const forged = { ...body, token: 'tok-2' };
    expect((await api().post(lever.url).set('content-type', 'application/json').send(forged)).status).toBe(401);
  });

  it('generic (Standard Webhooks): an un-reject cancels what was about to be sent', async () => {
    const generic = await connect('generic');
    const post = (path: string, body: object) => api().post(path).set(bearer(org.adminKey)).send(body);
    const req = (await post('/v1/requisitions', { title: 'Generic role' })).body;
    const chosen = (await post('/v1/candidates', { name: 'Chosen One', emails: ['chosen@x.test'] })).body;
    const other = (await post('/v1/candidates', { name: 'Other Person', emails: ['other@x.test'] })).body;
    const chosenApp = (await post('/v1/applications', { candidate: { id: chosen.id }, requisition: { id: req.id } })).body;
    await post('/v1/applications', { candidate: { id: other.id }, requisition: { id: req.id }, externalIds: [{ source: 'generic', id: 'app-77' }] });
    const plan = (await post(`/v1/requisitions/${req.id}/plans`, { chosen: [{ applicationId: chosenApp.id }], targets: { mode: 'all_others_active' } })).body;
    const confirmation = (await post(`/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [chosenApp.id] })).body;
    const messageId = confirmation.messages[0].id;

    const raw = JSON.stringify({ type: 'application.unrejected', id: 'evt-77', data: { application: { externalId: 'app-77' } } });
    const headers = webhookHeaders({ id: 'evt-77', timestamp: Math.floor(Date.now() / 1000), body: raw, secrets: [generic.secret] });
    expect((await api().post(generic.url).set('content-type', 'application/json').set(headers).send(raw)).status).toBe(202);
    await settled(generic.id, 1);
    expect((await deliveries(generic.id))[0].outcome).toContain('1 pending message(s) cancelled');
    expect((await api().get(`/v1/messages/${messageId}`).set(bearer(org.adminKey))).body.status).toBe('cancelled');
  });
});

describe('Lever archives: settings, then replay', () => {
  const TOKEN = 'lever-signature-token-archives-0123';
  // As Lever's GET /archive_reasons lists them (ids from the fixture's sandbox and made up).
  const HIRED = 'ddc474e6-67bd-480e-9513-4a9720fa9599';
  const NOT_A_FIT = 'b3f8c1a2-0000-4000-8000-000000000001';
  const leverArchiveReasons = [
    { id: HIRED, text: 'Hired', status: 'active', type: 'hired' },
    { id: NOT_A_FIT, text: 'Not a fit for this role', status: 'active', type: 'non-hired', createdAt: 1431458021951 },
  ];
  let sent = 0;
  const archiveChange = async (url: string, opportunityId: string, change: object) => {
    const triggeredAt = Date.now();
    const token = `tok-archive-${++sent}`;
    const body = {
      event: 'candidateArchiveChange',
      triggeredAt,
      token,
      signature: leverSignature(token, triggeredAt, TOKEN),
      data: { opportunityId, candidateId: `cand-${opportunityId}`, contactId: `cand-${opportunityId}`, fromArchived: null, toArchived: null, ...change },
    };
    expect((await api().post(url).set('content-type', 'application/json').send(body)).status).toBe(202);
  };
  const leverApplication = async (requisitionId: string, name: string, email: string, opportunityId: string) => {
    const candidate = (await post('/v1/candidates', { name, emails: [email] })).body;
    return (await post('/v1/applications', { candidate: { id: candidate.id }, requisition: { id: requisitionId }, externalIds: [{ source: 'lever', id: opportunityId }] })).body
      .id as string;
  };

  it('an archive is ignored until the reasons are known; replayed, it becomes a plan; hired archives and unarchives follow the reason', async () => {
    const lever = await connect('lever', TOKEN);
    const requisition = (await post('/v1/requisitions', { title: 'Lever archives role' })).body;
    const archived = await leverApplication(requisition.id, 'Arch Ived', 'archived@lever.test', 'opp-archive-1');
    const hired = await leverApplication(requisition.id, 'Hy Red', 'hired@lever.test', 'opp-archive-2');

    await archiveChange(lever.url, 'opp-archive-1', { toArchived: { archivedAt: Date.now(), reason: NOT_A_FIT } });
    await settled(lever.id, 1);
    const [early] = await deliveries(lever.id);
    expect(early).toMatchObject({ status: 'ignored', outcome: expect.stringContaining(`archived with reason ${NOT_A_FIT}, whose type`) });

    // The admin pastes Lever's list; keys Hearback does not read are dropped.
    const patched = await patchConnection(lever.id, { settings: { archiveReasons: leverArchiveReasons } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: lever.id, provider: 'lever', enabled: true, name: 'lever prod' });
    expect(patched.body.settings).toEqual({ archiveReasons: leverArchiveReasons.map(({ id, text, status, type }) => ({ id, text, status, type })) });
    const listed = (await api().get('/v1/ats-connections?limit=200').set(bearer(org.adminKey))).body.data.find((c: { id: string }) => c.id === lever.id);
    expect(listed.settings).toEqual(patched.body.settings);
    const audit = (await api().get('/v1/audit-events?action=ats_connection.updated').set(bearer(org.adminKey))).body.data;
    expect(audit.at(-1)).toMatchObject({ before: { connectionId: lever.id, settings: {} }, after: { connectionId: lever.id, settings: patched.body.settings } });

    const replayed = await replay(early.id);
    expect(replayed.status).toBe(202);
    expect(replayed.body).toMatchObject({ id: early.id, status: 'received', outcome: null, processedAt: null });
    await settled(lever.id, 1);
    const [applied] = await deliveries(lever.id);
    expect(applied).toMatchObject({ id: early.id, status: 'processed', outcome: expect.stringMatching(/^plan [0-9a-f-]{36} awaits confirmation/) });
    const plan = (
      await api()
        .get(`/v1/plans/${/plan ([0-9a-f-]{36})/.exec(applied.outcome)![1]}`)
        .set(bearer(org.adminKey))
    ).body;
    expect(plan.items).toEqual([expect.objectContaining({ applicationId: archived, action: 'reject' })]);
    // A plan waits for a person: the application is not rejected by the webhook.
    expect(await applicationStatus(archived)).toBe('active');

    // Archived as Hired: a hire. Unarchived from Hired: the hire is undone.
    await archiveChange(lever.url, 'opp-archive-2', { toArchived: { archivedAt: Date.now(), reason: HIRED } });
    await settled(lever.id, 2);
    expect((await deliveries(lever.id))[1].outcome).toBe(`recorded hire on application ${hired}`);
    expect(await applicationStatus(hired)).toBe('hired');
    await archiveChange(lever.url, 'opp-archive-2', { fromArchived: { archivedAt: Date.now(), reason: HIRED }, toArchived: null });
    await settled(lever.id, 3);
    expect((await deliveries(lever.id))[2]).toMatchObject({ status: 'processed', outcome: expect.stringContaining(`application ${hired} active again (unhire)`) });
    expect(await applicationStatus(hired)).toBe('active');

    // Replaying works once: a processed delivery is not applied twice.
    const again = await replay(early.id);
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.body).toMatchObject({ code: 'conflict', deliveryStatus: 'processed' });
  });

  it('settings are checked against the provider; another organization’s connection and delivery are 404', async () => {
    const gh = await connect('greenhouse');
    const wrongProvider = await patchConnection(gh.id, { settings: { archiveReasons: [{ id: HIRED, type: 'hired' }] } });
    expect(wrongProvider.status).toBe(400);
    expect(wrongProvider.headers['content-type']).toContain('application/problem+json');
    expect(wrongProvider.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'body.settings.archiveReasons', message: 'greenhouse connections take no settings' }] });
    const atCreation = await post('/v1/ats-connections', { provider: 'ashby', name: 'ashby', settings: { stages: [] } });
    expect(atCreation.status).toBe(400);
    expect(atCreation.body.errors).toEqual([{ path: 'body.settings.stages', message: 'ashby connections take no settings' }]);

    const lever = await connect('lever', TOKEN);
    const badType = await patchConnection(lever.id, { settings: { archiveReasons: [{ id: HIRED, text: 'Hired', type: 'hire' }] } });
    expect(badType.status).toBe(400);
    expect(badType.headers['content-type']).toContain('application/problem+json');
    expect(badType.body.code).toBe('validation_failed');
    expect(badType.body.errors).toEqual([expect.objectContaining({ path: 'body.settings.archiveReasons.0.type' })]);
    const unknownKey = await patchConnection(lever.id, { settings: { rejectionReasons: [] } });
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.body.errors).toEqual([expect.objectContaining({ path: 'body.settings.rejectionReasons' })]);
    // Nothing was changed by the refused requests; name and enabled change alone.
    const renamed = await patchConnection(lever.id, { name: 'Lever (EU)', enabled: false });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Lever (EU)', enabled: false, settings: {} });
    expect((await api().post(lever.url).set('content-type', 'application/json').send({})).status).toBe(404);
    expect((await patchConnection(lever.id, { enabled: true })).body.enabled).toBe(true);

    const other = await createOrganization(ctx.deps);
    expect((await patchConnection(lever.id, { name: 'mine now' }, other.adminKey)).status).toBe(404);
    await archiveChange(lever.url, 'opp-nobody', { toArchived: { archivedAt: Date.now(), reason: NOT_A_FIT } });
    await settled(lever.id, 1);
    const [ignored] = await deliveries(lever.id);
    expect(ignored.status).toBe('ignored');
    expect((await replay(ignored.id, other.adminKey)).status).toBe(404);
    const readOnly = await org.key(['read']);
    expect((await replay(ignored.id, readOnly)).status).toBe(403);
  });

  it('a refused delivery cannot be replayed', async () => {
    const gh = await connect('greenhouse');
    expect((await api().post(gh.url).set('content-type', 'application/json').send('{"action": "hire_candidate"}')).status).toBe(401);
    const [refused] = await deliveries(gh.id);
    const replayed = await replay(refused.id);
    expect(replayed.status).toBe(409);
    expect(replayed.body).toMatchObject({ code: 'conflict', deliveryStatus: 'rejected' });
  });
});

describe('Ashby: an application Archived, then Active again', () => {
  const ashbyBody = (changes: Record<string, unknown>) => {
    const body = fixture('ashby/applicationUpdate.json');
    Object.assign(body.data.application, changes);
    return body;
  };
  const activeAgain = {
    status: 'Active',
    archiveReason: null,
    archivedAt: null,
    currentInterviewStage: { id: 'e9c1a4b2-0000-4000-8000-000000000002', title: 'Technical Interview', type: 'Active', orderInInterviewPlan: 2 },
  };

  /** Another person, another application on the same job, never archived in Ashby. */
  const helenActive = (updatedAt: string) =>
    ashbyBody({
      ...activeAgain,
      id: '5e1f0c2d-0000-4000-8000-000000000003',
      updatedAt,
      candidate: { id: '5e1f0c2d-0000-4000-8000-000000000004', name: 'Helen Wick', primaryEmailAddress: { value: 'helen@wick.test', type: 'Personal', isPrimary: true } },
    });

  it('Archived → a plan; Active for that application → an un-reject; Active for one never archived → a stage change, for one withdrawn → an un-reject', async () => {
    const ashby = await connect('ashby');
    const send = async (body: object) => {
      const raw = JSON.stringify(body);
      expect((await api().post(ashby.url).set('content-type', 'application/json').set('ashby-signature', ashbySignatureHeader(raw, ashby.secret)).send(raw)).status).toBe(202);
    };

    await send(ashbyBody({}));
    await settled(ashby.id, 1);
    const [archived] = await deliveries(ashby.id);
    expect(archived).toMatchObject({ status: 'processed', outcome: expect.stringMatching(/^plan [0-9a-f-]{36} awaits confirmation/) });
    const plan = (
      await api()
        .get(`/v1/plans/${/plan ([0-9a-f-]{36})/.exec(archived.outcome)![1]}`)
        .set(bearer(org.adminKey))
    ).body;
    const johnWick = plan.items[0].applicationId as string;

    // Hearback holds a rejection awaiting confirmation for it: Active again is an un-reject.
    await send(ashbyBody({ ...activeAgain, updatedAt: '2022-06-25T10:00:00.000Z' }));
    await settled(ashby.id, 2);
    expect((await deliveries(ashby.id))[1]).toMatchObject({ status: 'processed', outcome: `application ${johnWick} active again (unreject); 0 pending message(s) cancelled` });

    // Never archived: moving to a stage is just that.
    await send(helenActive('2022-06-25T11:00:00.000Z'));
    await settled(ashby.id, 3);
    const third = (await deliveries(ashby.id))[2];
    expect(third).toMatchObject({ status: 'processed', outcome: expect.stringMatching(/^recorded a stage change on application /) });
    const applicationId = /application ([0-9a-f-]{36})/.exec(third.outcome)![1]!;
    expect((await api().get(`/v1/applications/${applicationId}`).set(bearer(org.adminKey))).body).toMatchObject({ status: 'active', stage: 'Technical Interview' });

    // Withdrawn in Hearback (by the API here): Active again in Ashby is an un-reject too.
    expect((await post('/v1/decisions', { application: { id: applicationId }, kind: 'withdraw' })).status).toBe(201);
    await send(helenActive('2022-06-25T12:00:00.000Z'));
    await settled(ashby.id, 4);
    expect((await deliveries(ashby.id))[3].outcome).toMatch(new RegExp(`^application ${applicationId} active again \\(unreject\\)`));
    expect(await applicationStatus(applicationId)).toBe('active');
  });
});
