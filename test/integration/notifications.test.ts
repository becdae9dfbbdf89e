// Notifications: each trigger reaches the right people (the requisition's members, else the
// admins), read and unread, preferences, one email per notification exactly once, a daily digest
// gathering a day's events in the reader's time zone and language, the reminder before an ATS
// plan expires (once), and Postmark refusing the organization told once a day, not per message.
import { v7 as uuidv7 } from 'uuid';
import request from 'supertest';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSystemMailer } from '../../src/modules/delivery/system-mail.js';
import { createNotificationsService } from '../../src/modules/notifications/notifications.service.js';
import { emitEvents, type EmittedEvent } from '../../src/modules/outgoing-webhooks/events.js';
import { webhookHeaders } from '../../src/modules/webhook-signatures/standard-webhooks.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { sql } from '../helpers/database.js';
import { seedApprovedMessages, setUpSending, startDelivery } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { invitePerson, type SignedIn } from '../helpers/people.js';
import { eventually, waitFor } from '../helpers/wait.js';
import { startPostmarkServer, type PostmarkFake } from '../postmark/server.js';

let ctx: TestContext;
let fake: PostmarkFake;
let org: TestOrganization;
let workers: Awaited<ReturnType<typeof startDelivery>>;
let admin: SignedIn;
let rita: SignedIn;
let hank: SignedIn;
let vera: SignedIn;
let otto: SignedIn;
/** A requisition with approved messages, rita, hank and vera its members. */
let seeded: { requisitionId: string; ids: string[] };

const api = () => request(ctx.app.server);
const ref = () => ({ messageId: seeded.ids[0]!, applicationId: uuidv7(), candidateId: uuidv7() });
const emit = (organizationId: string, events: EmittedEvent[]) => ctx.deps.db.$transaction((tx) => emitEvents(tx, organizationId, events));
const addMember = (requisitionId: string, person: SignedIn, organizationId = org.id) =>
  sql(ctx.database.url, `INSERT INTO requisition_members (requisition_id, user_id, organization_id, added_by) VALUES ($1, $2, $3, 'cli')`, [
    requisitionId,
    person.userId,
    organizationId,
  ]);

interface Listed {
  id: string;
  type: string;
  title: string;
  link: { kind: string; id: string; apiPath: string };
  dueAt: string | null;
  readAt: string | null;
}
const list = async (person: SignedIn, query = ''): Promise<Listed[]> => {
  const listed = await api().get(`/v1/notifications?limit=200${query}`).set(person.headers);
  expect(listed.status).toBe(200);
  return listed.body.data;
};
const subjects = async (person: SignedIn, type: string) => (await list(person, `&type=${type}`)).map((n) => n.link.id);

/** A notifications service on a clock the test sets (the worker's runs on the wall clock). */
function clockedService(at: { now: Date }) {
  const mailer = createSystemMailer({
    db: ctx.deps.db,
    sealer: ctx.deps.sealer,
    endpoint: { apiUrl: ctx.config.POSTMARK_API_URL, timeoutMs: ctx.config.POSTMARK_TIMEOUT_MS },
    defaultStream: ctx.config.POSTMARK_MESSAGE_STREAM,
  });
  return createNotificationsService({ db: ctx.deps.db, mailer, publicBaseUrl: ctx.config.PUBLIC_BASE_URL, logger: pino({ level: 'silent' }), now: () => at.now });
}

beforeAll(async () => {
  fake = await startPostmarkServer({ serverToken: ['server-token-0001'] });
  ctx = await createTestContext({ POSTMARK_API_URL: fake.url, RATE_LIMIT_PER_MINUTE: '100000' });
  org = await createOrganization(ctx.deps, 'Northwind');
  await setUpSending(ctx, org);
  admin = await invitePerson(ctx, fake, org, 'admin', 'ada@northwind.test');
  rita = await invitePerson(ctx, fake, org, 'recruiter', 'rita@northwind.test');
  hank = await invitePerson(ctx, fake, org, 'hiring_manager', 'hank@northwind.test');
  vera = await invitePerson(ctx, fake, org, 'viewer', 'vera@northwind.test');
  otto = await invitePerson(ctx, fake, org, 'recruiter', 'otto@northwind.test');
  // In the app only, until a test asks for email.
  for (const person of [admin, rita, hank, vera, otto]) {
    expect((await api().put('/v1/me/notification-preferences').set(person.headers).send({ email: 'off' })).status).toBe(200);
  }
  seeded = await seedApprovedMessages(ctx.database.url, { organizationId: org.id, count: 2, publicBaseUrl: ctx.config.PUBLIC_BASE_URL, linkSecret: ctx.config.ENCRYPTION_KEY });
  for (const person of [rita, hank, vera]) await addMember(seeded.requisitionId, person);
  workers = await startDelivery(ctx);
});
afterAll(async () => {
  await workers?.stop();
  await ctx?.close();
  await fake?.close();
});

