// A job measured alone in its own process, as a worker or an API instance runs it: what setup
// (seeding 50,000 applications, earlier scenarios) left in the bench process does not count in
// its time or its memory, and the process runs as the image runs the service (compiled, with its
// NODE_OPTIONS: lib/image.ts). The child dies with the bench (parent-death signal) and prints its
// result as its last line of JSON.
import { execFile } from 'node:child_process';
import { compiledEntry, imageNodeOptions } from './image.js';
import { nodeDyingWithParent, REPO_ROOT } from './processes.js';
import type { BenchContext } from './types.js';

/** Runs `bench/lib/<script>` with `args` in a child process and parses the JSON line it prints last. */
export async function runChildJob<T>(ctx: BenchContext, script: string, args: string[], env: Record<string, string> = {}): Promise<T> {
  // BENCH_CHILD_CPU_PROF=<dir>: the child writes a V8 CPU profile there (where a job's time goes).
  const profile = process.env.BENCH_CHILD_CPU_PROF;
  const argv = [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), await compiledEntry(`bench/lib/${script}`), ...args];
  const [file, fileArgs] = nodeDyingWithParent(argv);
  const childEnv = { PATH: process.env.PATH ?? '', NODE_OPTIONS: imageNodeOptions(), BENCH_DATABASE_URL: ctx.databaseUrl, BENCH_REDIS_URL: ctx.redisUrl, ...env };
  return new Promise((resolve, reject) => {
    execFile(file, fileArgs, { cwd: REPO_ROOT, env: childEnv, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${script}: ${error.message}\n${stderr.slice(-2000)}`));
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`${script} printed no result: ${stdout.slice(-2000)}`));
      }
    });
  });
}

/** The process's memory high-water mark so far, in MB (resourceUsage reports kilobytes). */
export const peakRssMB = () => process.resourceUsage().maxRSS / 1024;
