// The audit log's API contract: an event as listed, and the filters a listing takes.
import { z } from 'zod';
import { pageQuerySchema } from '../../lib/pagination.js';

export const auditEventSchema = z
  .object({
    id: z.uuid(),
    actor: z.string().describe('`user:<id>` (a person, through a session or a personal key), `api_key:<id>` (a service key), `ats:<source>`, `cli` or `system`.'),
    action: z.string().describe('e.g. `candidate.created`, `application.status_changed`, `identity.linked`.'),
    entity: z.string(),
    entityId: z.uuid(),
    requestId: z.string().nullable(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
    createdAt: z.date(),
  })
  .meta({ id: 'AuditEvent' });

export const auditQuerySchema = pageQuerySchema.extend({
  entity: z.string().max(50).optional(),
  entityId: z.uuid().optional(),
  action: z.string().max(100).optional(),
});
