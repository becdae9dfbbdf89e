import { Queue, Worker } from 'bullmq';
import { defineScenario } from '../lib/types.js';
import { assertRedisReachable, measureJobs, uniquePrefix } from '../lib/queue.js';

const QUEUE = 'noop';

// Baseline: BullMQ's own overhead per job (add, move to active, complete) with
// a handler that does nothing; project queue scenarios divide by this.
export default defineScenario({
  name: 'bullmq-noop',
  kind: 'queue',
  description: 'raw BullMQ: addBulk in chunks, Worker with a no-op handler',
  async setup(ctx) {
    await assertRedisReachable(ctx.redisUrl);
    const prefix = uniquePrefix(QUEUE);
    const queue = new Queue(QUEUE, { connection: { url: ctx.redisUrl }, prefix });
    // Workers block on Redis; BullMQ's production guide requires
    // maxRetriesPerRequest: null so a blocked command survives a reconnect.
    const worker = new Worker(QUEUE, async () => undefined, {
      connection: { url: ctx.redisUrl, maxRetriesPerRequest: null },
      prefix,
      concurrency: ctx.queue.concurrency,
    });
    // An 'error' event with no listener would crash the runner instead of failing this scenario.
    queue.on('error', (err) => ctx.log(`bullmq-noop queue: ${err.message}`));
    worker.on('error', (err) => ctx.log(`bullmq-noop worker: ${err.message}`));
    await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
    return { queue, worker };
  },
  run: ({ queue, worker }, ctx) =>
    measureJobs({
      total: ctx.queue.jobs,
      chunkSize: ctx.queue.chunkSize,
      worker,
      enqueue: (start, count) =>
        queue.addBulk(
          Array.from({ length: count }, (_, i) => ({
            name: 'noop',
            data: { n: start + i },
            // Keep nothing: retention cost is the project's choice, measured in its scenarios.
            opts: { removeOnComplete: true, removeOnFail: true },
          })),
        ),
    }),
  async teardown({ queue, worker }) {
    try {
      await worker.close();
      await queue.obliterate({ force: true });
    } finally {
      await queue.close();
    }
  },
});
