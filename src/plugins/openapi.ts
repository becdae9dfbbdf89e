// The OpenAPI 3.1 document, generated from the routes' zod schemas, served at /openapi.json
// with a docs page at /docs. The error model is described once (components) and referenced by
// every operation.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { envelopeSchema, eventDataSchemas, eventTypes } from '../modules/outgoing-webhooks/events.js';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { problemCatalog } from '../lib/errors.js';
import { PROBLEM_CONTENT_TYPE } from './error-handler.js';

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
}

export const openApiPlugin = fp<OpenApiPluginOptions>(
  async (app: FastifyInstance, { version, publicBaseUrl }) => {
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
        const config = input.route.config as { scope?: string; public?: boolean } | undefined;
        // Candidate-facing routes: no API key, said explicitly.
        if (config?.public) (output.schema as Record<string, unknown>).security = [];
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
          for (const operation of Object.values(operations)) {
            operation.responses = { ...operation.responses, default: { $ref: '#/components/responses/Problem' } };
          }
        }
        (document as { webhooks?: unknown }).webhooks = outgoingWebhooksDocument();
        return document;
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'openapi' },
);

/** The `webhooks` section: every event Hearback delivers, as the body an endpoint receives. */
function outgoingWebhooksDocument() {
  return Object.fromEntries(
    eventTypes.map((type) => [
      type,
      {
        post: {
          operationId: `webhook_${type.replace(/\W/g, '_')}`,
          summary: `${type} — signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature: v1,<base64>)`,
          requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(envelopeSchema(type, eventDataSchemas[type]), { io: 'input' }) } } },
          responses: { '2XX': { description: 'Received. Anything else is retried on the schedule; 410 disables the endpoint.' } },
        },
      },
    ]),
  );
}
