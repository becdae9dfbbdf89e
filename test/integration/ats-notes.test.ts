// What else the ATS learns, end to end through the API, the workers, the local Postmark server
// and the local ATS servers: a status update, a hold and a cancellation sent each write one note;
// a talent-pool choice and a data request made on the candidate's page each write one note; an
// approved deletion asks Greenhouse to anonymize the candidate (Ashby too), and Lever (whose API cannot) is
// recorded as such. Every write-back run a second time writes nothing.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueAtsErasure } from '../../src/modules/ats-writeback/writeback.enqueue.js';
import { startFakeAts, type FakeAts } from '../ats-fake/server.js';
import { atsInbound } from '../helpers/ats-inbound.js';
import { callAs, connectGreenhouse, connectWithCredentials, GREENHOUSE_CLIENT } from '../helpers/ats-writeback.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { setUpSending, startDelivery } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { sendRejections } from '../helpers/sent-messages.js';
import { eventually, waitFor } from '../helpers/wait.js';
import { startPostmarkServer, type PostmarkFake } from '../postmark/server.js';

let ctx: TestContext;
let org: TestOrganization;
let ats: FakeAts;
let postmark: PostmarkFake;
let delivery: Awaited<ReturnType<typeof startDelivery>>;
let greenhouse: string;
let lever: string;
let ashby: string;

beforeAll(async () => {
  ats = await startFakeAts({ greenhouse: GREENHOUSE_CLIENT, lever: { apiKey: 'lever-api-key' }, ashby: { apiKey: 'ashby-api-key' } });
  postmark = await startPostmarkServer();
  ctx = await createTestContext({
    OUTBOX_POLL_MS: '20',
    POSTMARK_API_URL: postmark.url,
    PAGE_RATE_LIMIT_PER_MINUTE: '100000',
    GREENHOUSE_API_URL: ats.url,
    GREENHOUSE_AUTH_URL: ats.url,
    LEVER_API_URL: ats.url,
    ASHBY_API_URL: ats.url,
    ATS_API_TIMEOUT_MS: '1000',
    ATS_WRITEBACK_RETRY_BASE_MS: '20',
  });
  org = await createOrganization(ctx.deps, 'Northwind Labs');
  await setUpSending(ctx, org);
  delivery = await startDelivery(ctx);
  const inbound = atsInbound(ctx, org);
  greenhouse = await connectGreenhouse(ctx, org, inbound);
  lever = (
    await connectWithCredentials(ctx, org, inbound, { provider: 'lever', credentials: { apiKey: 'lever-api-key' }, reasonMap: {}, leverToken: 'lever-token-0123456789abcdef' })
  ).id;
  ashby = (await connectWithCredentials(ctx, org, inbound, { provider: 'ashby', credentials: { apiKey: 'ashby-api-key' }, reasonMap: {} })).id;
});
afterAll(async () => {
  await delivery?.stop();
  await ctx?.close();
  await postmark?.close();
  await ats?.close();
});

const api = () => request(ctx.app.server);
const call = (method: 'post' | 'get' | 'patch', path: string, body?: object) => callAs(ctx, org, method, path, body);
const writebacks = (where: object) => ctx.deps.db.atsWriteback.findMany({ where: { organizationId: org.id, ...where }, orderBy: { id: 'asc' } });
const allDone = async (where: object, count: number) => eventually(async () => (await writebacks(where)).map((w) => w.status)).toEqual(Array.from({ length: count }, () => 'done'));

/** Every write-back of `where` run again, as a retried or redelivered job would: nothing more is written. */
async function runAgain(where: object) {
  // Lever's and Ashby's webhook registrations (through the outbox, after the connection's save)
  // may still be writing in the background: only the write-backs' own writes count here.
  const writesBack = () => ats.state.writes.filter((w) => !/\/webhooks(\/|$)|\/webhook\./.test(w.path)).length;
  const before = writesBack();
  for (const w of await writebacks(where)) {
    await ctx.deps.db.atsWriteback.update({ where: { id: w.id }, data: { status: 'pending' } });
    expect(await ctx.deps.atsWriteback.run(w.id)).toEqual({ status: 'done' });
  }
  expect(writesBack()).toBe(before);
}

