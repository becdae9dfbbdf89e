// What anyone on the internet can make Hearback do through /webhooks/*, bounded: refused ATS
// deliveries are kept as a short record (the start of the body, the connection's latest few),
// and the webhook routes answer 429 problem+json with Retry-After past a budget per sender
// (the connection or organization in the URL) and per client address.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atsInbound } from '../helpers/ats-inbound.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createOrganization, type TestOrganization } from '../helpers/factories.js';

let ctx: TestContext;
let org: TestOrganization;
let inbound: ReturnType<typeof atsInbound>;

beforeAll(async () => {
  ctx = await createTestContext({
    INBOUND_REFUSALS_KEPT: '5',
    INBOUND_REFUSED_BODY_BYTES: '1024',
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
      const refused = await api().post(gh.url).set('x-forwarded-for', '198.51.100.1').set('content-type', 'application/json').send(big(n));
      expect(refused.status).toBe(401);
    }
    const kept = await inbound.deliveries(gh.id);
    expect(kept).toHaveLength(5);
    for (const [i, refusal] of kept.entries()) {
      expect(refusal).toMatchObject({ status: 'rejected', eventType: 'unverified', outcome: expect.stringMatching(/a body of 9\d{5} bytes, the first 1024 kept\)$/) });
      expect(Buffer.byteLength(refusal.rawBody)).toBeLessThanOrEqual(1024);
      expect(refusal.rawBody).toContain(`"n":${26 + i},`);
    }
    const [{ bytes }] = await ctx.deps.db.$queryRaw<{ bytes: bigint }[]>`SELECT sum(octet_length(raw_body)) AS bytes FROM inbound_deliveries WHERE connection_id = ${gh.id}::uuid`;
    expect(Number(bytes)).toBeLessThanOrEqual(5 * 1024);
  });

  it('a body PostgreSQL could not store (a NUL byte, not JSON) is refused and recorded all the same', async () => {
    const gh = await inbound.connect('greenhouse');
    const refused = await api().post(gh.url).set('x-forwarded-for', '198.51.100.2').set('content-type', 'application/json').send('{"action":\u0000}');
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('validation_failed');
    const [kept] = await inbound.deliveries(gh.id);
    expect(kept).toMatchObject({ status: 'rejected', eventType: 'unparseable', rawBody: '{"action":\ufffd}' });
  });
});
