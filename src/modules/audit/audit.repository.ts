import type { DbClient } from '../../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { PageRequest } from '../../lib/pagination.js';

/** Who did something, for the audit log: resolved once per request. */
export interface Actor {
  organizationId: string;
  /** `api_key:<id>`, `ats:<source>`, `cli`, `system`. */
  actor: string;
  requestId?: string | undefined;
}

export interface AuditEntry {
  action: string;
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

const json = (value: unknown) =>
  value === undefined || value === null ? undefined : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue);

export interface AuditFilter {
  entity?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
}

export const auditRepository = {
  /** Appends entries in the caller's transaction: the log says exactly what committed. */
  async record(db: DbClient, who: Actor, entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await db.auditEvent.createMany({
      data: entries.map((entry) => ({
        organizationId: who.organizationId,
        actor: who.actor,
        requestId: who.requestId ?? null,
        action: entry.action,
        entity: entry.entity,
        entityId: entry.entityId,
        before: json(entry.before),
        after: json(entry.after),
      })),
    });
  },

  list(db: DbClient, organizationId: string, filter: AuditFilter, page: PageRequest) {
    return db.auditEvent.findMany({
      where: {
        organizationId,
        ...(filter.entity ? { entity: filter.entity } : {}),
        ...(filter.entityId ? { entityId: filter.entityId } : {}),
        ...(filter.action ? { action: filter.action } : {}),
        ...(page.after ? { id: { gt: page.after } } : {}),
      },
      orderBy: { id: 'asc' },
      take: page.take,
    });
  },
};
