import { Worker } from 'bullmq';
import { pino } from 'pino';
import { enqueueInTransaction } from '../../src/queue/outbox.js';
import { startOutboxRelay } from '../../src/queue/outbox-relay.js';
import { benchDeps } from '../lib/app.js';
import { assertRedisReachable, measureJobs } from '../lib/queue.js';
import { defineScenario } from '../lib/types.js';

// The project's job path end to end: each chunk committed to the outbox in one transaction,
// relayed by the running relay (LISTEN/NOTIFY wake-up, FOR UPDATE SKIP LOCKED claims,
// addBulk), processed by a Worker with a no-op handler. Compared to raw BullMQ addBulk.
export default defineScenario({
  name: 'outbox-relay',
  kind: 'queue',
  baseline: 'bullmq-noop',
  description: 'outbox insert in a transaction → relay → BullMQ → no-op worker',
  async setup(ctx) {
    await assertRedisReachable(ctx.redisUrl);
    const bench = await benchDeps(ctx, 'outbox');
    await bench.deps.db.outboxJob.deleteMany();
    const worker = new Worker('maintenance', async () => undefined, {
      connection: { url: ctx.redisUrl, maxRetriesPerRequest: null },
      prefix: bench.config.REDIS_PREFIX,
      concurrency: ctx.queue.concurrency,
    });
    worker.on('error', (err) => ctx.log(`outbox-relay worker: ${err.message}`));
    await worker.waitUntilReady();
    const relay = startOutboxRelay({
      db: bench.deps.db,
      queues: bench.deps.queues,
      databaseUrl: ctx.databaseUrl,
      pollMs: 1_000,
      logger: pino({ level: 'silent' }),
    });
    return { bench, worker, relay };
  },
  run: ({ bench, worker }, ctx) =>
    measureJobs({
      total: ctx.queue.jobs,
      chunkSize: ctx.queue.chunkSize,
      worker,
      enqueue: (start, count) =>
        bench.deps.db.$transaction((tx) =>
          enqueueInTransaction(
            tx,
            Array.from({ length: count }, (_, i) => ({
              queue: 'maintenance' as const,
              name: 'bench',
              payload: { task: 'purge-idempotency-records' as const },
              jobId: `bench-${start + i}`,
            })),
          ),
        ),
    }),
  async teardown({ bench, worker, relay }) {
    try {
      await relay.stop();
      await worker.close();
      await bench.deps.queues.maintenance.obliterate({ force: true });
      await bench.deps.db.outboxJob.deleteMany();
    } finally {
      await bench.close();
    }
  },
});
