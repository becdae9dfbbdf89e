import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyRepository, onceStatement } from '../../src/modules/idempotency/idempotency.repository.js';
import { idempotentRequestHash } from '../../src/plugins/idempotency.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { sql, withClient } from '../helpers/database.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';

let ctx: TestContext;
let org: TestOrganization;
let other: TestOrganization;

beforeAll(async () => {
  ctx = await createTestContext();
  org = await createOrganization(ctx.deps);
  other = await createOrganization(ctx.deps);
});
afterAll(() => ctx.close());

const createKey = (adminKey: string, idempotencyKey: string | undefined, body: object) => {
  const req = request(ctx.app.server).post('/v1/api-keys').set(bearer(adminKey));
  if (idempotencyKey !== undefined) req.set('idempotency-key', idempotencyKey);
  return req.send(body);
};
const keyCount = () => ctx.deps.db.apiKey.count({ where: { organizationId: org.id } });

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body, creating one key only', async () => {
    const before = await keyCount();
    const first = await createKey(org.adminKey, 'idem-1', { name: 'ATS', scopes: ['read'] });
    const second = await createKey(org.adminKey, 'idem-1', { scopes: ['read'], name: 'ATS' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.text).toBe(first.text);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.headers.location).toBe(first.headers.location);
    expect(second.headers['content-type']).toBe(first.headers['content-type']);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await keyCount()).toBe(before + 1);
  });

  it('refuses the same key with a different body (422), changing nothing', async () => {
    await createKey(org.adminKey, 'idem-2', { name: 'A', scopes: ['read'] });
    const before = await keyCount();
    const res = await createKey(org.adminKey, 'idem-2', { name: 'B', scopes: ['read'] });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('idempotency_key_reused');
    expect(await keyCount()).toBe(before);
  });

  it('scopes keys per organization', async () => {
    const mine = await createKey(org.adminKey, 'shared-key', { name: 'X', scopes: ['read'] });
    const theirs = await createKey(other.adminKey, 'shared-key', { name: 'X', scopes: ['read'] });
    expect(theirs.status).toBe(201);
    expect(theirs.body.apiKey.id).not.toBe(mine.body.apiKey.id);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
  });

  it('without the header every request runs', async () => {
    const before = await keyCount();
    await createKey(org.adminKey, undefined, { name: 'Y', scopes: ['read'] });
    await createKey(org.adminKey, undefined, { name: 'Y', scopes: ['read'] });
    expect(await keyCount()).toBe(before + 2);
  });

  it('refuses a malformed key', async () => {
    const tooLong = await createKey(org.adminKey, 'x'.repeat(256), { name: 'Z', scopes: ['read'] });
    expect(tooLong.status).toBe(400);
    const spaced = await createKey(org.adminKey, 'has a space', { name: 'Z', scopes: ['read'] });
    expect(spaced.status).toBe(400);
    expect(spaced.body.code).toBe('invalid_idempotency_key');
  });

  it('never stores a created secret in clear, yet replays it to the same caller', async () => {
    const first = await createKey(org.adminKey, 'idem-secret', { name: 'S', scopes: ['read'] });
    const [row] = await sql<{ response_body: string }>(ctx.database.url, `SELECT response_body FROM idempotency_records WHERE key = 'idem-secret'`);
    expect(row!.response_body).toMatch(/^v1\./);
    expect(row!.response_body).not.toContain(first.body.secret);
    expect(row!.response_body).not.toContain('hb_live_');
    const replay = await createKey(org.adminKey, 'idem-secret', { name: 'S', scopes: ['read'] });
    expect(replay.body.secret).toBe(first.body.secret);
  });

  it('runs concurrent identical requests once', async () => {
    const before = await keyCount();
    const results = await Promise.all(Array.from({ length: 6 }, () => createKey(org.adminKey, 'idem-race', { name: 'Race', scopes: ['read'] })));
    expect(await keyCount()).toBe(before + 1);
    for (const res of results) expect([201, 409]).toContain(res.status);
    const created = results.filter((r) => r.status === 201);
    expect(new Set(created.map((r) => r.body.apiKey.id)).size).toBe(1);
  });

  it('treats a trailing slash as the same operation', async () => {
    await createKey(org.adminKey, 'idem-slash', { name: 'Slash', scopes: ['read'] });
    const slashed = await request(ctx.app.server)
      .post('/v1/api-keys/')
      .set(bearer(org.adminKey))
      .set('idempotency-key', 'idem-slash')
      .send({ name: 'Slash', scopes: ['read'] });
    expect(slashed.status).toBe(201);
    expect(slashed.headers['idempotent-replayed']).toBe('true');
  });

  it('answers 409 while the first request is still running', async () => {
    const claim = {
      organizationId: org.id,
      key: 'idem-running',
      operation: 'POST /v1/api-keys',
      expiresAt: new Date(Date.now() + 3_600_000),
    };
    // Claim the key as a concurrent request would, with the hash this body will have.
    const body = { name: 'R', scopes: ['read'] };
    await idempotencyRepository.claim(ctx.deps.db, { ...claim, requestHash: idempotentRequestHash(claim.operation, {}, body) });
    const res = await createKey(org.adminKey, 'idem-running', body);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('idempotency_request_in_progress');
    expect(res.headers['retry-after']).toBe('1');
  });

  it('keeps records at least 24 hours, and an expired key runs again', async () => {
    const first = await createKey(org.adminKey, 'idem-old', { name: 'Old', scopes: ['read'] });
    const [row] = await sql<{ expires_at: Date; created_at: Date }>(ctx.database.url, `SELECT expires_at, created_at FROM idempotency_records WHERE key = 'idem-old'`);
    expect(row!.expires_at.getTime() - row!.created_at.getTime()).toBeGreaterThanOrEqual(24 * 3_600_000);

    await sql(ctx.database.url, `UPDATE idempotency_records SET expires_at = now() - interval '1 second' WHERE key = 'idem-old'`);
    const again = await createKey(org.adminKey, 'idem-old', { name: 'Old', scopes: ['read'] });
    expect(again.status).toBe(201);
    expect(again.body.apiKey.id).not.toBe(first.body.apiKey.id);
  });

  it('does not keep a response that failed on our side, so the retry runs', async () => {
    await sql(ctx.database.url, 'ALTER TABLE api_keys ADD CONSTRAINT no_new_keys CHECK (name <> $$boom$$) NOT VALID');
    const failed = await createKey(org.adminKey, 'idem-500', { name: 'boom', scopes: ['read'] });
    expect(failed.status).toBe(500);
    await sql(ctx.database.url, 'ALTER TABLE api_keys DROP CONSTRAINT no_new_keys');
    const retried = await createKey(org.adminKey, 'idem-500', { name: 'boom', scopes: ['read'] });
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
  });

  it('leaves no record behind when the write fails, so the retry runs', async () => {
    await sql(ctx.database.url, 'ALTER TABLE api_keys ADD CONSTRAINT no_bang_keys CHECK (name <> $$bang$$) NOT VALID');
    const failed = await createKey(org.adminKey, 'idem-bang', { name: 'bang', scopes: ['read'] });
    expect(failed.status).toBe(500);
    expect(await sql(ctx.database.url, `SELECT 1 FROM idempotency_records WHERE key = 'idem-bang'`)).toEqual([]);
    await sql(ctx.database.url, 'ALTER TABLE api_keys DROP CONSTRAINT no_bang_keys');
    const retried = await createKey(org.adminKey, 'idem-bang', { name: 'bang', scopes: ['read'] });
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
  });

  it('stores the response with the key it made, in one statement: nothing left to complete afterwards', async () => {
    // The record cannot be changed once written: a response stored by a later statement would be lost.
    await sql(
      ctx.database.url,
      `CREATE FUNCTION no_record_updates() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no updates'; END $$;
       CREATE TRIGGER no_record_updates BEFORE UPDATE ON idempotency_records FOR EACH ROW EXECUTE FUNCTION no_record_updates()`,
    );
    try {
      const first = await createKey(org.adminKey, 'idem-atomic', { name: 'Atomic', scopes: ['read'] });
      const retried = await createKey(org.adminKey, 'idem-atomic', { name: 'Atomic', scopes: ['read'] });
      expect(first.status).toBe(201);
      expect([retried.status, retried.headers['idempotent-replayed']]).toEqual([201, 'true']);
      expect(retried.text).toBe(first.text);
    } finally {
      await sql(ctx.database.url, 'DROP TRIGGER no_record_updates ON idempotency_records; DROP FUNCTION no_record_updates()');
    }
  });

  it('creates one key when two requests with the key race, and the other replays it', async () => {
    const before = await keyCount();
    const body = { name: 'Racing pair', scopes: ['read'] };
    const [first, second] = await withClient(ctx.database.url, async (client) => {
      // Hold both requests at the records table, then let them go at once.
      await client.query('BEGIN');
      await client.query('LOCK TABLE idempotency_records IN EXCLUSIVE MODE');
      const racing = Promise.all([createKey(org.adminKey, 'idem-pair', body), createKey(org.adminKey, 'idem-pair', body)]);
      for (;;) {
        const { rows } = await client.query<{ waiting: number }>(`SELECT count(*)::int AS waiting FROM pg_locks WHERE NOT granted AND relation = 'idempotency_records'::regclass`);
        if (rows[0]!.waiting === 2) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      await client.query('COMMIT');
      return racing;
    });
    expect(await keyCount()).toBe(before + 1);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect([first.headers['idempotent-replayed'], second.headers['idempotent-replayed']].sort()).toEqual(['true', undefined]);
    expect(second.text).toBe(first.text);
  });

  it('writes a webhook endpoint and its audit entry with the record: a failed audit leaves none of them, the retry runs', async () => {
    const url = 'https://hooks.example.com/idempotent';
    const create = () => request(ctx.app.server).post('/v1/webhook-endpoints').set(bearer(org.adminKey)).set('idempotency-key', 'idem-endpoint').send({ url });
    const endpoints = () => ctx.deps.db.webhookEndpoint.findMany({ where: { organizationId: org.id, url } });
    await sql(ctx.database.url, `ALTER TABLE audit_events ADD CONSTRAINT no_endpoint_audit CHECK (action <> 'webhook_endpoint.created') NOT VALID`);
    const failed = await create();
    await sql(ctx.database.url, 'ALTER TABLE audit_events DROP CONSTRAINT no_endpoint_audit');
    expect(failed.status).toBe(500);
    expect(await endpoints()).toEqual([]);
    expect(await sql(ctx.database.url, `SELECT 1 FROM idempotency_records WHERE key = 'idem-endpoint'`)).toEqual([]);

    const first = await create();
    const replay = await create();
    expect([first.status, first.headers['idempotent-replayed']]).toEqual([201, undefined]);
    expect([replay.status, replay.headers['idempotent-replayed'], replay.text]).toEqual([201, 'true', first.text]);
    expect((await endpoints()).map((e) => e.id)).toEqual([first.body.endpoint.id]);
    const audit = await ctx.deps.db.auditEvent.findMany({ where: { entityId: first.body.endpoint.id } });
    expect(audit.map((e) => [e.action, e.actor, e.after])).toEqual([['webhook_endpoint.created', expect.stringMatching(/^api_key:/), { url, eventTypes: [] }]]);
    const shown = await request(ctx.app.server).get(`/v1/webhook-endpoints/${first.body.endpoint.id}`).set(bearer(org.adminKey));
    expect(shown.body).toEqual(first.body.endpoint);
  });

  it('refuses a one-statement work that would run when the key is taken', () => {
    expect(() => onceStatement('test-unguarded', { thing: 'INSERT INTO api_keys (name) VALUES ($1)' })).toThrow(/thing must select FROM claimed/);
  });
});
