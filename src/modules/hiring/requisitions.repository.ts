import type { DbClient } from '../../db/client.js';
import { runSql, statement } from '../../db/sql.js';
import type { Prisma, RequisitionStatus } from '../../generated/prisma/client.js';
import type { PageRequest } from '../../lib/pagination.js';
import { sqlScope, type RequisitionScope } from '../../lib/requisition-scope.js';
import { externalIdsJson, type ExternalRef } from './external-ids.repository.js';

export type RequisitionRow = Prisma.RequisitionGetPayload<object>;
/** A row as its GET and its list answer it: the model's columns and its external ids. */
type RequisitionRead = RequisitionRow & { externalIds: ExternalRef[] };

/** A requisition's columns as Prisma reads them, and its external ids, for SQL over `requisitions r`. */
const COLUMNS = `r.id, r.organization_id AS "organizationId", r.title, r.department, r.location, r.default_locale AS "defaultLocale",
   r.hiring_contact_name AS "hiringContactName", r.hiring_contact_email AS "hiringContactEmail", r.status::text AS status,
   r.promised_decision_at AS "promisedDecisionAt", r.promise_days_after_interview AS "promiseDaysAfterInterview",
   r.acknowledge_applications AS "acknowledgeApplications", r.created_at AS "createdAt", r.updated_at AS "updatedAt",
   ${externalIdsJson('r.id')} AS "externalIds"`;

/** $1 requisition, $2 organization: the row as Prisma reads it, with its external ids. */
const readStatement = statement('requisition-read', `SELECT ${COLUMNS} FROM requisitions r WHERE r.id = $1::uuid AND r.organization_id = $2::uuid`);

/** A page of requisitions, by id, each with its external ids (unnamed: planned with its values, see applicationsRepository's LIST). */
const LIST = `SELECT ${COLUMNS} FROM requisitions r
   WHERE r.organization_id = $1::uuid
     AND ($2::text IS NULL OR r.status = $2::requisition_status)
     AND ($3::uuid IS NULL OR r.id > $3::uuid)
     AND ($4::boolean OR r.id = ANY($5::uuid[]))
   ORDER BY r.id
   LIMIT $6`;
export type RequisitionData = Omit<Prisma.RequisitionUncheckedCreateInput, 'id' | 'organizationId' | 'createdAt' | 'updatedAt'>;

export const requisitionsRepository = {
  create: (db: DbClient, organizationId: string, data: RequisitionData) => db.requisition.create({ data: { ...data, organizationId } }),

  update: (db: DbClient, id: string, data: Partial<RequisitionData>) => db.requisition.update({ where: { id }, data }),

  /** Locks the row for the rest of the transaction (concurrent updates queue behind). */
  async findForUpdate(db: DbClient, organizationId: string, id: string): Promise<RequisitionRow | null> {
    await db.$executeRaw`SELECT 1 FROM requisitions WHERE id = ${id}::uuid AND organization_id = ${organizationId}::uuid FOR UPDATE`;
    return db.requisition.findFirst({ where: { id, organizationId } });
  },

  find: (db: DbClient, organizationId: string, id: string) => db.requisition.findFirst({ where: { id, organizationId } }),

  /**
   * The requisition with its external ids, in one statement: what a GET answers, in one round
   * trip. The ids are JSON the statement builds from their columns, not stored JSON.
   */
  read: async (db: DbClient, organizationId: string, id: string): Promise<RequisitionRead | null> =>
    (await runSql<RequisitionRead>(db, readStatement, [id, organizationId]))[0] ?? null,

  /** The requisition's default promise after an interview, in business days (null: none). */
  promiseDays: async (db: DbClient, id: string) =>
    (await db.requisition.findUnique({ where: { id }, select: { promiseDaysAfterInterview: true } }))?.promiseDaysAfterInterview ?? null,

  /** A page of requisitions with their external ids, in one statement. */
  list(db: DbClient, organizationId: string, scope: RequisitionScope, filter: { status?: RequisitionStatus | undefined }, page: PageRequest) {
    const visible = sqlScope(scope);
    return runSql<RequisitionRead>(db, { text: LIST }, [organizationId, filter.status || null, page.after || null, visible.all, visible.ids, page.take]);
  },

  /**
   * Active applications nobody has given, or is about to give, a final word: no rejection,
   * cancellation or filled notice sent or on its way (a confirmed plan's message not stopped).
   */
  withoutFinalWord: (db: DbClient, requisitionId: string, limit: number) =>
    db.$queryRaw<{ applicationId: string; candidateId: string; candidateName: string }[]>`
      SELECT a.id AS "applicationId", c.id AS "candidateId", c.name AS "candidateName"
      FROM applications a JOIN candidates c ON c.id = a.candidate_id
      WHERE a.requisition_id = ${requisitionId}::uuid AND a.status = 'active'
        AND NOT EXISTS (
          SELECT 1 FROM messages m
          WHERE m.requisition_id = ${requisitionId}::uuid
            AND (m.application_id = a.id OR a.id = ANY(m.also_for_application_ids))
            AND (m.action = 'reject' OR m.kind IN ('position_cancelled', 'position_filled'))
            AND m.status IN ('draft', 'pending_approval', 'approved', 'scheduled', 'sending', 'unknown', 'sent', 'delivered'))
      ORDER BY a.id
      LIMIT ${limit}`,
};
