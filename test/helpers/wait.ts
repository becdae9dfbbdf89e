// Waiting on the system under test, never on the clock. A wait ends when its condition holds,
// or when nothing has moved for `checks` checks in a row: on a busy machine the checks slow down
// with the work they watch, so a slow run is waited for and a stuck one still fails. A change in
// what is read (or in any `progress` signal) counts as movement and restores the patience; a
// system resting until a time it set itself (a retry's backoff) is not stuck either.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';

export interface Patience {
  /** What is awaited, for the error message. */
  what?: string;
  /** Further signs of life (a count of attempts, a log's length): any change is progress. */
  progress?: () => unknown;
  /**
   * True while the system waits on its own schedule (a retry set for later): nothing to do is
   * not a stall, so such checks do not use up patience.
   */
  resting?: () => boolean | Promise<boolean>;
  /** Checks in a row without any change before giving up. */
  checks?: number;
  intervalMs?: number;
}

const DEFAULT_CHECKS = 150;
const DEFAULT_INTERVAL_MS = 100;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Reads until `done(value)` holds and returns that value. A read that throws (a database down on
 * purpose) is no progress, and is retried.
 */
export async function waitFor<T>(read: () => T | Promise<T>, done: (value: T) => boolean, patience: Patience = {}): Promise<T> {
  const checks = patience.checks ?? DEFAULT_CHECKS;
  const interval = patience.intervalMs ?? DEFAULT_INTERVAL_MS;
  let previous: unknown = undefined;
  let still = 0;
  let lastError: unknown;
  for (let check = 0; ; check++) {
    let observation: unknown;
    try {
      const value = await read();
      if (done(value)) return value;
      observation = [value, patience.progress ? await patience.progress() : undefined];
      lastError = undefined;
    } catch (error) {
      observation = previous;
      lastError = error;
    }
    if (check === 0 || !isDeepStrictEqual(observation, previous)) still = 0;
    else if (!(
      patience.resting &&
      (await Promise.resolve()
        .then(patience.resting)
        .catch(() => false))
    ))
      still++;
    previous = observation;
    if (still >= checks) {
      const last = lastError ? `last error: ${String(lastError)}` : `last seen: ${JSON.stringify(observation)?.slice(0, 2000)}`;
      throw new Error(`gave up waiting for ${patience.what ?? 'the condition'}: nothing moved in ${checks} checks (${last})`);
    }
    await pause(interval);
  }
}

/** Waits until `read` shows no change for `checks` checks in a row: the work has settled. */
export async function waitForQuiet<T>(read: () => T | Promise<T>, { checks = 10, intervalMs = DEFAULT_INTERVAL_MS } = {}): Promise<T> {
  let previous = await read();
  for (let still = 0; still < checks;) {
    await pause(intervalMs);
    const value = await read();
    still = isDeepStrictEqual(value, previous) ? still + 1 : 0;
    previous = value;
  }
  return previous;
}

type Eventually<T> = ReturnType<typeof expect.poll<T>>;

/**
 * `expect.poll` that waits on progress instead of a timeout: `await eventually(read).toBe(1)`.
 * Any matcher (and `.not`) works; when patience runs out the matcher's own failure is thrown.
 */
export function eventually<T>(read: () => T | Promise<T>, patience: Patience = {}): Eventually<T> {
  const chain = (path: string[]): unknown =>
    new Proxy(() => {}, {
      get: (_target, key) => (key === 'then' ? undefined : chain([...path, String(key)])),
      apply: async (_target, _this, args: unknown[]) => {
        const assert = (value: unknown, message?: string) => {
          let assertion = expect(value, message) as unknown as Record<string, unknown>;
          for (const key of path.slice(0, -1)) assertion = assertion[key] as Record<string, unknown>;
          (assertion[path.at(-1)!] as (...a: unknown[]) => void)(...args);
        };
        const passes = (value: unknown) => {
          try {
            assert(value);
            return true;
          } catch {
            return false;
          }
        };
        let last: unknown;
        try {
          await waitFor(async () => (last = await read()), passes, patience);
        } catch (error) {
          if (!(error instanceof Error) || !error.message.startsWith('gave up')) throw error;
          // The matcher's own failure (with its diff) says what was expected and what was seen.
          assert(last, error.message);
        }
      },
    });
  return chain([]) as Eventually<T>;
}

/** CPU time a process has used so far (Linux clock ticks): a process that computes is alive. */
export function cpuTicks(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    // Fields after the command name (which may contain spaces): utime and stime are 14 and 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return -1;
  }
}
