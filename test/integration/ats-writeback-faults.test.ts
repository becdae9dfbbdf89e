// The write-back when the ATS misbehaves or Hearback dies at the wrong moment, against the local
// Greenhouse server: 429 with Retry-After, 5xx, calls that never answer, an expired OAuth token,
// a write done but its answer lost, and an email sent whose sending was never recorded. Each
// ends with exactly one rejection and one note in Greenhouse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAts, type FakeAts } from '../ats-fake/server.js';
import { atsInbound } from '../helpers/ats-inbound.js';
import { callAs, connectGreenhouse, GREENHOUSE_CLIENT, rejectAndSendOne, writebackActivity } from '../helpers/ats-writeback.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { setUpSending, startDelivery } from '../helpers/delivery.js';
import { createOrganization, type TestOrganization } from '../helpers/factories.js';
import { eventually } from '../helpers/wait.js';
import { startPostmarkServer, type PostmarkFake } from '../postmark/server.js';

let ctx: TestContext;
let org: TestOrganization;
let ats: FakeAts;
let postmark: PostmarkFake;
let delivery: Awaited<ReturnType<typeof startDelivery>>;
let connectionId: string;
let round = 0;

beforeAll(async () => {
  ats = await startFakeAts({ greenhouse: GREENHOUSE_CLIENT });
  postmark = await startPostmarkServer();
  ctx = await createTestContext({
    OUTBOX_POLL_MS: '20',
    POSTMARK_API_URL: postmark.url,
    DELIVERY_RECONCILE_DELAY_MS: '0',
    GREENHOUSE_API_URL: ats.url,
    GREENHOUSE_AUTH_URL: ats.url,
    ATS_API_TIMEOUT_MS: '300',
    ATS_WRITEBACK_RETRY_BASE_MS: '20',
    ATS_WRITEBACK_MAX_ATTEMPTS: '6',
    // These tests are about each write-back's tries; the circuit (ats-circuit.test.ts) stays closed.
    ATS_CIRCUIT_FAILURES: '1000',
  });
  org = await createOrganization(ctx.deps);
  await setUpSending(ctx, org);
  delivery = await startDelivery(ctx);
  const inbound = atsInbound(ctx, org);
  connectionId = await connectGreenhouse(ctx, org, inbound);
});
afterAll(async () => {
  await delivery?.stop();
  await ctx?.close();
  await postmark?.close();
  await ats?.close();
});

/** A requisition with a hired person and one other, both from Greenhouse; sends the other's rejection. */
async function sendOne() {
  round++;
  const call = (method: 'post' | 'get', path: string, body?: object) => callAs(ctx, org, method, path, body);
  const requisition = await call('post', '/v1/requisitions', { title: `Role ${round}`, externalIds: [{ source: 'greenhouse', id: `job-${round}` }] });
  const make = async (who: string) => {
    const c = await call('post', '/v1/candidates', {
      name: `${who} ${round}`,
      emails: [`${who.toLowerCase()}.${round}@x.test`],
      externalIds: [{ source: 'greenhouse', id: `${round}${who === 'Hired' ? 1 : 2}` }],
    });
    const app = `${round}0${who === 'Hired' ? 1 : 2}`;
    ats.state.addApplication('greenhouse', { id: app, candidateId: `${round}${who === 'Hired' ? 1 : 2}` });
    return (await call('post', '/v1/applications', { candidate: { id: c.id }, requisition: { id: requisition.id }, externalIds: [{ source: 'greenhouse', id: app }] }))
      .id as string;
  };
  const hired = await make('Hired');
  const other = await make('Other');
  await call('post', '/v1/decisions', { application: { id: hired }, kind: 'hire' });
  const messageId = await rejectAndSendOne(ctx, org, postmark, { requisitionId: requisition.id, chosen: hired, rejected: other, reasonCategory: 'skills_gap' });
  return { application: `${round}02`, candidate: `${round}2`, messageId };
}

/** The write-back of one message (undefined until the send made it). */
const of = async (messageId: string) => (await writebackActivity(ctx, org, connectionId)).find((a) => a.messageId === messageId);
const statusOf = async (messageId: string) => (await of(messageId))?.status;
const rejectsOf = (application: string) => ats.state.writesOf('greenhouse', new RegExp(`/v3/applications/${application}/reject$`));

