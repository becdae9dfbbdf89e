import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { bearer, createOrganization } from '../helpers/factories.js';

let ctx: TestContext;
let key: string;
beforeAll(async () => {
  ctx = await createTestContext();
  key = await (await createOrganization(ctx.deps)).key(['read']);
});
afterAll(() => ctx.close());

const lint = (body: object) => request(ctx.app.server).post('/v1/feedback/lint').set(bearer(key)).send(body);

describe('POST /v1/feedback/lint', () => {
  it('finds protected characteristics with spans, in the structured feedback fields', async () => {
    const res = await lint({
      locale: 'en',
      feedback: {
        reasonCategory: 'experience_level',
        strengths: ['Great at managing stakeholders'],
        areasToImprove: ['Honestly you seemed overqualified for this role'],
        personalNote: 'Not a culture fit, sorry.',
      },
    });
    expect(res.status).toBe(200);
    const byCode = Object.fromEntries(res.body.findings.map((f: { code: string }) => [f.code, f]));
    expect(byCode.protected_age).toMatchObject({ severity: 'block', field: 'areasToImprove.0', excerpt: 'overqualified' });
    const text = 'Honestly you seemed overqualified for this role';
    expect(text.slice(byCode.protected_age.start, byCode.protected_age.end)).toBe('overqualified');
    expect(byCode.vague_phrase).toMatchObject({ severity: 'warn', field: 'personalNote' });
    expect(res.body.findings.some((f: { excerpt: string }) => /manag/i.test(f.excerpt))).toBe(false);
    expect(res.body.summary).toMatchObject({ block: 1, highest: 'block' });
  });

  it('lints plain text in the four languages', async () => {
    for (const text of ['Elle est enceinte, ce sera compliqué', 'Er ist zu alt für unser junges Team', 'Buscamos a alguien más joven']) {
      const res = await lint({ text });
      expect(res.body.summary.block, text).toBeGreaterThan(0);
    }
    expect((await lint({ text: 'Senior engineer with strong React Native skills' })).body.findings).toEqual([]);
  });

  it('refuses malformed input clearly', async () => {
    expect((await lint({})).status).toBe(400);
    expect((await lint({ text: 'x', feedback: { reasonCategory: 'other' } })).status).toBe(400);
    expect((await lint({ feedback: { reasonCategory: 'vibes' } })).body.errors[0].path).toBe('body.feedback.reasonCategory');
  });
});
