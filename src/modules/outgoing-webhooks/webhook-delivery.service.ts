// Delivering events to endpoints like the best webhook services do: the schedule immediately,
// 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (±20 % jitter); 2xx is success; redirects are
// failures and never followed; 410 disables the endpoint; 429/502/504 slow down and respect
// Retry-After; an endpoint failing continuously for days is disabled with an event. Every attempt
// is logged. A slow or dead endpoint never delays another: one pump per endpoint (a Redis lock)
// sends its deliveries with only a few requests in flight and its own per-second limit, so it
// holds one worker slot at most.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { PrismaClient } from '../../db/client.js';
import { mapLimit } from '../../lib/concurrency.js';
import type { Sealer } from '../../lib/crypto.js';
import { retryAfterMs } from '../../lib/retry-after.js';
import { enqueueInTransaction } from '../../queue/outbox.js';
import { webhookSigner, type SignedMessage } from '../webhook-signatures/standard-webhooks.js';
import type { WebhookEndpoint } from '../../generated/prisma/client.js';
import { endpointsRepository } from './endpoints.repository.js';
import { emitEvents, pumpJob } from './events.js';
import { checkEndpointUrl, endpointAgent, postWebhook, UnsafeEndpointError, type WebhookResponse } from './sender.js';
import { type AttemptRecord, type DueDelivery, webhookDeliveryRepository } from './webhook-delivery.repository.js';
import type { Agent } from 'node:http';

