import type { DbClient } from '../../db/client.js';
import { newId } from '../../lib/ids.js';
import type { PageRequest } from '../../lib/pagination.js';
import { seesAll, type RequisitionScope } from '../../lib/requisition-scope.js';
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
        FROM unnest(${chunk.map(() => newId())}::uuid[], ${chunk.map((e) => e.action)}::text[], ${chunk.map((e) => e.entity)}::text[],
                    ${chunk.map((e) => e.entityId)}::uuid[], ${chunk.map((e) => json(e.before))}::text[], ${chunk.map((e) => json(e.after))}::text[])
             AS t(id, action, entity, entity_id, before, after)`;
    }
  },

  /**
   * record() as work of a one-statement write (idempotency.repository.ts, onceStatement): it runs
   * only when `claimed` has its row. Its parameters are `$from`...`$from + 8`, with onceValues.
   */
  onceWork(from: number): string {
    const $ = (i: number) => `$${from + i}`;
    return `INSERT INTO audit_events (id, organization_id, actor, action, entity, entity_id, request_id, before, after)
      SELECT id, ${$(0)}::uuid, ${$(1)}::text, action, entity, entity_id, ${$(2)}::text, before::jsonb, after::jsonb
      FROM unnest(${$(3)}::uuid[], ${$(4)}::text[], ${$(5)}::text[], ${$(6)}::uuid[], ${$(7)}::text[], ${$(8)}::text[])
           AS t(id, action, entity, entity_id, before, after), claimed`;
  },

  onceValues: (who: Actor, entries: AuditEntry[]): unknown[] => [
    who.organizationId,
    who.actor,
    who.requestId ?? null,
    entries.map(() => newId()),
    entries.map((e) => e.action),
    entries.map((e) => e.entity),
    entries.map((e) => e.entityId),
    entries.map((e) => json(e.before)),
    entries.map((e) => json(e.after)),
  ],

  async list(db: DbClient, organizationId: string, filter: AuditFilter, page: PageRequest, scope: RequisitionScope = 'all') {
    if (!seesAll(scope)) {
      // Entries about a requisition, or anything on one, follow its visibility; the rest stay.
      const rows = await db.$queryRaw<{ id: string }[]>`
        SELECT e.id FROM audit_events e
        WHERE e.organization_id = ${organizationId}::uuid
          AND (${filter.entity ?? null}::text IS NULL OR e.entity = ${filter.entity ?? null}::text)
          AND (${filter.entityId ?? null}::uuid IS NULL OR e.entity_id = ${filter.entityId ?? null}::uuid)
          AND (${filter.action ?? null}::text IS NULL OR e.action = ${filter.action ?? null}::text)
          AND (${page.after ?? null}::uuid IS NULL OR e.id > ${page.after ?? null}::uuid)
          AND CASE e.entity
                WHEN 'requisition' THEN e.entity_id = ANY(${[...scope]}::uuid[])
                WHEN 'application' THEN EXISTS (SELECT 1 FROM applications a WHERE a.id = e.entity_id AND a.requisition_id = ANY(${[...scope]}::uuid[]))
                WHEN 'candidate' THEN EXISTS (SELECT 1 FROM applications a WHERE a.candidate_id = e.entity_id AND a.requisition_id = ANY(${[...scope]}::uuid[]))
                WHEN 'plan' THEN EXISTS (SELECT 1 FROM decision_plans p WHERE p.id = e.entity_id AND p.requisition_id = ANY(${[...scope]}::uuid[]))
                WHEN 'message' THEN EXISTS (SELECT 1 FROM messages m WHERE m.id = e.entity_id AND m.requisition_id = ANY(${[...scope]}::uuid[]))
                ELSE true END
        ORDER BY e.id
        LIMIT ${page.take}`;
      return db.auditEvent.findMany({ where: { id: { in: rows.map((r) => r.id) } }, orderBy: { id: 'asc' } });
    }
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
