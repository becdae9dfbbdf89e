// Delivery fixtures: an organization set up to send through the local Postmark server, and the
// worker runtime with or without the delivery clock. Thousands of approved messages: seed-messages.ts.
import request from 'supertest';
import { pino } from 'pino';
import { startDispatcher, type Dispatcher } from '../../src/modules/delivery/dispatcher.js';
import { projectHandlers } from '../../workers/handlers.js';
import { startWorkers, type WorkerRuntime } from '../../src/queue/workers.js';
import type { TestContext } from './context.js';
import { bearer, type TestOrganization } from './factories.js';

/** Any time is a good time: no undo window, no quiet hours, no wait after interviews. */
export const sendAnytime = { undoWindowMinutes: 0, sendHourStart: 0, sendHourEnd: 24, sendWeekdaysOnly: false, hoursAfterInterview: 0 };

export async function setUpSending(ctx: TestContext, org: TestOrganization, token = 'server-token-0001') {
  const api = request(ctx.app.server);
  const patched = await api.patch('/v1/organization').set(bearer(org.adminKey)).send(sendAnytime);
  if (patched.status !== 200) throw new Error(`PATCH /v1/organization: ${patched.status} ${JSON.stringify(patched.body)}`);
  const set = await api
    .put('/v1/organization/postmark')
    .set(bearer(org.adminKey))
    .send({ serverToken: token, senderEmail: 'talent@northwind.test', senderName: 'Northwind Talent' });
  if (set.status !== 200) throw new Error(`PUT /v1/organization/postmark: ${set.status} ${JSON.stringify(set.body)}`);
}

/**
 * The real worker runtime (every queue, the outbox relay) and, with `pollMs`, the delivery
 * clock; without it the test dispatches itself (`ctx.deps.delivery.dispatchDue()`), so nothing
 * is sent between two steps of a scenario.
 */
export async function startDelivery(ctx: TestContext, pollMs?: number): Promise<{ dispatcher: Dispatcher | null; runtime: WorkerRuntime; stop(): Promise<void> }> {
  const logger = pino({ level: 'silent' });
  const runtime = await startWorkers({
    config: ctx.config,
    db: ctx.deps.db,
    queues: ctx.deps.queues,
    handlers: projectHandlers(ctx.deps),
    logger,
    concurrency: { delivery: ctx.config.DELIVERY_CONCURRENCY, webhooks: ctx.config.WEBHOOK_CONCURRENCY },
  });
  const dispatcher =
    pollMs === undefined
      ? null
      : startDispatcher({ delivery: ctx.deps.delivery, pollMs, logger, sweeps: [() => ctx.deps.webhookDeliveries.sweep(), () => ctx.deps.atsWriteback.sweep()] });
  return {
    dispatcher,
    runtime,
    async stop() {
      await dispatcher?.stop();
      await runtime.stop();
    },
  };
}

export { seedApprovedMessages } from './seed-messages.js';
