import type { DbClient } from '../../db/client.js';
import { runSql, statement } from '../../db/sql.js';
import { lockKeys } from '../../db/locks.js';
import type { ApplicationStatus, Prisma } from '../../generated/prisma/client.js';
import type { PageRequest } from '../../lib/pagination.js';
import { sqlScope, type RequisitionScope } from '../../lib/requisition-scope.js';
import { externalIdsJson, type ExternalRef } from './external-ids.repository.js';

export type ApplicationRow = Prisma.ApplicationGetPayload<object>;
/** A row as its GET and its list answer it: the model's columns and its external ids. */
type ApplicationRead = ApplicationRow & { externalIds: ExternalRef[] };
/** An application's columns as Prisma reads them, and its external ids, for SQL over `applications a`. */
const COLUMNS = `a.id, a.organization_id AS "organizationId", a.candidate_id AS "candidateId", a.requisition_id AS "requisitionId", a.stage,
   a.status::text AS status, a.promised_decision_at AS "promisedDecisionAt", a.overdue_notified_at AS "overdueNotifiedAt",
   a.silence_acted_at AS "silenceActedAt", a.last_interview_at AS "lastInterviewAt", a.status_changed_at AS "statusChangedAt",
   a.created_at AS "createdAt", a.updated_at AS "updatedAt", ${externalIdsJson('a.id')} AS "externalIds"`;

/** $1 application, $2 organization: the row as Prisma reads it, with its external ids. */
const readStatement = statement('application-read', `SELECT ${COLUMNS} FROM applications a WHERE a.id = $1::uuid AND a.organization_id = $2::uuid`);

/**
 * A page of applications, by id, each with its external ids. Unnamed, so Postgres plans it with
 * its values: the filters left out ($n IS NULL) fold away and the indexes serve the rest.
 */
const LIST = `SELECT ${COLUMNS} FROM applications a
   WHERE a.organization_id = $1::uuid
     AND ($2::uuid IS NULL OR a.requisition_id = $2::uuid)
     AND ($3::uuid IS NULL OR a.candidate_id = $3::uuid)
     AND ($4::text IS NULL OR a.status = $4::application_status)
     AND ($5::timestamptz IS NULL OR a.promised_decision_at < $5::timestamptz OR a.overdue_notified_at IS NOT NULL)
     AND ($6::uuid IS NULL OR a.id > $6::uuid)
     AND ($7::boolean OR a.requisition_id = ANY($8::uuid[]))
   ORDER BY a.id
   LIMIT $9`;
export type ApplicationColumns = Pick<ApplicationRow, 'stage' | 'status' | 'promisedDecisionAt' | 'lastInterviewAt'>;

export interface ApplicationFilter {
  requisitionId?: string | undefined;
  candidateId?: string | undefined;
  status?: ApplicationStatus | undefined;
  /** Missed promises as of this moment (see listApplications' `overdue`). */
  overdue?: Date | undefined;
}

