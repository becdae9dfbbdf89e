// Outgoing webhooks against a local receiver, with compressed time: signatures (Standard
// Webhooks), retries, redirects, 410, Retry-After, disabling, replays, rotation, isolation.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderOpenApi } from '../../openapi/generate.js';
import { emitEvents } from '../../src/modules/outgoing-webhooks/events.js';
import { checkEndpointUrl, isPublicAddress, postWebhook } from '../../src/modules/outgoing-webhooks/sender.js';
import { createWebhookDeliveryService } from '../../src/modules/outgoing-webhooks/webhook-delivery.service.js';
import { verify } from '../../src/modules/webhook-signatures/standard-webhooks.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { startDelivery } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { eventually, waitFor } from '../helpers/wait.js';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}
type Responder = (req: IncomingMessage, res: ServerResponse) => unknown;

/** A local endpoint: records what it gets; `respond` decides each answer. */
async function receiver() {
  const received: Received[] = [];
  let respond: Responder = (_req, res) => res.writeHead(200).end('ok');
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body, at: Date.now() });
      void respond(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    set: (r: Responder) => (respond = r),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let ctx: TestContext;
let org: TestOrganization;
let delivery: Awaited<ReturnType<typeof startDelivery>>;
let receivers: Awaited<ReturnType<typeof receiver>>[] = [];

beforeAll(async () => {
  ctx = await createTestContext({
    OUTBOX_POLL_MS: '20',
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    // 5 s → 0.25 ms, 5 min → 15 ms, 30 min → 90 ms, 2 h → 0.36 s, 5 h → 0.9 s, 10 h → 1.8 s
    WEBHOOK_RETRY_SCALE: '0.00005',
    // Long enough that a request held by a test (see 'never lets a slow endpoint delay another')
    // stays in flight until the test lets it go.
    WEBHOOK_TIMEOUT_MS: '60000',
    WEBHOOK_DISABLE_AFTER_HOURS: '1',
    DELIVERY_STALE_MS: '60000',
  });
  org = await createOrganization(ctx.deps);
  delivery = await startDelivery(ctx);
});
afterAll(async () => {
  await delivery?.stop();
  await Promise.all(receivers.map((r) => r.close()));
  await ctx?.close();
});
beforeEach(async () => {
  // Each test starts with no endpoints.
  await ctx.deps.db.webhookEndpoint.deleteMany({ where: { organizationId: org.id } });
});

const api = () => request(ctx.app.server);
async function endpoint(body: object = {}) {
  const r = await receiver();
  receivers.push(r);
  const created = await api()
    .post('/v1/webhook-endpoints')
    .set(bearer(org.adminKey))
    .send({ url: `${r.url}/hooks`, ...body });
  expect(created.status).toBe(201);
  return { ...r, id: created.body.endpoint.id as string, secret: created.body.secret as string };
}
const emit = (count = 1, type: 'candidate.talent_pool_left' = 'candidate.talent_pool_left') =>
  ctx.deps.db.$transaction((tx) =>
    emitEvents(
      tx,
      org.id,
      Array.from({ length: count }, () => ({
        type,
        data: { messageId: crypto.randomUUID(), applicationId: crypto.randomUUID(), candidateId: crypto.randomUUID() },
      })),
    ),
  );
const deliveries = async (endpointId: string) => (await api().get(`/v1/webhook-deliveries?endpointId=${endpointId}`).set(bearer(org.adminKey))).body.data;
const attempts = async (endpointId: string) => (await api().get(`/v1/webhook-endpoints/${endpointId}/attempts?limit=200`).set(bearer(org.adminKey))).body.data;

/** Deliveries stored without jobs (as if queued long ago): pumped by the test itself. */
async function storeDeliveries(endpointId: string, count: number) {
  const events = Array.from({ length: count }, () => ({
    id: crypto.randomUUID(),
    organizationId: org.id,
    type: 'candidate.talent_pool_left',
    payload: { type: 'candidate.talent_pool_left', data: {} },
  }));
  await ctx.deps.db.webhookEvent.createMany({ data: events });
  await ctx.deps.db.webhookDelivery.createMany({ data: events.map((e) => ({ organizationId: org.id, endpointId, eventId: e.id, nextAttemptAt: new Date() })) });
}

/** A pump of the test's own (no worker runs it), telling the test every pause it sets. */
function directPumps({ retryScale, now, onPause }: { retryScale: number; now?: () => Date; onPause?: (ms: number) => void }) {
  const redis = new Proxy(ctx.deps.redis, {
    get(target, key, receiver) {
      if (key === 'set' && onPause)
        return (...args: unknown[]) => {
          if (String(args[0]).includes(':webhooks:pause:')) onPause(Number(args[3]));
          return (target.set as (...a: unknown[]) => unknown)(...args);
        };
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return createWebhookDeliveryService({
    db: ctx.deps.db,
    redis,
    redisPrefix: ctx.config.REDIS_PREFIX,
    sealer: ctx.deps.sealer,
    logger: pino({ level: 'silent' }),
    settings: { timeoutMs: 60_000, allowPrivate: true, retryScale, disableAfterMs: 86_400_000, maxInFlight: 4, staleMs: 60_000 },
    ...(now ? { now } : {}),
  });
}

describe('outgoing webhooks', () => {
  it('signs each delivery per Standard Webhooks, verifiable with the endpoint secret', async () => {
    const hook = await endpoint({ description: 'ATS', eventTypes: ['candidate.talent_pool_left'] });
    expect(hook.secret).toMatch(/^whsec_/);
    expect(JSON.stringify((await api().get(`/v1/webhook-endpoints/${hook.id}`).set(bearer(org.adminKey))).body)).not.toContain(hook.secret);
    await emit();
    await eventually(() => hook.received.length).toBe(1);
    const [got] = hook.received;
    const checked = verify({ headers: got!.headers as Record<string, string>, body: got!.body, secrets: [hook.secret], now: new Date() });
    expect(checked.ok).toBe(true);
    expect(got!.headers['webhook-id']).toMatch(/^msg_/);
    expect(JSON.parse(got!.body)).toMatchObject({ type: 'candidate.talent_pool_left', timestamp: expect.any(String), data: { messageId: expect.any(String) } });
    await eventually(async () => (await deliveries(hook.id))[0]?.status).toBe('succeeded');
    // Not subscribed: no delivery is made, so nothing can be sent; the next event it takes is next.
    expect(await ctx.deps.db.$transaction((tx) => emitEvents(tx, org.id, [{ type: 'endpoint.disabled', data: { endpointId: hook.id, reason: 'x' } }]))).toBe(0);
    await emit();
    await eventually(async () => (await deliveries(hook.id)).map((d: { status: string }) => d.status)).toEqual(['succeeded', 'succeeded']);
    expect(hook.received.map((r) => JSON.parse(r.body).type)).toEqual(['candidate.talent_pool_left', 'candidate.talent_pool_left']);
  });

  it('retries on the schedule until a 2xx, logging every attempt', async () => {
    const hook = await endpoint();
    let calls = 0;
    hook.set((_req, res) => res.writeHead(++calls <= 2 ? 500 : 200).end(calls <= 2 ? 'broken' : 'fine'));
    await emit();
    await eventually(async () => (await deliveries(hook.id))[0]?.status, { progress: () => hook.received.length }).toBe('succeeded');
    const log = await attempts(hook.id);
    expect(log.map((a: { outcome: string; statusCode: number }) => [a.outcome, a.statusCode])).toEqual([
      ['retry', 500],
      ['retry', 500],
      ['succeeded', 200],
    ]);
    expect(log[0]).toMatchObject({ responseBody: 'broken', latencyMs: expect.any(Number) });
    // The same message id every time, so the receiver can dedupe.
    expect(new Set(hook.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
  });

  it('treats redirects as failures and never follows them', async () => {
    const hook = await endpoint();
    hook.set((req, res) => (req.url === '/hooks' ? res.writeHead(302, { location: '/elsewhere' }).end() : res.writeHead(200).end()));
    await emit();
    await eventually(async () => (await attempts(hook.id)).length).toBeGreaterThanOrEqual(2);
    expect(hook.received.every((r) => r.path === '/hooks')).toBe(true);
    expect((await attempts(hook.id))[0]).toMatchObject({ outcome: 'retry', statusCode: 302, error: expect.stringContaining('not followed') });
  });

  it('disables an endpoint that answers 410, cancels what was pending, and tells the other endpoints', async () => {
    const watcher = await endpoint({ eventTypes: ['endpoint.disabled'] });
    const gone = await endpoint({ eventTypes: ['candidate.talent_pool_left'] });
    gone.set((_req, res) => res.writeHead(410).end('gone'));
    await emit();
    await eventually(async () => (await api().get(`/v1/webhook-endpoints/${gone.id}`).set(bearer(org.adminKey))).body.disabledAt).not.toBeNull();
    const after = (await api().get(`/v1/webhook-endpoints/${gone.id}`).set(bearer(org.adminKey))).body;
    expect(after).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('410') });
    await eventually(() => watcher.received.length).toBe(1);
    expect(JSON.parse(watcher.received[0]!.body)).toMatchObject({ type: 'endpoint.disabled', data: { endpointId: gone.id } });
    // Nothing more goes to it (no delivery is even made); enabling it again starts it over.
    expect(await emit()).toBe(0);
    expect(await deliveries(gone.id)).toHaveLength(1);
    gone.set((_req, res) => res.writeHead(204).end());
    expect((await api().patch(`/v1/webhook-endpoints/${gone.id}`).set(bearer(org.adminKey)).send({ enabled: true })).body).toMatchObject({ enabled: true, disabledAt: null });
    await emit();
    await eventually(() => gone.received.length).toBe(2);
  });

  it('slows down for 429 with Retry-After', async () => {
    const hook = await endpoint();
    let calls = 0;
    hook.set((_req, res) => (++calls === 1 ? res.writeHead(429, { 'retry-after': '1' }).end() : res.writeHead(200).end()));
    await emit();
    await eventually(() => hook.received.length).toBe(2);
    expect(hook.received[1]!.at - hook.received[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('a 429 pauses the whole endpoint, not just the delivery it answered', async () => {
    const hook = await endpoint();
    const pauses: number[] = [];
    const pumps = directPumps({ retryScale: 0.00005, onPause: (ms) => pauses.push(ms) });
    const pauseKey = `${ctx.config.REDIS_PREFIX}:webhooks:pause:${hook.id}`;
    // The first request is told to slow down for an hour; the others in flight with it are
    // answered only once the pump has taken the 429 in (its pause is set): nothing left to chance.
    let calls = 0;
    hook.set(async (_req, res) => {
      if (++calls === 1) return res.writeHead(429, { 'retry-after': '3600' }).end();
      if (calls <= 4)
        await waitFor(
          () => ctx.deps.redis.pttl(pauseKey),
          (ttl) => ttl > 0,
          { what: 'the pause', checks: 50 },
        ).catch(() => undefined);
      res.writeHead(200).end();
    });
    await storeDeliveries(hook.id, 40);
    // Only what was in flight when the 429 came back was sent (WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT, 4)...
    expect(await pumps.pump(hook.id)).toMatchObject({ sent: 4 });
    expect(pauses).toEqual([3_600_000]);
    // ...and nothing goes while the pause lasts.
    expect(await pumps.pump(hook.id)).toMatchObject({ skipped: expect.stringContaining('slow down') });
    expect(hook.received).toHaveLength(4);
    // When it ends, the rest go; the delivery that was told to wait keeps its hour.
    await ctx.deps.redis.del(pauseKey);
    // Whichever pump takes them (this one, or a worker's job woken meanwhile: one at a time).
    await eventually(
      async () => {
        await pumps.pump(hook.id);
        return hook.received.length;
      },
      { progress: () => hook.received.length },
    ).toBe(40);
    const waiting = await ctx.deps.db.webhookDelivery.findMany({ where: { endpointId: hook.id, status: { not: 'succeeded' } } });
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(3_000_000);
    await api().patch(`/v1/webhook-endpoints/${hook.id}`).set(bearer(org.adminKey)).send({ enabled: false });
  });

  it('pauses an endpoint that fails throughout instead of trying its whole backlog', async () => {
    const dead = await endpoint();
    dead.set((_req, res) => res.writeHead(500).end());
    // 60 deliveries stored without jobs (as if queued long ago), pumped here ten times slower than
    // real time (so the pause outlasts the test), on a clock that stands still (so the failure
    // streak is as short as it can be).
    await storeDeliveries(dead.id, 60);
    const pauses: number[] = [];
    const frozen = new Date(Date.now() + 1_000);
    const pumps = directPumps({ retryScale: 10, now: () => frozen, onPause: (ms) => pauses.push(ms) });
    // Two failures per in-flight slot in a row (plus the three still in flight then), then a
    // pause of 5 s (±20 %), here times ten.
    const run = (await pumps.pump(dead.id)) as { sent: number };
    expect(run.sent).toBeGreaterThanOrEqual(8);
    expect(run.sent).toBeLessThanOrEqual(11);
    expect(dead.received).toHaveLength(run.sent);
    expect(pauses).toHaveLength(1);
    expect(pauses[0]).toBeGreaterThanOrEqual(40_000);
    expect(pauses[0]).toBeLessThanOrEqual(60_000);
    expect(await pumps.pump(dead.id)).toMatchObject({ skipped: expect.stringContaining('slow down') });
    expect(await ctx.deps.db.webhookDelivery.count({ where: { endpointId: dead.id, attempts: 0, status: 'pending' } })).toBe(60 - run.sent);
    await api().patch(`/v1/webhook-endpoints/${dead.id}`).set(bearer(org.adminKey)).send({ enabled: false });
  });

  it('sends a backlog longer than one round once each, across the rounds it takes', async () => {
    const hook = await endpoint();
    // 450 deliveries due at one instant (the keyset's tie is broken by id) and 5 due later: more
    // than two of the pump's rounds, each read while the one before is being sent.
    await storeDeliveries(hook.id, 450);
    await ctx.deps.db.webhookDelivery.updateMany({ where: { endpointId: hook.id }, data: { nextAttemptAt: new Date(Date.now() - 1_000) } });
    await storeDeliveries(hook.id, 5);
    const run = (await directPumps({ retryScale: 1 }).pump(hook.id)) as { sent: number };
    expect(run.sent).toBe(455);
    const ids = hook.received.map((r) => String(r.headers['webhook-id']));
    expect(new Set(ids).size).toBe(455);
    expect(ids).toHaveLength(455);
    const stored = await ctx.deps.db.webhookDelivery.findMany({ where: { endpointId: hook.id }, select: { eventId: true, status: true, attempts: true } });
    expect(new Set(stored.map((d) => `msg_${d.eventId}`))).toEqual(new Set(ids));
    expect(stored.every((d) => d.status === 'succeeded' && d.attempts === 1)).toBe(true);
    expect(await ctx.deps.db.webhookAttempt.count({ where: { endpointId: hook.id } })).toBe(455);
  });

  it('gives up after the last attempt; recover and resend deliver again', async () => {
    const hook = await endpoint();
    hook.set((_req, res) => res.writeHead(503).end());
    const since = new Date();
    await emit(2);
    await eventually(async () => (await deliveries(hook.id)).map((d: { status: string }) => d.status), { progress: () => hook.received.length }).toEqual(['failed', 'failed']);
    expect((await deliveries(hook.id))[0].attempts).toBe(8);
    hook.set((_req, res) => res.writeHead(200).end());
    const recovered = await api().post(`/v1/webhook-endpoints/${hook.id}/recover`).set(bearer(org.adminKey)).send({ since: since.toISOString() });
    expect(recovered.body).toEqual({ recovered: 2 });
    await eventually(async () => (await deliveries(hook.id)).map((d: { status: string }) => d.status), { progress: () => hook.received.length }).toEqual([
      'succeeded',
      'succeeded',
    ]);
    const one = (await deliveries(hook.id))[0];
    expect((await api().post(`/v1/webhook-deliveries/${one.id}/resend`).set(bearer(org.adminKey)).send()).status).toBe(200);
    await eventually(() => hook.received.filter((r) => r.headers['webhook-id'] === hook.received[0]!.headers['webhook-id']).length).toBeGreaterThanOrEqual(10);
  });

  it('takes back deliveries whose job was lost, and only those', async () => {
    const hook = await endpoint();
    // Stored without jobs, as if Redis had lost them: due long ago (past DELIVERY_STALE_MS), or just now.
    await storeDeliveries(hook.id, 3);
    await ctx.deps.db.webhookDelivery.updateMany({ where: { endpointId: hook.id }, data: { nextAttemptAt: new Date(Date.now() - 120_000) } });
    await storeDeliveries(hook.id, 1);
    expect(await ctx.deps.webhookDeliveries.sweep()).toBe(3);
    // The woken pump sends everything due, the recent one included.
    await eventually(async () => (await deliveries(hook.id)).map((d: { status: string }) => d.status), { progress: () => hook.received.length }).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
    expect(await ctx.deps.webhookDeliveries.sweep()).toBe(0);
  });

  it('disables an endpoint failing continuously for the configured time, with its reason', async () => {
    const hook = await endpoint();
    hook.set((_req, res) => res.writeHead(500).end());
    await emit();
    await eventually(async () => (await deliveries(hook.id))[0]?.status, { progress: () => hook.received.length }).toBe('failed');
    // Pretend the streak began long ago: the next failure disables it.
    await ctx.deps.db.webhookEndpoint.update({ where: { id: hook.id }, data: { failingSince: new Date(Date.now() - 2 * 3_600_000) } });
    await emit();
    await eventually(async () => (await api().get(`/v1/webhook-endpoints/${hook.id}`).set(bearer(org.adminKey))).body.disabledReason).toMatch(/failed since/);
  });

  it('signs with the old and the new secret for 24 hours after a rotation', async () => {
    const hook = await endpoint();
    const rotated = await api().post(`/v1/webhook-endpoints/${hook.id}/rotate-secret`).set(bearer(org.adminKey)).send();
    expect(rotated.body.secret).not.toBe(hook.secret);
    expect(Date.parse(rotated.body.endpoint.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    await emit();
    await eventually(() => hook.received.length).toBe(1);
    const got = hook.received[0]!;
    expect(String(got.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [hook.secret, rotated.body.secret]) {
      expect(verify({ headers: got.headers as Record<string, string>, body: got.body, secrets: [secret], now: new Date() }).ok).toBe(true);
    }
  });

  it('never lets a slow endpoint delay another', async () => {
    // The slow endpoint answers nothing until the fast one has had everything.
    const slow = await endpoint();
    const held: ServerResponse[] = [];
    slow.set((_req, res) => held.push(res));
    const fast = await endpoint();
    await emit(30);
    await eventually(() => fast.received.length, { what: 'the fast endpoint, while the slow one holds its requests' }).toBe(30);
    expect(held.length).toBeGreaterThan(0);
    expect(slow.received.length).toBeLessThanOrEqual(4);
    slow.set((_req, res) => res.writeHead(200).end());
    for (const res of held) res.writeHead(200).end();
    await eventually(async () => (await deliveries(slow.id)).filter((d: { status: string }) => d.status === 'succeeded').length, { progress: () => slow.received.length }).toBe(30);
  });

  it('refuses endpoint URLs that are not https to a public address (unless configured), checked again when sending', async () => {
    expect(isPublicAddress('8.8.8.8')).toBe(true);
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fc00::1',
      '::ffff:127.0.0.1',
      '224.0.0.1',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    expect(() => checkEndpointUrl('http://example.com/hook', false)).toThrow('https');
    expect(() => checkEndpointUrl('https://10.0.0.5/hook', false)).toThrow('not allowed');
    expect(() => checkEndpointUrl('https://localhost/hook', false)).toThrow('not allowed');
    expect(() => checkEndpointUrl('https://user:pw@example.com/hook', false)).toThrow('credentials');
    expect(checkEndpointUrl('https://ats.example.com/hook', false).hostname).toBe('ats.example.com');
    // At send time the name is resolved and every address checked (localhost → 127.0.0.1).
    const local = await receiver();
    receivers.push(local);
    const url = new URL(local.url.replace('127.0.0.1', 'localhost'));
    await expect(postWebhook(url, {}, '{}', { timeoutMs: 1000, allowPrivate: false })).rejects.toThrow('the destination is not allowed');
    expect(local.received).toHaveLength(0);
  });

  it('emits events from real flows and publishes their schemas in OpenAPI', async () => {
    const document = JSON.parse(renderOpenApi(ctx.app));
    expect(Object.keys(document.webhooks)).toEqual(
      expect.arrayContaining([
        'plan.confirmed',
        'message.held',
        'message.approved',
        'message.recalled',
        'message.sent',
        'message.delivered',
        'message.bounced',
        'message.failed',
        'feedback.viewed',
        'candidate.talent_pool_joined',
        'candidate.talent_pool_left',
        'candidate.question_asked',
        'candidate.feedback_rated',
        'candidate.data_requested',
      ]),
    );
    expect(document.webhooks['message.sent'].post.requestBody.content['application/json'].schema.properties.data.required).toContain('messageId');
    const hook = await endpoint({ eventTypes: ['plan.confirmed'] });
    const post = (path: string, body: object) => api().post(path).set(bearer(org.adminKey)).send(body);
    const req = (await post('/v1/requisitions', { title: 'Webhook role' })).body;
    const a = (await post('/v1/candidates', { name: 'Wanda One', emails: ['wanda1@x.test'] })).body;
    const b = (await post('/v1/candidates', { name: 'Will Two', emails: ['will2@x.test'] })).body;
    const appA = (await post('/v1/applications', { candidate: { id: a.id }, requisition: { id: req.id } })).body;
    await post('/v1/applications', { candidate: { id: b.id }, requisition: { id: req.id } });
    const plan = (await post(`/v1/requisitions/${req.id}/plans`, { chosen: [{ applicationId: appA.id }], targets: { mode: 'all_others_active' } })).body;
    expect((await post(`/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [appA.id] })).status).toBe(200);
    await eventually(() => hook.received.length).toBe(1);
    expect(JSON.parse(hook.received[0]!.body)).toMatchObject({ type: 'plan.confirmed', data: { planId: plan.id, requisitionId: req.id, messages: 1 } });
  });
});
