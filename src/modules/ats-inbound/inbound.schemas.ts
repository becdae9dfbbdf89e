// The ATS webhook API's contract: connections (with their per-provider settings), the log of
// deliveries, and what the receiving end answers (its body is read raw, for the signature, so
// only its parameters and answers are declared).
import { z } from 'zod';
import { pageQuerySchema } from '../../lib/pagination.js';
import { leverSettingsSchema } from './providers/lever.js';
import { apiStatusSchema } from '../ats-writeback/writeback.schemas.js';

export const providers = ['greenhouse', 'lever', 'ashby', 'generic'] as const;
export type Provider = (typeof providers)[number];

export const deliveryStatuses = ['received', 'processed', 'ignored', 'rejected', 'failed'] as const;

/**
 * The widest settings any provider takes (Lever's). Which keys a connection accepts depends on
 * its provider, so the service checks that part (inbound.context.ts).
 */
const SETTINGS =
  'What the provider’s payloads leave out. Lever: `archiveReasons` (required to act on archives) and `stages`, ' +
  'pasted from Lever’s `GET /archive_reasons` and `GET /stages` `data`. Greenhouse, Ashby and generic: none (`{}`).';
export const connectionSettingsSchema = leverSettingsSchema.describe(SETTINGS);
export type ConnectionSettings = z.infer<typeof connectionSettingsSchema>;

export const connectionSchema = z
  .object({
    id: z.uuid(),
    provider: z.enum(providers),
    name: z.string(),
    enabled: z.boolean(),
    settings: connectionSettingsSchema,
    url: z.string().describe('Give this URL to the ATS as its webhook endpoint.'),
    api: apiStatusSchema.describe('The ATS API side (Greenhouse, Lever, Ashby): credentials set with PUT …/credentials, their health, and the reason map.'),
    createdAt: z.date(),
  })
  .meta({ id: 'AtsConnection' });

const connectionName = z.string().trim().min(1).max(200);

export const createConnectionBodySchema = z
  .object({
    provider: z.enum(providers),
    name: connectionName,
    secret: z.string().min(8).max(200).optional(),
    settings: connectionSettingsSchema.optional(),
  })
  .strict();
export type CreateConnectionBody = z.infer<typeof createConnectionBodySchema>;

export const updateConnectionBodySchema = z
  .object({
    name: connectionName,
    enabled: z.boolean().describe('false: the webhook URL answers 404 until enabled again.'),
    settings: connectionSettingsSchema.describe(`Replaces the settings as a whole (a list left out is no longer known). ${SETTINGS}`),
  })
  .partial()
  .strict();
export type UpdateConnectionBody = z.infer<typeof updateConnectionBodySchema>;

export const inboundDeliverySchema = z
  .object({
    id: z.uuid(),
    connectionId: z.uuid(),
    eventType: z.string(),
    dedupeKey: z.string().describe('Derived from what the delivery’s signature covers: a signature is accepted once.'),
    status: z.enum(deliveryStatuses),
    outcome: z.string().nullable().describe('What was done, or why not.'),
    receivedAt: z.date(),
    processedAt: z.date().nullable(),
    rawBody: z
      .string()
      .optional()
      .describe(
        'The body as received, for admin keys only (absent for others). Signature material is never kept: Lever’s `token` and `signature` read `[redacted]`, and no signature header is stored. ' +
          'A refused delivery keeps only its first bytes.',
      ),
  })
  .meta({ id: 'InboundDelivery' });

/** The secret is in this answer only: it is sealed at rest and never shown again. */
export const createdConnectionSchema = z.object({ connection: connectionSchema, secret: z.string() });

export const deliveriesQuerySchema = pageQuerySchema.extend({ connectionId: z.uuid().optional(), status: z.enum(deliveryStatuses).optional() });

export const receiveParamsSchema = z.object({ connectionId: z.uuid() });

/** 200: the same signature again (nothing new); 202: stored and queued. */
export const receivedSchema = {
  200: z.object({ received: z.literal(true), duplicate: z.literal(true) }),
  202: z.object({ received: z.literal(true), duplicate: z.literal(false) }),
};
