import { randomBytes } from 'node:crypto';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Metrics } from './types.js';

/**
 * A fresh key prefix per run, so a bench never sees jobs from an earlier
 * (possibly crashed) run or from the app's own queues on the same Redis.
 * Leftovers after a crash match `hbbench-*`.
 */
export function uniquePrefix(label: string): string {
  return `hbbench-${label}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/**
 * Pings Redis once with no retries before any BullMQ object exists: a Worker
 * created against an unreachable Redis retries forever and its close() never
 * resolves (taskforcesh/bullmq#4656), which would hang the runner.
 */
export async function assertRedisReachable(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 3_000 });
  let cause: Error | undefined;
  client.on('error', (err: Error) => (cause ??= err)); // more telling than connect()'s "Connection is closed"
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    const why = cause ?? (err instanceof Error ? err : new Error(String(err)));
    throw new Error(`Redis unreachable at ${url}: ${why.message}`);
  } finally {
    client.disconnect();
  }
}

export interface MeasureJobsOptions {
  total: number;
  chunkSize: number;
  /** Running worker whose 'completed'/'failed' events count the jobs. */
  worker: Worker;
  /**
   * Enqueue jobs [start, start + count), typically one addBulk call. Also
   * called once for an unmeasured warm-up with start = total, so job ids
   * derived from the index stay unique.
   */
  enqueue(start: number, count: number): Promise<unknown>;
  timeoutMs?: number;
}

/**
 * End-to-end throughput: the clock starts before the first add and stops at
 * the last completion, so producer and consumer costs both count, as they do
 * in the app.
 */
export async function measureJobs(opts: MeasureJobsOptions): Promise<Metrics> {
  const { total, chunkSize, worker, timeoutMs = 60_000 } = opts;
  let finished = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  let target = 0;
  let reached: () => void = () => {};
  const onCompleted = () => ++finished >= target && reached();
  const onFailed = (_job: unknown, err: Error) => {
    failed++;
    firstFailure ??= err.message;
    onCompleted();
  };
  const untilFinished = (n: number) => {
    target = n;
    return new Promise<void>((resolve) => (reached = resolve));
  };
  const produce = async (from: number, count: number) => {
    for (let start = from; start < from + count; start += chunkSize) {
      await opts.enqueue(start, Math.min(chunkSize, from + count - start));
    }
  };
  worker.on('completed', onCompleted);
  worker.on('failed', onFailed);

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms with ${finished} jobs finished`)), timeoutMs);
  });
  try {
    // Warm-up: Lua scripts loaded, JIT warm, connections open. Shorter ones
    // left the first queue scenario in a process ~20 % slower than a rerun.
    const warmup = Math.min(total, 2 * chunkSize);
    await Promise.race([Promise.all([untilFinished(warmup), produce(total, warmup)]), timeout]);
    finished = failed = 0;
    firstFailure = undefined;

    const started = performance.now();
    await Promise.race([Promise.all([untilFinished(total), produce(0, total)]), timeout]);
    const elapsedMs = performance.now() - started;
    const metrics: Metrics = {
      values: { jobsPerSec: (total / elapsedMs) * 1000, jobs: total, elapsedMs, failed },
      compare: ['jobsPerSec'],
    };
    if (failed) metrics.invalid = `${failed} jobs failed, first: ${firstFailure}`;
    return metrics;
  } finally {
    clearTimeout(timer);
    worker.off('completed', onCompleted);
    worker.off('failed', onFailed);
  }
}

/**
 * Deletes every key under `prefix:`; for project scenarios whose app creates
 * queues (BullMQ writes meta keys on construction) but never obliterates them.
 */
export async function dropRedisPrefix(url: string, prefix: string): Promise<void> {
  if (!prefix.startsWith('hbbench-')) throw new Error(`refusing to delete keys outside hbbench-*: ${prefix}`);
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await client.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
