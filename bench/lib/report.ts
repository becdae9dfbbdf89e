import os from 'node:os';
import type { BenchContext, Metrics, ScenarioKind } from './types.js';

export interface ScenarioResult {
  name: string;
  kind: ScenarioKind;
  description?: string;
  baseline: string | null;
  status: 'ok' | 'invalid' | 'failed';
  reason?: string;
  metrics: Record<string, number>;
  compare: string[];
  /** scenario ÷ baseline for each compared metric; null when the baseline has no valid figure. */
  ratios: Record<string, number | null>;
  wallMs: number;
  /** Host load when the scenario started: a busy neighbour skews its ratio. */
  loadAvg1m: number;
  /** Baselines with dependents run before and after them: each run's figures… */
  runs?: Record<string, number>[];
  /** …and last ÷ first − 1 per compared metric: how much the machine moved meanwhile. */
  drift?: Record<string, number>;
}

/** Beyond this the headline drift of a baseline marks its dependents' ratios as suspect. */
export const DRIFT_WARNING = 0.1;

export interface Report {
  machine: Record<string, string | number>;
  settings: Pick<BenchContext, 'quick' | 'http' | 'queue'>;
  scenarios: ScenarioResult[];
}

export const loadAvg = () => Math.round(os.loadavg()[0]! * 100) / 100;

export function machineInfo(): Record<string, string | number> {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAvg1m: loadAvg(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    nodeOptions: process.env.NODE_OPTIONS ?? '',
    date: new Date().toISOString(),
  };
}

export function toResult(
  meta: { name: string; kind: ScenarioKind; baseline?: string | undefined; description?: string | undefined },
  outcome: { metrics?: Metrics; error?: unknown },
  wallMs: number,
  loadAvg1m: number,
): ScenarioResult {
  const m = outcome.metrics;
  const status = outcome.error ? 'failed' : m?.invalid ? 'invalid' : 'ok';
  const reason = outcome.error ? errorText(outcome.error) : m?.invalid;
  return {
    name: meta.name,
    kind: meta.kind,
    ...(meta.description ? { description: meta.description } : {}),
    baseline: meta.baseline ?? null,
    status,
    ...(reason ? { reason } : {}),
    metrics: Object.fromEntries(Object.entries(m?.values ?? {}).map(([k, v]) => [k, round3(v)])),
    compare: m?.compare ?? [],
    ratios: {},
    wallMs: Math.round(wallMs),
    loadAvg1m,
  };
}

