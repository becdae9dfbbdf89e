import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuerySchema, pageSchema } from '../../lib/pagination.js';
import { idParamsSchema } from '../../lib/schemas.js';
import { actorOf, authOf } from '../../plugins/auth.js';
import { idempotencyHeadersSchema } from '../../plugins/idempotency.schemas.js';
import type { EndpointsService } from './endpoints.service.js';
import { eventTypes, type EventType } from './events.js';

const tags = ['webhooks'];
const eventTypeSchema = z.enum(eventTypes as [EventType, ...EventType[]]);

const endpointSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string().nullable(),
    eventTypes: z.array(z.string()).describe('Empty: every event type.'),
    enabled: z.boolean(),
    rateLimitPerSecond: z.int32().nullable(),
    failingSince: z.date().nullable().describe('Every delivery has failed since then; after WEBHOOK_DISABLE_AFTER_HOURS the endpoint is disabled.'),
    disabledAt: z.date().nullable(),
    disabledReason: z.string().nullable(),
    previousSecretExpiresAt: z.date().nullable().describe('Until then the previous secret signs too (after a rotation).'),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'WebhookEndpoint' });

const withSecretSchema = z
  .object({ endpoint: endpointSchema, secret: z.string().describe('whsec_… — shown once: verify signatures with it (Standard Webhooks).') })
  .meta({ id: 'WebhookEndpointWithSecret' });

const endpointFields = {
  url: z.string().trim().max(2000).describe('HTTPS to a public address.'),
  description: z.string().trim().max(500).nullable().optional(),
  eventTypes: z.array(eventTypeSchema).max(eventTypes.length).optional().describe('Omit or [] for every type.'),
  enabled: z.boolean().optional(),
  rateLimitPerSecond: z.int32().min(1).max(1000).nullable().optional(),
};

const attemptSchema = z
  .object({
    id: z.uuid(),
    endpointId: z.uuid(),
    deliveryId: z.uuid(),
    attemptedAt: z.date(),
    outcome: z.enum(['succeeded', 'retry', 'failed', 'disabled']),
    statusCode: z.int32().nullable(),
    latencyMs: z.int32(),
    responseBody: z.string().nullable().describe('Cut at 2,000 characters.'),
    error: z.string().nullable(),
  })
  .meta({ id: 'WebhookAttempt' });

const deliverySchema = z
  .object({
    id: z.uuid(),
    endpointId: z.uuid(),
    eventId: z.uuid().describe('webhook-id is msg_<eventId>.'),
    eventType: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed', 'cancelled']),
    attempts: z.int32(),
    nextAttemptAt: z.date().nullable(),
    lastAttemptAt: z.date().nullable(),
    lastStatusCode: z.int32().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'WebhookDelivery' });

export const endpointsRoutes: FastifyPluginAsyncZod<{ endpoints: EndpointsService }> = async (app, { endpoints }) => {
  app.get(
    '/v1/webhook-endpoints',
    { config: { scope: 'read' }, schema: { operationId: 'listWebhookEndpoints', tags, summary: 'Where events are delivered', querystring: pageQuerySchema, response: { 200: pageSchema(endpointSchema) } } },
    async (request) => endpoints.list(authOf(request).organizationId, request.query),
  );
  app.post(
    '/v1/webhook-endpoints',
    {
      config: { scope: 'admin', idempotent: true },
      schema: {
        operationId: 'createWebhookEndpoint',
        tags,
        summary: 'Add an endpoint (its signing secret is in this answer only)',
        headers: idempotencyHeadersSchema,
        body: z.object(endpointFields).strict(),
        response: { 201: withSecretSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await endpoints.create(actorOf(request), request.body)),
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
        body: z.object(endpointFields).partial().strict(),
        response: { 200: endpointSchema },
      },
    },
    async (request) => endpoints.update(actorOf(request), request.params.id, request.body),
  );
  app.delete(
    '/v1/webhook-endpoints/:id',
    { config: { scope: 'admin' }, schema: { operationId: 'deleteWebhookEndpoint', tags, summary: 'Remove an endpoint (pending deliveries are cancelled)', params: idParamsSchema, response: { 204: z.null() } } },
    async (request, reply) => {
      await endpoints.remove(actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/v1/webhook-endpoints/:id/rotate-secret',
    {
      config: { scope: 'admin' },
      schema: { operationId: 'rotateWebhookSecret', tags, summary: 'A new secret; the old one signs alongside it for 24 hours', params: idParamsSchema, response: { 200: withSecretSchema } },
    },
    async (request) => endpoints.rotateSecret(actorOf(request), request.params.id),
  );
  app.get(
    '/v1/webhook-endpoints/:id/attempts',
    {
      config: { scope: 'read' },
      schema: { operationId: 'listWebhookAttempts', tags, summary: 'Every attempt: status, latency, the start of the answer', params: idParamsSchema, querystring: pageQuerySchema, response: { 200: pageSchema(attemptSchema) } },
    },
    async (request) => endpoints.attempts(authOf(request).organizationId, request.params.id, request.query) as never,
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
        body: z.object({ since: z.iso.datetime({ offset: true }).transform((v) => new Date(v)) }).strict(),
        response: { 200: z.object({ recovered: z.int32() }) },
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
        querystring: pageQuerySchema.extend({ endpointId: z.uuid().optional(), status: z.enum(['pending', 'succeeded', 'failed', 'cancelled']).optional() }),
        response: { 200: pageSchema(deliverySchema) },
      },
    },
    async (request) => {
      const { endpointId, status, ...page } = request.query;
      return endpoints.deliveries(authOf(request).organizationId, { endpointId, status }, page) as never;
    },
  );
  app.post(
    '/v1/webhook-deliveries/:id/resend',
    {
      config: { scope: 'admin', errors: ['conflict'] },
      schema: { operationId: 'resendWebhookDelivery', tags, summary: 'Deliver one event again now (same webhook-id)', params: idParamsSchema, response: { 200: z.object({ id: z.uuid(), status: z.literal('pending') }) } },
    },
    async (request) => endpoints.resend(actorOf(request), request.params.id),
  );
};
