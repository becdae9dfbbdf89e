// Delivery's part of a person's erasure (src/modules/data-rights): Postmark's payloads about them
// are deleted, and their addresses stay suppressed only as hashes (lib/erased-address.ts).
import type { DbClient } from '../../db/client.js';
import type { ErasurePattern } from '../../db/scrub.js';

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

  /** Raw provider payloads older than `before`, every organization. */
  purgePayloads: (db: DbClient, organizationId: string, before: Date) =>
    db.postmarkWebhookEvent.deleteMany({ where: { organizationId, receivedAt: { lt: before } } }).then((r) => r.count),
};
