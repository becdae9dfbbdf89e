// Outgoing webhooks with the production setting (no private URLs): addresses that carry an
// internal IPv4 address are refused, and neither the API nor the attempt log tells a tenant
// how a destination resolved.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitEvents } from '../../src/modules/outgoing-webhooks/events.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { startDelivery } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';

let ctx: TestContext;
let org: TestOrganization;
let delivery: Awaited<ReturnType<typeof startDelivery>>;

beforeAll(async () => {
  ctx = await createTestContext({ OUTBOX_POLL_MS: '20', WEBHOOK_ALLOW_PRIVATE_URLS: 'false', WEBHOOK_TIMEOUT_MS: '2000' });
  org = await createOrganization(ctx.deps);
  delivery = await startDelivery(ctx);
});
afterAll(async () => {
  await delivery?.stop();
  await ctx?.close();
});

const api = () => request(ctx.app.server);

describe('webhook destinations', () => {
  it('refuses endpoint URLs whose IPv6 address carries an internal IPv4 address', async () => {
    for (const url of ['https://[::7f00:1]/hook', 'https://[::127.0.0.1]/hook', 'https://[64:ff9b::a9fe:a9fe]/hook', 'https://[2002:a00:1::1]/hook']) {
      const created = await api().post('/v1/webhook-endpoints').set(bearer(org.adminKey)).send({ url });
      expect(created.status, url).toBe(400);
      expect(created.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'body.url', message: expect.stringMatching(/^the destination is not allowed/) }] });
    }
  });

  it('logs an attempt at an internal destination as not allowed, and nothing more', async () => {
    // As if saved before this check existed: the address is judged again at every send.
    const endpoint = await ctx.deps.db.webhookEndpoint.create({
      data: { organizationId: org.id, url: 'https://[::7f00:1]:9/hook', eventTypes: [], secret: ctx.deps.sealer.seal('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw') },
    });
    await ctx.deps.db.$transaction((tx) =>
      emitEvents(tx, org.id, [
        { type: 'candidate.talent_pool_left', data: { messageId: crypto.randomUUID(), applicationId: crypto.randomUUID(), candidateId: crypto.randomUUID() } },
      ]),
    );
    const attempts = async () => (await api().get(`/v1/webhook-endpoints/${endpoint.id}/attempts`).set(bearer(org.adminKey))).body.data as { error: string | null }[];
    await expect.poll(async () => (await attempts()).length, { timeout: 15_000 }).toBeGreaterThan(0);
    const [first] = await attempts();
    expect(first!.error).toMatch(/^unsafe endpoint: the destination is not allowed/);
    expect(first!.error).not.toMatch(/7f00|127\.0\.0\.1|resolves to/);
  });
});
