import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueInTransaction } from '../../src/queue/outbox.js';
import { relayOutboxBatch, startOutboxRelay } from '../../src/queue/outbox-relay.js';
import { addJobs } from '../../src/queue/producer.js';
import type { QueuePayload } from '../../src/queue/queues.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { sql } from '../helpers/database.js';
import { runToEnd } from '../helpers/process.js';
import { eventually, waitFor } from '../helpers/wait.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const purge = (jobId: string) => ({ queue: 'maintenance' as const, name: 'purge', payload: { task: 'purge-idempotency-records' as const }, jobId });
const jobIds = async () => (await ctx.deps.queues.maintenance.getJobs(['waiting', 'delayed', 'active', 'completed'])).map((j) => j.id);
const unrelayed = async () => ctx.deps.db.outboxJob.count({ where: { relayedAt: null, failedAt: null } });
/** A running relay that only a notification wakes: its poll is far beyond anything a test waits. */
const wokenRelay = (more: { batchSize?: number; concurrency?: number } = {}) =>
  startOutboxRelay({ db: ctx.deps.db, queues: ctx.deps.queues, databaseUrl: ctx.database.url, pollMs: 24 * 3_600_000, logger: pino({ level: 'silent' }), ...more });

describe('transactional outbox', () => {
  it('writes the job with the business change, or not at all', async () => {
    await expect(
      ctx.deps.db.$transaction(async (tx) => {
        await tx.organization.create({ data: { name: 'Rolled back' } });
        await enqueueInTransaction(tx, [purge('rolled-back')]);
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await ctx.deps.db.outboxJob.count({ where: { jobId: 'rolled-back' } })).toBe(0);
  });

  it('loses nothing when the process dies between commit and enqueue', async () => {
    const result = await runToEnd('test/fixtures/commit-then-crash.ts', [ctx.database.url, 'crash-1']);
    expect(result.signal, result.stderr).toBe('SIGKILL');
    expect(await ctx.deps.db.organization.count({ where: { name: 'Crash crash-1' } })).toBe(1);
    expect(await jobIds()).not.toContain('crash-1');

    await relayOutboxBatch(ctx.deps.db, ctx.deps.queues);
    expect(await jobIds()).toContain('crash-1');
    expect(await unrelayed()).toBe(0);
  });

  it('adds each job once when a relay died after adding but before marking the rows', async () => {
    await ctx.deps.db.$transaction((tx) => enqueueInTransaction(tx, [purge('half-relayed')]));
    // What the dead relay managed to do: the job reached BullMQ, the row was never marked.
    await addJobs(ctx.deps.queues, [purge('half-relayed')]);
    await relayOutboxBatch(ctx.deps.db, ctx.deps.queues);
    expect((await jobIds()).filter((id) => id === 'half-relayed')).toHaveLength(1);
    expect(await unrelayed()).toBe(0);
  });

  it('keeps rows for the next pass when Redis refuses them', async () => {
    await ctx.deps.db.$transaction((tx) => enqueueInTransaction(tx, [purge('redis-down')]));
    const queue = ctx.deps.queues.maintenance;
    const original = queue.addBulk.bind(queue);
    queue.addBulk = async () => {
      throw new Error("Stream isn't writeable and enableOfflineQueue options is false");
    };
    try {
      await expect(relayOutboxBatch(ctx.deps.db, ctx.deps.queues)).rejects.toMatchObject({ code: 'service_unavailable' });
    } finally {
      queue.addBulk = original;
    }
    expect(await unrelayed()).toBe(1);
    await relayOutboxBatch(ctx.deps.db, ctx.deps.queues);
    expect(await jobIds()).toContain('redis-down');
  });

  it('parks rows it can never relay instead of blocking the rows behind them', async () => {
    await sql(
      ctx.database.url,
      `INSERT INTO outbox_jobs (queue, name, payload, job_id) VALUES ('retired-queue', 'x', '{}', 'orphan'), ('maintenance', 'x', '{"task":"nope"}', 'bad-payload'), ('maintenance', 'x', '{"task":"purge-idempotency-records"}', '42')`,
    );
    await ctx.deps.db.$transaction((tx) => enqueueInTransaction(tx, [purge('behind-them')]));
    await relayOutboxBatch(ctx.deps.db, ctx.deps.queues);
    expect(await jobIds()).toContain('behind-them');
    const parked = await ctx.deps.db.outboxJob.findMany({ where: { failedAt: { not: null } }, orderBy: { id: 'asc' } });
    expect(parked.map((row) => [row.jobId, row.lastError?.split(':')[0]])).toEqual([
      ['orphan', 'unknown queue "retired-queue"'],
      ['bad-payload', 'payload no longer valid'],
      ['42', 'job id "42" is not one BullMQ accepts'],
    ]);
  });

  it('refuses a payload that does not match its queue schema, and ids BullMQ would refuse', async () => {
    await expect(ctx.deps.db.$transaction((tx) => enqueueInTransaction(tx, [{ ...purge('bad'), payload: { task: 'drop-everything' } as never }]))).rejects.toThrow();
    await expect(ctx.deps.db.$transaction((tx) => enqueueInTransaction(tx, [purge('a:b')]))).rejects.toThrow(/job id/);
    await expect(ctx.deps.db.$transaction((tx) => enqueueInTransaction(tx, [purge('42')]))).rejects.toThrow(/job id/);
  });

  it('stores each entry as given in one statement: a later run time kept, the same job id twice written once', async () => {
    const later = new Date(Date.now() + 3_600_000);
    const before = new Date();
    await ctx.deps.db.$transaction((tx) =>
      enqueueInTransaction(tx, [
        purge('set-now'),
        { ...purge('set-later'), runAt: later },
        purge('set-now'),
        { queue: 'maintenance', name: 'outbox', payload: { task: 'purge-relayed-outbox' } as QueuePayload<'maintenance'>, jobId: 'set-defaulted' },
      ]),
    );
    await ctx.deps.db.$transaction((tx) => enqueueInTransaction(tx, [purge('set-later')]));
    const rows = await ctx.deps.db.outboxJob.findMany({ where: { jobId: { startsWith: 'set-' } }, orderBy: { id: 'asc' } });
    expect(rows.map((row) => [row.jobId, row.queue, row.name, row.payload])).toEqual([
      ['set-now', 'maintenance', 'purge', { task: 'purge-idempotency-records' }],
      ['set-later', 'maintenance', 'purge', { task: 'purge-idempotency-records' }],
      // Stored as its schema parses it: defaults filled in.
      ['set-defaulted', 'maintenance', 'outbox', { task: 'purge-relayed-outbox', olderThanDays: 7 }],
    ]);
    expect(rows[1]!.runAt.getTime()).toBe(later.getTime());
    expect(rows[0]!.runAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1_000);
    expect(rows[0]!.runAt.getTime()).toBeLessThan(later.getTime());
  });

  it('shares the work between concurrent relays without relaying a row twice', async () => {
    const ids = Array.from({ length: 600 }, (_, i) => `concurrent-${i}`);
    await ctx.deps.db.$transaction((tx) => enqueueInTransaction(tx, ids.map(purge)));
    const counts = await Promise.all([1, 2, 3].map(() => relayOutboxBatch(ctx.deps.db, ctx.deps.queues, 100)));
    // Each concurrent pass claimed a full batch of its own: none waited on another's locks...
    expect(counts).toEqual([100, 100, 100]);
    while ((await relayOutboxBatch(ctx.deps.db, ctx.deps.queues, 100)) > 0);
    const relayed = await ctx.deps.db.outboxJob.findMany({ where: { jobId: { in: ids } } });
    // ...and every row was relayed exactly once.
    expect(relayed.every((row) => row.attempts === 1 && row.relayedAt !== null)).toBe(true);
    const jobs = new Set(await jobIds());
    expect(ids.every((id) => jobs.has(id))).toBe(true);
  });

  it('a running relay of several passes relays every row of a big burst exactly once', async () => {
    const ids = Array.from({ length: 1_500 }, (_, i) => `burst-${i}`);
    const relay = wokenRelay({ batchSize: 200, concurrency: 3 });
    try {
      for (let i = 0; i < ids.length; i += 500) await ctx.deps.db.$transaction((tx) => enqueueInTransaction(tx, ids.slice(i, i + 500).map(purge)));
      await eventually(unrelayed, { what: 'every row relayed' }).toBe(0);
    } finally {
      await relay.stop();
    }
    const rows = await ctx.deps.db.outboxJob.findMany({ where: { jobId: { in: ids } } });
    expect(rows).toHaveLength(ids.length);
    expect(rows.every((row) => row.attempts === 1 && row.relayedAt !== null)).toBe(true);
    const jobs = new Set(await jobIds());
    expect(ids.every((id) => jobs.has(id))).toBe(true);
  });

  it('the running relay is woken by the commit (LISTEN/NOTIFY), well before its poll', async () => {
    // A row for the relay's first pass: once it is relayed, the relay has gone to sleep.
    await ctx.deps.db.$transaction((tx) => enqueueInTransaction(tx, [purge('first-pass')]));
    // Only the notification can explain a relay.
    const relay = wokenRelay();
    try {
      const listening = async () =>
        (
          await sql(
            ctx.database.url,
            `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'hearback-outbox-listen' AND state = 'idle' AND query ILIKE 'LISTEN%'`,
          )
        ).length === 1;
      await waitFor(async () => (await jobIds()).includes('first-pass') && (await unrelayed()) === 0 && (await listening()), Boolean, { what: 'the first pass and the LISTEN' });
      await ctx.deps.db.$transaction((tx) => enqueueInTransaction(tx, [purge('woken')]));
      await eventually(jobIds, { what: 'the relay to wake' }).toContain('woken');
    } finally {
      await relay.stop();
    }
  });
});
