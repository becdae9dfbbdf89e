// A signature is usable once: whatever event, id or body is sent next to a signature Hearback has
// already accepted, the delivery is acknowledged as a duplicate and changes nothing. One suite per
// provider (Lever, Greenhouse, Ashby, generic), through the HTTP endpoint and the workers, plus
// what the API shows of a delivery: never the signature material, raw bodies to admin keys only.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maintenanceHandler } from '../../src/modules/maintenance/maintenance.jobs.js';
import { ashbySignatureHeader } from '../../src/modules/webhook-signatures/ashby.js';
import { greenhouseSignatureHeader } from '../../src/modules/webhook-signatures/greenhouse.js';
import { leverSignature } from '../../src/modules/webhook-signatures/lever.js';
import { webhookHeaders } from '../../src/modules/webhook-signatures/standard-webhooks.js';
import { atsFixture as fixture, atsInbound } from '../helpers/ats-inbound.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { startDelivery } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';

let ctx: TestContext;
let org: TestOrganization;
let readKey: string;
let workers: Awaited<ReturnType<typeof startDelivery>>;
let connect: ReturnType<typeof atsInbound>['connect'];
let deliveries: ReturnType<typeof atsInbound>['deliveries'];
let settled: ReturnType<typeof atsInbound>['settled'];

beforeAll(async () => {
  ctx = await createTestContext({ OUTBOX_POLL_MS: '20' });
  org = await createOrganization(ctx.deps);
  readKey = await org.key(['read']);
  workers = await startDelivery(ctx);
  ({ connect, deliveries, settled } = atsInbound(ctx, org));
});
afterAll(async () => {
  await workers?.stop();
  await ctx?.close();
});

