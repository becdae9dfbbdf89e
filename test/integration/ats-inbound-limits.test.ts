// What anyone on the internet can make Hearback do through /webhooks/*, bounded: refused ATS
// deliveries are kept as a short record (the start of the body, the connection's latest few),
// and the webhook routes answer 429 problem+json with Retry-After past a budget per sender
// (the connection or organization in the URL) and per client address.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atsInbound } from '../helpers/ats-inbound.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createOrganization, type TestOrganization } from '../helpers/factories.js';
import { randomUUID } from 'node:crypto';

let ctx: TestContext;
let org: TestOrganization;
let inbound: ReturnType<typeof atsInbound>;

beforeAll(async () => {
  ctx = await createTestContext({
    INBOUND_REFUSALS_KEPT: '5',
    INBOUND_REFUSED_BODY_BYTES: '1024',
    INBOUND_WEBHOOK_RATE_LIMIT_PER_URL: '40',
    INBOUND_WEBHOOK_RATE_LIMIT_PER_ADDRESS: '12',
    // Addresses come from X-Forwarded-For here, so each test can be its own client.
    TRUST_PROXY: 'true',
  });
  org = await createOrganization(ctx.deps);
  inbound = atsInbound(ctx, org);
});
afterAll(async () => {
  await ctx?.close();
});

const api = () => request(ctx.app.server);

describe('refused deliveries', () => {
  it('30 unsigned posts of 900 KB leave the latest 5 refusals, 1 KB of body each', async () => {
    const gh = await inbound.connect('greenhouse');
    const big = (n: number) => JSON.stringify({ action: 'hire_candidate', n, padding: 'x'.repeat(900 * 1024) });
    for (let n = 1; n <= 30; n++) {
      const refused = await api().post(gh.url).set('x-forwarded-for', `198.51.100.${n}`).set('content-type', 'application/json').send(big(n));
      expect(refused.status).toBe(401);
    }
    const kept = await inbound.deliveries(gh.id);
    expect(kept).toHaveLength(5);
    for (const [i, refusal] of kept.entries()) {
      expect(refusal).toMatchObject({ status: 'rejected', eventType: 'unverified', outcome: expect.stringMatching(/a body of 9\d{5} bytes, the first 1024 kept\)$/) });
      expect(Buffer.byteLength(refusal.rawBody)).toBeLessThanOrEqual(1024);
      expect(refusal.rawBody).toContain(`"n":${26 + i},`);
    }
    const [stored] = await ctx.deps.db.$queryRaw<{ bytes: bigint }[]>`SELECT sum(octet_length(raw_body)) AS bytes FROM inbound_deliveries WHERE connection_id = ${gh.id}::uuid`;
    expect(Number(stored!.bytes)).toBeLessThanOrEqual(5 * 1024);
  });

  it('a body PostgreSQL could not store (a NUL byte, not JSON) is refused and recorded all the same', async () => {
    const gh = await inbound.connect('greenhouse');
    const refused = await api().post(gh.url).set('x-forwarded-for', '198.51.101.1').set('content-type', 'application/json').send('{"action":\u0000}');
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('validation_failed');
    const [kept] = await inbound.deliveries(gh.id);
    expect(kept).toMatchObject({ status: 'rejected', eventType: 'unparseable', rawBody: '{"action":\ufffd}' });
  });
});

describe('rate limits on /webhooks/*', () => {
  type Post = (n: number) => request.Test;
  /**
   * Posts until the first 429 (at most three budgets' worth): the requests before it, and the
   * 429 itself. Counting in fixed one-minute windows, a slow machine may cross into a new window
   * once, so at least `budget` requests pass before it, and it comes by 2 × budget + 1.
   */
  async function untilLimited(post: Post, budget: number) {
    const before: number[] = [];
    for (let n = 1; n <= 3 * budget; n++) {
      const response = await post(n);
      if (response.status === 429) return { before, limited: response };
      before.push(response.status);
    }
    throw new Error(`no 429 after ${3 * budget} requests`);
  }
  const expectLimited = (response: request.Response) => {
    expect(response.status).toBe(429);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toMatchObject({ code: 'rate_limited', status: 429 });
    const retryAfter = Number(response.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  };

  it('per ATS connection, whatever the address; another connection is not affected', async () => {
    const gh = await inbound.connect('greenhouse');
    const other = await inbound.connect('greenhouse');
    const post = (url: string, address: string) => api().post(url).set('x-forwarded-for', address).set('content-type', 'application/json').send('{}');
    const { before, limited } = await untilLimited((n) => post(n % 2 ? gh.url : gh.url.toUpperCase().replace('/WEBHOOKS/ATS/', '/webhooks/ats/'), `203.0.113.${n}`), 40);
    expect(before.length).toBeGreaterThanOrEqual(40);
    expect(new Set(before)).toEqual(new Set([401]));
    expectLimited(limited);
    expect((await post(other.url, '203.0.113.200')).status).toBe(401);
  });

  it('per address, across connections and providers (unknown connections included)', async () => {
    const address = '192.0.2.77';
    const { before, limited } = await untilLimited((n) => api().post(`/webhooks/ats/${randomUUID()}`).set('x-forwarded-for', address).send(`{"n":${n}}`), 12);
    expect(before.length).toBeGreaterThanOrEqual(12);
    expect(new Set(before)).toEqual(new Set([404]));
    expectLimited(limited);
    expectLimited(await api().post(`/webhooks/postmark/${org.id}`).set('x-forwarded-for', address).send({ RecordType: 'Delivery' }));
    expect((await api().post(`/webhooks/ats/${randomUUID()}`).set('x-forwarded-for', '192.0.2.78').send('{}')).status).toBe(404);
  });

  it('per organization on the Postmark webhook', async () => {
    const other = await createOrganization(ctx.deps);
    const post = (n: number) =>
      api().post(`/webhooks/postmark/${other.id}`).set('x-forwarded-for', `198.18.0.${n}`).auth('postmark', 'wrong-password').send({ RecordType: 'Delivery' });
    const { before, limited } = await untilLimited(post, 40);
    expect(before.length).toBeGreaterThanOrEqual(40);
    expect(new Set(before)).toEqual(new Set([401]));
    expectLimited(limited);
  });
});