describe('the ATS misbehaving', () => {
  it('429 with Retry-After: the next try waits at least that long', async () => {
    ats.state.fail('greenhouse', { method: 'POST', path: /\/reject$/ }, { status: 429, retryAfter: '1' });
    const { application, candidate, messageId } = await sendOne();
    await eventually(() => statusOf(messageId)).toBe('done');
    const tries = ats.state.requests.filter((r) => r.method === 'POST' && r.path === `/v3/applications/${application}/reject`);
    expect(tries).toHaveLength(2);
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(rejectsOf(application)).toHaveLength(1);
    expect(ats.state.notesOf('greenhouse', candidate)).toHaveLength(1);
    expect((await of(messageId))!.attempts).toBe(1);
  });

  it('5xx, then a call that never answers, then an expired token: retried until done, one write each', async () => {
    ats.state.fail('greenhouse', { method: 'GET', path: /^\/v3\/applications\// }, { status: 503 });
    ats.state.fail('greenhouse', { method: 'GET', path: /^\/v3\/notes/ }, { hang: true });
    const { application, candidate, messageId } = await sendOne();
    await eventually(() => statusOf(messageId)).toBe('done');
    expect((await of(messageId))!.attempts).toBe(2);
    expect(rejectsOf(application)).toHaveLength(1);
    expect(ats.state.notesOf('greenhouse', candidate)).toHaveLength(1);

    // Tokens expire (an hour in Greenhouse): the next call gets a 401, fetches a new token, goes on.
    ats.state.expireTokens();
    const tokensBefore = ats.state.tokens.size;
    const next = await sendOne();
    await eventually(() => statusOf(next.messageId)).toBe('done');
    expect(ats.state.tokens.size).toBe(tokensBefore + 1);
    expect(rejectsOf(next.application)).toHaveLength(1);
    expect((await of(next.messageId))!.attempts).toBe(0);
  });

  it('failing past the last try: failed, shown on the connection', async () => {
    ats.state.fail('greenhouse', { method: 'POST', path: /\/reject$/ }, { status: 500 }, 6);
    const { messageId } = await sendOne();
    await eventually(() => statusOf(messageId)).toBe('failed');
    expect((await of(messageId))!.lastError).toMatch(/HTTP 500.*after 6 tries/);
    const connection = (await callAs(ctx, org, 'get', '/v1/ats-connections?limit=200')).data.find((c: { id: string }) => c.id === connectionId);
    expect(connection.api.lastError).toMatch(/HTTP 500/);
  });
});

describe('a crash at the wrong moment', () => {
  it('the ATS wrote, but its answer was lost (the connection cut): the retry reads back and writes nothing twice', async () => {
    ats.state.fail('greenhouse', { method: 'POST', path: /\/reject$/ }, { dropAfterWrite: true });
    ats.state.fail('greenhouse', { method: 'POST', path: /^\/v3\/notes$/ }, { dropAfterWrite: true });
    const { application, candidate, messageId } = await sendOne();
    await eventually(() => statusOf(messageId)).toBe('done');
    expect(rejectsOf(application)).toHaveLength(1);
    expect(ats.state.notesOf('greenhouse', candidate)).toHaveLength(1);
    expect((await of(messageId))!.steps.map((s) => `${s.action}:${s.result}`)).toEqual(['reject:already', 'note:already']);
  });

  it('the email left but its sending was never recorded (the answer lost, as in a crash): reconciled, then exactly one write', async () => {
    postmark.faults.dropNext(1, { path: '/email/batch' });
    const { application, candidate, messageId } = await sendOne();
    await eventually(() => statusOf(messageId)).toBe('done');
    const events = await ctx.deps.db.messageEvent.findMany({ where: { messageId }, select: { type: true } });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['unknown', 'reconciled']));
    expect(postmark.messages().filter((m) => m.Metadata?.hearback_message_id === messageId)).toHaveLength(1);
    expect(rejectsOf(application)).toHaveLength(1);
    expect(ats.state.notesOf('greenhouse', candidate)).toHaveLength(1);
  });

  it('a write-back whose job was lost (Redis emptied) is taken back by the workers’ clock, and writes nothing twice', async () => {
    const { application, candidate, messageId } = await sendOne();
    await eventually(() => statusOf(messageId)).toBe('done');
    const row = await ctx.deps.db.atsWriteback.findFirstOrThrow({ where: { messageId } });
    expect(await ctx.deps.atsWriteback.sweep()).toBe(0);
    // As if its job had vanished before it ran: pending, untouched for long, nothing queued.
    await ctx.deps.db.$executeRaw`UPDATE ats_writebacks SET status = 'pending', completed_at = NULL, updated_at = now() - interval '1 hour' WHERE id = ${row.id}::uuid`;
    expect(await ctx.deps.atsWriteback.sweep()).toBe(1);
    expect(await ctx.deps.atsWriteback.sweep()).toBe(0);
    await eventually(() => statusOf(messageId)).toBe('done');
    expect(rejectsOf(application)).toHaveLength(1);
    expect(ats.state.notesOf('greenhouse', candidate)).toHaveLength(1);
  });
});
