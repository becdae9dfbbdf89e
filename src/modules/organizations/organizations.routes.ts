import { z } from 'zod';
import { notFound } from '../../lib/errors.js';
import type { FastifyTypeProviderDefault } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { pageQuerySchema, pageSchema } from '../../lib/pagination.js';
import { idParamsSchema } from '../../lib/schemas.js';
import { actorOf, authOf } from '../../plugins/auth.js';
import { idempotencyHeadersSchema } from '../../plugins/idempotency.schemas.js';
import { respondOnce } from '../../plugins/idempotency.js';
import { apiKeySchema, createApiKeyBodySchema, createdApiKeySchema, logoSchema, organizationPatchSchema, organizationSchema } from './organizations.schemas.js';
import type { CreatedApiKey, OrganizationsService } from './organizations.service.js';
import { LOGO_MAX_BYTES, LOGO_MAX_PIXELS, LOGO_MIN_PIXELS } from './logo-image.js';

export interface OrganizationsRoutesOptions {
  organizations: OrganizationsService;
}

export const organizationsRoutes: FastifyPluginAsyncZod<OrganizationsRoutesOptions> = async (app, { organizations }) => {
  const tags = ['organization'];

  // The answer is already JSON text, encoded through organizationSchema when it was made (the
  // service keeps it in memory): sent as is, so this one route is typed without the schema.
  app.withTypeProvider<FastifyTypeProviderDefault>().get(
    '/v1/organization',
    {
      config: { scope: 'read' },
      schema: { operationId: 'getOrganization', tags, summary: 'The organization of the calling API key', response: { 200: organizationSchema } },
    },
    async (request, reply) => reply.type('application/json; charset=utf-8').send(await organizations.organizationJson(authOf(request).organizationId)),
  );

  app.patch(
    '/v1/organization',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'updateOrganization',
        tags,
        summary: 'Rename the organization or change its message settings (undo window, send policy, four-eyes)',
        body: organizationPatchSchema,
        response: { 200: organizationSchema },
      },
    },
    async (request) => organizations.updateOrganization(actorOf(request), request.body),
  );

  // The logo arrives as the request body itself, in its own media type. Every type is read here
  // as bytes (up to four times the limit, so an oversized logo gets its own problem; beyond, payload_too_large), and the
  // service decides what is a logo: SVG, GIF or JSON are refused with logo_unsupported_type.
  await app.register(async (logoScope) => {
    logoScope.removeAllContentTypeParsers();
    logoScope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 4 * LOGO_MAX_BYTES }, (_request, body, done) => done(null, body));
    logoScope.put(
      '/v1/organization/logo',
      {
        config: { scope: 'admin', errors: ['logo_too_large', 'logo_unsupported_type', 'logo_not_an_image', 'logo_dimensions'] },
        schema: {
          operationId: 'putOrganizationLogo',
          tags,
          summary: 'Upload the organization’s logo (the raw image as the body)',
          description: `The body is the image itself, with Content-Type image/png, image/jpeg or image/webp (SVG is refused: it can carry script). At most ${LOGO_MAX_BYTES} bytes and ${LOGO_MIN_PIXELS} to ${LOGO_MAX_PIXELS} pixels on each side, read from the file's own header. Hearback serves it at \`logo.path\` with a year-long cache, shows it on the candidate page and in the emails, with the organization's name as its text alternative.`,
          response: { 200: logoSchema },
        },
      },
      async (request) => organizations.setLogo(actorOf(request), request.headers['content-type'], request.body),
    );
  });

  app.delete(
    '/v1/organization/logo',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'deleteOrganizationLogo',
        tags,
        summary: 'Remove the organization’s logo (pages and emails rendered afterwards show the name only)',
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await organizations.removeLogo(actorOf(request));
      return reply.code(204).send(null);
    },
  );

  // Public and cacheable for a year: the path is the content's hash, so a new logo is a new URL.
  app.get('/logos/:sha256', { schema: { hide: true, params: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }) } }, async (request, reply) => {
    const logo = await organizations.logoFile(request.params.sha256);
    if (!logo) throw notFound('Logo');
    return reply
      .headers({
        'content-type': logo.contentType,
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'",
        'cross-origin-resource-policy': 'cross-origin',
      })
      .send(Buffer.from(logo.bytes));
  });

  app.post(
    '/v1/api-keys',
    {
      config: { scope: 'admin', idempotent: 'one-statement' },
      schema: {
        operationId: 'createApiKey',
        tags,
        summary: 'Create an API key (its secret is shown once, in this response)',
        headers: idempotencyHeadersSchema,
        body: createApiKeyBodySchema,
        response: { 201: createdApiKeySchema },
      },
    },
    async (request, reply) =>
      respondOnce<CreatedApiKey>(request, reply, {
        statusCode: 201,
        write: (seal) => organizations.createApiKeyOnce(authOf(request).organizationId, request.body.name, request.body.scopes, seal),
        headers: (created) => ({ location: `/v1/api-keys/${created.apiKey.id}` }),
      }),
  );

  app.get(
    '/v1/api-keys',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'listApiKeys',
        tags,
        summary: 'List API keys, oldest first',
        querystring: pageQuerySchema,
        response: { 200: pageSchema(apiKeySchema) },
      },
    },
    async (request) => organizations.listApiKeys(authOf(request).organizationId, request.query),
  );

  app.get(
    '/v1/api-keys/:id',
    {
      config: { scope: 'admin' },
      schema: { operationId: 'getApiKey', tags, summary: 'One API key', params: idParamsSchema, response: { 200: apiKeySchema } },
    },
    async (request) => organizations.getApiKey(authOf(request).organizationId, request.params.id),
  );

  app.post(
    '/v1/api-keys/:id/revoke',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'revokeApiKey',
        tags,
        summary: 'Revoke an API key at once (revoking again changes nothing)',
        params: idParamsSchema,
        response: { 200: apiKeySchema },
      },
    },
    async (request) => organizations.revokeApiKey(authOf(request).organizationId, request.params.id),
  );
};
