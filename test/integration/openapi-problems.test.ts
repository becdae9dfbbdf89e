// Each operation's documented 4xx answers are ones it can really give: derived from what the
// route declares (scope, path ids, body, cursor, Idempotency-Key), the rest named by the route
// and thrown by its own module; and the 401s are answered, live, by every operation.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderOpenApi } from '../../openapi/generate.js';
import { problemCatalog, type ProblemCode } from '../../src/lib/errors.js';
import { API_KEY_PROBLEMS, BODY_PROBLEMS, IDEMPOTENCY_PROBLEMS } from '../../src/plugins/route-problems.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { label, send, summary, type Operation as CallableOperation } from '../helpers/openapi-calls.js';

interface Parameter {
  in: string;
  name: string;
  schema?: { format?: string };
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: unknown;
  security?: Record<string, string[]>[];
  responses: Record<string, { $ref?: string }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, { content?: Record<string, { schema: { allOf: [unknown, { properties: { code: { enum: ProblemCode[] } } }] } }> }> };
}

let ctx: TestContext;
let org: TestOrganization;
let document: Document;
beforeAll(async () => {
  ctx = await createTestContext({ RATE_LIMIT_PER_MINUTE: '100000', AUTH_FAILURES_PER_MINUTE: '100000' });
  org = await createOrganization(ctx.deps, 'Problems Ltd');
  document = JSON.parse(renderOpenApi(ctx.app)) as Document;
});
afterAll(() => ctx?.close());

const operations = () => Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));

/** The codes an operation documents, per status, read back through its component responses. */
function documented(op: Operation): Record<string, ProblemCode[]> {
  const statuses: Record<string, ProblemCode[]> = {};
  for (const [status, response] of Object.entries(op.responses)) {
    if (!/^4\d\d$/.test(status)) continue;
    const name = response.$ref!.replace('#/components/responses/', '');
    statuses[status] = document.components.responses[name]!.content!['application/problem+json']!.schema.allOf[1].properties.code.enum;
  }
  return statuses;
}

/** Operations whose body names a record by id, so an unknown one is a 404 without a path id. */
const NOT_FOUND_FROM_THE_BODY: Record<string, string> = {
  previewTemplate: '`data.messageId`: the message whose draft to render',
  getClosureReport: '`requisitionId` in the query: the requisition reported on',
  getClosureReportCsv: '`requisitionId` in the query: the requisition reported on',
};

const all = (statuses: Record<string, ProblemCode[]>) => Object.values(statuses).flat();

