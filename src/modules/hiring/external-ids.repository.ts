// External ids (greenhouse, lever, ashby, api, ...) → our records. Every create-or-update goes
// through `lockAndResolve` first: the advisory locks serialise concurrent upserts of the same
// external record, so two deliveries of one ATS event never create two records.
import type { DbClient } from '../../db/client.js';
import { lockKeys } from '../../db/locks.js';
import { runSql, statement } from '../../db/sql.js';
import type { ExternalEntity } from '../../generated/prisma/enums.js';
import { conflict } from '../../lib/errors.js';

export interface ExternalRef {
  source: string;
  id: string;
}

/** $1 the records' ids: their external ids, by source, then id (as externalIdsJson lists them). */
const forEntitiesStatement = statement(
  'external-ids-for-entities',
  `SELECT entity_id AS "entityId", source, external_id AS id FROM external_ids WHERE entity_id = ANY($1::uuid[]) ORDER BY source, external_id`,
);

export const externalIdsRepository = {
  /** The record these external ids point to (null when none), refusing ids split across records. */
  async lockAndResolve(db: DbClient, organizationId: string, entity: ExternalEntity, refs: ExternalRef[]): Promise<string | null> {
    if (refs.length === 0) return null;
    await lockKeys(
      db,
      refs.map((ref) => `${organizationId}|${entity}|${ref.source}|${ref.id}`),
    );
    const rows = await db.externalId.findMany({
      where: { organizationId, entity, OR: refs.map((ref) => ({ source: ref.source, externalId: ref.id })) },
      select: { entityId: true, source: true, externalId: true },
    });
    const ids = [...new Set(rows.map((row) => row.entityId))];
    if (ids.length > 1) {
      throw conflict(`These external ids belong to different ${entity} records`, {
        records: rows.map((row) => ({ source: row.source, externalId: row.externalId, id: row.entityId })),
      });
    }
    return ids[0] ?? null;
  },

  /** The record one external id points to, without locking (for reads and single-statement writes). */
  async resolve(db: DbClient, organizationId: string, entity: ExternalEntity, ref: ExternalRef): Promise<string | null> {
    const row = await db.externalId.findUnique({
      where: { organizationId_entity_source_externalId: { organizationId, entity, source: ref.source, externalId: ref.id } },
      select: { entityId: true },
    });
    return row?.entityId ?? null;
  },

  async attach(db: DbClient, organizationId: string, entity: ExternalEntity, entityId: string, refs: ExternalRef[]): Promise<void> {
    if (refs.length === 0) return;
    await db.externalId.createMany({
      data: refs.map((ref) => ({ organizationId, entity, source: ref.source, externalId: ref.id, entityId })),
      skipDuplicates: true,
    });
  },

  /** External ids of each record, for responses (a page of a list, a written record): one prepared statement. */
  async forEntities(db: DbClient, entityIds: string[]): Promise<Map<string, ExternalRef[]>> {
    const rows = entityIds.length ? await runSql<{ entityId: string; source: string; id: string }>(db, forEntitiesStatement, [entityIds]) : [];
    const map = new Map<string, ExternalRef[]>();
    for (const row of rows) map.set(row.entityId, [...(map.get(row.entityId) ?? []), { source: row.source, id: row.id }]);
    return map;
  },
};

/**
 * A record's external ids as forEntities lists them (by source, then id), as a JSON array: SQL
 * for a statement that reads the record and its ids at once. `entityIdSql` is SQL of the
 * caller's statement (a column), never a value.
 */
export const externalIdsJson = (entityIdSql: string) =>
  `COALESCE((SELECT json_agg(json_build_object('source', x.source, 'id', x.external_id) ORDER BY x.source, x.external_id)
             FROM external_ids x WHERE x.entity_id = ${entityIdSql}), '[]'::json)`;
