// Stored idempotent responses' part of an erasure (src/modules/data-rights): they are sealed, so
// the caller opens each and names the ones that mention the person; those are deleted (a retry
// with the key then runs again, against the erased data).
import type { DbClient } from '../../db/client.js';

export const idempotencyErasureRepository = {
  stored: (db: DbClient, organizationId: string) =>
    db.idempotencyRecord.findMany({ where: { organizationId, responseBody: { not: null } }, select: { key: true, responseBody: true } }),

  remove: async (db: DbClient, organizationId: string, keys: string[]) =>
    keys.length === 0 ? 0 : (await db.idempotencyRecord.deleteMany({ where: { organizationId, key: { in: keys } } })).count,
};
