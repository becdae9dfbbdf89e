// A signed delivery that cannot be applied ends `failed`, with a reason, and can be replayed; it
// never stays `received`, and applying it is all or nothing (one transaction). Text Postgres
// cannot store (NUL, a lone UTF-16 surrogate), values Hearback's own schemas refuse, and
// decisions refused half-way through are the cases here.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundHandler } from '../../src/modules/ats-inbound/inbound.jobs.js';
import { inboundRepository } from '../../src/modules/ats-inbound/inbound.repository.js';
import { createInboundService } from '../../src/modules/ats-inbound/inbound.service.js';
import { webhookHeaders } from '../../src/modules/webhook-signatures/standard-webhooks.js';
import { atsInbound } from '../helpers/ats-inbound.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { eventually } from '../helpers/wait.js';
import { startDelivery } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';

let ctx: TestContext;
let org: TestOrganization;
let workers: Awaited<ReturnType<typeof startDelivery>>;
let inbound: ReturnType<typeof atsInbound>;
let generic: { id: string; url: string; secret: string };

beforeAll(async () => {
  ctx = await createTestContext({ OUTBOX_POLL_MS: '20' });
  org = await createOrganization(ctx.deps);
  workers = await startDelivery(ctx);
  inbound = atsInbound(ctx, org);
  generic = await inbound.connect('generic');
});
afterAll(async () => {
  await workers?.stop();
  await ctx?.close();
});

const api = () => request(ctx.app.server);
let sent = 0;
/** A signed generic delivery: `application.<type>` about one application, with candidate and requisition. */
async function deliver(type: string, fields: { candidate?: object; requisition?: object; application?: string }) {
  const n = ++sent;
  const raw = JSON.stringify({
    type: `application.${type}`,
    data: {
      application: { externalId: fields.application ?? `app-${n}` },
      candidate: { externalId: `cand-${n}`, name: 'Ada Lovelace', emails: [`ada${n}@fail.test`], ...fields.candidate },
      requisition: { externalId: `req-${n}`, title: 'Analytical Engineer', ...fields.requisition },
    },
  });
  const headers = webhookHeaders({ id: `msg-${n}`, timestamp: Math.floor(Date.now() / 1000), body: raw, secrets: [generic.secret] });
  const response = await api().post(generic.url).set('content-type', 'application/json').set(headers).send(raw);
  expect(response.status).toBe(202);
  await eventually(async () => (await inbound.deliveries(generic.id)).find((d: { status: string; dedupeKey: string }) => d.dedupeKey === `id:msg-${n}`)?.status).not.toBe(
    'received',
  );
  return { n, delivery: (await inbound.deliveries(generic.id)).find((d: { dedupeKey: string }) => d.dedupeKey === `id:msg-${n}`) };
}
const requisitionsTitled = async (title: string) =>
  (await api().get('/v1/requisitions?limit=200').set(bearer(org.adminKey))).body.data.filter((r: { title: string }) => r.title === title);
const candidatesByEmail = async (email: string) =>
  (
    await api()
      .get(`/v1/candidates?email=${encodeURIComponent(email)}`)
      .set(bearer(org.adminKey))
  ).body.data;

describe('text that cannot be stored', () => {
  it.each([
    ['a NUL character', 'Ada\u0000Lovelace', /candidate\.name contains U\+0000/],
    ['a lone surrogate', 'Ada \ud800 Lovelace', /candidate\.name contains an unpaired surrogate \(U\+D800\)/],
  ])('%s in a name: failed with the reason, nothing written, replayable', async (_what, name, reason) => {
    const title = `Engine ${sent + 1}`;
    const { n, delivery } = await deliver('hired', { candidate: { name }, requisition: { title } });
    expect(delivery).toMatchObject({ status: 'failed', outcome: expect.stringMatching(reason) });
    expect(await requisitionsTitled(title)).toEqual([]);
    expect(await candidatesByEmail(`ada${n}@fail.test`)).toEqual([]);

    const replayed = await api().post(`/v1/inbound-deliveries/${delivery.id}/replay`).set(bearer(org.adminKey));
    expect(replayed.status).toBe(202);
    await eventually(async () => (await inbound.deliveries(generic.id)).find((d: { id: string }) => d.id === delivery.id)?.status).toBe('failed');
  });
});

