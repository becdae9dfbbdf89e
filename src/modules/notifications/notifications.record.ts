// Recording: what needs a person becomes one notification per recipient, in the transaction of the
// change that caused it (so it exists if and only if the change committed), with its email job
// queued through the outbox for people who want one at once. Domain events arrive through
// `emitEvents` (outgoing-webhooks/events.ts); what has no event (approvals waiting for a second
// person, reminders) calls `recordNotifications` directly. Notifications never go to webhooks.
import type { DbClient } from '../../db/client.js';
import type { EmittedEvent, EventType } from '../outgoing-webhooks/events.js';
import { enqueueInTransaction } from '../../queue/outbox.js';
import type { NotificationDetail, NotificationType, SubjectKind } from './notifications.catalogue.js';
import { emailModeFor } from './notifications.preferences.js';
import { notificationsRepository as repo, type Recipient } from './notifications.repository.js';

/** Who hears about it: the requisition's people (else the admins), or the admins for what concerns the whole organization. */
export type Audience = { requisitionId: string; exceptUserIds?: string[] } | 'admins';

export interface NotificationDraft {
  type: NotificationType;
  subjectKind: SubjectKind;
  subjectId: string;
  requisitionId?: string | null;
  detail?: NotificationDetail;
  dueAt?: Date | null;
  /** Per recipient: a second draft with the same key is the same notification. */
  dedupeKey?: string;
  /** With a dedupeKey: a second draft adds one to the stored notification's `detail.count` (nothing new is stored or emailed). */
  countRepeats?: boolean;
  audience: Audience;
  /** When it happened (the event's time); now by default. */
  createdAt?: Date;
}

/**
 * Postmark ErrorCodes about the organization's account or sender, not the recipient: bad token
 * (10), sender signature missing or unconfirmed (400, 401), not allowed to send (405), account
 * pending approval (412).
 */
const ACCOUNT_ERROR_CODES = new Set(['10', '400', '401', '405', '412']);

/** The organization-wide condition a failed message shows, when Postmark refuses the organization rather than the recipient. */
export function postmarkRefusal(code: string, reason: string): string | null {
  if (code === 'postmark_unauthorized') return 'token_refused';
  if (code === 'postmark_not_configured') return 'not_configured';
  if (code === 'postmark_rejected') {
    const errorCode = /ErrorCode (\d+)/.exec(reason)?.[1];
    if (errorCode && ACCOUNT_ERROR_CODES.has(errorCode)) return `sender_refused_${errorCode}`;
  }
  return null;
}

const day = (at: Date) => at.toISOString().slice(0, 10);

/** Narrows an event to its type (its data's type follows). */
const is = <T extends EventType>(event: EmittedEvent, type: T): event is EmittedEvent<T> => event.type === type;

/** The notification a domain event means, if any. */
function draftOf(
  event: EmittedEvent,
  organizationId: string,
): NotificationDraft | { lookUpRequisitionOf: string; draft: Omit<NotificationDraft, 'audience'> } | { lookUpDueOf: string; draft: NotificationDraft } | null {
  const at = event.occurredAt ?? new Date();
  if (is(event, 'candidate.question_asked')) {
    const { data } = event;
    return { lookUpRequisitionOf: data.messageId, draft: { type: 'question_waiting', subjectKind: 'question', subjectId: data.questionId, detail: { messageId: data.messageId } } };
  }
  if (is(event, 'candidate.data_requested')) {
    const { data } = event;
    return {
      lookUpDueOf: data.dataRequestId,
      draft: { type: 'data_request', subjectKind: 'data_request', subjectId: data.dataRequestId, detail: { kind: data.kind }, audience: 'admins' },
    };
  }
  if (is(event, 'message.held')) {
    const { data } = event;
    return {
      type: 'message_held',
      subjectKind: 'message',
      subjectId: data.messageId,
      requisitionId: data.requisitionId,
      detail: { code: data.code },
      audience: { requisitionId: data.requisitionId },
    };
  }
  if (is(event, 'message.failed')) {
    const { data } = event;
    const refusal = postmarkRefusal(data.code, data.reason);
    // A refused token fails every message: the admins hear it once a day per condition, not once per message.
    if (refusal) {
      return {
        type: 'postmark_refused',
        subjectKind: 'organization',
        subjectId: organizationId,
        detail: { condition: refusal },
        dedupeKey: `postmark_refused.${refusal}.${day(at)}`,
        audience: 'admins',
      };
    }
    return {
      type: 'message_failed',
      subjectKind: 'message',
      subjectId: data.messageId,
      requisitionId: data.requisitionId,
      detail: { code: data.code },
      audience: { requisitionId: data.requisitionId },
    };
  }
  if (is(event, 'plan.created')) {
    const { data } = event;
    if (data.source !== 'ats') return null;
    return {
      type: 'plan_waiting',
      subjectKind: 'plan',
      subjectId: data.planId,
      requisitionId: data.requisitionId,
      detail: { count: data.items },
      dueAt: new Date(data.expiresAt),
      audience: { requisitionId: data.requisitionId },
    };
  }
  if (is(event, 'application.overdue')) {
    const { data } = event;
    return {
      type: 'promise_passed',
      subjectKind: 'application',
      subjectId: data.applicationId,
      requisitionId: data.requisitionId,
      detail: { code: data.reason },
      dueAt: new Date(data.newPromisedDecisionAt),
      audience: { requisitionId: data.requisitionId },
    };
  }
  if (is(event, 'endpoint.disabled')) return { type: 'endpoint_disabled', subjectKind: 'endpoint', subjectId: event.data.endpointId, audience: 'admins' };
  return null;
}

