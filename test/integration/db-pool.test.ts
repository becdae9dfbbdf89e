// The one pg pool under Prisma and the hot statements of src/db/sql.ts: closed with the deps, and
// a request that finds it exhausted gets a 503 once the connection timeout passes, not a hang or a
// 500, whether its statement runs through Prisma or straight on the pool.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, connectionOf, createDb, pgErrorCode, poolOf, type DbClient } from '../../src/db/client.js';
import { sqlRows } from '../../src/db/sql.js';
import { waitFor } from '../helpers/wait.js';
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

// A transaction's statements of src/db/sql.ts run on the connection the transaction holds (not
// through Prisma, which encodes every value as JSON and keeps the last hundred in memory): they
// must see and do exactly what the transaction's own statements see and do, and nothing once it ended.
describe("a transaction's own connection", () => {
  let database: TestDatabase;
  let db: ReturnType<typeof createDb>;
  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb({ url: database.url, poolSize: 2, applicationName: 'own-connection-test' });
    await db.$executeRawUnsafe('CREATE TABLE own_connection_rows (n int PRIMARY KEY)');
  });
  afterAll(async () => {
    await closeDb(db);
    await database.drop();
  });
  const count = async (client: DbClient) => (await sqlRows<{ n: number }>(client)`SELECT count(*)::int AS n FROM own_connection_rows`)[0]!.n;
  const closed = (client: DbClient) => {
    try {
      connectionOf(client);
      return false;
    } catch {
      return true;
    }
  };
  const backend = async (client: DbClient) => (await sqlRows<{ pid: number }>(client)`SELECT pg_backend_pid() AS pid`)[0]!.pid;

  it('runs in the transaction: the same backend, its temporary table, its uncommitted rows, and rolls back with it', async () => {
    await db.$executeRawUnsafe('TRUNCATE own_connection_rows');
    await expect(
      db.$transaction(async (tx) => {
        const [viaPrisma] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
        expect(Reflect.get(connectionOf(tx)!, 'processID')).toBe(viaPrisma!.pid);
        expect(await backend(tx)).toBe(viaPrisma!.pid);
        expect(await backend(db)).not.toBe(viaPrisma!.pid);
        // A temporary table exists on its connection only.
        await tx.$executeRaw`CREATE TEMPORARY TABLE own_connection_scratch (n int) ON COMMIT DROP`;
        expect(await sqlRows<{ n: number }>(tx)`INSERT INTO own_connection_scratch VALUES (7) RETURNING n`).toEqual([{ n: 7 }]);
        await expect(sqlRows(db)`SELECT n FROM own_connection_scratch`).rejects.toSatisfy((error) => pgErrorCode(error) === '42P01');
        await sqlRows(tx)`INSERT INTO own_connection_rows VALUES (1)`;
        await tx.$executeRaw`INSERT INTO own_connection_rows VALUES (2)`;
        expect(await count(tx)).toBe(2);
        expect(await count(db)).toBe(0);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await count(db)).toBe(0);
    await db.$transaction(async (tx) => {
      await sqlRows(tx)`INSERT INTO own_connection_rows VALUES (3)`;
    });
    expect(await count(db)).toBe(1);
  });

  it('keeps transactions apart when more run at once than the pool has connections', async () => {
    const seen = await Promise.all(
      Array.from({ length: 6 }, () =>
        db.$transaction(async (tx) => {
          const [viaPrisma] = await tx.$queryRaw<{ txid: string }[]>`SELECT txid_current()::text AS txid`;
          const [own] = await sqlRows<{ txid: string }>(tx)`SELECT txid_current()::text AS txid`;
          return [viaPrisma!.txid, own!.txid];
        }),
      ),
    );
    for (const [viaPrisma, own] of seen) expect(own).toBe(viaPrisma);
    expect(new Set(seen.map(([txid]) => txid)).size).toBe(6);
  });

  it("hands pg one statement at a time, Prisma's and ours, however many are sent at once", async () => {
    const warnings: string[] = [];
    const listen = (warning: Error) => warnings.push(warning.message);
    process.on('warning', listen);
    try {
      const answers = await db.$transaction(async (tx) =>
        Promise.all([
          sqlRows<{ n: number }>(tx)`SELECT 1 AS n`,
          sqlRows<{ n: number }>(tx)`SELECT 2 AS n, pg_sleep(0.01)`,
          tx.$queryRaw<{ n: number }[]>`SELECT 3 AS n`,
          sqlRows<{ n: number }>(tx)`SELECT 4 AS n`,
        ]),
      );
      expect(answers.map((rows) => rows[0]!.n)).toEqual([1, 2, 3, 4]);
      // pg warns on the next tick (once per process: no earlier test here sends two at once).
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listen);
    }
    expect(warnings.filter((message) => message.includes('already executing a query'))).toEqual([]);
  });

  it('refuses a statement once the transaction ended (committed, or rolled back at its timeout): its connection went back to the pool', async () => {
    await db.$executeRawUnsafe('TRUNCATE own_connection_rows');
    let committed: DbClient | undefined;
    await db.$transaction(async (tx) => {
      committed = tx;
    });
    expect(() => connectionOf(committed!)).toThrow('Transaction already closed');
    await expect(sqlRows(committed!)`INSERT INTO own_connection_rows VALUES (4)`).rejects.toThrow('Transaction already closed');

    let insertAfterTimeout: Promise<unknown> | undefined;
    await expect(
      db.$transaction(
        async (tx) => {
          // Prisma rolls the transaction back at its timeout while this callback still runs.
          await waitFor(() => closed(tx), Boolean, { what: 'the transaction closed at its timeout' });
          insertAfterTimeout = sqlRows(tx)`INSERT INTO own_connection_rows VALUES (5)`;
          await insertAfterTimeout.catch(() => {});
        },
        { timeout: 50 },
      ),
    ).rejects.toThrow();
    await expect(insertAfterTimeout).rejects.toThrow('Transaction already closed');
    expect(await count(db)).toBe(0);
  });

  it('refuses a statement queued after Prisma queued its rollback at the timeout, while an earlier statement still ran', async () => {
    await db.$executeRawUnsafe('TRUNCATE own_connection_rows');
    // Another session holds the lock the transaction's first statement waits for: Prisma's
    // timeout fires while that statement runs, and its ROLLBACK queues behind it on the connection.
    const blocker = await poolOf(db)!.connect();
    let late: Promise<unknown> | undefined;
    try {
      await blocker.query('SELECT pg_advisory_lock(4242)');
      const outcome = db.$transaction(
        async (tx) => {
          const blocked = sqlRows(tx)`SELECT pg_advisory_xact_lock(4242)`;
          // Closed from the moment the ROLLBACK is queued. Left open (the bug this is about), it
          // would stay open until the blocked statement ends: unblock it and fail.
          await waitFor(() => closed(tx), Boolean, { what: 'the transaction closed at its timeout' }).catch(async (error: unknown) => {
            await blocker.query('SELECT pg_advisory_unlock(4242)');
            throw error;
          });
          // Sent now, it would run after the ROLLBACK, outside the transaction, and commit.
          late = sqlRows(tx)`INSERT INTO own_connection_rows VALUES (6)`;
          await late.catch(() => {});
          await blocker.query('SELECT pg_advisory_unlock(4242)');
          // It ran in the transaction, before the ROLLBACK: the case this test is about.
          await expect(blocked).resolves.toBeDefined();
        },
        { timeout: 50 },
      );
      await expect(outcome).rejects.toThrow();
    } finally {
      blocker.release();
    }
    await expect(late).rejects.toThrow('Transaction already closed');
    expect(await count(db)).toBe(0);
  });

  it('refuses a transaction inside a transaction, which would otherwise start apart from it', async () => {
    await db.$executeRawUnsafe('TRUNCATE own_connection_rows');
    await expect(
      db.$transaction(async (tx) => {
        await sqlRows(tx)`INSERT INTO own_connection_rows VALUES (7)`;
        await tx.$transaction(async (inner) => sqlRows(inner)`INSERT INTO own_connection_rows VALUES (8)`);
      }),
    ).rejects.toThrow('A transaction inside a transaction');
    expect(await count(db)).toBe(0);
  });

  it("is Prisma's own for the array form, and a client of no transaction has none", async () => {
    expect(connectionOf(db)).toBeUndefined();
    const [rows] = await db.$transaction([db.$queryRaw<{ one: number }[]>`SELECT 1 AS one`]);
    expect(rows).toEqual([{ one: 1 }]);
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
