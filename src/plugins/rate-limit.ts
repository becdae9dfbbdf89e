// Per-API-key rate limiting, counted in Redis so every API instance shares one budget.
// It runs after authentication (preParsing), keyed by the key id (by address on public routes). If Redis is unreachable the
// limiter lets requests through: writes go through the Postgres outbox, so a Redis outage should
// not take the whole API down (readiness reports it).
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { AppError } from '../lib/errors.js';

export interface RateLimitPluginOptions {
  redis: Redis;
  prefix: string;
  perMinute: number;
}

export const rateLimitPlugin = fp<RateLimitPluginOptions>(
  async (app: FastifyInstance, { redis, prefix, perMinute }) => {
    await app.register(rateLimit, {
      global: true,
      hook: 'preParsing',
      max: perMinute,
      timeWindow: 60_000,
      redis,
      nameSpace: `${prefix}:rate-limit:`,
      skipOnError: true,
      // Operations routes (health, metrics, docs) are for infrastructure, not API clients.
      allowList: (request) => !request.routeOptions.url?.startsWith('/v1/'),
      // Authenticated calls share their key's budget; public /v1 routes are limited per address.
      keyGenerator: (request) => (request.auth ? `key:${request.auth.apiKeyId}` : `ip:${request.ip}`),
      errorResponseBuilder: (_request, context) =>
        new AppError('rate_limited', `This API key may make ${context.max} requests a minute; retry in ${context.after}`),
    });
  },
  { name: 'rate-limit', dependencies: ['auth'] },
);
