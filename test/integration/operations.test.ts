// /metrics, structured logs with request ids, and the admin CLI.
import { Writable } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { enqueueInTransaction } from '../../src/queue/outbox.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { bearer, createOrganization } from '../helpers/factories.js';
import { runToEnd } from '../helpers/process.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe('/metrics', () => {
  it('exposes HTTP latency by route, queue depths and the outbox backlog in Prometheus format', async () => {
    const org = await createOrganization(ctx.deps);
    await request(ctx.app.server).get('/v1/organization').set(bearer(org.adminKey));
    await request(ctx.app.server).get('/v1/does-not-exist');
    await ctx.deps.db.$transaction((tx) =>
      enqueueInTransaction(tx, [{ queue: 'maintenance', name: 'p', payload: { task: 'purge-idempotency-records' }, jobId: 'm-1' }]),
    );
    await ctx.deps.queues.maintenance.add('p', { task: 'purge-idempotency-records' }, { jobId: 'm-2' });

    const res = await request(ctx.app.server).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/hearback_http_request_duration_seconds_bucket\{le="0.05",method="GET",route="\/v1\/organization",status="200"\} \d+/);
    expect(res.text).toContain('route="unmatched",status="404"');
    expect(res.text).toContain('hearback_queue_jobs{queue="maintenance",state="waiting"} 1');
    expect(res.text).toContain('hearback_outbox_jobs{status="pending"} 1');
    expect(res.text).toMatch(/hearback_queue_jobs_processed\{queue="maintenance",outcome="completed"\} \d+/);
    expect(res.text).toContain('hearback_metrics_source_up{source="redis"} 1');
    expect(res.text).toContain('hearback_process_cpu_seconds_total');
  });
});

describe('logs', () => {
  it('are JSON lines carrying the request id (and never the API key)', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const app = await buildApp({ config: ctx.config, deps: ctx.deps, logger: { level: 'info', stream } });
    try {
      const org = await createOrganization(ctx.deps);
      await request(app.server).get('/v1/organization').set(bearer(org.adminKey)).set('x-request-id', 'trace-42');
      const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      const mine = records.filter((r) => r.requestId === 'trace-42');
      expect(mine.map((r) => r.msg)).toEqual(['incoming request', 'request completed']);
      expect(lines.join('\n')).not.toContain(org.adminKey);
    } finally {
      await app.close();
    }
  });
});

describe('admin CLI', () => {
  const cli = (...args: string[]) => runToEnd('src/cli/hearback.ts', args, { DATABASE_URL: ctx.database.url });

  it('creates an organization with an admin key that works against the API', async () => {
    const result = await cli('create-org', '--name', 'Initech', '--json');
    expect(result.code, result.stderr).toBe(0);
    const created = JSON.parse(result.stdout);
    expect(created.secret).toMatch(/^hb_live_/);
    const res = await request(ctx.app.server).get('/v1/organization').set(bearer(created.secret));
    expect(res.body).toMatchObject({ id: created.organization.id, name: 'Initech' });

    const key = await cli('create-key', '--org', created.organization.id, '--name', 'ATS', '--scopes', 'read,write', '--json');
    expect(key.code, key.stderr).toBe(0);
    const { apiKey, secret } = JSON.parse(key.stdout);
    expect(apiKey.scopes).toEqual(['read', 'write']);

    expect((await cli('revoke-key', '--org', created.organization.id, '--key', apiKey.id)).code).toBe(0);
    expect((await request(ctx.app.server).get('/v1/organization').set(bearer(secret))).body.code).toBe('api_key_revoked');
  });

  it('explains bad input and exits 2', async () => {
    const badScope = await cli('create-key', '--org', '0190d2a5-0000-7000-8000-000000000000', '--name', 'x', '--scopes', 'read,root');
    expect(badScope.code).toBe(2);
    expect(badScope.stderr).toContain('--scopes must be');
    const missing = await cli('create-org');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--name is required');
    expect((await cli('frobnicate')).stderr).toContain('unknown command');
  });

  it('answers 404-style for an organization that does not exist', async () => {
    const result = await cli('create-key', '--org', '0190d2a5-0000-7000-8000-000000000000', '--name', 'x', '--scopes', 'read');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Organization was not found');
  });
});
