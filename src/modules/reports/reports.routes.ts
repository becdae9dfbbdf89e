import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authOf } from '../../plugins/auth.js';
import { closureQuerySchema, closureReportSchema } from './reports.schemas.js';
import { closureCsv, type ReportsService } from './reports.service.js';

const tags = ['reports'];

export const reportsRoutes: FastifyPluginAsyncZod<{ reports: ReportsService }> = async (app, { reports }) => {
  app.get(
    '/v1/reports/closure',
    {
      config: { scope: 'read', errors: ['not_found'] },
      schema: {
        operationId: 'getClosureReport',
        tags,
        summary: 'Did every candidate hear back? Final words, time to them, promises kept, what is overdue, held or failed',
        querystring: closureQuerySchema,
        response: { 200: closureReportSchema },
      },
    },
    async (request) => reports.closure({ ...authOf(request), requisitionId: request.query.requisitionId }),
  );

  app.get(
    '/v1/reports/closure.csv',
    {
      config: { scope: 'read', errors: ['not_found'] },
      schema: {
        operationId: 'getClosureReportCsv',
        tags,
        summary: 'The closure report as CSV: one `metric,value` line per figure, the daily series included',
        querystring: closureQuerySchema,
        response: { 200: z.string().describe('text/csv') },
      },
    },
    async (request, reply) => {
      const report = await reports.closure({ ...authOf(request), requisitionId: request.query.requisitionId });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="closure-report.csv"')
        .serializer((payload: unknown) => String(payload))
        .send(closureCsv(report));
    },
  );
};
