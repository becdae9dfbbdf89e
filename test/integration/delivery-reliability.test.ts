// Exactly once under failure, counted at the (local) Postmark server: a worker killed mid-send,
// Redis and Postgres restarted mid-run, 429/503 storms. Real processes, real restarts.
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { applyMigrations } from '../../src/db/migrations.js';
import { createDeps } from '../../src/deps.js';
import { startDispatcher } from '../../src/modules/delivery/dispatcher.js';
import { projectHandlers } from '../../workers/handlers.js';
import { startWorkers } from '../../src/queue/workers.js';
import { createTestContext, deleteRedisPrefix, REDIS_URL, type TestContext } from '../helpers/context.js';
import { sql } from '../helpers/database.js';
import { setUpSending, startDelivery } from '../helpers/delivery.js';
import { createOrganization, type TestOrganization } from '../helpers/factories.js';
import { disposablePostgres } from '../helpers/postgres-server.js';
import { startProcess } from '../helpers/process.js';
import { waitFor, waitForQuiet } from '../helpers/wait.js';
import { disposableRedis } from '../helpers/redis-server.js';
import { seedApprovedMessages } from '../helpers/seed-messages.js';
import { startPostmarkServer, type PostmarkFake } from '../postmark/server.js';

const REALISTIC_LATENCY = { p50Ms: 35, p99Ms: 200 };
/**
 * Fast retries and reconciliation, so a test sees many rounds. Postmark's timeout stays long: on
 * a loaded machine a batch of 500 can take seconds to be answered, and a timeout there would be
 * the test's doing (every batch "unknown", searched, sent again), not the fault under test.
 */
const FAST_RECOVERY = {
  OUTBOX_POLL_MS: '50',
  DELIVERY_POLL_MS: '100',
  POSTMARK_TIMEOUT_MS: '15000',
  DELIVERY_STALE_MS: '2000',
  DELIVERY_RECONCILE_DELAY_MS: '300',
  DELIVERY_RETRY_BASE_MS: '100',
  DELIVERY_MAX_ATTEMPTS: '30',
};
/** A claim older than any request could be is abandoned (createDeliveryService's claimTimeoutMs). */
const CLAIM_TIMEOUT_MS = Math.max(Number(FAST_RECOVERY.DELIVERY_STALE_MS), Number(FAST_RECOVERY.POSTMARK_TIMEOUT_MS) + 5_000);

