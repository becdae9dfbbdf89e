import pg from 'pg';
import { startPostmarkServer, type PostmarkFake } from '../../test/postmark/server.js';
import { seedApprovedMessages } from '../../test/helpers/seed-messages.js';
import { benchDeps, type BenchApp } from '../lib/app.js';
import { loadAvg } from '../lib/report.js';
import { compiledEntry } from '../lib/image.js';
import { ChildSet } from '../lib/processes.js';
import { childEnv, cpuWindow, phaseFigures, scalingRatio, until } from '../lib/scaling.js';
import { defineScenario, type Metrics } from '../lib/types.js';

// Approved messages (10,000; quick 2,000) delivered to the local Postmark server (p50 35 ms, as in
// delivery-10k) by real worker processes (workers/main.ts): one process, two, then one again
// (the 2÷1 ratio uses the mean of the two one-process runs; their gap is the drift). Then one
// process at DELIVERY_BATCH_SIZE 50, 100 and 250 (500 is the one-process run): messages/s and
// the workers' CPU per message. Each phase has its own organization, seeded in setup and held
// back (send_at tomorrow) until its workers are all ready, so the clock starts when the work
// becomes due, not when a process boots.
const SIZE = { full: 10_000, quick: 2_000 };
const LATENCY = { p50Ms: 35, p99Ms: 200 };
const CONCURRENCY = 8;
const PHASES = [
  { key: 'procs1', processes: 1, batch: 500 },
  { key: 'procs2', processes: 2, batch: 500 },
  { key: 'procs1Again', processes: 1, batch: 500 },
  { key: 'batch50', processes: 1, batch: 50 },
  { key: 'batch100', processes: 1, batch: 100 },
  { key: 'batch250', processes: 1, batch: 250 },
] as const;

interface State {
  fake: PostmarkFake;
  bench: BenchApp;
  pool: pg.Pool;
  children: ChildSet;
  count: number;
  phases: { key: string; processes: number; batch: number; organizationId: string; domain: string }[];
}

