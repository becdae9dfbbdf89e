// SQL of delivery. Every state change is conditional on the state it expects (and, while
// sending, on the claim token of the attempt), so two workers, a sweeper and a recruiter acting
// at once never move the same message twice.
import { v7 as uuidv7 } from 'uuid';
import type { DbClient } from '../../db/client.js';
import type { MessageStatus, Prisma } from '../../generated/prisma/client.js';
import { organizationSettingsColumns } from '../organizations/organizations.repository.js';

export interface DueRow {
  id: string;
  organizationId: string;
  requisitionId: string;
}

export interface MessageEventInput {
  organizationId: string;
  messageId: string;
  type: string;
  source: 'hearback' | 'postmark';
  detail?: Prisma.InputJsonValue;
  occurredAt?: Date;
}

export const deliveryRepository = {
  /** Approved messages whose time has come, locked so concurrent dispatchers split them. */
  due: (tx: DbClient, now: Date, limit: number) => tx.$queryRaw<DueRow[]>`
    SELECT id, organization_id AS "organizationId", requisition_id AS "requisitionId" FROM messages
    WHERE status = 'approved' AND send_at <= ${now}
    ORDER BY send_at, id LIMIT ${limit}
    FOR UPDATE SKIP LOCKED`,

  /** Scheduled messages whose batch made no progress since `before` (its job was lost). */
  stranded: (tx: DbClient, before: Date, limit: number) => tx.$queryRaw<DueRow[]>`
    SELECT id, organization_id AS "organizationId", requisition_id AS "requisitionId" FROM messages
    WHERE status = 'scheduled' AND next_attempt_at < ${before}
    ORDER BY next_attempt_at, id LIMIT ${limit}
    FOR UPDATE SKIP LOCKED`,

  /** Gives messages to batches; `from` is the state they must still be in. */
  async assign(tx: DbClient, assignments: { id: string; batchId: string }[], from: MessageStatus, now: Date) {
    if (assignments.length === 0) return 0;
    return tx.$executeRaw`
      UPDATE messages m SET status = 'scheduled', batch_id = u.batch_id, scheduled_at = ${now}, next_attempt_at = ${now}, updated_at = ${now}
      FROM unnest(${assignments.map((a) => a.id)}::uuid[], ${assignments.map((a) => a.batchId)}::uuid[]) AS u(id, batch_id)
      WHERE m.id = u.id AND m.status = ${from}::message_status`;
  },

  /** Messages of a batch in one state, ready for their next attempt. */
  batch: (db: DbClient, batchId: string, status: MessageStatus, now: Date) =>
    db.message.findMany({ where: { batchId, status, nextAttemptAt: { lte: now } }, orderBy: { id: 'asc' } }),

  /** Claims for one attempt: only the messages still scheduled in this batch are returned. */
  async claim(db: DbClient, batchId: string, ids: string[], claimToken: string, now: Date): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await db.$queryRaw<{ id: string }[]>`
      UPDATE messages SET status = 'sending', claim_token = ${claimToken}::uuid, sending_at = ${now},
        send_attempts = send_attempts + 1, updated_at = ${now}
      WHERE id = ANY(${ids}::uuid[]) AND batch_id = ${batchId}::uuid AND status = 'scheduled' AND next_attempt_at <= ${now}
      RETURNING id`;
    return rows.map((row) => row.id);
  },

  /** Claims that outlived any request (a worker died mid-send): their outcome is unknown. */
  abandonedClaims: (tx: DbClient, before: Date, limit: number) => tx.$queryRaw<{ id: string; organizationId: string; batchId: string; sendingAt: Date }[]>`
    SELECT id, organization_id AS "organizationId", batch_id AS "batchId", sending_at AS "sendingAt" FROM messages
    WHERE status = 'sending' AND sending_at < ${before}
    ORDER BY sending_at, id LIMIT ${limit}
    FOR UPDATE SKIP LOCKED`,

  /** Unknown messages whose reconciliation job was lost. */
  forgottenUnknown: (tx: DbClient, before: Date, limit: number) => tx.$queryRaw<{ batchId: string }[]>`
    SELECT DISTINCT batch_id AS "batchId" FROM (
      SELECT batch_id FROM messages WHERE status = 'unknown' AND next_attempt_at < ${before} ORDER BY next_attempt_at LIMIT ${limit}
    ) stale`,

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
      WHERE m.id = u.id AND m.status IN ('sending', 'delivered', 'bounced') AND m.claim_token = ${claimToken}::uuid
      RETURNING m.id`;
    return rows.map((row) => row.id);
  },

  /**
   * Unknown messages found at Postmark: sent, with Postmark's id and time, in one statement for
   * the whole batch (a statement per message outlived its transaction on a busy database).
   */
  async markReconciled(db: DbClient, batchId: string, found: { id: string; postmarkMessageId: string; sentAt: Date; linkExpiresAt: Date }[], now: Date): Promise<string[]> {
    if (found.length === 0) return [];
    const rows = await db.$queryRaw<{ id: string }[]>`
      UPDATE messages m SET status = 'sent', postmark_message_id = u.pm_id, sent_at = u.sent_at, feedback_link_expires_at = u.expires_at,
        failure_reason = NULL, next_attempt_at = NULL, reconcile_rounds = 0, updated_at = ${now}
      FROM unnest(${found.map((f) => f.id)}::uuid[], ${found.map((f) => f.postmarkMessageId)}::text[],
                  ${found.map((f) => f.sentAt)}::timestamptz[], ${found.map((f) => f.linkExpiresAt)}::timestamptz[])
        AS u(id, pm_id, sent_at, expires_at)
      WHERE m.id = u.id AND m.status = 'unknown' AND m.batch_id = ${batchId}::uuid
      RETURNING m.id`;
    return rows.map((row) => row.id);
  },

  /** Moves messages on from one state (with this claim, when sending); returns the ids moved. */
  async move(
    db: DbClient,
    ids: string[],
    from: { status: MessageStatus; claimToken?: string; batchId?: string },
    data: Prisma.MessageUpdateManyMutationInput,
  ): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await db.message.updateManyAndReturn({
      where: {
        id: { in: ids },
        status: from.status,
        ...(from.claimToken ? { claimToken: from.claimToken } : {}),
        ...(from.batchId ? { batchId: from.batchId } : {}),
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
      where: { batchId, status: 'unknown', nextAttemptAt: { lte: now } },
      data: { nextAttemptAt: leaseUntil },
    }),

  /** Same move, with a reason per message (held, failed): one statement for the whole batch. */
  async fail(
    db: DbClient,
    failures: { id: string; code: string; reason: string; checks?: unknown }[],
    from: { status: MessageStatus; claimToken?: string; batchId?: string },
    now: Date,
  ): Promise<string[]> {
    if (failures.length === 0) return [];
    const rows = await db.$queryRaw<{ id: string }[]>`
      UPDATE messages m SET status = 'failed', failure_code = u.code, failure_reason = u.reason, send_checks = u.checks,
        claim_token = NULL, updated_at = ${now}
      FROM unnest(${failures.map((f) => f.id)}::uuid[], ${failures.map((f) => f.code)}::text[], ${failures.map((f) => f.reason)}::text[],
                  ${failures.map((f) => (f.checks === undefined ? null : JSON.stringify(f.checks)))}::jsonb[]) AS u(id, code, reason, checks)
      WHERE m.id = u.id AND m.status = ${from.status}::message_status
        AND (${from.claimToken ?? null}::uuid IS NULL OR m.claim_token = ${from.claimToken ?? null}::uuid)
        AND (${from.batchId ?? null}::uuid IS NULL OR m.batch_id = ${from.batchId ?? null}::uuid)
      RETURNING m.id`;
    return rows.map((row) => row.id);
  },

  /** One statement however many events (a batch records 500 at once). */
  async recordEvents(db: DbClient, events: MessageEventInput[], at = new Date()) {
    if (events.length === 0) return;
    await db.$executeRaw`
      INSERT INTO message_events (id, organization_id, message_id, type, source, detail, occurred_at)
      SELECT * FROM unnest(${events.map(() => uuidv7())}::uuid[], ${events.map((e) => e.organizationId)}::uuid[],
        ${events.map((e) => e.messageId)}::uuid[], ${events.map((e) => e.type)}::text[], ${events.map((e) => e.source)}::text[],
        ${events.map((e) => (e.detail === undefined ? null : JSON.stringify(e.detail)))}::jsonb[], ${events.map((e) => e.occurredAt ?? at)}::timestamptz[])`;
  },

  async suppress(db: DbClient, organizationId: string, entries: { email: string; reason: string; source: string }[]) {
    if (entries.length === 0) return;
    await db.suppression.createMany({ data: entries.map((e) => ({ organizationId, ...e })), skipDuplicates: true });
  },

  /** What the send time depends on, for many messages at once. */
  sendFacts: (db: DbClient, ids: string[]) => db.$queryRaw<{ id: string; lastInterviewAt: Date | null; timezone: string | null }[]>`
    SELECT m.id, a.last_interview_at AS "lastInterviewAt", c.timezone
    FROM messages m JOIN applications a ON a.id = m.application_id JOIN candidates c ON c.id = m.candidate_id
    WHERE m.id = ANY(${ids}::uuid[])`,

  /** Postmark's MessageIDs are unique, across organizations too (the caller checks whose it is). */
  messageByPostmarkId: (db: DbClient, postmarkMessageId: string) => db.message.findUnique({ where: { postmarkMessageId } }),

  /** Messages per status, across organizations (for /metrics). */
  statusCounts: (db: DbClient) => db.$queryRaw<{ status: string; count: number }[]>`
    SELECT status::text AS status, count(*)::int AS count FROM messages GROUP BY status`,

  /** Seconds the oldest due message has been waiting to be sent (0 when none is late). */
  async lagSeconds(db: DbClient): Promise<number> {
    const [row] = await db.$queryRaw<{ lag: number | null }[]>`
      SELECT extract(epoch FROM now() - least(
        (SELECT min(send_at) FROM messages WHERE status = 'approved' AND send_at <= now()),
        (SELECT min(next_attempt_at) FROM messages WHERE status = 'scheduled' AND next_attempt_at <= now())
      ))::float8 AS lag`;
    return Math.max(0, row?.lag ?? 0);
  },

  sender: (db: DbClient, organizationId: string) =>
    db.organization.findUniqueOrThrow({
      where: { id: organizationId },
      select: {
        name: true,
        postmarkServerToken: true,
        senderEmail: true,
        senderName: true,
        messageStream: true,
        ...organizationSettingsColumns,
      },
    }),
};
