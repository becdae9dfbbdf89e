// The audit log's part of an erasure (src/modules/data-rights): who did what stays; the erased
// person's values inside an entry's before/after are replaced: the one change the log's trigger
// allows, in a transaction that declares itself an erasure (migration data_rights).
import { Prisma } from '../../generated/prisma/client.js';
import type { DbClient } from '../../db/client.js';
import { scrubJson, type ErasurePattern } from '../../db/scrub.js';

export const auditErasureRepository = {
  async erase(db: DbClient, organizationId: string, pattern: ErasurePattern) {
    const org = Prisma.sql`organization_id = ${organizationId}::uuid`;
    // The append-only trigger lets this transaction, and only this change, through.
    await db.$executeRaw`SELECT set_config('hearback.erasure', 'on', true)`;
    return { auditEntriesScrubbed: (await scrubJson(db, 'audit_events', 'before', org, pattern)) + (await scrubJson(db, 'audit_events', 'after', org, pattern)) };
  },
};
