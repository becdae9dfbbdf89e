// One BullMQ Queue per definition, sharing the producer connection. Adds fail fast with a
// 503-class error when Redis is unreachable.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppError } from '../lib/errors.js';
import { isRedisUnavailable } from './connections.js';
import { parsePayload, queueDefinitions, queueNames, type QueueName, type QueuePayload } from './queues.js';

export type Queues = { readonly [Q in QueueName]: Queue };

export interface JobRequest<Q extends QueueName = QueueName> {
  queue: Q;
  name: string;
  payload: QueuePayload<Q>;
  /** Deterministic id: BullMQ ignores a second add with the same id while the job exists. */
  jobId: string;
  delayMs?: number;
}

/** Each queue's connection, to refuse work at once while it is not connected. */
const connections = new WeakMap<Queue, Redis>();

export function createQueues(connection: Redis, prefix: string): Queues {
  const queues = Object.fromEntries(
    queueNames.map((name) => {
      const queue = new Queue(name, { connection, prefix, defaultJobOptions: queueDefinitions[name].options });
      // Connection errors reach callers through the commands that fail (and /readyz); an
      // 'error' event without a listener would crash the process instead.
      queue.on('error', () => {});
      connections.set(queue, connection);
      return [name, queue];
    }),
  ) as unknown as Queues;
  return queues;
}

export function queueUnavailable(cause: unknown): AppError {
  return new AppError('service_unavailable', 'The job queue is unavailable; retry shortly', {
    cause,
    headers: { 'retry-after': '5' },
  });
}

/** Adds jobs to their queues, grouped per queue in one round trip each. */
export async function addJobs(queues: Queues, jobs: JobRequest[]): Promise<void> {
  const byQueue = new Map<QueueName, JobRequest[]>();
  for (const job of jobs) {
    const group = byQueue.get(job.queue);
    if (group) group.push(job);
    else byQueue.set(job.queue, [job]);
  }
  for (const name of byQueue.keys()) {
    // BullMQ waits for a connection that is not up yet instead of failing: never enqueue blind.
    const status = connections.get(queues[name])?.status;
    if (status !== 'ready') throw queueUnavailable(new Error(`redis connection is ${status ?? 'unknown'}`));
  }
  try {
    await Promise.all(
      [...byQueue].map(([name, group]) =>
        queues[name].addBulk(
          group.map((job) => ({
            name: job.name,
            data: parsePayload(job.queue, job.payload),
            opts: { jobId: job.jobId, ...(job.delayMs ? { delay: job.delayMs } : {}) },
          })),
        ),
      ),
    );
  } catch (error) {
    throw isRedisUnavailable(error) ? queueUnavailable(error) : error;
  }
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((queue) => queue.close()));
}
