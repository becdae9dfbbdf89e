// The only code that writes `messages` and `message_events` (a test checks no other file does).
// Every status change names its action in the state table (message-states.ts) and is one
// conditional statement on the states that action starts from (and, where it matters, on the
// claim of the attempt, the batch, or the version a person saw): when two workers, a sweeper, a
// webhook and a recruiter act at once, exactly one of them moves the message.
import { newId } from '../../lib/ids.js';
import type { DbClient } from '../../db/client.js';
import { runSql, sqlRows, statement } from '../../db/sql.js';
import { Prisma, type MessageStatus } from '../../generated/prisma/client.js';
import { fromStates, type MessageAction } from './message-states.js';

export interface MessageEventInput {
  organizationId: string;
  messageId: string;
  type: string;
  source: 'hearback' | 'postmark';
  detail?: Prisma.InputJsonValue;
  occurredAt?: Date;
}

export interface DraftInput {
  applicationId: string;
  candidateId: string;
  kind: string;
  action: string;
  recipientEmail: string;
  /** The structured feedback the message carries; absent (undefined) when it carries none. */
  feedback: unknown;
  /** Other applications of the same person whose decision this message tells too. */
  alsoFor: string[];
}

export interface DraftRow {
  id: string;
  applicationId: string;
  candidateId: string;
  kind: string;
  recipientEmail: string;
  status: string;
}

/**
 * saveRenders' statement, on the pool (src/db/sql.ts) rather than through Prisma: Prisma's
 * driver adapter hands every query to @prisma/debug, which keeps the arguments of the last 100
 * calls whether or not debugging is on. A chunk's 500 rendered emails are ~7 MB of arguments,
 * so a render job kept its last few dozen chunks alive (the 50,000-draft job peaked at 1.8 GB).
 */
const saveRendersStatement = statement(
  'messages_save_renders',
  `WITH saved AS (
     UPDATE messages m SET
       feedback_token_hash = t.feedback_token_hash,
       feedback_link_expires_at = t.feedback_link_expires_at,
       locale = CASE WHEN t.rendered THEN t.locale ELSE m.locale END,
       template_version = CASE WHEN t.rendered THEN t.template_version ELSE m.template_version END,
       formality = CASE WHEN t.rendered THEN t.formality ELSE m.formality END,
       subject = t.subject, html = t.html, text = t.text, content_hash = t.content_hash,
       lint = t.lint::jsonb, render_checks = t.render_checks::jsonb, severity = t.severity, authored_by = t.authored_by,
       content_version = m.content_version + 1, status = 'pending_approval'::message_status,
       approved_at = NULL, approved_by = NULL, approved_content_hash = NULL, send_at = NULL, failure_code = NULL, failure_reason = NULL,
       send_checks = NULL, batch_id = NULL, next_attempt_at = NULL, updated_at = now()
     FROM unnest($1::uuid[], $2::boolean[], $3::text[], $4::timestamptz[], $5::text[], $6::int[], $7::text[], $8::text[], $9::text[], $10::text[],
                 $11::text[], $12::text[], $13::text[], $14::text[], $15::text[])
          AS t(id, rendered, feedback_token_hash, feedback_link_expires_at, locale, template_version, formality, subject, html, text, content_hash, lint,
               render_checks, severity, authored_by)
     WHERE m.id = t.id AND m.status = ANY($16::message_status[])
     RETURNING 1
   )
   SELECT count(*)::int AS count FROM saved`,
);

/** One rendered (or failed) draft, as saveRenders stores it. */
export interface RenderedDraft {
  id: string;
  /** false: a failed render (no content; locale, template version and formality unchanged). */
  rendered: boolean;
  feedbackTokenHash: string;
  feedbackLinkExpiresAt: Date;
  locale: string | null;
  templateVersion: number | null;
  formality: string | null;
  subject: string | null;
  html: string | null;
  text: string | null;
  contentHash: string | null;
  lint: unknown;
  renderChecks: unknown;
  severity: string | null;
  authoredBy: string | null;
}