describe('notes for what is not a rejection', () => {
  it('a status update, a hold and a cancellation sent: one note each on the candidate in Greenhouse, however often the job runs', async () => {
    const requisition = await call('post', '/v1/requisitions', { title: 'Data Engineer', hiringContact: { name: 'Rita Alves', email: 'rita@northwind.test' } });
    const kinds = ['status_update', 'position_on_hold', 'position_cancelled'] as const;
    const apps: string[] = [];
    for (const [i, kind] of kinds.entries()) {
      const candidate = await call('post', '/v1/candidates', { name: `Person ${kind}`, emails: [`${kind}@x.test`], externalIds: [{ source: 'greenhouse', id: `50${i}` }] });
      ats.state.addApplication('greenhouse', { id: `60${i}`, candidateId: `50${i}` });
      apps.push(
        (await call('post', '/v1/applications', { candidate: { id: candidate.id }, requisition: { id: requisition.id }, externalIds: [{ source: 'greenhouse', id: `60${i}` }] }))
          .id as string,
      );
    }
    const plan = await call('post', `/v1/requisitions/${requisition.id}/plans`, {
      targets: { mode: 'list', applicationIds: apps },
      action: 'update',
      messageKinds: Object.fromEntries(apps.map((id, i) => [id, kinds[i]])),
    });
    const confirmation = await call('post', `/v1/plans/${plan.id}/confirm`, { digest: plan.digest, chosenApplicationIds: [] });
    await ctx.deps.messages.renderPlan(plan.id);
    const messageIds = confirmation.messages.map((m: { id: string }) => m.id) as string[];
    for (const id of messageIds) await call('post', `/v1/messages/${id}/approve`, { contentVersion: 1, overrideReason: 'Reviewed for the ATS note tests' });
    await ctx.deps.delivery.dispatchDue();
    await waitFor(
      () => postmark.messages().filter((m) => messageIds.includes(m.Metadata?.hearback_message_id ?? '')).length,
      (n) => n === 3,
      { what: 'the three emails' },
    );

    await allDone({ connectionId: greenhouse, action: 'note' }, 3);
    for (const [i, kind] of kinds.entries()) {
      const notes = ats.state.notesOf('greenhouse', `50${i}`);
      expect(notes).toHaveLength(1);
      expect(notes[0]).toContain({ status_update: 'a status update', position_on_hold: 'on hold', position_cancelled: 'cancelled' }[kind]);
      const messageId = confirmation.messages.find((m: { applicationId: string }) => m.applicationId === apps[i]).id as string;
      expect(notes[0]).toContain(`http://localhost:3000/v1/messages/${messageId}`);
    }
    expect(ats.state.writesOf('greenhouse', /\/reject$/)).toEqual([]);
    const activity = (await call('get', `/v1/ats-connections/${greenhouse}/activity`)).data;
    expect(activity.map((a: { action: string; steps: { action: string; result: string }[] }) => [a.action, a.steps.map((s) => `${s.action}:${s.result}`)])).toEqual([
      ['note', ['note:written']],
      ['note', ['note:written']],
      ['note', ['note:written']],
    ]);
    await runAgain({ connectionId: greenhouse, action: 'note' });
  });

  it('a talent-pool choice and a data request on the candidate’s page: one note each; the approved deletion asks Greenhouse to anonymize', async () => {
    const sent = await sendRejections(ctx, org, postmark, [
      {
        name: 'Yara Lindqvist',
        email: 'yara.lindqvist@x.test',
        feedback: { reasonCategory: 'experience_level', strengths: ['Clear write-ups'], areasToImprove: ['Postgres tuning'], nextSteps: { talentPoolInvite: true } },
      },
    ]);
    const { token, candidateId, applicationId } = sent['Yara Lindqvist']!;
    // Synced from Greenhouse after the fact (the rejection itself went out before it was).
    await ctx.deps.db.externalId.createMany({
      data: [
        { organizationId: org.id, source: 'greenhouse', entity: 'candidate', entityId: candidateId, externalId: '701' },
        { organizationId: org.id, source: 'greenhouse', entity: 'application', entityId: applicationId, externalId: '801' },
      ],
    });
    ats.state.addApplication('greenhouse', { id: '801', candidateId: '701', status: 'rejected', reasonId: '101' });
    const csrf = async () => /name="csrf" value="([^"]+)"/.exec((await api().get(`/f/${token}`)).text)![1]!;
    expect(
      (
        await api()
          .post(`/f/${token}/talent-pool`)
          .type('form')
          .send({ csrf: await csrf(), action: 'join', locale: 'en' })
      ).status,
    ).toBe(303);
    expect(
      (
        await api()
          .post(`/f/${token}/data-requests`)
          .type('form')
          .send({ csrf: await csrf(), kind: 'deletion', confirm: 'yes' })
      ).status,
    ).toBe(303);

    await allDone({ applicationId, action: 'note' }, 2);
    const notes = ats.state.notesOf('greenhouse', '701');
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatch(/joined the talent pool through Hearback/);
    expect(notes[1]).toMatch(/asked Hearback .* for the deletion of their data/);
    expect(notes.join(' ')).not.toContain('yara');
    await runAgain({ applicationId, action: 'note' });

    const [pending] = (await api().get('/v1/data-requests?kind=deletion').set(bearer(org.adminKey))).body.data;
    expect((await api().post(`/v1/data-requests/${pending.id}/approve`).set(bearer(org.adminKey)).send({})).status).toBe(200);
    await allDone({ connectionId: greenhouse, action: 'erasure' }, 1);
    const [anonymize] = ats.state.writesOf('greenhouse', /\/anonymize$/);
    expect(anonymize).toMatchObject({ method: 'PUT', path: '/v3/candidates/701/anonymize' });
    expect(anonymize!.query.fields).toContain('full_name');
    expect(ats.state.anonymized.has('greenhouse:701')).toBe(true);
    const [erasure] = await writebacks({ connectionId: greenhouse, action: 'erasure' });
    expect(erasure).toMatchObject({ subjectId: pending.id, steps: [expect.objectContaining({ action: 'erase', result: 'written', detail: 'candidate 701' })] });
    await runAgain({ connectionId: greenhouse, action: 'erasure' });
  });

  it('an erasure Lever’s API cannot do is recorded as such, and nothing is called to do it', async () => {
    const requisition = await call('post', '/v1/requisitions', { title: 'Lever role', externalIds: [{ source: 'lever', id: 'posting-1' }] });
    const candidate = await call('post', '/v1/candidates', { name: 'Lee Lever', emails: ['lee@x.test'], externalIds: [{ source: 'lever', id: 'contact-1' }] });
    const application = await call('post', '/v1/applications', {
      candidate: { id: candidate.id },
      requisition: { id: requisition.id },
      externalIds: [{ source: 'lever', id: 'opp-1' }],
    });
    ats.state.addApplication('lever', { id: 'opp-1', candidateId: 'contact-1', status: 'rejected', reasonId: 'reason-filled' });
    const before = ats.state.writesOf('lever').length;
    await ctx.deps.db.$transaction((tx) => enqueueAtsErasure(tx, org.id, [candidate.id], candidate.id));
    await allDone({ connectionId: lever, action: 'erasure' }, 1);
    const [erasure] = await writebacks({ connectionId: lever, action: 'erasure' });
    expect(erasure!.applicationId).toBe(application.id);
    expect(erasure!.steps).toEqual([expect.objectContaining({ action: 'erase', result: 'unsupported', detail: expect.stringMatching(/Lever’s API cannot/) })]);
    expect(ats.state.writesOf('lever').length).toBe(before);
  });

  it('an erasure asks Ashby to anonymize the candidate, once however often the job runs', async () => {
    const requisition = await call('post', '/v1/requisitions', { title: 'Ashby role', externalIds: [{ source: 'ashby', id: 'job-ashby-1' }] });
    const candidate = await call('post', '/v1/candidates', { name: 'Ada Ashby', emails: ['ada@x.test'], externalIds: [{ source: 'ashby', id: 'cand-ashby-1' }] });
    const application = await call('post', '/v1/applications', {
      candidate: { id: candidate.id },
      requisition: { id: requisition.id },
      externalIds: [{ source: 'ashby', id: 'app-ashby-1' }],
    });
    ats.state.addApplication('ashby', { id: 'app-ashby-1', candidateId: 'cand-ashby-1', jobId: 'job-ashby-1', status: 'rejected', reasonId: 'ar-skills' });
    await ctx.deps.db.$transaction((tx) => enqueueAtsErasure(tx, org.id, [candidate.id], candidate.id));
    await allDone({ connectionId: ashby, action: 'erasure' }, 1);
    const anonymized = ats.state.writesOf('ashby', /candidate\.anonymize$/);
    expect(anonymized).toHaveLength(1);
    expect(anonymized[0]!.body).toEqual({ candidateId: 'cand-ashby-1' });
    expect(ats.state.anonymized.has('ashby:cand-ashby-1')).toBe(true);
    const [erasure] = await writebacks({ connectionId: ashby, action: 'erasure' });
    expect(erasure!.applicationId).toBe(application.id);
    expect(erasure!.steps).toEqual([expect.objectContaining({ action: 'erase', result: 'written', detail: 'candidate cand-ashby-1' })]);
    await runAgain({ connectionId: ashby, action: 'erasure' });
  });
});
