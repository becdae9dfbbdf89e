// Entry points run as real child processes (the workers, the API), for the scaling scenarios.
// Each child gets its own process group (teardown ends whatever it started too) and dies with the
// bench process (the kernel's parent-death signal, through setpriv), so a crashed or timed-out run
// leaves nothing behind. A child that exits or stays silent before it is ready fails the scenario
// with the tail of its output as the reason.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { imageNodeOptions } from './image.js';

const SETPRIV = '/usr/bin/setpriv';

/** `node <argv>` as a child that dies with this process (the kernel's parent-death signal, through setpriv where the machine has it): the command and its arguments. */
export const nodeDyingWithParent = (argv: string[]): [string, string[]] =>
  existsSync(SETPRIV) ? [SETPRIV, ['--pdeathsig', 'KILL', '--', process.execPath, ...argv]] : [process.execPath, argv];
/** Where relative paths (web/dist) resolve, whatever the runner's working directory. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Linux reports CPU time in USER_HZ ticks, 100 a second on every architecture Node runs on. */
const MS_PER_TICK = 10;
const OUTPUT_KEPT = 60;

export interface Child {
  readonly pid: number;
  readonly label: string;
  /** CPU time (user + system) the process used so far, all its threads. */
  cpuMs(): number;
  /** Throws with the child's output if it has exited. */
  assertRunning(): void;
  /** The last lines it printed (stdout and stderr). */
  output(): string;
  /** Warnings and errors it logged (pino levels 40 and above), and the last one's message. */
  warnings(): { count: number; last?: string };
  /** SIGTERM to its group; SIGKILL once `graceMs` passed without an exit. */
  stop(graceMs?: number): Promise<void>;
}

/** CPU time of a process from /proc/<pid>/stat (utime + stime, fields 14 and 15); 0 once it is gone. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
  } catch {
    return 0;
  }
}

/** The whole machine's CPU counters from /proc/stat: busy and total, in ms summed over cores. */
export function machineCpuMs(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0); // idle + iowait
  const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0); // guest time is already in user
  return { busy: (total - idle) * MS_PER_TICK, total: total * MS_PER_TICK };
}

/**
 * The children of one scenario. Once closed it starts nothing more: a run the runner gave up on
 * (its time limit) may still be going in the background and must not spawn after teardown.
 */
export class ChildSet {
  private readonly children = new Set<Child>();
  private closed = false;

  /**
   * Starts `node <entry> ...args` (JavaScript: the scenarios pass lib/image.ts's compiledEntry)
   * with exactly `env` (plus PATH and the image's NODE_OPTIONS) and resolves once `ready` holds: a
   * line it printed matches, or an async check passes. Rejects, after ending the child, if it
   * exits first or is not ready within `timeoutMs`.
   */
  async start(
    label: string,
    entry: string,
    options: {
      env: Record<string, string>;
      args?: string[];
      ready: { line: (line: string) => boolean } | { check: () => Promise<boolean> };
      timeoutMs?: number;
    },
  ): Promise<Child> {
    if (this.closed) throw new Error(`${label}: not started, the scenario is being torn down`);
    const argv = [entry, ...(options.args ?? [])];
    const [file, args] = nodeDyingWithParent(argv);
    const proc = spawn(file, args, {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: imageNodeOptions(), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const lines: string[] = [];
    let partial = '';
    let readyLine = false;
    const warned: { count: number; last?: string } = { count: 0 };
    const matcher = 'line' in options.ready ? options.ready.line : undefined;
    const onChunk = (chunk: Buffer) => {
      const split = (partial + chunk.toString()).split('\n');
      partial = split.pop() ?? '';
      for (const line of split) {
        if (matcher && !readyLine && matcher(line)) readyLine = true;
        if (/"level":[4-6]0,/.test(line)) {
          warned.count++;
          warned.last = line.slice(0, 500);
        }
        lines.push(line);
        if (lines.length > OUTPUT_KEPT) lines.shift();
      }
    };
    proc.stdout!.on('data', onChunk);
    proc.stderr!.on('data', onChunk);
    const spawnError = new Promise<Error>((resolve) => proc.once('error', resolve));
    const exited = exitOf(proc);
    const output = () => [...lines, partial].filter(Boolean).join('\n').slice(-3000);
    const child: Child = {
      pid: proc.pid ?? -1,
      label,
      cpuMs: () => (proc.pid === undefined ? 0 : processCpuMs(proc.pid)),
      output,
      warnings: () => ({ ...warned }),
      assertRunning() {
        if (proc.exitCode !== null || proc.signalCode !== null)
          throw new Error(`${label} exited (code ${proc.exitCode}, signal ${proc.signalCode}) mid-run; its output:\n${output()}`);
      },
      stop: (graceMs = 8_000) => endGroup(proc, exited, graceMs),
    };
    this.children.add(child);

    const deadline = Date.now() + (options.timeoutMs ?? 90_000);
    try {
      for (;;) {
        if (proc.pid === undefined) throw new Error(`${label} could not be spawned: ${(await spawnError).message}`);
        if (proc.exitCode !== null || proc.signalCode !== null)
          throw new Error(`${label} exited (code ${proc.exitCode}, signal ${proc.signalCode}) before it was ready; its output:\n${output()}`);
        if (matcher ? readyLine : await (options.ready as { check: () => Promise<boolean> }).check().catch(() => false)) return child;
        if (Date.now() > deadline) throw new Error(`${label} not ready after ${(options.timeoutMs ?? 90_000) / 1000} s; its output:\n${output()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } catch (error) {
      await child.stop(2_000);
      this.children.delete(child);
      throw error;
    }
  }

  /** Ends these children (all at once) and forgets them. */
  async stop(children: Child[]): Promise<void> {
    await Promise.all(children.map((c) => c.stop()));
    for (const c of children) this.children.delete(c);
  }

  /** Ends every child still running; nothing starts after this. */
  async close(): Promise<void> {
    this.closed = true;
    await this.stop([...this.children]);
  }
}

function exitOf(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve();
    else proc.once('exit', () => resolve());
    proc.once('error', () => resolve()); // never spawned: there is nothing to wait for
  });
}

async function endGroup(proc: ChildProcess, exited: Promise<void>, graceMs: number): Promise<void> {
  if (proc.pid === undefined) return;
  const group = -proc.pid;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(group, name);
    } catch {
      // The group is gone already.
    }
  };
  signal('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
  // Even after a clean exit: anything the child started in its group goes too.
  signal('SIGKILL');
  await exited;
}
