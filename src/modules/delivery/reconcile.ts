// Reconciling an unknown outcome: Postmark's outbound search, by the id in each message's
// Metadata, says whether an attempt we could not hear back from reached it. Found → sent (nothing
// resent); absent twice, a delay apart → scheduled again; the search failing for too long → failed
// as `unknown_unresolved`, for a person to check Postmark's activity before retrying.
import { findSent } from '../../email/postmark.js';
import { mapLimit } from '../../lib/concurrency.js';
import { enqueueInTransaction } from '../../queue/outbox.js';
import { linkExpiresAt } from '../messages/message-policy.js';
import { BATCH_TRANSACTION, messageEvent, reconcileJob, sendJob, type DeliveryContext } from './delivery-context.js';

/** Searches run at once while reconciling one batch. */
const SEARCH_CONCURRENCY = 8;
/** Searches per unknown message before a person has to look (Postmark unreachable for hours). */
export const MAX_RECONCILE_ROUNDS = 20;

export function createReconcile(ctx: DeliveryContext) {
  const { db, settings, logger, messages, now, claimTimeoutMs } = ctx;

  return async function reconcile(batchId: string): Promise<Record<string, number>> {
    const at = now();
    // Leased for as long as the searches could take, so a sweep does not start a second round.
    const leaseMs = Math.max(claimTimeoutMs, Math.ceil(settings.batchSize / SEARCH_CONCURRENCY) * settings.postmarkTimeoutMs + 5_000);
    const unknown = await messages.leaseUnknown(db, batchId, at, new Date(at.getTime() + leaseMs));
    if (unknown.length === 0) return { reconciled: 0 };
    const { sender, session } = await ctx.sessionFor(unknown[0]!.organizationId);
    const stream = sender.messageStream ?? settings.defaultStream;

    const results = session
      ? await mapLimit(unknown, SEARCH_CONCURRENCY, (m) => findSent(session, m.id, stream))
      : unknown.map(() => ({ kind: 'error' as const, reason: 'the organization has no Postmark server token to search with' }));
    const found = unknown.flatMap((m, i) => {
      const r = results[i]!;
      return r.kind === 'found' ? [{ m, postmarkMessageId: r.postmarkMessageId, sentAt: r.receivedAt }] : [];
    });
    // Absent twice, a delay apart, before anything is sent again: search may lag behind sending.
    const absent = unknown.filter((_, i) => results[i]!.kind === 'absent');
    const absentAgain = absent.filter((m) => m.reconcileRounds >= 1);
    const absentFirst = absent.filter((m) => m.reconcileRounds < 1);
    const errors = unknown.flatMap((m, i) => {
      const r = results[i]!;
      return r.kind === 'error' ? [{ m, reason: r.reason }] : [];
    });
    const unresolved = errors.filter((e) => e.m.reconcileRounds + 1 >= MAX_RECONCILE_ROUNDS);
    const askAgain = [...absentFirst, ...errors.filter((e) => !unresolved.includes(e)).map((e) => e.m)];
    const nextSearch = new Date(at.getTime() + Math.max(settings.reconcileDelayMs, 1_000));
    const scope = { batchId };
    if (errors.length > 0) logger.warn({ batchId, errors: errors.length, reason: errors[0]!.reason }, 'Postmark search failed while reconciling');

    await db.$transaction(async (tx) => {
      const marked = new Set(
        await messages.markReconciled(
          tx,
          batchId,
          found.map((f) => ({ id: f.m.id, postmarkMessageId: f.postmarkMessageId, sentAt: f.sentAt, linkExpiresAt: linkExpiresAt(f.sentAt, sender) })),
          at,
        ),
      );
      const confirmed = found.filter((f) => marked.has(f.m.id));
      const resend = new Set(
        await messages.move(
          tx,
          'reconcile',
          absentAgain.map((m) => m.id),
          scope,
          {
            status: 'scheduled',
            nextAttemptAt: at,
            reconcileRounds: 0,
            failureReason: 'Not found at Postmark after an unknown outcome (searched twice); sending again',
          },
        ),
      );
      await messages.move(
        tx,
        'reconcile',
        askAgain.map((m) => m.id),
        scope,
        { nextAttemptAt: nextSearch, reconcileRounds: { increment: 1 } },
      );
      const given = new Set(
        await messages.stop(
          tx,
          'fail',
          unresolved.map((e) => ({
            id: e.m.id,
            code: 'unknown_unresolved',
            reason: `Postmark could not be asked whether it was sent (${e.reason}); check Postmark’s activity before retrying`.slice(0, 2000),
          })),
          { status: 'unknown', batchId },
          at,
        ),
      );
      await messages.recordEvents(tx, [
        ...confirmed.map((f) => messageEvent(f.m, 'reconciled', { found: true, postmarkMessageId: f.postmarkMessageId })),
        ...absentAgain.filter((m) => resend.has(m.id)).map((m) => messageEvent(m, 'reconciled', { found: false })),
        ...unresolved.filter((e) => given.has(e.m.id)).map((e) => messageEvent(e.m, 'failed', { code: 'unknown_unresolved', reason: e.reason })),
      ]);
      await enqueueInTransaction(tx, [...(resend.size > 0 ? [sendJob(batchId)] : []), ...(askAgain.length > 0 ? [reconcileJob(batchId, nextSearch)] : [])]);
    }, BATCH_TRANSACTION);
    return { found: found.length, absent: absent.length, searchErrors: errors.length };
  };
}
