// One-off emails to candidates that follow from someone's action (the answer to their question),
// sent exactly once with the same rules as messages, one email at a time:
//
//   pending ──claim──▶ sending ──▶ sent
//      ▲                  ├── retry (429/5xx, network refused) ──▶ pending, later
//      │                  ├──▶ failed (Postmark's final answer, suppressed address, no sender)
//      └── absent twice ──┴──▶ unknown ──search──▶ sent, or pending again
//
// A row exists once per (purpose, subject), written in the transaction of the action, with its
// job through the outbox; the job and the sweep only carry the id. The candidate's feedback-link
// token is put in at the last moment, as for messages, and never stored.
import { randomUUID } from 'node:crypto';
import { findSent, fromHeader, sendEmails } from '../../email/postmark.js';
import type { DbClient } from '../../db/client.js';
import { enqueueInTransaction, type OutboxEntry } from '../../queue/outbox.js';
import { feedbackToken, withFeedbackToken } from '../messages/feedback-link.js';
import type { DeliveryContext } from './delivery-context.js';
import { deliveryRepository } from './delivery.repository.js';
import { z } from 'zod';
import { transactionalRepository as repo, transactionalStatuses, type NewTransactionalEmail, type TransactionalStatus } from './transactional.repository.js';
import { MAX_RECONCILE_ROUNDS } from './reconcile.js';

const SWEEP_LIMIT = 500;

export const transactionalJob = (emailId: string, runAt?: Date): OutboxEntry<'delivery'> => ({
  queue: 'delivery',
  name: 'send-transactional',
  payload: { task: 'send-transactional', emailId },
  // Unique per enqueue: BullMQ keeps finished jobs for a day and would ignore a repeated id.
  jobId: `send-transactional.${emailId}.${randomUUID()}`,
  ...(runAt ? { runAt } : {}),
});

/**
 * Stores the email and its job in the caller's transaction. Once per (organization, purpose,
 * subject): a second call for the same thing stores nothing and returns null.
 */
export async function queueTransactionalEmail(tx: DbClient, email: NewTransactionalEmail): Promise<string | null> {
  const id = await repo.create(tx, email);
  if (id) await enqueueInTransaction(tx, [transactionalJob(id)]);
  return id;
}

const statusSchema = z.enum(transactionalStatuses);

export interface TransactionalEmailStatus {
  status: TransactionalStatus;
  sentAt: Date | null;
  failureCode: string | null;
}

/** Whether each subject's email went, for the API to show beside the thing it told. */
async function statuses(db: DbClient, organizationId: string, purpose: string, subjectIds: string[]): Promise<Map<string, TransactionalEmailStatus>> {
  if (subjectIds.length === 0) return new Map();
  const rows = await repo.bySubjects(db, organizationId, purpose, subjectIds);
  return new Map(rows.map((r) => [r.subjectId, { status: statusSchema.parse(r.status), sentAt: r.sentAt, failureCode: r.failureCode }]));
}

/** What other modules use: queue an email in their transaction, read whether it went. */
export const transactionalMail = { queue: queueTransactionalEmail, statuses };
export type TransactionalMail = typeof transactionalMail;