/** Where a code is thrown, per module directory: `AppError('plan_stale'`, `notFound(`, `conflict(`. */
async function codesThrownIn(directory: string): Promise<Set<ProblemCode>> {
  const codes = new Set<ProblemCode>();
  for (const entry of await readdir(directory, { recursive: true })) {
    if (!entry.endsWith('.ts') || entry.endsWith('.test.ts')) continue;
    const source = await readFile(join(directory, entry), 'utf8');
    for (const match of source.matchAll(/AppError\(\s*'([a-z_]+)'/g)) codes.add(match[1] as ProblemCode);
    if (/\b(found|notFound)\(/.test(source)) codes.add('not_found');
    if (/\bconflict\(/.test(source)) codes.add('conflict');
  }
  return codes;
}

describe('documented client errors', () => {
  it('every operation documents its 4xx answers, each under its own status, from the catalogue', () => {
    for (const { path, method, op } of operations()) {
      const statuses = documented(op);
      expect(Object.keys(statuses).length, `${method} ${path}`).toBeGreaterThan(0);
      for (const [status, codes] of Object.entries(statuses)) {
        for (const code of codes) expect(problemCatalog[code].status, `${method} ${path}: ${code} under ${status}`).toBe(Number(status));
      }
    }
  });

  it('derived answers follow what the operation takes: key → 401/403, path ids → 404, body → 413/415, Idempotency-Key → 422', () => {
    for (const { path, method, op } of operations()) {
      const name = `${method} ${path}`;
      const codes = all(documented(op));
      const apiKey = (op.security ?? []).some((requirement) => 'apiKey' in requirement);
      for (const code of API_KEY_PROBLEMS) expect(codes.includes(code), `${name}: ${code}`).toBe(apiKey);
      // Without an API key, a 401 is the route's own credential check (Postmark's Basic auth, an ATS signature).
      if (!apiKey) expect(documented(op)['401'] ?? [], name).not.toEqual(expect.arrayContaining(['missing_api_key']));
      if (codes.includes('not_found') && !NOT_FOUND_FROM_THE_BODY[op.operationId]) expect(path, `${name} documents 404 without a path id`).toMatch(/\{\w+\}/);
      const idempotent = (op.parameters ?? []).some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key');
      for (const code of IDEMPOTENCY_PROBLEMS) expect(codes.includes(code), `${name}: ${code}`).toBe(idempotent);
      if (op.requestBody) expect(codes, name).toContain('payload_too_large');
      else for (const code of BODY_PROBLEMS) expect(codes, name).not.toContain(code);
      const cursor = (op.parameters ?? []).some((p) => p.in === 'query' && p.name === 'cursor');
      expect(codes.includes('invalid_cursor'), `${name}: invalid_cursor`).toBe(cursor);
    }
  });

  it('the codes a route names itself are thrown in its own module', async () => {
    const modules = join(process.cwd(), 'src/modules');
    const failures: string[] = [];
    for (const directory of await readdir(modules)) {
      const thrown = await codesThrownIn(join(modules, directory));
      for (const entry of await readdir(join(modules, directory))) {
        if (!entry.endsWith('.routes.ts')) continue;
        const source = await readFile(join(modules, directory, entry), 'utf8');
        for (const match of source.matchAll(/errors: \[([^\]]*)\]/g)) {
          for (const code of match[1]!.matchAll(/'([a-z_]+)'/g)) {
            // A body limit is Fastify's; the error handler names it.
            if (code[1] === 'payload_too_large' && /bodyLimit/.test(source)) continue;
            if (!thrown.has(code[1] as ProblemCode)) failures.push(`${directory}/${entry}: ${code[1]} is never thrown in src/modules/${directory}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('every operation that documents a 401 answers one, live', async () => {
    const failures: string[] = [];
    const {
      body: { connection },
    } = await send(ctx.app, { method: 'post' } as CallableOperation, {
      path: '/v1/ats-connections',
      headers: bearer(org.adminKey),
      body: { provider: 'generic', name: 'Signed elsewhere' },
    });
    for (const { path, method, op } of operations()) {
      const expected = documented(op)['401'];
      if (!expected) continue;
      const callable = { method, path, id: op.operationId } as CallableOperation;
      const filled = path.replace(/\{(\w+)\}/g, (_, name: string) =>
        name === 'connectionId'
          ? connection.id
          : op.parameters?.find((p) => p.name === name)?.schema?.format === 'uuid' || name === 'organizationId'
            ? randomUUID()
            : name === 'email'
              ? 'nobody@example.com'
              : 'en',
      );
      // No credentials at all (for a signed delivery: a signature that does not verify), then a
      // wrong API key where one is asked for.
      const unsigned: Record<string, string> = path.startsWith('/webhooks/ats/')
        ? { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' }
        : {};
      const attempts = [{ headers: unsigned }, ...(expected.includes('invalid_api_key') ? [{ headers: bearer('hb_live_not-a-key') }] : [])];
      for (const { headers } of attempts) {
        const res = await send(ctx.app, callable, { path: filled, headers: { ...headers, 'content-type': 'application/json' }, body: op.requestBody ? {} : undefined });
        if (res.status !== 401 || !expected.includes(res.body.code)) failures.push(`${label(callable)} with ${JSON.stringify(headers)}: ${summary(res)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
