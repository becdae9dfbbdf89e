import { z } from 'zod';

/** Declared on idempotent routes so the header is validated and documented with them. */
export const idempotencyHeadersSchema = z.object({
  'idempotency-key': z.string().min(1).max(255).optional().describe('A unique value per logical request (a UUID). Retries with the same key and body replay the first response.'),
});
