// Delivery: approved messages reach their candidates through Postmark exactly once.
//
//   approved ──dispatch──▶ scheduled ──claim──▶ sending ──▶ sent ──webhooks──▶ delivered / bounced
//                              ▲                   │
//                              └── retry (429/5xx) ┤──▶ failed (final answer, held by a check)
//                                                  └──▶ unknown ──reconcile──▶ sent, or scheduled again
//
// Postgres is the source of truth, BullMQ only carries work: jobs hold a batch id, never
// candidate data. Each attempt claims its messages with one conditional UPDATE (scheduled →
// sending, with a claim token), so a message is handed to Postmark by one attempt at most. An
// attempt whose outcome is not known (timeout, dropped connection, worker killed) leaves its
// messages `unknown`, and nothing is sent again until Postmark's outbound search, by the id in
// the message's Metadata, says it never arrived. The sweeper takes back work whose job was lost.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import type { DbClient, PrismaClient } from '../../db/client.js';
import type { Message } from '../../generated/prisma/client.js';
import { mapLimit } from '../../lib/concurrency.js';
import type { Sealer } from '../../lib/crypto.js';
import { enqueueInTransaction, type OutboxEntry } from '../../queue/outbox.js';
import { normalizeEmail } from '../hiring/identity.js';
import { emitEvents, messageData, type EmittedEvent } from '../outgoing-webhooks/events.js';
import { feedbackToken, withFeedbackToken } from '../messages/feedback-link.js';
import { contentHashOf } from '../messages/messages.service.js';
import { computeSendAt } from '../messages/send-time.js';
import { deliveryRepository as repo, type DueRow, type MessageEventInput } from './delivery.repository.js';
import { createPostmarkSession, findSent, sendBatch, type OutgoingEmail } from './postmark.js';
import type { Check } from '../decisions/checks.js';
import { checkBeforeSend } from './send-checks.js';

export interface DeliverySettings {
  postmarkApiUrl: string;
  postmarkTimeoutMs: number;
  defaultStream: string;
  batchSize: number;
  maxAttempts: number;
  retryBaseMs: number;
  staleMs: number;
  reconcileDelayMs: number;
}

export interface DeliveryServiceDeps {
  db: PrismaClient;
  sealer: Sealer;
  /** Derives the feedback-link tokens (ENCRYPTION_KEY). */
  linkSecret: string;
  settings: DeliverySettings;
  logger: Logger;
  now?: () => Date;
  random?: () => number;
}

export type DeliveryService = ReturnType<typeof createDeliveryService>;

/** The most messages one dispatch or sweep pass moves (it loops while there are more). */
const PASS_LIMIT = 5000;
/** Retries of the bookkeeping after Postmark answered, before the sweeper has to reconcile. */
const RECORD_ATTEMPTS = 5;
/** Searches run at once while reconciling one batch. */
const SEARCH_CONCURRENCY = 8;
/** Searches per unknown message before a person has to look (Postmark unreachable for hours). */
const MAX_RECONCILE_ROUNDS = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `"Name" <address>`, quoting the name as RFC 5322 wants. */
export function fromHeader(email: string, name: string | null): string {
  if (!name) return email;
  return `"${name.replace(/["\\]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ')}" <${email}>`;
}

/** Chunks rows into batches of one organization and requisition each. */
function intoBatches(rows: DueRow[], size: number): { batchId: string; ids: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const row of rows) {
    const key = `${row.organizationId}|${row.requisitionId}`;
    groups.set(key, [...(groups.get(key) ?? []), row.id]);
  }
  const batches: { batchId: string; ids: string[] }[] = [];
  for (const ids of groups.values()) {
    for (let i = 0; i < ids.length; i += size) batches.push({ batchId: uuidv7(), ids: ids.slice(i, i + size) });
  }
  return batches;
}

const sendJob = (batchId: string, runAt?: Date): OutboxEntry<'delivery'> => ({
  queue: 'delivery',
  name: 'send-batch',
  payload: { task: 'send-batch', batchId },
  // Unique per enqueue: BullMQ keeps finished jobs for a day and would ignore a repeated id.
  jobId: `send-batch.${batchId}.${randomUUID()}`,
  ...(runAt ? { runAt } : {}),
});