export function createTransactionalSender(ctx: DeliveryContext) {
  const { db, settings, logger, linkSecret, now } = ctx;

  const fail = (id: string, from: 'sending' | 'unknown', code: string, reason: string) =>
    ctx.persist('record failure', () => repo.move(db, id, from, { status: 'failed', failureCode: code, failureReason: reason.slice(0, 2000), nextAttemptAt: null }));

  /** Postmark could not say whether it has the email: search before anything is sent again. */
  async function reconcile(id: string): Promise<string> {
    const at = now();
    const email = await repo.leaseUnknown(db, id, at, new Date(at.getTime() + ctx.claimTimeoutMs));
    if (!email) return 'not_due';
    const { sender, session } = await ctx.sessionFor(email.organizationId);
    const result = session ? await findSent(session, email.id, sender.messageStream ?? settings.defaultStream) : { kind: 'error' as const, reason: 'no Postmark server token' };
    const next = new Date(at.getTime() + Math.max(settings.reconcileDelayMs, 1_000));
    if (result.kind === 'found') {
      await ctx.persist('record found', () =>
        repo.move(db, id, 'unknown', { status: 'sent', postmarkMessageId: result.postmarkMessageId, sentAt: result.receivedAt, nextAttemptAt: null }),
      );
      return 'sent';
    }
    if (result.kind === 'absent' && email.reconcileRounds >= 1) {
      // Absent twice, a delay apart (search may lag behind sending): send it again.
      await ctx.persist('resend', () =>
        db.$transaction(async (tx) => {
          if (await repo.move(tx, id, 'unknown', { status: 'pending', nextAttemptAt: at, reconcileRounds: 0 })) await enqueueInTransaction(tx, [transactionalJob(id)]);
        }),
      );
      return 'resend';
    }
    if (result.kind === 'error' && email.reconcileRounds + 1 >= MAX_RECONCILE_ROUNDS) {
      await fail(id, 'unknown', 'unknown_unresolved', `Whether Postmark accepted it could not be found out: ${result.reason}`);
      return 'failed';
    }
    await ctx.persist('search again', () =>
      db.$transaction(async (tx) => {
        if (await repo.move(tx, id, 'unknown', { status: 'unknown', nextAttemptAt: next, reconcileRounds: { increment: 1 } }))
          await enqueueInTransaction(tx, [transactionalJob(id, next)]);
      }),
    );
    return 'searching';
  }

  /** One attempt: claim, check, send, record. Any other state is left alone (another attempt has it). */
  async function send(id: string): Promise<string> {
    const current = await repo.byId(db, id);
    if (!current) return 'gone';
    if (current.status === 'unknown') return reconcile(id);
    const at = now();
    const email = await repo.claim(db, id, at);
    if (!email) return current.status;
    if (await repo.isSuppressed(db, email.organizationId, email.recipientEmail)) {
      await fail(id, 'sending', 'recipient_suppressed', 'The address is on the suppression list (a bounce, a complaint or a recruiter’s entry)');
      return 'failed';
    }
    const { sender, session } = await ctx.sessionFor(email.organizationId);
    if (!session) {
      await fail(id, 'sending', 'postmark_not_configured', 'The organization has no Postmark server token or sender; set them with PUT /v1/organization/postmark');
      return 'failed';
    }
    const contact = email.messageId ? (await deliveryRepository.addressing(db, email.organizationId, [email.messageId])).get(email.messageId) : undefined;
    const replyTo = sender.replyToEmail
      ? fromHeader(sender.replyToEmail, sender.senderName ?? sender.name)
      : contact?.contactEmail
        ? fromHeader(contact.contactEmail, contact.contactName)
        : null;
    const content = { subject: email.subject, html: email.html, text: email.text };
    const result = await sendEmails(session, [
      {
        messageId: email.id,
        organizationId: email.organizationId,
        from: fromHeader(sender.senderEmail!, sender.senderName ?? sender.name),
        to: email.toHeader,
        replyTo,
        trackOpens: false,
        ...(email.messageId ? withFeedbackToken(content, feedbackToken(linkSecret, email.messageId)) : content),
        tag: email.tag,
        stream: sender.messageStream ?? settings.defaultStream,
      },
    ]);
    const done = now();
    if (result.kind === 'answered') {
      const entry = result.entries[0]!;
      if (entry.kind === 'sent') {
        await ctx.persist('record sent', () =>
          repo.move(db, id, 'sending', { status: 'sent', postmarkMessageId: entry.postmarkMessageId, sentAt: entry.submittedAt, nextAttemptAt: null }),
        );
        return 'sent';
      }
      await fail(id, 'sending', entry.code, entry.reason);
      return 'failed';
    }
    if (result.kind === 'retry' && email.attempts < settings.maxAttempts) {
      const next = new Date(done.getTime() + ctx.retryDelay(email.attempts, result.retryAfterMs));
      await ctx.persist('schedule retry', () =>
        db.$transaction(async (tx) => {
          if (await repo.move(tx, id, 'sending', { status: 'pending', nextAttemptAt: next, failureReason: `Attempt ${email.attempts}: ${result.reason}`.slice(0, 2000) })) {
            await enqueueInTransaction(tx, [transactionalJob(id, next)]);
          }
        }),
      );
      return 'retrying';
    }
    if (result.kind === 'retry' || result.kind === 'final') {
      const code = result.kind === 'final' ? result.code : 'retries_exhausted';
      await fail(id, 'sending', code, result.kind === 'final' ? result.reason : `Gave up after ${email.attempts} attempts; last answer: ${result.reason}`);
      return 'failed';
    }
    const reconcileAt = new Date(done.getTime() + settings.reconcileDelayMs);
    await ctx.persist('record unknown outcome', () =>
      db.$transaction(async (tx) => {
        if (await repo.move(tx, id, 'sending', { status: 'unknown', nextAttemptAt: reconcileAt, failureReason: result.reason.slice(0, 2000) })) {
          await enqueueInTransaction(tx, [transactionalJob(id, reconcileAt)]);
        }
      }),
    );
    logger.warn({ emailId: id, reason: result.reason }, 'transactional email outcome unknown; will search before sending again');
    return 'unknown';
  }

  /**
   * Takes back work whose job was lost: due pending or unknown emails get a job again; an email
   * left `sending` longer than any request takes (the worker died mid-send) becomes `unknown`,
   * so it is searched for before anything is sent again.
   */
  async function sweep(): Promise<Record<string, number>> {
    const at = now();
    const stale = await repo.stale(db, new Date(at.getTime() - settings.staleMs), new Date(at.getTime() - ctx.claimTimeoutMs), SWEEP_LIMIT);
    let taken = 0;
    for (const email of stale) {
      await db.$transaction(async (tx) => {
        const moved =
          email.status === 'sending' ? await repo.move(tx, email.id, 'sending', { status: 'unknown', nextAttemptAt: at, failureReason: 'The attempt was interrupted' }) : true;
        if (moved) {
          await enqueueInTransaction(tx, [transactionalJob(email.id)]);
          taken++;
        }
      });
    }
    return { taken };
  }

  return { send, sweep };
}
