// GET /v1/organization from memory, in two API processes on one database (as a two-instance
// deployment): what one process or any other writer commits is seen by the other's next read,
// because the database itself notifies (triggers on organizations and organization_logos); while
// a process cannot hear the notifications it reads the database; the caller's scope and
// organization decide as before.
import { deflateSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { adminUrl, sql as sqlOn, withClient } from '../helpers/database.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { eventually, waitFor, waitForQuiet } from '../helpers/wait.js';

let ctx: TestContext;
let other: Deps;
let otherApp: FastifyInstance;
let org: TestOrganization;

beforeAll(async () => {
  ctx = await createTestContext();
  other = createDeps(ctx.config, { role: 'api' });
  otherApp = await buildApp({ config: ctx.config, deps: other, logger: false });
  org = await createOrganization(ctx.deps, 'Northwind');
});
afterAll(async () => {
  await otherApp?.close();
  await other?.close();
  await ctx?.close();
});

const first = () => request(ctx.app.server);
const second = (key = org.adminKey) => request(otherApp.server).get('/v1/organization').set(bearer(key));

/** Runs SQL on the test database outside both processes. */
const sql = (text: string, values: unknown[] = []) => withClient(ctx.database.url, (client) => client.query(text, values));
const adminSql = (text: string) => sqlOn(adminUrl(), text);

/**
 * The second process holds the organization in memory: a change made with the triggers off (so
 * nobody is told) does not show there. Without the cache this fails, so every test below starts
 * from a value really served from memory.
 */
async function cachedInSecond(): Promise<Record<string, unknown>> {
  await waitFor(() => other.organizationCache?.listening, Boolean, { what: "the second process's LISTEN" });
  // Any notification the second process takes in while it reads (another organization created
  // just before) keeps that read out of memory: read until the value is held.
  // Assigned by the first read (waitFor reads at least once).
  let served!: Awaited<ReturnType<typeof second>>;
  await waitFor(
    async () => {
      served = await second();
      return other.organizationCache?.get(org.id) !== undefined;
    },
    Boolean,
    { what: 'the organization held in the second process' },
  );
  expect(served.status).toBe(200);
  await withClient(ctx.database.url, async (client) => {
    await client.query('BEGIN');
    await client.query("SET LOCAL session_replication_role = 'replica'");
    await client.query("UPDATE organizations SET name = 'Unannounced' WHERE id = $1", [org.id]);
    await client.query('COMMIT');
  });
  const again = await second();
  expect(again.body).toEqual(served.body);
  return served.body as Record<string, unknown>;
}

/** A real PNG of one colour, large enough to be a logo. */
function png(side: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    // Hearback reads the header, not the checksum.
    return Buffer.concat([length, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.concat(Array.from({ length: side }, () => Buffer.concat([Buffer.from([0]), Buffer.alloc(side * 3, 0x33)])));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

describe('GET /v1/organization across API processes', () => {
  it('serves the organization from memory (a change nobody announced is not seen)', async () => {
    const served = await cachedInSecond();
    expect(served).toMatchObject({ id: org.id, name: expect.any(String) });
    expect(served.name).not.toBe('Unannounced');
  });

  it('shows a PATCH made through the other process once it is committed', async () => {
    await cachedInSecond();
    // The writing process holds it too, and reads its own write at once, without waiting for the NOTIFY.
    await waitFor(() => ctx.deps.organizationCache?.listening, Boolean, { what: "the first process's LISTEN" });
    expect((await first().get('/v1/organization').set(bearer(org.adminKey))).status).toBe(200);
    const patched = await first().patch('/v1/organization').set(bearer(org.adminKey)).send({ name: 'Northwind Talent', undoWindowMinutes: 42 });
    expect(patched.status).toBe(200);
    expect((await first().get('/v1/organization').set(bearer(org.adminKey))).body).toEqual(patched.body);
    await eventually(async () => (await second()).body).toEqual(patched.body);
  });

  it('shows a logo set and removed through the other process', async () => {
    await cachedInSecond();
    const put = await first().put('/v1/organization/logo').set(bearer(org.adminKey)).set('content-type', 'image/png').send(png(32));
    expect(put.status).toBe(200);
    await eventually(async () => (await second()).body.logo).toEqual(put.body);

    await cachedInSecond();
    expect((await first().delete('/v1/organization/logo').set(bearer(org.adminKey))).status).toBe(204);
    await eventually(async () => (await second()).body.logo).toBeNull();
  });

  it('shows a change made straight in SQL, by no Hearback code at all (the triggers notify)', async () => {
    await cachedInSecond();
    await sql("UPDATE organizations SET name = 'Typed by hand', track_opens = NOT track_opens WHERE id = $1", [org.id]);
    const row = (await sql('SELECT track_opens FROM organizations WHERE id = $1', [org.id])).rows[0] as { track_opens: boolean };
    await eventually(async () => (await second()).body).toMatchObject({ name: 'Typed by hand', trackOpens: row.track_opens });

    await cachedInSecond();
    await sql(`INSERT INTO organization_logos (organization_id, content_type, bytes, sha256, width, height, updated_at) VALUES ($1, 'image/png', '\\x00', $2, 20, 20, now())`, [
      org.id,
      'a'.repeat(64),
    ]);
    await eventually(async () => (await second()).body.logo).toMatchObject({ sha256: 'a'.repeat(64), width: 20 });

    await cachedInSecond();
    await sql('DELETE FROM organization_logos WHERE organization_id = $1', [org.id]);
    await eventually(async () => (await second()).body.logo).toBeNull();
  });

  it('shows settings changed by the other modules that write the row (sending setup, data rights) without changing the answer', async () => {
    const before = await cachedInSecond();
    const name = 'Unannounced';
    expect((await first().patch('/v1/organization/data-rights').set(bearer(org.adminKey)).send({ dataRetentionMonths: 7 })).status).toBe(200);
    // The row changed, so the triggers told every process: the read is fresh (the unannounced name shows).
    await eventually(async () => (await second()).body).toEqual({ ...before, name });
  });

  it('reads the database while the process cannot hear notifications', async () => {
    await cachedInSecond();
    const database = pg.escapeIdentifier(ctx.database.name);
    await withClient(ctx.database.url, async (admin) => {
      // Keep the LISTEN connections from coming back (connections already open stay).
      await adminSql(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
      try {
        await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'hearback-organization-cache'`);
        await waitFor(
          () => other.organizationCache?.listening,
          (listening) => listening === false,
          { what: 'the LISTEN connection to drop' },
        );
        await admin.query("UPDATE organizations SET name = 'Changed unheard' WHERE id = $1", [org.id]);
        const res = await second();
        expect(res.status).toBe(200);
        expect(res.body.name).toBe('Changed unheard');
      } finally {
        await adminSql(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
      }
    });
    await waitFor(() => other.organizationCache?.listening, Boolean, { what: 'the LISTEN connection to come back' });
    expect((await second()).body.name).toBe('Changed unheard');
  });
});

describe('the cache itself', () => {
  it('drops a read that was in flight when a change was announced (it may hold the value from before)', async () => {
    const cache = other.organizationCache!;
    await waitFor(() => cache.listening, Boolean, { what: 'the LISTEN connection' });
    const ticket = cache.begin();
    await sql("SELECT pg_notify('hearback_organizations', $1)", [org.id]);
    await waitFor(
      () => cache.begin(),
      (now) => now !== ticket,
      { what: 'the notification' },
    );
    cache.set('00000000-0000-7000-8000-000000000001', '{"stale":true}', ticket);
    expect(cache.get('00000000-0000-7000-8000-000000000001')).toBeUndefined();
    cache.set('00000000-0000-7000-8000-000000000001', '{"fresh":true}', cache.begin());
    expect(cache.get('00000000-0000-7000-8000-000000000001')).toBe('{"fresh":true}');
  });
});

describe('who may read it, with the organization in memory', () => {
  let globex: TestOrganization;
  beforeAll(async () => {
    const ticket = other.organizationCache!.begin();
    globex = await createOrganization(ctx.deps, 'Globex');
    // Its notifications reach the second process before a test there reads from memory.
    await waitFor(
      () => other.organizationCache!.begin(),
      (now) => now !== ticket,
      { what: "Globex's notification" },
    );
    await waitForQuiet(() => other.organizationCache!.begin());
  });

  it('still needs the read scope, and answers each caller with their own organization', async () => {
    await cachedInSecond();
    const writeOnly = await org.key(['write']);
    const refused = await second(writeOnly);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'insufficient_scope', requiredScope: 'read' });

    expect((await second(await org.key(['read']))).body.id).toBe(org.id);
    const theirs = await second(globex.adminKey);
    expect(theirs.status).toBe(200);
    expect(theirs.body).toMatchObject({ id: globex.id, name: 'Globex' });
  });

  it('refuses a revoked key, though its organization is in memory', async () => {
    await cachedInSecond();
    const key = await org.key(['read']);
    expect((await second(key)).status).toBe(200);
    const id = (await ctx.deps.db.apiKey.findFirstOrThrow({ where: { prefix: key.slice(0, 16) } })).id;
    expect((await first().post(`/v1/api-keys/${id}/revoke`).set(bearer(org.adminKey))).status).toBe(200);
    await eventually(async () => (await second(key)).body.code).toBe('api_key_revoked');
  });

  it('stops serving an organization that was deleted', async () => {
    const doomed = await createOrganization(ctx.deps, 'Doomed');
    expect((await second(doomed.adminKey)).status).toBe(200);
    await sql('DELETE FROM organizations WHERE id = $1', [doomed.id]);
    await eventually(async () => (await second(doomed.adminKey)).status).not.toBe(200);
  });
});