let fake: PostmarkFake;
beforeAll(async () => {
  fake = await startPostmarkServer();
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

/** Every recipient got exactly one email: counted at the Postmark server. */
function expectExactlyOnce(recipients: string[]) {
  const wanted = new Set(recipients);
  const counts = new Map<string, number>();
  for (const m of fake.messages()) {
    const to = m.Addresses.To[0]?.Email ?? '';
    if (wanted.has(to)) counts.set(to, (counts.get(to) ?? 0) + 1);
  }
  const twice = [...counts].filter(([, n]) => n > 1);
  expect(twice, 'recipients who got more than one email').toEqual([]);
  expect(counts.size, 'recipients who got an email').toBe(recipients.length);
}

/** How many of these messages are in each state, with their attempts: any change is progress. */
const states = async (url: string, ids: string[]) => {
  const rows = await sql<{ status: string; n: number; attempts: number }>(
    url,
    `SELECT status, count(*)::int AS n, sum(send_attempts)::int AS attempts FROM messages WHERE id = ANY($1::uuid[]) GROUP BY status ORDER BY status`,
    [ids],
  );
  return Object.fromEntries(rows.map((r) => [r.status, { n: r.n, attempts: r.attempts }])) as Record<string, { n: number; attempts: number } | undefined>;
};

/**
 * True while none of these messages is due: each waits for a retry or a reconciliation set for
 * later (a backoff), or is out at Postmark on a claim that has not gone stale.
 */
const resting = async (url: string, ids: string[]) =>
  (
    await sql(
      url,
      `SELECT 1 FROM messages WHERE id = ANY($1::uuid[]) AND (
         (status IN ('approved', 'scheduled', 'unknown') AND (next_attempt_at IS NULL OR next_attempt_at <= now()))
         OR (status = 'sending' AND sending_at <= now() - $2 * interval '1 millisecond')) LIMIT 1`,
      [ids, CLAIM_TIMEOUT_MS],
    )
  ).length === 0;

/** Delivery at work: messages moving, Postmark asked (sends, searches), or a backoff running. */
const deliveryPatience = (url: string, ids: string[], what: string) => ({
  what,
  progress: async () => [fake.requests(), await states(url, ids)],
  resting: () => resting(url, ids),
});

const everySent = (url: string, ids: string[]) =>
  waitFor(
    () => states(url, ids),
    (now) => now.sent?.n === ids.length,
    deliveryPatience(url, ids, 'every message to be sent'),
  );

const emailsArrived = (url: string, ids: string[], count: number, what: string) =>
  waitFor(
    () => fake.messages().length,
    (n) => n >= count,
    deliveryPatience(url, ids, what),
  );

/** Until Postmark has heard nothing for a while: an outage has been felt. */
const sendingStalls = () => waitForQuiet(() => fake.requests(), { checks: 20 });

describe('delivery under failure', () => {
  let ctx: TestContext;
  let org: TestOrganization;
  beforeAll(async () => {
    ctx = await createTestContext({ POSTMARK_API_URL: fake.url, ...FAST_RECOVERY });
    org = await createOrganization(ctx.deps);
    await setUpSending(ctx, org);
  });
  afterAll(() => ctx.close());

  const seed = (count: number) =>
    seedApprovedMessages(ctx.database.url, { organizationId: org.id, count, publicBaseUrl: ctx.config.PUBLIC_BASE_URL, linkSecret: ctx.config.ENCRYPTION_KEY });

  it('a worker killed (SIGKILL) in the middle of 10,000 sends: after a restart everyone has exactly one email', async () => {
    fake.faults.setLatency(REALISTIC_LATENCY);
    const { ids, recipients } = await seed(10_000);
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: ctx.database.url,
      REDIS_URL,
      REDIS_PREFIX: ctx.config.REDIS_PREFIX,
      PUBLIC_BASE_URL: ctx.config.PUBLIC_BASE_URL,
      POSTMARK_API_URL: fake.url,
      ...FAST_RECOVERY,
    };
    const first = startProcess('workers/main.ts', env);
    try {
      await first.waitForLog((r) => r.msg === 'workers started');
      await emailsArrived(ctx.database.url, ids, 3_000, 'a third of the emails to arrive');
      // Killed while batches are out at Postmark: claimed, never answered, never recorded. From
      // here Postmark holds every batch (past the test's end), so the kill cannot fall between
      // two; a held batch is never read, so it was not accepted, and reconciliation must say so.
      fake.faults.setLatency({ fixedMs: 600_000, path: '/email/batch' });
      // A batch that arrives from now on is held; one already out may still be answered, so the
      // wait is for a new batch (its messages stay `sending`), not for any message in flight.
      const batchesBefore = fake.requests('/email/batch');
      await waitFor(
        () => fake.requests('/email/batch'),
        (n) => n > batchesBefore,
        // Checked often but patiently: on a busy machine the next claim can take seconds to come.
        { what: 'a batch held at Postmark', intervalMs: 5, checks: 4_000 },
      );
    } finally {
      expect((await first.stop('SIGKILL')).signal).toBe('SIGKILL');
    }
    const atKill = await states(ctx.database.url, ids);
    expect(atKill.sending?.n, `messages in flight when the worker died: ${JSON.stringify(atKill)}`).toBeGreaterThan(0);

    fake.faults.setLatency(REALISTIC_LATENCY);
    const second = startProcess('workers/main.ts', env);
    try {
      await everySent(ctx.database.url, ids);
    } finally {
      await second.stop();
    }
    expectExactlyOnce(recipients);
    expect(fake.messages()).toHaveLength(10_000);
    // The kill caught batches in flight (4 at a time): their outcome was unknown until Postmark's
    // search answered, and each was sent once.
    const events = await sql(ctx.database.url, `SELECT type, count(*)::int AS n FROM message_events GROUP BY type`);
    const count = (type: string) => events.find((e) => e.type === type)?.n ?? 0;
    expect(count('unknown')).toBeGreaterThan(0);
    expect(count('sent') + count('reconciled')).toBeGreaterThanOrEqual(10_000);
  });

  it('Redis restarted mid-run (its queued jobs gone): sending resumes, nothing lost, nothing doubled', async () => {
    const redis = await disposableRedis();
    await redis.start();
    const local = await createTestContext({ POSTMARK_API_URL: fake.url, REDIS_URL: redis.url, ...FAST_RECOVERY });
    const localOrg = await createOrganization(local.deps);
    await setUpSending(local, localOrg);
    const { ids, recipients } = await seedApprovedMessages(local.database.url, {
      organizationId: localOrg.id,
      count: 3_000,
      publicBaseUrl: local.config.PUBLIC_BASE_URL,
      linkSecret: local.config.ENCRYPTION_KEY,
    });
    fake.faults.setLatency({ fixedMs: 150 });
    const delivery = await startDelivery(local, 100);
    try {
      await emailsArrived(local.database.url, ids, 500, 'the first emails');
      await redis.stop();
      await sendingStalls();
      expect(fake.messages().length, 'all sent before Redis went down').toBeLessThan(3_000);
      await redis.start();
      await everySent(local.database.url, ids);
    } finally {
      await delivery.stop();
      await local.close();
      await redis.stop();
    }
    expectExactlyOnce(recipients);
  });

  it('429 and 503 storms: backoff, then every message delivered once', async () => {
    const { ids, recipients } = await seed(1_500);
    // The storm starts for sure (the first answers fail), then rages at random.
    fake.faults.failNext(3, 429, { path: '/email/batch', retryAfterSeconds: 0 });
    fake.faults.failNext(3, 503, { path: '/email/batch' });
    fake.faults.failWithProbability(0.4, 429, { path: '/email/batch', retryAfterSeconds: 0 });
    fake.faults.failWithProbability(0.3, 503, { path: '/email/batch' });
    const delivery = await startDelivery(ctx, 100);
    try {
      const maxAttempts = async () => Number((await sql(ctx.database.url, `SELECT max(send_attempts) AS n FROM messages WHERE id = ANY($1::uuid[])`, [ids]))[0]!.n);
      await waitFor(maxAttempts, (n) => n >= 2, deliveryPatience(ctx.database.url, ids, 'the storm to be felt'));
      fake.faults.clear();
      await everySent(ctx.database.url, ids);
    } finally {
      await delivery.stop();
    }
    expectExactlyOnce(recipients);
  });
});

describe('delivery with Postgres restarted mid-run', () => {
  it('resumes after the database comes back: nothing lost, nothing doubled', async () => {
    const postgres = await disposablePostgres();
    await postgres.start();
    const url = postgres.url('hearback');
    await applyMigrations(url);
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: url,
      REDIS_URL,
      REDIS_PREFIX: `test-pg-${randomBytes(5).toString('hex')}`,
      LOG_LEVEL: 'silent',
      PUBLIC_BASE_URL: 'http://localhost:3000',
      POSTMARK_API_URL: fake.url,
      ...FAST_RECOVERY,
    });
    const deps = createDeps(config, { role: 'worker' });
    const logger = pino({ level: 'silent' });
    try {
      const { organization } = await deps.organizations.createOrganization('Restarted');
      await deps.db.organization.update({
        where: { id: organization.id },
        data: { undoWindowMinutes: 0, sendHourStart: 0, sendHourEnd: 24, sendWeekdaysOnly: false, hoursAfterInterview: 0 },
      });
      await deps.sendingSetup.setPostmark({ organizationId: organization.id, actor: 'test' }, { serverToken: 'token-0001', senderEmail: 'talent@restarted.test' });
      const { ids, recipients } = await seedApprovedMessages(url, {
        organizationId: organization.id,
        count: 3_000,
        publicBaseUrl: config.PUBLIC_BASE_URL,
        linkSecret: config.ENCRYPTION_KEY,
      });
      fake.faults.setLatency({ fixedMs: 150 });
      const runtime = await startWorkers({ config, db: deps.db, queues: deps.queues, handlers: projectHandlers(deps), logger, concurrency: { delivery: 4 } });
      const dispatcher = startDispatcher({ delivery: deps.delivery, pollMs: 100, logger });
      try {
        await emailsArrived(url, ids, 500, 'the first emails');
        await postgres.stop();
        await sendingStalls();
        expect(fake.messages().length, 'all sent before Postgres went down').toBeLessThan(3_000);
        await postgres.start();
        await everySent(url, ids);
      } finally {
        await dispatcher.stop();
        await runtime.stop();
      }
      expectExactlyOnce(recipients);
    } finally {
      await deps.close();
      await deleteRedisPrefix(config.REDIS_PREFIX);
      await postgres.destroy();
    }
  });
});
