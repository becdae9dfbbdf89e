import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { v7 as uuidv7 } from 'uuid';
import { emitEvents } from '../../src/modules/outgoing-webhooks/events.js';
import { createEndpointsService } from '../../src/modules/outgoing-webhooks/endpoints.service.js';
import { benchDeps, type BenchApp } from '../lib/app.js';
import { compiledEntry } from '../lib/image.js';
import { ChildSet } from '../lib/processes.js';
import { loadAvg } from '../lib/report.js';
import { childEnv, cpuWindow, phaseFigures, scalingRatio, until } from '../lib/scaling.js';
import { defineScenario, type Metrics } from '../lib/types.js';

// Outgoing webhook deliveries (10,000; quick 2,000) to a local receiver by real worker processes
// (workers/main.ts), emitted as webhooks-10k does: with 8 endpoints by 1, 2, then 1 process again
// (2÷1 against the mean of the one-process runs), and with one endpoint by 1 and 2 processes.
// One endpoint has one pump at a time (a Redis lock, at most WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT
// requests in flight) by design, so a second process is expected to add nothing there: it shows
// where more processes help (many endpoints) and where they cannot.
const SIZE = { full: 10_000, quick: 2_000 };
const MANY = 8;
const PHASES = [
  { key: 'many1', processes: 1, endpoints: MANY },
  { key: 'many2', processes: 2, endpoints: MANY },
  { key: 'many1Again', processes: 1, endpoints: MANY },
  { key: 'one1', processes: 1, endpoints: 1 },
  { key: 'one2', processes: 2, endpoints: 1 },
] as const;

/** One receiver for every endpoint: counts distinct deliveries (endpoint path, webhook-id) per phase. */
function receiver() {
  const seen = new Map<string, Set<string>>();
  let requests = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      const phase = (req.url ?? '').split('/')[2] ?? '';
      const ids = seen.get(phase) ?? new Set<string>();
      // webhook-id names the event, the same at every endpoint: a delivery is the pair.
      ids.add(`${req.url} ${String(req.headers['webhook-id'])}`);
      seen.set(phase, ids);
      res.writeHead(204).end();
    });
  });
  return new Promise<{ url: string; received: (phase: string) => number; requests: () => number; close: () => Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        received: (phase) => seen.get(phase)?.size ?? 0,
        requests: () => requests,
        close: () => new Promise((done) => server.close(() => done())),
      }),
    ),
  );
}

interface State {
  bench: BenchApp;
  hooks: Awaited<ReturnType<typeof receiver>>;
  children: ChildSet;
  size: number;
  phases: { key: string; processes: number; endpoints: number; organizationId: string }[];
}