const api = () => request(ctx.app.server);
const post = (path: string, body: object) => api().post(path).set(bearer(org.adminKey)).send(body);
const applicationStatus = async (id: string) => (await api().get(`/v1/applications/${id}`).set(bearer(org.adminKey))).body.status;
/** An active application of a new candidate, known to the provider by `externalId`. */
async function application(source: string, externalId: string, requisitionId?: string) {
  const requisition = requisitionId ?? (await post('/v1/requisitions', { title: `${source} role` })).body.id;
  const candidate = (await post('/v1/candidates', { name: `Person ${externalId}`, emails: [`${externalId}@replay.test`] })).body;
  const created = await post('/v1/applications', { candidate: { id: candidate.id }, requisition: { id: requisition }, externalIds: [{ source, id: externalId }] });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

describe('Lever: the signature covers token and triggeredAt only', () => {
  const TOKEN = 'lever-signature-token-replays-0001';
  const send = (url: string, body: object) => api().post(url).set('content-type', 'application/json').send(body);

  it('the stored stage change of one candidate cannot be turned into a hire or an archive of another', async () => {
    const lever = await connect('lever', TOKEN);
    const requisition = (await post('/v1/requisitions', { title: 'Lever forgery' })).body.id;
    await application('lever', 'opp-mover', requisition);
    const victim = await application('lever', 'opp-victim', requisition);

    const stageChange = fixture('lever/candidateStageChange.json');
    const triggeredAt = Date.now();
    const token = 'be58f711f349c7780e4579cd7c63341ac6f881e4dccc3150';
    const signature = leverSignature(token, triggeredAt, TOKEN);
    Object.assign(stageChange, { triggeredAt, token, signature });
    stageChange.data.opportunityId = 'opp-mover';
    expect((await send(lever.url, stageChange)).status).toBe(202);
    await settled(lever.id, 1);

    // What a read key sees of it: no body; an admin sees the body without the signature material.
    const [asRead] = await deliveries(lever.id, readKey);
    expect(asRead).toMatchObject({ eventType: 'candidateStageChange', status: 'processed' });
    expect(asRead).not.toHaveProperty('rawBody');
    expect(JSON.stringify(asRead)).not.toContain(token);
    const [asAdmin] = await deliveries(lever.id);
    expect(JSON.parse(asAdmin.rawBody)).toMatchObject({ event: 'candidateStageChange', token: '[redacted]', signature: '[redacted]', data: { opportunityId: 'opp-mover' } });
    expect(JSON.stringify(asAdmin)).not.toContain(token);
    expect(JSON.stringify(asAdmin)).not.toContain(signature);

    // The forgery: the same three fields, another event and another opportunity.
    const hired = await send(lever.url, { token, triggeredAt, signature, event: 'candidateHired', data: { opportunityId: 'opp-victim' } });
    expect(hired.status).toBe(200);
    expect(hired.body).toEqual({ received: true, duplicate: true });
    const archived = await send(lever.url, {
      token,
      triggeredAt: String(triggeredAt),
      signature,
      event: 'candidateArchiveChange',
      data: { opportunityId: 'opp-victim', toArchived: { archivedAt: triggeredAt, reason: 'any' } },
    });
    expect(archived.status).toBe(200);
    // The signed text again, split differently: still the same signature, still a duplicate.
    const shifted = await send(lever.url, { token: token.slice(0, -1), triggeredAt: `0${triggeredAt}`, signature, event: 'candidateHired', data: { opportunityId: 'opp-victim' } });
    expect(shifted.status).toBe(200);

    expect(await deliveries(lever.id)).toHaveLength(1);
    expect(await applicationStatus(victim)).toBe('active');
  });

  it('refuses a signature older than the acceptance window, however well formed', async () => {
    const lever = await connect('lever', TOKEN);
    const triggeredAt = Date.now() - 2 * 3600 * 1000;
    const token = 'tok-too-old-0001';
    const stale = await send(lever.url, { token, triggeredAt, signature: leverSignature(token, triggeredAt, TOKEN), event: 'candidateHired', data: { opportunityId: 'opp-late' } });
    expect(stale.status).toBe(401);
    expect(stale.body).toMatchObject({ code: 'signature_invalid', detail: expect.stringContaining('timestamp_too_old') });
  });
});

describe('Greenhouse: the signature covers the body, not the Greenhouse-Event-ID', () => {
  it('the same signed body under a fresh event id, or none, is a duplicate; another body under that signature is refused', async () => {
    const gh = await connect('greenhouse');
    const body = fixture('greenhouse/hire_candidate.json');
    body.payload.application.id = 61001;
    body.payload.application.candidate.id = 62001;
    body.payload.application.candidate.email_addresses = [{ value: 'gh-replay@replay.test', type: 'personal' }];
    const raw = JSON.stringify(body);
    const signature = greenhouseSignatureHeader(raw, gh.secret);
    const send = (bytes: string, eventId?: string) => {
      const req = api().post(gh.url).set('content-type', 'application/json').set('signature', signature);
      return (eventId ? req.set('greenhouse-event-id', eventId) : req).send(bytes);
    };
    expect((await send(raw, 'evt-original')).status).toBe(202);
    await settled(gh.id, 1);
    for (const eventId of ['evt-fresh-1', 'evt-fresh-2', undefined]) {
      const again = await send(raw, eventId);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ received: true, duplicate: true });
    }
    const other = JSON.stringify({ ...body, action: 'unhire_candidate' });
    expect((await send(other, 'evt-other')).status).toBe(401);
    const applied = (await deliveries(gh.id)).filter((d: { status: string }) => d.status !== 'rejected');
    expect(applied).toHaveLength(1);
    expect(applied[0]).toMatchObject({ status: 'processed', outcome: expect.stringContaining('recorded hire') });
  });
});