export const applicationsRepository = {
  create: (db: DbClient, organizationId: string, candidateId: string, requisitionId: string, data: Partial<ApplicationColumns>) =>
    db.application.create({ data: { organizationId, candidateId, requisitionId, ...data } }),

  update: (db: DbClient, id: string, data: Partial<ApplicationRow>) => db.application.update({ where: { id }, data }),

  setStatus: (db: DbClient, ids: string[], status: ApplicationStatus, at: Date) =>
    db.$executeRaw`UPDATE applications SET status = ${status}::application_status, status_changed_at = ${at}, updated_at = ${at}
                   WHERE id = ANY(${ids}::uuid[])`,

  /** Sets `status` only where the application is still in one of `from`; returns the ids changed. */
  async setStatusWhere(
    db: DbClient,
    ids: string[],
    status: ApplicationStatus,
    from: ApplicationStatus[],
    at: Date,
  ): Promise<{ id: string; candidateId: string; requisitionId: string }[]> {
    if (ids.length === 0) return [];
    return db.$queryRaw`UPDATE applications SET status = ${status}::application_status, status_changed_at = ${at}, updated_at = ${at}
                        WHERE id = ANY(${ids}::uuid[]) AND status = ANY(${from}::application_status[])
                        RETURNING id, candidate_id AS "candidateId", requisition_id AS "requisitionId"`;
  },

  async findForUpdate(db: DbClient, organizationId: string, id: string): Promise<ApplicationRow | null> {
    await db.$executeRaw`SELECT 1 FROM applications WHERE id = ${id}::uuid AND organization_id = ${organizationId}::uuid FOR UPDATE`;
    return db.application.findFirst({ where: { id, organizationId } });
  },

  /** The application of this pair, after locking the pair so a concurrent create waits. */
  async lockAndFindByPair(db: DbClient, requisitionId: string, candidateId: string) {
    await lockKeys(db, [`application|${requisitionId}|${candidateId}`]);
    return db.application.findUnique({ where: { requisitionId_candidateId: { requisitionId, candidateId } } });
  },

  shareLockRequisition: (db: DbClient, requisitionId: string) => db.$executeRaw`SELECT 1 FROM requisitions WHERE id = ${requisitionId}::uuid FOR SHARE`,

  find: (db: DbClient, organizationId: string, id: string) => db.application.findFirst({ where: { id, organizationId } }),

  /** The application with its external ids, in one statement: what a GET answers (as requisitionsRepository.read). */
  read: async (db: DbClient, organizationId: string, id: string): Promise<ApplicationRead | null> =>
    (await runSql<ApplicationRead>(db, readStatement, [id, organizationId]))[0] ?? null,

  /** A page of applications with their external ids, in one statement. `overdue` lists active applications only, whatever `status` says. */
  list(db: DbClient, organizationId: string, scope: RequisitionScope, filter: ApplicationFilter, page: PageRequest) {
    const visible = sqlScope(scope);
    // Absent or empty filters are no filter, as they were for Prisma (`filter.x ? … : {}`).
    const status = filter.overdue ? 'active' : filter.status || null;
    return runSql<ApplicationRead>(db, { text: LIST }, [
      organizationId,
      filter.requisitionId || null,
      filter.candidateId || null,
      status,
      filter.overdue ?? null,
      page.after || null,
      visible.all,
      visible.ids,
      page.take,
    ]);
  },

  /** Which of these ids are records of this organization (by kind). */
  async existing(db: DbClient, organizationId: string, kind: 'candidate' | 'requisition', ids: string[]): Promise<Set<string>> {
    const where = { organizationId, id: { in: ids } };
    const rows = kind === 'candidate' ? await db.candidate.findMany({ where, select: { id: true } }) : await db.requisition.findMany({ where, select: { id: true } });
    return new Set(rows.map((row) => row.id));
  },

  /** What an acknowledgement needs, when one is wanted (the organization's or requisition's choice) and possible (an address). */
  acknowledgementFacts: async (db: DbClient, applicationId: string) =>
    (
      await db.$queryRaw<
        {
          organizationId: string;
          candidateId: string;
          address: string;
          name: string;
          preferredName: string | null;
          locale: string | null;
          timezone: string | null;
          title: string;
          defaultLocale: string;
          organizationName: string;
          formality: unknown;
          promisedDecisionAt: Date | null;
        }[]
      >`
      SELECT a.organization_id AS "organizationId", c.id AS "candidateId", e.address, c.name, c.preferred_name AS "preferredName", c.locale, c.timezone,
             r.title, r.default_locale AS "defaultLocale", o.name AS "organizationName", o.formality, a.promised_decision_at AS "promisedDecisionAt"
      FROM applications a
      JOIN candidates c ON c.id = a.candidate_id
      JOIN requisitions r ON r.id = a.requisition_id
      JOIN organizations o ON o.id = a.organization_id
      JOIN LATERAL (SELECT address FROM candidate_emails WHERE candidate_id = c.id ORDER BY is_primary DESC, id LIMIT 1) e ON true
      WHERE a.id = ${applicationId}::uuid AND a.status = 'active' AND COALESCE(r.acknowledge_applications, o.acknowledge_applications)`
    )[0] ?? null,
};