describe('recording and routing', () => {
  it('tells the requisition’s acting members about its things, and the admins about the organization’s', async () => {
    const questionId = uuidv7();
    const dataRequestId = uuidv7();
    const endpointId = uuidv7();
    // The request as the data-rights module stores it, with its legal due date.
    await sql(
      ctx.database.url,
      `INSERT INTO data_requests (id, organization_id, candidate_id, message_id, kind, created_at, due_at) VALUES ($1, $2, $3, $4, 'deletion', '2030-03-01T10:00:00Z', '2030-04-01T10:00:00Z')`,
      [dataRequestId, org.id, uuidv7(), seeded.ids[0]],
    );
    await emit(org.id, [
      { type: 'candidate.question_asked', data: { ...ref(), questionId } },
      { type: 'candidate.data_requested', data: { ...ref(), dataRequestId, kind: 'deletion' }, occurredAt: new Date('2030-03-01T10:00:00Z') },
      {
        type: 'message.held',
        data: {
          messageId: seeded.ids[1]!,
          applicationId: uuidv7(),
          candidateId: uuidv7(),
          requisitionId: seeded.requisitionId,
          kind: 'rejection',
          code: 'send_check_failed',
          reason: 'x',
          checks: [],
        },
      },
      { type: 'endpoint.disabled', data: { endpointId, reason: '410 Gone' } },
    ]);
    // Members who act on the requisition: the recruiter and the hiring manager, not the viewer, not another recruiter, not the admin.
    for (const person of [rita, hank]) {
      expect(await subjects(person, 'question_waiting')).toEqual([questionId]);
      expect(await subjects(person, 'message_held')).toEqual([seeded.ids[1]]);
    }
    for (const person of [vera, otto, admin]) {
      expect(await subjects(person, 'question_waiting')).toEqual([]);
      expect(await subjects(person, 'message_held')).toEqual([]);
    }
    // The organization's things go to its admins, with the legal due date of a data request.
    const [request] = await list(admin, '&type=data_request');
    expect(request).toMatchObject({ link: { kind: 'data_request', id: dataRequestId, apiPath: '/v1/data-requests?status=pending' }, dueAt: '2030-04-01T10:00:00.000Z' });
    expect(request!.title).toBe('A candidate asked for a data deletion');
    expect(await subjects(admin, 'endpoint_disabled')).toEqual([endpointId]);
    for (const person of [rita, hank, vera, otto]) expect(await subjects(person, 'endpoint_disabled')).toEqual([]);

    // Linked to the thing, in the reader's language.
    expect((await list(rita, '&type=message_held'))[0]!.link).toEqual({ kind: 'message', id: seeded.ids[1], apiPath: `/v1/messages/${seeded.ids[1]}` });
    expect((await api().patch(`/v1/users/${hank.userId}`).set(bearer(org.adminKey)).send({ language: 'fr' })).status).toBe(200);
    expect((await list(hank, '&type=question_waiting'))[0]!.title).toBe('Un candidat a posé une question');
    for (const [language, title] of [
      ['nl-BE', 'Een kandidaat heeft een vraag gesteld'],
      ['it', 'Un candidato ha posto una domanda'],
      ['pt-BR', 'Um candidato fez uma pergunta'],
    ]) {
      expect((await api().patch(`/v1/users/${hank.userId}`).set(bearer(org.adminKey)).send({ language })).status).toBe(200);
      expect((await list(hank, '&type=question_waiting'))[0]!.title, language).toBe(title);
    }
    expect((await api().patch(`/v1/users/${hank.userId}`).set(bearer(org.adminKey)).send({ language: 'fr' })).status).toBe(200);

    // A requisition nobody works on: its things go to the admins.
    const lonely = (await api().post('/v1/requisitions').set(bearer(org.adminKey)).send({ title: 'Nobody’s role' })).body;
    const failedId = uuidv7();
    await emit(org.id, [
      {
        type: 'message.failed',
        data: { messageId: failedId, applicationId: uuidv7(), candidateId: uuidv7(), requisitionId: lonely.id, kind: 'rejection', code: 'retries_exhausted', reason: 'gave up' },
      },
    ]);
    expect(await subjects(admin, 'message_failed')).toEqual([failedId]);
    expect(await subjects(rita, 'message_failed')).toEqual([]);
  });

  it('tells the requisition’s people when a promise passed, and when a declined offer cancelled the runner-ups’ rejections', async () => {
    const post = (path: string, body: object) => api().post(path).set(bearer(org.adminKey)).send(body);
    const requisition = (await post('/v1/requisitions', { title: 'Promises and offers' })).body;
    await addMember(requisition.id, rita);
    const apply = async (name: string, extra: object = {}) => {
      const candidate = (await post('/v1/candidates', { name, emails: [`${name.toLowerCase()}.notify@x.test`] })).body;
      return (await post('/v1/applications', { candidate: { id: candidate.id }, requisition: { id: requisition.id }, ...extra })).body.id as string;
    };
    const late = await apply('Late', { promisedDecisionAt: new Date(Date.now() - 3_600_000).toISOString() });
    expect(await ctx.deps.promises.sweepOverdue()).toBeGreaterThanOrEqual(1);
    const [passed] = await list(rita, '&type=promise_passed');
    expect(passed).toMatchObject({ title: 'A promised decision date passed', link: { kind: 'application', id: late, apiPath: `/v1/applications/${late}` } });
    expect(new Date(passed!.dueAt!).getTime()).toBeGreaterThan(Date.now());
    expect(await subjects(otto, 'promise_passed')).toEqual([]);

    const chosen = await apply('Chosen');
    const runner = await apply('Runner');
    const plan = (
      await post(`/v1/requisitions/${requisition.id}/plans`, { chosen: [{ applicationId: chosen, action: 'offer' }], targets: { mode: 'list', applicationIds: [runner] } })
    ).body;
    const confirmed = (await post(`/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [chosen] })).body;
    await ctx.deps.messages.renderPlan(plan.id);
    const messageId = confirmed.messages.find((m: { applicationId: string }) => m.applicationId === runner).id as string;
    expect((await post(`/v1/messages/${messageId}/approve`, { contentVersion: 1 })).status).toBe(200);
    await ctx.deps.delivery.dispatchDue();
    await eventually(async () => (await api().get(`/v1/messages/${messageId}`).set(bearer(org.adminKey))).body.status).toBe('held');
    expect((await post('/v1/decisions', { application: { id: chosen }, kind: 'offer_declined' })).status).toBe(201);
    const [declined] = await list(rita, '&type=offer_declined');
    expect(declined).toMatchObject({ title: 'The offer was declined or withdrawn', link: { kind: 'application', id: chosen } });
    expect((declined as Listed & { summary: string }).summary).toContain('1 held rejection(s) were cancelled');
  });

  it('reminds the requisition’s people once when runner-ups have waited a week for the offer’s answer', async () => {
    const post = (path: string, body: object) => api().post(path).set(bearer(org.adminKey)).send(body);
    const requisition = (await post('/v1/requisitions', { title: 'A long offer' })).body;
    await addMember(requisition.id, rita);
    const apply = async (name: string) => {
      const candidate = (await post('/v1/candidates', { name, emails: [`${name.toLowerCase()}.hold@x.test`] })).body;
      return (await post('/v1/applications', { candidate: { id: candidate.id }, requisition: { id: requisition.id } })).body.id as string;
    };
    const chosen = await apply('Chosen');
    const runner = await apply('Runner');
    const plan = (
      await post(`/v1/requisitions/${requisition.id}/plans`, { chosen: [{ applicationId: chosen, action: 'offer' }], targets: { mode: 'list', applicationIds: [runner] } })
    ).body;
    const confirmed = (await post(`/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [chosen] })).body;
    await ctx.deps.messages.renderPlan(plan.id);
    const messageId = confirmed.messages.find((m: { applicationId: string }) => m.applicationId === runner).id as string;
    expect((await post(`/v1/messages/${messageId}/approve`, { contentVersion: 1 })).status).toBe(200);
    await ctx.deps.delivery.dispatchDue();
    await eventually(async () => (await api().get(`/v1/messages/${messageId}`).set(bearer(org.adminKey))).body.status).toBe('held');

    const clock = { now: new Date(Date.now() + 6 * 86_400_000) };
    const service = clockedService(clock);
    await service.sweepReminders();
    expect(await subjects(rita, 'offer_hold_long')).toEqual([]);
    clock.now = new Date(Date.now() + 8 * 86_400_000);
    await service.sweepReminders();
    await service.sweepReminders();
    const reminded = await list(rita, '&type=offer_hold_long');
    expect(reminded.map((n) => n.link)).toEqual([{ kind: 'plan', id: plan.id, apiPath: `/v1/plans/${plan.id}` }]);
    expect(reminded[0]!.title).toBe('Runner-ups have waited a week for the offer’s answer');
  });

  it('tells the requisition’s people once a day when promises are about to pass with no final word', async () => {
    const post = (path: string, body: object) => api().post(path).set(bearer(org.adminKey)).send(body);
    const requisition = (await post('/v1/requisitions', { title: 'Promises due' })).body;
    await addMember(requisition.id, rita);
    for (const [name, hours] of [
      ['Soon', 12],
      ['Later', 72],
    ] as const) {
      const candidate = (await post('/v1/candidates', { name, emails: [`${name.toLowerCase()}.due@x.test`] })).body;
      await post('/v1/applications', {
        candidate: { id: candidate.id },
        requisition: { id: requisition.id },
        promisedDecisionAt: new Date(Date.now() + hours * 3_600_000).toISOString(),
      });
    }
    expect(await ctx.deps.promises.sweepDueSoon()).toBeGreaterThanOrEqual(1);
    await ctx.deps.promises.sweepDueSoon();
    const due = (await list(rita, '&type=promise_due_soon')).filter((n) => n.link.id === requisition.id);
    expect(due).toHaveLength(1);
    expect(due[0]!.title).toBe('1 promised decision(s) fall due within a day');
    expect(due[0]!.link.apiPath).toBe(`/v1/applications?requisitionId=${requisition.id}&status=active`);
  });

  it('asks the other eligible people, not the author, to approve under four-eyes', async () => {
    expect((await api().patch('/v1/organization').set(bearer(org.adminKey)).send({ fourEyesApproval: true })).status).toBe(200);
    const requisition = (await api().post('/v1/requisitions').set(bearer(org.adminKey)).send({ title: 'Four eyes' })).body;
    for (const person of [rita, hank]) await addMember(requisition.id, person);
    const candidate = (
      await api()
        .post('/v1/candidates')
        .set(bearer(org.adminKey))
        .send({ name: 'Fay Four', emails: ['fay.four@x.test'] })
    ).body;
    const application = (
      await api()
        .post('/v1/applications')
        .set(bearer(org.adminKey))
        .send({ candidate: { id: candidate.id }, requisition: { id: requisition.id } })
    ).body;
    // Rita plans and confirms: she may not approve what she confirmed, Hank may.
    const plan = (
      await api()
        .post(`/v1/requisitions/${requisition.id}/plans`)
        .set(rita.headers)
        .send({ targets: { mode: 'list', applicationIds: [application.id] } })
    ).body;
    expect((await api().post(`/v1/plans/${plan.id}/confirm`).set(rita.headers).send({ digest: plan.digest, chosenApplicationIds: [] })).status).toBe(200);
    await eventually(async () => subjects(hank, 'approval_waiting')).toEqual([plan.id]);
    expect(await subjects(rita, 'approval_waiting')).toEqual([]);
    expect((await list(hank, '&type=approval_waiting'))[0]!.link.apiPath).toBe('/v1/message-approvals');
    // Rendering again (a retried job) does not tell Hank twice.
    await ctx.deps.messages.renderPlan(plan.id);
    expect(await subjects(hank, 'approval_waiting')).toEqual([plan.id]);
    expect((await api().patch('/v1/organization').set(bearer(org.adminKey)).send({ fourEyesApproval: false })).status).toBe(200);
  });
});