/** Delay before each attempt: the first is immediate, eight in all. */
export const RETRY_SCHEDULE_MS = [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
const SLOW_DOWN = new Set([429, 502, 504]);
/** An endpoint may ask for at most the schedule's longest gap. */
const RETRY_AFTER_CAP_MS = 36_000_000;
/** A slot is held at most this long if a worker dies holding it. */
const PUMP_LOCK_MS = 60_000;
/** How long one pump job sends before handing over to a new job. */
const PUMP_SLICE_MS = 20_000;
/** How often a running pump renews its lock (well inside PUMP_LOCK_MS). */
const PUMP_RENEW_MS = 15_000;
/**
 * Failures in a row (no success between) after which an endpoint is paused rather than tried
 * delivery by delivery: a dead endpoint's backlog would otherwise hold a worker for an hour,
 * one timeout after another, and burn every delivery's attempts. Times the in-flight limit.
 */
const BREAKER_FAILURES_PER_SLOT = 2;
/** The pause after a run of failures: as long as the streak so far, within these bounds (scaled). */
const BREAKER_PAUSE_MS = { min: 5_000, max: 1_800_000 };
/** Attempts are written together: when this many wait, or the oldest has waited this long. */
const RECORD_BATCH = 50;
const RECORD_WAIT_MS = 100;
/**
 * Deliveries read per round, per request in flight: a round ends by waiting for its last answers
 * and writes, so short rounds left a fast endpoint idle between them.
 */
const ROUND_PER_SLOT = 50;
/** Lost deliveries taken back per sweep. */
const SWEEP_LIMIT = 5000;

/** What an attempt's log says went wrong (a refused destination says so). */
const attemptError = (caught: unknown) =>
  `${caught instanceof UnsafeEndpointError ? 'unsafe endpoint: ' : ''}${caught instanceof Error ? caught.message : String(caught)}`.slice(0, 500);

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
    return base === undefined ? null : scaled(base);
  }

  /** A delay at the configured time scale, ±20 % so retries and pauses do not arrive in step. */
  function scaled(ms: number): number {
    return Math.round(ms * settings.retryScale * (0.8 + 0.4 * random()));
  }

  const lockKey = (endpointId: string) => `${redisPrefix}:webhooks:pump:${endpointId}`;
  /** Set when an endpoint asks to slow down (429/502/504): nothing goes to it before it expires. */
  const pauseKey = (endpointId: string) => `${redisPrefix}:webhooks:pause:${endpointId}`;
  const pause = (endpointId: string, ms: number) => redis.set(pauseKey(endpointId), '1', 'PX', Math.max(1, ms)).catch(() => undefined);
  /** Released only by its holder (a pump that outlived its lock must not free another's). */
  const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

  async function disable(organizationId: string, endpointId: string, reason: string) {
    await db.$transaction(async (tx) => {
      if (!(await endpointsRepository.disable(tx, endpointId, reason, now()))) return;
      await webhookDeliveryRepository.cancelPending(tx, endpointId);
      // Told to the organization's other endpoints (this one takes nothing any more).
      await emitEvents(tx, organizationId, [{ type: 'endpoint.disabled', data: { endpointId, reason } }]);
    });
    logger.warn({ endpointId, reason }, 'webhook endpoint disabled');
  }

  /** The secrets that sign now: the current one, and the previous one during a rotation. */
  function signingSecrets(endpoint: WebhookEndpoint, at: Date): string[] {
    const secrets = [sealer.open(endpoint.secret)];
    if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > at) secrets.push(sealer.open(endpoint.previousSecret));
    return secrets;
  }

  /**
   * What every attempt of a round shares: the endpoint's URL checked and its secrets made keys
   * once (not per delivery). A bad URL or secret fails each attempt, as it would one by one.
   */
  function roundTarget(endpoint: WebhookEndpoint, secrets: string[]): { url: URL; sign: (message: SignedMessage) => Record<string, string> } | { error: string } {
    try {
      return { url: checkEndpointUrl(endpoint.url, settings.allowPrivate), sign: webhookSigner(secrets) };
    } catch (caught) {
      return { error: attemptError(caught) };
    }
  }

  /** One attempt at one delivery: signed, sent, judged. Written by the caller, with others. */
  async function attempt(delivery: DueDelivery, target: ReturnType<typeof roundTarget>, agentFor: (url: URL) => Agent): Promise<AttemptRecord & { slowDownMs: number | null }> {
    const at = now();
    const body = JSON.stringify(delivery.payload);
    let response: WebhookResponse | null = null;
    let error: string | null = null;
    const started = performance.now();
    if ('error' in target) error = target.error;
    else {
      try {
        response = await postWebhook(target.url, target.sign({ id: `msg_${delivery.eventId}`, timestamp: Math.floor(at.getTime() / 1000), body }), body, {
          timeoutMs: settings.timeoutMs,
          allowPrivate: settings.allowPrivate,
          agent: agentFor(target.url),
        });
      } catch (caught) {
        error = attemptError(caught);
      }
    }
    const status = response?.statusCode ?? null;
    const succeeded = status !== null && status >= 200 && status < 300;
    const gone = status === 410;
    const attempts = delivery.attempts + 1;
    let delay = succeeded || gone ? null : nextDelay(attempts);
    const slowDown = delay !== null && status !== null && SLOW_DOWN.has(status);
    if (slowDown) delay = Math.max(delay!, retryAfterMs(response!.headers['retry-after'], at, RETRY_AFTER_CAP_MS) ?? 0);
    const outcome = succeeded ? 'succeeded' : gone ? 'disabled' : delay === null ? 'failed' : 'retry';
    return {
      deliveryId: delivery.id,
      loadedAt: delivery.updatedAt,
      attemptedAt: at,
      outcome,
      statusCode: status,
      latencyMs: response?.latencyMs ?? Math.round(performance.now() - started),
      responseBody: response?.body ?? null,
      error: error ?? (status !== null && status >= 300 && status < 400 ? `redirect to ${String(response!.headers.location ?? '?').slice(0, 300)} not followed` : null),
      attempts,
      state: succeeded ? 'succeeded' : outcome === 'retry' ? 'pending' : 'failed',
      nextAttemptAt: delay === null ? null : new Date(at.getTime() + delay),
      slowDownMs: slowDown ? delay : null,
    };
  }

  /**
   * Sends one round of due deliveries, a few at a time, and writes their attempts in batches.
   * Stops early (what was not started stays pending) when the endpoint is gone or asks to slow
   * down. Returns how many were sent and whether the round was cut short.
   */
  async function sendRound(endpoint: WebhookEndpoint, due: DueDelivery[], agentFor: (url: URL) => Agent, sliceEnd: number): Promise<{ sent: number; halted: boolean }> {
    const target = roundTarget(endpoint, signingSecrets(endpoint, now()));
    const scope = { organizationId: endpoint.organizationId, endpointId: endpoint.id };
    let waiting: AttemptRecord[] = [];
    let oldest = 0;
    const writes: Promise<void>[] = [];
    const flush = () => {
      if (waiting.length === 0) return;
      const write = webhookDeliveryRepository.recordAttempts(db, scope, waiting);
      write.catch(() => undefined); // awaited below with the others; not an unhandled rejection meanwhile
      writes.push(write);
      waiting = [];
    };
    // The failure streak, in the order answers came: a success ends it, a failure starts one.
    let failingSince = endpoint.failingSince;
    let halt: 'gone' | 'slow_down' | 'failing' | 'slice_over' | null = null;
    let failuresInARow = 0;
    let sent = 0;
    let windowStart = Date.now();
    let inWindow = 0;
    const perSecond = endpoint.rateLimitPerSecond;

    await mapLimit(due, settings.maxInFlight, async (delivery) => {
      if (perSecond !== null) {
        // The endpoint's own rate: wait for the next second once this one is used up.
        while (inWindow >= perSecond && !halt) {
          const wait = windowStart + 1000 - Date.now();
          if (wait <= 0) {
            windowStart = Date.now();
            inWindow = 0;
          } else await new Promise((resolve) => setTimeout(resolve, wait));
        }
        inWindow++;
      }
      // Time's up: what was not started waits for the next job, so other endpoints get their turn.
      if (!halt && Date.now() > sliceEnd) halt = 'slice_over';
      if (halt) return;
      const { slowDownMs, ...record } = await attempt(delivery, target, agentFor);
      sent++;
      if (waiting.length === 0) oldest = Date.now();
      waiting.push(record);
      if (record.outcome === 'succeeded') {
        failingSince = null;
        failuresInARow = 0;
      } else {
        failingSince ??= record.attemptedAt;
        failuresInARow++;
      }
      if (record.outcome === 'disabled') halt = 'gone';
      else if (slowDownMs !== null && (!halt || halt === 'slice_over')) {
        halt = 'slow_down';
        await pause(endpoint.id, slowDownMs);
      } else if (failuresInARow >= BREAKER_FAILURES_PER_SLOT * settings.maxInFlight && (!halt || halt === 'slice_over')) {
        // Failing throughout: stop here and try again later with a few, not with the whole backlog.
        halt = 'failing';
        const streak = now().getTime() - failingSince!.getTime();
        const base = Math.min(Math.max(streak, BREAKER_PAUSE_MS.min), BREAKER_PAUSE_MS.max);
        await pause(endpoint.id, scaled(base));
      }
      if (waiting.length >= RECORD_BATCH || Date.now() - oldest >= RECORD_WAIT_MS || halt) flush();
    });
    flush();
    await Promise.all(writes);

    // The endpoint's failure streak changes rarely: written only when it does.
    if ((failingSince === null) !== (endpoint.failingSince === null)) {
      await endpointsRepository.setFailingSince(db, endpoint.id, failingSince);
    }
    if (halt === 'gone') await disable(endpoint.organizationId, endpoint.id, 'The endpoint answered 410 Gone');
    else if (failingSince !== null) {
      // Read back: the streak may have begun before this run, in another one.
      const since = await endpointsRepository.failingSince(db, endpoint.id);
      if (since && now().getTime() - since.getTime() >= settings.disableAfterMs) {
        await disable(endpoint.organizationId, endpoint.id, `Every delivery failed since ${since.toISOString()}`);
      }
    }
    return { sent, halted: halt !== null && halt !== 'slice_over' };
  }

  return {
    nextDelay,

    /**
     * The `webhooks` queue's job: sends one endpoint's due deliveries, at most
     * WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT at once and within its rate limit, for up to a slice of
     * time, then hands over (a new job) so long backlogs share the workers. One pump per endpoint
     * runs at a time; a slow endpoint therefore holds one worker, never the others' turns.
     */
    async pump(endpointId: string): Promise<Record<string, unknown>> {
      const paused = await redis.pttl(pauseKey(endpointId)).catch(() => -2);
      if (paused > 0) {
        // Asked to slow down: wake when the pause ends, not before.
        await db.$transaction((tx) => enqueueInTransaction(tx, [pumpJob(endpointId, new Date(now().getTime() + paused))]));
        return { skipped: 'the endpoint asked to slow down', resumesInMs: paused };
      }
      const token = randomUUID();
      const acquired = await redis.set(lockKey(endpointId), token, 'PX', PUMP_LOCK_MS, 'NX').catch(() => 'OK');
      if (acquired !== 'OK') return { skipped: 'another pump runs for this endpoint' };
      let sent = 0;
      let yielded = false;
      const sliceEnd = Date.now() + PUMP_SLICE_MS;
      // Renewed while it runs: a round waiting on timeouts can outlast one lock period.
      const renew = setInterval(() => void redis.pexpire(lockKey(endpointId), PUMP_LOCK_MS).catch(() => undefined), PUMP_RENEW_MS);
      let after: { at: Date; id: string } | null = null;
      // Connections kept for this run only, one pool per origin (the URL may change between rounds).
      const agents = new Map<string, Agent>();
      const agentFor = (url: URL) => {
        let agent = agents.get(url.origin);
        if (!agent) agents.set(url.origin, (agent = endpointAgent(url, settings.maxInFlight)));
        return agent;
      };
      const roundSize = Math.max(RECORD_BATCH, settings.maxInFlight * ROUND_PER_SLOT);
      // Keyset from where this run left off (see the repository).
      const readDue = () => {
        const read = webhookDeliveryRepository.due(db, endpointId, now(), after, roundSize);
        read.catch(() => undefined); // awaited by the next round; not an unhandled rejection if the run stops first
        return read;
      };
      let nextDue = readDue();
      try {
        for (;;) {
          // Read fresh every round: a disabled endpoint or a rotated secret applies from the next one.
          const endpoint = await endpointsRepository.forPump(db, endpointId);
          if (!endpoint || !endpoint.enabled || endpoint.disabledAt) {
            await webhookDeliveryRepository.cancelPending(db, endpointId);
            break;
          }
          const due = await nextDue;
          if (due.length === 0) break;
          const last = due.at(-1)!;
          after = { at: last.nextAttemptAt!, id: last.id };
          // The next round is read while this one is sent: it starts after this round's rows, and
          // what a halted run read but did not send stays pending.
          nextDue = readDue();
          const round = await sendRound(endpoint, due, agentFor, sliceEnd);
          sent += round.sent;
          if (round.halted) break;
          if (Date.now() > sliceEnd) {
            yielded = true;
            break;
          }
        }
      } finally {
        clearInterval(renew);
        for (const agent of agents.values()) agent.destroy();
        await redis.eval(RELEASE, 1, lockKey(endpointId), token).catch(() => undefined);
      }
      // Wake again when the next delivery is due (now, if one arrived while this pump finished;
      // a pause set during the run turns "now" into its end, see above).
      const next = await webhookDeliveryRepository.nextDueAt(db, endpointId);
      if (next) {
        const at = next.getTime() <= now().getTime() || yielded ? now() : next;
        await db.$transaction((tx) => enqueueInTransaction(tx, [pumpJob(endpointId, at)]));
      }
      return { sent, yielded };
    },

    /** Pending deliveries whose job was lost (Redis restarted) get a new one. */
    async sweep(): Promise<number> {
      return db.$transaction(async (tx) => {
        const at = now();
        const stale = await webhookDeliveryRepository.takeStale(tx, new Date(at.getTime() - settings.staleMs), at, SWEEP_LIMIT);
        await enqueueInTransaction(
          tx,
          stale.endpointIds.map((endpointId) => pumpJob(endpointId, at)),
        );
        return stale.count;
      });
    },
  };
}
