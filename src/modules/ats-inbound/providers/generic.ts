// Hearback's own webhook format, for in-house ATSs and anything without a dedicated mapper:
// `{ type, id?, occurredAt?, data }`. The zod schema below is the published contract (OpenAPI);
// mapGeneric turns a body into an InboundEvent like the provider mappers do. An unknown `type`
// is acknowledged and ignored, so senders can emit more than Hearback reads.
import { z } from 'zod';
import { type ApplicationEventFields, type ApplicationEventKind, type InboundEvent, INBOUND_LIMITS, rejectedBySchema, unknownEventType } from './events.js';
import { childPath, eventTypeOr, InboundPayloadError, MAX_ID_LENGTH, PayloadObject } from './read.js';

const externalIdSchema = z.string().trim().min(1).max(MAX_ID_LENGTH).describe('The record’s id in your system.');
const stageSchema = z.string().trim().min(1).max(INBOUND_LIMITS.stage);

export const genericCandidateSchema = z.object({
  externalId: externalIdSchema,
  name: z.string().trim().max(INBOUND_LIMITS.name).nullable().optional(),
  emails: z.array(z.string().max(INBOUND_LIMITS.email)).max(INBOUND_LIMITS.contacts).default([]).describe('Primary first. Sent as stored; Hearback normalises.'),
  phones: z.array(z.string().max(INBOUND_LIMITS.phone)).max(INBOUND_LIMITS.contacts).default([]).describe('Any format.'),
});

export const genericRequisitionSchema = z.object({
  externalId: externalIdSchema,
  title: z.string().trim().max(INBOUND_LIMITS.title).nullable().optional(),
});

const applicationData = z.object({
  application: z.object({ externalId: externalIdSchema }),
  candidate: genericCandidateSchema.nullable().optional().describe('Send it to create or update the candidate.'),
  requisition: genericRequisitionSchema.nullable().optional(),
  stage: stageSchema.nullable().optional().describe('The application’s stage after the event.'),
});

const envelope = {
  id: z.string().trim().min(1).max(MAX_ID_LENGTH).optional().describe('Your id for this event: a delivery repeating it is processed once.'),
  occurredAt: z.iso.datetime({ offset: true }).optional().describe('When it happened in your ATS (ISO 8601 with a time zone).'),
};

const event = <Type extends string, Data extends z.ZodType>(type: Type, data: Data) => z.object({ type: z.literal(type), ...envelope, data });

export const genericWebhookSchema = z
  .discriminatedUnion('type', [
    event('application.hired', applicationData),
    event('application.offered', applicationData),
    event(
      'application.rejected',
      applicationData.extend({
        reason: z.string().trim().max(INBOUND_LIMITS.reason).nullable().optional(),
        rejectedBy: rejectedBySchema.optional(),
      }),
    ),
    event('application.unrejected', applicationData),
    event('application.unhired', applicationData),
    event('application.stage_changed', applicationData.extend({ stage: stageSchema })),
    event(
      'candidate.merged',
      z
        .object({
          winner: z.object({ externalId: externalIdSchema }).describe('The candidate record that remains.'),
          loser: z.object({ externalId: externalIdSchema }).describe('The record merged into it.'),
        })
        .refine((data) => data.winner.externalId !== data.loser.externalId, { message: 'must differ from data.winner.externalId', path: ['loser', 'externalId'] }),
    ),
  ])
  .describe('Hearback’s webhook format for ATSs without a dedicated integration. Other `type` values are accepted and ignored.')
  .meta({ id: 'InboundWebhookEvent' });

export type GenericWebhookEvent = z.input<typeof genericWebhookSchema>;
type ParsedGenericEvent = z.output<typeof genericWebhookSchema>;

/** The types whose event has no fields of its own (rejections and merges are built apart). */
const KINDS = new Map<string, Exclude<ApplicationEventKind, 'reject' | 'offer_withdrawn' | 'delete_application'>>([
  ['application.hired', 'hire'],
  ['application.offered', 'offer'],
  ['application.unrejected', 'unreject'],
  ['application.unhired', 'unhire'],
  ['application.stage_changed', 'advance'],
]);
const KNOWN_TYPES = new Set([...KINDS.keys(), 'application.rejected', 'candidate.merged']);

export function mapGeneric(payload: unknown): InboundEvent {
  const type = PayloadObject.body(payload).eventType('type');
  if (!KNOWN_TYPES.has(type)) return unknownEventType(type);
  const parsed = genericWebhookSchema.safeParse(payload);
  if (!parsed.success) throw payloadError(payload, parsed.error);
  return toInboundEvent(parsed.data);
}

/** The `type`, or `unknown`; never throws. */
export const genericEventType = (payload: unknown): string => eventTypeOr(payload, 'type');

function toInboundEvent(event: ParsedGenericEvent): InboundEvent {
  if (event.type === 'candidate.merged') {
    return { kind: 'merge', winner: { externalId: event.data.winner.externalId }, loser: { externalId: event.data.loser.externalId } };
  }
  const { data } = event;
  const fields: ApplicationEventFields = {
    application: { externalId: data.application.externalId },
    candidate: data.candidate
      ? {
          externalId: data.candidate.externalId,
          name: data.candidate.name || null,
          emails: data.candidate.emails.filter((email) => email.trim() !== ''),
          phones: data.candidate.phones.filter((phone) => phone.trim() !== ''),
        }
      : null,
    requisition: data.requisition ? { externalId: data.requisition.externalId, title: data.requisition.title || null } : null,
    occurredAt: event.occurredAt ? new Date(event.occurredAt) : null,
    stage: data.stage ?? null,
  };
  if (event.type === 'application.rejected') {
    return { kind: 'reject', ...fields, reason: event.data.reason || null, rejectedBy: event.data.rejectedBy ?? null };
  }
  return { kind: KINDS.get(event.type)!, ...fields };
}

/** zod's issues as one InboundPayloadError: the first names the path, all are listed. */
function payloadError(payload: unknown, error: z.ZodError): InboundPayloadError {
  const errors = error.issues.map((issue) => {
    const path = issue.path.reduce<string>((at, key) => childPath(at, typeof key === 'number' ? key : String(key)), '') || 'body';
    return { path, message: valueAt(payload, issue.path) === undefined ? 'is missing' : issue.message };
  });
  const [first] = errors;
  return new InboundPayloadError(first?.path ?? 'body', first?.message ?? 'is not valid', errors);
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current ?? undefined;
}
