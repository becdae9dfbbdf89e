// ATS webhook fixtures for integration tests: connect a provider, read the documented payloads,
// list what a connection received, and wait for the workers to settle it.
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { expect } from 'vitest';
import type { TestContext } from './context.js';
import { bearer, type TestOrganization } from './factories.js';
import { eventually } from './wait.js';

/** A documented payload from test/fixtures/ats (parsed, so a test may change it). */
export const atsFixture = (path: string) => JSON.parse(readFileSync(new URL(`../fixtures/ats/${path}`, import.meta.url), 'utf8'));

export function atsInbound(ctx: TestContext, org: TestOrganization) {
  const api = () => request(ctx.app.server);
  const deliveries = async (connectionId: string, key = org.adminKey) =>
    (await api().get(`/v1/inbound-deliveries?connectionId=${connectionId}&limit=200`).set(bearer(key))).body.data;
  return {
    /** A new connection: its id, the path the provider posts to, and the secret (ours, or Lever's as given). */
    async connect(provider: string, secret?: string) {
      const created = await api()
        .post('/v1/ats-connections')
        .set(bearer(org.adminKey))
        .send({ provider, name: `${provider} prod`, ...(secret ? { secret } : {}) });
      expect(created.status).toBe(201);
      return { id: created.body.connection.id as string, url: new URL(created.body.connection.url).pathname, secret: created.body.secret as string };
    },
    deliveries,
    /** Waits until `count` deliveries of the connection are no longer waiting to be applied. */
    settled: (connectionId: string, count: number) =>
      eventually(async () => (await deliveries(connectionId)).filter((d: { status: string }) => d.status !== 'received').length).toBe(count),
  };
}