describe('all or nothing', () => {
  it('a value Hearback’s own schema refuses (an address that is not one) fails the delivery, with the field named', async () => {
    const { delivery } = await deliver('hired', { candidate: { emails: ['not an address'] } });
    expect(delivery).toMatchObject({ status: 'failed', outcome: expect.stringContaining('not an email address') });
  });

  it('a rejection refused after the candidate was upserted leaves no candidate behind', async () => {
    const requisition = (
      await api()
        .post('/v1/requisitions')
        .set(bearer(org.adminKey))
        .send({ title: 'Closed role', externalIds: [{ source: 'generic', id: 'req-closed' }] })
    ).body;
    expect((await api().patch(`/v1/requisitions/${requisition.id}`).set(bearer(org.adminKey)).send({ status: 'cancelled' })).status).toBe(200);
    const { n, delivery } = await deliver('rejected', { requisition: { externalId: 'req-closed', title: 'Closed role' } });
    expect(delivery).toMatchObject({ status: 'failed', outcome: expect.stringContaining('requisition_closed') });
    expect(await candidatesByEmail(`ada${n}@fail.test`)).toEqual([]);
  });
});

/** Stored as the receiving end would, but without a job: the test plays the worker. */
async function receivedWithoutJob(connectionId: string, body: object) {
  const key = `id:msg-${++sent}`;
  return (await inboundRepository.insertDelivery(ctx.deps.db, {
    organizationId: org.id,
    connectionId,
    dedupeKey: key,
    eventType: 'application.hired',
    status: 'received',
    outcome: null,
    headers: {},
    rawBody: JSON.stringify(body),
    receivedAt: new Date(),
  }))!;
}
const job = (inboundId: string, attemptsMade: number) => ({ id: `inbound.${inboundId}`, name: 'apply', attemptsMade, data: { task: 'apply' as const, inboundId } });

describe('a temporary error', () => {
  it('is retried, and ends failed on the last attempt rather than leaving the delivery received for good', async () => {
    // The service as deployed, but for hiring data that cannot be written (a connection reset, say).
    const unreachable = async () => {
      throw new Error('Connection terminated unexpectedly');
    };
    const flaky = createInboundService({
      ...ctx.deps,
      hiring: { bulkUpsert: unreachable, linkCandidates: unreachable },
      leverMaxAgeSeconds: 3600,
      refusals: { kept: 100, bodyBytes: 4096 },
    });
    const apply = inboundHandler({ inbound: flaky });
    const body = {
      type: 'application.hired',
      data: { application: { externalId: 'app-flaky' }, candidate: { externalId: 'cand-flaky', emails: ['flaky@fail.test'] }, requisition: { externalId: 'req-flaky' } },
    };
    const id = await receivedWithoutJob(generic.id, body);
    const status = async () => (await inbound.deliveries(generic.id)).find((d: { id: string }) => d.id === id);

    await expect(apply(job(id, 0))).rejects.toThrow('Connection terminated unexpectedly');
    expect(await status()).toMatchObject({ status: 'received', outcome: null });
    await expect(apply(job(id, 7))).resolves.toMatchObject({ status: 'failed' });
    expect(await status()).toMatchObject({ status: 'failed', outcome: expect.stringContaining('outlasted every retry') });

    // Healthy again: the replay goes through the real workers and applies it.
    expect((await api().post(`/v1/inbound-deliveries/${id}/replay`).set(bearer(org.adminKey))).status).toBe(202);
    await eventually(async () => (await status())?.status).toBe('processed');
  });
});

describe('a connection deleted since the delivery arrived', () => {
  it('fails the delivery at once, saying so, rather than retrying it until it is stuck', async () => {
    const doomed = await inbound.connect('generic');
    const id = await receivedWithoutJob(doomed.id, { type: 'application.hired', data: { application: { externalId: 'app-doomed' } } });
    expect((await api().delete(`/v1/ats-connections/${doomed.id}`).set(bearer(org.adminKey))).status).toBe(204);
    await expect(inboundHandler({ inbound: ctx.deps.inbound })(job(id, 0))).resolves.toEqual({
      status: 'failed',
      outcome: 'The ATS connection this delivery came through was deleted; it cannot be applied',
    });
  });
});