const reconcileJob = (batchId: string, runAt: Date): OutboxEntry<'delivery'> => ({
  queue: 'delivery',
  name: 'reconcile',
  payload: { task: 'reconcile', batchId },
  jobId: `reconcile.${batchId}.${randomUUID()}`,
  runAt,
});

export function createDeliveryService({ db, sealer, linkSecret, settings, logger, now = () => new Date(), random = Math.random }: DeliveryServiceDeps) {
  const endpoint = { apiUrl: settings.postmarkApiUrl, timeoutMs: settings.postmarkTimeoutMs };
  /** A claim older than any request could be is abandoned. */
  const claimTimeoutMs = Math.max(settings.staleMs, settings.postmarkTimeoutMs + 5_000);

  /** Exponential from the base, capped at an hour, ±20 % jitter; Retry-After when longer. */
  function retryDelay(attempt: number, retryAfterMs: number | null): number {
    const exponential = Math.min(settings.retryBaseMs * 2 ** Math.max(0, attempt - 1), 3_600_000);
    const jittered = exponential * (0.8 + 0.4 * random());
    return Math.round(Math.max(jittered, retryAfterMs ?? 0));
  }

  /**
   * Records message events and emits their outgoing webhooks (message.sent, message.failed,
   * decision.blocked) in the same transaction. Message details are read only when the
   * organization has an endpoint.
   */
  async function recordEvents(tx: DbClient, events: MessageEventInput[]) {
    await repo.recordEvents(tx, events);
    const outgoing = events.filter((e) => e.type === 'sent' || e.type === 'failed' || e.type === 'held' || (e.type === 'reconciled' && (e.detail as { found?: boolean })?.found));
    for (const organizationId of new Set(outgoing.map((e) => e.organizationId))) {
      if ((await tx.webhookEndpoint.count({ where: { organizationId, enabled: true, disabledAt: null } })) === 0) continue;
      const mine = outgoing.filter((e) => e.organizationId === organizationId);
      const rows = new Map(
        (await tx.message.findMany({ where: { id: { in: mine.map((e) => e.messageId) } }, select: { id: true, applicationId: true, candidateId: true, requisitionId: true, kind: true, sentAt: true } })).map((m) => [m.id, m]),
      );
      await emitEvents(
        tx,
        organizationId,
        mine.flatMap((e): EmittedEvent[] => {
          const m = rows.get(e.messageId);
          if (!m) return [];
          const detail = (e.detail ?? {}) as { code?: string; reason?: string; checks?: string[] };
          if (e.type === 'sent' || e.type === 'reconciled') return [{ type: 'message.sent', data: { ...messageData(m), sentAt: (m.sentAt ?? new Date()).toISOString() } }];
          if (e.type === 'held' && (detail.code === 'send_check_failed' || detail.code === 'recipient_suppressed')) {
            return [{ type: 'decision.blocked', data: { ...messageData(m), code: detail.code, checks: detail.checks ?? [] } }];
          }
          return [{ type: 'message.failed', data: { ...messageData(m), code: detail.code ?? 'failed', reason: detail.reason ?? '' } }];
        }),
      );
    }
  }

  /** Bookkeeping after Postmark answered must not be lost to a brief database outage. */
  async function persist(what: string, write: () => Promise<unknown>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await write();
        return;
      } catch (error) {
        if (attempt >= RECORD_ATTEMPTS) throw error;
        logger.warn({ err: error, attempt, what }, 'delivery bookkeeping failed; retrying');
        await sleep(250 * 2 ** attempt);
      }
    }
  }

  async function sessionFor(organizationId: string) {
    const sender = await repo.sender(db, organizationId);
    if (!sender.postmarkServerToken || !sender.senderEmail) return { sender, session: null };
    return { sender, session: createPostmarkSession(sealer.open(sender.postmarkServerToken), endpoint) };
  }

  const event = (message: Pick<Message, 'id' | 'organizationId'>, type: string, detail?: Record<string, unknown>): MessageEventInput => ({
    organizationId: message.organizationId,
    messageId: message.id,
    type,
    source: 'hearback',
    ...(detail ? { detail: detail as never } : {}),
  });

  /**
   * Moves due approved messages into batches and enqueues one job per batch, in one
   * transaction (the outbox): a batch exists if and only if its job does.
   */
  async function dispatchDue(): Promise<number> {
    let moved = 0;
    for (;;) {
      const at = now();
      const count = await db.$transaction(async (tx) => {
        const due = await repo.due(tx, at, PASS_LIMIT);
        const batches = intoBatches(due, settings.batchSize);
        await repo.assign(tx, batches.flatMap((b) => b.ids.map((id) => ({ id, batchId: b.batchId }))), 'approved', at);
        await enqueueInTransaction(tx, batches.map((b) => sendJob(b.batchId)));
        return due.length;
      });
      moved += count;
      if (count < PASS_LIMIT) return moved;
    }
  }

  /**
   * Takes back work whose job was lost: scheduled messages that waited too long get a new batch
   * and job; claims older than any request become unknown and are reconciled; unknown messages
   * whose reconciliation was lost get a new one.
   */
  async function sweep(): Promise<{ rescheduled: number; abandoned: number; reconciling: number }> {
    const at = now();
    return db.$transaction(async (tx) => {
      const stranded = await repo.stranded(tx, new Date(at.getTime() - settings.staleMs), PASS_LIMIT);
      const batches = intoBatches(stranded, settings.batchSize);
      await repo.assign(tx, batches.flatMap((b) => b.ids.map((id) => ({ id, batchId: b.batchId }))), 'scheduled', at);
      const jobs = batches.map((b) => sendJob(b.batchId));

      const abandoned = await repo.abandonedClaims(tx, new Date(at.getTime() - claimTimeoutMs), PASS_LIMIT);
      const reconcileAt = new Date(at.getTime() + settings.reconcileDelayMs);
      const moved = new Set(
        await repo.move(tx, abandoned.map((a) => a.id), { status: 'sending' }, {
          status: 'unknown',
          claimToken: null,
          nextAttemptAt: reconcileAt,
          failureReason: 'The attempt stopped before Postmark’s answer was recorded',
        }),
      );
      await recordEvents(tx, abandoned.filter((a) => moved.has(a.id)).map((a) => event(a, 'unknown', { reason: 'attempt abandoned' })));
      const toReconcile = new Set(abandoned.map((a) => a.batchId));
      jobs.push(...[...toReconcile].map((batchId) => reconcileJob(batchId, reconcileAt)));

      const forgotten = await repo.forgottenUnknown(tx, new Date(at.getTime() - settings.staleMs), PASS_LIMIT);
      for (const { batchId } of forgotten) {
        if (toReconcile.has(batchId)) continue;
        toReconcile.add(batchId);
        jobs.push(reconcileJob(batchId, at));
      }
      await enqueueInTransaction(tx, jobs);
      if (stranded.length || abandoned.length || forgotten.length) {
        logger.warn({ rescheduled: stranded.length, abandoned: abandoned.length, reconciling: toReconcile.size }, 'delivery sweep took back lost work');
      }
      return { rescheduled: stranded.length, abandoned: abandoned.length, reconciling: toReconcile.size };
    });
  }

  /** One attempt at a batch: re-check, claim, send, record. */
  async function sendBatchJob(batchId: string): Promise<Record<string, number>> {
    const started = now();
    const candidates = await repo.batch(db, batchId, 'scheduled', started);
    if (candidates.length === 0) return { claimed: 0 };
    const organizationId = candidates[0]!.organizationId;
    const { sender, session } = await sessionFor(organizationId);
    const scope = { status: 'scheduled' as const, batchId };

    if (!session) {
      const failed = await repo.fail(
        db,
        candidates.map((m) => ({ id: m.id, code: 'postmark_not_configured', reason: 'The organization has no Postmark server token or sender; set them with PUT /v1/organization/postmark, then retry' })),
        scope,
        started,
      );
      await recordEvents(db, candidates.filter((m) => failed.includes(m.id)).map((m) => event(m, 'failed', { code: 'postmark_not_configured' })));
      return { failed: failed.length };
    }

    // The content must be exactly what was approved.
    const tampered = candidates.filter((m) => !m.approvedAt || !m.contentHash || m.approvedContentHash !== m.contentHash || contentHashOf(m) !== m.contentHash);
    const intact = candidates.filter((m) => !tampered.includes(m));

    // The send time again: an interview moved, a time zone changed, or this is later than planned
    // and outside the candidate's hours.
    const facts = new Map((await repo.sendFacts(db, intact.map((m) => m.id))).map((f) => [f.id, f]));
    const later: { message: Message; sendAt: Date }[] = [];
    const onTime: Message[] = [];
    for (const message of intact) {
      const f = facts.get(message.id);
      const sendAt = computeSendAt(
        {
          approvedAt: new Date(started.getTime() - sender.undoWindowMinutes * 60_000),
          isRejection: message.action === 'reject',
          lastInterviewAt: f?.lastInterviewAt ?? null,
          timezone: f?.timezone ?? null,
        },
        sender,
      );
      if (sendAt.getTime() > started.getTime() + 1000) later.push({ message, sendAt });
      else onTime.push(message);
    }
    for (const { message, sendAt } of later) {
      if ((await repo.move(db, [message.id], scope, { status: 'approved', sendAt, batchId: null, nextAttemptAt: null })).length > 0) {
        await recordEvents(db, [event(message, 'rescheduled', { sendAt: sendAt.toISOString() })]);
      }
    }

    const verdicts = await checkBeforeSend(db, onTime);
    const held: { id: string; code: string; reason: string; checks?: Check[] }[] = [
      ...tampered.map((m) => ({ id: m.id, code: 'content_changed', reason: 'The content is not the version that was approved; review and approve it again' })),
      ...onTime.flatMap((m) => {
        const verdict = verdicts.get(m.id);
        return verdict && !verdict.ok ? [{ id: m.id, code: verdict.code, reason: verdict.reason, checks: verdict.checks }] : [];
      }),
    ];
    const heldIds = await repo.fail(db, held, scope, started);
    await recordEvents(
      db,
      held
        .filter((h) => heldIds.includes(h.id))
        .map((h) => event({ id: h.id, organizationId }, 'held', { code: h.code, reason: h.reason, checks: (h.checks ?? []).map((c) => c.code) })),
    );

    // Every way back to `scheduled` (retries, resends after a search) counts against the cap.
    const exhausted = onTime.filter((m) => verdicts.get(m.id)?.ok && m.sendAttempts >= settings.maxAttempts);
    const exhaustedIds = await repo.fail(
      db,
      exhausted.map((m) => ({ id: m.id, code: 'retries_exhausted', reason: `Gave up after ${m.sendAttempts} attempts; last: ${m.failureReason ?? 'no answer'}`.slice(0, 2000) })),
      scope,
      started,
    );
    await recordEvents(db, exhausted.filter((m) => exhaustedIds.includes(m.id)).map((m) => event(m, 'failed', { code: 'retries_exhausted' })));

    const ready = onTime.filter((m) => verdicts.get(m.id)?.ok && m.sendAttempts < settings.maxAttempts);
    const claimToken = randomUUID();
    const claimedIds = new Set(await repo.claim(db, batchId, ready.map((m) => m.id), claimToken, now()));
    const claimed = ready.filter((m) => claimedIds.has(m.id));
    if (claimed.length === 0) return { held: heldIds.length, rescheduled: later.length, claimed: 0 };

    const stream = sender.messageStream ?? settings.defaultStream;
    let emails: OutgoingEmail[];
    try {
      emails = claimed.map((m) => {
        const content = withFeedbackToken({ subject: m.subject!, html: m.html!, text: m.text! }, feedbackToken(linkSecret, m.id));
        return { messageId: m.id, organizationId, from: fromHeader(sender.senderEmail!, sender.senderName ?? sender.name), to: m.recipientEmail, ...content, tag: m.kind, stream };
      });
    } catch (error) {
      // Nothing left for Postmark: a bug, not an outage. Say so instead of looping.
      const reason = `The email could not be built: ${(error as Error).message}`.slice(0, 2000);
      const failed = await repo.fail(db, claimed.map((m) => ({ id: m.id, code: 'send_error', reason })), { status: 'sending', claimToken }, now());
      await recordEvents(db, claimed.filter((m) => failed.includes(m.id)).map((m) => event(m, 'failed', { code: 'send_error', reason })));
      logger.error({ err: error, batchId }, 'could not build a batch');
      return { failed: failed.length };
    }
    const result = await sendBatch(session, emails);
    const outcome = await record(batchId, organizationId, claimed, claimToken, result, sender.feedbackLinkDays);
    return { held: heldIds.length, rescheduled: later.length, claimed: claimed.length, ...outcome };
  }

  async function record(
    batchId: string,
    organizationId: string,
    claimed: Message[],
    claimToken: string,
    result: Awaited<ReturnType<typeof sendBatch>>,
    linkDays: number,
  ): Promise<Record<string, number>> {
    const sending = { status: 'sending' as const, claimToken };
    const at = now();
    const ids = claimed.map((m) => m.id);
    const attempts = Math.max(...claimed.map((m) => m.sendAttempts + 1));

    if (result.kind === 'answered') {
      const sent = claimed.flatMap((m, i) => {
        const entry = result.entries[i]!;
        return entry.kind === 'sent'
          ? [{ id: m.id, postmarkMessageId: entry.postmarkMessageId, sentAt: entry.submittedAt, linkExpiresAt: new Date(entry.submittedAt.getTime() + linkDays * 86_400_000) }]
          : [];
      });
      const failed = claimed.flatMap((m, i) => {
        const entry = result.entries[i]!;
        return entry.kind === 'failed' ? [{ message: m, ...entry }] : [];
      });
      await persist('record batch outcome', () =>
        db.$transaction(async (tx) => {
          // Only what this attempt still holds: a sweeper may have judged it abandoned meanwhile.
          const marked = new Set(await repo.markSent(tx, claimToken, sent, at));
          const refused = new Set(await repo.fail(tx, failed.map((f) => ({ id: f.message.id, code: f.code, reason: f.reason })), sending, at));
          await repo.suppress(
            tx,
            organizationId,
            failed.filter((f) => f.suppress).map((f) => ({ email: normalizeEmail(f.message.recipientEmail), reason: 'inactive_recipient', source: 'postmark' })),
          );
          await recordEvents(tx, [
            ...sent.filter((s) => marked.has(s.id)).map((s) => event({ id: s.id, organizationId }, 'sent', { postmarkMessageId: s.postmarkMessageId })),
            ...failed
              .filter((f) => refused.has(f.message.id))
              .map((f) => event(f.message, 'failed', { code: f.code, reason: f.reason, postmarkErrorCode: f.postmarkErrorCode })),
          ]);
        }),
      );
      return { sent: sent.length, failed: failed.length };
    }

    if (result.kind === 'retry' && attempts < settings.maxAttempts) {
      const next = new Date(at.getTime() + retryDelay(attempts, result.retryAfterMs));
      await persist('schedule retry', () =>
        db.$transaction(async (tx) => {
          await repo.move(tx, ids, sending, { status: 'scheduled', claimToken: null, nextAttemptAt: next, failureReason: `Attempt ${attempts}: ${result.reason}`.slice(0, 2000) });
          await enqueueInTransaction(tx, [sendJob(batchId, next)]);
        }),
      );
      logger.info({ batchId, attempts, retryAt: next.toISOString(), reason: result.reason }, 'batch will be retried');
      return { retrying: ids.length };
    }

    if (result.kind === 'retry' || result.kind === 'final') {
      const code = result.kind === 'final' ? result.code : 'retries_exhausted';
      const reason = result.kind === 'final' ? result.reason : `Gave up after ${attempts} attempts; last answer: ${result.reason}`;
      await persist('record failure', () =>
        db.$transaction(async (tx) => {
          const failed = new Set(await repo.fail(tx, ids.map((id) => ({ id, code, reason: reason.slice(0, 2000) })), sending, at));
          await recordEvents(tx, claimed.filter((m) => failed.has(m.id)).map((m) => event(m, 'failed', { code, reason })));
        }),
      );
      return { failed: ids.length };
    }

    // Ambiguous: Postmark may have them. Nothing is sent again before a search says otherwise.
    const reconcileAt = new Date(at.getTime() + settings.reconcileDelayMs);
    await persist('record unknown outcome', () =>
      db.$transaction(async (tx) => {
        const moved = new Set(await repo.move(tx, ids, sending, { status: 'unknown', claimToken: null, nextAttemptAt: reconcileAt, failureReason: result.reason.slice(0, 2000) }));
        await recordEvents(tx, claimed.filter((m) => moved.has(m.id)).map((m) => event(m, 'unknown', { reason: result.reason })));
        await enqueueInTransaction(tx, [reconcileJob(batchId, reconcileAt)]);
      }),
    );
    logger.warn({ batchId, messages: ids.length, reason: result.reason }, 'batch outcome unknown; will reconcile');
    return { unknown: ids.length };
  }

  /**
   * Asks Postmark about each unknown message of a batch: found → sent (nothing resent); absent →
   * scheduled again; search failed → asked again later.
   */
  async function reconcileJobRun(batchId: string): Promise<Record<string, number>> {
    const at = now();
    // Leased for as long as the searches could take, so a sweep does not start a second round.
    const leaseMs = Math.max(claimTimeoutMs, Math.ceil(settings.batchSize / SEARCH_CONCURRENCY) * settings.postmarkTimeoutMs + 5_000);
    const unknown = await repo.leaseUnknown(db, batchId, at, new Date(at.getTime() + leaseMs));
    if (unknown.length === 0) return { reconciled: 0 };
    const organizationId = unknown[0]!.organizationId;
    const { sender, session } = await sessionFor(organizationId);
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
    const scope = { status: 'unknown' as const, batchId };
    if (errors.length > 0) logger.warn({ batchId, errors: errors.length, reason: errors[0]!.reason }, 'Postmark search failed while reconciling');

    await db.$transaction(async (tx) => {
      const marked = new Set(
        await repo.markReconciled(
          tx,
          batchId,
          found.map((f) => ({ id: f.m.id, postmarkMessageId: f.postmarkMessageId, sentAt: f.sentAt, linkExpiresAt: new Date(f.sentAt.getTime() + sender.feedbackLinkDays * 86_400_000) })),
          at,
        ),
      );
      const confirmed = found.filter((f) => marked.has(f.m.id));
      const resend = new Set(
        await repo.move(tx, absentAgain.map((m) => m.id), scope, {
          status: 'scheduled',
          nextAttemptAt: at,
          reconcileRounds: 0,
          failureReason: 'Not found at Postmark after an unknown outcome (searched twice); sending again',
        }),
      );
      await repo.move(tx, askAgain.map((m) => m.id), scope, { nextAttemptAt: nextSearch, reconcileRounds: { increment: 1 } });
      const given = new Set(
        await repo.fail(
          tx,
          unresolved.map((e) => ({
            id: e.m.id,
            code: 'unknown_unresolved',
            reason: `Postmark could not be asked whether it was sent (${e.reason}); check Postmark’s activity before retrying`.slice(0, 2000),
          })),
          scope,
          at,
        ),
      );
      await recordEvents(tx, [
        ...confirmed.map((f) => event(f.m, 'reconciled', { found: true, postmarkMessageId: f.postmarkMessageId })),
        ...absentAgain.filter((m) => resend.has(m.id)).map((m) => event(m, 'reconciled', { found: false })),
        ...unresolved.filter((e) => given.has(e.m.id)).map((e) => event(e.m, 'failed', { code: 'unknown_unresolved', reason: e.reason })),
      ]);
      await enqueueInTransaction(tx, [...(resend.size > 0 ? [sendJob(batchId)] : []), ...(askAgain.length > 0 ? [reconcileJob(batchId, nextSearch)] : [])]);
    });
    return { found: found.length, absent: absent.length, searchErrors: errors.length };
  }

  return { dispatchDue, sweep, sendBatch: sendBatchJob, reconcile: reconcileJobRun };
}
