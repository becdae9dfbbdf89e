// The delivery clock, in the worker process: every DELIVERY_POLL_MS it moves due messages into
// batches and sweeps for lost work. Several worker processes may run it at once (rows are taken
// with SKIP LOCKED). A failing pass (Postgres down) is logged and tried again next tick.
import type { Logger } from 'pino';
import type { DeliveryService } from './delivery.service.js';

export interface Dispatcher {
  /** One pass now (tests and the demo use it to skip the wait). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export function startDispatcher({ delivery, pollMs, logger }: { delivery: DeliveryService; pollMs: number; logger: Logger }): Dispatcher {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let failing = false;

  const pass = async () => {
    try {
      const dispatched = await delivery.dispatchDue();
      await delivery.sweep();
      if (dispatched > 0) logger.debug({ dispatched }, 'messages dispatched');
      if (failing) logger.info('delivery dispatcher recovered');
      failing = false;
    } catch (error) {
      // One line per outage, not one per tick.
      if (!failing) logger.error({ err: error }, 'delivery dispatch failed; retrying every tick');
      failing = true;
    }
  };
  const tick = () => {
    running = running.then(pass);
    return running;
  };
  const loop = async () => {
    await tick();
    if (!stopped) timer = setTimeout(() => void loop(), pollMs);
  };
  void loop();

  return {
    tick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
