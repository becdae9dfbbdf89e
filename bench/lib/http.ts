import { Worker } from 'node:worker_threads';
import type autocannon from 'autocannon';
import type { FastifyInstance } from 'fastify';
import type { BenchContext, HttpSettings, Metrics, Scenario } from './types.js';

export interface HttpRequestSpec {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  /** Objects are sent as JSON. */
  body?: string | object;
  /**
   * Replace every `[<id>]` in body and headers with a fresh random id per
   * request, e.g. a unique email or idempotency key so inserts neither collide
   * nor dedupe. (A setupRequest function cannot cross into the load thread.)
   */
  idReplacement?: boolean;
  /**
   * More paths to take in turn after `path` (each connection cycles through them all): spreads
   * the load over many records, so what is measured is not one row kept hot.
   */
  morePaths?: string[];
}

export interface HttpTarget {
  app: FastifyInstance;
  /** Extra cleanup after app.close(): pools, redis clients, queues. */
  close?: () => Promise<void>;
  /** Overrides the scenario's `request`, for anything known only after build (an API key). */
  request?: HttpRequestSpec;
}

interface HttpState extends HttpTarget {
  url: string;
  request: HttpRequestSpec;
}

interface RunSummary {
  requests: number;
  duration: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count?: number }>;
}
type LoadReply = { warm: RunSummary; measured: RunSummary; latencies: Float64Array } | { error: string };

/** Port 0 so parallel checkouts and a running dev server never collide. */
export async function listenLocal(app: FastifyInstance): Promise<string> {
  return app.listen({ host: '127.0.0.1', port: 0 });
}

function toAutocannonRequest(spec: HttpRequestSpec): autocannon.Request {
  const headers = { ...spec.headers };
  const req: autocannon.Request = { method: spec.method ?? 'GET', path: spec.path, headers };
  if (typeof spec.body === 'string') req.body = spec.body;
  else if (spec.body !== undefined) {
    req.body = JSON.stringify(spec.body);
    headers['content-type'] ??= 'application/json';
  }
  return req;
}

// A single request first: a 401/404/500 is then reported with its body,
// instead of as 50,000 anonymous non-2xx responses.
async function preflight(url: string, req: autocannon.Request, idReplacement: boolean): Promise<string | undefined> {
  const fill = (s: string) => (idReplacement ? s.replaceAll('[<id>]', `preflight${Date.now()}`) : s);
  const headers = Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k, fill(String(v))]));
  const res = await fetch(new URL(req.path ?? '/', url), {
    method: req.method ?? 'GET',
    headers,
    body: typeof req.body === 'string' ? fill(req.body) : undefined,
  });
  if (res.ok) return undefined;
  const text = await res.text();
  return `preflight ${req.method} ${req.path} → ${res.status}: ${text.slice(0, 300)}`;
}

function generateLoad(url: string | string[], requests: autocannon.Request[], idReplacement: boolean, settings: HttpSettings) {
  return new Promise<Exclude<LoadReply, { error: string }>>((resolve, reject) => {
    const worker = new Worker(new URL('./load-worker.mjs', import.meta.url), {
      workerData: { url, requests, idReplacement, ...settings },
    });
    worker.once('message', (reply: LoadReply) => {
      if ('error' in reply) reject(new Error(`load generator: ${reply.error}`));
      else resolve(reply);
      void worker.terminate(); // its sockets are closed; don't wait for a lingering timer
    });
    worker.once('error', reject);
    // After a settled promise this is a no-op; before one, the thread died without replying.
    worker.once('exit', (code) => reject(new Error(`load generator exited with code ${code} before replying`)));
  });
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Warm-up, then the measured run. With several URLs (one server per port) autocannon shares the
 * connections among them in turn, like a load balancer in front of them.
 */
export async function loadTest(url: string | string[], spec: HttpRequestSpec, settings: HttpSettings): Promise<Metrics> {
  const compare = ['reqPerSec', 'latencyP50Ms', 'latencyP99Ms'];
  const req = toAutocannonRequest(spec);
  const idReplacement = spec.idReplacement ?? false;
  for (const target of [url].flat()) {
    const refused = await preflight(target, req, idReplacement);
    if (refused) return { values: {}, compare, invalid: refused };
  }

  const requests = [req, ...(spec.morePaths ?? []).map((path) => ({ ...req, path }))];
  const { warm, measured: r, latencies } = await generateLoad(url, requests, idReplacement, settings);
  const values = {
    reqPerSec: r.requests / r.duration,
    latencyP50Ms: percentile(latencies, 50),
    latencyP99Ms: percentile(latencies, 99),
    requests: r.requests,
    warmRequests: warm.requests,
    non2xx: r.non2xx + warm.non2xx,
    errors: r.errors + warm.errors,
    timeouts: r.timeouts + warm.timeouts,
  };
  const problems = [
    values.non2xx && `${values.non2xx} non-2xx (status counts ${JSON.stringify(r.statusCodeStats)})`,
    values.errors && `${values.errors} connection errors (${values.timeouts} timeouts)`,
  ].filter(Boolean);
  return problems.length ? { values, compare, invalid: problems.join('; ') } : { values, compare };
}

/**
 * Everything an HTTP scenario needs besides the app itself: listen on an
 * ephemeral port, warm up, measure, close. `build` returns a Fastify instance
 * that is not listening yet (the shape buildApp() produces).
 */
export function httpScenario(def: {
  name: string;
  baseline?: string;
  description?: string;
  build(ctx: BenchContext): Promise<HttpTarget>;
  request?: HttpRequestSpec;
}): Scenario<HttpState> {
  return {
    name: def.name,
    kind: 'http',
    baseline: def.baseline,
    description: def.description,
    async setup(ctx) {
      const target = await def.build(ctx);
      try {
        const request = target.request ?? def.request;
        if (!request) throw new Error(`${def.name}: no request given by the scenario or by build()`);
        const url = await listenLocal(target.app);
        return { ...target, url, request };
      } catch (err) {
        await target.app.close();
        await target.close?.();
        throw err;
      }
    },
    run: (state, ctx) => loadTest(state.url, state.request, ctx.http),
    async teardown(state) {
      try {
        await state.app.close();
      } finally {
        await state.close?.();
      }
    },
  };
}
