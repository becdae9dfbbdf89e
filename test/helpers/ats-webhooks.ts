// Webhooks registered in an ATS through its API (Ashby, Lever): the app listening (so the local
// ATS can post to it as the ATS would), the workers running, and the registration as the
// connection shows it. Call at a test file's top level: it adds the file's beforeAll and afterAll.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { startFakeAts, type FakeAts, type FakeAtsOptions } from '../ats-fake/server.js';
import { createTestContext, type TestContext } from './context.js';
import { startDelivery } from './delivery.js';
import { createOrganization, type TestOrganization } from './factories.js';
import { waitFor } from './wait.js';

export interface WebhooksView {
  status: string;
  error: string | null;
  types: { type: string; state: string; webhookId: string | null; at: string }[];
}

/** `env` points the provider's API at the local ATS (its URL is `{ats}` there). */
export function webhookRegistrationSetup(fake: FakeAtsOptions, env: (atsUrl: string) => Record<string, string>) {
  const setup = {} as { ctx: TestContext; org: TestOrganization; ats: FakeAts; origin: string };
  let workers: Awaited<ReturnType<typeof startDelivery>> | undefined;
  beforeAll(async () => {
    setup.ats = await startFakeAts(fake);
    setup.ctx = await createTestContext({
      OUTBOX_POLL_MS: '20',
      ATS_API_TIMEOUT_MS: '5000',
      ATS_WRITEBACK_RETRY_BASE_MS: '20',
      ATS_CIRCUIT_FAILURES: '1000',
      ...env(setup.ats.url),
    });
    await setup.ctx.app.listen({ host: '127.0.0.1', port: 0 });
    setup.origin = `http://127.0.0.1:${(setup.ctx.app.server.address() as AddressInfo).port}`;
    setup.org = await createOrganization(setup.ctx.deps);
    workers = await startDelivery(setup.ctx);
  });
  afterAll(async () => {
    await workers?.stop();
    await setup.ctx?.close();
    await setup.ats?.close();
  });

  /** Read through the service, as the route does: polling the API would meet its rate limit. */
  const webhooksOf = async (id: string) => (await setup.ctx.deps.atsConnections.getConnection(setup.org.id, id)).api.webhooks as WebhooksView | null;
  const settled = async (id: string, status = 'registered') =>
    (await waitFor(
      () => webhooksOf(id),
      (w) => w?.status === status,
      { what: `the webhooks to be ${status}`, progress: async () => JSON.stringify(await webhooksOf(id)) },
    ))!;
  return { setup, webhooksOf, settled };
}

/**
 * The token the local Lever made for the connection's webhook of `event`, once Hearback has
 * registered the connection's webhooks: what Lever signs that event's deliveries with.
 */
export async function leverWebhookToken(ctx: TestContext, org: TestOrganization, ats: FakeAts, connectionId: string, event: string) {
  await waitFor(
    async () => (await ctx.deps.atsConnections.getConnection(org.id, connectionId)).api.webhooks as WebhooksView | null,
    (w) => w?.status === 'registered',
    { what: 'the Lever webhooks to be registered' },
  );
  const hook = [...ats.state.leverWebhooks.values()].find((h) => h.event === event && h.url.endsWith(`/webhooks/ats/${connectionId}`));
  if (!hook) throw new Error(`no Lever webhook of ${event} for connection ${connectionId}`);
  return hook.signatureToken;
}