/** One result from a baseline's runs: mean figures, worst status, drift between first and last. */
export function mergeRuns(runs: ScenarioResult[]): ScenarioResult {
  const [first, ...rest] = runs;
  if (!first || rest.length === 0) return first!;
  const last = rest[rest.length - 1]!;
  const worst = runs.find((r) => r.status === 'failed') ?? runs.find((r) => r.status === 'invalid') ?? first;
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))];
  const mean = (key: string) => {
    const xs = runs.map((r) => r.metrics[key]).filter((x): x is number => x !== undefined);
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  const reasons = runs.map((r, i) => r.reason && `run ${i + 1}: ${r.reason}`).filter(Boolean);
  const drift: Record<string, number> = {};
  for (const key of first.compare) {
    const a = first.metrics[key];
    const b = last.metrics[key];
    if (a && b !== undefined) drift[key] = round3(b / a - 1);
  }
  return {
    ...first,
    status: worst.status,
    ...(reasons.length ? { reason: reasons.join('; ') } : {}),
    metrics: Object.fromEntries(keys.map((k) => [k, round3(mean(k))])),
    wallMs: runs.reduce((a, r) => a + r.wallMs, 0),
    runs: runs.map((r) => r.metrics),
    drift,
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

function errorText(err: unknown): string {
  if (err instanceof AggregateError) return err.errors.map(errorText).join('; ');
  return err instanceof Error ? err.message : String(err);
}

/** Ratios only against a baseline that ran cleanly in this same process. */
export function computeRatios(results: ScenarioResult[]): void {
  const byName = new Map(results.map((r) => [r.name, r]));
  for (const r of results) {
    if (!r.baseline) continue;
    const base = byName.get(r.baseline);
    for (const key of r.compare) {
      const a = r.metrics[key];
      const b = base?.status === 'ok' ? base.metrics[key] : undefined;
      r.ratios[key] = r.status === 'ok' && a !== undefined && b ? round3(a / b) : null;
    }
  }
}

const LABELS: Record<string, string> = {
  reqPerSec: 'req/s',
  latencyP50Ms: 'p50 ms',
  latencyP99Ms: 'p99 ms',
  non2xx: 'non-2xx',
  jobsPerSec: 'jobs/s',
  elapsedMs: 'elapsed ms',
  failed: 'failed jobs',
};
const SHOWN = ['reqPerSec', 'latencyP50Ms', 'latencyP99Ms', 'non2xx', 'jobsPerSec', 'elapsedMs', 'failed'];

const fmt = (n: number | undefined | null, digits = 0) =>
  n === undefined || n === null ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const digitsFor = (key: string) => (key.startsWith('ratio') || (key.endsWith('Ms') && key !== 'elapsedMs') ? 2 : 0);

export function markdownTable(report: Report): string {
  const byName = new Map(report.scenarios.map((r) => [r.name, r]));
  const rows = ['| scenario | metric | value | baseline | ratio |', '|---|---|---:|---:|---:|'];
  for (const r of report.scenarios) {
    const tag = r.status === 'ok' ? r.name : `${r.name} **${r.status.toUpperCase()}**`;
    if (Object.keys(r.metrics).length === 0) {
      rows.push(`| ${tag} | — | — | ${r.baseline ?? '—'} | — |`);
      continue;
    }
    const base = r.baseline ? byName.get(r.baseline) : undefined;
    // Custom scenarios with no baseline show every figure they measured.
    const shown = r.kind === 'custom' && !r.baseline ? Object.keys(r.metrics) : SHOWN.filter((k) => k in r.metrics);
    for (const key of shown) {
      const baseCell = r.baseline ? `${fmt(base?.metrics[key], digitsFor(key))} (${r.baseline})` : r.kind === 'custom' ? '—' : '(baseline)';
      const ratio = key in r.ratios ? fmt(r.ratios[key], 2) : '';
      rows.push(`| ${tag} | ${LABELS[key] ?? key} | ${fmt(r.metrics[key], digitsFor(key))} | ${baseCell} | ${ratio} |`);
    }
  }
  const problems = report.scenarios.filter((r) => r.reason).map((r) => `- **${r.name}** ${r.status}: ${r.reason}`);
  for (const r of report.scenarios) {
    const key = r.compare[0];
    const d = key ? r.drift?.[key] : undefined;
    if (d === undefined) continue;
    const pct = `${d >= 0 ? '+' : ''}${(d * 100).toFixed(0)} %`;
    problems.push(
      Math.abs(d) > DRIFT_WARNING
        ? `- **${r.name}** ${LABELS[key!] ?? key} moved ${pct} between its runs before and after its dependents: the machine was busy, their ratios are suspect; rerun`
        : `- ${r.name} ${LABELS[key!] ?? key} drift between its runs: ${pct} (shown: mean of both)`,
    );
  }
  const m = report.machine;
  const header =
    `Bench ${m.date} — ${m.cpus} × ${m.cpuModel}, Node ${m.node}${m.nodeOptions ? ` (NODE_OPTIONS ${m.nodeOptions})` : ''}, ` +
    (report.settings.quick ? 'quick mode' : 'full mode') +
    `, load avg ${m.loadAvg1m} at start` +
    `. Ratio = scenario ÷ baseline, same process (throughput: higher is better; latency: lower is better).`;
  return [header, '', ...rows, ...(problems.length ? ['', ...problems] : []), ''].join('\n');
}
