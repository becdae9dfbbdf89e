// Every error class leaves as the same RFC 9457 envelope, with nothing internal in it.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { sql } from '../helpers/database.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';

let ctx: TestContext;
let org: TestOrganization;

beforeAll(async () => {
  ctx = await createTestContext({ BODY_LIMIT_BYTES: '2048', RATE_LIMIT_PER_MINUTE: '1000' });
  org = await createOrganization(ctx.deps);
});
afterAll(() => ctx.close());

const api = () => request(ctx.app.server);

function expectProblem(res: request.Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    type: `urn:hearback:problem:${code}`,
    title: expect.any(String),
    status,
    detail: expect.any(String),
    code,
    instance: expect.stringMatching(/^\//),
    requestId: res.headers['x-request-id'],
  });
  expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+|node_modules|prisma|SELECT|relation "/i);
}

describe('problem+json for every error class', () => {
  it('400 validation_failed lists each invalid field', async () => {
    const res = await api().post('/v1/api-keys').set(bearer(org.adminKey)).send({ name: '', scopes: 'read' });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.name', 'body.scopes']);
  });

  it('400 for malformed JSON', async () => {
    const res = await api().post('/v1/api-keys').set(bearer(org.adminKey)).set('content-type', 'application/json').send('{"name":');
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.detail).toBe('The body is not valid JSON');
  });

  it('400 for a path parameter of the wrong shape', async () => {
    expectProblem(await api().get('/v1/api-keys/not-a-uuid').set(bearer(org.adminKey)), 400, 'validation_failed');
  });

  it('401 and 403', async () => {
    expectProblem(await api().get('/v1/organization'), 401, 'missing_api_key');
    expectProblem(
      await api()
        .get('/v1/api-keys')
        .set(bearer(await org.key(['read']))),
      403,
      'insufficient_scope',
    );
  });

  it('404 for an unknown route and an unknown resource', async () => {
    expectProblem(await api().get('/v1/nothing-here'), 404, 'not_found');
    expectProblem(await api().get(`/v1/api-keys/0190d2a5-0000-7000-8000-000000000000`).set(bearer(org.adminKey)), 404, 'not_found');
  });

  it('413 when the body is over the limit', async () => {
    const res = await api()
      .post('/v1/api-keys')
      .set(bearer(org.adminKey))
      .send({ name: 'x'.repeat(4000), scopes: ['read'] });
    expectProblem(res, 413, 'payload_too_large');
  });

  it('415 for a body that is not JSON', async () => {
    const res = await api().post('/v1/api-keys').set(bearer(org.adminKey)).set('content-type', 'text/plain').send('hello');
    expectProblem(res, 415, 'unsupported_media_type');
  });

  it('431 when the headers are over Node’s limit, refused before Fastify sees the request', async () => {
    const res = await api().get('/v1/organization').set(bearer(org.adminKey)).set('x-padding', 'a'.repeat(20_000));
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'urn:hearback:problem:headers_too_large',
      status: 431,
      code: 'headers_too_large',
      instance: '/v1/organization',
      requestId: res.headers['x-request-id'],
    });
  });

  it('400 for a URL that cannot be decoded, before any route runs', async () => {
    expectProblem(await api().get('/v1/api-keys/%E0%A4%A').set(bearer(org.adminKey)), 400, 'validation_failed');
  });

  it('400 for text the database cannot store, instead of a 500', async () => {
    const res = await api()
      .post('/v1/api-keys')
      .set(bearer(org.adminKey))
      .send({ name: 'nul\u0000byte', scopes: ['read'] });
    expectProblem(res, 400, 'validation_failed');
  });

  it('keeps a sane caller-supplied X-Request-Id and replaces an unsafe one', async () => {
    const kept = await api().get('/v1/organization').set('x-request-id', 'ats-7f3a.1');
    expect(kept.headers['x-request-id']).toBe('ats-7f3a.1');
    expect(kept.body.requestId).toBe('ats-7f3a.1');
    const replaced = await api().get('/v1/organization').set('x-request-id', 'bad id <script>');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('500 internal_error leaks no database text', async () => {
    // A real failure: the table behind the route disappears under the running app.
    await sql(ctx.database.url, 'ALTER TABLE api_keys RENAME TO api_keys_gone');
    try {
      const res = await api().get('/v1/api-keys').set(bearer(org.adminKey));
      // Authentication reads the same table, so the failure surfaces there.
      expectProblem(res, 500, 'internal_error');
      expect(res.body.detail).not.toContain('api_keys');
    } finally {
      await sql(ctx.database.url, 'ALTER TABLE api_keys_gone RENAME TO api_keys');
    }
  });
});
