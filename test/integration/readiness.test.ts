import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addJobs } from '../../src/queue/producer.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { disposableRedis, type DisposableRedis } from '../helpers/redis-server.js';
import { eventually, waitFor } from '../helpers/wait.js';

let redis: DisposableRedis;
let ctx: TestContext;

beforeAll(async () => {
  redis = await disposableRedis();
  await redis.start();
  ctx = await createTestContext({ REDIS_URL: redis.url });
});
afterAll(async () => {
  await ctx.close().catch(() => {});
  await redis.stop();
});

const api = () => request(ctx.app.server);

describe('liveness and readiness', () => {
  it('is live and ready when Postgres and Redis answer', async () => {
    expect((await api().get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await api().get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', checks: { postgres: { ok: true }, redis: { ok: true } } });
  });

  it('turns 503 when Redis stops, producers fail fast, and recovers when it is back', async () => {
    await redis.stop();
    const notReady = await api().get('/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.headers['content-type']).toMatch(/problem\+json/);
    expect(notReady.body).toMatchObject({
      code: 'service_unavailable',
      checks: { postgres: { ok: true }, redis: { ok: false } },
    });
    // Liveness does not depend on Redis: restarting the process would not help.
    expect((await api().get('/healthz')).status).toBe(200);

    // An enqueue while Redis is down is refused at once with a 503-class error, not left hanging.
    const add = addJobs(ctx.deps.queues, [{ queue: 'maintenance', name: 'purge', payload: { task: 'purge-idempotency-records' }, jobId: 'while-down' }]);
    await expect(add).rejects.toMatchObject({ code: 'service_unavailable', status: 503 });

    await redis.start();
    await eventually(async () => (await api().get('/readyz')).status).toBe(200);
  });
});

describe('readiness without Postgres', () => {
  it('turns 503 naming postgres when the database cannot be reached', async () => {
    const noDb = await createTestContext({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nowhere' });
    try {
      // Redis is there but its connection may still be opening on a busy machine: once it answers,
      // Postgres alone is named.
      const res = await waitFor(
        () => request(noDb.app.server).get('/readyz'),
        (r) => r.body.checks?.redis?.ok === true,
        { what: 'Redis to answer the readiness check' },
      );
      expect(res.status).toBe(503);
      expect(res.body.checks).toMatchObject({ postgres: { ok: false, error: 'unreachable' }, redis: { ok: true } });
      // An authenticated call needs the database: 503, not a 500.
      const call = await request(noDb.app.server)
        .get('/v1/organization')
        .set('authorization', `Bearer hb_live_${'a'.repeat(43)}`);
      expect(call.status).toBe(503);
      expect(call.body.code).toBe('service_unavailable');
    } finally {
      await noDb.close();
    }
  });
});

describe('Redis down from the start', () => {
  it('refuses enqueues at once and still answers /metrics, reporting the source down', async () => {
    const down = await disposableRedis(); // never started: nothing listens on its port
    const noRedis = await createTestContext({ REDIS_URL: down.url });
    try {
      const add = addJobs(noRedis.deps.queues, [{ queue: 'maintenance', name: 'purge', payload: { task: 'purge-idempotency-records' }, jobId: 'never' }]);
      await expect(add).rejects.toMatchObject({ code: 'service_unavailable' });
      const metrics = await request(noRedis.app.server).get('/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.text).toContain('hearback_metrics_source_up{source="redis"} 0');
      expect(metrics.text).toContain('hearback_metrics_source_up{source="postgres"} 1');
      expect((await request(noRedis.app.server).get('/readyz')).status).toBe(503);
    } finally {
      await noRedis.close();
    }
  });
});