export default defineScenario<State>({
  name: 'scaling-webhooks',
  kind: 'custom',
  description: 'outgoing webhooks by 1 and 2 worker processes, to 8 endpoints and to one (deliveries/s, 2÷1)',
  limits: { setupMs: 60_000, runMs: 900_000 },
  async setup(ctx) {
    const bench = await benchDeps(ctx, 'scaling-webhooks', 4);
    const children = new ChildSet();
    let hooks: State['hooks'] | undefined;
    try {
      hooks = await receiver();
      const endpoints = createEndpointsService({ db: bench.deps.db, sealer: bench.deps.sealer, allowPrivate: true });
      // Earlier runs' endpoints (their receivers are gone) must not compete with these.
      await bench.deps.db.webhookEndpoint.updateMany({ where: { enabled: true }, data: { enabled: false, disabledAt: new Date(), disabledReason: 'bench cleanup' } });
      await bench.deps.db.webhookDelivery.updateMany({ where: { status: 'pending' }, data: { status: 'cancelled', nextAttemptAt: null } });
      const phases: State['phases'] = [];
      for (const phase of PHASES) {
        const { organization } = await bench.deps.organizations.createOrganization(`Bench scaling ${phase.key}`);
        for (let i = 0; i < phase.endpoints; i++) await endpoints.create({ organizationId: organization.id, actor: 'bench' }, { url: `${hooks.url}/hook/${phase.key}/${i}` });
        phases.push({ ...phase, organizationId: organization.id });
      }
      return { bench, hooks, children, size: ctx.quick ? SIZE.quick : SIZE.full, phases };
    } catch (error) {
      await hooks?.close();
      await bench.close();
      throw error;
    }
  },
  async run({ bench, hooks, children, size, phases }, ctx): Promise<Metrics> {
    const values: Record<string, number> = { deliveries: size, endpointsMany: MANY };
    const problems: string[] = [];
    const perSec: Record<string, number> = {};
    const env = childEnv(ctx, bench.config.REDIS_PREFIX, { LOG_LEVEL: 'info', WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
    values.concurrencyPerProcess = bench.config.WEBHOOK_CONCURRENCY;
    values.maxInFlightPerEndpoint = bench.config.WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT;
    const workersEntry = await compiledEntry('workers/main.ts');
    for (const phase of phases) {
      const workers = await Promise.all(
        Array.from({ length: phase.processes }, (_, i) =>
          children.start(`workers ${phase.key}#${i + 1}`, workersEntry, { env, ready: { line: (line) => line.includes('"msg":"workers started"') } }),
        ),
      );
      try {
        const events = Math.ceil(size / phase.endpoints);
        const expected = events * phase.endpoints;
        const stop = cpuWindow(workers);
        // Emitted while the workers run, about 1,000 deliveries a transaction: the same cost in
        // every phase. The long timeout is for a machine busy enough to stretch one past 5 s.
        const chunk = Math.ceil(1_000 / phase.endpoints);
        for (let done = 0; done < events; done += chunk) {
          const batch = Math.min(chunk, events - done);
          await bench.deps.db.$transaction(
            (tx) =>
              emitEvents(
                tx,
                phase.organizationId,
                Array.from({ length: batch }, () => ({
                  type: 'candidate.talent_pool_left' as const,
                  data: { messageId: uuidv7(), applicationId: uuidv7(), candidateId: uuidv7() },
                })),
              ),
            { timeout: 60_000 },
          );
        }
        const done = await until(
          () => hooks.received(phase.key) >= expected,
          () => workers.forEach((w) => w.assertRunning()),
          ctx.quick ? 120_000 : 300_000,
          20,
        );
        const window = stop();
        const warnings = workers.map((w) => w.warnings());
        values[`${phase.key}WorkerWarnings`] = warnings.reduce((n, w) => n + w.count, 0);
        const lastWarning = warnings.find((w) => w.last)?.last;
        if (lastWarning) ctx.log(`${phase.key}: the workers logged ${values[`${phase.key}WorkerWarnings`]} warning(s), the last: ${lastWarning}`);
        if (!done) problems.push(`${phase.key}: the receiver got ${hooks.received(phase.key)} of ${expected}${lastWarning ? ` (a worker logged: ${lastWarning})` : ''}`);
        const figures = phaseFigures(phase.key, expected, window);
        Object.assign(values, figures);
        perSec[phase.key] = figures[`${phase.key}PerSec`]!;
        ctx.log(`${phase.key}: ${perSec[phase.key]} deliveries/s with ${phase.processes} process(es), ${phase.endpoints} endpoint(s)`);
      } finally {
        await children.stop(workers);
      }
    }
    Object.assign(values, scalingRatio('many', perSec.many1!, perSec.many2!, perSec.many1Again!));
    values.ratioOne2To1 = Math.round((perSec.one2! / perSec.one1!) * 100) / 100;
    values.loadAvg1mAtEnd = loadAvg();
    return { values, compare: [], ...(problems.length ? { invalid: problems.join('; ') } : {}) };
  },
  async teardown({ bench, hooks, children, phases }) {
    try {
      await children.close();
      await bench.deps.db.webhookEndpoint.updateMany({
        where: { organizationId: { in: phases.map((p) => p.organizationId) } },
        data: { enabled: false, disabledAt: new Date(), disabledReason: 'bench done' },
      });
    } finally {
      await hooks.close();
      await bench.close();
    }
  },
});