/** The domain events that may notify someone (the others need no lookup at all). */
export const notifyingEventTypes = new Set<string>([
  'candidate.question_asked',
  'candidate.data_requested',
  'message.held',
  'message.failed',
  'plan.created',
  'application.overdue',
  'endpoint.disabled',
]);

/** The message events (messages/lifecycle.ts) whose domain events notify: recorded even when no webhook endpoint listens. */
export const notifyingMessageEvents = new Set<string>(['held', 'failed']);

/** Records the notifications a batch of domain events means. */
/**
 * What an event settles: the notifications about its subject that no longer need anyone, read for
 * every recipient in the event's transaction (a held or failed message that went out or was
 * recalled; a draft approved; a plan from the ATS confirmed; a promise kept by the final word).
 */
function settledBy(event: EmittedEvent): { subjectId: string; types: NotificationType[] } | null {
  if (is(event, 'message.sent') || is(event, 'message.recalled')) {
    return { subjectId: event.data.messageId, types: ['message_held', 'message_failed', 'approval_waiting'] };
  }
  if (is(event, 'message.approved')) return { subjectId: event.data.messageId, types: ['approval_waiting'] };
  if (is(event, 'plan.confirmed')) return { subjectId: event.data.planId, types: ['plan_waiting', 'plan_expiring', 'approval_waiting'] };
  if (is(event, 'application.rejected')) return { subjectId: event.data.applicationId, types: ['promise_passed'] };
  return null;
}

export async function recordForEvents(tx: DbClient, organizationId: string, events: EmittedEvent[]): Promise<number> {
  // Settled in one statement per kind of event and moment, not one per event: a batch of 500
  // rejections sent settles 500 applications' notifications at once.
  const settling = new Map<string, { types: NotificationType[]; at: Date; subjectIds: string[] }>();
  for (const event of events) {
    const settled = settledBy(event);
    if (!settled) continue;
    const at = event.occurredAt ?? new Date();
    const key = `${settled.types.join(',')}|${at.getTime()}`;
    const group = settling.get(key) ?? { types: settled.types, at, subjectIds: [] };
    group.subjectIds.push(settled.subjectId);
    settling.set(key, group);
  }
  for (const { types, at, subjectIds } of settling.values()) await repo.resolve(tx, organizationId, subjectIds, types, at);

  const drafts: NotificationDraft[] = [];
  for (const event of events) {
    if (!notifyingEventTypes.has(event.type)) continue;
    const drafted = draftOf(event, organizationId);
    if (!drafted) continue;
    const createdAt = event.occurredAt ?? new Date();
    if ('lookUpDueOf' in drafted) {
      // The legal due date is the data-rights module's (a calendar month from the request).
      drafts.push({ ...drafted.draft, dueAt: await repo.dataRequestDueAt(tx, drafted.lookUpDueOf), createdAt });
    } else if ('lookUpRequisitionOf' in drafted) {
      const message = await repo.messageRequisition(tx, drafted.lookUpRequisitionOf);
      drafts.push({ ...drafted.draft, requisitionId: message?.requisitionId ?? null, audience: message ? { requisitionId: message.requisitionId } : 'admins', createdAt });
    } else drafts.push({ ...drafted, createdAt });
  }
  return recordNotifications(tx, organizationId, drafts);
}

