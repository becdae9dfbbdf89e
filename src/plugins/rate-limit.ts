// Rate limits, counted in Redis so every API instance shares one budget:
//  - per API key: runs after authentication (preParsing), keyed by the key id (by address on
//    public routes);
//  - failed authentication per client address: an address that has failed AUTH_FAILURES_PER_MINUTE
//    times is refused (429) on every authenticated route until its minute is over, before its
//    next key is even looked up. This plugin is registered before the auth plugin so that its
//    check runs first. Only addresses that failed in this process lately are checked against the
//    shared count, so a client whose keys work costs no extra Redis round trip; an address
//    refused elsewhere gets one more lookup here, fails, and is refused here too.
//  - /webhooks/*: no key to count against, and anyone can post. The sender the URL names (an ATS
//    connection, an organization's Postmark webhook) has a budget, and so does the client
//    address, both before the body is read. The address is counted only while the sender is
//    under its own, so a flood at one URL does not use up an address its provider shares with
//    other customers.
// Other modules make their own limiters with `addressLimiter` (the candidate page does).
// Busy keys take their budget from Redis in leases, so most requests cost no Redis round trip;
// no window ever admits more than its budget across processes (rate-limit-store.ts has the bound).
// If Redis is unreachable the limiters let requests through: writes go through the Postgres
// outbox, so a Redis outage should not take the whole API down (readiness reports it).
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { rateKeyOf } from '../lib/actor.js';
import { AppError, type ProblemCode } from '../lib/errors.js';
import { leasedRedisStore } from './rate-limit-store.js';

export interface RateLimitPluginOptions {
  redis: Redis;
  prefix: string;
  perMinute: number;
  authFailuresPerMinute: number;
  /** Requests a minute to /webhooks/* routes: per URL (the connection or organization it names) and per client address. */
  webhooks: { perUrl: number; perAddress: number };
}

const WEBHOOKS = '/webhooks/';

/** A per-minute counter for one client address: counts a request (or only reads, with `count: false`). */
export type AddressLimiter = (request: FastifyRequest, options?: { count?: boolean }) => Promise<{ limited: false } | { limited: true; retryAfterSeconds: number }>;

declare module 'fastify' {
  interface FastifyInstance {
    /** A limiter named `name`, `perMinute` per client address (an IPv6 /56 counts as one address). */
    addressLimiter(name: string, perMinute: number): AddressLimiter;
  }
}

/** What the auth plugin answers when a key is missing, wrong or revoked, or a session cookie is stale. */
const AUTH_FAILURES: ReadonlySet<ProblemCode> = new Set(['missing_api_key', 'invalid_api_key', 'api_key_revoked', 'session_invalid']);

export const rateLimitPlugin = fp<RateLimitPluginOptions>(
  async (app: FastifyInstance, { redis, prefix, perMinute, authFailuresPerMinute, webhooks }) => {
    await app.register(rateLimit, {
      global: true,
      hook: 'preParsing',
      max: perMinute,
      timeWindow: 60_000,
      store: leasedRedisStore(redis, `${prefix}:rate-limit:`),
      skipOnError: true,
      // Operations routes (health, metrics, docs) are for infrastructure, not API clients; webhooks have their own budgets below.
      allowList: (request) => !request.routeOptions.url?.startsWith('/v1/'),
      // Authenticated calls share their key's budget; public /v1 routes are limited per address.
      keyGenerator: (request) => (request.auth ? rateKeyOf(request.auth) : `ip:${request.ip}`),
      errorResponseBuilder: (_request, context) => new AppError('rate_limited', `This API key may make ${context.max} requests a minute; retry in ${context.after}`),
    });

    app.decorate('addressLimiter', (name: string, max: number): AddressLimiter => {
      // `allowList: []`: the global allow list (non-/v1 routes) is not this limiter's.
      const limiter = app.createRateLimit({ max, timeWindow: 60_000, allowList: [], keyGenerator: (request) => `${name}:${normalizeIP(request.ip)}` });
      return async (request, { count = true } = {}) => {
        const state = await limiter(request, { increment: count });
        // Counting, the request that goes past the budget is refused; reading, the budget must be left.
        const limited = !state.isAllowed && (count ? state.isExceeded : state.remaining === 0 && state.ttl > 0);
        return limited ? { limited: true, retryAfterSeconds: Math.max(1, state.ttlInSeconds) } : { limited: false };
      };
    });

    // The same store and counters, checked in turn (createRateLimit counts without answering).
    const limiter = (max: number, key: (request: FastifyRequest) => string) => app.createRateLimit({ max, timeWindow: 60_000, keyGenerator: key, allowList: () => false });
    // The route and its params (case-folded: a UUID in capitals is the same URL).
    const urlOf = (request: FastifyRequest) =>
      `${request.routeOptions.url}|${Object.values((request.params ?? {}) as Record<string, string>)
        .join('|')
        .toLowerCase()}`;
    const checks = [
      { limit: limiter(webhooks.perUrl, (request) => `webhook-url:${urlOf(request)}`), per: 'for this webhook URL' },
      { limit: limiter(webhooks.perAddress, (request) => `webhook-ip:${request.ip}`), per: 'from this address' },
    ];
    const limitWebhook: onRequestHookHandler = async (request) => {
      for (const { limit, per } of checks) {
        const state = await limit(request);
        if (!state.isAllowed && state.isExceeded) {
          const retryAfter = String(Math.max(1, state.ttlInSeconds));
          throw new AppError('rate_limited', `At most ${state.max} webhook deliveries a minute ${per}; retry in ${retryAfter} s`, { headers: { 'retry-after': retryAfter } });
        }
      }
    };
    app.addHook('onRoute', (route) => {
      if (!route.url.startsWith(WEBHOOKS)) return;
      const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
      route.onRequest = [limitWebhook, ...existing];
    });

    const authFailures = app.addressLimiter('auth-failures', authFailuresPerMinute);
    const suspects = recentAddresses(60_000, 10_000);
    const refuseSuspect = async (request: FastifyRequest) => {
      const state = await authFailures(request, { count: false });
      if (state.limited) {
        throw new AppError('rate_limited', `Too many failed authentications from this address; retry in ${state.retryAfterSeconds} s`, {
          headers: { 'retry-after': String(state.retryAfterSeconds) },
        });
      }
    };
    // A callback hook: most requests come from no suspect and need no await (an async hook costs each a promise and a turn).
    app.addHook('onRequest', (request, _reply, done) => {
      if (!request.routeOptions.config.scope || !suspects.has(normalizeIP(request.ip))) {
        done();
        return;
      }
      refuseSuspect(request).then(() => done(), done);
    });
    app.addHook('onError', async (request, _reply, error) => {
      if (!(error instanceof AppError && AUTH_FAILURES.has(error.code) && request.routeOptions.config.scope)) return;
      suspects.add(normalizeIP(request.ip));
      await authFailures(request);
    });
  },
  { name: 'rate-limit', dependencies: ['error-handler'] },
);

/** Addresses seen lately (for `ttlMs`), at most `max` of them: the oldest are forgotten first. */
function recentAddresses(ttlMs: number, max: number) {
  const until = new Map<string, number>();
  return {
    add(address: string) {
      until.delete(address);
      until.set(address, Date.now() + ttlMs);
      if (until.size > max) until.delete(until.keys().next().value!);
    },
    has(address: string) {
      const expiry = until.get(address);
      if (expiry === undefined) return false;
      if (expiry > Date.now()) return true;
      until.delete(address);
      return false;
    },
  };
}
