// Moves committed outbox rows to BullMQ. Rows are claimed with FOR UPDATE SKIP LOCKED, so any
// number of relays (one per worker process) share the work without sending a row twice at
// once; they are marked relayed in the same transaction that claimed them, after BullMQ
// accepted the jobs. If the process dies after the add but before the commit, the next pass
// adds the same deterministic job ids again, which BullMQ ignores.
import type { Logger } from 'pino';
import type { PrismaClient } from '../db/client.js';
import { listen } from '../db/listen.js';
import { JOB_ID, OUTBOX_CHANNEL } from './outbox.js';
import { addJobs, type JobRequest, type Queues } from './producer.js';
import { isQueueName, queueDefinitions } from './queues.js';

interface OutboxRow {
  id: bigint;
  queue: string;
  name: string;
  payload: unknown;
  job_id: string;
  run_at: Date;
}

export async function relayOutboxBatch(db: PrismaClient, queues: Queues, limit = 500): Promise<number> {
  return db.$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<OutboxRow[]>`
        SELECT id, queue, name, payload, job_id, run_at FROM outbox_jobs
        WHERE relayed_at IS NULL AND failed_at IS NULL
        ORDER BY id LIMIT ${limit}
        FOR UPDATE SKIP LOCKED`;
      if (rows.length === 0) return 0;

      const jobs: JobRequest[] = [];
      const relayed: bigint[] = [];
      const now = Date.now();
      for (const row of rows) {
        const job = asJob(row, now);
        if (typeof job === 'string') {
          await tx.$executeRaw`UPDATE outbox_jobs SET failed_at = now(), last_error = ${job} WHERE id = ${row.id}`;
          continue;
        }
        jobs.push(job);
        relayed.push(row.id);
      }
      await addJobs(queues, jobs);
      if (relayed.length > 0) {
        await tx.$executeRaw`
          UPDATE outbox_jobs SET relayed_at = now(), attempts = attempts + 1
          WHERE id = ANY(${relayed}::bigint[])`;
      }
      return rows.length;
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
}

/** The job a row asks for, its payload parsed with its queue's schema; or why it cannot be relayed. */
function asJob(row: OutboxRow, now: number): JobRequest | string {
  if (!isQueueName(row.queue)) return `unknown queue "${row.queue}"`;
  if (!JOB_ID.test(row.job_id)) return `job id "${row.job_id}" is not one BullMQ accepts`;
  const parsed = queueDefinitions[row.queue].payload.safeParse(row.payload);
  if (!parsed.success) return `payload no longer valid: ${parsed.error.message}`.slice(0, 1000);
  return { queue: row.queue, name: row.name, payload: parsed.data, jobId: row.job_id, delayMs: Math.max(0, row.run_at.getTime() - now) };
}

export interface OutboxRelayOptions {
  db: PrismaClient;
  queues: Queues;
  /** For LISTEN: a commit that wrote outbox rows wakes the relay at once. */
  databaseUrl: string;
  pollMs: number;
  logger: Logger;
  batchSize?: number;
  /**
   * Passes run at once. Two overlap one pass's Redis add with the other's claim and commit in
   * Postgres (SKIP LOCKED keeps them on different rows); the relay is round trips, not CPU.
   */
  concurrency?: number;
}

export interface OutboxRelay {
  /** Resolves once the current pass is over and the LISTEN connection is closed. */
  stop(): Promise<void>;
}

export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { db, queues, pollMs, logger } = options;
  const batchSize = options.batchSize ?? 500;
  let running = true;
  const sleepers = new Set<() => void>();
  // A notification that came while every pass was busy: the next pass to finish looks again at
  // once instead of sleeping past rows committed during its SELECT.
  let missed = false;
  const wakeAll = () => {
    if (sleepers.size === 0) missed = true;
    for (const wake of sleepers) wake();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (missed) {
        missed = false;
        resolve();
        return;
      }
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });

  // A commit that wrote outbox rows notifies: the relay wakes at once instead of at its poll.
  const listener = listen({
    databaseUrl: options.databaseUrl,
    channel: OUTBOX_CHANNEL,
    onNotify: wakeAll,
    logger,
    applicationName: 'hearback-outbox-listen',
  });

  const pass = async () => {
    let failures = 0;
    while (running) {
      try {
        const count = await relayOutboxBatch(db, queues, batchSize);
        failures = 0;
        if (count === batchSize) {
          wakeAll(); // more rows are waiting: the other passes may help
          continue;
        }
      } catch (error) {
        failures += 1;
        logger.warn({ err: error, failures }, 'outbox relay pass failed; retrying');
      }
      if (running) await sleep(failures === 0 ? pollMs : Math.min(pollMs * 2 ** failures, 30_000));
    }
  };
  const loops = Array.from({ length: Math.max(1, options.concurrency ?? 2) }, pass);

  return {
    async stop() {
      running = false;
      wakeAll();
      await Promise.all(loops);
      await listener.close();
    },
  };
}
