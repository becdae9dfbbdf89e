// The rate limits' store for @fastify/rate-limit. The counters live in Redis, one fixed window per
// key shared by every API process, under the same keys and with the same window rules as the
// package's RedisStore; but a process takes a busy key's budget in leases: one INCRBY of `lease`
// tokens, then spends them here without asking Redis again until they run out or the window ends.
//
// The bound. A token is counted in Redis before it is spent, and a lease is spent only inside the
// window Redis counted it in (it expires here no later than the key does there), so a window
// admits at most `max` requests across all processes: never more than counting one by one. The
// cost runs the other way: a process can end a window holding up to `lease - 1` tokens it did not
// spend, so with P processes a key that uses up its budget was still granted at least
// max − P × (lease − 1) requests. The lease is max / 50, at most 100 (12 for the default 600 a
// minute); a budget under 100 a minute (failed authentications, the candidate page per address)
// is counted one request at a time, exactly as before.
import type { Redis } from 'ioredis';

/** Tokens one Redis call takes for a key with this budget: 1 means no lease. */
export const leaseSize = (max: number) => Math.max(1, Math.min(100, Math.floor(max / 50)));

/** Keys with a lease held at once; past it the oldest is dropped (its unspent tokens with it). */
const MAX_LEASES = 10_000;

// KEYS[1] the counter; ARGV[1] window ms; ARGV[2] tokens to take. Returns {count, ttl ms}. With
// one token it is RedisStore's script (INCR, the window starts at the first request), so processes
// with and without leases share a counter during a rolling deploy.
const LEASE_SCRIPT = `
  local count = redis.call('INCRBY', KEYS[1], ARGV[2])
  local ttl = redis.call('PTTL', KEYS[1])
  if count == tonumber(ARGV[2]) or ttl < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
    ttl = tonumber(ARGV[1])
  end
  return {count, ttl}
`;

const READ_SCRIPT = `
  local count = redis.call('GET', KEYS[1])
  if not count then return {0, 0} end
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then ttl = 0 end
  return {tonumber(count), ttl}
`;

/** The scripts' answer, {count, ttl}. */
function pair(reply: unknown): [number, number] {
  if (Array.isArray(reply) && typeof reply[0] === 'number' && typeof reply[1] === 'number') return [reply[0], reply[1]];
  throw new Error(`Unexpected rate-limit script reply: ${JSON.stringify(reply)}`);
}

interface Lease {
  /** The Redis count before this lease: what other requests (anywhere) took first. */
  base: number;
  granted: number;
  used: number;
  /** Local time by which Redis's window has surely ended: the lease is void from then on. */
  expiresAt: number;
  /** Redis's count reached the budget: nothing more will be granted in this window. */
  exhausted: boolean;
}

type Result = { current: number; ttl: number };
type Callback = (error: Error | null, result?: Result) => void;

interface Shared {
  /** Takes `tokens` from the key's window: its count after, and the window's time left. */
  lease(key: string, windowMs: number, tokens: number): Promise<[number, number]>;
  read(key: string): Promise<[number, number]>;
  leases: Map<string, Lease>;
  pending: Map<string, Promise<void>>;
}

/** The class @fastify/rate-limit instantiates (`store`), bound to a Redis connection. */
export function leasedRedisStore(redis: Redis, nameSpace: string) {
  const shared: Shared = {
    lease: async (key, windowMs, tokens) => pair(await redis.eval(LEASE_SCRIPT, 1, key, windowMs, tokens)),
    read: async (key) => pair(await redis.eval(READ_SCRIPT, 1, key)),
    leases: new Map(),
    pending: new Map(),
  };
  return class RootStore extends LeasedRedisStore {
    constructor() {
      super(shared, nameSpace);
    }
  };
}

export class LeasedRedisStore {
  constructor(
    private readonly shared: Shared,
    private readonly prefix: string,
  ) {}

  incr(key: string, callback: Callback, timeWindow: number, max: number): void {
    this.take(this.prefix + key, timeWindow, max).then(
      (result) => callback(null, result),
      (error: Error) => callback(error),
    );
  }

  read(key: string, callback: Callback): void {
    this.shared.read(this.prefix + key).then(
      ([current, ttl]) => callback(null, { current, ttl }),
      (error: Error) => callback(error),
    );
  }

  /**
   * Limiters with their own budgets count under their own keys, named as RedisStore's children
   * are. (The package passes its merged parameters, with the route as `routeInfo`; its types say
   * otherwise.)
   */
  child(params: object): LeasedRedisStore {
    const route: unknown = Reflect.get(params, 'routeInfo');
    const part = (name: string) => String(typeof route === 'object' && route !== null ? Reflect.get(route, name) : undefined);
    return new LeasedRedisStore(this.shared, `${this.prefix}${part('method')}${part('url')}-`);
  }

  private async take(key: string, windowMs: number, max: number): Promise<Result> {
    const size = leaseSize(max);
    if (size === 1) {
      const [current, ttl] = await this.shared.lease(key, windowMs, 1);
      return { current, ttl };
    }
    // Each turn spends a token, refuses, or waits for one lease call (shared by every request
    // of this key that finds the lease empty); each lease call grants a token or ends the window.
    for (;;) {
      const lease = this.shared.leases.get(key);
      const now = Date.now();
      if (lease && lease.expiresAt > now) {
        if (lease.used < lease.granted) {
          lease.used += 1;
          return { current: lease.base + lease.used, ttl: lease.expiresAt - now };
        }
        if (lease.exhausted) return { current: max + 1, ttl: lease.expiresAt - now };
      }
      let pending = this.shared.pending.get(key);
      if (!pending) {
        pending = this.lease(key, size, windowMs, max).finally(() => this.shared.pending.delete(key));
        this.shared.pending.set(key, pending);
      }
      await pending;
    }
  }

  private async lease(key: string, size: number, windowMs: number, max: number): Promise<void> {
    // Timed from before the call: Redis's window ends `ttl` after it ran, so no later than this.
    const sentAt = Date.now();
    const [count, ttl] = await this.shared.lease(key, windowMs, size);
    const base = count - size;
    const { leases } = this.shared;
    leases.delete(key);
    leases.set(key, { base, granted: Math.max(0, Math.min(size, max - base)), used: 0, expiresAt: sentAt + ttl, exhausted: count >= max });
    if (leases.size > MAX_LEASES) leases.delete(leases.keys().next().value!);
  }
}