describe('the list', () => {
  it('reads one, reads all up to what was seen, filters unread, and is a person’s only', async () => {
    const before = await list(rita, '&unread=true');
    expect(before.length).toBeGreaterThanOrEqual(2);
    const [newest, older] = before as [Listed, Listed];
    const read = await api().post(`/v1/notifications/${older.id}/read`).set(rita.headers);
    expect(read.status).toBe(200);
    expect(read.body.readAt).not.toBeNull();
    expect((await list(rita, '&unread=true')).map((n) => n.id)).not.toContain(older.id);
    expect((await list(rita, '&unread=false')).map((n) => n.id)).toEqual([older.id]);
    // Another person's notification does not exist for Hank.
    expect((await api().post(`/v1/notifications/${newest.id}/read`).set(hank.headers)).status).toBe(404);

    const all = await api().post('/v1/notifications/read').set(rita.headers).send({ upToId: newest.id });
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ marked: before.length - 1, unread: 0 });
    expect(await list(rita, '&unread=true')).toEqual([]);

    // Cursor pages, newest first.
    const first = await api().get('/v1/notifications?limit=1').set(rita.headers);
    expect(first.body.data.map((n: Listed) => n.id)).toEqual([newest.id]);
    const second = await api().get(`/v1/notifications?limit=1&cursor=${first.body.nextCursor}`).set(rita.headers);
    expect(second.body.data[0].id < newest.id).toBe(true);

    // A service key acts for nobody.
    const service = await api().get('/v1/notifications').set(bearer(org.adminKey));
    expect(service.status).toBe(403);
    expect(service.body.code).toBe('not_a_person');
    expect((await api().get('/v1/me/notification-preferences').set(bearer(org.adminKey))).body.code).toBe('not_a_person');
  });

  it('keeps each person’s email preference, per type too', async () => {
    const put = await api()
      .put('/v1/me/notification-preferences')
      .set(otto.headers)
      .send({ email: 'daily_digest', types: { message_failed: 'off', approval_waiting: 'immediately' } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ email: 'daily_digest', types: { message_failed: 'off', approval_waiting: 'immediately' }, digestHour: 8 });
    expect((await api().get('/v1/me/notification-preferences').set(otto.headers)).body).toEqual(put.body);
    expect((await api().put('/v1/me/notification-preferences').set(otto.headers).send({ email: 'weekly' })).status).toBe(400);
    expect((await api().put('/v1/me/notification-preferences').set(otto.headers).send({ email: 'off' })).status).toBe(200);
  });
});

