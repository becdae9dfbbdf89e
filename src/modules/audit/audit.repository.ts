import type { DbClient } from '../../db/client.js';
import { v7 as uuidv7 } from 'uuid';
import type { PageRequest } from '../../lib/pagination.js';
import type { Actor } from '../../lib/actor.js';

export interface AuditEntry {
  action: string;
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

const json = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));

/** Rows per INSERT: arrays stay one parameter each, and memory stays flat for 50,000 entries. */
const CHUNK = 5_000;

export interface AuditFilter {
  entity?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
}

export const auditRepository = {
  /** Appends entries in the caller's transaction: the log says exactly what committed. */
  async record(db: DbClient, who: Actor, entries: AuditEntry[]): Promise<void> {
    for (let start = 0; start < entries.length; start += CHUNK) {
      const chunk = entries.slice(start, start + CHUNK);
      await db.$executeRaw`
        INSERT INTO audit_events (id, organization_id, actor, action, entity, entity_id, request_id, before, after)
        SELECT id, ${who.organizationId}::uuid, ${who.actor}, action, entity, entity_id, ${who.requestId ?? null}, before::jsonb, after::jsonb
        FROM unnest(${chunk.map(() => uuidv7())}::uuid[], ${chunk.map((e) => e.action)}::text[], ${chunk.map((e) => e.entity)}::text[],
                    ${chunk.map((e) => e.entityId)}::uuid[], ${chunk.map((e) => json(e.before))}::text[], ${chunk.map((e) => json(e.after))}::text[])
             AS t(id, action, entity, entity_id, before, after)`;
    }
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
