// What the scaling scenarios share: where the CPU went during one measured phase (each child, this
// bench process, the whole machine), and the figures a phase reports.
import { createServer } from 'node:net';
import type { BenchContext } from './types.js';
import { machineCpuMs, type Child } from './processes.js';

export interface CpuWindow {
  wallMs: number;
  /** CPU each child used in the window. */
  childCpuMs: number[];
  /** This process: the local Postmark server, receivers, the load generator thread, polling. */
  benchCpuMs: number;
  /** Every core of the machine: busy and available time. */
  machineBusyMs: number;
  machineTotalMs: number;
}

/** Starts counting now; the returned function stops and reports. */
export function cpuWindow(children: Child[]): () => CpuWindow {
  const started = performance.now();
  const childStart = children.map((c) => c.cpuMs());
  const benchStart = process.cpuUsage();
  const machineStart = machineCpuMs();
  return () => {
    const bench = process.cpuUsage(benchStart);
    const machine = machineCpuMs();
    return {
      wallMs: performance.now() - started,
      childCpuMs: children.map((c, i) => c.cpuMs() - childStart[i]!),
      benchCpuMs: (bench.user + bench.system) / 1000,
      machineBusyMs: machine.busy - machineStart.busy,
      machineTotalMs: machine.total - machineStart.total,
    };
  };
}

const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * A phase's figures under `key`: units per second, CPU ms per unit in the children, each child's
 * share of one core (mean over children), this process's share of one core, and how busy the
 * machine was (100 = every core). `other` is what neither the children nor this process used:
 * Postgres, Redis and any neighbour on the machine.
 */
export function phaseFigures(key: string, units: number, w: CpuWindow): Record<string, number> {
  const childTotal = w.childCpuMs.reduce((a, b) => a + b, 0);
  return {
    [`${key}PerSec`]: round((units / w.wallMs) * 1000),
    [`${key}CpuPerUnitMs`]: round(childTotal / units, 3),
    [`${key}ChildCpuPct`]: round((childTotal / w.childCpuMs.length / w.wallMs) * 100),
    [`${key}BenchCpuPct`]: round((w.benchCpuMs / w.wallMs) * 100),
    [`${key}MachineBusyPct`]: round((w.machineBusyMs / w.machineTotalMs) * 100),
    [`${key}OtherCpuPct`]: round(((w.machineBusyMs - childTotal - w.benchCpuMs) / w.wallMs) * 100),
  };
}

/**
 * The 2÷1 ratio with the one-process phase measured before and after the two-process one: the
 * mean of the two is the denominator, and their gap (`ratio…Again`) says how much the machine
 * moved meanwhile (the runner's baseline bracket, inside one scenario).
 */
export function scalingRatio(name: string, first: number, two: number, again: number): Record<string, number> {
  const one = (first + again) / 2;
  return {
    [`${name}OnePerSec`]: round(one),
    [`${name}TwoPerSec`]: round(two),
    [`ratio${name[0]!.toUpperCase()}${name.slice(1)}2To1`]: round(two / one, 2),
    [`ratio${name[0]!.toUpperCase()}${name.slice(1)}OneAgain`]: round(again / first, 2),
  };
}

/** A port free right now, for a child that must be told where to listen. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls `done` every `intervalMs` until it holds, `alive` throws (a child died), or the limit passes. */
export async function until(done: () => Promise<boolean> | boolean, alive: () => void, limitMs: number, intervalMs = 50): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    alive();
    if (await done()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The environment every child shares: the bench database and Redis, its prefix, quiet logs, a short drain. */
export function childEnv(ctx: BenchContext, prefix: string, extra: Record<string, string>): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: ctx.databaseUrl,
    DATABASE_POOL_SIZE: '10',
    REDIS_URL: ctx.redisUrl,
    REDIS_PREFIX: prefix,
    // The bench measures cost, not the limiter.
    RATE_LIMIT_PER_MINUTE: '1000000',
    PAGE_RATE_LIMIT_PER_MINUTE: '1000000',
    SHUTDOWN_TIMEOUT_MS: '5000',
    ...extra,
  };
}