describe('email', () => {
  it('emails a notification at once to who wants it, exactly once', async () => {
    expect((await api().put('/v1/me/notification-preferences').set(rita.headers).send({ email: 'immediately' })).status).toBe(200);
    const questionId = uuidv7();
    await emit(org.id, [{ type: 'candidate.question_asked', data: { ...ref(), questionId } }]);
    const mine = () => fake.messages().filter((m) => m.To === 'rita@northwind.test' && m.Tag === 'notification');
    const [email] = await waitFor(mine, (found) => found.length === 1, { what: 'the notification email to Rita' });
    expect(email!.Subject).toBe('A candidate asked a question');
    expect(email!.TextBody).toContain(`http://localhost:3000/v1/questions?messageId=${seeded.ids[0]}`);
    // The job again (a retry): nothing more is sent.
    const [notification] = (await list(rita, '&type=question_waiting')).filter((n) => n.link.id === questionId);
    expect(await ctx.deps.notifications.email(notification!.id)).toEqual({ sent: false, reason: 'already_sent' });
    expect(mine()).toHaveLength(1);
    // Hank keeps them in the app.
    expect(fake.messages().filter((m) => m.To === 'hank@northwind.test' && m.Tag === 'notification')).toEqual([]);
    expect(await subjects(hank, 'question_waiting')).toContain(questionId);
  });

  it('gathers a day’s events in the reader’s time zone and language, at 08:00 their time, once a day', async () => {
    const other = await createOrganization(ctx.deps, 'Kiwi');
    await setUpSending(ctx, other);
    const kiri = await invitePerson(ctx, fake, other, 'admin', 'kiri@kiwi.test');
    expect((await api().patch(`/v1/users/${kiri.userId}`).set(bearer(other.adminKey)).send({ timeZone: 'Pacific/Auckland', language: 'fr' })).status).toBe(200);
    expect((await api().put('/v1/me/notification-preferences').set(kiri.headers).send({ email: 'daily_digest' })).status).toBe(200);
    // Mo reads in UTC, and wants only the disabled endpoints in a digest.
    const mo = await invitePerson(ctx, fake, other, 'admin', 'mo@kiwi.test');
    expect(
      (
        await api()
          .put('/v1/me/notification-preferences')
          .set(mo.headers)
          .send({ email: 'immediately', types: { endpoint_disabled: 'daily_digest' } })
      ).status,
    ).toBe(200);
    // Auckland is UTC+13 in January: 08:00 on the 10th there is 19:00 UTC on the 9th.
    const [late, early, after] = [uuidv7(), uuidv7(), uuidv7()];
    const disabled = (endpointId: string, at: string): EmittedEvent => ({ type: 'endpoint.disabled', data: { endpointId, reason: '410' }, occurredAt: new Date(at) });
    await emit(other.id, [disabled(late, '2030-01-09T10:00:00Z')]); // 23:00 on the 9th, Auckland
    await emit(other.id, [disabled(early, '2030-01-09T18:30:00Z')]); // 07:30 on the 10th
    await emit(other.id, [disabled(after, '2030-01-09T19:30:00Z')]); // 08:30 on the 10th: tomorrow's digest

    const clock = { now: new Date('2030-01-09T18:59:00Z') };
    const service = clockedService(clock);
    const digests = () => fake.messages().filter((m) => m.To === 'kiri@kiwi.test' && m.Tag === 'notification-digest');
    expect(await service.sweepDigests()).toBe(0);
    clock.now = new Date('2030-01-09T19:05:00Z');
    expect(await service.sweepDigests()).toBe(1);
    const [first] = digests();
    expect(first!.Subject).toBe('Hearback : 2 élément(s) vous attendent');
    expect(first!.TextBody).toContain(`/v1/webhook-endpoints/${late}`);
    expect(first!.TextBody).toContain(`/v1/webhook-endpoints/${early}`);
    expect(first!.TextBody).not.toContain(after);
    // Once a day.
    clock.now = new Date('2030-01-09T23:00:00Z');
    expect(await service.sweepDigests()).toBe(0);
    // The next local morning gathers what came after the last one.
    clock.now = new Date('2030-01-10T19:01:00Z');
    expect(await service.sweepDigests()).toBe(2);
    const second = digests()[1]!;
    expect(second.Subject).toBe('Hearback : 1 élément(s) vous attendent');
    expect(second.TextBody).toContain(after);
    expect(digests()).toHaveLength(2);
    // Digested is not read: the app still shows them unread, and no email went out one by one.
    expect(await list(kiri, '&unread=true')).toHaveLength(3);
    expect(fake.messages().filter((m) => m.To === 'kiri@kiwi.test' && m.Tag === 'notification')).toEqual([]);
    // Mo's day ends at 08:00 UTC: nothing was gathered on the 9th, all three on the 10th, none sent one by one.
    const mos = fake.messages().filter((m) => m.To === 'mo@kiwi.test' && (m.Tag ?? '').startsWith('notification'));
    expect(mos.map((m) => m.Subject)).toEqual(['Hearback: 3 thing(s) need you']);
  });
});

