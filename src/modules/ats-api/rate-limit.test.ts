// The limiter on a clock the test moves: `requests` calls of a connection go at once, the next
// waits until one of them ended a full window ago, and connections do not share a window. (A
// call the limiter lets through resolves within the same turn of the event loop, so "still
// waiting" is checked after one setImmediate, with no sleep.) The whole path, against a server
// that refuses calls over its limit: test/integration/ats-import-greenhouse.test.ts.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { createAtsRateLimiter } from './rate-limit.js';

const WINDOW = 10_000;
const LIMITS = { greenhouse: { requests: 3, windowMs: WINDOW }, lever: { requests: 10, windowMs: 1_000 }, ashby: { requests: 10, windowMs: 1_000 } };
const turn = () => new Promise((resolve) => setImmediate(resolve));

function tracked<T>(promise: Promise<T>) {
  const state = { settled: false, value: undefined as T | undefined };
  void promise.then((value) => Object.assign(state, { settled: true, value }));
  return state;
}

describe('ATS rate limiter', () => {
  it('lets `requests` calls of a connection through at once, and the next only a window after one ended', async () => {
    let now = 1_000_000;
    const limiter = createAtsRateLimiter(LIMITS, () => now);
    const first = [tracked(limiter.take('a', 'greenhouse')), tracked(limiter.take('a', 'greenhouse')), tracked(limiter.take('a', 'greenhouse'))];
    const fourth = tracked(limiter.take('a', 'greenhouse'));
    await turn();
    expect(first.map((c) => c.settled)).toEqual([true, true, true]);
    expect(fourth.settled).toBe(false);

    // Another connection has its own window.
    const other = tracked(limiter.take('b', 'greenhouse'));
    await turn();
    expect(other.settled).toBe(true);

    // One of the three ends; a window later the fourth may start.
    first[0]!.value!();
    now += WINDOW + 1;
    await expect.poll(() => fourth.settled).toBe(true);
  });

  it('a call in flight holds its place however long it takes', async () => {
    let now = 1_000_000;
    const limiter = createAtsRateLimiter(LIMITS, () => now);
    const inFlight = await Promise.all([limiter.take('a', 'greenhouse'), limiter.take('a', 'greenhouse'), limiter.take('a', 'greenhouse')]);
    now += 10 * WINDOW;
    const next = tracked(limiter.take('a', 'greenhouse'));
    await turn();
    expect(next.settled).toBe(false);
    inFlight[1]!();
    now += WINDOW + 1;
    await expect.poll(() => next.settled).toBe(true);
  });

  it('takes other figures from ATS_RATE_LIMITS, and refuses what it cannot read', () => {
    expect(loadConfig({}).ATS_RATE_LIMITS).toEqual({});
    expect(loadConfig({ ATS_RATE_LIMITS: 'greenhouse=100/10000,ashby=5/1000' }).ATS_RATE_LIMITS).toEqual({
      greenhouse: { requests: 100, windowMs: 10_000 },
      ashby: { requests: 5, windowMs: 1_000 },
    });
    expect(() => loadConfig({ ATS_RATE_LIMITS: 'workday=5/1000' })).toThrow(/ATS_RATE_LIMITS/);
    expect(() => loadConfig({ ATS_RATE_LIMITS: 'lever=10' })).toThrow(/ATS_RATE_LIMITS/);
  });
});
