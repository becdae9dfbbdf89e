// The webhook endpoints API's contract: endpoints, their attempts and deliveries, and the bodies
// that create, change, recover and resend them.
import { z } from 'zod';
import { pageQuerySchema } from '../../lib/pagination.js';
import { eventDataSchemas, eventTypes } from './events.js';

const eventTypeSchema = z.keyof(z.object(eventDataSchemas));
/** What an attempt came to, and where a delivery stands: stored as text, read through these. */
export const attemptOutcomeSchema = z.enum(['succeeded', 'retry', 'failed', 'disabled']);
export const deliveryStatusSchema = z.enum(['pending', 'succeeded', 'failed', 'cancelled']);

export const endpointSchema = z
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

export const withSecretSchema = z
  .object({ endpoint: endpointSchema, secret: z.string().describe('whsec_… — shown once: verify signatures with it (Standard Webhooks).') })
  .meta({ id: 'WebhookEndpointWithSecret' });

const endpointFields = {
  url: z.string().trim().max(2000).describe('HTTPS to a public address.'),
  description: z.string().trim().max(500).nullable().optional(),
  eventTypes: z.array(eventTypeSchema).max(eventTypes.length).optional().describe('Omit or [] for every type.'),
  enabled: z.boolean().optional(),
  rateLimitPerSecond: z.int32().min(1).max(1000).nullable().optional(),
};

export const attemptSchema = z
  .object({
    id: z.uuid(),
    endpointId: z.uuid(),
    deliveryId: z.uuid(),
    attemptedAt: z.date(),
    outcome: attemptOutcomeSchema,
    statusCode: z.int32().nullable(),
    latencyMs: z.int32(),
    responseBody: z.string().nullable().describe('Cut at 2,000 characters.'),
    error: z.string().nullable(),
  })
  .meta({ id: 'WebhookAttempt' });

export const deliverySchema = z
  .object({
    id: z.uuid(),
    endpointId: z.uuid(),
    eventId: z.uuid().describe('webhook-id is msg_<eventId>.'),
    eventType: z.string(),
    status: deliveryStatusSchema,
    attempts: z.int32(),
    nextAttemptAt: z.date().nullable(),
    lastAttemptAt: z.date().nullable(),
    lastStatusCode: z.int32().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'WebhookDelivery' });

export const createEndpointBodySchema = z.object(endpointFields).strict();
export type EndpointInput = z.infer<typeof createEndpointBodySchema>;
export const updateEndpointBodySchema = z.object(endpointFields).partial().strict();
export const recoverBodySchema = z.object({ since: z.iso.datetime({ offset: true }).transform((v) => new Date(v)) }).strict();
export const recoveredSchema = z.object({ recovered: z.int32() });
export const deliveriesQuerySchema = pageQuerySchema.extend({ endpointId: z.uuid().optional(), status: deliveryStatusSchema.optional() });
export const resentSchema = z.object({ id: z.uuid(), status: z.literal('pending') });
