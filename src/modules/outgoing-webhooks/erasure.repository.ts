// Outgoing webhooks' part of an erasure (src/modules/data-rights): stored event payloads and the
// endpoints' echoed responses lose the person's values; the events themselves stay.
import { Prisma } from '../../generated/prisma/client.js';
import type { DbClient } from '../../db/client.js';
import { scrubJson, scrubText, type ErasurePattern } from '../../db/scrub.js';

export const webhooksErasureRepository = {
  async erase(db: DbClient, organizationId: string, pattern: ErasurePattern) {
    const org = Prisma.sql`organization_id = ${organizationId}::uuid`;
    return {
      webhookEventsScrubbed: await scrubJson(db, 'webhook_events', 'payload', org, pattern),
      webhookAttemptsScrubbed: (await scrubText(db, 'webhook_attempts', 'response_body', org, pattern)) + (await scrubText(db, 'webhook_attempts', 'error', org, pattern)),
    };
  },
};
