// The worker process: one BullMQ Worker per queue (handlers from src/modules/*/*.jobs.ts, wired in
// handlers.ts), the outbox relay and the delivery clock. Stops gracefully on SIGTERM/SIGINT:
// active jobs finish, nothing is lost.
import { writeFile } from 'node:fs/promises';
import closeWithGrace from 'close-with-grace';
import { loadConfigOrExit } from '../src/config.js';
import { createDeps } from '../src/deps.js';
import { atMostEvery, startDispatcher, type Dispatcher } from '../src/modules/delivery/dispatcher.js';
import { startWorkers, type WorkerRuntime } from '../src/queue/workers.js';
import { projectHandlers } from './handlers.js';

/** Promises are dated to the day: once a minute is soon enough to notice one passing. */
const PROMISE_SWEEP_MS = 60_000;
/** Export confirmations and automatic erasure approvals: a minute is soon enough. Retention: daily. */
const DATA_REQUESTS_SWEEP_MS = 60_000;
const RETENTION_SWEEP_MS = 24 * 3_600_000;
/** Digests leave at a local hour and reminders are hours ahead: once a minute is on time. */
const NOTIFICATION_SWEEP_MS = 60_000;
/** How often the clock looks for connections due a reconciliation (each is due every ATS_RECONCILE_EVERY_MS). */
const RECONCILE_SWEEP_MS = 60_000;

const config = loadConfigOrExit();
const deps = createDeps(config, { role: 'worker' });
const logger = deps.logger;

const handlers = projectHandlers(deps);

// Installed before anything starts, so a signal during start-up also shuts down cleanly.
let runtime: WorkerRuntime | undefined;
let dispatcher: Dispatcher | undefined;
closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_MS }, async ({ signal, err }) => {
  if (err) logger.error({ err }, 'shutting down after an error');
  else logger.info({ signal }, 'shutting down');
  await dispatcher?.stop();
  await runtime?.stop();
  await deps.close();
});

try {
  runtime = await startWorkers({
    config,
    db: deps.db,
    queues: deps.queues,
    handlers,
    logger,
    concurrency: { delivery: config.DELIVERY_CONCURRENCY, webhooks: config.WEBHOOK_CONCURRENCY },
  });
  // The heartbeat a container healthcheck reads: rewritten after every pass that reached
  // Postgres and Redis, so a stale file means this worker is stuck or cut off.
  const heartbeat = config.WORKER_HEARTBEAT_FILE;
  const onHealthyPass = heartbeat ? () => writeFile(heartbeat, `${new Date().toISOString()}\n`) : undefined;
  dispatcher = startDispatcher({
    delivery: deps.delivery,
    pollMs: config.DELIVERY_POLL_MS,
    logger,
    sweeps: [
      () => deps.webhookDeliveries.sweep(),
      () => deps.atsWriteback.sweep(),
      atMostEvery(RECONCILE_SWEEP_MS, () => deps.atsSync.reconcileDue()),
      atMostEvery(PROMISE_SWEEP_MS, async () => [await deps.promises.sweepOverdue(), await deps.promises.sweepSilence(), await deps.promises.sweepDueSoon()]),
      atMostEvery(DATA_REQUESTS_SWEEP_MS, async () => [await deps.dataRights.sendConfirmations(), await deps.dataRights.autoApprove()]),
      atMostEvery(RETENTION_SWEEP_MS, async () => {
        await deps.dataRights.sendRenewals();
        const results = await deps.dataRights.retention();
        logger.info({ results: results.filter((r) => r.peopleErased + r.talentPoolConsentsEnded + r.inboundBodies + r.postmarkPayloads > 0) }, 'retention sweep done');
      }),
      atMostEvery(NOTIFICATION_SWEEP_MS, async () => [await deps.notifications.sweepReminders(), await deps.notifications.sweepDigests()]),
    ],
    onHealthyPass,
  });
} catch (error) {
  logger.fatal({ err: error }, 'workers could not start');
  await deps.close();
  process.exit(1);
}
