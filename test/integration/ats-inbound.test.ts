// ATS webhooks into Hearback, end to end through the workers: signatures, storage of what was
// refused, deduplication, mapping to hires, rejections (as plans with every check), un-rejects.
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookHeaders } from '../../src/modules/webhooks/signatures/standard-webhooks.js';
import { greenhouseSignatureHeader } from '../../src/modules/webhooks/signatures/greenhouse.js';
import { leverSignature } from '../../src/modules/webhooks/signatures/lever.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { startDelivery } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';

let ctx: TestContext;
let org: TestOrganization;
let delivery: Awaited<ReturnType<typeof startDelivery>>;

beforeAll(async () => {
  ctx = await createTestContext({ OUTBOX_POLL_MS: '20' });
  org = await createOrganization(ctx.deps);
  delivery = await startDelivery(ctx);
});
afterAll(async () => {
  await delivery?.stop();
  await ctx?.close();
});

const api = () => request(ctx.app.server);
const fixture = (path: string) => JSON.parse(readFileSync(new URL(`../fixtures/ats/${path}`, import.meta.url), 'utf8'));
async function connect(provider: string, secret?: string) {
  const created = await api().post('/v1/ats-connections').set(bearer(org.adminKey)).send({ provider, name: `${provider} prod`, ...(secret ? { secret } : {}) });
  expect(created.status).toBe(201);
  return { id: created.body.connection.id as string, url: new URL(created.body.connection.url).pathname, secret: created.body.secret as string };
}
const deliveries = async (connectionId: string) => (await api().get(`/v1/inbound-deliveries?connectionId=${connectionId}&limit=200`).set(bearer(org.adminKey))).body.data;
const settled = (connectionId: string, count: number) =>
  expect.poll(async () => (await deliveries(connectionId)).filter((d: { status: string }) => d.status !== 'received').length, { timeout: 15_000 }).toBe(count);

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
    const body = { event: 'candidateHired', triggeredAt, token, signature: leverSignature(token, triggeredAt, 'lever-signature-token-0123456789'), data: { opportunityId: 'opp-123', candidateId: 'c-1', contactId: 'c-1' } };
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
