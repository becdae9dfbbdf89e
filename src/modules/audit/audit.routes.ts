import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuerySchema, pageSchema } from '../../lib/pagination.js';
import { authOf } from '../../plugins/auth.js';
import type { AuditService } from './audit.service.js';

const auditEventSchema = z
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

const auditQuerySchema = pageQuerySchema.extend({
  entity: z.string().max(50).optional(),
  entityId: z.uuid().optional(),
  action: z.string().max(100).optional(),
});

export const auditRoutes: FastifyPluginAsyncZod<{ audit: AuditService }> = async (app, { audit }) => {
  app.get(
    '/v1/audit-events',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listAuditEvents',
        tags: ['audit'],
        summary: 'The append-only audit log, oldest first',
        querystring: auditQuerySchema,
        response: { 200: pageSchema(auditEventSchema) },
      },
    },
    async (request) => {
      const { entity, entityId, action, ...page } = request.query;
      return audit.list(authOf(request).organizationId, { entity, entityId, action }, page);
    },
  );
};
