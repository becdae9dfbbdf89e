// Delivery through the local Postmark server, driven by the real workers: what is sent, what is
// held and why, per-message outcomes, retries, unknown outcomes, recruiter retries, webhooks.
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/lib/hash.js';
import { organizationWebhookPassword } from '../../src/modules/delivery/postmark-webhooks.js';
import { FEEDBACK_TOKEN_PLACEHOLDER } from '../../src/modules/messages/feedback-link.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { sql } from '../helpers/database.js';
import { setUpSending, startDelivery } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { startPostmarkServer, type PostmarkFake } from '../postmark/server.js';
import { eventually } from '../helpers/wait.js';

let ctx: TestContext;
let fake: PostmarkFake;
let org: TestOrganization;
let writer: string;
let approver: string;
let delivery: Awaited<ReturnType<typeof startDelivery>>;
const WEBHOOK_PASSWORD = 'webhook-password-for-tests';

beforeAll(async () => {
  fake = await startPostmarkServer();
  ctx = await createTestContext({
    OUTBOX_POLL_MS: '50',
    POSTMARK_API_URL: fake.url,
    POSTMARK_TIMEOUT_MS: '15000', // a loaded machine answers slowly; no test here is about timeouts
    POSTMARK_WEBHOOK_PASSWORD: WEBHOOK_PASSWORD,
    DELIVERY_RETRY_BASE_MS: '50',
    DELIVERY_MAX_ATTEMPTS: '6',
    DELIVERY_RECONCILE_DELAY_MS: '100',
    DELIVERY_STALE_MS: '5000',
  });
  org = await createOrganization(ctx.deps);
  writer = await org.key(['read', 'write']);
  approver = await org.key(['read', 'approve']);
  await setUpSending(ctx, org);
  delivery = await startDelivery(ctx);
});
afterEach(() => fake.faults.clear());
afterAll(async () => {
  await delivery?.stop();
  await ctx?.close();
  await fake?.close();
});

const api = () => request(ctx.app.server);
const post = (path: string, body: object, key = writer) => api().post(path).set(bearer(key)).send(body);
const get = (path: string, key = writer) => api().get(path).set(bearer(key));
const message = async (id: string) => (await get(`/v1/messages/${id}`)).body;
const statusOf = async (id: string) => (await message(id)).status as string;
// To carries the candidate's name too ("Ana Lima" <ana@...>): compare the address.
const toAddress = (m: { Addresses: { To: { Email: string }[] } }) => m.Addresses.To[0]?.Email ?? '';
const sentTo = (address: string) => fake.messages().filter((m) => toAddress(m) === address);

let round = 0;
/**
 * A confirmed plan (one hire, one rejection per person), rendered, and — unless `approve` is
 * false — approved: with the test organization's settings the messages are due at once.
 */
