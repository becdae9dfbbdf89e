// Fault injection for the fake: latency, HTTP failures and accept-then-drop.
// Everything is consulted per request, so tests, the demo and benchmarks can change
// faults while traffic flows. `path` matches the request path exactly, or as a
// prefix when it ends in `*` (e.g. `/messages/*`).

export type FailureStatus = 429 | 500 | 503;

export type LatencySpec = { path?: string } & ({ fixedMs: number } | { p50Ms: number; p99Ms: number });

export interface FailureOptions {
  path?: string;
  /** Sent as Retry-After; 429 answers always carry one (default 1 second). */
  retryAfterSeconds?: number;
}

export interface FailureRule extends FailureOptions {
  status: FailureStatus;
  /** Remaining answers for a "next N requests" rule. */
  remaining?: number;
  /** Chance per matching request for a probabilistic rule. */
  probability?: number;
}

export interface DropRule {
  path?: string;
  remaining: number;
}

export interface FaultSnapshot {
  latency: LatencySpec | null;
  failures: FailureRule[];
  drops: DropRule[];
}

export interface InjectedFailure {
  status: FailureStatus;
  retryAfterSeconds?: number;
}

/** z-score of the 99th percentile of the standard normal distribution. */
const Z99 = 2.3263478740408408;
/** Samples are capped at ~p99.997 so one unlucky draw cannot stall a test run. */
const TAIL_CAP_SIGMAS = 4;
const DEFAULT_RETRY_AFTER_SECONDS = 1;

export const pathMatches = (pattern: string | undefined, path: string): boolean =>
  pattern === undefined || (pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern);

function assertCount(count: number): void {
  if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be a positive integer');
}

function assertStatus(status: number): asserts status is FailureStatus {
  if (![429, 500, 503].includes(status)) throw new RangeError('status must be 429, 500 or 503');
}

export class FaultInjector {
  #latency: LatencySpec | null = null;
  #failures: FailureRule[] = [];
  #drops: DropRule[] = [];
  readonly #random: () => number;

  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  /** Fixed delay, or a log-normal fitted so its median is p50Ms and its 99th percentile p99Ms. */
  setLatency(spec: LatencySpec | null): void {
    if (spec && 'fixedMs' in spec && !(spec.fixedMs >= 0)) throw new RangeError('fixedMs must be >= 0');
    if (spec && 'p50Ms' in spec && !(spec.p50Ms > 0 && spec.p99Ms >= spec.p50Ms)) {
      throw new RangeError('need 0 < p50Ms <= p99Ms');
    }
    this.#latency = spec ? { ...spec } : null;
  }

  failNext(count: number, status: FailureStatus, options: FailureOptions = {}): void {
    assertCount(count);
    assertStatus(status);
    this.#failures.push({ status, remaining: count, ...options });
  }

  failWithProbability(probability: number, status: FailureStatus, options: FailureOptions = {}): void {
    if (!(probability >= 0 && probability <= 1)) throw new RangeError('probability must be within [0, 1]');
    assertStatus(status);
    this.#failures.push({ status, probability, ...options });
  }

  /** The next `count` sends are processed and captured, then the connection is destroyed unanswered. */
  dropNext(count: number, options: { path?: string } = {}): void {
    assertCount(count);
    this.#drops.push({ remaining: count, ...options });
  }

  clear(): void {
    this.#latency = null;
    this.#failures = [];
    this.#drops = [];
  }

  snapshot(): FaultSnapshot {
    return structuredClone({ latency: this.#latency, failures: this.#failures, drops: this.#drops });
  }

  latencyFor(path: string): number {
    const spec = this.#latency;
    if (!spec || !pathMatches(spec.path, path)) return 0;
    if ('fixedMs' in spec) return spec.fixedMs;
    const mu = Math.log(spec.p50Ms);
    const sigma = (Math.log(spec.p99Ms) - mu) / Z99;
    return Math.exp(mu + sigma * Math.min(this.#standardNormal(), TAIL_CAP_SIGMAS));
  }

  takeFailure(path: string): InjectedFailure | undefined {
    for (const rule of this.#failures) {
      if (!pathMatches(rule.path, path)) continue;
      if (rule.remaining !== undefined) {
        rule.remaining -= 1;
        if (rule.remaining <= 0) this.#failures = this.#failures.filter((r) => r !== rule);
      } else if (this.#random() >= (rule.probability ?? 0)) {
        continue;
      }
      const retryAfterSeconds = rule.retryAfterSeconds ?? (rule.status === 429 ? DEFAULT_RETRY_AFTER_SECONDS : undefined);
      return retryAfterSeconds === undefined ? { status: rule.status } : { status: rule.status, retryAfterSeconds };
    }
    return undefined;
  }

  takeDrop(path: string): boolean {
    const rule = this.#drops.find((r) => pathMatches(r.path, path));
    if (!rule) return false;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.#drops = this.#drops.filter((r) => r !== rule);
    return true;
  }

  /** Box–Muller; 1 - u keeps the logarithm away from zero. */
  #standardNormal(): number {
    const u1 = 1 - this.#random();
    const u2 = this.#random();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
