import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { pageQuerySchema, pageSchema } from '../../lib/pagination.js';
import { idParamsSchema } from '../../lib/schemas.js';
import { actorOf, authOf } from '../../plugins/auth.js';
import { idempotencyHeadersSchema } from '../../plugins/idempotency.schemas.js';
import { apiKeySchema, createApiKeyBodySchema, createdApiKeySchema, organizationPatchSchema, organizationSchema } from './organizations.schemas.js';
import type { OrganizationsService } from './organizations.service.js';

export interface OrganizationsRoutesOptions {
  organizations: OrganizationsService;
}

export const organizationsRoutes: FastifyPluginAsyncZod<OrganizationsRoutesOptions> = async (app, { organizations }) => {
  const tags = ['organization'];

  app.get(
    '/v1/organization',
    {
      config: { scope: 'read' },
      schema: { operationId: 'getOrganization', tags, summary: 'The organization of the calling API key', response: { 200: organizationSchema } },
    },
    async (request) => organizations.getOrganization(authOf(request).organizationId),
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

  app.post(
    '/v1/api-keys',
    {
      config: { scope: 'admin', idempotent: true },
      schema: {
        operationId: 'createApiKey',
        tags,
        summary: 'Create an API key (its secret is shown once, in this response)',
        headers: idempotencyHeadersSchema,
        body: createApiKeyBodySchema,
        response: { 201: createdApiKeySchema },
      },
    },
    async (request, reply) => {
      const created = await organizations.createApiKey(authOf(request).organizationId, request.body.name, request.body.scopes);
      return reply.code(201).header('location', `/v1/api-keys/${created.apiKey.id}`).send(created);
    },
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
