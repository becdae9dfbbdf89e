// Inbound ATS deliveries' part of an erasure and of retention (src/modules/data-rights): a raw
// body that mentions the person is deleted whole (it cannot be edited and still be what the ATS
// sent); all raw bodies go after the organization's shorter payload retention.
import type { DbClient } from '../../db/client.js';
import type { ErasurePattern } from '../../db/scrub.js';

export const inboundErasureRepository = {
  erase: async (db: DbClient, organizationId: string, pattern: ErasurePattern) => ({
    inboundDeliveries: await db.$executeRaw`
      DELETE FROM inbound_deliveries
      WHERE organization_id = ${organizationId}::uuid AND (raw_body ~* ${pattern} OR headers::text ~* ${pattern} OR coalesce(outcome, '') ~* ${pattern})`,
  }),

  purgeBefore: (db: DbClient, organizationId: string, before: Date) =>
    db.inboundDelivery.deleteMany({ where: { organizationId, receivedAt: { lt: before } } }).then((r) => r.count),
};
