// Delivering events to endpoints like the best webhook services do: the schedule immediately,
// 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (±20 % jitter); 2xx is success; redirects are
// failures and never followed; 410 disables the endpoint; 429/502/504 slow down and respect
// Retry-After; an endpoint failing continuously for days is disabled with an event. Every attempt
// is logged. A slow or dead endpoint never delays another: each may have only a few requests in
// flight, and its own per-second limit, counted in Redis across workers.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { PrismaClient } from '../../db/client.js';
import type { Sealer } from '../../lib/crypto.js';
import { enqueueInTransaction } from '../../queue/outbox.js';
import { webhookHeaders } from '../webhooks/signatures/standard-webhooks.js';
import { deliverJob, emitEvents } from './events.js';
import { checkEndpointUrl, postWebhook, UnsafeEndpointError, type WebhookResponse } from './sender.js';

/** Delay before each attempt: the first is immediate, eight in all. */
export const RETRY_SCHEDULE_MS = [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
const SLOW_DOWN = new Set([429, 502, 504]);
/** A slot is held at most this long if a worker dies holding it. */
const SLOT_TTL_SECONDS = 120;

export interface WebhookDeliverySettings {
  timeoutMs: number;
  allowPrivate: boolean;
  retryScale: number;
  disableAfterMs: number;
  maxInFlight: number;
  /** A pending delivery whose time passed this long ago lost its job (Redis restarted): taken back. */
  staleMs: number;
}

export type WebhookDeliveryService = ReturnType<typeof createWebhookDeliveryService>;

const retryAfterMs = (headers: WebhookResponse['headers']): number | null => {
  const value = headers['retry-after'];
  if (typeof value !== 'string') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
};

export function createWebhookDeliveryService({
  db,
  redis,
  redisPrefix,
  sealer,
  settings,
  logger,
  now = () => new Date(),
  random = Math.random,
}: {
  db: PrismaClient;
  redis: Redis;
  redisPrefix: string;
  sealer: Sealer;
  settings: WebhookDeliverySettings;
  logger: Logger;
  now?: () => Date;
  random?: () => number;
}) {
  /** The delay before attempt `attempt + 1`, scaled and jittered; null after the last one. */
  function nextDelay(attempt: number): number | null {
    const base = RETRY_SCHEDULE_MS[attempt];
    if (base === undefined) return null;
    return Math.round(base * settings.retryScale * (0.8 + 0.4 * random()));
  }

  async function later(deliveryId: string, at: Date) {
    await db.$transaction(async (tx) => {
      await tx.webhookDelivery.update({ where: { id: deliveryId }, data: { nextAttemptAt: at } });
      await enqueueInTransaction(tx, [deliverJob(deliveryId, at)]);
    });
  }

  /** A slot among the endpoint's requests in flight, and its per-second budget. */
  async function takeSlot(endpointId: string, perSecond: number | null): Promise<'ok' | 'busy' | 'limited'> {
    try {
      const key = `${redisPrefix}:webhooks:in-flight:${endpointId}`;
      const [[, inFlight] = []] = (await redis.multi().incr(key).expire(key, SLOT_TTL_SECONDS).exec()) ?? [];
      if (Number(inFlight) > settings.maxInFlight) {
        await redis.decr(key);
        return 'busy';
      }
      if (perSecond !== null) {
        const bucket = `${redisPrefix}:webhooks:rate:${endpointId}:${Math.floor(Date.now() / 1000)}`;
        const [[, used] = []] = (await redis.multi().incr(bucket).expire(bucket, 2).exec()) ?? [];
        if (Number(used) > perSecond) {
          await redis.decr(key);
          return 'limited';
        }
      }
      return 'ok';
    } catch {
      // Redis down: deliver anyway, as the API's limiter does.
      return 'ok';
    }
  }
  const releaseSlot = (endpointId: string) => redis.decr(`${redisPrefix}:webhooks:in-flight:${endpointId}`).catch(() => undefined);

  async function disable(organizationId: string, endpointId: string, reason: string) {
    await db.$transaction(async (tx) => {
      const { count } = await tx.webhookEndpoint.updateMany({ where: { id: endpointId, disabledAt: null }, data: { enabled: false, disabledAt: now(), disabledReason: reason } });
      if (count === 0) return;
      await tx.webhookDelivery.updateMany({ where: { endpointId, status: 'pending' }, data: { status: 'cancelled', nextAttemptAt: null } });
      // Told to the organization's other endpoints (this one takes nothing any more).
      await emitEvents(tx, organizationId, [{ type: 'endpoint.disabled', data: { endpointId, reason } }]);
    });
    logger.warn({ endpointId, reason }, 'webhook endpoint disabled');
  }

  return {
    nextDelay,

    /** One attempt at one delivery (the `webhooks` queue's job). */
    async deliver(deliveryId: string): Promise<Record<string, unknown>> {
      const delivery = await db.webhookDelivery.findUnique({ where: { id: deliveryId } });
      if (!delivery || delivery.status !== 'pending') return { skipped: delivery?.status ?? 'missing' };
      if (delivery.nextAttemptAt && delivery.nextAttemptAt.getTime() > now().getTime() + 100) return { skipped: 'early' };
      const endpoint = await db.webhookEndpoint.findUnique({ where: { id: delivery.endpointId } });
      if (!endpoint || !endpoint.enabled || endpoint.disabledAt) {
        await db.webhookDelivery.updateMany({ where: { id: deliveryId, status: 'pending' }, data: { status: 'cancelled', nextAttemptAt: null } });
        return { skipped: 'endpoint disabled' };
      }
      const slot = await takeSlot(endpoint.id, endpoint.rateLimitPerSecond);
      if (slot !== 'ok') {
        // Not an attempt: the endpoint is busy or at its rate. Try again shortly, without waiting here.
        await later(deliveryId, new Date(now().getTime() + (slot === 'limited' ? 1_000 : 250) + Math.round(random() * 250)));
        return { deferred: slot };
      }
      const event = await db.webhookEvent.findUniqueOrThrow({ where: { id: delivery.eventId } });
      const at = now();
      const secrets = [sealer.open(endpoint.secret)];
      if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > at) secrets.push(sealer.open(endpoint.previousSecret));
      const body = JSON.stringify(event.payload);
      let response: WebhookResponse | null = null;
      let error: string | null = null;
      const started = performance.now();
      try {
        const url = checkEndpointUrl(endpoint.url, settings.allowPrivate);
        response = await postWebhook(url, webhookHeaders({ id: `msg_${event.id}`, timestamp: Math.floor(at.getTime() / 1000), body, secrets }), body, {
          timeoutMs: settings.timeoutMs,
          allowPrivate: settings.allowPrivate,
        });
      } catch (caught) {
        error = `${caught instanceof UnsafeEndpointError ? 'unsafe endpoint: ' : ''}${(caught as Error).message}`.slice(0, 500);
      } finally {
        await releaseSlot(endpoint.id);
      }
      const latencyMs = response?.latencyMs ?? Math.round(performance.now() - started);
      const status = response?.statusCode ?? null;
      const succeeded = status !== null && status >= 200 && status < 300;
      const gone = status === 410;
      const attempts = delivery.attempts + 1;
      let delay = succeeded || gone ? null : nextDelay(attempts);
      if (delay !== null && status !== null && SLOW_DOWN.has(status)) delay = Math.max(delay, retryAfterMs(response!.headers) ?? 0);
      const outcome = succeeded ? 'succeeded' : gone ? 'disabled' : delay === null ? 'failed' : 'retry';
      const nextAt = delay === null ? null : new Date(at.getTime() + delay);

      await db.$transaction(async (tx) => {
        await tx.webhookAttempt.create({
          data: {
            organizationId: delivery.organizationId,
            endpointId: endpoint.id,
            deliveryId,
            attemptedAt: at,
            outcome,
            statusCode: status,
            latencyMs,
            responseBody: response?.body ?? null,
            error: error ?? (status !== null && status >= 300 && status < 400 ? `redirect to ${String(response!.headers.location ?? '?').slice(0, 300)} not followed` : null),
          },
        });
        await tx.webhookDelivery.update({
          where: { id: deliveryId },
          data: {
            attempts,
            lastAttemptAt: at,
            lastStatusCode: status,
            status: succeeded ? 'succeeded' : outcome === 'retry' ? 'pending' : 'failed',
            nextAttemptAt: nextAt,
          },
        });
        if (succeeded) await tx.webhookEndpoint.updateMany({ where: { id: endpoint.id, failingSince: { not: null } }, data: { failingSince: null } });
        else await tx.webhookEndpoint.updateMany({ where: { id: endpoint.id, failingSince: null }, data: { failingSince: at } });
        if (nextAt) await enqueueInTransaction(tx, [deliverJob(deliveryId, nextAt)]);
      });

      if (gone) await disable(delivery.organizationId, endpoint.id, 'The endpoint answered 410 Gone');
      else if (!succeeded) {
        const failingSince = (await db.webhookEndpoint.findUnique({ where: { id: endpoint.id }, select: { failingSince: true } }))?.failingSince;
        if (failingSince && at.getTime() - failingSince.getTime() >= settings.disableAfterMs) {
          await disable(delivery.organizationId, endpoint.id, `Every delivery failed since ${failingSince.toISOString()}`);
        }
      }
      return { outcome, status, attempts };
    },

    /** Pending deliveries whose job was lost (Redis restarted) get a new one. */
    async sweep(): Promise<number> {
      return db.$transaction(async (tx) => {
        const stale = await tx.$queryRaw<{ id: string }[]>`
          SELECT id FROM webhook_deliveries
          WHERE status = 'pending' AND next_attempt_at < ${new Date(now().getTime() - settings.staleMs)}
          ORDER BY next_attempt_at LIMIT 5000 FOR UPDATE SKIP LOCKED`;
        if (stale.length === 0) return 0;
        const at = now();
        await tx.webhookDelivery.updateMany({ where: { id: { in: stale.map((s) => s.id) } }, data: { nextAttemptAt: at } });
        await enqueueInTransaction(tx, stale.map((s) => deliverJob(s.id, at)));
        return stale.length;
      });
    },
  };
}
