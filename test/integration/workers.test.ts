import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueInTransaction } from '../../src/queue/outbox.js';
import { projectHandlers } from '../../workers/handlers.js';
import { assertHandlers, startWorkers } from '../../src/queue/workers.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { sql } from '../helpers/database.js';
import { eventually } from '../helpers/wait.js';

let ctx: TestContext;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  ctx = await createTestContext({ OUTBOX_POLL_MS: '100' });
});
afterAll(() => ctx.close());

const startProjectWorkers = () =>
  startWorkers({
    config: ctx.config,
    db: ctx.deps.db,
    queues: ctx.deps.queues,
    handlers: projectHandlers(ctx.deps),
    logger,
  });

describe('workers', () => {
  it('refuse to start when a queue has no handler', async () => {
    expect(() => assertHandlers({})).toThrow('no handler for queue(s): maintenance, messages, delivery, webhooks, inbound');
    await expect(startWorkers({ config: ctx.config, db: ctx.deps.db, queues: ctx.deps.queues, handlers: {}, logger })).rejects.toThrow(/no handler/);
  });

  it('run an outbox job end to end: commit → relay → BullMQ → handler', async () => {
    const org = await ctx.deps.organizations.createOrganization('Purge Co');
    await sql(
      ctx.database.url,
      `INSERT INTO idempotency_records (organization_id, key, operation, request_hash, expires_at, claim_token)
       VALUES ($1, 'stale', 'POST /x', repeat('0', 64), now() - interval '1 hour', gen_random_uuid()),
              ($1, 'fresh', 'POST /x', repeat('0', 64), now() + interval '1 day', gen_random_uuid())`,
      [org.organization.id],
    );
    const runtime = await startProjectWorkers();
    try {
      await ctx.deps.db.$transaction((tx) =>
        enqueueInTransaction(tx, [{ queue: 'maintenance', name: 'purge', payload: { task: 'purge-idempotency-records' }, jobId: 'purge-now' }]),
      );
      await eventually(async () => (await ctx.deps.queues.maintenance.getJob('purge-now'))?.returnvalue).toEqual({ purged: expect.any(Number) });
      // The hourly scheduler also runs once at start, so either job may have purged the stale row.
      const keys = await sql<{ key: string }>(ctx.database.url, 'SELECT key FROM idempotency_records');
      expect(keys.map((k) => k.key)).toEqual(['fresh']);
      // The recurring maintenance jobs are scheduled once, however many workers start.
      const second = await startProjectWorkers();
      await second.stop();
      const schedulers = await ctx.deps.queues.maintenance.getJobSchedulers();
      expect(schedulers.map((s) => s.key).sort()).toEqual(['purge-ended-sign-ins', 'purge-idempotency-records', 'purge-inbound-deliveries', 'purge-relayed-outbox']);
    } finally {
      await runtime.stop();
    }
  });

  it('fail a job whose payload does not match its schema without retrying it', async () => {
    const runtime = await startProjectWorkers();
    try {
      // Written past the producer's validation, as an older release might have.
      await ctx.deps.queues.maintenance.add('bad', { task: 'format-disk' }, { jobId: 'bad-payload', attempts: 5 });
      await eventually(async () => (await ctx.deps.queues.maintenance.getJob('bad-payload'))?.failedReason).toMatch(/invalid payload/);
      expect((await ctx.deps.queues.maintenance.getJob('bad-payload'))?.attemptsMade).toBe(1);
    } finally {
      await runtime.stop();
    }
  });
});