/** Which messages a move applies to, beyond the action's own states. */
export interface MoveScope {
  /** Narrows the action's states (e.g. only `scheduled` of a `schedule`'s approved or scheduled). */
  status?: MessageStatus;
  claimToken?: string;
  batchId?: string;
}

export interface StopInput {
  id: string;
  code: string;
  reason: string;
  checks?: unknown;
}

/** Rows per INSERT (one parameter, or one per column), so memory stays flat. */
const CHUNK = 5_000;

const statesOf = (action: MessageAction, scope: MoveScope = {}): MessageStatus[] => {
  const from = fromStates(action);
  if (!scope.status) return from;
  if (!from.includes(scope.status)) throw new Error(`${action} does not start from ${scope.status}`);
  return [scope.status];
};

/**
 * The first view's write, for a statement that reads the message anyway: the candidate's page
 * records a view in the statement that reads the page, first views included
 * (candidate-page.repository.ts), and markFirstView runs the same text. Sets first_viewed_at
 * where it is still unset on the message whose id `idSql` gives, returning its id when this was
 * the first view. `idSql` and `atSql` are SQL of the caller's statement (a parameter, a
 * subquery: never a value); a NULL id writes nothing. Two first views at once: the second waits
 * for the first's row lock, then finds the column set and returns nothing. Anything a first view
 * must also do belongs in this text, or page views will not do it.
 */
export const firstViewWrite = (idSql: string, atSql: string) =>
  `UPDATE messages SET first_viewed_at = ${atSql}, updated_at = ${atSql} WHERE id = ${idSql} AND first_viewed_at IS NULL RETURNING id`;

const markFirstViewStatement = statement('message-first-view', firstViewWrite('$1::uuid', '$2::timestamptz'));