describe('reminders', () => {
  it('gives a plan from the ATS the organization’s expiry, tells its people, and reminds them once before it expires', async () => {
    expect((await api().patch('/v1/organization').set(bearer(org.adminKey)).send({ atsPlanExpiryHours: 48 })).body.atsPlanExpiryHours).toBe(48);
    const generic = (await api().post('/v1/ats-connections').set(bearer(org.adminKey)).send({ provider: 'generic', name: 'our ATS' })).body;
    const requisition = (await api().post('/v1/requisitions').set(bearer(org.adminKey)).send({ title: 'From the ATS' })).body;
    for (const person of [rita, hank]) await addMember(requisition.id, person);
    const candidate = (
      await api()
        .post('/v1/candidates')
        .set(bearer(org.adminKey))
        .send({ name: 'Ari Ats', emails: ['ari.ats@x.test'] })
    ).body;
    await api()
      .post('/v1/applications')
      .set(bearer(org.adminKey))
      .send({ candidate: { id: candidate.id }, requisition: { id: requisition.id }, externalIds: [{ source: 'generic', id: 'app-notify-1' }] });
    const raw = JSON.stringify({ type: 'application.rejected', id: 'evt-notify-1', data: { application: { externalId: 'app-notify-1' } } });
    const headers = webhookHeaders({ id: 'evt-notify-1', timestamp: Math.floor(Date.now() / 1000), body: raw, secrets: [generic.secret] });
    expect((await api().post(new URL(generic.connection.url).pathname).set('content-type', 'application/json').set(headers).send(raw)).status).toBe(202);

    const [waiting] = await waitFor(
      () => list(hank, '&type=plan_waiting'),
      (found) => found.length === 1,
      { what: 'the plan from the ATS' },
    );
    const plan = (await api().get(`/v1/plans/${waiting!.link.id}`).set(bearer(org.adminKey))).body;
    expect(waiting!.dueAt).toBe(plan.expiresAt);
    expect(new Date(plan.expiresAt).getTime() - new Date(plan.createdAt).getTime()).toBe(48 * 3_600_000);
    expect(await subjects(rita, 'plan_waiting')).toEqual([plan.id]);
    expect(await subjects(admin, 'plan_waiting')).toEqual([]);

    const clock = { now: new Date(new Date(plan.createdAt).getTime() + 3_600_000) };
    const service = clockedService(clock);
    expect(await service.sweepReminders()).toBe(0);
    // A day before it expires: one reminder to its people, and never a second.
    clock.now = new Date(new Date(plan.expiresAt).getTime() - 23 * 3_600_000);
    expect(await service.sweepReminders()).toBe(1);
    expect(await service.sweepReminders()).toBe(0);
    expect(await subjects(hank, 'plan_expiring')).toEqual([plan.id]);
    expect(await subjects(rita, 'plan_expiring')).toEqual([plan.id]);
  });

  it('reminds the admins of a data request a week before its due date, once', async () => {
    const [request] = await sql<{ id: string }>(
      ctx.database.url,
      `INSERT INTO data_requests (id, organization_id, candidate_id, message_id, kind, created_at, due_at) VALUES ($1, $2, $3, $4, 'export', now() - interval '24 days', now() + interval '6 days') RETURNING id`,
      [uuidv7(), org.id, uuidv7(), seeded.ids[0]],
    );
    expect(await ctx.deps.notifications.sweepReminders()).toBe(1);
    expect(await ctx.deps.notifications.sweepReminders()).toBe(0);
    const [due] = await list(admin, '&type=data_request_due');
    expect(due!.link.id).toBe(request!.id);
    expect(due!.title).toBe('A data export request is due soon');
  });
});

