// What other modules ask of the messages module when a message moves: the writes themselves
// (lifecycle.repository.ts) and `recordEvents`, which records message events and the outgoing
// webhooks they mean in one call, in the caller's transaction.
import { z } from 'zod';
import type { DbClient } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { auditRepository } from '../audit/audit.repository.js';
import { recheckMessages } from '../decisions/recheck.js';
import { enqueueAtsNotes, enqueueRejectionWritebacks } from '../ats-writeback/writeback.enqueue.js';
import { applicationsRepository } from '../hiring/applications.repository.js';
import { emitEvents, hasEndpoints, messageData, type EmittedEvent } from '../outgoing-webhooks/events.js';
import { notifyingMessageEvents } from '../notifications/notifications.record.js';
import { lifecycleRepository, type MessageEventInput } from './lifecycle.repository.js';
import { messagesRepository } from './messages.repository.js';

/** The facts of a message event that its outgoing webhook repeats; any other keys are kept out. */
const eventDetailSchema = z.object({ code: z.string(), reason: z.string(), checks: z.array(z.string()), found: z.boolean(), type: z.string().nullable() }).partial();
const detailOf = (event: MessageEventInput) => eventDetailSchema.parse(event.detail ?? {});

/** The outgoing event a message event means, if any. */
function outgoing(
  event: MessageEventInput,
  m: { id: string; applicationId: string; candidateId: string; requisitionId: string; kind: string; sentAt: Date | null },
): EmittedEvent[] {
  const detail = detailOf(event);
  const at = event.occurredAt ?? new Date();
  switch (event.type) {
    case 'sent':
      return [{ type: 'message.sent', data: { ...messageData(m), sentAt: (m.sentAt ?? at).toISOString() }, occurredAt: at }];
    case 'reconciled':
      return detail.found ? [{ type: 'message.sent', data: { ...messageData(m), sentAt: (m.sentAt ?? at).toISOString() }, occurredAt: at }] : [];
    case 'held':
      return [{ type: 'message.held', data: { ...messageData(m), code: detail.code ?? 'held', reason: detail.reason ?? '', checks: detail.checks ?? [] }, occurredAt: at }];
    case 'failed':
      return [{ type: 'message.failed', data: { ...messageData(m), code: detail.code ?? 'failed', reason: detail.reason ?? '' }, occurredAt: at }];
    case 'delivered':
      return [{ type: 'message.delivered', data: { ...messageData(m), deliveredAt: at.toISOString() }, occurredAt: at }];
    case 'bounced':
      return [{ type: 'message.bounced', data: { ...messageData(m), bounceType: detail.type ?? null }, occurredAt: at }];
    default:
      return [];
  }
}

/** A sent message, as what it tells beyond itself is worked out. */
type Told = Awaited<ReturnType<typeof messagesRepository.toldBy>>[number];

/**
 * A rejection becomes the application's status (and an `application.rejected` event, what an ATS
 * may show) when the email telling it leaves, for every application that email speaks for. An
 * application that moved on meanwhile (hired, offered, withdrawn) keeps its status.
 */
async function rejectionsTold(tx: DbClient, told: Told[]): Promise<void> {
  for (const organizationId of new Set(told.map((m) => m.organizationId))) {
    const mine = told.filter((m) => m.organizationId === organizationId);
    const at = new Date();
    const messageOf = new Map(mine.flatMap((m) => [m.applicationId, ...m.alsoForApplicationIds].map((id) => [id, m.id] as const)));
    const changed = await applicationsRepository.setStatusWhere(tx, [...messageOf.keys()], 'rejected', ['active'], at);
    if (changed.length === 0) continue;
    await auditRepository.record(
      tx,
      { organizationId, actor: 'system' },
      changed.map((a) => ({
        action: 'application.status_changed',
        entity: 'application',
        entityId: a.id,
        before: { status: 'active' },
        after: { status: 'rejected', messageId: messageOf.get(a.id) },
      })),
    );
    await emitEvents(
      tx,
      organizationId,
      changed.map((a) => ({
        type: 'application.rejected' as const,
        data: { applicationId: a.id, candidateId: a.candidateId, requisitionId: a.requisitionId, messageId: messageOf.get(a.id)!, rejectedAt: at.toISOString() },
        occurredAt: at,
      })),
    );
    await enqueueRejectionWritebacks(
      tx,
      organizationId,
      changed.map((a) => ({ applicationId: a.id, messageId: messageOf.get(a.id)! })),
    );
  }
}