describe('Greenhouse and Ashby signatures never expire', () => {
  it('a signed body is still refused after its delivery was purged by the housekeeping', async () => {
    for (const provider of ['greenhouse', 'ashby'] as const) {
      const connection = await connect(provider);
      const raw = JSON.stringify({ action: 'ping', payload: { provider } });
      const signed =
        provider === 'greenhouse' ? { signature: greenhouseSignatureHeader(raw, connection.secret) } : { 'ashby-signature': ashbySignatureHeader(raw, connection.secret) };
      const send = () => api().post(connection.url).set('content-type', 'application/json').set(signed).send(raw);
      expect((await send()).status).toBe(202);
      await settled(connection.id, 1);
      const purge = maintenanceHandler({ db: ctx.deps.db, now: () => new Date(Date.now() + 31 * 86_400_000) });
      await purge({ id: 'purge', name: 'purge-inbound-deliveries', attemptsMade: 0, data: { task: 'purge-inbound-deliveries', olderThanDays: 30 } });
      expect(await deliveries(connection.id)).toEqual([]);
      const again = await send();
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ received: true, duplicate: true });
      expect(await deliveries(connection.id)).toEqual([]);
    }
  });
});

describe('Ashby: the signature covers the body alone', () => {
  it('the same signed body again is a duplicate; a changed body under that signature is refused', async () => {
    const ashby = await connect('ashby');
    const raw = JSON.stringify(fixture('ashby/candidateHire.json'));
    const signature = ashbySignatureHeader(raw, ashby.secret);
    const send = (bytes: string) => api().post(ashby.url).set('content-type', 'application/json').set('ashby-signature', signature).send(bytes);
    expect((await send(raw)).status).toBe(202);
    await settled(ashby.id, 1);
    expect((await send(raw)).status).toBe(200);
    const changed = JSON.parse(raw);
    changed.action = 'applicationUpdate';
    expect((await send(JSON.stringify(changed))).status).toBe(401);
    expect((await deliveries(ashby.id)).filter((d: { status: string }) => d.status !== 'rejected')).toHaveLength(1);
  });
});

describe('generic (Standard Webhooks): webhook-id, timestamp and body are all signed', () => {
  it('a resend of the same message (same id, even signed again) is a duplicate; a new id or body under an old signature is refused', async () => {
    const generic = await connect('generic');
    const appId = await application('generic', 'gen-replay-1');
    const raw = JSON.stringify({ type: 'application.hired', id: 'evt-gen-1', data: { application: { externalId: 'gen-replay-1' } } });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = webhookHeaders({ id: 'msg-1', timestamp, body: raw, secrets: [generic.secret] });
    const send = (h: Record<string, string>, bytes: string) => api().post(generic.url).set('content-type', 'application/json').set(h).send(bytes);
    expect((await send(headers, raw)).status).toBe(202);
    await settled(generic.id, 1);
    expect(await applicationStatus(appId)).toBe('hired');

    expect((await send(headers, raw)).status).toBe(200);
    // The sender's own retry: same id, a new timestamp and signature.
    expect((await send(webhookHeaders({ id: 'msg-1', timestamp: timestamp + 1, body: raw, secrets: [generic.secret] }), raw)).status).toBe(200);
    expect((await send({ ...headers, 'webhook-id': 'msg-2' }, raw)).status).toBe(401);
    const otherBody = raw.replace('application.hired', 'application.unhired');
    expect((await send(headers, otherBody)).status).toBe(401);
    expect((await deliveries(generic.id)).filter((d: { status: string }) => d.status !== 'rejected')).toHaveLength(1);
  });
});

describe('what is kept of a delivery', () => {
  it('no signature header of any provider is stored', async () => {
    const rows = await ctx.deps.db.inboundDelivery.findMany({ select: { headers: true } });
    expect(rows.length).toBeGreaterThan(0);
    for (const { headers } of rows) {
      for (const name of Object.keys(headers as object)) expect(['content-type', 'user-agent']).toContain(name);
      expect(JSON.stringify(headers)).not.toMatch(/signature|webhook-id|webhook-timestamp|greenhouse-event-id/i);
    }
  });
});
