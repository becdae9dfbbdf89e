// An ATS's deliveries are applied in parallel, so a merge can overtake the events that create the
// records it merges. It waits for them (retried with the inbound queue's backoff) instead of being
// dropped, which would leave one person as two records that could each be told a decision.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookHeaders } from '../../src/modules/webhook-signatures/standard-webhooks.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { startDelivery } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { atsInbound } from '../helpers/ats-inbound.js';
import { waitFor } from '../helpers/wait.js';

let ctx: TestContext;
let org: TestOrganization;
let workers: Awaited<ReturnType<typeof startDelivery>>;

beforeAll(async () => {
  ctx = await createTestContext({ OUTBOX_POLL_MS: '50' });
  org = await createOrganization(ctx.deps);
  workers = await startDelivery(ctx);
});
afterAll(async () => {
  await workers?.stop();
  await ctx?.close();
});

const api = () => request(ctx.app.server);

describe('an ATS merge that arrives before its records', () => {
  it('waits for the records, then links them; on the last attempt it is ignored and can be replayed', async () => {
    const inbound = atsInbound(ctx, org);
    const generic = await inbound.connect('generic');
    let sent = 0;
    const webhook = async (body: object) => {
      const raw = JSON.stringify(body);
      const headers = webhookHeaders({ id: `evt-order-${++sent}`, timestamp: Math.floor(Date.now() / 1000), body: raw, secrets: [generic.secret] });
      const response = await api().post(generic.url).set('content-type', 'application/json').set(headers).send(raw);
      expect(response.status, JSON.stringify(response.body)).toBe(202);
    };
    const record = (n: number) => ({
      type: 'application.stage_changed',
      data: {
        application: { externalId: `order-app-${n}` },
        candidate: { externalId: `order-cand-${n}`, name: 'Ines Order', emails: [`ines.${n}@order.test`] },
        requisition: { externalId: 'order-req' },
        stage: 'Applied',
      },
    });

    // The merge first, then the two records it names.
    await webhook({ type: 'candidate.merged', data: { winner: { externalId: 'order-cand-1' }, loser: { externalId: 'order-cand-2' } } });
    await webhook(record(1));
    await webhook(record(2));
    const deliveries = await waitFor(
      () => inbound.deliveries(generic.id) as Promise<{ status: string; outcome: string | null }[]>,
      (rows) => rows.length === 3 && rows.every((d) => d.status === 'processed'),
      {
        what: 'the merge to be applied once its records arrived',
        // Between its tries the merge rests on the queue's backoff: waiting, not stuck.
        resting: async () => ((await inbound.deliveries(generic.id)) as { status: string }[]).some((d) => d.status === 'received'),
      },
    );
    expect(deliveries.map((d) => d.status)).toEqual(['processed', 'processed', 'processed']);
    const ines = (await api().get('/v1/candidates?email=ines.2@order.test').set(bearer(org.adminKey))).body.data[0];
    const other = (await api().get('/v1/candidates?email=ines.1@order.test').set(bearer(org.adminKey))).body.data[0];
    expect(ines.sameAs).toContain(other.id);

    // Records that never come: retried, then ignored on the last attempt (a replay applies it later).
    await webhook({ type: 'candidate.merged', data: { winner: { externalId: 'never-1' }, loser: { externalId: 'never-2' } } });
    const pending = await waitFor(
      async () => ((await inbound.deliveries(generic.id)) as { id: string; status: string }[]).find((d) => d.status === 'received'),
      (row) => row !== undefined,
      { what: 'the second merge to be received' },
    );
    // As the queue's last attempt would (tried again should a worker's try hold the row at that moment).
    const last = await waitFor(
      () => ctx.deps.inbound.applyDelivery(pending!.id, { lastAttempt: true }),
      (result) => 'status' in result,
      { what: 'the last attempt to apply the merge' },
    );
    expect(last).toMatchObject({ status: 'ignored', outcome: expect.stringContaining('does not know') });
  });
});
