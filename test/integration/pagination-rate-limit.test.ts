import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/lib/pagination.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';

let ctx: TestContext;
let org: TestOrganization;

beforeAll(async () => {
  ctx = await createTestContext({ RATE_LIMIT_PER_MINUTE: '40' });
  org = await createOrganization(ctx.deps);
  for (let i = 0; i < 6; i++) await org.key(['read']);
});
afterAll(() => ctx.close());

const api = () => request(ctx.app.server);

describe('cursor pagination', () => {
  it('walks every item once, in creation order, and ends with a null cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: request.Response = await api()
        .get('/v1/api-keys')
        .query({ limit: 3, ...(cursor ? { cursor } : {}) })
        .set(bearer(org.adminKey));
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.data.map((k: { id: string }) => k.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toHaveLength(7); // the admin key and six more
    expect(new Set(seen).size).toBe(7);
    expect([...seen].sort()).toEqual(seen);
    expect(pages).toBe(3);
  });

  it('refuses a cursor it did not issue, and an out-of-range limit', async () => {
    const forged = await api().get('/v1/api-keys').query({ cursor: 'not-a-cursor' }).set(bearer(org.adminKey));
    expect(forged.status).toBe(400);
    expect(forged.body.code).toBe('invalid_cursor');
    const tooMany = await api().get('/v1/api-keys').query({ limit: 1000 }).set(bearer(org.adminKey));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0].path).toBe('querystring.limit');
  });

  it('a cursor past the end gives an empty last page', async () => {
    const res = await api()
      .get('/v1/api-keys')
      .query({ cursor: encodeCursor('ffffffff-ffff-7fff-bfff-ffffffffffff') })
      .set(bearer(org.adminKey));
    expect(res.body).toEqual({ data: [], nextCursor: null });
  });
});

describe('rate limiting per API key (Redis)', () => {
  it('answers 429 problem+json with Retry-After past the budget, for that key only', async () => {
    const busy = await org.key(['read']);
    const calm = await org.key(['read']);
    const statuses: number[] = [];
    for (let i = 0; i < 41; i++) statuses.push((await api().get('/v1/organization').set(bearer(busy))).status);
    expect(statuses.slice(0, 40).every((s) => s === 200)).toBe(true);
    const limited = await api().get('/v1/organization').set(bearer(busy));
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/problem\+json/);
    expect(limited.body.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['x-ratelimit-limit']).toBe('40');
    expect((await api().get('/v1/organization').set(bearer(calm))).status).toBe(200);
  });

  it('does not limit health checks', async () => {
    for (let i = 0; i < 45; i++) expect((await api().get('/healthz')).status).toBe(200);
  });
});
