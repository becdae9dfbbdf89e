import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createDeps } from '../../src/deps.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { eventually, waitFor } from '../helpers/wait.js';
import { pino } from 'pino';
import { API_KEYS_CHANNEL, createApiKeyCache } from '../../src/modules/organizations/api-key-cache.js';

let ctx: TestContext;
let acme: TestOrganization;
let globex: TestOrganization;

beforeAll(async () => {
  ctx = await createTestContext();
  acme = await createOrganization(ctx.deps, 'Acme');
  globex = await createOrganization(ctx.deps, 'Globex');
});
afterAll(() => ctx.close());

const api = () => request(ctx.app.server);

describe('authentication (401)', () => {
  it('refuses a request without a key', async () => {
    const res = await api().get('/v1/organization');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('missing_api_key');
  });

  it.each([
    ['a key that was never issued', `Bearer hb_live_${'A'.repeat(43)}`],
    ['a malformed key', 'Bearer not-a-key'],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['an empty bearer', 'Bearer '],
  ])('refuses %s', async (_label, header) => {
    const res = await api().get('/v1/organization').set('authorization', header);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_api_key');
  });

  it('refuses a revoked key, from the moment it is revoked', async () => {
    const key = await acme.key(['read']);
    expect((await api().get('/v1/organization').set(bearer(key))).status).toBe(200);
    const list = await api().get('/v1/api-keys?limit=200').set(bearer(acme.adminKey));
    const id = list.body.data.find((k: { prefix: string }) => key.startsWith(k.prefix)).id;
    const revoked = await api().post(`/v1/api-keys/${id}/revoke`).set(bearer(acme.adminKey));
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));

    const res = await api().get('/v1/organization').set(bearer(key));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('api_key_revoked');
  });

  it('a revocation reaches every API process at once, though they cache keys', async () => {
    const other = createDeps(ctx.config, { role: 'api' });
    const otherApp = await buildApp({ config: ctx.config, deps: other, logger: false });
    try {
      const key = await acme.key(['read']);
      // Wait until the second process listens, then let it cache the key.
      await eventually(async () => (await request(otherApp.server).get('/v1/organization').set(bearer(key))).status).toBe(200);
      await request(otherApp.server).get('/v1/organization').set(bearer(key));
      const id = (await ctx.deps.db.apiKey.findFirstOrThrow({ where: { prefix: key.slice(0, 16) } })).id;
      expect((await api().post(`/v1/api-keys/${id}/revoke`).set(bearer(acme.adminKey))).status).toBe(200);
      await eventually(async () => (await request(otherApp.server).get('/v1/organization').set(bearer(key))).body.code).toBe('api_key_revoked');
    } finally {
      await otherApp.close();
      await other.close();
    }
  });

  it('does not keep a key looked up while its revocation was being announced (the lookup may predate it)', async () => {
    const cache = createApiKeyCache({ databaseUrl: ctx.config.DATABASE_URL, logger: pino({ level: 'silent' }) });
    try {
      await waitFor(() => cache.listening, Boolean, { what: 'the LISTEN connection' });
      const auth = { organizationId: acme.id, apiKeyId: '00000000-0000-7000-8000-00000000000a', sessionId: null, userId: null, role: null, scopes: ['read' as const] };
      const entry = { apiKeyId: auth.apiKeyId, auth, lastUsedAt: null };
      const ticket = cache.begin();
      await ctx.deps.db.$executeRaw`SELECT pg_notify(${API_KEYS_CHANNEL}, ${auth.apiKeyId})`;
      await waitFor(
        () => cache.begin(),
        (now) => now !== ticket,
        { what: 'the notification' },
      );
      cache.set('looked-up-before', entry, ticket);
      expect(cache.get('looked-up-before')).toBeUndefined();
      cache.set('looked-up-after', entry, cache.begin());
      expect(cache.get('looked-up-after')).toMatchObject(entry);
    } finally {
      await cache.close();
    }
  });

  it('accepts a valid key and records its use', async () => {
    const key = await acme.key(['read']);
    const res = await api().get('/v1/organization').set(bearer(key));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: acme.id, name: 'Acme' });
    await eventually(async () => (await ctx.deps.db.apiKey.findFirst({ where: { prefix: key.slice(0, 16) } }))?.lastUsedAt).toBeInstanceOf(Date);
  });
});

