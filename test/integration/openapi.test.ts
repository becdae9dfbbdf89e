import { readFile } from 'node:fs/promises';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_PATH, renderOpenApi } from '../../openapi/generate.js';
import { renderWebTypes, WEB_TYPES_PATH } from '../../openapi/web-types.js';
import { createTestContext, type TestContext } from '../helpers/context.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

type Operation = { operationId?: string; responses: Record<string, unknown>; security?: unknown[] };
const operations = (document: { paths: Record<string, Record<string, Operation>> }) =>
  Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));

describe('OpenAPI document', () => {
  it('is committed and up to date (run `npm run openapi` after changing a route)', async () => {
    const committed = await readFile(OPENAPI_PATH, 'utf8');
    expect(committed, 'openapi/openapi.json is stale: run `npm run openapi` and commit it').toBe(renderOpenApi(ctx.app));
  });

  it('the web app’s client types are generated from it and up to date', async () => {
    const committed = await readFile(WEB_TYPES_PATH, 'utf8');
    expect(committed, 'web/src/api/schema.ts is stale: run `npm run openapi` and commit it').toBe(await renderWebTypes(renderOpenApi(ctx.app)));
  });

  it('is OpenAPI 3.1 with an operationId on every route and the error model described once', async () => {
    const document = JSON.parse(renderOpenApi(ctx.app));
    expect(document.openapi).toBe('3.1.0');
    const ops = operations(document);
    expect(ops.length).toBeGreaterThan(5);
    const ids = ops.map(({ op }) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { op } of ops) expect(op.responses.default).toEqual({ $ref: '#/components/responses/Problem' });
    expect(document.components.schemas.Problem.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'code', 'requestId']));
    // Every /v1 route needs a key with the scope it names, except the candidate-facing ones and
    // the sign-in links, which say they need none.
    const candidateFacing = new Set([
      'getCandidateFeedback',
      'requestMagicLink',
      'completeMagicLink',
      'acceptInvitation',
      'startSingleSignOn',
      'completeSingleSignOn',
      'getSignInOptions',
    ]);
    const scopes = ['read', 'write', 'approve', 'override', 'admin'];
    for (const { path, method, op } of ops.filter(({ path }) => path.startsWith('/v1/'))) {
      if (candidateFacing.has(op.operationId!)) expect(op.security, path).toEqual([]);
      else expect(op.security, `${method} ${path}`).toEqual([{ apiKey: [expect.toBeOneOf(scopes)] }]);
    }
    expect(operations(document).find(({ op }) => op.operationId === 'revokeApiKey')!.op.security).toEqual([{ apiKey: ['admin'] }]);
    expect(operations(document).find(({ op }) => op.operationId === 'getRequisition')!.op.security).toEqual([{ apiKey: ['read'] }]);
  });

  it('is served at /openapi.json with a docs page at /docs', async () => {
    const served = await request(ctx.app.server).get('/openapi.json');
    expect(served.status).toBe(200);
    expect(served.body.info.title).toBe('Hearback API');
    const docs = await request(ctx.app.server).get('/docs/').redirects(1);
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger-ui');
  });
});
