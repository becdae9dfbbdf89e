// Starts one BullMQ Worker per queue, the outbox relay and the recurring maintenance jobs, and
// stops them all gracefully (active jobs finish first).
import { MetricsTime, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { PrismaClient } from '../db/client.js';
import { createRedis } from './connections.js';
import type { JobHandlers } from './handlers.js';
import { startOutboxRelay } from './outbox-relay.js';
import type { Queues } from './producer.js';
import { queueDefinitions, queueNames, type QueueName } from './queues.js';

export interface WorkerRuntimeOptions {
  config: Config;
  db: PrismaClient;
  queues: Queues;
  handlers: Partial<JobHandlers>;
  logger: Logger;
  concurrency?: Partial<Record<QueueName, number>>;
}

export interface WorkerRuntime {
  stop(): Promise<void>;
}

/** Refuses to start with a queue that has no handler: its jobs would pile up unseen. */
export function assertHandlers(handlers: Partial<JobHandlers>): asserts handlers is JobHandlers {
  const missing = queueNames.filter((name) => typeof handlers[name] !== 'function');
  if (missing.length > 0) throw new Error(`no handler for queue(s): ${missing.join(', ')}`);
}

export async function startWorkers(options: WorkerRuntimeOptions): Promise<WorkerRuntime> {
  const { config, db, queues, handlers, logger } = options;
  assertHandlers(handlers);

  const workers = queueNames.map((name) => {
    const connection = createRedis(config.REDIS_URL, 'worker', `hearback-worker-${name}`);
    const handler = handlers[name] as (job: unknown) => Promise<unknown>;
    const worker = new Worker(
      name,
      async (job) => {
        const parsed = queueDefinitions[name].payload.safeParse(job.data);
        // Retrying cannot fix a payload that does not match its schema.
        if (!parsed.success) throw new UnrecoverableError(`invalid payload: ${parsed.error.message}`);
        return handler({ id: job.id, name: job.name, data: parsed.data, attemptsMade: job.attemptsMade });
      },
      {
        connection,
        prefix: config.REDIS_PREFIX,
        concurrency: options.concurrency?.[name] ?? 10,
        metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
      },
    );
    worker.on('failed', (job, error) => logger.warn({ queue: name, jobId: job?.id, err: error }, 'job failed'));
    worker.on('error', (error) => logger.error({ queue: name, err: error }, 'worker error'));
    return { worker, connection };
  });

  await queues.maintenance.upsertJobScheduler(
    'purge-idempotency-records',
    { every: 3_600_000 },
    { name: 'purge-idempotency-records', data: { task: 'purge-idempotency-records' } },
  );
  await queues.maintenance.upsertJobScheduler(
    'purge-relayed-outbox',
    { every: 3_600_000 },
    { name: 'purge-relayed-outbox', data: { task: 'purge-relayed-outbox', olderThanDays: 7 } },
  );

  await queues.maintenance.upsertJobScheduler(
    'purge-inbound-deliveries',
    { every: 3_600_000 },
    { name: 'purge-inbound-deliveries', data: { task: 'purge-inbound-deliveries', olderThanDays: 30 } },
  );

  await queues.maintenance.upsertJobScheduler(
    'purge-ended-sign-ins',
    { every: 3_600_000 },
    { name: 'purge-ended-sign-ins', data: { task: 'purge-ended-sign-ins', olderThanDays: 30 } },
  );

  const relay = startOutboxRelay({ db, queues, databaseUrl: config.DATABASE_URL, pollMs: config.OUTBOX_POLL_MS, logger });
  logger.info({ queues: queueNames }, 'workers started');

  return {
    async stop() {
      await relay.stop();
      await Promise.all(workers.map(({ worker }) => worker.close()));
      for (const { connection } of workers) connection.disconnect();
    },
  };
}