describe('failed authentication, throttled per client address', () => {
  let throttled: TestContext;
  beforeAll(async () => {
    // Addresses come from X-Forwarded-For here, so one test plays several clients.
    throttled = await createTestContext({ AUTH_FAILURES_PER_MINUTE: '5', TRUST_PROXY: 'true' });
  });
  afterAll(() => throttled.close());
  const from = (address: string, key: string) => request(throttled.app.server).get('/v1/organization').set('x-forwarded-for', address).set(bearer(key));

  it('refuses an address with 429 problem+json and Retry-After once it has failed the budget, whatever key it tries next', async () => {
    const org = await createOrganization(throttled.deps);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await from('203.0.113.7', `hb_live_${String(i).padStart(43, 'A')}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);

    const refused = await from('203.0.113.7', `hb_live_${'B'.repeat(43)}`);
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    // A good key from that address waits too: the address, not the key, is being throttled.
    expect((await from('203.0.113.7', org.adminKey)).status).toBe(429);

    // Another address, and successful calls, are not affected.
    expect((await from('198.51.100.4', org.adminKey)).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await from('198.51.100.4', org.adminKey)).status).toBe(200);
    // Routes that need no key are not either.
    expect((await request(throttled.app.server).get('/healthz').set('x-forwarded-for', '203.0.113.7')).status).toBe(200);
  });

  it('shares the count across API processes: another one refuses the address after its own first failure', async () => {
    const org = await createOrganization(throttled.deps);
    for (let i = 0; i < 5; i++) expect((await from('203.0.113.8', `hb_live_${String(i).padStart(43, 'C')}`)).status).toBe(401);
    const other = await buildApp({ config: throttled.config, deps: throttled.deps, logger: false });
    try {
      const fromOther = (key: string) => request(other.server).get('/v1/organization').set('x-forwarded-for', '203.0.113.8').set(bearer(key));
      // The other process has not seen this address fail: a working key costs it no extra look-up.
      expect((await fromOther(org.adminKey)).status).toBe(200);
      expect((await fromOther(`hb_live_${'D'.repeat(43)}`)).status).toBe(401);
      expect((await fromOther(`hb_live_${'E'.repeat(43)}`)).status).toBe(429);
      expect((await fromOther(org.adminKey)).status).toBe(429);
    } finally {
      await other.close();
    }
  });
});

describe('scopes (403)', () => {
  it('refuses a read key on an admin route and names the scope', async () => {
    const key = await acme.key(['read', 'write', 'approve']);
    const res = await api()
      .post('/v1/api-keys')
      .set(bearer(key))
      .send({ name: 'x', scopes: ['read'] });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'insufficient_scope', requiredScope: 'admin' });
  });

  it('lets an admin key do what every scope allows', async () => {
    expect((await api().get('/v1/organization').set(bearer(acme.adminKey))).status).toBe(200);
  });

  it('a write-only key cannot read', async () => {
    const key = await acme.key(['write']);
    const res = await api().get('/v1/organization').set(bearer(key));
    expect(res.status).toBe(403);
    expect(res.body.requiredScope).toBe('read');
  });
});

describe('tenancy (404)', () => {
  it("answers 404 for another organization's key, for reads and for changes", async () => {
    const created = await api()
      .post('/v1/api-keys')
      .set(bearer(globex.adminKey))
      .send({ name: 'Globex ATS', scopes: ['read'] });
    expect(created.status).toBe(201);
    const id = created.body.apiKey.id;

    const read = await api().get(`/v1/api-keys/${id}`).set(bearer(acme.adminKey));
    expect(read.status).toBe(404);
    expect(read.body.code).toBe('not_found');

    const revoke = await api().post(`/v1/api-keys/${id}/revoke`).set(bearer(acme.adminKey));
    expect(revoke.status).toBe(404);
    // ...and the key still works for its owner.
    expect((await api().get('/v1/organization').set(bearer(created.body.secret))).status).toBe(200);
  });

  it("never lists another organization's keys", async () => {
    const res = await api().get('/v1/api-keys?limit=200').set(bearer(acme.adminKey));
    expect(res.status).toBe(200);
    const globexKeys = await ctx.deps.db.apiKey.findMany({ where: { organizationId: globex.id } });
    const listed = new Set(res.body.data.map((k: { id: string }) => k.id));
    expect(globexKeys.some((k) => listed.has(k.id))).toBe(false);
  });
});

describe('API keys', () => {
  it('shows the secret once, stores only its hash, and never returns it again', async () => {
    const res = await api()
      .post('/v1/api-keys')
      .set(bearer(acme.adminKey))
      .send({ name: '  Lever sync ', scopes: ['read', 'write'] });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/v1/api-keys/${res.body.apiKey.id}`);
    expect(res.body.secret).toMatch(/^hb_live_[A-Za-z0-9_-]{43}$/);
    expect(res.body.apiKey).toMatchObject({ name: 'Lever sync', scopes: ['read', 'write'], revokedAt: null });

    const row = await ctx.deps.db.apiKey.findUniqueOrThrow({ where: { id: res.body.apiKey.id } });
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(res.body.secret);

    const again = await api().get(`/v1/api-keys/${res.body.apiKey.id}`).set(bearer(acme.adminKey));
    expect(again.body.secret).toBeUndefined();
    expect(JSON.stringify(again.body)).not.toContain(res.body.secret.slice(16));
  });

  it('revoking twice keeps the first revocation time', async () => {
    const created = await api()
      .post('/v1/api-keys')
      .set(bearer(acme.adminKey))
      .send({ name: 'temp', scopes: ['read'] });
    const first = await api().post(`/v1/api-keys/${created.body.apiKey.id}/revoke`).set(bearer(acme.adminKey));
    const second = await api().post(`/v1/api-keys/${created.body.apiKey.id}/revoke`).set(bearer(acme.adminKey));
    expect(second.status).toBe(200);
    expect(second.body.revokedAt).toBe(first.body.revokedAt);
  });

  it('refuses unknown or repeated scopes with field errors', async () => {
    const res = await api()
      .post('/v1/api-keys')
      .set(bearer(acme.adminKey))
      .send({ name: 'x', scopes: ['read', 'superuser'] });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'body.scopes.1' })]));
    const repeated = await api()
      .post('/v1/api-keys')
      .set(bearer(acme.adminKey))
      .send({ name: 'x', scopes: ['read', 'read'] });
    expect(repeated.status).toBe(400);
  });
});
