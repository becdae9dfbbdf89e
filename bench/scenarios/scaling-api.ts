import pg from 'pg';
import { benchDeps, type BenchApp } from '../lib/app.js';
import { loadTest, type HttpRequestSpec } from '../lib/http.js';
import { compiledEntry } from '../lib/image.js';
import { ChildSet, type Child } from '../lib/processes.js';
import { seedRequisition } from '../lib/pg.js';
import { loadAvg } from '../lib/report.js';
import { childEnv, cpuWindow, freePort, phaseFigures, scalingRatio } from '../lib/scaling.js';
import { defineScenario, type Metrics } from '../lib/types.js';

// The API (src/server.ts) in 1 and 2 processes behind the same Postgres and Redis, driven by the
// bench's load generator (one autocannon thread, 50 connections) on GET /v1/requisitions/{id}
// with an API key (a Postgres read each request; GET /v1/organization is answered from memory
// now), beside the fastify-hello route in 1 and 2 processes: each 1, 2, then 1 again (2÷1 against
// the mean of the one-process runs). With two processes each listens on its own port and
// autocannon deals the connections out between them in turn, as a load balancer in front of two
// instances would; src/server.ts listens without reusePort, and a cluster primary would be a
// third process that production does not have. The load generator runs on the same 2 cores, so
// the hello pair shows the machine's own ceiling for two Node servers.
const TARGETS = {
  hello: { entry: 'bench/lib/hello-server.ts', readyPath: '/' },
  api: { entry: 'src/server.ts', readyPath: '/readyz' },
} as const;
const PHASES = [
  { key: 'hello1', target: 'hello', processes: 1 },
  { key: 'hello2', target: 'hello', processes: 2 },
  { key: 'hello1Again', target: 'hello', processes: 1 },
  { key: 'api1', target: 'api', processes: 1 },
  { key: 'api2', target: 'api', processes: 2 },
  { key: 'api1Again', target: 'api', processes: 1 },
] as const;

interface State {
  bench: BenchApp;
  apiKey: string;
  requisitionId: string;
  children: ChildSet;
}

export default defineScenario<State>({
  name: 'scaling-api',
  kind: 'custom',
  description: 'GET /v1/requisitions/{id} and fastify-hello served by 1 and 2 processes on 2 cores shared with the load generator, Postgres and Redis (req/s, 2÷1)',
  // Six load runs (warm-up + measured each) and their process start-ups.
  limits: { runMs: 300_000 },
  async setup(ctx) {
    const bench = await benchDeps(ctx, 'scaling-api', 2);
    try {
      const { organization, secret } = await bench.deps.organizations.createOrganization('Bench scaling api');
      const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: 1 });
      const { requisitionId } = await seedRequisition(pool, organization.id, 'Bench scaling api', 3).finally(() => pool.end());
      return { bench, apiKey: secret, requisitionId, children: new ChildSet() };
    } catch (error) {
      await bench.close();
      throw error;
    }
  },
  async run({ bench, apiKey, requisitionId, children }, ctx): Promise<Metrics> {
    const values: Record<string, number> = { connections: ctx.http.connections, measuredSeconds: ctx.http.durationSeconds };
    const problems: string[] = [];
    const perSec: Record<string, number> = {};
    const requests: Record<keyof typeof TARGETS, HttpRequestSpec> = {
      hello: { method: 'GET', path: '/' },
      api: { method: 'GET', path: `/v1/requisitions/${requisitionId}`, headers: { authorization: `Bearer ${apiKey}` } },
    };
    for (const phase of PHASES) {
      const target = TARGETS[phase.target];
      // Built first: ports picked now are free now, not after a build.
      const entry = await compiledEntry(target.entry);
      const ports = await Promise.all(Array.from({ length: phase.processes }, () => freePort()));
      const servers: Child[] = await Promise.all(
        ports.map((port, i) =>
          children.start(`${phase.target} ${phase.key}#${i + 1}`, entry, {
            args: phase.target === 'hello' ? [String(port)] : [],
            env: phase.target === 'api' ? childEnv(ctx, bench.config.REDIS_PREFIX, { LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port) }) : {},
            ready: { check: async () => (await fetch(`http://127.0.0.1:${port}${target.readyPath}`)).ok },
          }),
        ),
      );
      try {
        const stop = cpuWindow(servers);
        const result = await loadTest(
          ports.map((port) => `http://127.0.0.1:${port}`),
          requests[phase.target],
          ctx.http,
        );
        const window = stop();
        servers.forEach((s) => s.assertRunning());
        if (result.invalid) problems.push(`${phase.key}: ${result.invalid}`);
        const answered = (result.values.requests ?? 0) + (result.values.warmRequests ?? 0);
        const figures = phaseFigures(phase.key, Math.max(answered, 1), window);
        // Throughput and latency from the measured run only (the CPU figures span warm-up and run).
        figures[`${phase.key}PerSec`] = Math.round(result.values.reqPerSec ?? 0);
        figures[`${phase.key}P50Ms`] = result.values.latencyP50Ms ?? Number.NaN;
        figures[`${phase.key}P99Ms`] = result.values.latencyP99Ms ?? Number.NaN;
        Object.assign(values, figures);
        perSec[phase.key] = figures[`${phase.key}PerSec`]!;
        ctx.log(`${phase.key}: ${perSec[phase.key]} req/s with ${phase.processes} process(es)`);
      } finally {
        await children.stop(servers);
      }
    }
    Object.assign(values, scalingRatio('hello', perSec.hello1!, perSec.hello2!, perSec.hello1Again!));
    Object.assign(values, scalingRatio('api', perSec.api1!, perSec.api2!, perSec.api1Again!));
    values.loadAvg1mAtEnd = loadAvg();
    return { values, compare: [], ...(problems.length ? { invalid: problems.join('; ') } : {}) };
  },
  async teardown({ bench, children }) {
    try {
      await children.close();
    } finally {
      await bench.close();
    }
  },
});
