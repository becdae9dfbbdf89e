import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuerySchema, pageSchema } from '../../lib/pagination.js';
import { idParamsSchema } from '../../lib/schemas.js';
import { actorOf, authOf } from '../../plugins/auth.js';
import { idempotencyHeadersSchema } from '../../plugins/idempotency.schemas.js';
import { respondOnce } from '../../plugins/idempotency.js';
import {
  attemptSchema,
  createEndpointBodySchema,
  deliveriesQuerySchema,
  deliverySchema,
  endpointSchema,
  recoverBodySchema,
  recoveredSchema,
  resentSchema,
  updateEndpointBodySchema,
  withSecretSchema,
} from './endpoints.schemas.js';
import type { CreatedEndpoint, EndpointsService } from './endpoints.service.js';

const tags = ['webhooks'];
export const endpointsRoutes: FastifyPluginAsyncZod<{ endpoints: EndpointsService }> = async (app, { endpoints }) => {
  app.get(
    '/v1/webhook-endpoints',
    {
      config: { scope: 'read' },
      schema: { operationId: 'listWebhookEndpoints', tags, summary: 'Where events are delivered', querystring: pageQuerySchema, response: { 200: pageSchema(endpointSchema) } },
    },
    async (request) => endpoints.list(authOf(request).organizationId, request.query),
  );
  app.post(
    '/v1/webhook-endpoints',
    {
      config: { scope: 'admin', idempotent: 'one-statement' },
      schema: {
        operationId: 'createWebhookEndpoint',
        tags,
        summary: 'Add an endpoint (its signing secret is in this answer only)',
        headers: idempotencyHeadersSchema,
        body: createEndpointBodySchema,
        response: { 201: withSecretSchema },
      },
    },
    async (request, reply) => respondOnce<CreatedEndpoint>(request, reply, { statusCode: 201, write: (seal) => endpoints.createOnce(actorOf(request), request.body, seal) }),
  );
  app.get(
    '/v1/webhook-endpoints/:id',
    { config: { scope: 'read' }, schema: { operationId: 'getWebhookEndpoint', tags, summary: 'One endpoint', params: idParamsSchema, response: { 200: endpointSchema } } },
    async (request) => endpoints.get(authOf(request).organizationId, request.params.id),
  );
  app.patch(
    '/v1/webhook-endpoints/:id',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'updateWebhookEndpoint',
        tags,
        summary: 'Change an endpoint; enabled: true starts a disabled one over',
        params: idParamsSchema,
        body: updateEndpointBodySchema,
        response: { 200: endpointSchema },
      },
    },
    async (request) => endpoints.update(actorOf(request), request.params.id, request.body),
  );
  app.delete(
    '/v1/webhook-endpoints/:id',
    {
      config: { scope: 'admin' },
      schema: { operationId: 'deleteWebhookEndpoint', tags, summary: 'Remove an endpoint (pending deliveries are cancelled)', params: idParamsSchema, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await endpoints.remove(actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/v1/webhook-endpoints/:id/rotate-secret',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'rotateWebhookSecret',
        tags,
        summary: 'A new secret; the old one signs alongside it for 24 hours',
        params: idParamsSchema,
        response: { 200: withSecretSchema },
      },
    },
    async (request) => endpoints.rotateSecret(actorOf(request), request.params.id),
  );
  app.get(
    '/v1/webhook-endpoints/:id/attempts',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listWebhookAttempts',
        tags,
        summary: 'Every attempt: status, latency, the start of the answer',
        params: idParamsSchema,
        querystring: pageQuerySchema,
        response: { 200: pageSchema(attemptSchema) },
      },
    },
    async (request) => endpoints.attempts(authOf(request).organizationId, request.params.id, request.query),
  );
  app.post(
    '/v1/webhook-endpoints/:id/recover',
    {
      config: { scope: 'admin', errors: ['conflict'] },
      schema: {
        operationId: 'recoverWebhookDeliveries',
        tags,
        summary: 'Send again every failed delivery of this endpoint since a time',
        params: idParamsSchema,
        body: recoverBodySchema,
        response: { 200: recoveredSchema },
      },
    },
    async (request) => endpoints.recover(actorOf(request), request.params.id, request.body.since),
  );
  app.get(
    '/v1/webhook-deliveries',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listWebhookDeliveries',
        tags,
        summary: 'Deliveries (one per event and endpoint) with their state',
        querystring: deliveriesQuerySchema,
        response: { 200: pageSchema(deliverySchema) },
      },
    },
    async (request) => {
      const { endpointId, status, ...page } = request.query;
      return endpoints.deliveries(authOf(request).organizationId, { endpointId, status }, page);
    },
  );
  app.post(
    '/v1/webhook-deliveries/:id/resend',
    {
      config: { scope: 'admin', errors: ['conflict'] },
      schema: { operationId: 'resendWebhookDelivery', tags, summary: 'Deliver one event again now (same webhook-id)', params: idParamsSchema, response: { 200: resentSchema } },
    },
    async (request) => endpoints.resend(actorOf(request), request.params.id),
  );
};
