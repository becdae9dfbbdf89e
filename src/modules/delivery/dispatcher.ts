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

/** Runs `work` on a tick only when `ms` passed since it last ran (a sweep that need not run every tick). */
export function atMostEvery(ms: number, work: () => Promise<unknown>, now = () => Date.now()): () => Promise<unknown> {
  let last = -Infinity;
  return async () => {
    if (now() - last < ms) return;
    last = now();
    return work();
  };
}

export function startDispatcher({
  delivery,
  pollMs,
  logger,
  sweeps = [],
  onHealthyPass,
}: {
  delivery: DeliveryService;
  pollMs: number;
  logger: Logger;
  /** Other work to take back when its jobs were lost (outgoing webhook deliveries). */
  sweeps?: (() => Promise<unknown>)[];
  /** Called after each pass in which every step succeeded (the worker's heartbeat). */
  onHealthyPass?: () => Promise<void> | void;
}): Dispatcher {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const failing: Record<string, boolean> = {};
  /** One step of a pass; a failure is logged once per outage (and when its error changes), not per tick. */
  const step = async (name: string, work: () => Promise<unknown>, lastError: { message?: string }) => {
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
  const steps: [string, () => Promise<unknown>][] = [
    ['dispatch', () => delivery.dispatchDue()],
    ['sweep', () => delivery.sweep()],
    ['sweep-transactional', () => delivery.sweepTransactional()],
    ...sweeps.map((sweep, i) => [`sweep-${i + 1}`, sweep] as [string, () => Promise<unknown>]),
  ];
  const errors = Object.fromEntries(steps.map(([name]) => [name, {}])) as Record<string, { message?: string }>;
  const pass = async () => {
    for (const [name, work] of steps) await step(name, work, errors[name]!);
    if (onHealthyPass && !Object.values(failing).some(Boolean)) {
      await Promise.resolve()
        .then(onHealthyPass)
        .catch((error: unknown) => logger.warn({ err: error }, 'worker heartbeat could not be written'));
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
