import type { PrismaClient } from '../../db/client.js';
import type { RequisitionScope } from '../../lib/requisition-scope.js';
import { pageRequest, toPage, type PageQuery } from '../../lib/pagination.js';
import { auditRepository, type AuditFilter } from './audit.repository.js';

export type AuditService = ReturnType<typeof createAuditService>;

export function createAuditService({ db }: { db: PrismaClient }) {
  return {
    async list(organizationId: string, scope: RequisitionScope, filter: AuditFilter, query: PageQuery) {
      const page = pageRequest(query);
      return toPage(await auditRepository.list(db, organizationId, filter, page, scope), page);
    },
  };
}
