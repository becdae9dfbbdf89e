// The contract between the runner and a scenario. Kept free of runtime imports
// so a scenario file can import it without pulling in the runner.

export type ScenarioKind = 'http' | 'queue' | 'custom';

export interface HttpSettings {
  connections: number;
  pipelining: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface QueueSettings {
  jobs: number;
  chunkSize: number;
  concurrency: number;
}

export interface BenchContext {
  quick: boolean;
  http: HttpSettings;
  queue: QueueSettings;
  /** Points at the bench database; call ensureDatabase() before first use. */
  databaseUrl: string;
  redisUrl: string;
  log(message: string): void;
}

export interface Metrics {
  /** Every figure measured, e.g. { reqPerSec, latencyP50Ms, latencyP99Ms, non2xx }. */
  values: Record<string, number>;
  /** Names in `values` that get a ratio to the baseline; the first is the headline one. */
  compare: string[];
  /** Set when the numbers do not measure what the scenario claims (non-2xx, failed jobs). */
  invalid?: string;
}

/**
 * `S` is whatever setup() hands to run() and teardown(), so scenarios hold no
 * module-level state and can be run twice in one process.
 */
export interface Scenario<S = unknown> {
  name: string;
  kind: ScenarioKind;
  /** Name of the baseline scenario this one is compared to; absent on baselines. */
  baseline?: string;
  description?: string;
  /** Longer limits for a scenario whose setup or run is large by design (defaults: 30 s; 120 s for custom and queue runs). */
  limits?: { setupMs?: number; runMs?: number };
  setup(ctx: BenchContext): Promise<S>;
  run(state: S, ctx: BenchContext): Promise<Metrics>;
  teardown(state: S, ctx: BenchContext): Promise<void>;
}

// State types differ per scenario; the registry only needs to call them in order.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyScenario = Scenario<any>;

/** Identity helper that lets TypeScript infer `S` from setup(). */
export function defineScenario<S>(scenario: Scenario<S>): Scenario<S> {
  return scenario;
}
