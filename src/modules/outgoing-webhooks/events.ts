// The events Hearback sends to ATS endpoints, their payload schemas (published in the OpenAPI
// document's `webhooks` section), and `emitEvents`: called in the transaction that makes the
// change, it stores the event, one delivery per subscribed endpoint, and their jobs (outbox),
// so an event exists if and only if its change committed.
import { randomUUID } from 'node:crypto';
import { newId } from '../../lib/ids.js';
import { z } from 'zod';
import type { DbClient } from '../../db/client.js';
import { enqueueInTransaction } from '../../queue/outbox.js';
import { recordForEvents } from '../notifications/notifications.record.js';
import { endpointsRepository } from './endpoints.repository.js';
import { webhookDeliveryRepository } from './webhook-delivery.repository.js';

const messageRef = {
  messageId: z.uuid(),
  applicationId: z.uuid(),
  candidateId: z.uuid(),
  requisitionId: z.uuid(),
  kind: z.string().describe('The message kind, e.g. rejection_after_interview.'),
};
const candidateRef = { messageId: z.uuid(), applicationId: z.uuid(), candidateId: z.uuid() };

/** Every event type with the schema of its `data`. */
export const eventDataSchemas = {
  'plan.created': z
    .object({
      planId: z.uuid(),
      requisitionId: z.uuid(),
      source: z.enum(['api', 'ats', 'system']),
      items: z.int32(),
      messages: z.int32().describe('Emails it would send once confirmed.'),
      blocked: z.int32().describe('Items a blocking check stops until someone writes an override.'),
      expiresAt: z.string().describe('ISO 8601: confirm before then, or plan again.'),
    })
    .describe('Fires when a plan is computed, by a person or from an ATS event, and waits for confirmation. Internal: nothing was decided or sent.'),
  'plan.confirmed': z
    .object({
      planId: z.uuid(),
      requisitionId: z.uuid(),
      decisions: z
        .array(z.object({ applicationId: z.uuid(), kind: z.string() }))
        .describe(
          'The decisions visible now: hires, offers, and rejections recorded without a message. Rejections an email will tell are announced by application.rejected when it is sent.',
        ),
      messages: z.int32().describe('Messages created (drafts awaiting approval).'),
    })
    .describe('Fires when a person confirms a plan. Internal: safe to show the hiring team; nothing in it tells a candidate they were rejected.'),
  'application.rejected': z
    .object({
      applicationId: z.uuid(),
      candidateId: z.uuid(),
      requisitionId: z.uuid(),
      messageId: z.uuid().nullable().describe('The message that told the candidate; null when the rejection was recorded without one.'),
      rejectedAt: z.string().describe('ISO 8601'),
    })
    .describe(
      'The rejection an ATS may now show: fires when the email telling it was sent (or at confirmation, for a rejection recorded without a message). ' +
        'Never earlier, so a candidate cannot learn it from the ATS before Hearback told them.',
    ),
  'application.overdue': z
    .object({
      applicationId: z.uuid(),
      candidateId: z.uuid(),
      requisitionId: z.uuid(),
      reason: z
        .enum(['promise_passed', 'silence'])
        .describe('promise_passed: its promised decision date went by; silence: it heard nothing for the organization’s silenceBusinessDays.'),
      promisedDecisionAt: z.string().nullable().describe('The date that passed, ISO 8601 (null for a silence without a promise).'),
      newPromisedDecisionAt: z.string().describe('The new date the proposed status update tells the candidate.'),
    })
    .describe(
      'Fires when an application’s promised decision date passed without a final word, or its candidate heard nothing for too long; a status update telling a new date is proposed (plan.created) for a person to confirm. Internal: the candidate learns only what that update says.',
    ),
  'message.approved': z
    .object({ ...messageRef, sendAt: z.string().describe('ISO 8601') })
    .describe('Fires when a person approves a message. Internal: the candidate has been sent nothing; it may still be recalled, held or cancelled.'),
  'message.recalled': z.object(messageRef).describe('Fires when a person recalls an approved message before it left. Internal: the candidate was sent nothing.'),
  'message.sent': z
    .object({ ...messageRef, sentAt: z.string() })
    .describe('Fires when Postmark accepted the email (or a search found an attempt it accepted). The candidate has been told.'),
  'message.delivered': z.object({ ...messageRef, deliveredAt: z.string() }).describe('Fires when Postmark reports delivery to the candidate’s mail server.'),
  'message.bounced': z
    .object({ ...messageRef, bounceType: z.string().nullable() })
    .describe('Fires on a hard bounce: the email did not reach the candidate; the address is suppressed.'),
  'message.held': z
    .object({
      ...messageRef,
      code: z.string().describe('send_check_failed, recipient_suppressed, content_changed or offer_not_accepted'),
      reason: z.string(),
      checks: z.array(z.string()).describe('The confirmation checks that held it (send_check_failed).'),
    })
    .describe(
      'Fires when a check stops an approved message before it leaves (at once when a hire, offer or merge arrives, or at send time). Internal: nothing reached the candidate; a person decides (edit, retry or cancel).',
    ),
  'message.failed': z
    .object({ ...messageRef, code: z.string(), reason: z.string() })
    .describe(
      'Fires when delivery fails: Postmark refused it, retries ran out, or whether it left could not be found out (unknown_unresolved). The candidate was most likely not told; do not show them a decision.',
    ),
  'feedback.viewed': z
    .object({ ...candidateRef, first: z.boolean() })
    .describe('Fires on every view of the candidate’s feedback page (the email was sent, so nothing new is revealed).'),
  'candidate.talent_pool_joined': z
    .object({ ...candidateRef, locale: z.string() })
    .describe('Fires when the candidate joins the talent pool from their page, with consent recorded.'),
  'candidate.talent_pool_left': z.object(candidateRef).describe('Fires when the candidate leaves the talent pool from their page.'),
  'candidate.question_asked': z
    .object({ ...candidateRef, questionId: z.uuid() })
    .describe('Fires when the candidate asks a question on their page; answer it with POST /v1/questions/{id}/answer.'),
  'candidate.feedback_rated': z.object({ ...candidateRef, rating: z.int32().min(1).max(5) }).describe('Fires when the candidate rates the feedback they received.'),
  'candidate.data_requested': z
    .object({ ...candidateRef, dataRequestId: z.uuid(), kind: z.enum(['export', 'deletion']) })
    .describe('Fires when the candidate asks for an export or deletion of their data (a legal deadline applies).'),
  'candidate.erased': z
    .object({
      candidateIds: z.array(z.uuid()).describe('Every Hearback record of the person (duplicates and merges included), now pseudonymised.'),
      externalIds: z
        .array(z.object({ source: z.string(), externalId: z.string(), entityId: z.uuid() }))
        .describe('The records’ ids in your systems (source greenhouse, lever, ashby, api, ...): erase the candidate there too.'),
      dataRequestId: z.uuid().nullable().describe('The candidate’s deletion request; null when retention erased them.'),
      erasedAt: z.string().describe('ISO 8601'),
    })
    .describe(
      'Fires when a person is erased (their deletion request approved, or their retention period over): Hearback keeps no personal data of them. Erase or anonymise them in the ATS as well.',
    ),
  'endpoint.disabled': z.object({ endpointId: z.uuid(), reason: z.string() }).describe('Fires when Hearback disables an endpoint (410, or failing continuously). Internal.'),
} as const;

