// SQL of imports and reconciliations: a connection's import state and sync token, and the
// statuses Hearback holds for the applications an ATS listed.
import type { DbClient } from '../../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';

export const syncRepository = {
  saveImport: (db: DbClient, id: string, state: Prisma.InputJsonObject) => db.atsConnection.update({ where: { id }, data: { importState: state }, select: { id: true } }),

  saveUsers: (db: DbClient, id: string, users: Prisma.InputJsonObject) => db.atsConnection.update({ where: { id }, data: { atsUsers: users }, select: { id: true } }),

  saveCatalogue: (db: DbClient, id: string, catalogue: Prisma.InputJsonObject) =>
    db.atsConnection.update({ where: { id }, data: { atsCatalogue: catalogue }, select: { id: true } }),

  /** Of these ATS job ids, those Hearback has a requisition for. */
  knownRequisitions: async (db: DbClient, organizationId: string, source: string, externalIds: string[]) =>
    new Set(
      (
        await db.externalId.findMany({
          where: { organizationId, entity: 'requisition', source, externalId: { in: externalIds } },
          select: { externalId: true },
        })
      ).map((r) => r.externalId),
    ),

  imported: (db: DbClient, id: string, at: Date, syncToken: string | null) =>
    db.atsConnection.update({ where: { id }, data: { lastImportAt: at, lastReconciledAt: at, syncToken }, select: { id: true } }),

  reconciled: (db: DbClient, id: string, at: Date, syncToken: string | null) =>
    db.atsConnection.update({ where: { id }, data: { lastReconciledAt: at, syncToken }, select: { id: true } }),

  /** Hearback's status of each listed application it knows, by the ATS's id. */
  statuses: (db: DbClient, organizationId: string, source: string, externalIds: string[]) =>
    db.$queryRaw<{ externalId: string; status: string }[]>`
      SELECT x.external_id AS "externalId", a.status::text AS status
      FROM external_ids x JOIN applications a ON a.id = x.entity_id
      WHERE x.organization_id = ${organizationId}::uuid AND x.entity = 'application' AND x.source = ${source} AND x.external_id = ANY(${externalIds}::text[])`,

  /** Of these ATS candidate ids, those whose Hearback record was erased: never filled in again from the ATS. */
  erased: async (db: DbClient, organizationId: string, source: string, externalIds: string[]) =>
    new Set(
      (
        await db.$queryRaw<{ externalId: string }[]>`
          SELECT x.external_id AS "externalId" FROM external_ids x JOIN candidates c ON c.id = x.entity_id
          WHERE x.organization_id = ${organizationId}::uuid AND x.entity = 'candidate' AND x.source = ${source}
            AND x.external_id = ANY(${externalIds}::text[]) AND c.erased_at IS NOT NULL`
      ).map((r) => r.externalId),
    ),

  /** Enabled connections with credentials and a finished import, not reconciled since `before`. */
  dueForReconciliation: async (db: DbClient, before: Date) =>
    (
      await db.atsConnection.findMany({
        where: { enabled: true, apiCredentials: { not: null }, syncToken: { not: null }, OR: [{ lastReconciledAt: null }, { lastReconciledAt: { lt: before } }] },
        select: { id: true },
        orderBy: { id: 'asc' },
        take: 500,
      })
    ).map((c) => c.id),
};
