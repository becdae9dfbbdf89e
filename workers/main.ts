// The worker process: one BullMQ Worker per queue (handlers from src/modules/*/*.jobs.ts) and
// the outbox relay. Stops gracefully on SIGTERM/SIGINT: active jobs finish, nothing is lost.
import closeWithGrace from 'close-with-grace';
import { createDeps } from '../src/deps.js';
import { maintenanceHandler } from '../src/modules/maintenance/maintenance.jobs.js';
import { messagesHandler } from '../src/modules/messages/messages.jobs.js';
import type { JobHandlers } from '../src/queue/handlers.js';
import { startWorkers, type WorkerRuntime } from '../src/queue/workers.js';
import { loadConfigOrExit } from '../src/server.js';

const config = loadConfigOrExit();
const deps = createDeps(config, { role: 'worker' });
const logger = deps.logger;

const handlers: JobHandlers = {
  maintenance: maintenanceHandler({ db: deps.db }),
  messages: messagesHandler({ messages: deps.messages }),
};

// Installed before anything starts, so a signal during start-up also shuts down cleanly.
let runtime: WorkerRuntime | undefined;
closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_MS }, async ({ signal, err }) => {
  if (err) logger.error({ err }, 'shutting down after an error');
  else logger.info({ signal }, 'shutting down');
  await runtime?.stop();
  await deps.close();
});

try {
  runtime = await startWorkers({ config, db: deps.db, queues: deps.queues, handlers, logger });
} catch (error) {
  logger.fatal({ err: error }, 'workers could not start');
  await deps.close();
  process.exit(1);
}
