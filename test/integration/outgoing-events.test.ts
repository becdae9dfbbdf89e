// Every outgoing event type, emitted end to end by the code that owns it: one endpoint takes every
// type while real flows run through the API, the workers, the local Postmark server, Postmark's
// webhooks, the candidate's page and the promises sweep. The list comes from the event catalogue,
// so a new type with no flow here fails this test. Also: an outcome that stays unknown ends
// `unknown_unresolved`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { MAX_RECONCILE_ROUNDS } from '../../src/modules/delivery/reconcile.js';
import { envelopeSchema, eventDataSchemas, eventTypes, type EventType } from '../../src/modules/outgoing-webhooks/events.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { sql } from '../helpers/database.js';
import { setUpSending, startDelivery } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { eventually } from '../helpers/wait.js';
import { startPostmarkServer, type PostmarkFake } from '../postmark/server.js';

interface Received {
  type: string;
  data: Record<string, unknown>;
  body: unknown;
}

/** A local endpoint answering `status`, keeping every event it got. */
async function receiver(status = 204) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const parsed = JSON.parse(body) as { type: string; data: Record<string, unknown> };
      received.push({ type: parsed.type, data: parsed.data, body: parsed });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    of: (type: EventType) => received.filter((r) => r.type === type),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let ctx: TestContext;
let fake: PostmarkFake;
let org: TestOrganization;
let delivery: Awaited<ReturnType<typeof startDelivery>>;
let hub: Awaited<ReturnType<typeof receiver>>;
let gone: Awaited<ReturnType<typeof receiver>>;

beforeAll(async () => {
  fake = await startPostmarkServer();
  ctx = await createTestContext({
    OUTBOX_POLL_MS: '50',
    POSTMARK_API_URL: fake.url,
    POSTMARK_TIMEOUT_MS: '15000', // a loaded machine answers slowly; no test here is about timeouts
    POSTMARK_WEBHOOK_PASSWORD: 'webhook-password-for-tests',
    DELIVERY_RETRY_BASE_MS: '50',
    DELIVERY_RECONCILE_DELAY_MS: '100',
    DELIVERY_STALE_MS: '60000',
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    WEBHOOK_RETRY_SCALE: '0.00005',
    PAGE_RATE_LIMIT_PER_MINUTE: '100000',
  });
  org = await createOrganization(ctx.deps);
  await setUpSending(ctx, org);
  hub = await receiver();
  gone = await receiver(410);
  // No event types: every type, including those added later.
  const created = await request(ctx.app.server).post('/v1/webhook-endpoints').set(bearer(org.adminKey)).send({ url: hub.url, description: 'takes everything' });
  expect(created.status).toBe(201);
  expect(created.body.endpoint.eventTypes).toEqual([]);
  delivery = await startDelivery(ctx);
});
afterAll(async () => {
  await delivery?.stop();
  await hub?.close();
  await gone?.close();
  await ctx?.close();
  await fake?.close();
});

const api = () => request(ctx.app.server);
async function call(method: 'post' | 'get' | 'put', path: string, body?: object) {
  const response = await api()[method](path).set(bearer(org.adminKey)).send(body);
  if (response.status >= 300) throw new Error(`${method.toUpperCase()} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}
const statusOf = async (id: string) => (await call('get', `/v1/messages/${id}`)).status as string;
const dispatch = () => ctx.deps.delivery.dispatchDue();

/** Postmark's webhook as Postmark would post it: to the URL the organization was given, with its Basic auth. */
async function postmarkHook(body: object) {
  const url = new URL((await call('get', '/v1/organization/postmark')).webhookUrl as string);
  const posted = await api().post(url.pathname).auth(decodeURIComponent(url.username), decodeURIComponent(url.password)).send(body);
  expect(posted.status).toBe(200);
  expect(posted.body).toEqual({ received: true, duplicate: false });
}

let round = 0;
/** A confirmed plan on a new requisition: one hire and a rejection per person, rendered. */
async function confirmedRejections(people: string[], feedback: Record<string, object> = {}) {
  const r = ++round;
  const req = await call('post', '/v1/requisitions', { title: `Data Engineer ${r}`, hiringContact: { name: 'Rita Alves', email: 'rita@northwind.test' } });
  const apps: Record<string, string> = {};
  const address = (name: string) => `${name.toLowerCase()}.${r}@candidates.test`;
  for (const name of ['Hired', ...people]) {
    const candidate = await call('post', '/v1/candidates', { name: `${name} Person`, emails: [address(name)] });
    apps[name] = (await call('post', '/v1/applications', { candidate: { id: candidate.id }, requisition: { id: req.id } })).id;
  }
  const plan = await call('post', `/v1/requisitions/${req.id}/plans`, {
    chosen: [{ applicationId: apps.Hired }],
    targets: { mode: 'all_others_active' },
    feedback: Object.fromEntries(Object.entries(feedback).map(([name, f]) => [apps[name], f])),
  });
  const confirmation = await call('post', `/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [apps.Hired] });
  await ctx.deps.messages.renderPlan(plan.id);
  const ids = Object.fromEntries(people.map((name) => [name, confirmation.messages.find((m: { applicationId: string }) => m.applicationId === apps[name]).id as string]));
  return { planId: plan.id as string, requisitionId: req.id as string, apps, ids, address };
}

