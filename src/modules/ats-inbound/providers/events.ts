// What every ATS webhook becomes: one normalized inbound event, whatever the provider. The
// mappers next to this file (greenhouse.ts, lever.ts, ashby.ts, generic.ts) produce it from a
// parsed body and never touch the database; acting on it is the inbound webhook service's job.
// Ids are the provider's own (`{ source, externalId }` once the caller adds the source).
import { z } from 'zod';
import { MAX_ID_LENGTH } from './read.js';

/** Bounds shared by the mappers and this schema: a value past them is a malformed payload. */
export const INBOUND_LIMITS = {
  name: 300,
  email: 320,
  phone: 100,
  contacts: 50,
  title: 300,
  stage: 200,
  reason: 1000,
} as const;

const externalIdSchema = z.string().min(1).max(MAX_ID_LENGTH);
const refSchema = z.object({ externalId: externalIdSchema });

export const inboundCandidateSchema = z
  .object({
    externalId: externalIdSchema,
    name: z.string().max(INBOUND_LIMITS.name).nullable(),
    emails: z.array(z.string().max(INBOUND_LIMITS.email)).max(INBOUND_LIMITS.contacts).describe('As the ATS gave them, primary first; Hearback normalises.'),
    phones: z.array(z.string().max(INBOUND_LIMITS.phone)).max(INBOUND_LIMITS.contacts).describe('As the ATS gave them.'),
  })
  .describe('The candidate, when the payload carries one (Lever payloads carry ids only).');
export type InboundCandidate = z.infer<typeof inboundCandidateSchema>;

export const inboundRequisitionSchema = z.object({
  externalId: externalIdSchema,
  title: z.string().max(INBOUND_LIMITS.title).nullable(),
});
export type InboundRequisition = z.infer<typeof inboundRequisitionSchema>;

const applicationEventFields = {
  application: refSchema,
  candidate: inboundCandidateSchema.nullable(),
  requisition: inboundRequisitionSchema.nullable(),
  occurredAt: z.date().nullable().describe('When it happened in the ATS, when the payload says; null otherwise.'),
  stage: z.string().max(INBOUND_LIMITS.stage).nullable().describe('The application’s stage after the event, when known.'),
};

const applicationEvent = <Kind extends string>(kind: Kind) => z.object({ kind: z.literal(kind), ...applicationEventFields });

export const rejectedBySchema = z
  .enum(['organization', 'candidate'])
  .nullable()
  .describe('Who ended it, when the ATS says: `candidate` is a withdrawal recorded as a rejection. Null when unknown.');

export const inboundEventSchema = z.discriminatedUnion('kind', [
  applicationEvent('hire'),
  applicationEvent('unhire'),
  applicationEvent('offer'),
  applicationEvent('offer_withdrawn'),
  z.object({
    kind: z.literal('reject'),
    ...applicationEventFields,
    reason: z.string().max(INBOUND_LIMITS.reason).nullable(),
    rejectedBy: rejectedBySchema,
  }),
  applicationEvent('unreject'),
  applicationEvent('advance'),
  applicationEvent('delete_application'),
  z.object({
    kind: z.literal('merge'),
    winner: refSchema.describe('The candidate record that remains.'),
    loser: refSchema.describe('The candidate record merged into the winner and gone.'),
  }),
  z.object({
    kind: z.literal('ignored'),
    eventType: z.string().max(100),
    reason: z.string().max(500),
  }),
]);

export type InboundEvent = z.infer<typeof inboundEventSchema>;
export type InboundEventKind = InboundEvent['kind'];
/** The events about one application: all but `merge` and `ignored`. */
export type ApplicationEvent = Exclude<InboundEvent, { kind: 'merge' | 'ignored' }>;
export type ApplicationEventKind = ApplicationEvent['kind'];
export type ApplicationEventFields = Omit<Extract<InboundEvent, { kind: 'hire' }>, 'kind'>;

export const ignored = (eventType: string, reason: string): InboundEvent => ({ kind: 'ignored', eventType, reason });

/** Known to Hearback, but not a hiring decision it acts on. */
export const notADecision = (eventType: string): InboundEvent => ignored(eventType, 'not a hiring decision Hearback acts on');

/** A type the provider may have added since this mapper was written: acknowledged, recorded, never failed. */
export const unknownEventType = (eventType: string): InboundEvent => ignored(eventType, 'unknown event type');

// Matched on UTF-16 code units (no `u` flag): a high surrogate not followed by a low one, or a low one alone.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * What is wrong with a text of the event, or null: PostgreSQL stores neither U+0000 nor a lone
 * UTF-16 surrogate (which JSON's `\ud800` escapes can spell). Both are refused rather than
 * cleaned, so a delivery is applied as sent or not at all.
 */
export function unstorableText(event: InboundEvent): { path: string; problem: string } | null {
  const visit = (value: unknown, path: string): { path: string; problem: string } | null => {
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { path, problem: 'contains U+0000 (NUL), which cannot be stored' };
      const lone = LONE_SURROGATE.exec(value);
      return lone ? { path, problem: `contains an unpaired surrogate (U+${lone[0].charCodeAt(0).toString(16).toUpperCase()}), which is not text` } : null;
    }
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) {
        const found = visit(item, `${path}.${index}`);
        if (found) return found;
      }
      return null;
    }
    if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
      for (const [key, item] of Object.entries(value)) {
        const found = visit(item, path === '' ? key : `${path}.${key}`);
        if (found) return found;
      }
    }
    return null;
  };
  return visit(event, '');
}
