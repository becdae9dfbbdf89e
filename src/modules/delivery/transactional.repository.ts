// SQL of one-off emails to candidates (transactional_emails). Every status change is a
// conditional update, so two workers never both send one email: the one whose update matched
// goes on, the other stops.
import { newId } from '../../lib/ids.js';
import type { DbClient } from '../../db/client.js';
import type { TransactionalEmail } from '../../generated/prisma/client.js';

export const transactionalStatuses = ['pending', 'sending', 'unknown', 'sent', 'failed'] as const;
export type TransactionalStatus = (typeof transactionalStatuses)[number];

export interface NewTransactionalEmail {
  organizationId: string;
  purpose: string;
  subjectId: string;
  candidateId: string;
  messageId: string | null;
  recipientEmail: string;
  toHeader: string;
  subject: string;
  html: string;
  text: string;
  tag: string;
}

export const transactionalRepository = {
  /** Stores the email once per (organization, purpose, subject): the id, or null when it already exists. */
  async create(tx: DbClient, email: NewTransactionalEmail): Promise<string | null> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO transactional_emails (id, organization_id, purpose, subject_id, candidate_id, message_id, recipient_email, to_header, subject, html, text, tag, updated_at)
      VALUES (${newId()}::uuid, ${email.organizationId}::uuid, ${email.purpose}, ${email.subjectId}::uuid, ${email.candidateId}::uuid, ${email.messageId}::uuid,
              ${email.recipientEmail}, ${email.toHeader}, ${email.subject}, ${email.html}, ${email.text}, ${email.tag}, now())
      ON CONFLICT (organization_id, purpose, subject_id) DO NOTHING
      RETURNING id`;
    return rows[0]?.id ?? null;
  },

  byId: (db: DbClient, id: string) => db.transactionalEmail.findUnique({ where: { id } }),

  /** The email of a subject, for the API to say whether the candidate was told. */
  bySubjects: (db: DbClient, organizationId: string, purpose: string, subjectIds: string[]) =>
    db.transactionalEmail.findMany({
      where: { organizationId, purpose, subjectId: { in: subjectIds } },
      select: { subjectId: true, status: true, sentAt: true, failureCode: true },
    }),

  /** pending (and due) → sending; the row when this caller won the claim. */
  async claim(db: DbClient, id: string, at: Date): Promise<TransactionalEmail | null> {
    const { count } = await db.transactionalEmail.updateMany({
      where: { id, status: 'pending', OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: at } }] },
      data: { status: 'sending', sendingAt: at, attempts: { increment: 1 } },
    });
    return count === 1 ? db.transactionalEmail.findUnique({ where: { id } }) : null;
  },

  /** unknown (and due) → leased to one searcher until `until`. */
  async leaseUnknown(db: DbClient, id: string, at: Date, until: Date): Promise<TransactionalEmail | null> {
    const { count } = await db.transactionalEmail.updateMany({
      where: { id, status: 'unknown', OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: at } }] },
      data: { nextAttemptAt: until },
    });
    return count === 1 ? db.transactionalEmail.findUnique({ where: { id } }) : null;
  },

  /** Moves the email from one status to another; false when it was no longer in `from`. */
  async move(
    db: DbClient,
    id: string,
    from: TransactionalStatus,
    data: {
      status: TransactionalStatus;
      nextAttemptAt?: Date | null;
      postmarkMessageId?: string;
      sentAt?: Date;
      failureCode?: string | null;
      failureReason?: string | null;
      reconcileRounds?: number | { increment: number };
    },
  ): Promise<boolean> {
    return (await db.transactionalEmail.updateMany({ where: { id, status: from }, data })).count === 1;
  },

  /** Work whose job may have been lost: pending and due, unknown and due, or sending for longer than any request takes. */
  stale: (db: DbClient, dueBefore: Date, sendingBefore: Date, limit: number) =>
    db.transactionalEmail.findMany({
      where: {
        OR: [
          { status: { in: ['pending', 'unknown'] }, OR: [{ nextAttemptAt: { lt: dueBefore } }, { nextAttemptAt: null, createdAt: { lt: dueBefore } }] },
          { status: 'sending', sendingAt: { lt: sendingBefore } },
        ],
      },
      select: { id: true, status: true },
      orderBy: { createdAt: 'asc' },
      take: limit,
    }),

  isSuppressed: async (db: DbClient, organizationId: string, email: string) => (await db.suppression.count({ where: { organizationId, email } })) > 0,
};
