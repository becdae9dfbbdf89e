// Benchmark runner: `tsx bench/run.ts [--quick] [--only a,b]`.
// Figures are only meaningful as ratios to baselines measured in this same
// process, on this machine, minutes apart; see bench/README.md.
import { spawn } from 'node:child_process';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { registry } from './scenarios/index.js';
import { applyMigrations } from '../src/db/migrations.js';
import { imageNodeOptions } from './lib/image.js';
import { nodeDyingWithParent } from './lib/processes.js';
import { freshDatabase, prepareTemplate } from './lib/pg.js';
import { computeRatios, loadAvg, machineInfo, markdownTable, mergeRuns, toResult, type Report, type ScenarioResult } from './lib/report.js';
import type { AnyScenario, BenchContext } from './lib/types.js';

const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');

function contextFrom(quick: boolean): BenchContext {
  return {
    quick,
    http: { connections: 50, pipelining: 1, warmupSeconds: quick ? 1 : 3, durationSeconds: quick ? 3 : 10 },
    queue: { jobs: quick ? 5_000 : 20_000, chunkSize: 1_000, concurrency: 50 },
    // The only env reads in bench/: where Postgres and Redis live on this machine.
    databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hearback_bench',
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    log: (message) => process.stderr.write(`[bench] ${message}\n`),
  };
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

type Entry = { name: string; scenario: AnyScenario } | { name: string; loadError: unknown };

/**
 * Selected scenarios plus the baselines they name, baselines first. A scenario
 * whose module fails to import (src/ mid-refactor) becomes a failed entry
 * instead of taking the whole run down.
 */
async function select(only: string | undefined): Promise<Entry[]> {
  const known = Object.keys(registry);
  const wanted = only
    ? only
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : known;
  const unknown = wanted.filter((name) => !registry[name]);
  if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${known.join(', ')}`);

  const load = async (name: string): Promise<Entry> => {
    try {
      const scenario = (await registry[name]!()).default;
      if (scenario.name !== name) throw new Error(`registry key "${name}" loads scenario "${scenario.name}"`);
      return { name, scenario };
    } catch (loadError) {
      return { name, loadError };
    }
  };
  const chosen = new Map<string, Entry>();
  for (const name of wanted) chosen.set(name, await load(name));
  for (const entry of [...chosen.values()]) {
    const base = 'scenario' in entry ? entry.scenario.baseline : undefined;
    if (!base || chosen.has(base)) continue;
    if (!registry[base]) throw new Error(`${entry.name} names baseline "${base}", which is not in the registry`);
    chosen.set(base, await load(base));
  }
  const isBaseline = (e: Entry) => 'scenario' in e && !e.scenario.baseline;
  const order = (e: Entry) => (isBaseline(e) ? 0 : known.length) + known.indexOf(e.name);
  return [...chosen.values()].sort((a, b) => order(a) - order(b));
}

/**
 * Each baseline runs again after its dependents. The pair brackets them in
 * time, so their ratio uses the mean, and the gap between the two runs shows
 * whether a neighbour (a test run, tsc) stole CPU meanwhile.
 */
function plan(entries: Entry[]): Entry[] {
  const baselineOf = (e: Entry) => ('scenario' in e ? e.scenario.baseline : undefined);
  const out: Entry[] = [];
  for (const base of entries.filter((e) => 'scenario' in e && !e.scenario.baseline)) {
    const dependents = entries.filter((e) => baselineOf(e) === base.name);
    out.push(base, ...dependents, ...(dependents.length ? [base] : []));
  }
  return [...out, ...entries.filter((e) => !out.includes(e))];
}

async function runOne(s: AnyScenario, ctx: BenchContext): Promise<ScenarioResult> {
  const started = performance.now();
  const load = loadAvg();
  const runLimitMs = s.kind === 'http' ? (ctx.http.warmupSeconds + ctx.http.durationSeconds + 30) * 1000 : (s.limits?.runMs ?? 120_000);
  let state: unknown;
  let ready = false;
  const outcome: Parameters<typeof toResult>[1] = {};
  try {
    await freshDatabase(ctx.databaseUrl);
    state = await withTimeout(s.setup(ctx), s.limits?.setupMs ?? 30_000, `${s.name} setup`);
    ready = true;
    outcome.metrics = await withTimeout(s.run(state, ctx), runLimitMs, `${s.name} run`);
  } catch (err) {
    outcome.error = err;
  } finally {
    // Teardown runs even after a failed run so servers, pools and queues never leak into the next scenario.
    if (ready) {
      try {
        await withTimeout(s.teardown(state, ctx), 30_000, `${s.name} teardown`);
      } catch (err) {
        outcome.error = outcome.error ? new AggregateError([outcome.error, err]) : err;
      }
    }
  }
  return toResult(s, outcome, performance.now() - started, load);
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
  const ctx = contextFrom(values.quick ?? false);
  const scenarios = await select(values.only);
  const machine = machineInfo();
  await prepareTemplate(ctx.databaseUrl, applyMigrations);

  const runs = new Map<string, ScenarioResult[]>();
  for (const entry of plan(scenarios)) {
    if ('loadError' in entry) {
      const result = toResult({ name: entry.name, kind: 'custom' }, { error: entry.loadError }, 0, loadAvg());
      ctx.log(`${entry.name}: failed to load — ${result.reason}`);
      runs.set(entry.name, [result]);
      continue;
    }
    const s = entry.scenario;
    ctx.log(`${s.name} (${s.kind}${s.baseline ? ` vs ${s.baseline}` : ''}) …`);
    const result = await runOne(s, ctx);
    ctx.log(`${s.name}: ${result.status}${result.reason ? ` — ${result.reason}` : ''} (${(result.wallMs / 1000).toFixed(1)} s)`);
    runs.set(s.name, [...(runs.get(s.name) ?? []), result]);
  }
  const results = [...runs.values()].map(mergeRuns);
  computeRatios(results);

  const report: Report = { machine, settings: { quick: ctx.quick, http: ctx.http, queue: ctx.queue }, scenarios: results };
  const table = markdownTable(report);
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeAtomically(join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeAtomically(join(RESULTS_DIR, 'latest.md'), table);
  process.stdout.write(`\n${table}`);
  return results.every((r) => r.status === 'ok') ? 0 : 1;
}

// A scenario's stray promise must not kill the run and lose every result: log it, fail the run.
let strayRejections = 0;
process.on('unhandledRejection', (reason) => {
  strayRejections++;
  process.stderr.write(`[bench] unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}\n`);
});

/** Set in the run this process starts with the image's options: that run never starts another. */
const RERUN_MARK = 'BENCH_WITH_IMAGE_OPTIONS';

/**
 * The runner measures the app as the image runs it, with the image's NODE_OPTIONS (lib/image.ts):
 * the scenarios that run in this process and their baselines alike. Started without them (`npm
 * run bench`), it runs itself again with them added last (so they win over any given before),
 * and exits as that run does: a run killed by a signal, or one that could not start, exits 2 (the
 * runner failed), as does a Dockerfile without the options.
 */
function withImageOptions(): Promise<number> | undefined {
  if (process.env[RERUN_MARK] === '1') return undefined;
  let options: string;
  try {
    options = imageNodeOptions();
  } catch (error) {
    process.stderr.write(`[bench] ${error instanceof Error ? error.message : String(error)}\n`);
    return Promise.resolve(2);
  }
  // An inspector flag would bind its port twice: pass it in NODE_OPTIONS to debug the run itself.
  const execArgv = process.execArgv.filter((arg) => !arg.startsWith('--inspect'));
  // It dies with this process, as the scenarios' children do.
  const [file, args] = nodeDyingWithParent([...execArgv, ...process.argv.slice(1)]);
  const again = spawn(file, args, {
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${options}`.trim(), [RERUN_MARK]: '1' },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => again.kill(signal));
  return new Promise((resolve) => {
    again.on('error', (error) => {
      process.stderr.write(`[bench] could not run again with the image's NODE_OPTIONS: ${error.message}\n`);
      resolve(2);
    });
    again.on('exit', (code, signal) => {
      if (signal) process.stderr.write(`[bench] the run ended by ${signal}\n`);
      resolve(code ?? 2);
    });
  });
}

const rerun = withImageOptions();
if (rerun) void rerun.then((code) => process.exit(code));
else
  main().then(
    (result) => {
      const code = strayRejections ? 1 : result;
      process.exitCode = code;
      // Every scenario closes what it opened; if a handle still leaks, say so
      // and exit rather than hang CI. unref() keeps this from delaying a clean exit.
      setTimeout(() => {
        process.stderr.write('[bench] event loop still busy 5 s after the last teardown: a scenario leaks a handle\n');
        process.exit(code || 1);
      }, 5_000).unref();
    },
    (err: unknown) => {
      // Only selection (unknown name) and result writing get here; scenario errors are caught per scenario.
      process.stderr.write(`[bench] ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    },
  );
