// The OpenAPI 3.1 document, generated from the routes' zod schemas, served at /openapi.json
// with a docs page at /docs. The error model is described once (components) and referenced by
// every operation.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { problemCatalog, type ProblemCode } from '../lib/errors.js';
import { PROBLEM_CONTENT_TYPE } from './error-handler.js';
import { BODY_KEY, byStatus, problemsOf } from './route-problems.js';

/**
 * Dates leave as ISO 8601 strings. The library says so for response schemas only, so the input
 * variants of shared components (`MessageInput`) said "anything"; a date is a date-time string
 * on the wire either way.
 */
const zodToJsonConfig = {
  override: (ctx: { zodSchema: { _zod: { def: { type: string } } }; jsonSchema: Record<string, unknown> }) => {
    if (ctx.zodSchema._zod.def.type === 'date') Object.assign(ctx.jsonSchema, { type: 'string', format: 'date-time' });
  },
};
const jsonSchemaTransform = createJsonSchemaTransform({ zodToJsonConfig });
const jsonSchemaTransformObject = createJsonSchemaTransformObject({ zodToJsonConfig });

/** Where the transform leaves each operation's problems for transformObject (removed there). */
const PROBLEMS_KEY = 'x-hearback-problems';

interface OperationObject {
  responses?: Record<string, unknown>;
  requestBody?: unknown;
  [PROBLEMS_KEY]?: Record<string, ProblemCode[]>;
  [BODY_KEY]?: string;
}

const problemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details. `code` is stable: branch on it, not on `title` or `detail`.',
  required: ['type', 'title', 'status', 'detail', 'code', 'instance', 'requestId'],
  properties: {
    type: { type: 'string', description: '`urn:hearback:problem:<code>`' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string', description: 'What went wrong for this request, for people.' },
    code: { type: 'string', enum: Object.keys(problemCatalog) },
    instance: { type: 'string', description: 'The request path.' },
    requestId: { type: 'string', description: 'Also in the `x-request-id` header; quote it to support.' },
    errors: {
      type: 'array',
      description: 'For validation_failed: one entry per invalid field.',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
  additionalProperties: true,
};

const codesTable = Object.entries(problemCatalog)
  .map(([code, { status, title }]) => `| ${status} | \`${code}\` | ${title} |`)
  .join('\n');

const description = `Hearback: every candidate hears back — the right message, to the right person.

**Authentication**: \`Authorization: Bearer hb_live_...\`. Keys carry scopes (read, write, approve,
override, admin; admin implies all). Service keys have their own scopes; personal keys act as
their person, with at most the scopes of the person's role. People signed in through a browser
send the session cookie instead, and an \`X-CSRF-Token\` header (from \`GET /v1/me\`) on every
unsafe method; a session has its role's scopes (admin: admin; recruiter: read, write, approve,
override; hiring_manager: read, write, approve; viewer: read). Another organization's resources
answer 404.

**Errors** are \`application/problem+json\` (RFC 9457) with a stable \`code\`:

| status | code | meaning |
|---|---|---|
${codesTable}

**Idempotency**: POSTs that create something accept \`Idempotency-Key\` (kept at least 24 h): the
same key and body replay the first response (\`Idempotent-Replayed: true\`); another body is a 422.

**Pagination**: list endpoints take \`limit\` and \`cursor\` and answer \`{ data, nextCursor }\`.`;

export interface OpenApiPluginOptions {
  version: string;
  publicBaseUrl: string;
  /** The document's `webhooks` section (the events Hearback delivers), from the composition root. */
  webhooks: Record<string, unknown>;
}

export const openApiPlugin = fp<OpenApiPluginOptions>(
  async (app: FastifyInstance, { version, publicBaseUrl, webhooks }) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: 'Hearback API', version, description, license: { name: 'Apache-2.0', identifier: 'Apache-2.0' } },
        servers: [{ url: publicBaseUrl }],
        components: {
          securitySchemes: {
            apiKey: { type: 'http', scheme: 'bearer', description: 'An API key, `hb_live_...`' },
            postmarkBasic: { type: 'http', scheme: 'basic', description: 'POSTMARK_WEBHOOK_USER and POSTMARK_WEBHOOK_PASSWORD, set in Postmark’s webhook URL' },
          },
        },
      },
      transform: (input) => {
        const output = jsonSchemaTransform(input);
        const config = input.route.config;
        const routeSchema = output.schema as Record<string, unknown>;
        // Routes without an API key (the candidate's link, infrastructure, webhooks that carry
        // their own signature or credentials) say so explicitly.
        if (!config?.scope) routeSchema.security ??= [];
        const query = routeSchema.querystring as { properties?: Record<string, unknown> } | undefined;
        // Turned into per-status responses in transformObject, where the Problem schema is.
        routeSchema[PROBLEMS_KEY] = byStatus(problemsOf({ url: input.url, config, hasBody: routeSchema.body !== undefined, queryNames: Object.keys(query?.properties ?? {}) }));
        if (config?.scope) {
          const schema = output.schema as Record<string, unknown>;
          // OpenAPI 3.1 lets a non-OAuth requirement list the roles it needs: the scope, there
          // for clients and generated tests to read (an admin key has every scope).
          schema.security = [{ apiKey: [config.scope] }];
          schema.description = [schema.description, `Scope: \`${config.scope}\`.`].filter(Boolean).join('\n\n');
        }
        return output;
      },
      transformObject: (documentObject) => {
        const document = jsonSchemaTransformObject(documentObject) as {
          components?: Record<string, Record<string, unknown>>;
          paths?: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
        };
        document.components ??= {};
        document.components.schemas = { ...document.components.schemas, Problem: problemSchema };
        document.components.responses = {
          Problem: {
            description: 'An error (see the table of codes in the description).',
            content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
          },
        };
        for (const operations of Object.values(document.paths ?? {})) {
          for (const operation of Object.values(operations) as OperationObject[]) {
            // Each set of codes is described once, as a component response named by its codes.
            const problems = Object.entries(operation[PROBLEMS_KEY] ?? {}).map(([status, codes]) => {
              const name = codes.join('.');
              document.components!.responses![name] ??= problemResponse(codes);
              return [status, { $ref: `#/components/responses/${name}` }];
            });
            delete operation[PROBLEMS_KEY];
            const bodyComponent = operation[BODY_KEY];
            if (bodyComponent) {
              // A route that reads its body raw (to check a signature) names the format it documents.
              operation.requestBody ??= { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${bodyComponent}` } } } };
              delete operation[BODY_KEY];
            }
            operation.responses = { ...operation.responses, ...Object.fromEntries(problems), default: { $ref: '#/components/responses/Problem' } };
          }
        }
        (document as { webhooks?: unknown }).webhooks = webhooks;
        return withoutUnusedSchemas(withoutVacuousAnyOf(document));
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'openapi' },
);

/** Members some problems add to the Problem schema (RFC 9457 extensions), documented with them. */
const problemExtensions: Partial<Record<ProblemCode, Record<string, unknown>>> = {
  template_invalid: {
    problems: {
      type: 'array',
      description: 'Every error the check found: the part, where (1-based line and column in that part; null when unknown) and what.',
      items: {
        type: 'object',
        required: ['part', 'line', 'column', 'message'],
        properties: {
          part: { type: 'string', enum: ['subject', 'html', 'text'] },
          line: { type: ['integer', 'null'], minimum: 1 },
          column: { type: ['integer', 'null'], minimum: 1 },
          message: { type: 'string' },
        },
      },
    },
  },
};

/** One status's problems: the Problem schema with `code` narrowed to what this operation answers. */
function problemResponse(codes: ProblemCode[]) {
  const extensions: Record<string, unknown> = Object.fromEntries(codes.flatMap((code) => Object.entries(problemExtensions[code] ?? {})));
  const response: Record<string, unknown> = {
    description: codes.map((code) => `\`${code}\`: ${problemCatalog[code].title}`).join('; '),
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: { allOf: [{ $ref: '#/components/schemas/Problem' }, { type: 'object', properties: { code: { type: 'string', enum: codes }, ...extensions } }] },
      },
    },
  };
  if (codes.includes('rate_limited')) {
    response.headers = { 'Retry-After': { description: 'Seconds until the limit resets.', schema: { type: 'integer' } } };
  }
  return response;
}

/**
 * `anyOf: [{}, { type: 'null' }]` (zod's `z.unknown().nullable()`) says "anything" twice over:
 * the schema without the `anyOf` says it once, which is what linters and client generators read.
 */
function withoutVacuousAnyOf<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutVacuousAnyOf) as T;
  if (value === null || typeof value !== 'object') return value;
  const object = Object.fromEntries(Object.entries(value).map(([key, child]) => [key, withoutVacuousAnyOf(child)])) as Record<string, unknown>;
  if (Array.isArray(object.anyOf) && object.anyOf.some((branch) => branch && typeof branch === 'object' && Object.keys(branch).length === 0)) {
    delete object.anyOf;
  }
  return object as T;
}

/**
 * Only the component schemas something refers to, directly or through another: the schema
 * registry also yields an input variant of every response schema (`MessageInput`) that no
 * operation uses.
 */
function withoutUnusedSchemas<T extends { components?: { schemas?: Record<string, unknown> } }>(document: T): T {
  const schemas = document.components?.schemas;
  if (!schemas) return document;
  const refsIn = (value: unknown) => [...JSON.stringify(value).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1]!);
  const used = new Set<string>();
  const pending = refsIn({ ...document, components: { ...document.components, schemas: {} } });
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (used.has(name)) continue;
    used.add(name);
    pending.push(...refsIn(schemas[name]));
  }
  document.components!.schemas = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
  return document;
}
