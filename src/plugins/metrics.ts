// Prometheus metrics at /metrics: HTTP latency, queue depths and job outcomes (read from BullMQ's
// own counters in Redis, so they cover every worker process), and the outbox backlog. They span
// every organization, so only the holder of METRICS_TOKEN reads them.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { AppError } from '../lib/errors.js';
import { withTimeout } from '../lib/timeout.js';
import { MessageStatus } from '../generated/prisma/enums.js';
import type { Queues } from '../queue/producer.js';

/** What the metrics read from the database, given by the composition root (app.ts). */
export interface MetricsReaders {
  /** Outbox rows waiting for the relay, and rows it gave up on. */
  outboxBacklog(): Promise<{ pending: number; failed: number }>;
  /** Messages per status, every organization. */
  messageCounts(): Promise<{ status: string; count: number }[]>;
  /** Seconds the oldest message due for sending has waited (0 when none is late). */
  deliveryLagSeconds(): Promise<number>;
  /** Applications with a final word, still waiting for one, and waiting past their promise (closure report rules). */
  closureCounts(): Promise<{ finalWord: number; waiting: number; overdue: number }>;
}

export interface MetricsPluginOptions {
  readers: MetricsReaders;
  queues: Queues;
  /**
   * Who may read /metrics (every organization's counts): holders of this bearer token; `open`
   * (development and tests); `off` (no route).
   */
  access: { token: string } | 'open' | 'off';
}

/** Bearer token compared in constant time (over digests, so lengths leak nothing either). */
function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match?.[1] ?? ''), digest(token)) && match !== null;
}

const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;
/** A source slower than this is reported down for the scrape rather than holding it. */
const SOURCE_TIMEOUT_MS = 2_000;
/** Scrapes closer together than this reuse the last reading (the counts cost queries). */
const REFRESH_EVERY_MS = 5_000;

export const metricsPlugin = fp<MetricsPluginOptions>(
  async (app: FastifyInstance, { readers, queues, access }) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'hearback_' });

    const httpDuration = new Histogram({
      name: 'hearback_http_request_duration_seconds',
      help: 'HTTP request latency by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });

    const sourcesUp = new Gauge({
      name: 'hearback_metrics_source_up',
      help: '1 when the source answered this scrape, 0 when it did not',
      labelNames: ['source'] as const,
      registers: [registry],
    });
    const queueJobs = new Gauge({
      name: 'hearback_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'] as const,
      registers: [registry],
    });
    const jobsProcessed = new Gauge({
      name: 'hearback_queue_jobs_processed',
      help: 'Jobs processed per queue and outcome since metrics began (BullMQ worker metrics)',
      labelNames: ['queue', 'outcome'] as const,
      registers: [registry],
    });
    const outboxJobs = new Gauge({
      name: 'hearback_outbox_jobs',
      help: 'Outbox rows waiting for the relay (pending) or given up on (failed)',
      labelNames: ['status'] as const,
      registers: [registry],
    });

    const messages = new Gauge({
      name: 'hearback_messages',
      help: 'Messages by status (sent, delivered, bounced, held by a check, failed in delivery, unknown, ...), all organizations',
      labelNames: ['status'] as const,
      registers: [registry],
    });
    const deliveryLag = new Gauge({
      name: 'hearback_delivery_lag_seconds',
      help: 'How long the oldest message due for sending has been waiting (0 when none is late)',
      registers: [registry],
    });

    const applications = new Gauge({
      name: 'hearback_applications',
      help: 'Applications by closure state, all organizations: final_word (told, hired or withdrawn), waiting (no final word yet), overdue (waiting past the promised date; also counted in waiting)',
      labelNames: ['state'] as const,
      registers: [registry],
    });

    let lastRefresh = 0;
    let refreshing: Promise<void> | undefined;
    /** Queue and outbox state, read at most every few seconds, however many scrapers call. */
    function refresh(): Promise<void> {
      if (Date.now() - lastRefresh < REFRESH_EVERY_MS) return Promise.resolve();
      refreshing ??= readSources().finally(() => {
        lastRefresh = Date.now();
        refreshing = undefined;
      });
      return refreshing;
    }

    /** A source that fails or is slow is reported as down, never fatal to the scrape. */
    async function readSources(): Promise<void> {
      const fromRedis = async () => {
        for (const [name, queue] of Object.entries(queues)) {
          const counts = await queue.getJobCounts(...JOB_STATES);
          for (const state of JOB_STATES) queueJobs.set({ queue: name, state }, counts[state] ?? 0);
          for (const outcome of ['completed', 'failed'] as const) {
            const { meta } = await queue.getMetrics(outcome, 0, 0);
            jobsProcessed.set({ queue: name, outcome }, meta.count);
          }
        }
      };
      const fromPostgres = async () => {
        const { pending, failed } = await readers.outboxBacklog();
        outboxJobs.set({ status: 'pending' }, pending);
        outboxJobs.set({ status: 'failed' }, failed);
        const counts = new Map((await readers.messageCounts()).map((row) => [row.status, row.count]));
        for (const status of Object.values(MessageStatus)) messages.set({ status }, counts.get(status) ?? 0);
        deliveryLag.set(await readers.deliveryLagSeconds());
        const closure = await readers.closureCounts();
        applications.set({ state: 'final_word' }, closure.finalWord);
        applications.set({ state: 'waiting' }, closure.waiting);
        applications.set({ state: 'overdue' }, closure.overdue);
      };
      const [redis, postgres] = await Promise.allSettled([
        withTimeout(fromRedis(), SOURCE_TIMEOUT_MS, 'queue metrics'),
        withTimeout(fromPostgres(), SOURCE_TIMEOUT_MS, 'outbox metrics'),
      ]);
      sourcesUp.set({ source: 'redis' }, redis.status === 'fulfilled' ? 1 : 0);
      sourcesUp.set({ source: 'postgres' }, postgres.status === 'fulfilled' ? 1 : 0);
    }

    // A callback hook: an async one costs every request a promise and a turn.
    app.addHook('onResponse', (request, reply, done) => {
      // Unmatched URLs share one label so scanners cannot blow up the series count.
      const route = request.routeOptions.url ?? 'unmatched';
      httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
      done();
    });

    if (access === 'off') return;
    const onRequest = async (request: FastifyRequest, reply: FastifyReply) => {
      if (typeof access === 'object' && !bearerMatches(request.headers.authorization, access.token)) {
        reply.header('www-authenticate', 'Bearer realm="hearback-metrics"');
        throw new AppError('metrics_unauthorized', 'Send the metrics token as `Authorization: Bearer <METRICS_TOKEN>`');
      }
    };
    app.get('/metrics', { schema: { hide: true }, logLevel: 'warn', onRequest }, async (_request, reply) => {
      await refresh();
      return reply.type(registry.contentType).send(await registry.metrics());
    });
  },
  { name: 'metrics' },
);