describe('outgoing events', () => {
  it('emits every event type in the catalogue from real flows, each with a payload its schema accepts', async () => {
    // Besides the endpoint that takes everything, one subscribed to recalls only answers 410 Gone.
    const doomed = await api()
      .post('/v1/webhook-endpoints')
      .set(bearer(org.adminKey))
      .send({ url: gone.url, eventTypes: ['message.recalled'] });
    expect(doomed.status).toBe(201);

    // plan.confirmed; the rejections an email will tell are not announced yet.
    const invite = { reasonCategory: 'experience_level', strengths: ['Clear system design'], areasToImprove: ['Kubernetes operators'], nextSteps: { talentPoolInvite: true } };
    const flow = await confirmedRejections(['Ana', 'Ben', 'Cleo', 'Dev', 'Eve'], { Ana: invite });
    await eventually(() => hub.of('plan.confirmed').length).toBe(1);
    expect(hub.of('plan.confirmed')[0]!.data).toMatchObject({
      planId: flow.planId,
      requisitionId: flow.requisitionId,
      decisions: [{ applicationId: flow.apps.Hired, kind: 'hire' }],
      messages: 5,
    });
    expect(hub.of('application.rejected')).toEqual([]);

    // message.approved for each; message.recalled (and the 410 disables the other endpoint: endpoint.disabled).
    for (const name of ['Ana', 'Ben', 'Cleo', 'Dev', 'Eve'])
      await call('post', `/v1/messages/${flow.ids[name]}/approve`, { contentVersion: 1, overrideReason: 'Reviewed for the events test' });
    await call('post', `/v1/messages/${flow.ids.Dev}/recall`, {});
    // message.held: an offer arrives for Cleo after her rejection was approved.
    await call('post', '/v1/decisions', { application: { id: flow.apps.Cleo }, kind: 'offer' });
    expect(await statusOf(flow.ids.Cleo!)).toBe('held');
    // message.failed: Postmark refuses Eve's inactive address. message.sent and application.rejected for Ana and Ben.
    fake.markInactive(flow.address('Eve'));
    expect(await dispatch()).toBe(3);
    for (const name of ['Ana', 'Ben']) await eventually(() => statusOf(flow.ids[name]!)).toBe('sent');
    await eventually(() => statusOf(flow.ids.Eve!)).toBe('failed');

    // message.delivered and message.bounced, from Postmark's webhooks.
    const postmarkIdOf = async (name: string) => (await call('get', `/v1/messages/${flow.ids[name]}`)).postmarkMessageId as string;
    await postmarkHook({ RecordType: 'Delivery', MessageID: await postmarkIdOf('Ana'), Recipient: flow.address('Ana'), DeliveredAt: new Date().toISOString() });
    await postmarkHook({
      RecordType: 'Bounce',
      MessageID: await postmarkIdOf('Ben'),
      Type: 'HardBounce',
      Email: flow.address('Ben'),
      Inactive: true,
      Description: 'Mailbox does not exist',
      ID: 42,
    });
    expect(await statusOf(flow.ids.Ana!)).toBe('delivered');
    expect(await statusOf(flow.ids.Ben!)).toBe('bounced');

    // feedback.viewed and the candidate.* events, from the candidate's page as Ana received it.
    const email = fake.messages().find((m) => m.Addresses.To[0]?.Email === flow.address('Ana'))!;
    const token = /\/f\/([A-Za-z0-9_-]{43})/.exec(email.TextBody ?? '')![1]!;
    const form = async (path: string, fields: Record<string, string>) => {
      const page = await api().get(`/f/${token}`);
      expect(page.status).toBe(200);
      const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1]!;
      expect(
        (
          await api()
            .post(`/f/${token}${path}`)
            .type('form')
            .send({ csrf, ...fields })
        ).status,
      ).toBe(303);
    };
    await form('/talent-pool', { action: 'join', locale: 'en' });
    await form('/talent-pool', { action: 'leave' });
    await form('/rating', { rating: '5', comment: 'Useful, thank you' });
    await form('/questions', { question: 'Which topics should I study?' });
    await form('/data-requests', { kind: 'export' });

    // application.rejected at confirmation: a rejection recorded without a message. No API makes
    // a candidate without an address, but the schema allows one (records kept from before
    // addresses were required), and the plan then needs a person's written override.
    const noEmail = { requisitionId: (await call('post', '/v1/requisitions', { title: 'Support Engineer' })).id as string };
    const noaCandidate = await call('post', '/v1/candidates', { name: 'Noa Nomail', emails: ['noa@candidates.test'] });
    const noa = await call('post', '/v1/applications', { candidate: { id: noaCandidate.id }, requisition: { id: noEmail.requisitionId } });
    await sql(ctx.database.url, 'DELETE FROM candidate_emails WHERE candidate_id = $1', [noaCandidate.id]);
    const plan = await call('post', `/v1/requisitions/${noEmail.requisitionId}/plans`, { chosen: [], targets: { mode: 'list', applicationIds: [noa.id] } });
    expect(plan.items[0].checks.map((c: { code: string }) => c.code)).toContain('missing_email');
    const confirmed = await call('post', `/v1/plans/${plan.id}/confirm`, {
      digest: plan.digest,
      chosenApplicationIds: [],
      overrides: [{ applicationId: noa.id, code: 'missing_email', reason: 'Told by phone; no email address on file' }],
    });
    expect(confirmed.messages).toEqual([]);

    // application.overdue (and a plan.created by the system): a promised decision date passed
    // without a final word, found by the sweep the workers run every minute (run here at once).
    const late = await call('post', '/v1/candidates', { name: 'Lia Late', emails: ['lia@candidates.test'] });
    const overdue = await call('post', '/v1/applications', {
      candidate: { id: late.id },
      requisition: { id: noEmail.requisitionId },
      promisedDecisionAt: new Date(Date.now() - 86_400_000).toISOString(),
    });
    expect(await ctx.deps.promises.sweepOverdue()).toBe(1);

    // candidate.erased: a person erased (here by an admin, without a request from their page).
    const erin = await call('post', '/v1/candidates', { name: 'Erin Erased', emails: ['erin@candidates.test'] });
    await call('post', `/v1/candidates/${erin.id}/erase`);

    // Every type in the catalogue arrived (each checked against its published schema below).
    await eventually(() => [...new Set(hub.received.map((r) => r.type))].sort(), { progress: () => hub.received.length }).toEqual([...eventTypes].sort());

    // What each says, for the flows above.
    const one = (type: EventType, where: Record<string, unknown>) =>
      eventually(() => hub.of(type)).toContainEqual(expect.objectContaining({ data: expect.objectContaining(where) }));
    await one('plan.created', { planId: flow.planId, requisitionId: flow.requisitionId, source: 'api', items: 6, messages: 5 });
    await one('plan.created', { requisitionId: noEmail.requisitionId, source: 'system', items: 1 });
    await one('application.overdue', { applicationId: overdue.id, candidateId: late.id, requisitionId: noEmail.requisitionId });
    for (const name of ['Ana', 'Ben', 'Cleo', 'Dev', 'Eve']) await one('message.approved', { messageId: flow.ids[name] });
    await one('message.recalled', { messageId: flow.ids.Dev });
    await one('message.held', { messageId: flow.ids.Cleo, code: 'send_check_failed', checks: expect.arrayContaining(['has_offer_or_hire']) });
    await one('message.failed', { messageId: flow.ids.Eve, code: 'inactive_recipient' });
    await one('message.sent', { messageId: flow.ids.Ana });
    await one('message.sent', { messageId: flow.ids.Ben });
    await one('message.delivered', { messageId: flow.ids.Ana });
    await one('message.bounced', { messageId: flow.ids.Ben, bounceType: 'HardBounce' });
    await one('endpoint.disabled', { endpointId: doomed.body.endpoint.id });
    const ana = { messageId: flow.ids.Ana, applicationId: flow.apps.Ana };
    await one('feedback.viewed', { ...ana, first: true });
    await one('candidate.talent_pool_joined', { ...ana, locale: 'en' });
    await one('candidate.talent_pool_left', ana);
    await one('candidate.feedback_rated', { ...ana, rating: 5 });
    await one('candidate.question_asked', ana);
    await one('candidate.data_requested', { ...ana, kind: 'export' });
    await one('candidate.erased', { candidateIds: [erin.id], dataRequestId: null });
    // The rejection an ATS may show: at the send for those an email told, at the confirmation for
    // the one recorded without a message; never for the held, recalled or refused ones.
    const rejected = () => Object.fromEntries(hub.of('application.rejected').map((r) => [r.data.applicationId as string, r.data.messageId]));
    await eventually(rejected).toEqual({ [flow.apps.Ana!]: flow.ids.Ana, [flow.apps.Ben!]: flow.ids.Ben, [noa.id]: null });
    await eventually(() => hub.of('plan.confirmed').map((r) => r.data.decisions)).toEqual([
      [{ applicationId: flow.apps.Hired, kind: 'hire' }],
      [{ applicationId: noa.id, kind: 'reject' }],
    ]);
    // Every event received, each with a payload its published schema accepts.
    for (const got of hub.received) {
      // Strict at both levels: a field the catalogue does not publish fails too.
      const schema = envelopeSchema(got.type, (eventDataSchemas[got.type as EventType] as z.ZodObject).strict()).strict();
      const parsed = schema.safeParse(got.body);
      expect(parsed.success, `${got.type}: ${parsed.error?.message}`).toBe(true);
    }
  });

  it('gives up on an outcome Postmark cannot be asked about: failed as unknown_unresolved, nothing resent', async () => {
    const flow = await confirmedRejections(['Uri']);
    const id = flow.ids.Uri!;
    await call('post', `/v1/messages/${id}/approve`, { contentVersion: 1, overrideReason: 'Reviewed for the events test' });
    // Postmark takes the email but the connection drops before its answer, and every search fails.
    fake.faults.dropNext(1, { path: '/email/batch' });
    fake.faults.failWithProbability(1, 500, { path: '/messages/outbound' });
    try {
      expect(await dispatch()).toBe(1);
      await eventually(() => statusOf(id)).toBe('unknown');
      // As if it had been searched for (and failed) every round but the last: the last runs for real.
      await sql(ctx.database.url, 'UPDATE messages SET reconcile_rounds = $2 WHERE id = $1', [id, MAX_RECONCILE_ROUNDS - 1]);
      await eventually(() => statusOf(id)).toBe('failed');
    } finally {
      fake.faults.clear();
    }
    const failed = await call('get', `/v1/messages/${id}`);
    expect(failed).toMatchObject({ status: 'failed', failureCode: 'unknown_unresolved', failureReason: expect.stringContaining('check Postmark') });
    const events = (await call('get', `/v1/messages/${id}/events`)).data.map((e: { type: string; detail: { code?: string } | null }) => [e.type, e.detail?.code ?? null]);
    expect(events).toEqual([
      ['unknown', null],
      ['failed', 'unknown_unresolved'],
    ]);
    await eventually(() =>
      hub
        .of('message.failed')
        .filter((r) => r.data.messageId === id)
        .map((r) => r.data.code),
    ).toEqual(['unknown_unresolved']);
    // Postmark got it once, and nothing sent it again: no sent event, no second email.
    expect(fake.messages().filter((m) => m.Addresses.To[0]?.Email === flow.address('Uri'))).toHaveLength(1);
    expect(hub.of('message.sent').filter((r) => r.data.messageId === id)).toEqual([]);
    expect(await dispatch()).toBe(0);
    expect(fake.messages().filter((m) => m.Addresses.To[0]?.Email === flow.address('Uri'))).toHaveLength(1);
  });
});
