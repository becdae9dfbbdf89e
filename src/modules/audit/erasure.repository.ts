// The audit log's part of an erasure (src/modules/data-rights): who did what stays; the erased
// person's values inside an entry's before/after are replaced. The only change the log allows.
import { Prisma } from '../../generated/prisma/client.js';
import type { DbClient } from '../../db/client.js';
import { scrubJson, type ErasurePattern } from '../../db/scrub.js';

export const auditErasureRepository = {
  async erase(db: DbClient, organizationId: string, pattern: ErasurePattern) {
    const org = Prisma.sql`organization_id = ${organizationId}::uuid`;
    return { auditEntriesScrubbed: (await scrubJson(db, 'audit_events', 'before', org, pattern)) + (await scrubJson(db, 'audit_events', 'after', org, pattern)) };
  },
};
