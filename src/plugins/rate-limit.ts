// Rate limiting, counted in Redis so every API instance shares one budget. If Redis is
// unreachable the limiter lets requests through: writes go through the Postgres outbox, so a
// Redis outage should not take the whole API down (readiness reports it).
//
// /v1: per API key, after authentication (preParsing), by address on public routes.
// /webhooks/*: no key to count against, and anyone can post. The sender the URL names (an ATS
// connection, an organization's Postmark webhook) has a budget, and so does the client address,
// both before the body is read. The address is counted only while the sender is under its own,
// so a flood at one URL does not use up an address its provider shares with other customers.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { AppError } from '../lib/errors.js';

export interface RateLimitPluginOptions {
  redis: Redis;
  prefix: string;
  perMinute: number;
  /** Requests a minute to /webhooks/* routes: per URL (the connection or organization it names) and per client address. */
  webhooks: { perUrl: number; perAddress: number };
}

const WEBHOOKS = '/webhooks/';

export const rateLimitPlugin = fp<RateLimitPluginOptions>(
  async (app: FastifyInstance, { redis, prefix, perMinute, webhooks }) => {
    await app.register(rateLimit, {
      global: true,
      hook: 'preParsing',
      max: perMinute,
      timeWindow: 60_000,
      redis,
      nameSpace: `${prefix}:rate-limit:`,
      skipOnError: true,
      // Operations routes (health, metrics, docs) are for infrastructure, not API clients; webhooks have their own budgets below.
      allowList: (request) => !request.routeOptions.url?.startsWith('/v1/'),
      // Authenticated calls share their key's budget; public /v1 routes are limited per address.
      keyGenerator: (request) => (request.auth ? `key:${request.auth.apiKeyId}` : `ip:${request.ip}`),
      errorResponseBuilder: (_request, context) =>
        new AppError('rate_limited', `This API key may make ${context.max} requests a minute; retry in ${context.after}`),
    });

    // The same store and counters, checked in turn (createRateLimit counts without answering).
    const limiter = (max: number, key: (request: FastifyRequest) => string) =>
      app.createRateLimit({ max, timeWindow: 60_000, keyGenerator: key, allowList: () => false });
    // The route and its params (case-folded: a UUID in capitals is the same URL).
    const urlOf = (request: FastifyRequest) =>
      `${request.routeOptions.url}|${Object.values((request.params ?? {}) as Record<string, string>).join('|').toLowerCase()}`;
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
  },
  { name: 'rate-limit', dependencies: ['auth'] },
);