async function approvedRejections(people: string[], { approve = true } = {}) {
  const r = ++round;
  const req = (await post('/v1/requisitions', { title: `Data Engineer ${r}`, hiringContact: { name: 'Rita Alves', email: 'rita@northwind.test' } })).body;
  const apps: Record<string, string> = {};
  const candidates: Record<string, string> = {};
  for (const name of ['Hired', ...people]) {
    const email = `${name.toLowerCase()}.${r}@candidates.test`;
    const candidate = (await post('/v1/candidates', { name: `${name} Person`, emails: [email] })).body;
    candidates[name] = candidate.id;
    apps[name] = (await post('/v1/applications', { candidate: { id: candidate.id }, requisition: { id: req.id } })).body.id;
  }
  const plan = (await post(`/v1/requisitions/${req.id}/plans`, { chosen: [{ applicationId: apps.Hired }], targets: { mode: 'all_others_active' } })).body;
  const confirmation = (await post(`/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [apps.Hired] })).body;
  await ctx.deps.messages.renderPlan(plan.id);
  const ids: Record<string, string> = {};
  for (const name of people) {
    ids[name] = confirmation.messages.find((m: { applicationId: string }) => m.applicationId === apps[name]).id;
    if (approve) {
      const approved = await post(`/v1/messages/${ids[name]}/approve`, { contentVersion: 1 }, approver);
      expect(approved.status).toBe(200);
    }
  }
  const address = (name: string) => `${name.toLowerCase()}.${r}@candidates.test`;
  return { ids, apps, candidates, address, requisitionId: req.id as string };
}

const dispatch = () => ctx.deps.delivery.dispatchDue();

describe('delivery', () => {
  it('sends each approved message once, with its link token, metadata, stream and sender', async () => {
    const { ids, address } = await approvedRejections(['Ana', 'Ben']);
    expect(await dispatch()).toBe(2);
    await eventually(() => statusOf(ids.Ana!)).toBe('sent');
    await eventually(() => statusOf(ids.Ben!)).toBe('sent');
    expect(await dispatch()).toBe(0);

    expect(sentTo(address('Ana'))).toHaveLength(1);
    const [email] = sentTo(address('Ana'));
    expect(email).toMatchObject({ From: '"Northwind Talent" <talent@northwind.test>', MessageStream: 'outbound', Tag: 'rejection_after_interview' });
    expect(email!.Metadata).toMatchObject({ hearback_message_id: ids.Ana, hearback_org_id: org.id });
    // The token went in at the last moment; only its hash is stored.
    expect(email!.TextBody).not.toContain(FEEDBACK_TOKEN_PLACEHOLDER);
    const token = /\/f\/([A-Za-z0-9_-]{43})/.exec(email!.TextBody ?? '')![1]!;
    expect(email!.HtmlBody).toContain(`/f/${token}`);
    const [row] = await sql(ctx.database.url, 'SELECT feedback_token_hash, sent_at, feedback_link_expires_at, postmark_message_id FROM messages WHERE id = $1', [ids.Ana]);
    expect(row!.feedback_token_hash).toBe(sha256Hex(token));
    expect(row!.postmark_message_id).toBe(email!.MessageID);
    // The link lives feedbackLinkDays (180) from the send, not from the render.
    expect((row!.feedback_link_expires_at.getTime() - row!.sent_at.getTime()) / 86_400_000).toBeCloseTo(180, 3);

    expect(await message(ids.Ana!)).toMatchObject({ status: 'sent', sendAttempts: 1, postmarkMessageId: email!.MessageID, failureCode: null });
    expect((await get(`/v1/messages/${ids.Ana}/events`)).body.data.map((e: { type: string }) => e.type)).toEqual(['sent']);
  });

  it('holds a rejection when an offer arrived after approval, and says why', async () => {
    const { ids, apps, address } = await approvedRejections(['Cleo', 'Dev']);
    expect((await post('/v1/decisions', { application: { id: apps.Cleo }, kind: 'offer' })).status).toBe(201);
    // Held as soon as the offer is recorded, not only at its send time: no `approved` in between.
    expect(await statusOf(ids.Cleo!)).toBe('held');
    expect((await get(`/v1/messages/${ids.Cleo}/events`)).body.data.map((e: { type: string }) => e.type)).toEqual(['held']);
    await dispatch();
    await eventually(() => statusOf(ids.Dev!)).toBe('sent');
    expect(await statusOf(ids.Cleo!)).toBe('held');
    const cleo = await message(ids.Cleo!);
    expect(cleo.failureCode).toBe('send_check_failed');
    expect(cleo.failureReason).toContain('has_offer_or_hire');
    expect(cleo.sendChecks.map((c: { code: string }) => c.code)).toEqual(expect.arrayContaining(['has_offer_or_hire', 'newer_positive_decision']));
    expect(sentTo(address('Cleo'))).toHaveLength(0);
    // Listed for the recruiter with its reason; retrying re-runs the checks, which still hold it.
    const held = (await get('/v1/messages?status=held')).body.data.find((m: { id: string }) => m.id === ids.Cleo);
    expect(held).toMatchObject({ status: 'held', failureCode: 'send_check_failed', failureReason: expect.stringContaining('offer') });
    expect((await get('/v1/messages?status=failed')).body.data.map((m: { id: string }) => m.id)).not.toContain(ids.Cleo);
    expect((await post(`/v1/messages/${ids.Cleo}/retry`, {}, approver)).body.status).toBe('approved');
    await dispatch();
    await eventually(() => statusOf(ids.Cleo!)).toBe('held');
    expect((await message(ids.Cleo!)).failureCode).toBe('send_check_failed');
    expect(sentTo(address('Cleo'))).toHaveLength(0);
    // And a recruiter can close it.
    expect((await post(`/v1/messages/${ids.Cleo}/cancel`, {}, writer)).body.status).toBe('cancelled');
  });

  it('holds a rejection whose recipient was merged into the chosen candidate after approval', async () => {
    const { ids, candidates, address } = await approvedRejections(['Eve']);
    expect((await post(`/v1/candidates/${candidates.Eve}/links`, { candidateId: candidates.Hired, source: 'greenhouse', note: 'merge 123' })).status).toBe(201);
    expect(await statusOf(ids.Eve!)).toBe('held');
    await dispatch();
    expect(await statusOf(ids.Eve!)).toBe('held');
    expect((await message(ids.Eve!)).sendChecks.map((c: { code: string }) => c.code)).toContain('same_person_as_chosen');
    expect(sentTo(address('Eve'))).toHaveLength(0);
  });

  it('never sends what was recalled, edited after approval, or changed behind its back', async () => {
    const { ids, address } = await approvedRejections(['Fay', 'Gus', 'Hal']);
    expect((await post(`/v1/messages/${ids.Fay}/recall`, {}, approver)).body.status).toBe('recalled');
    expect((await api().patch(`/v1/messages/${ids.Gus}`).set(bearer(writer)).send({ contentVersion: 1, subject: 'A new subject' })).body.status).toBe('pending_approval');
    await sql(ctx.database.url, `UPDATE messages SET text = text || ' P.S.' WHERE id = $1`, [ids.Hal]);
    expect(await dispatch()).toBe(1);
    await eventually(() => statusOf(ids.Hal!)).toBe('held');
    expect((await message(ids.Hal!)).failureCode).toBe('content_changed');
    expect(fake.messages().filter((m) => [address('Fay'), address('Gus'), address('Hal')].includes(toAddress(m)))).toHaveLength(0);
  });

  it('waits again when the interview moved after approval', async () => {
    const { ids, apps, address } = await approvedRejections(['Ivy']);
    await api().patch('/v1/organization').set(bearer(org.adminKey)).send({ hoursAfterInterview: 24 });
    try {
      const interview = new Date(Date.now() + 3_600_000).toISOString();
      expect((await api().patch(`/v1/applications/${apps.Ivy}`).set(bearer(writer)).send({ lastInterviewAt: interview })).status).toBe(200);
      await dispatch();
      await eventually(async () => (await get(`/v1/messages/${ids.Ivy}/events`)).body.data.map((e: { type: string }) => e.type)).toEqual(['rescheduled']);
      const ivy = await message(ids.Ivy!);
      expect(ivy.status).toBe('approved');
      expect(new Date(ivy.sendAt).getTime()).toBeGreaterThanOrEqual(Date.parse(interview) + 24 * 3_600_000);
      expect(sentTo(address('Ivy'))).toHaveLength(0);
    } finally {
      await api().patch('/v1/organization').set(bearer(org.adminKey)).send({ hoursAfterInterview: 0 });
    }
  });

  it('gives approved messages the time a changed send policy gives them, when asked', async () => {
    await api().patch('/v1/organization').set(bearer(org.adminKey)).send({ hoursAfterInterview: 48 });
    try {
      const { ids, apps } = await approvedRejections(['Uma'], { approve: false });
      expect((await api().patch(`/v1/applications/${apps.Uma}`).set(bearer(writer)).send({ lastInterviewAt: new Date().toISOString() })).status).toBe(200);
      const approved = (await post(`/v1/messages/${ids.Uma}/approve`, { contentVersion: 1 }, approver)).body;
      expect(new Date(approved.sendAt).getTime()).toBeGreaterThan(Date.now() + 47 * 3_600_000);
      // The policy changes; what is approved keeps its time until someone asks.
      await api().patch('/v1/organization').set(bearer(org.adminKey)).send({ hoursAfterInterview: 0 });
      expect((await message(ids.Uma!)).sendAt).toBe(approved.sendAt);
      expect((await post('/v1/messages/reschedule', {}, writer)).status).toBe(403);
      const scope = { requisitionId: (await message(ids.Uma!)).requisitionId };
      const result = await post('/v1/messages/reschedule', scope, approver);
      expect(result.body).toEqual({ rescheduled: 1, unchanged: 0 });
      const after = await message(ids.Uma!);
      expect(after.status).toBe('approved');
      expect(new Date(after.sendAt).getTime()).toBeLessThan(Date.now() + 3_600_000);
      expect((await get(`/v1/messages/${ids.Uma}/events`)).body.data.map((e: { type: string }) => e.type)).toEqual(['rescheduled']);
      // Asking again changes nothing.
      expect((await post('/v1/messages/reschedule', scope, approver)).body).toEqual({ rescheduled: 0, unchanged: 1 });
    } finally {
      await api().patch('/v1/organization').set(bearer(org.adminKey)).send({ hoursAfterInterview: 0 });
    }
  });

  it('holds the runner-ups until the offer is accepted, and cancels their rejections when it is declined', async () => {
    const offerRound = async (people: string[]) => {
      const req = (await post('/v1/requisitions', { title: `Offer round ${++round}` })).body;
      const apps: Record<string, string> = {};
      for (const name of ['Chosen', ...people]) {
        const candidate = (await post('/v1/candidates', { name: `${name} ${round}`, emails: [`${name.toLowerCase()}.offer${round}@candidates.test`] })).body;
        apps[name] = (await post('/v1/applications', { candidate: { id: candidate.id }, requisition: { id: req.id } })).body.id;
      }
      const plan = (await post(`/v1/requisitions/${req.id}/plans`, { chosen: [{ applicationId: apps.Chosen, action: 'offer' }], targets: { mode: 'all_others_active' } })).body;
      const confirmation = (await post(`/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [apps.Chosen] })).body;
      await ctx.deps.messages.renderPlan(plan.id);
      const ids: Record<string, string> = {};
      for (const name of people) {
        ids[name] = confirmation.messages.find((m: { applicationId: string }) => m.applicationId === apps[name]).id;
        expect((await post(`/v1/messages/${ids[name]}/approve`, { contentVersion: 1 }, approver)).status).toBe(200);
      }
      return { apps, ids, r: round };
    };

    const accepted = await offerRound(['Pia']);
    await dispatch();
    await eventually(() => statusOf(accepted.ids.Pia!)).toBe('held');
    expect(await message(accepted.ids.Pia!)).toMatchObject({ failureCode: 'offer_not_accepted' });
    expect(sentTo(`pia.offer${accepted.r}@candidates.test`)).toHaveLength(0);
    expect((await post('/v1/decisions', { application: { id: accepted.apps.Chosen }, kind: 'offer_accepted' })).body.applicationStatus).toBe('hired');
    expect(await statusOf(accepted.ids.Pia!)).toBe('approved');
    await dispatch();
    await eventually(() => statusOf(accepted.ids.Pia!)).toBe('sent');
    expect(sentTo(`pia.offer${accepted.r}@candidates.test`)).toHaveLength(1);
    expect((await get(`/v1/messages/${accepted.ids.Pia}/events`)).body.data.map((e: { type: string }) => e.type)).toEqual(['held', 'released', 'sent']);

    const declined = await offerRound(['Quin']);
    await dispatch();
    await eventually(() => statusOf(declined.ids.Quin!)).toBe('held');
    expect((await post('/v1/decisions', { application: { id: declined.apps.Chosen }, kind: 'offer_declined' })).body.applicationStatus).toBe('withdrawn');
    expect(await statusOf(declined.ids.Quin!)).toBe('cancelled');
    await dispatch();
    expect(sentTo(`quin.offer${declined.r}@candidates.test`)).toHaveLength(0);
    // Quin was never told anything, and can be chosen now.
    expect((await get(`/v1/applications/${declined.apps.Quin}`)).body.status).toBe('active');
  });

  it('reads each entry of a batch: an inactive recipient fails for good and is suppressed', async () => {
    const { ids, address } = await approvedRejections(['Jo', 'Kai']);
    fake.markInactive(address('Jo'));
    await dispatch();
    await eventually(() => statusOf(ids.Jo!)).toBe('failed');
    await eventually(() => statusOf(ids.Kai!)).toBe('sent');
    expect(await message(ids.Jo!)).toMatchObject({ failureCode: 'inactive_recipient', failureReason: expect.stringContaining('406') });
    const listed = (await get(`/v1/suppressions?email=${encodeURIComponent(address('Jo'))}`)).body.data;
    expect(listed).toEqual([expect.objectContaining({ email: address('Jo'), reason: 'inactive_recipient', source: 'postmark' })]);
    // Later plans warn about it.
    const req = (await post('/v1/requisitions', { title: 'Another role' })).body;
    const jo = (await get(`/v1/candidates?email=${encodeURIComponent(address('Jo'))}`)).body.data[0];
    const application = (await post('/v1/applications', { candidate: { id: jo.id }, requisition: { id: req.id } })).body;
    const plan = (await post(`/v1/requisitions/${req.id}/plans`, { chosen: [], targets: { mode: 'list', applicationIds: [application.id] } })).body;
    expect(plan.items[0].checks.map((c: { code: string }) => c.code)).toContain('suppressed_recipient');
  });

  it('holds messages to suppressed addresses', async () => {
    const { ids, address } = await approvedRejections(['Lea']);
    expect((await post('/v1/suppressions', { email: address('Lea').toUpperCase(), reason: 'asked_not_to_be_contacted' })).status).toBe(200);
    await dispatch();
    await eventually(() => statusOf(ids.Lea!)).toBe('held');
    expect((await message(ids.Lea!)).failureCode).toBe('recipient_suppressed');
    expect(
      (
        await api()
          .delete(`/v1/suppressions/${encodeURIComponent(address('Lea'))}`)
          .set(bearer(org.adminKey))
      ).status,
    ).toBe(204);
    await post(`/v1/messages/${ids.Lea}/retry`, {}, approver);
    await dispatch();
    await eventually(() => statusOf(ids.Lea!)).toBe('sent');
    expect(sentTo(address('Lea'))).toHaveLength(1);
  });

  it('backs off through a 429 and 503 storm and delivers once', async () => {
    const { ids, address } = await approvedRejections(['Max', 'Noa']);
    fake.faults.failNext(2, 429, { retryAfterSeconds: 0 });
    fake.faults.failNext(2, 503);
    await dispatch();
    await eventually(() => statusOf(ids.Max!)).toBe('sent');
    await eventually(() => statusOf(ids.Noa!)).toBe('sent');
    expect((await message(ids.Max!)).sendAttempts).toBe(5);
    expect(sentTo(address('Max'))).toHaveLength(1);
    expect(sentTo(address('Noa'))).toHaveLength(1);
  });

  it('gives up after the last attempt, says so, and sends when a recruiter retries', async () => {
    const { ids, address } = await approvedRejections(['Oli']);
    fake.faults.failNext(6, 500);
    await dispatch();
    await eventually(() => statusOf(ids.Oli!)).toBe('failed');
    expect(await message(ids.Oli!)).toMatchObject({ failureCode: 'retries_exhausted', sendAttempts: 6, failureReason: expect.stringContaining('500') });
    expect((await post(`/v1/messages/${ids.Oli}/retry`, {}, writer)).status).toBe(403);
    expect((await post(`/v1/messages/${ids.Oli}/retry`, {}, approver)).status).toBe(200);
    expect((await post(`/v1/messages/${ids.Oli}/retry`, {}, approver)).body.code).toBe('message_state');
    await dispatch();
    await eventually(() => statusOf(ids.Oli!)).toBe('sent');
    expect(sentTo(address('Oli'))).toHaveLength(1);
    const types = (await get(`/v1/messages/${ids.Oli}/events`)).body.data.map((e: { type: string }) => e.type);
    expect(types).toEqual(['failed', 'retried', 'sent']);
  });

  it('reconciles a batch Postmark accepted before the connection dropped: nothing sent twice', async () => {
    const { ids, address } = await approvedRejections(['Pia', 'Quinn']);
    fake.faults.dropNext(1, { path: '/email/batch' });
    await dispatch();
    await eventually(() => statusOf(ids.Pia!)).toBe('sent');
    await eventually(() => statusOf(ids.Quinn!)).toBe('sent');
    expect(sentTo(address('Pia'))).toHaveLength(1);
    expect(sentTo(address('Quinn'))).toHaveLength(1);
    const types = (await get(`/v1/messages/${ids.Pia}/events`)).body.data.map((e: { type: string; detail: Record<string, unknown> }) => [e.type, e.detail?.found ?? null]);
    expect(types).toEqual([
      ['unknown', null],
      ['reconciled', true],
    ]);
    expect((await message(ids.Pia!)).postmarkMessageId).toBe(sentTo(address('Pia'))[0]!.MessageID);
  });

  it('sends again when an unknown outcome is not found at Postmark', async () => {
    const { ids: again, address: addressAgain } = await approvedRejections(['Sam']);
    await dispatch();
    await eventually(() => statusOf(again.Sam!)).toBe('sent');
    // As if Postmark had never received it: unknown, and absent from its outbound messages.
    await sql(ctx.database.url, `UPDATE messages SET status = 'unknown', next_attempt_at = now(), postmark_message_id = NULL WHERE id = $1`, [again.Sam]);
    fake.reset();
    await ctx.deps.delivery.reconcile((await sql(ctx.database.url, 'SELECT batch_id FROM messages WHERE id = $1', [again.Sam]))[0]!.batch_id);
    await eventually(() => statusOf(again.Sam!)).toBe('sent');
    expect(sentTo(addressAgain('Sam'))).toHaveLength(1);
  });

  it('reconciles a whole batch found at Postmark in one go, even when every statement is slow', async () => {
    const busy = await createOrganization(ctx.deps);
    await setUpSending(ctx, busy);
    const { seedApprovedMessages } = await import('../helpers/delivery.js');
    const { ids, recipients } = await seedApprovedMessages(ctx.database.url, {
      organizationId: busy.id,
      count: 500,
      publicBaseUrl: ctx.config.PUBLIC_BASE_URL,
      linkSecret: ctx.config.ENCRYPTION_KEY,
      domain: 'reconciled.test',
    });
    const sentCount = async () => Number((await sql(ctx.database.url, `SELECT count(*) AS n FROM messages WHERE id = ANY($1::uuid[]) AND status = 'sent'`, [ids]))[0]!.n);
    await dispatch();
    await eventually(sentCount, { progress: () => fake.messages().length }).toBe(500);
    // As if the worker had died between Postmark's answer and writing it down, for a whole batch.
    const batchId = crypto.randomUUID();
    await sql(
      ctx.database.url,
      `UPDATE messages SET status = 'unknown', batch_id = $2, next_attempt_at = now(), postmark_message_id = NULL, sent_at = NULL WHERE id = ANY($1::uuid[])`,
      [ids, batchId],
    );
    // A busy database: every statement on messages costs 20 ms. One per message would take 10 s,
    // past the 5 s an interactive transaction may last.
    await sql(ctx.database.url, `CREATE FUNCTION slow_statement() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.02); RETURN NULL; END $$`);
    await sql(ctx.database.url, `CREATE TRIGGER slow_statement AFTER UPDATE ON messages FOR EACH STATEMENT EXECUTE FUNCTION slow_statement()`);
    try {
      expect(await ctx.deps.delivery.reconcile(batchId)).toMatchObject({ found: 500, absent: 0 });
    } finally {
      await sql(ctx.database.url, 'DROP TRIGGER slow_statement ON messages');
      await sql(ctx.database.url, 'DROP FUNCTION slow_statement()');
    }
    expect(await sentCount()).toBe(500);
    const [{ missing }] = (await sql(
      ctx.database.url,
      `SELECT count(*)::int AS missing FROM messages WHERE id = ANY($1::uuid[]) AND (postmark_message_id IS NULL OR sent_at IS NULL)`,
      [ids],
    )) as [{ missing: number }];
    expect(missing).toBe(0);
    // Found, not sent again.
    expect(fake.messages().filter((m) => recipients.includes(toAddress(m)))).toHaveLength(500);
  });

  it('fails clearly without a Postmark setup, and never shows the token', async () => {
    const other = await createOrganization(ctx.deps);
    await api().patch('/v1/organization').set(bearer(other.adminKey)).send({ undoWindowMinutes: 0, sendHourStart: 0, sendHourEnd: 24, sendWeekdaysOnly: false });
    expect((await get('/v1/organization/postmark', other.adminKey)).body).toMatchObject({ configured: false, tokenHint: null });
    const seeded = await import('../helpers/delivery.js').then((m) =>
      m.seedApprovedMessages(ctx.database.url, { organizationId: other.id, count: 2, publicBaseUrl: ctx.config.PUBLIC_BASE_URL, linkSecret: ctx.config.ENCRYPTION_KEY }),
    );
    await dispatch();
    await eventually(async () => (await get(`/v1/messages/${seeded.ids[0]}`, other.adminKey)).body.failureCode).toBe('postmark_not_configured');

    const set = await api().put('/v1/organization/postmark').set(bearer(other.adminKey)).send({ serverToken: 'pm-secret-token-7777', senderEmail: 'jobs@other.test' });
    expect(set.body).toEqual({
      configured: true,
      tokenHint: '7777',
      senderEmail: 'jobs@other.test',
      senderName: null,
      messageStream: 'outbound',
      webhookUrl: `http://postmark:${organizationWebhookPassword(WEBHOOK_PASSWORD, other.id)}@localhost:3000/webhooks/postmark/${other.id}`,
    });
    // It holds a credential: admins only.
    expect((await get('/v1/organization/postmark', await other.key(['read']))).status).toBe(403);
    const [stored] = await sql(ctx.database.url, 'SELECT postmark_server_token FROM organizations WHERE id = $1', [other.id]);
    expect(stored!.postmark_server_token).not.toContain('pm-secret-token');
    expect(JSON.stringify((await get(`/v1/audit-events?action=organization.postmark_configured`, other.adminKey)).body)).not.toContain('pm-secret-token');
    const bad = await api().put('/v1/organization/postmark').set(bearer(other.adminKey)).send({ serverToken: 'x', senderEmail: 'not an address' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.senderEmail', 'body.serverToken']);

    for (const id of seeded.ids) expect((await post(`/v1/messages/${id}/retry`, {}, other.adminKey)).status).toBe(200);
    await dispatch();
    await eventually(async () => (await get(`/v1/messages/${seeded.ids[1]}`, other.adminKey)).body.status).toBe('sent');
    // Without a sender name, the organization's name is shown.
    expect(fake.messages().find((m) => toAddress(m) === seeded.recipients[0])?.From).toMatch(/^"Org \d+" <jobs@other\.test>$/);
  });

  it('exposes message and lag metrics', async () => {
    const metrics = (await api().get('/metrics')).text;
    expect(metrics).toMatch(/hearback_messages\{status="sent"\} [1-9]/);
    expect(metrics).toMatch(/hearback_messages\{status="unknown"\} \d+/);
    expect(metrics).toMatch(/hearback_delivery_lag_seconds \d/);
  });
});