describe('Postmark refusing the organization', () => {
  it('tells its admins once a day, not once per failed message, and keeps it in the app when it cannot email', async () => {
    const refused = await createOrganization(ctx.deps, 'Refused');
    await setUpSending(ctx, refused);
    const boss = await invitePerson(ctx, fake, refused, 'admin', 'boss@refused.test');
    // Now a token Postmark does not know.
    expect(
      (await api().put('/v1/organization/postmark').set(bearer(refused.adminKey)).send({ serverToken: 'revoked-token-9999', senderEmail: 'talent@refused.test' })).status,
    ).toBe(200);
    for (let round = 0; round < 2; round++) {
      const batch = await seedApprovedMessages(ctx.database.url, {
        organizationId: refused.id,
        count: 3,
        publicBaseUrl: ctx.config.PUBLIC_BASE_URL,
        linkSecret: ctx.config.ENCRYPTION_KEY,
        domain: `round${round}.test`,
      });
      await ctx.deps.delivery.dispatchDue();
      await eventually(async () => {
        const rows = await sql<{ status: string }>(ctx.database.url, `SELECT status FROM messages WHERE requisition_id = $1`, [batch.requisitionId]);
        return rows.every((r) => r.status === 'failed');
      }).toBe(true);
    }
    const told = await list(boss, '&type=postmark_refused');
    expect(told).toHaveLength(1);
    expect(told[0]!.link).toEqual({ kind: 'organization', id: refused.id, apiPath: '/v1/organization/postmark' });
    expect(await list(boss, '&type=message_failed')).toEqual([]);
    // Its email could not leave (the same refused token): still in the app, and the job did not fail.
    const job = await waitFor(
      () => ctx.deps.queues.notifications.getJob(`notification-email.${told[0]!.id}`),
      (found) => found !== undefined,
      { what: 'the email job' },
    );
    await eventually(async () => ({ state: await job!.getState(), result: (await ctx.deps.queues.notifications.getJob(job!.id!))?.returnvalue as unknown })).toEqual({
      state: 'completed',
      result: { sent: false, reason: 'refused' },
    });
    expect(fake.messages().filter((m) => m.To === 'boss@refused.test' && m.Tag === 'notification')).toEqual([]);
  });
});

