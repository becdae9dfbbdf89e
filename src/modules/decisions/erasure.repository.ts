// Decisions' part of a person's export and erasure (src/modules/data-rights). Decisions hold no
// personal data and stay (they are the record of what was decided); plans name several
// candidates at once, so the person's values are replaced inside them.
import { Prisma } from '../../generated/prisma/client.js';
import type { DbClient } from '../../db/client.js';
import { scrubJson, type ErasurePattern } from '../../db/scrub.js';

export const decisionsErasureRepository = {
  exportDecisions: (db: DbClient, candidateIds: string[]) =>
    db.decision.findMany({
      where: { candidateId: { in: candidateIds } },
      select: { id: true, applicationId: true, kind: true, source: true, occurredAt: true },
      orderBy: { id: 'asc' },
    }),

  async erase(db: DbClient, organizationId: string, pattern: ErasurePattern) {
    const org = Prisma.sql`organization_id = ${organizationId}::uuid`;
    let plans = 0;
    for (const column of ['input', 'items', 'confirmation']) plans += await scrubJson(db, 'decision_plans', column, org, pattern);
    return { plansScrubbed: plans };
  },
};