/** Stores one notification per recipient of each draft and queues the emails wanted at once. Returns how many were stored. */
export async function recordNotifications(tx: DbClient, organizationId: string, drafts: NotificationDraft[], at = new Date()): Promise<number> {
  if (drafts.length === 0) return 0;
  const audiences = new Map<string, Recipient[]>();
  const recipientsOf = async (audience: Audience) => {
    const key = audience === 'admins' ? 'admins' : audience.requisitionId;
    if (!audiences.has(key)) {
      const members = audience === 'admins' ? [] : await repo.members(tx, organizationId, audience.requisitionId);
      audiences.set(key, members.length > 0 ? members : await repo.admins(tx, organizationId));
    }
    const except = new Set(audience === 'admins' ? [] : (audience.exceptUserIds ?? []));
    const chosen = audiences.get(key)!.filter((r) => !except.has(r.id));
    // Nobody else on the requisition: the admins (other than who is excepted) decide.
    if (chosen.length === 0 && audience !== 'admins') return (await repo.admins(tx, organizationId)).filter((r) => !except.has(r.id));
    return chosen;
  };

  const preferences = new Map<string, Recipient['preference']>();
  const rows = new Map<string, Parameters<typeof repo.insert>[1][number]>();
  for (const draft of drafts) {
    for (const recipient of await recipientsOf(draft.audience)) {
      preferences.set(recipient.id, recipient.preference);
      const dedupeKey = draft.dedupeKey ?? null;
      const row = {
        organizationId,
        userId: recipient.id,
        type: draft.type,
        subjectKind: draft.subjectKind,
        subjectId: draft.subjectId,
        requisitionId: draft.requisitionId ?? (draft.audience === 'admins' ? null : draft.audience.requisitionId),
        detail: draft.detail ?? {},
        dueAt: draft.dueAt ?? null,
        dedupeKey,
        createdAt: draft.createdAt ?? at,
      };
      rows.set(dedupeKey ? `${recipient.id}.${dedupeKey}` : `${rows.size}`, row);
    }
  }
  // Counted before the insert, which then skips whoever already has it.
  const repeats = drafts.filter((d) => d.countRepeats && d.dedupeKey);
  if (repeats.length > 0) {
    const users = [...rows.values()].filter((r) => repeats.some((d) => d.dedupeKey === r.dedupeKey)).map((r) => r.userId);
    await repo.countRepeats(tx, [...new Set(users)], [...new Set(repeats.map((d) => d.dedupeKey!))]);
  }
  const stored = await repo.insert(tx, [...rows.values()]);
  await enqueueInTransaction(
    tx,
    stored.filter((n) => emailModeFor(preferences.get(n.userId) ?? null, n.type) === 'immediately').map((n) => notificationEmailJob(n.id)),
  );
  return stored.length;
}

/** The job that emails one notification on its own; its id makes a second queueing the same job. */
export const notificationEmailJob = (notificationId: string) => ({
  queue: 'notifications' as const,
  name: 'email',
  payload: { task: 'email' as const, notificationId },
  jobId: `notification-email.${notificationId}`,
});

/**
 * Messages that wait for a second approver (four-eyes): the people who may approve them, other
 * than who wrote or confirmed them, hear it once per plan rendered or per edited version.
 */
export async function recordApprovalsWaiting(
  tx: DbClient,
  organizationId: string,
  waiting: { requisitionId: string; author: string | null; count: number } & ({ planId: string } | { messageId: string; contentVersion: number }),
): Promise<number> {
  if (waiting.count === 0) return 0;
  const authorId = waiting.author?.startsWith('user:') ? waiting.author.slice('user:'.length) : null;
  const subject =
    'planId' in waiting
      ? { subjectKind: 'plan' as const, subjectId: waiting.planId, dedupeKey: `approval_waiting.plan.${waiting.planId}` }
      : { subjectKind: 'message' as const, subjectId: waiting.messageId, dedupeKey: `approval_waiting.message.${waiting.messageId}.v${waiting.contentVersion}` };
  return recordNotifications(tx, organizationId, [
    {
      type: 'approval_waiting',
      ...subject,
      requisitionId: waiting.requisitionId,
      detail: { count: waiting.count },
      audience: { requisitionId: waiting.requisitionId, exceptUserIds: authorId ? [authorId] : [] },
    },
  ]);
}

/**
 * What was dealt with stops waiting for anyone: every recipient's unread notification of these
 * types about the subject is marked read (a question answered is no longer waiting).
 */
export async function resolveNotifications(tx: DbClient, organizationId: string, subjectId: string, types: NotificationType[], at = new Date()): Promise<number> {
  return (await repo.resolve(tx, organizationId, [subjectId], types, at)).count;
}
