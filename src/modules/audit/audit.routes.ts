import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { pageSchema } from '../../lib/pagination.js';
import { authOf } from '../../plugins/auth.js';
import { auditEventSchema, auditQuerySchema } from './audit.schemas.js';
import type { AuditService } from './audit.service.js';

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
      const { organizationId, requisitions } = authOf(request);
      return audit.list(organizationId, requisitions, { entity, entityId, action }, page);
    },
  );
};