/** What the ATS's note says for each kind of message that is not a rejection. */
const NOTED_KINDS: Record<string, string> = {
  status_update: 'a status update (no decision yet)',
  position_on_hold: 'word that the position is on hold',
  position_cancelled: 'word that the position is cancelled',
};

/** Status updates, holds and cancellations sent: a note on each application's candidate in its ATS. */
async function updatesTold(tx: DbClient, told: Told[]): Promise<void> {
  for (const organizationId of new Set(told.map((m) => m.organizationId))) {
    await enqueueAtsNotes(
      tx,
      organizationId,
      told
        .filter((m) => m.organizationId === organizationId)
        .flatMap((m) =>
          [m.applicationId, ...m.alsoForApplicationIds].map((applicationId) => ({
            applicationId,
            subjectId: m.id,
            messageId: m.id,
            text: `Hearback sent this candidate ${NOTED_KINDS[m.kind]} on ${(m.sentAt ?? new Date()).toISOString()}.`,
          })),
        ),
    );
  }
}

/**
 * Records message events and emits their outgoing webhooks in the caller's transaction: the
 * event, its webhook and the change that caused them commit together or not at all. Message
 * details are read only when the organization has an endpoint or the event notifies people.
 */
export async function recordMessageEvents(tx: DbClient, events: MessageEventInput[]): Promise<void> {
  await lifecycleRepository.recordEvents(tx, events);
  const sent = events.filter((e) => e.type === 'sent' || (e.type === 'reconciled' && detailOf(e).found));
  if (sent.length > 0) {
    // One read for both (it was two reads of the same rows through Prisma's findMany).
    const told = await messagesRepository.toldBy(tx, [...new Set(sent.map((e) => e.messageId))]);
    await rejectionsTold(
      tx,
      told.filter((m) => m.action === 'reject'),
    );
    await updatesTold(
      tx,
      told.filter((m) => Object.hasOwn(NOTED_KINDS, m.kind)),
    );
  }
  for (const organizationId of new Set(events.map((e) => e.organizationId))) {
    // Without an endpoint, only what notifies people needs its message read.
    const endpoints = await hasEndpoints(tx, organizationId);
    const mine = events.filter((e) => e.organizationId === organizationId && (endpoints || notifyingMessageEvents.has(e.type)));
    if (mine.length === 0) continue;
    const rows = new Map((await lifecycleRepository.eventSubjects(tx, [...new Set(mine.map((e) => e.messageId))])).map((m) => [m.id, m]));
    await emitEvents(
      tx,
      organizationId,
      mine.flatMap((e) => (rows.has(e.messageId) ? outgoing(e, rows.get(e.messageId)!) : [])),
    );
  }
}

/**
 * A fact arrived that may stop approved messages (a hire, an offer, a merge into the chosen
 * person): the checks run now over what waits on the requisitions concerned, and what they stop
 * is held at once instead of showing `approved` until its send time. Returns how many were held.
 */
