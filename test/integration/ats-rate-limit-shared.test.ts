// The ATS rate limit shared through Redis: two limiters on their own Redis connections (two
// worker processes, as far as Redis can tell) calling one connection together never get more
// than its figure into a window, and both keep making progress; a call that never ends holds its
// place only until its lease runs out. Measured with this machine's clock around each call: a
// call is seen as starting after the limiter let it through and ending before it said so, so
// the measured overlap can only be smaller than the real one (the check cannot fail by timing).
// That clock must be the one Redis's TIME reads, the wall clock (Date.now): the monotonic one
// behind performance.now() drifted from it by ~0.2 ms a second on a CI machine, enough to move
// a call across a window's edge (the limiter lets the next call go 1 ms after a place frees).
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSharedAtsRateLimiter, type AtsRateLimiter } from '../../src/modules/ats-api/rate-limit.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const REQUESTS = 4;
const WINDOW_MS = 300;
const LIMITS = { greenhouse: { requests: REQUESTS, windowMs: WINDOW_MS }, lever: { requests: 10, windowMs: 1_000 }, ashby: { requests: 10, windowMs: 1_000 } };

let connections: Redis[] = [];
beforeAll(() => {
  connections = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
});
afterAll(() => {
  for (const connection of connections) connection.disconnect();
});

interface Call {
  startedAt: number;
  endedAt: number;
}

async function calls(limiter: AtsRateLimiter, key: string, count: number, log: Call[]) {
  await Promise.all(
    Array.from({ length: count }, async () => {
      const end = await limiter.take(key, 'greenhouse');
      const startedAt = Date.now();
      await new Promise((resolve) => setImmediate(resolve));
      const endedAt = Date.now();
      end();
      log.push({ startedAt, endedAt });
    }),
  );
}

describe('the ATS rate limit shared through Redis', () => {
  it('keeps two processes calling one connection under its figure together', async () => {
    const prefix = `test-${randomUUID()}`;
    const [a, b] = connections.map((redis) => createSharedAtsRateLimiter(redis, prefix, LIMITS)) as [AtsRateLimiter, AtsRateLimiter];
    const log: Call[] = [];
    await Promise.all([calls(a, 'connection-1', 12, log), calls(b, 'connection-1', 12, log)]);
    expect(log).toHaveLength(24);
    // At each call's start, the calls that started no later and ended less than a window before.
    for (const call of log) {
      const inWindow = log.filter((other) => other.startedAt <= call.startedAt && other.endedAt > call.startedAt - WINDOW_MS);
      expect(inWindow.length).toBeLessThanOrEqual(REQUESTS);
    }
    // Another connection has its own window: its first calls go while the first's is full.
    const other: Call[] = [];
    await calls(b, 'connection-2', REQUESTS, other);
    expect(other).toHaveLength(REQUESTS);
  });

  it('lets a call that never ended hold its place only until its lease runs out', async () => {
    const prefix = `test-${randomUUID()}`;
    const key = `${prefix}:ats-rate:stuck`;
    const limiter = createSharedAtsRateLimiter(connections[0]!, prefix, LIMITS);
    // A process died mid-call, holding every place: their leases are recorded as ending later.
    const held = await Promise.all(Array.from({ length: REQUESTS }, () => limiter.take('stuck', 'greenhouse')));
    expect(held).toHaveLength(REQUESTS);
    const scores = (await connections[1]!.zrange(key, 0, -1, 'WITHSCORES')).filter((_, i) => i % 2 === 1).map(Number);
    const [seconds] = await connections[1]!.time();
    for (const score of scores) expect(score).toBeGreaterThan(Number(seconds) * 1000);
    // The leases run out (moved back in time here, as time would): the next call goes.
    for (const member of await connections[1]!.zrange(key, 0, -1)) await connections[1]!.zadd(key, 'XX', 0, member);
    const next = await limiter.take('stuck', 'greenhouse');
    next();
    expect(await connections[1]!.zcard(key)).toBe(1);
  });
});
