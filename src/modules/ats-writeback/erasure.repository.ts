// ATS write-backs' part of an erasure (src/modules/data-rights): the recorded steps and errors
// lose the person's values; what was written to the ATS is the ATS's to erase (candidate.erased).
import { Prisma } from '../../generated/prisma/client.js';
import type { DbClient } from '../../db/client.js';
import { scrubJson, scrubText, type ErasurePattern } from '../../db/scrub.js';

export const writebackErasureRepository = {
  async erase(db: DbClient, organizationId: string, pattern: ErasurePattern) {
    const org = Prisma.sql`organization_id = ${organizationId}::uuid`;
    return { writebacksScrubbed: (await scrubJson(db, 'ats_writebacks', 'steps', org, pattern)) + (await scrubText(db, 'ats_writebacks', 'last_error', org, pattern)) };
  },
};
