import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { emitEvents } from '../../src/modules/outgoing-webhooks/events.js';
import { createWebhookDeliveryService } from '../../src/modules/outgoing-webhooks/webhook-delivery.service.js';
import { createEndpointsService } from '../../src/modules/outgoing-webhooks/endpoints.service.js';
import { projectHandlers } from '../../workers/handlers.js';
import { startWorkers } from '../../src/queue/workers.js';
import { benchDeps } from '../lib/app.js';
import { defineScenario, type Metrics } from '../lib/types.js';

// 10,000 outgoing webhook deliveries (quick: 2,000) to a local receiver, through the outbox,
// BullMQ and the signed HTTP sender, as a ratio to the receiver's own maximum rate (plain
// keep-alive POSTs at the same concurrency, measured in the same run). Then 2,000 events to that
// endpoint alone, and 2,000 again while a second endpoint takes 2 s per answer: the fast one
// should not notice (slowdownFromSlowEndpoint = the second time ÷ the first).
const SIZE = { full: 10_000, quick: 2_000 };

function receiver(delayMs: number) {
  let count = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count++;
      if (delayMs > 0) setTimeout(() => res.writeHead(204).end(), delayMs);
      else res.writeHead(204).end();
    });
  });
  return new Promise<{ url: string; count: () => number; close: () => Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
        count: () => count,
        close: () => new Promise((done) => server.close(() => done())),
      }),
    ),
  );
}

/** The receiver's own ceiling: plain POSTs, `concurrency` at a time. */
async function receiverMax(url: string, total: number, concurrency: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) {
        await new Promise<void>((resolve, reject) => {
          const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
            res.resume();
            res.on('end', resolve);
          });
          req.on('error', reject);
          req.end('{"type":"x","timestamp":"2026-01-01T00:00:00Z","data":{}}');
        });
      }
    }),
  );
  return (total / (performance.now() - started)) * 1000;
}

export default defineScenario({
  name: 'webhooks-10k',
  kind: 'custom',
  description: '10,000 signed webhook deliveries to a local receiver vs the receiver’s own max; then with a 2 s endpoint alongside',
  async setup(ctx) {
    const bench = await benchDeps(ctx, 'webhooks-10k', 20);
    const config = { ...bench.config, WEBHOOK_ALLOW_PRIVATE_URLS: true };
    const logger = pino({ level: 'silent' });
    const webhookDeliveries = createWebhookDeliveryService({
      db: bench.deps.db,
      redis: bench.deps.redis,
      redisPrefix: config.REDIS_PREFIX,
      sealer: bench.deps.sealer,
      logger,
      settings: { timeoutMs: 15_000, allowPrivate: true, retryScale: 1, disableAfterMs: 5 * 86_400_000, maxInFlight: config.WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT, staleMs: 120_000 },
    });
    const endpoints = createEndpointsService({ db: bench.deps.db, sealer: bench.deps.sealer, allowPrivate: true });
    // Earlier runs' endpoints (their receivers are gone) must not compete with this one.
    await bench.deps.db.webhookEndpoint.updateMany({ where: { enabled: true }, data: { enabled: false, disabledAt: new Date(), disabledReason: 'bench cleanup' } });
    await bench.deps.db.webhookDelivery.updateMany({ where: { status: 'pending' }, data: { status: 'cancelled', nextAttemptAt: null } });
    const { organization } = await bench.deps.organizations.createOrganization('Bench webhooks');
    const fast = await receiver(0);
    const slow = await receiver(2_000);
    return { bench, config, logger, webhookDeliveries, endpoints, organizationId: organization.id, fast, slow, size: ctx.quick ? SIZE.quick : SIZE.full };
  },
  async run({ bench, config, logger, webhookDeliveries, endpoints, organizationId, fast, slow, size }): Promise<Metrics> {
    const actor = { organizationId, actor: 'bench' };
    const concurrency = config.WEBHOOK_CONCURRENCY;
    const maxRate = await receiverMax(fast.url, Math.min(size, 5_000), config.WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT);
    await endpoints.create(actor, { url: fast.url });
    const runtime = await startWorkers({
      config,
      db: bench.deps.db,
      queues: bench.deps.queues,
      handlers: projectHandlers({ ...bench.deps, webhookDeliveries }),
      logger,
      concurrency: { webhooks: concurrency },
    });
    const emit = async (count: number) => {
      for (let done = 0; done < count; done += 1_000) {
        const batch = Math.min(1_000, count - done);
        await bench.deps.db.$transaction((tx) =>
          emitEvents(
            tx,
            organizationId,
            Array.from({ length: batch }, () => ({ type: 'candidate.talent_pool_left' as const, data: { messageId: uuidv7(), applicationId: uuidv7(), candidateId: uuidv7() } })),
          ),
        );
      }
    };
    const waitFor = async (check: () => boolean, limitMs: number) => {
      const deadline = Date.now() + limitMs;
      while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return check();
    };
    try {
      let started = performance.now();
      await emit(size);
      const alone = await waitFor(() => fast.count() >= size, 10 * 60_000);
      const aloneMs = performance.now() - started;

      // Then the same smaller run twice (the runner allows 120 s): alone, as the control, and
      // with a 2 s endpoint taking every event too. Same size, so ramp-up costs cancel out.
      const second = Math.min(size, 2_000);
      const timed = async () => {
        const before = fast.count();
        const at = performance.now();
        await emit(second);
        const done = await waitFor(() => fast.count() >= before + second, 45_000);
        return { done, ms: performance.now() - at };
      };
      const control = await timed();
      await endpoints.create(actor, { url: slow.url });
      const { done: withSlow, ms: withSlowMs } = await timed();
      const perSec = (size / aloneMs) * 1000;
      await bench.deps.db.webhookEndpoint.updateMany({ where: { organizationId }, data: { enabled: false, disabledAt: new Date(), disabledReason: 'bench done' } });
      return {
        values: {
          deliveries: size,
          receiverMaxPerSec: Math.round(maxRate),
          jobsPerSec: Math.round(perSec),
          ratioToReceiverMax: Math.round((perSec / maxRate) * 100) / 100,
          aloneMs: Math.round(aloneMs),
          withSlowEndpointEvents: second,
          controlMs: Math.round(control.ms),
          withSlowEndpointMs: Math.round(withSlowMs),
          fastPerSecWithSlowEndpoint: Math.round((second / withSlowMs) * 1000),
          slowdownFromSlowEndpoint: Math.round((withSlowMs / control.ms) * 100) / 100,
          slowEndpointReceived: slow.count(),
        },
        compare: [],
        ...(!alone || !control.done || !withSlow ? { invalid: `the fast receiver got ${fast.count()} of ${size + 2 * second}` } : {}),
      };
    } finally {
      await runtime.stop();
    }
  },
  async teardown({ bench, fast, slow }) {
    await fast.close();
    await slow.close();
    await bench.close();
  },
});
