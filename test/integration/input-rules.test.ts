// One rule for what any request may carry (src/plugins/input-rules.ts): text that is text, JSON
// no deeper than the limit, and nothing an operation does not declare. Refused with 400
// problem+json naming the field, on every route alike, with nothing written.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizationWebhookPassword } from '../../src/modules/delivery/postmark-webhooks.js';
import { MAX_JSON_DEPTH } from '../../src/plugins/input-rules.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { sql } from '../helpers/database.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';

let ctx: TestContext;
let org: TestOrganization;
const ids = { requisition: '', candidate: '', application: '' };

beforeAll(async () => {
  ctx = await createTestContext({ RATE_LIMIT_PER_MINUTE: '100000' });
  org = await createOrganization(ctx.deps);
  const post = async (path: string, body: object) => (await api().post(path).set(bearer(org.adminKey)).send(body)).body.id as string;
  ids.requisition = await post('/v1/requisitions', { title: 'Platform Engineer' });
  ids.candidate = await post('/v1/candidates', { name: 'Ada Lovelace', emails: ['ada@x.test'] });
  ids.application = await post('/v1/applications', { candidate: { id: ids.candidate }, requisition: { id: ids.requisition } });
});
afterAll(() => ctx.close());

const api = () => request(ctx.app.server);
const postmarkAuth = () => ({
  authorization: `Basic ${Buffer.from(`${ctx.config.POSTMARK_WEBHOOK_USER}:${organizationWebhookPassword(ctx.config.POSTMARK_WEBHOOK_PASSWORD, org.id)}`).toString('base64')}`,
});

/** Sends raw JSON text, so escapes like \ud800 reach the server exactly as written. */
const json = (method: 'post' | 'patch' | 'put', path: string, text: string, headers: Record<string, string> = bearer(org.adminKey)) =>
  api()[method](path).set(headers).set('content-type', 'application/json').send(text);

/** Every row of every table the API writes, as text: "nothing written" means this is unchanged. */
const snapshot = async () => {
  const tables = ['requisitions', 'candidates', 'candidate_emails', 'applications', 'decision_plans', 'suppressions', 'postmark_webhook_events', 'audit_events'];
  const rows = await Promise.all(tables.map((table) => sql(ctx.database.url, `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM ${table} t`)));
  return Object.fromEntries(tables.map((table, i) => [table, rows[i]![0]!.digest]));
};

function expectRefused(res: request.Response, path: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body.code).toBe('validation_failed');
  expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([path]);
}

describe('text that cannot be stored', () => {
  // Each with a lone high surrogate, a lone low surrogate and NUL: the same answer everywhere.
  const bad = ['\\ud800', '\\udfff', '\\u0000'];
  const cases = () => [
    { name: 'POST requisitions', send: (s: string) => json('post', '/v1/requisitions', `{"title":"Engineer ${s}"}`), path: 'body.title' },
    { name: 'PATCH requisitions', send: (s: string) => json('patch', `/v1/requisitions/${ids.requisition}`, `{"title":"Engineer ${s}"}`), path: 'body.title' },
    { name: 'PATCH candidates', send: (s: string) => json('patch', `/v1/candidates/${ids.candidate}`, `{"name":"Ada ${s}"}`), path: 'body.name' },
    { name: 'PATCH applications', send: (s: string) => json('patch', `/v1/applications/${ids.application}`, `{"stage":"Onsite ${s}"}`), path: 'body.stage' },
    { name: 'POST suppressions', send: (s: string) => json('post', '/v1/suppressions', `{"email":"ada@x.test","reason":"asked ${s}"}`), path: 'body.reason' },
    {
      name: 'POST plans with feedback',
      send: (s: string) =>
        json('post', `/v1/requisitions/${ids.requisition}/plans`, `{"targets":{"mode":"all_others_active"},"feedback":{"${ids.application}":{"strengths":["Clear ${s}"]}}}`),
      path: () => `body.feedback.${ids.application}.strengths.0`,
    },
    {
      name: 'the Postmark webhook',
      send: (s: string) => json('post', `/webhooks/postmark/${org.id}`, `{"RecordType":"Delivery","MessageID":"m-1","Recipient":"ada@x.test","Details":"ok ${s}"}`, postmarkAuth()),
      path: 'body.Details',
    },
    {
      name: 'a member name',
      send: (s: string) => json('post', `/webhooks/postmark/${org.id}`, `{"RecordType":"Delivery","Metadata":{"k${s}":"v"}}`, postmarkAuth()),
      path: (s: string) => `body.Metadata.k${JSON.parse(`"${s}"`)}`,
    },
  ];

  for (const { name, send, path } of cases() as Array<{ name: string; send: (s: string) => request.Test; path: string | ((s: string) => string) }>) {
    it(`is refused with 400 naming the field, and nothing is written: ${name}`, async () => {
      const before = await snapshot();
      for (const s of bad) {
        const res = await send(s);
        expectRefused(res, typeof path === 'string' ? path : path(s));
        expect(res.body.errors[0].message).toMatch(s === '\\u0000' ? /U\+0000/ : /lone surrogate/);
      }
      expect(await snapshot()).toEqual(before);
    });
  }

  it('well-formed text outside the Basic Multilingual Plane (a surrogate pair) is text', async () => {
    const res = await json('patch', `/v1/requisitions/${ids.requisition}`, '{"title":"Engineer \\ud83d\\ude80"}');
    expect(res.status).toBe(200);
    expect(res.body.title).toBe('Engineer 🚀');
  });

  it('applies to query strings and path parameters too', async () => {
    expectRefused(await api().get('/v1/suppressions?email=a%00b@x.test').set(bearer(org.adminKey)), 'querystring.email');
    expectRefused(await api().delete('/v1/suppressions/a%00b@x.test').set(bearer(org.adminKey)), 'params.email');
  });
});

