// Every call to an ATS waits here first, so an import or a burst of write-backs stays under the
// provider's published limit instead of learning it from 429s (which still happen — another
// integration may share the key — and are still honoured through Retry-After, ats-http.ts).
//
// The limits, per connection (one API key or OAuth client each):
// - Greenhouse Harvest: a rolling 10-second window whose size Greenhouse sets per integration and
//   reports in `X-RateLimit-Limit`, 429 + Retry-After beyond it (harvestdocs.greenhouse.io/docs/
//   api-rate-limiting, listed in harvestdocs.greenhouse.io/llms.txt; summarized with "tens of
//   requests per 10 seconds" at rate-limits.apis.io/rate-limits/greenhouse/greenhouse-rate-limits):
//   50 per 10 s, the figure customer-built integrations are given.
// - Lever: 10 requests per second per API key, bursts to 20, token bucket (as summarized from
//   hire.lever.co/developer/documentation at rate-limits.apis.io/rate-limits/lever/lever-rate-limits):
//   10 per second, the sustained rate.
// - Ashby: a sliding window per API key, list endpoints tighter than single reads, 429 +
//   Retry-After (rate-limits.apis.io/rate-limits/ashby/ashby-rate-limits; the stored pages give
//   no figure): 10 per second, Lever's sustained rate, until Ashby publishes one.
// The figures live in ATS_RATE_LIMITS; a connection granted more by its ATS still gets these.
//
// A sliding window rather than a token bucket: a bucket holding N tokens and refilled at N per
// window lets 2N calls through in one window (a full bucket, then a window of refills), which a
// rolling-window limiter like Greenhouse's refuses. A call counts from when it starts until a
// window after its answer arrived: the ATS saw it no later than that, so however slow the network,
// the ATS never sees more than N calls in a window.
//
// Two implementations of the same rule: `createAtsRateLimiter` in one process (a clock of its own,
// for unit tests and single-process tools), and `createSharedAtsRateLimiter`, which the service
// uses: the window lives in Redis, so every worker process calling one ATS connection shares it
// (two processes never get 2N calls into a window) and Redis's clock decides for all of them.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AtsProvider } from './ats-client.js';

export interface RateLimit {
  requests: number;
  windowMs: number;
}

export const ATS_RATE_LIMITS: Record<AtsProvider, RateLimit> = {
  greenhouse: { requests: 50, windowMs: 10_000 },
  lever: { requests: 10, windowMs: 1_000 },
  ashby: { requests: 10, windowMs: 1_000 },
};

export interface AtsRateLimiter {
  /** Resolves when a call to `provider` for `key` (the connection) may start; call the function it gives once the answer came (or failed). */
  take(key: string, provider: AtsProvider): Promise<() => void>;
}

/** How often a call waiting only on calls still in flight looks again. */
const IN_FLIGHT_POLL_MS = 20;

export function createAtsRateLimiter(limits: Record<AtsProvider, RateLimit> = ATS_RATE_LIMITS, clock = () => Date.now()): AtsRateLimiter {
  /** Per connection: its recent calls (when each ended; Infinity while in flight), and the chain its waiting calls queue on. */
  const windows = new Map<string, { calls: { endedAt: number }[]; queue: Promise<unknown> }>();
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  return {
    take(key, provider) {
      const { requests, windowMs } = limits[provider];
      const slot = windows.get(key) ?? { calls: [], queue: Promise.resolve() };
      windows.set(key, slot);
      // Calls of one connection take their turn in order, so a waiting call is not overtaken.
      const turn = slot.queue.then(async () => {
        for (;;) {
          const now = clock();
          slot.calls = slot.calls.filter((c) => c.endedAt > now - windowMs);
          if (slot.calls.length < requests) {
            const call = { endedAt: Number.POSITIVE_INFINITY };
            slot.calls.push(call);
            return () => {
              call.endedAt = clock();
            };
          }
          const oldest = Math.min(...slot.calls.map((c) => c.endedAt));
          // +1: the oldest call leaves the window strictly after windowMs.
          await sleep(Number.isFinite(oldest) ? oldest + windowMs - now + 1 : IN_FLIGHT_POLL_MS);
        }
      });
      slot.queue = turn.catch(() => {});
      return turn;
    },
  };
}

/**
 * A call in flight holds its place this long at most: past it, a process that died mid-call no
 * longer holds the connection's window (a call times out long before, ATS_API_TIMEOUT_MS).
 */
export const IN_FLIGHT_LEASE_MS = 5 * 60_000;

// KEYS[1] the connection's window (a sorted set: call id → when it ended, or its lease's end
// while in flight); ARGV: requests, window ms, call id, lease ms. Returns 0 when the call may
// start (it is recorded), else how many ms to wait before asking again.
const TAKE_SCRIPT = `
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local window = tonumber(ARGV[2])
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
  if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
    redis.call('ZADD', KEYS[1], now - window + tonumber(ARGV[4]), ARGV[3])
    redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]) + window)
    return 0
  end
  local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
  if oldest > now then return ${IN_FLIGHT_POLL_MS} end
  return oldest + window - now + 1
`;

// KEYS[1] the window; ARGV[1] the call id. The call ended now: it leaves the window a window later.
const END_SCRIPT = `
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
  return 1
`;

/**
 * The limiter every process of the service shares through Redis (`prefix` keeps deployments
 * apart). Within a process, calls of one connection still take their turn in order. An in-flight
 * call is recorded as ending when its lease does (IN_FLIGHT_LEASE_MS after it started, minus a
 * window, so it leaves the window when the lease ends); ending it records the real time.
 */
export function createSharedAtsRateLimiter(redis: Redis, prefix: string, limits: Record<AtsProvider, RateLimit> = ATS_RATE_LIMITS): AtsRateLimiter {
  const queues = new Map<string, Promise<unknown>>();
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const windowKey = (key: string) => `${prefix}:ats-rate:${key}`;

  return {
    take(key, provider) {
      const { requests, windowMs } = limits[provider];
      const turn = (queues.get(key) ?? Promise.resolve()).then(async () => {
        const id = randomUUID();
        for (;;) {
          const wait = Number(await redis.eval(TAKE_SCRIPT, 1, windowKey(key), requests, windowMs, id, IN_FLIGHT_LEASE_MS));
          if (wait === 0) {
            return () => {
              // Not ending it only keeps its place until the lease runs out: slower, never over the limit.
              void redis.eval(END_SCRIPT, 1, windowKey(key), id).catch(() => undefined);
            };
          }
          await sleep(wait);
        }
      });
      const queued = turn.catch(() => {});
      queues.set(key, queued);
      // A connection with nothing waiting is forgotten (the map does not grow with connections).
      void queued.then(() => {
        if (queues.get(key) === queued) queues.delete(key);
      });
      return turn;
    },
  };
}