// Last: it adds to the people's lists, which the tests above count.
describe('dealt with', () => {
  it('stops a question waiting for everyone once someone answers it', async () => {
    const [message] = await sql<{ candidate_id: string }>(ctx.database.url, 'SELECT candidate_id FROM messages WHERE id = $1', [seeded.ids[0]]);
    const questionId = uuidv7();
    await sql(ctx.database.url, `INSERT INTO feedback_questions (id, organization_id, message_id, candidate_id, question) VALUES ($1, $2, $3, $4, 'When will I hear back?')`, [
      questionId,
      org.id,
      seeded.ids[0],
      message!.candidate_id,
    ]);
    await emit(org.id, [{ type: 'candidate.question_asked', data: { ...ref(), questionId } }]);
    const waiting = async (person: SignedIn) => (await list(person, '&type=question_waiting')).find((n) => n.link.id === questionId);
    expect((await waiting(rita))!.readAt).toBeNull();
    expect((await api().post(`/v1/questions/${questionId}/answer`).set(bearer(org.adminKey)).send({ answer: 'Within a week.' })).status).toBe(200);
    for (const person of [rita, hank]) expect((await waiting(person))!.readAt).not.toBeNull();
  });

  it('stops a held or failed message once it is sent or recalled, a plan once confirmed, a promise once the final word is out', async () => {
    const [held, failed] = [uuidv7(), uuidv7()];
    const requisitionId = seeded.requisitionId;
    const planId = uuidv7();
    const applicationId = uuidv7();
    const message = (messageId: string) => ({ messageId, applicationId: uuidv7(), candidateId: uuidv7(), requisitionId, kind: 'rejection_after_interview' });
    await emit(org.id, [
      { type: 'message.held', data: { ...message(held), code: 'send_check_failed', reason: 'a duplicate', checks: [] } },
      { type: 'message.failed', data: { ...message(failed), code: 'postmark_rejected', reason: 'ErrorCode 300' } },
      { type: 'plan.created', data: { planId, requisitionId, source: 'ats', items: 3, messages: 2, blocked: 0, expiresAt: '2030-01-01T00:00:00Z' } },
      {
        type: 'application.overdue',
        data: {
          applicationId,
          candidateId: uuidv7(),
          requisitionId,
          reason: 'promise_passed',
          promisedDecisionAt: '2029-12-01T00:00:00Z',
          newPromisedDecisionAt: '2029-12-08T00:00:00Z',
        },
      },
    ] as EmittedEvent[]);
    const unread = async (type: string, id: string) => (await list(rita, `&type=${type}`)).find((n) => n.link.id === id)?.readAt === null;
    expect([
      await unread('message_held', held),
      await unread('message_failed', failed),
      await unread('plan_waiting', planId),
      await unread('promise_passed', applicationId),
    ]).toEqual([true, true, true, true]);
    // Something else happening to them settles nothing.
    await emit(org.id, [{ type: 'feedback.viewed', data: { messageId: held, applicationId: uuidv7(), candidateId: uuidv7(), first: true } }] as EmittedEvent[]);
    expect(await unread('message_held', held)).toBe(true);
    await emit(org.id, [
      { type: 'message.sent', data: { ...message(held), sentAt: '2030-01-01T00:00:00Z' } },
      { type: 'message.recalled', data: message(failed) },
      { type: 'plan.confirmed', data: { planId, requisitionId, decisions: [], messages: 2 } },
      { type: 'application.rejected', data: { applicationId, candidateId: uuidv7(), requisitionId, messageId: null, rejectedAt: '2030-01-01T00:00:00Z' } },
    ] as EmittedEvent[]);
    for (const person of [rita, hank]) {
      const left = (await list(person, '&unread=true')).map((n) => n.link.id);
      expect(left, person.email).not.toContain(held);
      expect(left).not.toContain(failed);
      expect(left).not.toContain(planId);
      expect(left).not.toContain(applicationId);
    }
  });

  it('stops a data request for every admin once it is answered', async () => {
    const [message] = await sql<{ candidate_id: string; application_id: string }>(ctx.database.url, 'SELECT candidate_id, application_id FROM messages WHERE id = $1', [
      seeded.ids[1],
    ]);
    const dataRequestId = uuidv7();
    await sql(
      ctx.database.url,
      `INSERT INTO data_requests (id, organization_id, candidate_id, message_id, kind, due_at) VALUES ($1, $2, $3, $4, 'export', now() + interval '30 days')`,
      [dataRequestId, org.id, message!.candidate_id, seeded.ids[1]],
    );
    await emit(org.id, [
      {
        type: 'candidate.data_requested',
        data: { messageId: seeded.ids[1]!, applicationId: message!.application_id, candidateId: message!.candidate_id, dataRequestId, kind: 'export' },
      },
    ]);
    const unread = async () => (await list(admin, '&unread=true&type=data_request')).map((n) => n.link.id);
    expect(await unread()).toContain(dataRequestId);
    const done = await api().post(`/v1/data-requests/${dataRequestId}/complete`).set(bearer(org.adminKey)).send({ note: 'Sent by post' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(await unread()).not.toContain(dataRequestId);
  });
});

describe('a requisition one no longer sees', () => {
  it('takes what was said about it out of the person’s list, reads, count, emails and digest; back when they are again', async () => {
    const rosa = await invitePerson(ctx, fake, org, 'recruiter', 'rosa@northwind.test');
    expect((await api().put('/v1/me/notification-preferences').set(rosa.headers).send({ email: 'off' })).status).toBe(200);
    const [left, kept] = await Promise.all(
      ['Left role', 'Kept role'].map(async (title) => (await api().post('/v1/requisitions').set(bearer(org.adminKey)).send({ title })).body.id as string),
    );
    for (const requisitionId of [left!, kept!]) await addMember(requisitionId, rosa);
    const [heldLeft, heldKept] = [uuidv7(), uuidv7()];
    const held = (messageId: string, requisitionId: string): EmittedEvent => ({
      type: 'message.held',
      data: { messageId, applicationId: uuidv7(), candidateId: uuidv7(), requisitionId, kind: 'rejection', code: 'send_check_failed', reason: 'x', checks: [] },
    });
    await emit(org.id, [held(heldLeft, left!), held(heldKept, kept!)]);
    const [aboutKept, aboutLeft] = await list(rosa, '&type=message_held');
    expect([aboutLeft!.link.id, aboutKept!.link.id]).toEqual([heldLeft, heldKept]);

    // Removed from one requisition (then asking for email, so no earlier email job can send it).
    expect((await api().delete(`/v1/requisitions/${left}/members/${rosa.userId}`).set(bearer(org.adminKey))).status).toBe(204);
    expect((await api().put('/v1/me/notification-preferences').set(rosa.headers).send({ email: 'immediately' })).status).toBe(200);
    expect(await subjects(rosa, 'message_held')).toEqual([heldKept]);
    expect((await api().post(`/v1/notifications/${aboutLeft!.id}/read`).set(rosa.headers)).status).toBe(404);
    expect((await api().post('/v1/notifications/read').set(rosa.headers).send({})).body).toEqual({ marked: 1, unread: 0 });
    expect(await ctx.deps.notifications.email(aboutLeft!.id)).toEqual({ sent: false, reason: 'not_visible' });
    expect(fake.messages().filter((m) => m.To === 'rosa@northwind.test' && m.Tag === 'notification')).toEqual([]);

    // The daily digest gathers only what they still see.
    expect((await api().put('/v1/me/notification-preferences').set(rosa.headers).send({ email: 'daily_digest' })).status).toBe(200);
    const laterKept = uuidv7();
    await emit(org.id, [held(uuidv7(), left!), held(laterKept, kept!)]);
    const tomorrow = new Date();
    tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
    tomorrow.setUTCHours(12, 0, 0, 0); // past 08:00 where Rosa reads (UTC)
    const service = clockedService({ now: tomorrow });
    await service.sweepDigests();
    const digests = fake.messages().filter((m) => m.To === 'rosa@northwind.test' && m.Tag === 'notification-digest');
    expect(digests).toHaveLength(1);
    expect(digests[0]!.Subject).toBe('Hearback: 1 thing(s) need you');
    expect(digests[0]!.TextBody).toContain(laterKept);

    // A member again: what was said about the requisition is theirs to see again (unread as it was).
    await addMember(left!, rosa);
    expect((await list(rosa, '&type=message_held&unread=true')).map((n) => n.link.id)).toContain(heldLeft);
  });
});
