// What delivery reads: due, stranded and abandoned work, the facts a send time depends on, the
// organization's sender; and the suppression list it keeps. Status changes are the messages
// module's (messages/lifecycle.repository.ts).
import type { DbClient } from '../../db/client.js';
import { runSql, statement } from '../../db/sql.js';
import type { Message, MessageStatus } from '../../generated/prisma/client.js';
import { organizationSettingsColumns } from '../organizations/organizations.repository.js';

export interface DueRow {
  id: string;
  organizationId: string;
  requisitionId: string;
}

/**
 * A message of a batch as sending needs it: what the checks, the email and the bookkeeping read,
 * with the facts its send time depends on and whose names go in To and Reply-To (one statement).
 */
export type BatchMessage = Pick<
  Message,
  | 'id'
  | 'organizationId'
  | 'requisitionId'
  | 'planId'
  | 'applicationId'
  | 'action'
  | 'kind'
  | 'recipientEmail'
  | 'subject'
  | 'html'
  | 'text'
  | 'contentHash'
  | 'approvedAt'
  | 'approvedContentHash'
  | 'sendAttempts'
  | 'failureReason'
> & {
  lastInterviewAt: Date | null;
  timezone: string | null;
  candidateName: string;
  contactName: string | null;
  contactEmail: string | null;
};

// Through the pool, only the columns sending uses: 500 whole rows through Prisma (feedback, lint,
// checks and all) were the largest single cost of a batch.
const batchStatement = statement(
  'delivery-batch',
  `SELECT m.id, m.organization_id AS "organizationId", m.requisition_id AS "requisitionId", m.plan_id AS "planId",
          m.application_id AS "applicationId", m.action, m.kind, m.recipient_email AS "recipientEmail",
          m.subject, m.html, m.text, m.content_hash AS "contentHash", m.approved_at AS "approvedAt",
          m.approved_content_hash AS "approvedContentHash", m.send_attempts AS "sendAttempts", m.failure_reason AS "failureReason",
          a.last_interview_at AS "lastInterviewAt", c.timezone, c.name AS "candidateName",
          r.hiring_contact_name AS "contactName", r.hiring_contact_email AS "contactEmail"
   FROM messages m
   JOIN applications a ON a.id = m.application_id
   JOIN candidates c ON c.id = m.candidate_id
   JOIN requisitions r ON r.id = m.requisition_id
   WHERE m.batch_id = $1::uuid AND m.status = $2::message_status AND m.next_attempt_at <= $3
   ORDER BY m.id`,
);

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

  /** Messages of a batch in one state, ready for their next attempt, with their send facts and addressing. */
  batch: (db: DbClient, batchId: string, status: MessageStatus, now: Date) => runSql<BatchMessage>(db, batchStatement, [batchId, status, now]),

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

  async suppress(db: DbClient, organizationId: string, entries: { email: string; reason: string; source: string }[]) {
    if (entries.length === 0) return;
    await db.suppression.createMany({ data: entries.map((e) => ({ organizationId, ...e })), skipDuplicates: true });
  },

  /** A message of this organization by our own id (from a webhook's Metadata). */
  messageOf: (db: DbClient, organizationId: string, id: string) => db.message.findFirst({ where: { id, organizationId } }),

  /** Stores a Postmark webhook once per organization and key; false when it was seen before. */
  async storeWebhook(
    db: DbClient,
    hook: { messageKey: string; recordKey: string; organizationId: string; messageId: string | null; payload: unknown; at: Date },
  ): Promise<boolean> {
    const inserted = await db.$executeRaw`
      INSERT INTO postmark_webhook_events (postmark_message_id, record_type, organization_id, message_id, payload, received_at)
      VALUES (${hook.messageKey}, ${hook.recordKey}, ${hook.organizationId}::uuid, ${hook.messageId}::uuid, ${JSON.stringify(hook.payload)}::jsonb, ${hook.at})
      ON CONFLICT DO NOTHING`;
    return inserted > 0;
  },

  /** Reactivated in Postmark: lifts what Postmark put there, never a recruiter's own entry. */
  liftPostmarkSuppression: (db: DbClient, organizationId: string, email: string) => db.suppression.deleteMany({ where: { organizationId, email, source: 'postmark' } }),

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
        replyToEmail: true,
        trackOpens: true,
        ...organizationSettingsColumns,
      },
    }),

  /** Per message, whose name goes in To and who answers a reply (the requisition's hiring contact). */
  async addressing(db: DbClient, organizationId: string, messageIds: string[]) {
    const rows = await db.$queryRaw<{ id: string; candidate_name: string; contact_name: string | null; contact_email: string | null }[]>`
      SELECT m.id, c.name AS candidate_name, r.hiring_contact_name AS contact_name, r.hiring_contact_email AS contact_email
      FROM messages m
      JOIN candidates c ON c.id = m.candidate_id
      JOIN requisitions r ON r.id = m.requisition_id
      WHERE m.organization_id = ${organizationId}::uuid AND m.id = ANY(${messageIds}::uuid[])`;
    return new Map(rows.map((r) => [r.id, { candidateName: r.candidate_name, contactName: r.contact_name, contactEmail: r.contact_email }]));
  },
};
