// SQL of kept promises: active applications whose promised decision date passed with no final
// word sent or on its way, and nothing done about it yet for this promise.
import { Prisma } from '../../generated/prisma/client.js';
import type { DbClient } from '../../db/client.js';

/** No final word sent or on its way to application `a` (a rejection, or the role cancelled or filled). */
const noFinalWord = Prisma.sql`NOT EXISTS (
          SELECT 1 FROM messages m
          WHERE m.requisition_id = a.requisition_id AND (m.application_id = a.id OR a.id = ANY(m.also_for_application_ids))
            AND (m.action = 'reject' OR m.kind IN ('position_cancelled', 'position_filled'))
            AND m.status IN ('draft', 'pending_approval', 'approved', 'scheduled', 'sending', 'unknown', 'sent', 'delivered'))`;

export interface OverdueRow {
  applicationId: string;
  organizationId: string;
  requisitionId: string;
  candidateId: string;
  promisedDecisionAt: Date;
  promiseDays: number | null;
  /** The candidate's time zone: business days are theirs. */
  timezone: string | null;
  /** The organization lets Hearback confirm and approve its own status updates. */
  autoApprove: boolean;
}

export const promisesRepository = {
  /** Locked so two workers sweeping at once split them. */
  overdue: (db: DbClient, now: Date, limit: number) =>
    db.$queryRaw<OverdueRow[]>`
      SELECT a.id AS "applicationId", a.organization_id AS "organizationId", a.requisition_id AS "requisitionId", a.candidate_id AS "candidateId",
             a.promised_decision_at AS "promisedDecisionAt", r.promise_days_after_interview AS "promiseDays", c.timezone, o.auto_approve_status_updates AS "autoApprove"
      FROM applications a JOIN requisitions r ON r.id = a.requisition_id JOIN candidates c ON c.id = a.candidate_id JOIN organizations o ON o.id = a.organization_id
      WHERE a.status = 'active' AND r.status IN ('open', 'on_hold')
        AND a.promised_decision_at < ${now}
        AND (a.overdue_notified_at IS NULL OR a.overdue_notified_at < a.promised_decision_at)
        AND ${noFinalWord}
      ORDER BY a.promised_decision_at, a.id
      LIMIT ${limit}
      FOR UPDATE OF a SKIP LOCKED`,

  /** Per requisition, active applications whose promise falls due within (`now`, `until`] with no final word yet. */
  dueSoon: (db: DbClient, now: Date, until: Date) =>
    db.$queryRaw<{ organizationId: string; requisitionId: string; count: number; firstDue: Date }[]>`
      SELECT a.organization_id AS "organizationId", a.requisition_id AS "requisitionId", count(*)::int AS count, min(a.promised_decision_at) AS "firstDue"
      FROM applications a JOIN requisitions r ON r.id = a.requisition_id
      WHERE a.status = 'active' AND r.status IN ('open', 'on_hold')
        AND a.promised_decision_at > ${now} AND a.promised_decision_at <= ${until}
        AND ${noFinalWord}
      GROUP BY a.organization_id, a.requisition_id
      ORDER BY min(a.promised_decision_at)
      LIMIT 500`,

  /** Organizations with a silence timer, and its length in business days. */
  silenceTimers: (db: DbClient) => db.organization.findMany({ where: { silenceBusinessDays: { not: null } }, select: { id: true, silenceBusinessDays: true } }),

  /**
   * Active applications of this organization that have heard nothing since `since` (no message
   * sent to them, or created before it) and have nothing on its way, not acted on since then.
   */
  silent: (db: DbClient, organizationId: string, since: Date, limit: number) =>
    db.$queryRaw<Omit<OverdueRow, 'promisedDecisionAt'>[]>`
      SELECT a.id AS "applicationId", a.organization_id AS "organizationId", a.requisition_id AS "requisitionId", a.candidate_id AS "candidateId",
             r.promise_days_after_interview AS "promiseDays", c.timezone, o.auto_approve_status_updates AS "autoApprove"
      FROM applications a JOIN requisitions r ON r.id = a.requisition_id JOIN candidates c ON c.id = a.candidate_id JOIN organizations o ON o.id = a.organization_id
      WHERE a.organization_id = ${organizationId}::uuid AND a.status = 'active' AND r.status IN ('open', 'on_hold')
        AND a.created_at < ${since}
        AND (a.silence_acted_at IS NULL OR a.silence_acted_at < ${since})
        AND NOT EXISTS (
          SELECT 1 FROM messages m
          WHERE m.requisition_id = a.requisition_id AND (m.application_id = a.id OR a.id = ANY(m.also_for_application_ids))
            AND (m.status IN ('draft', 'pending_approval', 'approved', 'scheduled', 'sending', 'unknown')
                 OR (m.status IN ('sent', 'delivered') AND m.sent_at >= ${since})))
      ORDER BY a.created_at, a.id
      LIMIT ${limit}
      FOR UPDATE OF a SKIP LOCKED`,

  /** Silence acted on: each application's new date, remembered as handled. */
  markSilenceActedOn: (db: DbClient, promises: { id: string; promise: Date }[], at: Date) =>
    db.$executeRaw`
      UPDATE applications a SET promised_decision_at = p.promise, silence_acted_at = ${at}, updated_at = ${at}
      FROM unnest(${promises.map((p) => p.id)}::uuid[], ${promises.map((p) => p.promise)}::timestamptz[]) AS p(id, promise)
      WHERE a.id = p.id`,

  /** The promise passed and was acted on: a new date, remembered as handled. */
  markActedOn: (db: DbClient, promises: { id: string; promise: Date }[], at: Date) =>
    db.$executeRaw`
      UPDATE applications a SET promised_decision_at = p.promise, overdue_notified_at = ${at}, updated_at = ${at}
      FROM unnest(${promises.map((p) => p.id)}::uuid[], ${promises.map((p) => p.promise)}::timestamptz[]) AS p(id, promise)
      WHERE a.id = p.id`,
};
