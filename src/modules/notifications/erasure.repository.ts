// Notifications' part of an erasure (src/modules/data-rights): what a notification says about
// the erased person (its detail) loses their values; the notification itself stays.
import { Prisma } from '../../generated/prisma/client.js';
import type { DbClient } from '../../db/client.js';
import { scrubJson, type ErasurePattern } from '../../db/scrub.js';

export const notificationsErasureRepository = {
  erase: async (db: DbClient, organizationId: string, pattern: ErasurePattern) => ({
    notificationsScrubbed: await scrubJson(db, 'notifications', 'detail', Prisma.sql`organization_id = ${organizationId}::uuid`, pattern),
  }),
};
