// Redis connections, configured as BullMQ's production guide asks:
// - workers block on Redis and must keep retrying forever (maxRetriesPerRequest: null);
// - producers (the API) must fail fast when Redis is down, so the caller gets a 503 at once
//   instead of a request that hangs while ioredis queues commands offline.
import { Redis, type RedisOptions } from 'ioredis';

export type RedisRole = 'producer' | 'worker';

const base: RedisOptions = {
  // Exponential reconnects capped at 5 s: Redis restarts are survived without a thundering herd.
  retryStrategy: (times) => Math.min(2 ** times * 50, 5_000),
  connectTimeout: 5_000,
};

const roles: Record<RedisRole, RedisOptions> = {
  producer: { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 1 },
  worker: { ...base, enableOfflineQueue: true, maxRetriesPerRequest: null },
};

export function createRedis(url: string, role: RedisRole, connectionName: string): Redis {
  const redis = new Redis(url, { ...roles[role], connectionName, lazyConnect: false });
  // Errors surface through the commands that fail; without a listener ioredis would also print
  // an unhandled 'error' event for every reconnect attempt.
  redis.on('error', () => {});
  return redis;
}

/** True for errors that mean "Redis cannot be reached" (as opposed to a bad command). */
export function isRedisUnavailable(error: unknown): boolean {
  const message = (error as Error)?.message ?? '';
  return /Stream isn't writeable|enableOfflineQueue|ECONNREFUSED|Connection is closed|Reached the max retries|ETIMEDOUT|connect ETIMEDOUT/i.test(message);
}

export async function pingRedis(redis: Redis): Promise<void> {
  const answer = await redis.ping();
  if (answer !== 'PONG') throw new Error(`unexpected PING answer: ${answer}`);
}
