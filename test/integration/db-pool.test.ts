// The one pg pool under Prisma and the hot statements of src/db/sql.ts: closed with the deps, and
// a request that finds it exhausted gets a 503 once the connection timeout passes, not a hang or a
// 500, whether its statement runs through Prisma or straight on the pool.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, createDb, poolOf } from '../../src/db/client.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { bearer, createOrganization } from '../helpers/factories.js';
import { organizationsRepository } from '../../src/modules/organizations/organizations.repository.js';

describe('the shared pool', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('is the one Prisma runs on, and closeDb ends it', async () => {
    const db = createDb({ url: database.url, poolSize: 2, applicationName: 'pool-test' });
    const pool = poolOf(db)!;
    await db.organization.count();
    expect(pool.totalCount).toBeGreaterThan(0);
    await closeDb(db);
    expect(pool.ended).toBe(true);
    expect(pool.totalCount).toBe(0);
    // A transaction client has no pool of its own: its statements stay in the transaction.
    const other = createDb({ url: database.url, poolSize: 1, applicationName: 'pool-test' });
    await other.$transaction(async (tx) => expect(poolOf(tx)).toBeUndefined());
    await closeDb(other);
  });

  it('reads an organization through its hot statement (one JSON row) exactly as Prisma reads it, on the pool and in a transaction', async () => {
    const db = createDb({ url: database.url, poolSize: 2, applicationName: 'pool-test' });
    try {
      const bare = await organizationsRepository.createOrganization(db, 'Plain «Org» "quoted" \\ ✓');
      const full = await organizationsRepository.createOrganization(db, 'Branded');
      await organizationsRepository.updateOrganization(db, full.id, {
        replyToEmail: 'jobs@branded.test',
        silenceBusinessDays: 7,
        accentColor: '#0f766e',
        privacyPolicyUrl: 'https://branded.test/privacy',
        formality: { de: 'informal', fr: 'formal' },
      });
      await organizationsRepository.putLogo(db, full.id, { contentType: 'image/png', bytes: new Uint8Array([1, 2, 3]), sha256: 'a'.repeat(64), width: 64, height: 32 });
      for (const id of [bare.id, full.id]) {
        const expected = await organizationsRepository.findOrganization(db, id);
        expect(expected).not.toBeNull();
        expect(await organizationsRepository.readOrganization(db, id)).toStrictEqual(expected);
        await db.$transaction(async (tx) => expect(await organizationsRepository.readOrganization(tx, id)).toStrictEqual(expected));
      }
      expect(await organizationsRepository.readOrganization(db, '00000000-0000-7000-8000-000000000000')).toBeNull();
    } finally {
      await closeDb(db);
    }
  });
});

describe('an exhausted pool', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ DATABASE_POOL_SIZE: '1' });
  });
  afterAll(async () => {
    const pool = poolOf(ctx.deps.db)!;
    await ctx.close();
    // The deps closed the pool with everything else.
    expect(pool.ended).toBe(true);
  });

  /**
   * `path` answers 200, then 503 with Retry-After while the pool's one connection is held, then 200 again.
   * `first` is called before, so the key is cached and only the route's own statement needs the pool.
   */
  async function unavailableWhileHeld(path: string, first = path) {
    const org = await createOrganization(ctx.deps);
    expect((await request(ctx.app.server).get(first).set(bearer(org.adminKey))).status).toBe(200);
    const held = await poolOf(ctx.deps.db)!.connect();
    try {
      const res = await request(ctx.app.server).get(path).set(bearer(org.adminKey));
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('service_unavailable');
      expect(res.headers['retry-after']).toBe('5');
    } finally {
      held.release();
    }
    expect((await request(ctx.app.server).get(path).set(bearer(org.adminKey))).status).toBe(200);
  }

  // Not read before: the organization is not in the process's memory yet (organization-cache.ts).
  it('answers 503 with Retry-After on a hot statement when no connection frees up in time', () => unavailableWhileHeld('/v1/organization', '/v1/requisitions'));

  // The requisitions list runs through Prisma, which passes pg's timeout error through as it is.
  it('answers 503 with Retry-After on a statement through Prisma too', () => unavailableWhileHeld('/v1/requisitions'));
});
