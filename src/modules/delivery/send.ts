// Sending one batch: re-check every message, claim what may go, hand it to Postmark, record the
// answer. Each attempt claims its messages with one conditional UPDATE (scheduled → sending, with a
// claim token), so a message is handed to Postmark by one attempt at most. An answer that does not
// say whether Postmark has them leaves them `unknown` until a search says (reconcile.ts).
import { randomUUID } from 'node:crypto';
import { fromHeader, sendEmails, type BatchResult, type OutgoingEmail } from '../../email/postmark.js';
import { enqueueInTransaction } from '../../queue/outbox.js';
import type { Check } from '../decisions/checks.js';
import { normalizeEmail } from '../hiring/identity.js';
import { feedbackToken, withFeedbackToken } from '../messages/feedback-link.js';
import { contentHashOf, linkExpiresAt, sendTimeAtDispatch } from '../messages/message-policy.js';
import { BATCH_TRANSACTION, messageEvent, reconcileJob, sendJob, type DeliveryContext } from './delivery-context.js';
import { deliveryRepository as repo, type BatchMessage as Message } from './delivery.repository.js';

type Sender = Awaited<ReturnType<DeliveryContext['sessionFor']>>['sender'];

export function createSend(ctx: DeliveryContext) {
  const { db, settings, logger, messages, decisions, linkSecret, now } = ctx;

  /**
   * Everything that may stop a scheduled message before the claim: content that is not what was
   * approved, a send time that moved later, a confirmation check that fails now, a suppressed
   * address, attempts used up. Returns the messages that may go.
   */
  async function checkBatch(batchId: string, scheduled: Message[], sender: Sender, started: Date) {
    const organizationId = scheduled[0]!.organizationId;
    const scope = { status: 'scheduled' as const, batchId };
    const tampered = scheduled.filter((m) => !m.approvedAt || !m.contentHash || m.approvedContentHash !== m.contentHash || contentHashOf(m) !== m.contentHash);
    const intact = scheduled.filter((m) => !tampered.includes(m));

    // The send time again (the facts came with the batch): an interview moved, a time zone
    // changed, or this is later than planned and outside the candidate's hours.
    const later: { message: Message; sendAt: Date }[] = [];
    const onTime: Message[] = [];
    for (const message of intact) {
      const sendAt = sendTimeAtDispatch(started, { action: message.action, lastInterviewAt: message.lastInterviewAt, timezone: message.timezone }, sender);
      if (sendAt.getTime() > started.getTime() + 1000) later.push({ message, sendAt });
      else onTime.push(message);
    }
    for (const { message, sendAt } of later) {
      if ((await messages.move(db, 'postpone', [message.id], scope, { status: 'approved', sendAt, batchId: null, nextAttemptAt: null })).length > 0) {
        await messages.recordEvents(db, [messageEvent(message, 'rescheduled', { sendAt: sendAt.toISOString() })]);
      }
    }

    const verdicts = await decisions.recheck(db, onTime);
    const held: { id: string; code: string; reason: string; checks?: Check[] }[] = [
      ...tampered.map((m) => ({ id: m.id, code: 'content_changed', reason: 'The content is not the version that was approved; review and approve it again' })),
      ...onTime.flatMap((m) => {
        const verdict = verdicts.get(m.id);
        return verdict && !verdict.ok ? [{ id: m.id, code: verdict.code, reason: verdict.reason, checks: verdict.checks }] : [];
      }),
    ];
    const heldIds = new Set(await messages.stop(db, 'hold', held, scope, started));
    await messages.recordEvents(
      db,
      held
        .filter((h) => heldIds.has(h.id))
        .map((h) => messageEvent({ id: h.id, organizationId }, 'held', { code: h.code, reason: h.reason, checks: (h.checks ?? []).map((c) => c.code) })),
    );

    // Every way back to `scheduled` (retries, resends after a search) counts against the cap.
    const exhausted = onTime.filter((m) => verdicts.get(m.id)?.ok && m.sendAttempts >= settings.maxAttempts);
    const exhaustedIds = new Set(
      await messages.stop(
        db,
        'fail',
        exhausted.map((m) => ({ id: m.id, code: 'retries_exhausted', reason: `Gave up after ${m.sendAttempts} attempts; last: ${m.failureReason ?? 'no answer'}`.slice(0, 2000) })),
        scope,
        started,
      ),
    );
    await messages.recordEvents(
      db,
      exhausted.filter((m) => exhaustedIds.has(m.id)).map((m) => messageEvent(m, 'failed', { code: 'retries_exhausted' })),
    );

    return { ready: onTime.filter((m) => verdicts.get(m.id)?.ok && m.sendAttempts < settings.maxAttempts), held: heldIds.size, postponed: later.length };
  }

  /**
   * The emails as the candidates receive them: the link token goes in here, never into storage.
   * To carries the candidate's name; a reply goes to the organization's reply address, else the
   * requisition's hiring contact (the page tells candidates they may reply).
   */
  function emailsOf(claimed: Message[], sender: Sender): OutgoingEmail[] {
    const stream = sender.messageStream ?? settings.defaultStream;
    return claimed.map((m) => {
      const content = withFeedbackToken({ subject: m.subject!, html: m.html!, text: m.text! }, feedbackToken(linkSecret, m.id));
      const replyTo = sender.replyToEmail ? fromHeader(sender.replyToEmail, sender.senderName ?? sender.name) : m.contactEmail ? fromHeader(m.contactEmail, m.contactName) : null;
      return {
        messageId: m.id,
        organizationId: m.organizationId,
        from: fromHeader(sender.senderEmail!, sender.senderName ?? sender.name),
        to: fromHeader(m.recipientEmail, m.candidateName),
        replyTo,
        trackOpens: sender.trackOpens,
        ...content,
        tag: m.kind,
        stream,
      };
    });
  }

  /** Writes Postmark's answer for the claimed messages. */
  async function record(batchId: string, claimed: Message[], claimToken: string, result: BatchResult, sender: Sender): Promise<Record<string, number>> {
    const organizationId = claimed[0]!.organizationId;
    const sending = { status: 'sending' as const, claimToken };
    const at = now();
    const ids = claimed.map((m) => m.id);
    const attempts = Math.max(...claimed.map((m) => m.sendAttempts + 1));

    if (result.kind === 'answered') {
      const sent = claimed.flatMap((m, i) => {
        const entry = result.entries[i]!;
        return entry.kind === 'sent'
          ? [{ id: m.id, postmarkMessageId: entry.postmarkMessageId, sentAt: entry.submittedAt, linkExpiresAt: linkExpiresAt(entry.submittedAt, sender) }]
          : [];
      });
      const failed = claimed.flatMap((m, i) => {
        const entry = result.entries[i]!;
        return entry.kind === 'failed' ? [{ message: m, ...entry }] : [];
      });
      await ctx.persist('record batch outcome', () =>
        db.$transaction(async (tx) => {
          // Only what this attempt still holds: a sweeper may have judged it abandoned meanwhile.
          const marked = new Set(await messages.markSent(tx, claimToken, sent, at));
          const refused = new Set(
            await messages.stop(
              tx,
              'fail',
              failed.map((f) => ({ id: f.message.id, code: f.code, reason: f.reason })),
              sending,
              at,
            ),
          );
          await repo.suppress(
            tx,
            organizationId,
            failed.filter((f) => f.suppress).map((f) => ({ email: normalizeEmail(f.message.recipientEmail), reason: 'inactive_recipient', source: 'postmark' })),
          );
          await messages.recordEvents(tx, [
            ...sent.filter((s) => marked.has(s.id)).map((s) => messageEvent({ id: s.id, organizationId }, 'sent', { postmarkMessageId: s.postmarkMessageId })),
            ...failed
              .filter((f) => refused.has(f.message.id))
              .map((f) => messageEvent(f.message, 'failed', { code: f.code, reason: f.reason, postmarkErrorCode: f.postmarkErrorCode })),
          ]);
        }, BATCH_TRANSACTION),
      );
      return { sent: sent.length, failed: failed.length };
    }

    if (result.kind === 'retry' && attempts < settings.maxAttempts) {
      const next = new Date(at.getTime() + ctx.retryDelay(attempts, result.retryAfterMs));
      await ctx.persist('schedule retry', () =>
        db.$transaction(async (tx) => {
          await messages.move(tx, 'backOff', ids, sending, {
            status: 'scheduled',
            claimToken: null,
            nextAttemptAt: next,
            failureReason: `Attempt ${attempts}: ${result.reason}`.slice(0, 2000),
          });
          await enqueueInTransaction(tx, [sendJob(batchId, next)]);
        }, BATCH_TRANSACTION),
      );
      logger.info({ batchId, attempts, retryAt: next.toISOString(), reason: result.reason }, 'batch will be retried');
      return { retrying: ids.length };
    }

    if (result.kind === 'retry' || result.kind === 'final') {
      const code = result.kind === 'final' ? result.code : 'retries_exhausted';
      const reason = result.kind === 'final' ? result.reason : `Gave up after ${attempts} attempts; last answer: ${result.reason}`;
      await ctx.persist('record failure', () =>
        db.$transaction(async (tx) => {
          const failed = new Set(
            await messages.stop(
              tx,
              'fail',
              ids.map((id) => ({ id, code, reason: reason.slice(0, 2000) })),
              sending,
              at,
            ),
          );
          await messages.recordEvents(
            tx,
            claimed.filter((m) => failed.has(m.id)).map((m) => messageEvent(m, 'failed', { code, reason })),
          );
        }, BATCH_TRANSACTION),
      );
      return { failed: ids.length };
    }

    // Ambiguous: Postmark may have them. Nothing is sent again before a search says otherwise.
    const reconcileAt = new Date(at.getTime() + settings.reconcileDelayMs);
    await ctx.persist('record unknown outcome', () =>
      db.$transaction(async (tx) => {
        const moved = new Set(
          await messages.move(tx, 'lose', ids, sending, { status: 'unknown', claimToken: null, nextAttemptAt: reconcileAt, failureReason: result.reason.slice(0, 2000) }),
        );
        await messages.recordEvents(
          tx,
          claimed.filter((m) => moved.has(m.id)).map((m) => messageEvent(m, 'unknown', { reason: result.reason })),
        );
        await enqueueInTransaction(tx, [reconcileJob(batchId, reconcileAt)]);
      }, BATCH_TRANSACTION),
    );
    logger.warn({ batchId, messages: ids.length, reason: result.reason }, 'batch outcome unknown; will reconcile');
    return { unknown: ids.length };
  }

  /** One attempt at a batch: re-check, claim, send, record. */
  return async function sendBatch(batchId: string): Promise<Record<string, number>> {
    const started = now();
    const scheduled = await repo.batch(db, batchId, 'scheduled', started);
    if (scheduled.length === 0) return { claimed: 0 };
    const organizationId = scheduled[0]!.organizationId;
    const { sender, session } = await ctx.sessionFor(organizationId);

    if (!session) {
      const reason = 'The organization has no Postmark server token or sender; set them with PUT /v1/organization/postmark, then retry';
      const failed = new Set(
        await messages.stop(
          db,
          'fail',
          scheduled.map((m) => ({ id: m.id, code: 'postmark_not_configured', reason })),
          { status: 'scheduled', batchId },
          started,
        ),
      );
      await messages.recordEvents(
        db,
        scheduled.filter((m) => failed.has(m.id)).map((m) => messageEvent(m, 'failed', { code: 'postmark_not_configured', reason })),
      );
      return { failed: failed.size };
    }

    // The addressing came with the batch, read before the claim: a failed read leaves nothing half-claimed.
    const { ready, held, postponed } = await checkBatch(batchId, scheduled, sender, started);
    const claimToken = randomUUID();
    const claimedIds = new Set(
      await messages.claim(
        db,
        batchId,
        ready.map((m) => m.id),
        claimToken,
        now(),
      ),
    );
    const claimed = ready.filter((m) => claimedIds.has(m.id));
    if (claimed.length === 0) return { held, rescheduled: postponed, claimed: 0 };

    let emails: OutgoingEmail[];
    try {
      emails = emailsOf(claimed, sender);
    } catch (error) {
      // Nothing left for Postmark: a bug, not an outage. Say so instead of looping.
      const reason = `The email could not be built: ${(error as Error).message}`.slice(0, 2000);
      const failed = new Set(
        await messages.stop(
          db,
          'fail',
          claimed.map((m) => ({ id: m.id, code: 'send_error', reason })),
          { status: 'sending', claimToken },
          now(),
        ),
      );
      await messages.recordEvents(
        db,
        claimed.filter((m) => failed.has(m.id)).map((m) => messageEvent(m, 'failed', { code: 'send_error', reason })),
      );
      logger.error({ err: error, batchId }, 'could not build a batch');
      return { failed: failed.size };
    }
    const result = await sendEmails(session, emails);
    const outcome = await record(batchId, claimed, claimToken, result, sender);
    return { held, rescheduled: postponed, claimed: claimed.length, ...outcome };
  };
}
