// /metrics, structured logs with request ids, and the admin CLI.
import { readFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { enqueueInTransaction } from '../../src/queue/outbox.js';
import { createTestContext, REDIS_URL, type TestContext } from '../helpers/context.js';
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
    await ctx.deps.db.$transaction((tx) => enqueueInTransaction(tx, [{ queue: 'maintenance', name: 'p', payload: { task: 'purge-idempotency-records' }, jobId: 'm-1' }]));
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

describe('/metrics access', () => {
  const TOKEN = 'm'.repeat(24) + 'etrics-token-for-tests';
  /** The test app's deps under another configuration (production needs its secrets set). */
  const appWith = (env: Record<string, string>) =>
    buildApp({
      config: loadConfig({
        DATABASE_URL: ctx.database.url,
        REDIS_URL: REDIS_URL,
        REDIS_PREFIX: ctx.config.REDIS_PREFIX,
        PUBLIC_BASE_URL: 'https://hearback.example',
        ENCRYPTION_KEY: ctx.config.ENCRYPTION_KEY,
        POSTMARK_WEBHOOK_PASSWORD: 'a-webhook-password-for-tests',
        ...env,
      }),
      deps: ctx.deps,
      logger: false,
    });

  it('answers only the holder of METRICS_TOKEN, with a problem and a challenge otherwise', async () => {
    const app = await appWith({ NODE_ENV: 'production', METRICS_TOKEN: TOKEN });
    try {
      for (const authorization of [undefined, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, `Basic ${TOKEN}`, TOKEN]) {
        const get = request(app.server).get('/metrics');
        const refused = await (authorization ? get.set('authorization', authorization) : get);
        expect(refused.status, authorization).toBe(401);
        expect(refused.headers['content-type']).toContain('application/problem+json');
        expect(refused.headers['www-authenticate']).toContain('Bearer');
        expect(refused.body.code).toBe('metrics_unauthorized');
        expect(refused.text).not.toContain('hearback_');
      }
      const allowed = await request(app.server).get('/metrics').set('authorization', `Bearer ${TOKEN}`);
      expect(allowed.status).toBe(200);
      expect(allowed.text).toContain('hearback_messages');
    } finally {
      await app.close();
    }
  });

  it('is off in production without a token', async () => {
    const app = await appWith({ NODE_ENV: 'production' });
    try {
      const res = await request(app.server).get('/metrics');
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('hearback_');
    } finally {
      await app.close();
    }
  });
});

describe('README', () => {
  it('names the scope GET /v1/organization/postmark needs: admin, since it shows the webhook credentials', async () => {
    const readme = await readFile('README.md', 'utf8');
    const row = readme.split('\n').find((line) => line.startsWith('| `GET /v1/organization/postmark`'));
    expect(row?.split('|')[2]?.trim()).toBe('admin');
    const org = await createOrganization(ctx.deps);
    const get = async (key: string) => (await request(ctx.app.server).get('/v1/organization/postmark').set(bearer(key))).status;
    expect(await get(await org.key(['read', 'write', 'approve', 'override']))).toBe(403);
    expect(await get(org.adminKey)).toBe(200);
  });
});

/** An app whose log lines (as written, after redaction) are kept in `lines`. */
async function appWithLogs() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, app: await buildApp({ config: ctx.config, deps: ctx.deps, logger: { level: 'info', stream } }) };
}

describe('logs', () => {
  it('are JSON lines carrying the request id (and never the API key)', async () => {
    const { lines, app } = await appWithLogs();
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

describe('log redaction', () => {
  it('keeps keys, tokens and passwords out of every log line, whichever field carries them', async () => {
    const { lines, app } = await appWithLogs();
    try {
      const org = await createOrganization(ctx.deps);
      const linkToken = 'L'.repeat(43);
      // A key where it does not belong is refused, and not written down either.
      expect((await request(app.server).get(`/v1/organization?api_key=${org.adminKey}`)).status).toBe(401);
      await request(app.server).get(`/v1/organization?access_token=${org.adminKey}`).set(bearer(org.adminKey));
      await request(app.server).get(`/f/${linkToken}`);
      // Whatever an error message carries.
      const postmarkToken = '0f2a9c3e-6b1d-4e8f-9a7b-3c5d2e1f0a9b';
      const secrets = [org.adminKey, linkToken, postmarkToken, 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 's3cret-pass', 'eyJhbGciOiJIUzI1NiJ9'];
      app.log.error(
        {
          err: new Error(
            `Postmark refused X-Postmark-Server-Token: ${postmarkToken}; retried with Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig against postgresql://hb:s3cret-pass@db/hb, signing with whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw`,
          ),
        },
        'send failed',
      );
      const output = lines.join('\n');
      expect(output).toContain(`/v1/organization?api_key=[redacted]`);
      expect(output).toContain('/f/[token]');
      for (const secret of secrets) expect(output, secret).not.toContain(secret);
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
