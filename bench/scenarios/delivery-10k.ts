import { pino } from 'pino';
import { createDeliveryService } from '../../src/modules/delivery/delivery.service.js';
import { startDispatcher } from '../../src/modules/delivery/dispatcher.js';
import { createPostmarkSession } from '../../src/email/postmark.js';
import { deliverySettings } from '../../src/deps.js';
import { projectHandlers } from '../../workers/handlers.js';
import { startWorkers } from '../../src/queue/workers.js';
import { seedApprovedMessages } from '../../test/helpers/seed-messages.js';
import { startPostmarkServer } from '../../test/postmark/server.js';
import { benchDeps } from '../lib/app.js';
import { defineScenario, type Metrics } from '../lib/types.js';

// 10,000 approved messages (quick: 2,000) delivered to the local Postmark server with realistic
// latency (p50 35 ms, p99 200 ms): dispatch, send-time checks, claim, batch send of 500,
// bookkeeping, through the real workers. Compared in the same run with sending one message per
// request (one at a time, and at the workers' concurrency; samples scaled to the count) and with
// raw BullMQ.
const SIZE = { full: 10_000, quick: 2_000 };
const SINGLE_SAMPLE = { full: 1_000, quick: 300 };
const LATENCY = { p50Ms: 35, p99Ms: 200 };

export default defineScenario({
  name: 'delivery-10k',
  kind: 'custom',
  baseline: 'bullmq-noop',
  description: 'deliver 10,000 approved messages through the workers to a Postmark server with p50 35 ms / p99 200 ms latency',
  async setup(ctx) {
    const fake = await startPostmarkServer();
    fake.faults.setLatency(LATENCY);
    const bench = await benchDeps(ctx, 'delivery-10k', 20);
    const overrides = { ...bench.config, POSTMARK_API_URL: fake.url, DELIVERY_CONCURRENCY: 8 };
    const delivery = createDeliveryService({
      db: bench.deps.db,
      sealer: bench.deps.sealer,
      linkSecret: overrides.ENCRYPTION_KEY,
      settings: deliverySettings(overrides),
      logger: pino({ level: 'silent' }),
      messageLifecycle: bench.deps.messageLifecycle,
      decisions: bench.deps.decisions,
    });
    const { organization } = await bench.deps.organizations.createOrganization('Bench delivery');
    await bench.deps.db.organization.update({
      where: { id: organization.id },
      data: { undoWindowMinutes: 0, sendHourStart: 0, sendHourEnd: 24, sendWeekdaysOnly: false, hoursAfterInterview: 0 },
    });
    await bench.deps.sendingSetup.setPostmark({ organizationId: organization.id, actor: 'bench' }, { serverToken: 'bench-token-0001', senderEmail: 'talent@bench.test' });
    const count = ctx.quick ? SIZE.quick : SIZE.full;
    const seeded = await seedApprovedMessages(ctx.databaseUrl, {
      organizationId: organization.id,
      count,
      publicBaseUrl: overrides.PUBLIC_BASE_URL,
      linkSecret: overrides.ENCRYPTION_KEY,
      domain: `bench-${Date.now()}.test`,
    });
    return { fake, bench, overrides, delivery, organizationId: organization.id, seeded, count };
  },
  async run({ fake, bench, overrides, delivery, organizationId, count }, ctx): Promise<Metrics> {
    const logger = pino({ level: 'silent' });
    const deps = { ...bench.deps, delivery };
    const runtime = await startWorkers({
      config: overrides,
      db: bench.deps.db,
      queues: bench.deps.queues,
      handlers: projectHandlers(deps),
      logger,
      concurrency: { delivery: overrides.DELIVERY_CONCURRENCY },
    });
    const started = performance.now();
    const dispatcher = startDispatcher({ delivery, pollMs: 50, logger });
    // By organization (a fresh one on a fresh database holds only the seeded messages): a count
    // naming 10,000 ids every 100 ms cost the process under test a third of its CPU.
    const sentCount = async () => await bench.deps.db.message.count({ where: { organizationId, status: 'sent' } });
    let sent = 0;
    try {
      const deadline = Date.now() + 10 * 60_000;
      while ((sent = await sentCount()) < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await dispatcher.stop();
      await runtime.stop();
    }
    const wallMs = performance.now() - started;
    const received = new Set(fake.messages().map((m) => m.Addresses.To[0]?.Email ?? ''));

    // One message per request, on samples scaled to the count: one at a time (the naive sender)
    // and with the workers' concurrency (the same client).
    const session = createPostmarkSession('bench-token-0001', { apiUrl: fake.url, timeoutMs: 20_000 });
    let single = 0;
    const sendSingles = async (sample: number, concurrency: number) => {
      let next = 0;
      const startedAt = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < sample) {
            next++;
            await session.client.sendEmail({ From: 'talent@bench.test', To: `single${single++}@bench.test`, Subject: 'Hello', TextBody: 'Hello', MessageStream: 'outbound' });
          }
        }),
      );
      return ((performance.now() - startedAt) / sample) * count;
    };
    const sequentialProjectedMs = await sendSingles(ctx.quick ? SINGLE_SAMPLE.quick / 3 : SINGLE_SAMPLE.full / 5, 1);
    const concurrentProjectedMs = await sendSingles(ctx.quick ? SINGLE_SAMPLE.quick : SINGLE_SAMPLE.full, overrides.DELIVERY_CONCURRENCY);
    return {
      values: {
        messages: count,
        wallMs: Math.round(wallMs),
        jobsPerSec: Math.round((count / wallMs) * 1000),
        oneAtATimeProjectedMs: Math.round(sequentialProjectedMs),
        ratioToOneAtATime: Math.round((sequentialProjectedMs / wallMs) * 10) / 10,
        singlesAtSameConcurrencyProjectedMs: Math.round(concurrentProjectedMs),
        ratioToSinglesAtSameConcurrency: Math.round((concurrentProjectedMs / wallMs) * 10) / 10,
        deliveredOnce: received.size,
      },
      compare: ['jobsPerSec'],
      ...(sent < count || received.size !== count || fake.messages().length !== count + single
        ? { invalid: `sent ${sent}/${count}; Postmark received ${fake.messages().length - single} for ${received.size} recipients` }
        : {}),
    };
  },
  async teardown({ fake, bench }) {
    await bench.close();
    await fake.close();
  },
});
