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

  const failing = { dispatch: false, sweep: false };
  /** One step of a pass; a failure is logged once per outage (and when its error changes), not per tick. */
  const step = async (name: 'dispatch' | 'sweep', work: () => Promise<unknown>, lastError: { message?: string }) => {
    try {
      await work();
      if (failing[name]) logger.info({ step: name }, 'delivery dispatcher recovered');
      failing[name] = false;
    } catch (error) {
      const message = (error as Error).message;
      if (!failing[name] || lastError.message !== message) logger.error({ err: error, step: name }, 'delivery dispatcher step failed; retrying every tick');
      failing[name] = true;
      lastError.message = message;
    }
  };
  const errors = { dispatch: {}, sweep: {} };
  const pass = async () => {
    await step('dispatch', () => delivery.dispatchDue(), errors.dispatch);
    await step('sweep', () => delivery.sweep(), errors.sweep);
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