export default defineScenario<State>({
  name: 'scaling-delivery',
  kind: 'custom',
  description: 'delivery by 1 and 2 worker processes (messages/s, 2÷1), then CPU per message as DELIVERY_BATCH_SIZE moves',
  // Seeding six sets of 10,000, and six deliveries with process start-ups: on a machine shared
  // with other work delivery has run at ~100 messages/s, so a full run can take 10 minutes; a
  // phase not done in 3 minutes (quick: 2) is given up as invalid and the next one runs.
  limits: { setupMs: 300_000, runMs: 1_500_000 },
  async setup(ctx) {
    const fake = await startPostmarkServer();
    fake.faults.setLatency(LATENCY);
    const bench = await benchDeps(ctx, 'scaling-delivery', 4).catch(async (error) => {
      await fake.close();
      throw error;
    });
    const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: 2 });
    const children = new ChildSet();
    const count = ctx.quick ? SIZE.quick : SIZE.full;
    const state: State = { fake, bench, pool, children, count, phases: [] };
    try {
      for (const phase of PHASES) {
        const { organization } = await bench.deps.organizations.createOrganization(`Bench scaling ${phase.key}`);
        await bench.deps.db.organization.update({
          where: { id: organization.id },
          data: { undoWindowMinutes: 0, sendHourStart: 0, sendHourEnd: 24, sendWeekdaysOnly: false, hoursAfterInterview: 0 },
        });
        await bench.deps.sendingSetup.setPostmark({ organizationId: organization.id, actor: 'bench' }, { serverToken: 'bench-token-0001', senderEmail: 'talent@bench.test' });
        const domain = `${phase.key.toLowerCase()}-${Date.now()}.test`;
        await seedApprovedMessages(ctx.databaseUrl, {
          organizationId: organization.id,
          count,
          publicBaseUrl: bench.config.PUBLIC_BASE_URL,
          linkSecret: bench.config.ENCRYPTION_KEY,
          domain,
        });
        // Not due until its phase releases it (no worker runs yet, so nothing took them).
        await pool.query(`UPDATE messages SET send_at = now() + interval '1 day' WHERE organization_id = $1 AND status = 'approved'`, [organization.id]);
        state.phases.push({ ...phase, organizationId: organization.id, domain });
      }
    } catch (error) {
      await teardown(state);
      throw error;
    }
    return state;
  },
  async run({ fake, bench, pool, children, count, phases }, ctx): Promise<Metrics> {
    const values: Record<string, number> = { messages: count, concurrencyPerProcess: CONCURRENCY };
    const problems: string[] = [];
    const perSec: Record<string, number> = {};
    const workersEntry = await compiledEntry('workers/main.ts');
    for (const phase of phases) {
      const env = childEnv(ctx, bench.config.REDIS_PREFIX, {
        LOG_LEVEL: 'info',
        POSTMARK_API_URL: fake.url,
        DELIVERY_POLL_MS: '50',
        DELIVERY_CONCURRENCY: String(CONCURRENCY),
        DELIVERY_BATCH_SIZE: String(phase.batch),
      });
      const workers = await Promise.all(
        Array.from({ length: phase.processes }, (_, i) =>
          children.start(`workers ${phase.key}#${i + 1}`, workersEntry, { env, ready: { line: (line) => line.includes('"msg":"workers started"') } }),
        ),
      );
      try {
        await pool.query(`UPDATE messages SET send_at = now() WHERE organization_id = $1 AND status = 'approved'`, [phase.organizationId]);
        const stop = cpuWindow(workers);
        const sent = async () =>
          (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE organization_id = $1 AND status = 'sent'`, [phase.organizationId])).rows[0]!.n;
        const done = await until(
          async () => (await sent()) >= count,
          () => workers.forEach((w) => w.assertRunning()),
          ctx.quick ? 120_000 : 180_000,
        );
        const window = stop();
        const warnings = workers.map((w) => w.warnings());
        values[`${phase.key}WorkerWarnings`] = warnings.reduce((n, w) => n + w.count, 0);
        const lastWarning = warnings.find((w) => w.last)?.last;
        if (lastWarning) ctx.log(`${phase.key}: the workers logged ${values[`${phase.key}WorkerWarnings`]} warning(s), the last: ${lastWarning}`);
        if (!done) problems.push(`${phase.key}: ${await sent()} of ${count} sent in time${lastWarning ? ` (a worker logged: ${lastWarning})` : ''}`);
        const received = fake.messages().filter((m) => (m.Addresses.To[0]?.Email ?? '').endsWith(`@${phase.domain}`));
        const recipients = new Set(received.map((m) => m.Addresses.To[0]!.Email));
        if (received.length !== count || recipients.size !== count)
          problems.push(`${phase.key}: Postmark received ${received.length} for ${recipients.size} recipients, expected ${count}`);
        const figures = phaseFigures(phase.key, count, window);
        Object.assign(values, figures);
        perSec[phase.key] = figures[`${phase.key}PerSec`]!;
        ctx.log(`${phase.key}: ${perSec[phase.key]} messages/s with ${phase.processes} process(es), batch ${phase.batch}`);
      } finally {
        await children.stop(workers);
      }
      fake.reset();
      fake.faults.setLatency(LATENCY);
    }
    Object.assign(values, scalingRatio('delivery', perSec.procs1!, perSec.procs2!, perSec.procs1Again!));
    values.loadAvg1mAtEnd = loadAvg();
    return { values, compare: [], ...(problems.length ? { invalid: problems.join('; ') } : {}) };
  },
  teardown,
});

async function teardown({ fake, bench, pool, children }: State) {
  try {
    await children.close();
  } finally {
    await pool.end();
    await bench.close();
    await fake.close();
  }
}
