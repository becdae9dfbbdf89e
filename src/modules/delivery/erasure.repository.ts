// Delivery's part of a person's erasure (src/modules/data-rights): Postmark's payloads about them
// are deleted, and their addresses stay suppressed only as hashes (lib/erased-address.ts).
import type { DbClient } from '../../db/client.js';
import { ERASED, type ErasurePattern } from '../../db/scrub.js';

export const deliveryErasureRepository = {
  async erase(db: DbClient, organizationId: string, messageIds: string[], pattern: ErasurePattern, addressKeys: { normalized: string; key: string }[]) {
    const postmarkPayloads = await db.$executeRaw`
      DELETE FROM postmark_webhook_events
      WHERE organization_id = ${organizationId}::uuid AND (message_id = ANY(${messageIds}::uuid[]) OR payload::text ~* ${pattern})`;
    const normalized = addressKeys.map((a) => a.normalized);
    const existing = await db.suppression.findMany({ where: { organizationId, email: { in: normalized } }, select: { email: true, reason: true, source: true } });
    await db.suppression.deleteMany({ where: { organizationId, email: { in: normalized } } });
    const reasonOf = new Map(existing.map((s) => [s.email, s]));
    await db.suppression.createMany({
      data: addressKeys.map((a) => ({ organizationId, email: a.key, reason: reasonOf.get(a.normalized)?.reason ?? 'erased', source: 'erasure' })),
      skipDuplicates: true,
    });
    return { postmarkPayloads, suppressionsHashed: addressKeys.length };
  },

  /**
   * Emails Hearback wrote the person outside their messages (an answer to their question): one
   * not sent yet will not be (failed, `erased`); every one keeps only its ids, purpose and times.
   */
  async eraseTransactional(db: DbClient, candidateIds: string[], at: Date) {
    await db.transactionalEmail.updateMany({
      where: { candidateId: { in: candidateIds }, status: 'pending' },
      data: { status: 'failed', failureCode: 'erased', failureReason: `The candidate was erased on ${at.toISOString()}`, nextAttemptAt: null },
    });
    const transactionalEmails = (
      await db.transactionalEmail.updateMany({
        where: { candidateId: { in: candidateIds } },
        data: { recipientEmail: ERASED, toHeader: ERASED, subject: ERASED, html: '', text: '', failureReason: null },
      })
    ).count;
    return { transactionalEmails };
  },

  /** Raw provider payloads older than `before`, every organization. */
  purgePayloads: (db: DbClient, organizationId: string, before: Date) =>
    db.postmarkWebhookEvent.deleteMany({ where: { organizationId, receivedAt: { lt: before } } }).then((r) => r.count),
};
