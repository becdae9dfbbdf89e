// Liveness (the process answers) and readiness (it can do its job: Postgres and Redis answer).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import { pingDb, type PrismaClient } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import { TimeoutError, withTimeout } from '../../lib/timeout.js';
import { pingRedis } from '../../queue/connections.js';
import { livenessSchema, readinessSchema, type Check } from './health.schemas.js';

export interface HealthRoutesOptions {
  db: PrismaClient;
  redis: Redis;
}

const CHECK_TIMEOUT_MS = 2_000;

async function timedCheck(run: () => Promise<void>): Promise<Check> {
  const started = performance.now();
  try {
    await withTimeout(run(), CHECK_TIMEOUT_MS, 'readiness check');
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    // The reason stays generic: readiness is unauthenticated.
    const reason = error instanceof TimeoutError ? 'timeout' : 'unreachable';
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: reason };
  }
}

export const healthRoutes: FastifyPluginAsyncZod<HealthRoutesOptions> = async (app, { db, redis }) => {
  app.get(
    '/healthz',
    {
      logLevel: 'warn',
      schema: {
        operationId: 'getLiveness',
        tags: ['operations'],
        summary: 'Liveness: the process is up',
        response: { 200: livenessSchema },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      logLevel: 'warn',
      schema: {
        operationId: 'getReadiness',
        tags: ['operations'],
        summary: 'Readiness: Postgres and Redis answer (503 problem+json otherwise)',
        response: { 200: readinessSchema },
      },
    },
    async () => {
      const [postgres, redisCheck] = await Promise.all([timedCheck(() => pingDb(db)), timedCheck(() => pingRedis(redis))]);
      const checks = { postgres, redis: redisCheck };
      if (!postgres.ok || !redisCheck.ok) {
        throw new AppError('service_unavailable', 'Not ready: a dependency does not answer', { extensions: { checks } });
      }
      return { status: 'ready' as const, checks };
    },
  );
};
