// The messages tables' part of a person's export and erasure (src/modules/data-rights). Erasure
// cancels what has not left yet (the `cancel` move of the state table), revokes every link, and
// keeps of each message only what reports count: its ids, kind, status and times.
import type { DbClient } from '../../db/client.js';
import { ERASED } from '../../db/scrub.js';
import { fromStates } from './message-states.js';

export const messagesErasureRepository = {
  /** The messages as sent (content, subject, recipient) and what happened to them. */
  exportMessages: (db: DbClient, candidateIds: string[]) =>
    db.message.findMany({
      where: { candidateId: { in: candidateIds } },
      select: {
        id: true,
        applicationId: true,
        candidateId: true,
        kind: true,
        action: true,
        status: true,
        recipientEmail: true,
        locale: true,
        subject: true,
        text: true,
        feedback: true,
        sentAt: true,
        deliveredAt: true,
        firstViewedAt: true,
        createdAt: true,
      },
      orderBy: { id: 'asc' },
    }),

  exportEvents: (db: DbClient, messageIds: string[]) =>
    db.messageEvent.findMany({ where: { messageId: { in: messageIds } }, select: { messageId: true, type: true, source: true, occurredAt: true }, orderBy: { id: 'asc' } }),

  /** Where, in which language and register (as the message was written) a data request's candidate hears from us. */
  contact: (db: DbClient, messageId: string) =>
    db.message.findUnique({ where: { id: messageId }, select: { recipientEmail: true, locale: true, formality: true, organizationId: true } }),

  /** The candidates' messages' ids and their stored feedback (what erasure must find elsewhere too). */
  ofCandidates: (db: DbClient, candidateIds: string[]) => db.message.findMany({ where: { candidateId: { in: candidateIds } }, select: { id: true, feedback: true } }),

  async erase(db: DbClient, candidateIds: string[], at: Date) {
    const cancelled = (
      await db.message.updateMany({ where: { candidateId: { in: candidateIds }, status: { in: fromStates('cancel') } }, data: { status: 'cancelled', nextAttemptAt: null } })
    ).count;
    const messages = (
      await db.message.updateMany({
        where: { candidateId: { in: candidateIds } },
        data: {
          recipientEmail: ERASED,
          feedback: undefined,
          subject: null,
          html: null,
          text: null,
          customSubject: null,
          failureReason: null,
          feedbackLinkExpiresAt: at,
        },
      })
    ).count;
    // JSON columns Prisma cannot set to SQL NULL through updateMany's typed data.
    await db.$executeRaw`UPDATE messages SET feedback = NULL, lint = NULL, render_checks = NULL, send_checks = NULL,
                           feedback_link_revoked_at = COALESCE(feedback_link_revoked_at, ${at})
                         WHERE candidate_id = ANY(${candidateIds}::uuid[])`;
    const events = await db.$executeRaw`UPDATE message_events SET detail = NULL
                                        WHERE message_id IN (SELECT id FROM messages WHERE candidate_id = ANY(${candidateIds}::uuid[])) AND detail IS NOT NULL`;
    return { messages, messagesCancelled: cancelled, messageEvents: events };
  },
};
