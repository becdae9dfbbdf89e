// The outbox's part of an erasure (src/modules/data-rights): job payloads not relayed yet lose
// the person's values (they carry ids, rarely more).
import { Prisma } from '../../generated/prisma/client.js';
import type { DbClient } from '../../db/client.js';
import { scrubJson, type ErasurePattern } from '../../db/scrub.js';

export const outboxErasureRepository = {
  erase: async (db: DbClient, pattern: ErasurePattern) => ({ outboxJobsScrubbed: await scrubJson(db, 'outbox_jobs', 'payload', Prisma.sql`TRUE`, pattern) }),
};