export async function holdWhereChecksFail(tx: DbClient, organizationId: string, about: { applicationIds?: string[]; candidateIds?: string[] }, at = new Date()): Promise<number> {
  const waiting = await messagesRepository.waitingAround(tx, organizationId, about);
  if (waiting.length === 0) return 0;
  const verdicts = await recheckMessages(tx, waiting);
  const stops = waiting.flatMap((m) => {
    const verdict = verdicts.get(m.id);
    return verdict && !verdict.ok ? [{ id: m.id, code: verdict.code, reason: verdict.reason, checks: verdict.checks }] : [];
  });
  const held = new Set(await lifecycleRepository.stop(tx, 'hold', stops, {}, at));
  await recordMessageEvents(
    tx,
    stops
      .filter((s) => held.has(s.id))
      .map((s) => ({
        organizationId,
        messageId: s.id,
        type: 'held',
        source: 'hearback' as const,
        detail: { code: s.code, reason: s.reason, checks: s.checks.map((c) => c.code) },
        occurredAt: at,
      })),
  );
  return held.size;
}

/** What an answer to the offer does to the runner-ups' rejections held for it. */
const OFFER_ANSWERS = {
  /** Accepted (or a hire): back to waiting, and dispatch checks them again. */
  accepted: { move: (tx: DbClient, ids: string[], at: Date) => lifecycleRepository.release(tx, ids, at), event: 'released', status: 'approved', reason: 'offer accepted' },
  /** Declined or withdrawn: they would tell the runner-ups the wrong thing; the recruiter chooses again. */
  declined: { move: (tx: DbClient, ids: string[]) => lifecycleRepository.cancelPending(tx, ids), event: 'cancelled', status: 'cancelled', reason: 'offer declined' },
} as const;

/** Applies the chosen candidate's answer to the offer to the rejections held for it; returns how many moved. */
async function answerOffer(tx: DbClient, actor: Actor, chosenApplicationId: string, answer: keyof typeof OFFER_ANSWERS, at: Date): Promise<number> {
  const { move, event, status, reason } = OFFER_ANSWERS[answer];
  const held = (await messagesRepository.heldForOffer(tx, actor.organizationId, chosenApplicationId)).map((m) => m.id);
  const moved = await move(tx, held, at);
  await recordMoves(tx, actor, moved, { event, status, reason }, at);
  return moved.length;
}

/** The event and the audit entry of messages a fact moved (`reason` says which). */
async function recordMoves(tx: DbClient, actor: Actor, ids: string[], { event, status, reason }: { event: string; status: string; reason: string }, at: Date) {
  await recordMessageEvents(
    tx,
    ids.map((id) => ({ organizationId: actor.organizationId, messageId: id, type: event, source: 'hearback' as const, detail: { reason }, occurredAt: at })),
  );
  await auditRepository.record(
    tx,
    actor,
    ids.map((id) => ({ action: `message.${event}`, entity: 'message', entityId: id, after: { status, reason } })),
  );
}

/**
 * A requisition's news that is no longer true and has not left (a role reopened: its on-hold
 * messages) is cancelled; returns how many.
 */
export async function cancelUnsentOfKind(tx: DbClient, actor: Actor, requisitionId: string, kind: string, reason: string, at = new Date()): Promise<number> {
  const ids = (await messagesRepository.unsentOfKind(tx, actor.organizationId, requisitionId, kind)).map((m) => m.id);
  const cancelled = await lifecycleRepository.cancelPending(tx, ids);
  await recordMoves(tx, actor, cancelled, { event: 'cancelled', status: 'cancelled', reason }, at);
  return cancelled.length;
}

export const releaseOfferHolds = (tx: DbClient, actor: Actor, chosenApplicationId: string, at = new Date()) => answerOffer(tx, actor, chosenApplicationId, 'accepted', at);
export const cancelOfferHolds = (tx: DbClient, actor: Actor, chosenApplicationId: string, at = new Date()) => answerOffer(tx, actor, chosenApplicationId, 'declined', at);

export const messageLifecycle = { ...lifecycleRepository, recordEvents: recordMessageEvents, holdWhereChecksFail, releaseOfferHolds, cancelOfferHolds, cancelUnsentOfKind };
export type MessageLifecycle = typeof messageLifecycle;
export type { MessageEventInput, DraftInput, DraftRow, StopInput } from './lifecycle.repository.js';