export type EventType = keyof typeof eventDataSchemas;
export const eventTypes = Object.keys(eventDataSchemas) as EventType[];
export type EventData<T extends EventType> = z.infer<(typeof eventDataSchemas)[T]>;

/** The body every endpoint receives: Standard Webhooks' recommended `{ type, timestamp, data }`. */
export const envelopeSchema = <T extends z.ZodType>(type: string, data: T) =>
  z.object({ type: z.literal(type), timestamp: z.string().describe('When it happened, ISO 8601.'), data });

export interface EmittedEvent<T extends EventType = EventType> {
  type: T;
  data: EventData<T>;
  occurredAt?: Date;
}

/** What every message event says about its message. */
export const messageData = (m: { id: string; applicationId: string; candidateId: string; requisitionId: string; kind: string }) => ({
  messageId: m.id,
  applicationId: m.applicationId,
  candidateId: m.candidateId,
  requisitionId: m.requisitionId,
  kind: m.kind,
});

/**
 * Wakes an endpoint's pump: the one job that sends that endpoint's due deliveries, a few at a
 * time. One pump per endpoint (a Redis lock) is what keeps a slow endpoint's backlog from
 * taking the workers every other endpoint needs.
 */
export const pumpJob = (endpointId: string, runAt?: Date) => ({
  queue: 'webhooks' as const,
  name: 'pump',
  payload: { task: 'pump' as const, endpointId },
  jobId: `webhook-pump.${endpointId}.${randomUUID()}`,
  ...(runAt ? { runAt } : {}),
});

/**
 * Stores events and a delivery per enabled endpoint of the organization that takes their type,
 * each with its job, in the caller's transaction. Returns the number of deliveries. The people
 * an event needs are notified in the same transaction (the notifications module decides who and
 * whether; notifications are internal and never become deliveries).
 */
export async function emitEvents(tx: DbClient, organizationId: string, events: EmittedEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  await recordForEvents(tx, organizationId, events);
  const endpoints = await endpointsRepository.live(tx, organizationId);
  if (endpoints.length === 0) return 0;
  const rows = events.map((event) => ({
    id: newId(),
    type: event.type,
    payload: { type: event.type, timestamp: (event.occurredAt ?? new Date()).toISOString(), data: event.data },
  }));
  const deliveries = rows.flatMap((row) =>
    endpoints.filter((e) => e.eventTypes.length === 0 || e.eventTypes.includes(row.type)).map((e) => ({ id: newId(), endpointId: e.id, eventId: row.id })),
  );
  if (deliveries.length === 0) return 0;
  const now = new Date();
  await webhookDeliveryRepository.store(tx, organizationId, rows, deliveries, now);
  await enqueueInTransaction(
    tx,
    [...new Set(deliveries.map((d) => d.endpointId))].map((endpointId) => pumpJob(endpointId)),
  );
  return deliveries.length;
}

/** Whether the organization has an endpoint that could take an event (skips building payloads). */

export const hasEndpoints = (tx: DbClient, organizationId: string) => endpointsRepository.hasLive(tx, organizationId);
