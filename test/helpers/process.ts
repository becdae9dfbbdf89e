// Child processes of a test, which never outlive it. Each one runs in its own process group (so
// teardown ends whatever it started too), dies with the test process that spawned it (the
// kernel's parent-death signal, through setpriv), and carries this run's id in its environment,
// so test/global-setup.ts finds and ends any survivor and fails the run. test/file-setup.ts
// fails a test file that left one running.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { inject } from 'vitest';
import { cpuTicks, waitFor } from './wait.js';

/** The environment variable that marks every process a test run starts (its value: the run id). */
export const RUN_MARKER = 'HEARBACK_TEST_RUN';

const SETPRIV = '/usr/bin/setpriv';
const tracked = new Set<ChildProcess>();

/** `spawn`, but tracked, in a process group of its own, and killed if this process dies. */
export function spawnTracked(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  const env = { ...(options.env ?? process.env), [RUN_MARKER]: inject('runId') };
  const [file, argv] = existsSync(SETPRIV) ? [SETPRIV, ['--pdeathsig', 'KILL', '--', command, ...args]] : [command, args];
  const child = spawn(file, argv, { ...options, env, detached: true });
  tracked.add(child);
  child.once('exit', () => tracked.delete(child));
  child.once('error', () => tracked.delete(child));
  return child;
}

const exitOf = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));

/** Ends a child and everything in its group: SIGTERM, then SIGKILL if it has not exited once its group is quiet. */
export async function endProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.pid === undefined) return;
  const group = -child.pid;
  const exited = exitOf(child);
  try {
    process.kill(group, signal);
  } catch {
    // Already gone.
  }
  // Ends on the exit, or when the child has stopped doing anything without exiting.
  await Promise.race([
    exited,
    waitFor(
      () => cpuTicks(child.pid),
      () => false,
      { checks: 50, what: 'exit' },
    ).catch(() => undefined),
  ]);
  try {
    process.kill(group, 'SIGKILL');
  } catch {
    // The whole group is gone.
  }
  await exited;
}

/** Ends every child this test file still has; returns what they were. */
export async function endAllProcesses(): Promise<string[]> {
  const left = [...tracked].filter((child) => child.exitCode === null && child.signalCode === null);
  const described = left.map((child) => `${child.pid}: ${child.spawnargs.slice(child.spawnargs[0] === SETPRIV ? 4 : 0).join(' ')}`);
  await Promise.all(left.map((child) => endProcess(child, 'SIGKILL')));
  return described;
}

/** Kills every child's group at once, synchronously (for a test process about to die). */
export function killAllProcessesNow(): void {
  for (const child of tracked) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

export interface RunningProcess {
  child: ChildProcess;
  logs: Record<string, unknown>[];
  /**
   * Resolves with the first log record that matches; rejects if the process exits first, or if
   * it neither logs nor computes for a long stretch of checks.
   */
  waitForLog(predicate: (record: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Ends the process and its group (see endProcess). */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs one of the project's entry points as a real child process, reading its JSON logs. */
export function startProcess(entry: string, env: Record<string, string>): RunningProcess {
  const child = spawnTracked(process.execPath, ['--import', 'tsx', entry], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let buffered = '';
  const onChunk = (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: line });
      }
    }
  };
  child.stdout!.on('data', onChunk);
  child.stderr!.on('data', onChunk);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve((exit = { code, signal }))));
  const dump = () => logs.map((l) => JSON.stringify(l)).join('\n');
  return {
    child,
    logs,
    exited,
    async waitForLog(predicate) {
      const seen = await waitFor(
        () => ({ found: logs.find(predicate), exit }),
        ({ found, exit }) => found !== undefined || exit !== undefined,
        { what: `a matching log from ${entry}`, progress: () => [logs.length, cpuTicks(child.pid)] },
      ).catch((error: Error) => {
        throw new Error(`${error.message}; got:\n${dump()}`);
      });
      if (!seen.found) throw new Error(`${entry} exited (${JSON.stringify(seen.exit)}) before the log; got:\n${dump()}`);
      return seen.found;
    },
    async stop(signal = 'SIGTERM') {
      await endProcess(child, signal);
      return exited;
    },
  };
}

/** Runs a script to its end (or until it dies), with its stderr. */
export async function runToEnd(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const child = spawnTracked(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  return { code, signal, stdout, stderr };
}