describe('nesting', () => {
  const nested = (depth: number) => `${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}`;

  it(`refuses JSON nested more than ${MAX_JSON_DEPTH} levels on every route, before it is walked anywhere else`, async () => {
    const before = await snapshot();
    const deep = await json('post', `/webhooks/postmark/${org.id}`, `{"RecordType":"Delivery","Metadata":{"x":${nested(60_000)}}}`, postmarkAuth());
    expect(deep.status).toBe(400);
    expect(deep.body.code).toBe('validation_failed');
    expect(deep.body.detail).toContain(`nested more than ${MAX_JSON_DEPTH} levels`);
    expect(deep.body.errors[0].path).toMatch(/^body\.Metadata\.x(\.0)+$/);

    const v1 = await json('post', '/v1/requisitions', `{"title":"x","department":${nested(MAX_JSON_DEPTH + 1)}}`);
    expect(v1.status).toBe(400);
    expect(v1.body.detail).toContain('nested more than');
    expect(await snapshot()).toEqual(before);
  });

  it(`accepts exactly ${MAX_JSON_DEPTH} levels (then the schema decides)`, async () => {
    const res = await json('post', '/v1/requisitions', `{"title":"x","department":${nested(MAX_JSON_DEPTH - 1)}}`);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.department']);
  });
});

describe('nothing an operation does not declare', () => {
  it('an unknown query parameter is refused by name, on operations with and without parameters', async () => {
    expectRefused(await api().get('/v1/organization?verbose=1').set(bearer(org.adminKey)), 'querystring.verbose');
    expectRefused(await api().get('/v1/requisitions?statuss=open').set(bearer(org.adminKey)), 'querystring.statuss');
  });

  it('an operation without a body refuses body members, and runs with none', async () => {
    const key = await api()
      .post('/v1/api-keys')
      .set(bearer(org.adminKey))
      .send({ name: 'spare', scopes: ['read'] });
    const refused = await api().post(`/v1/api-keys/${key.body.apiKey.id}/revoke`).set(bearer(org.adminKey)).send({ reason: 'leaked' });
    expectRefused(refused, 'body.reason');
    const scalar = await json('post', `/v1/api-keys/${key.body.apiKey.id}/revoke`, '"now"');
    expect(scalar.status).toBe(400);
    expect((await api().get(`/v1/api-keys/${key.body.apiKey.id}`).set(bearer(org.adminKey))).body.revokedAt).toBeNull();
    expect((await api().post(`/v1/api-keys/${key.body.apiKey.id}/revoke`).set(bearer(org.adminKey))).status).toBe(200);
  });

  it('an unknown body member is refused by name, nested ones too', async () => {
    const before = await snapshot();
    expectRefused(await api().patch(`/v1/requisitions/${ids.requisition}`).set(bearer(org.adminKey)).send({ titel: 'Typo' }), 'body.titel');
    expectRefused(
      await api()
        .post('/v1/requisitions')
        .set(bearer(org.adminKey))
        .send({ title: 'x', hiringContact: { mail: 'a@x.test' } }),
      'body.hiringContact.mail',
    );
    expect(await snapshot()).toEqual(before);
  });
});