describe('Postmark webhooks', () => {
  const passwordOf = (organizationId: string) => organizationWebhookPassword(WEBHOOK_PASSWORD, organizationId);
  const hook = (body: object, password = passwordOf(org.id), organizationId = org.id) =>
    api().post(`/webhooks/postmark/${organizationId}`).auth(ctx.config.POSTMARK_WEBHOOK_USER, password).send(body);

  async function sentMessage(name: string) {
    const { ids, address } = await approvedRejections([name]);
    await dispatch();
    await eventually(() => statusOf(ids[name]!)).toBe('sent');
    const sent = await message(ids[name]!);
    return { id: ids[name]!, address: address(name), postmarkId: sent.postmarkMessageId as string };
  }

  it('refuses wrong or missing credentials with a problem and a challenge', async () => {
    const wrong = await hook({ RecordType: 'Delivery', MessageID: 'x' }, 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toContain('Basic');
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    expect(wrong.body.code).toBe('webhook_unauthorized');
    expect((await api().post(`/webhooks/postmark/${org.id}`).send({ RecordType: 'Delivery' })).status).toBe(401);
    // The shared secret itself, or another organization's password, opens nothing.
    expect((await hook({ RecordType: 'Delivery', MessageID: 'x' }, WEBHOOK_PASSWORD)).status).toBe(401);
    const other = await createOrganization(ctx.deps);
    expect((await hook({ RecordType: 'Delivery', MessageID: 'x' }, passwordOf(other.id))).status).toBe(401);
    const malformed = await hook({ MessageID: 'x' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].path).toBe('body.RecordType');
  });

  it('marks deliveries and opens, once per (MessageID, RecordType)', async () => {
    const { id, address, postmarkId } = await sentMessage('Tia');
    const delivery = { RecordType: 'Delivery', MessageID: postmarkId, Recipient: address, DeliveredAt: '2026-11-22T10:00:00Z', Metadata: { hearback_message_id: id } };
    expect((await hook(delivery)).body).toEqual({ received: true, duplicate: false });
    expect((await hook(delivery)).body).toEqual({ received: true, duplicate: true });
    await hook({ RecordType: 'Open', MessageID: postmarkId, ReceivedAt: '2026-11-22T11:00:00Z', FirstOpen: true });
    const tia = await message(id);
    expect(tia).toMatchObject({ status: 'delivered', deliveredAt: '2026-11-22T10:00:00.000Z', openedAt: '2026-11-22T11:00:00.000Z' });
    expect((await get(`/v1/messages/${id}/events`)).body.data.map((e: { type: string; source: string }) => `${e.type}/${e.source}`)).toEqual([
      'sent/hearback',
      'delivered/postmark',
      'opened/postmark',
    ]);
  });

  it('turns hard bounces, spam complaints and unsubscribes into suppressions; reactivation lifts them', async () => {
    const bounced = await sentMessage('Uma');
    await hook({
      RecordType: 'Bounce',
      MessageID: bounced.postmarkId,
      Type: 'HardBounce',
      Email: bounced.address,
      Inactive: true,
      Description: 'The server was unable to deliver your message',
      BouncedAt: '2026-11-22T10:05:00Z',
    });
    expect(await message(bounced.id)).toMatchObject({ status: 'bounced', failureCode: 'bounced', bouncedAt: '2026-11-22T10:05:00.000Z' });
    const soft = await sentMessage('Vic');
    await hook({ RecordType: 'Bounce', MessageID: soft.postmarkId, Type: 'SoftBounce', Email: soft.address, Inactive: false });
    expect((await message(soft.id)).status).toBe('sent');

    const complained = await sentMessage('Wes');
    await hook({ RecordType: 'SpamComplaint', MessageID: complained.postmarkId, Type: 'SpamComplaint', Email: complained.address });
    const unsubscribed = await sentMessage('Xia');
    await hook({
      RecordType: 'SubscriptionChange',
      MessageID: unsubscribed.postmarkId,
      Recipient: unsubscribed.address,
      SuppressSending: true,
      SuppressionReason: 'ManualSuppression',
      ChangedAt: '2026-11-22T10:10:00Z',
      Metadata: { hearback_message_id: unsubscribed.id },
    });

    const reasons = async () => Object.fromEntries((await get('/v1/suppressions?limit=200')).body.data.map((s: { email: string; reason: string }) => [s.email, s.reason]));
    expect(await reasons()).toMatchObject({ [bounced.address]: 'hard_bounce', [complained.address]: 'spam_complaint', [unsubscribed.address]: 'unsubscribed' });
    expect((await reasons())[soft.address]).toBeUndefined();

    // A reactivation made in Postmark's UI carries no MessageID; it lifts what Postmark put there.
    const lifted = await hook({
      RecordType: 'SubscriptionChange',
      MessageID: null,
      Recipient: unsubscribed.address,
      SuppressSending: false,
      Origin: 'Customer',
      ChangedAt: '2026-11-22T12:00:00Z',
    });
    expect(lifted.body).toEqual({ received: true, duplicate: false });
    expect((await reasons())[unsubscribed.address]).toBeUndefined();
  });

  it('never touches another organization’s messages, whatever the payload says', async () => {
    const { id, postmarkId } = await sentMessage('Yan');
    const other = await createOrganization(ctx.deps);
    const forged = await hook(
      { RecordType: 'Bounce', MessageID: postmarkId, Type: 'HardBounce', Inactive: true, Email: 'x@y.test', Metadata: { hearback_message_id: id } },
      passwordOf(other.id),
      other.id,
    );
    expect(forged.body).toEqual({ received: true, duplicate: false });
    expect((await message(id)).status).toBe('sent');
    // The real one still applies: a different organization's delivery of the same MessageID is not a duplicate of it.
    const bounce = { RecordType: 'Bounce', ID: 42, MessageID: postmarkId, Type: 'SoftBounce', Inactive: false, Email: 'x@y.test' };
    expect((await hook(bounce)).body.duplicate).toBe(false);
    expect((await hook(bounce)).body.duplicate).toBe(true);
    // A later hard bounce of the same message is its own event.
    await hook({ ...bounce, ID: 43, Type: 'HardBounce', Inactive: true });
    expect((await message(id)).status).toBe('bounced');
  });

  it('scopes deduplication by organization: another organization posting a MessageID first blocks nothing', async () => {
    const { id, address, postmarkId } = await sentMessage('Zoe');
    const other = await createOrganization(ctx.deps);
    const asOther = (body: object) => hook(body, passwordOf(other.id), other.id);
    const delivery = { RecordType: 'Delivery', MessageID: postmarkId, Recipient: address, DeliveredAt: '2026-11-22T10:00:00Z', Metadata: { hearback_message_id: id } };
    const hardBounce = { RecordType: 'Bounce', ID: 77, MessageID: postmarkId, Type: 'HardBounce', Inactive: true, Email: address, BouncedAt: '2026-11-22T10:05:00Z' };
    // The other organization's credentials, this organization's MessageID: acknowledged, nothing done, nothing kept.
    expect((await asOther(delivery)).body).toEqual({ received: true, duplicate: false });
    expect((await asOther(hardBounce)).body).toEqual({ received: true, duplicate: false });
    expect((await message(id)).status).toBe('sent');
    expect((await get('/v1/suppressions?limit=200', other.adminKey)).body.data).toEqual([]);
    expect(await sql(ctx.database.url, `SELECT 1 FROM postmark_webhook_events WHERE organization_id = '${other.id}'`)).toEqual([]);

    // The real events still apply, once each.
    expect((await hook(delivery)).body).toEqual({ received: true, duplicate: false });
    expect(await message(id)).toMatchObject({ status: 'delivered', deliveredAt: '2026-11-22T10:00:00.000Z' });
    expect((await hook(hardBounce)).body).toEqual({ received: true, duplicate: false });
    expect((await hook(hardBounce)).body).toEqual({ received: true, duplicate: true });
    expect(await message(id)).toMatchObject({ status: 'bounced', bouncedAt: '2026-11-22T10:05:00.000Z' });
    const suppressed = (await get(`/v1/suppressions?email=${encodeURIComponent(address)}`)).body.data;
    expect(suppressed).toEqual([expect.objectContaining({ email: address, reason: 'hard_bounce', source: 'postmark' })]);
  });

  it('keeps a MessageID nobody knows yet per organization: the other’s copy is no duplicate of the real one', async () => {
    const { id } = await sentMessage('Ama');
    const other = await createOrganization(ctx.deps);
    // Postmark may call before the send is recorded: matched by our metadata, under a MessageID no message has yet.
    const early = { RecordType: 'Delivery', MessageID: `early-${id}`, DeliveredAt: '2026-11-22T09:00:00Z', Metadata: { hearback_message_id: id } };
    expect((await hook(early, passwordOf(other.id), other.id)).body).toEqual({ received: true, duplicate: false });
    expect((await message(id)).status).toBe('sent');
    expect((await hook(early)).body).toEqual({ received: true, duplicate: false });
    expect(await message(id)).toMatchObject({ status: 'delivered', deliveredAt: '2026-11-22T09:00:00.000Z' });
  });

  it('keeps deliveries about unknown messages for inspection without failing', async () => {
    const unknown = await hook({ RecordType: 'Click', MessageID: 'not-one-of-ours', OriginalLink: `https://hb.test/f/${'t'.repeat(43)}?utm=1` });
    expect(unknown.body).toEqual({ received: true, duplicate: false });
    const [row] = await sql(ctx.database.url, `SELECT message_id, payload->>'OriginalLink' AS link FROM postmark_webhook_events WHERE postmark_message_id = 'not-one-of-ours'`);
    // A click on the candidate's link is kept without its token (a credential).
    expect(row).toEqual({ message_id: null, link: 'https://hb.test/f/[token]?utm=1' });
  });
});