export const lifecycleRepository = {
  /** One draft per recipient, in chunks; returns them in input order. */
  async createDrafts(db: DbClient, plan: { organizationId: string; requisitionId: string; planId: string }, rows: DraftInput[]): Promise<DraftRow[]> {
    const created: DraftRow[] = [];
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK);
      const ids = chunk.map(() => newId());
      // The chunk as one JSON parameter (json_to_recordset): JSON.stringify writes it in one native
      // pass, where the driver escapes an array parameter element by element.
      const json = JSON.stringify(
        chunk.map((r, i) => ({
          id: ids[i],
          application_id: r.applicationId,
          candidate_id: r.candidateId,
          kind: r.kind,
          action: r.action,
          recipient_email: r.recipientEmail,
          feedback: r.feedback ?? null,
          also_for: r.alsoFor,
        })),
      );
      await sqlRows(db)`
        INSERT INTO messages (id, organization_id, plan_id, requisition_id, application_id, candidate_id, kind, action, recipient_email, feedback,
                              also_for_application_ids, updated_at)
        SELECT id, ${plan.organizationId}::uuid, ${plan.planId}::uuid, ${plan.requisitionId}::uuid, application_id, candidate_id, kind, action,
               recipient_email, feedback, COALESCE(also_for, '{}'), now()
        FROM json_to_recordset(${json}::json)
             AS t(id uuid, application_id uuid, candidate_id uuid, kind text, action text, recipient_email text, feedback jsonb, also_for uuid[])`;
      created.push(
        ...chunk.map((r, i) => ({ id: ids[i]!, applicationId: r.applicationId, candidateId: r.candidateId, kind: r.kind, recipientEmail: r.recipientEmail, status: 'draft' })),
      );
    }
    return created;
  },

  /**
   * Stores a render (`render`, from a draft) or an edit (`edit`) as the next content version,
   * waiting for approval again: an approval never carries over to new content.
   */
  /** What an outgoing message event says about its message. */
  eventSubjects: (db: DbClient, ids: string[]) =>
    db.message.findMany({ where: { id: { in: ids } }, select: { id: true, applicationId: true, candidateId: true, requisitionId: true, kind: true, sentAt: true } }),

  saveRender: (db: DbClient, id: string, action: 'render' | 'edit', data: Prisma.MessageUpdateManyMutationInput, contentVersion?: number) =>
    db.message.updateMany({
      where: { id, status: { in: fromStates(action) }, ...(contentVersion !== undefined ? { contentVersion } : {}) },
      data: {
        ...data,
        contentVersion: { increment: 1 },
        status: 'pending_approval',
        approvedAt: null,
        approvedBy: null,
        approvedContentHash: null,
        sendAt: null,
        failureCode: null,
        failureReason: null,
        sendChecks: Prisma.DbNull,
        batchId: null,
        nextAttemptAt: null,
      },
    }),

  /**
   * saveRender's `render` for many drafts in one statement (a render job's chunk): each row moves
   * only if it is still a draft, so a job run twice, or resumed after a crash, stores nothing
   * twice. A failed render (`rendered: false`) keeps its locale, template version and formality,
   * as saveRender does when they are not given. Returns how many moved.
   */
  async saveRenders(db: DbClient, rows: RenderedDraft[]): Promise<number> {
    if (rows.length === 0) return 0;
    const json = (value: unknown) => JSON.stringify(value ?? null);
    const [saved] = await runSql<{ count: number }>(db, saveRendersStatement, [
      rows.map((r) => r.id),
      rows.map((r) => r.rendered),
      rows.map((r) => r.feedbackTokenHash),
      rows.map((r) => r.feedbackLinkExpiresAt),
      rows.map((r) => r.locale),
      rows.map((r) => r.templateVersion),
      rows.map((r) => r.formality),
      rows.map((r) => r.subject),
      rows.map((r) => r.html),
      rows.map((r) => r.text),
      rows.map((r) => r.contentHash),
      rows.map((r) => json(r.lint)),
      rows.map((r) => json(r.renderChecks)),
      rows.map((r) => r.severity),
      rows.map((r) => r.authoredBy),
      fromStates('render'),
    ]);
    return saved?.count ?? 0;
  },

  /** A person's action on one message, conditional on the version and, for approvals, on its findings and author. */
  transition: (
    db: DbClient,
    action: 'approve' | 'recall' | 'cancel' | 'retry' | 'reschedule',
    where: { organizationId: string; id: string; contentVersion?: number; notSeverity?: string; notAuthoredBy?: string },
    data: Prisma.MessageUpdateManyMutationInput,
  ) =>
    db.message.updateMany({
      where: {
        id: where.id,
        organizationId: where.organizationId,
        status: { in: fromStates(action) },
        ...(where.contentVersion !== undefined ? { contentVersion: where.contentVersion } : {}),
        AND: [
          ...(where.notSeverity ? [{ OR: [{ severity: null }, { severity: { not: where.notSeverity } }] }] : []),
          // Four-eyes, in the same statement: an edit landing just before cannot slip through.
          ...(where.notAuthoredBy ? [{ OR: [{ authoredBy: null }, { authoredBy: { not: where.notAuthoredBy } }] }] : []),
        ],
      },
      data,
    }),

  /** Gives messages to batches (`schedule`); `from` is the state they must still be in. */
  async schedule(tx: DbClient, assignments: { id: string; batchId: string }[], from: 'approved' | 'scheduled', now: Date) {
    if (assignments.length === 0) return 0;
    return tx.$executeRaw`
      UPDATE messages m SET status = 'scheduled', batch_id = u.batch_id, scheduled_at = ${now}, next_attempt_at = ${now}, updated_at = ${now}
      FROM unnest(${assignments.map((a) => a.id)}::uuid[], ${assignments.map((a) => a.batchId)}::uuid[]) AS u(id, batch_id)
      WHERE m.id = u.id AND m.status = ${statesOf('schedule', { status: from })[0]!}::message_status`;
  },

  /** Claims for one attempt: only the messages still scheduled in this batch are returned. */
  async claim(db: DbClient, batchId: string, ids: string[], claimToken: string, now: Date): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await db.$queryRaw<{ id: string }[]>`
      UPDATE messages SET status = 'sending', claim_token = ${claimToken}::uuid, sending_at = ${now},
        send_attempts = send_attempts + 1, updated_at = ${now}
      WHERE id = ANY(${ids}::uuid[]) AND batch_id = ${batchId}::uuid AND status = ANY(${fromStates('claim')}::message_status[]) AND next_attempt_at <= ${now}
      RETURNING id`;
    return rows.map((row) => row.id);
  },

  /**
   * Postmark accepted these: conditional on this attempt's claim. A Delivery or Bounce webhook
   * may have landed first (and moved the status on): the send details are written all the same.
   */
  async markSent(db: DbClient, claimToken: string, sent: { id: string; postmarkMessageId: string; sentAt: Date; linkExpiresAt: Date }[], now: Date): Promise<string[]> {
    if (sent.length === 0) return [];
    const rows = await db.$queryRaw<{ id: string }[]>`
      UPDATE messages m SET status = CASE WHEN m.status = 'sending' THEN 'sent'::message_status ELSE m.status END, postmark_message_id = u.pm_id, sent_at = u.sent_at, feedback_link_expires_at = u.expires_at,
        claim_token = NULL, failure_code = NULL, failure_reason = NULL, updated_at = ${now}
      FROM unnest(${sent.map((s) => s.id)}::uuid[], ${sent.map((s) => s.postmarkMessageId)}::text[],
                  ${sent.map((s) => s.sentAt)}::timestamptz[], ${sent.map((s) => s.linkExpiresAt)}::timestamptz[])
        AS u(id, pm_id, sent_at, expires_at)
      WHERE m.id = u.id AND m.status = ANY(${fromStates('markSent')}::message_status[]) AND m.claim_token = ${claimToken}::uuid
      RETURNING m.id`;
    return rows.map((row) => row.id);
  },

  /** Unknown messages found at Postmark (`reconcile`): sent, with Postmark's id and time, in one statement. */
  async markReconciled(db: DbClient, batchId: string, found: { id: string; postmarkMessageId: string; sentAt: Date; linkExpiresAt: Date }[], now: Date): Promise<string[]> {
    if (found.length === 0) return [];
    const rows = await db.$queryRaw<{ id: string }[]>`
      UPDATE messages m SET status = 'sent', postmark_message_id = u.pm_id, sent_at = u.sent_at, feedback_link_expires_at = u.expires_at,
        failure_reason = NULL, next_attempt_at = NULL, reconcile_rounds = 0, updated_at = ${now}
      FROM unnest(${found.map((f) => f.id)}::uuid[], ${found.map((f) => f.postmarkMessageId)}::text[],
                  ${found.map((f) => f.sentAt)}::timestamptz[], ${found.map((f) => f.linkExpiresAt)}::timestamptz[])
        AS u(id, pm_id, sent_at, expires_at)
      WHERE m.id = u.id AND m.status = ANY(${fromStates('reconcile')}::message_status[]) AND m.batch_id = ${batchId}::uuid
      RETURNING m.id`;
    return rows.map((row) => row.id);
  },

  /** Moves messages by one of delivery's actions (with this claim or batch); returns the ids moved. */
  async move(db: DbClient, action: 'postpone' | 'backOff' | 'lose' | 'reconcile', ids: string[], scope: MoveScope, data: Prisma.MessageUpdateManyMutationInput): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await db.message.updateManyAndReturn({
      where: {
        id: { in: ids },
        status: { in: statesOf(action, scope) },
        ...(scope.claimToken ? { claimToken: scope.claimToken } : {}),
        ...(scope.batchId ? { batchId: scope.batchId } : {}),
      },
      data,
      select: { id: true },
    });
    return rows.map((row) => row.id);
  },

  /**
   * Takes a batch's unknown messages for one reconciliation, pushing their next attempt past
   * `leaseUntil` so the sweeper does not start another one meanwhile.
   */
  leaseUnknown: (db: DbClient, batchId: string, now: Date, leaseUntil: Date) =>
    db.message.updateManyAndReturn({
      where: { batchId, status: { in: fromStates('reconcile') }, nextAttemptAt: { lte: now } },
      data: { nextAttemptAt: leaseUntil },
    }),

  /** `hold` (a check stopped it) or `fail` (delivery did), with a reason each: one statement for many. */
  async stop(db: DbClient, action: 'hold' | 'fail', stops: StopInput[], scope: MoveScope, now: Date): Promise<string[]> {
    if (stops.length === 0) return [];
    const to = action === 'hold' ? 'held' : 'failed';
    const rows = await db.$queryRaw<{ id: string }[]>`
      UPDATE messages m SET status = ${to}::message_status, failure_code = u.code, failure_reason = u.reason, send_checks = u.checks,
        claim_token = NULL, batch_id = CASE WHEN ${to} = 'held' THEN NULL ELSE m.batch_id END, updated_at = ${now}
      FROM unnest(${stops.map((f) => f.id)}::uuid[], ${stops.map((f) => f.code)}::text[], ${stops.map((f) => f.reason)}::text[],
                  ${stops.map((f) => (f.checks === undefined ? null : JSON.stringify(f.checks)))}::jsonb[]) AS u(id, code, reason, checks)
      WHERE m.id = u.id AND m.status = ANY(${statesOf(action, scope)}::message_status[])
        AND (${scope.claimToken ?? null}::uuid IS NULL OR m.claim_token = ${scope.claimToken ?? null}::uuid)
        AND (${scope.batchId ?? null}::uuid IS NULL OR m.batch_id = ${scope.batchId ?? null}::uuid)
      RETURNING m.id`;
    return rows.map((row) => row.id);
  },

  /** Held messages whose hold is over go back to waiting for their time (checked again at dispatch). */
  async release(db: DbClient, ids: string[], sendAt: Date): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await db.message.updateManyAndReturn({
      where: { id: { in: ids }, status: { in: fromStates('release') } },
      data: { status: 'approved', sendAt, failureCode: null, failureReason: null, sendChecks: Prisma.DbNull, batchId: null, nextAttemptAt: null },
      select: { id: true },
    });
    return rows.map((row) => row.id);
  },

  /** Cancels what has not left (an ATS said the application is active again or gone); returns the ids. */
  async cancelPending(db: DbClient, ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await db.message.updateManyAndReturn({
      where: { id: { in: ids }, status: { in: fromStates('cancel') } },
      data: { status: 'cancelled', sendAt: null },
      select: { id: true },
    });
    return rows.map((row) => row.id);
  },

  /** Postmark delivered it: proof of sending, whatever delivery's bookkeeping says yet. */
  deliver: (db: DbClient, id: string, deliveredAt: Date, postmarkMessageId: string | null) =>
    db.message.updateMany({
      where: { id, status: { in: fromStates('deliver') } },
      data: { status: 'delivered', deliveredAt, ...(postmarkMessageId ? { postmarkMessageId } : {}) },
    }),

  bounce: (db: DbClient, id: string, bouncedAt: Date, reason: string) =>
    db.message.updateMany({
      where: { id, status: { in: fromStates('bounce') } },
      data: { status: 'bounced', bouncedAt, failureCode: 'bounced', failureReason: reason.slice(0, 2000) },
    }),

  /** The first open Postmark reports (facts about the message, not a status). */
  markOpened: (db: DbClient, id: string, openedAt: Date) => db.message.updateMany({ where: { id, openedAt: null }, data: { openedAt } }),

  /** The first view of the candidate's page; true when this was it (firstViewWrite: page views run it in their own statement). */
  async markFirstView(db: DbClient, id: string, at: Date): Promise<boolean> {
    return (await runSql(db, markFirstViewStatement, [id, at])).length === 1;
  },

  revokeLink: (db: DbClient, id: string, at: Date) => db.message.updateMany({ where: { id, feedbackLinkRevokedAt: null }, data: { feedbackLinkRevokedAt: at } }),

  /** One statement however many events (a batch records 500 at once). */
  async recordEvents(db: DbClient, events: MessageEventInput[], at = new Date()) {
    if (events.length === 0) return;
    await db.$executeRaw`
      INSERT INTO message_events (id, organization_id, message_id, type, source, detail, occurred_at)
      SELECT * FROM unnest(${events.map(() => newId())}::uuid[], ${events.map((e) => e.organizationId)}::uuid[],
        ${events.map((e) => e.messageId)}::uuid[], ${events.map((e) => e.type)}::text[], ${events.map((e) => e.source)}::text[],
        ${events.map((e) => (e.detail === undefined ? null : JSON.stringify(e.detail)))}::jsonb[], ${events.map((e) => e.occurredAt ?? at)}::timestamptz[])`;
  },
};
