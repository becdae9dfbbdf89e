// The leased rate-limit store against real Redis: two stores stand for two API processes sharing
// one budget. No window admits more than its budget; a process strands at most lease − 1 tokens.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeasedRedisStore, leaseSize, leasedRedisStore } from '../../src/plugins/rate-limit-store.js';
import { deleteRedisPrefix, REDIS_URL } from '../helpers/context.js';
import { waitFor } from '../helpers/wait.js';

const prefix = `test-${randomBytes(5).toString('hex')}`;
const connections: Redis[] = [];

/** A store as one API process has it: its own connection, its own leases. */
function processStore(): LeasedRedisStore {
  const redis = new Redis(REDIS_URL);
  connections.push(redis);
  const Store = leasedRedisStore(redis, `${prefix}:rate-limit:`);
  return new Store();
}

const incr = (store: LeasedRedisStore, key: string, windowMs: number, max: number) =>
  new Promise<{ current: number; ttl: number }>((resolve, reject) => store.incr(key, (error, result) => (error ? reject(error) : resolve(result!)), windowMs, max));

let redis: Redis;
beforeAll(() => {
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  for (const connection of [redis, ...connections]) connection.disconnect();
  await deleteRedisPrefix(prefix);
});

describe('leased rate-limit store', () => {
  it('leases max / 50 tokens, at most 100, and counts small budgets one by one', () => {
    expect(leaseSize(30)).toBe(1);
    expect(leaseSize(99)).toBe(1);
    expect(leaseSize(600)).toBe(12);
    expect(leaseSize(1_000_000)).toBe(100);
  });

  it('never admits more than the budget across processes, and strands at most lease − 1 per process', async () => {
    const max = 500;
    const lease = leaseSize(max);
    const [a, b] = [processStore(), processStore()];
    let admitted = 0;
    // Process A takes one request's worth and stops: it holds lease − 1 tokens it never spends.
    if ((await incr(a, 'shared', 60_000, max)).current <= max) admitted++;
    for (let i = 0; i < 2 * max; i++) {
      const { current } = await incr(b, 'shared', 60_000, max);
      if (current <= max) admitted++;
    }
    expect(admitted).toBeLessThanOrEqual(max);
    expect(admitted).toBeGreaterThanOrEqual(max - (lease - 1));
    // Redis counted every leased token before it was spent.
    expect(Number(await redis.get(`${prefix}:rate-limit:shared`))).toBeGreaterThanOrEqual(max);
  });

  it('refuses with the time left in the window once the budget is spent, without going over', async () => {
    const max = 200;
    const store = processStore();
    const answers = await Promise.all(Array.from({ length: 300 }, () => incr(store, 'refused', 60_000, max)));
    expect(answers.filter((answer) => answer.current <= max)).toHaveLength(max);
    const refused = answers.filter((answer) => answer.current > max);
    expect(refused).toHaveLength(100);
    for (const answer of refused) expect(answer.ttl).toBeGreaterThan(0);
  });

  it('asks Redis once per lease, however many requests wait for it', async () => {
    const max = 1000;
    const store = processStore();
    await Promise.all(Array.from({ length: 50 }, () => incr(store, 'burst', 60_000, max)));
    // 50 requests, leases of 20: three calls, 60 tokens counted (not one call per waiting request).
    expect(Number(await redis.get(`${prefix}:rate-limit:burst`))).toBe(Math.ceil(50 / leaseSize(max)) * leaseSize(max));
  });

  it('spends no token of a lease after its window has ended in Redis', async () => {
    const max = 500;
    const store = processStore();
    const key = `${prefix}:rate-limit:window`;
    expect((await incr(store, 'window', 300, max)).current).toBe(1);
    expect(Number(await redis.get(key))).toBe(leaseSize(max));
    await waitFor(
      () => redis.pttl(key),
      (ttl) => ttl === -2,
      { what: 'the window to end in Redis' },
    );
    // The lease's unspent tokens died with the window: the next request starts a new one.
    expect((await incr(store, 'window', 300, max)).current).toBe(1);
    expect(Number(await redis.get(key))).toBe(leaseSize(max));
  });
});
