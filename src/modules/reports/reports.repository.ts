// SQL of the closure report: one pass over a scope's applications, with each one's final word
// (the first sent message that ends its process, or a hire or withdrawal), its promise and its
// stage, and the counts that do not need a row per application.
import type { DbClient } from '../../db/client.js';

export interface ClosureRow {
  applicationId: string;
  requisitionId: string;
  status: string;
  createdAt: Date;
  interviewed: boolean;
  promisedDecisionAt: Date | null;
  finalWordAt: Date | null;
}

export interface ClosureScope {
  organizationId: string;
  requisitionId?: string | undefined;
}

/** Message kinds whose sending ends an application's process (with any rejection kind). */
const FINAL_KINDS = ['position_cancelled', 'position_filled'];

export const reportsRepository = {
  async applications(db: DbClient, scope: ClosureScope): Promise<ClosureRow[]> {
    return db.$queryRaw<ClosureRow[]>`
      WITH scoped AS (
        SELECT a.id, a.requisition_id, a.status::text AS status, a.created_at, a.last_interview_at, a.promised_decision_at, a.status_changed_at
        FROM applications a
        WHERE a.organization_id = ${scope.organizationId}::uuid
          AND (${scope.requisitionId ?? null}::uuid IS NULL OR a.requisition_id = ${scope.requisitionId ?? null}::uuid)
      ), told AS (
        SELECT told.application_id, min(m.sent_at) AS sent_at
        FROM messages m
        CROSS JOIN LATERAL unnest(array_prepend(m.application_id, COALESCE(m.also_for_application_ids, '{}'))) AS told(application_id)
        WHERE m.organization_id = ${scope.organizationId}::uuid
          AND (${scope.requisitionId ?? null}::uuid IS NULL OR m.requisition_id = ${scope.requisitionId ?? null}::uuid)
          AND m.status IN ('sent', 'delivered') AND m.sent_at IS NOT NULL
          AND (m.action = 'reject' OR m.kind = ANY(${FINAL_KINDS}::text[]))
        GROUP BY told.application_id
      )
      SELECT s.id AS "applicationId", s.requisition_id AS "requisitionId", s.status, s.created_at AS "createdAt",
             s.last_interview_at IS NOT NULL AS interviewed, s.promised_decision_at AS "promisedDecisionAt",
             CASE WHEN t.sent_at IS NOT NULL THEN t.sent_at
                  WHEN s.status IN ('hired', 'withdrawn') THEN s.status_changed_at END AS "finalWordAt"
      FROM scoped s LEFT JOIN told t ON t.application_id = s.id
      ORDER BY s.id`;
  },

  /** Messages a check held or whose delivery failed, now. */
  async stopped(db: DbClient, scope: ClosureScope): Promise<{ held: number; failed: number }> {
    const [row] = await db.$queryRaw<{ held: number; failed: number }[]>`
      SELECT count(*) FILTER (WHERE status = 'held')::int AS held, count(*) FILTER (WHERE status = 'failed')::int AS failed
      FROM messages
      WHERE organization_id = ${scope.organizationId}::uuid AND (${scope.requisitionId ?? null}::uuid IS NULL OR requisition_id = ${scope.requisitionId ?? null}::uuid)`;
    return row ?? { held: 0, failed: 0 };
  },

  /** Sent rejections, and how many carried written feedback (strengths, advice, ratings or a note). */
  async rejectionFeedback(db: DbClient, scope: ClosureScope): Promise<{ sent: number; withFeedback: number }> {
    const [row] = await db.$queryRaw<{ sent: number; withFeedback: number }[]>`
      SELECT count(*)::int AS sent,
             count(*) FILTER (WHERE jsonb_array_length(COALESCE(feedback -> 'strengths', '[]')) > 0
                                 OR jsonb_array_length(COALESCE(feedback -> 'areasToImprove', '[]')) > 0
                                 OR jsonb_array_length(COALESCE(feedback -> 'competencies', '[]')) > 0
                                 OR feedback ? 'personalNote')::int AS "withFeedback"
      FROM messages
      WHERE organization_id = ${scope.organizationId}::uuid AND (${scope.requisitionId ?? null}::uuid IS NULL OR requisition_id = ${scope.requisitionId ?? null}::uuid)
        AND action = 'reject' AND status IN ('sent', 'delivered', 'bounced')`;
    return row ?? { sent: 0, withFeedback: 0 };
  },

  /** The candidates' ratings of the feedback they received (the latest per message). */
  async ratings(db: DbClient, scope: ClosureScope): Promise<{ count: number; average: number | null }> {
    const [row] = await db.$queryRaw<{ count: number; average: number | null }[]>`
      SELECT count(*)::int AS count, avg(r.value)::float8 AS average
      FROM feedback_ratings r JOIN messages m ON m.id = r.message_id
      WHERE r.organization_id = ${scope.organizationId}::uuid AND (${scope.requisitionId ?? null}::uuid IS NULL OR m.requisition_id = ${scope.requisitionId ?? null}::uuid)`;
    return row ?? { count: 0, average: null };
  },

  requisitionExists: async (db: DbClient, organizationId: string, id: string) => (await db.requisition.count({ where: { id, organizationId } })) > 0,

  /**
   * Every organization's applications by where they stand (for /metrics): with a final word, still
   * waiting for one, and waiting past their promised date. Same rules as the closure report.
   */
  async closureGauges(db: DbClient, at: Date): Promise<{ finalWord: number; waiting: number; overdue: number }> {
    const [row] = await db.$queryRaw<{ finalWord: number; waiting: number; overdue: number }[]>`
      WITH told AS (
        SELECT DISTINCT told.application_id
        FROM messages m
        CROSS JOIN LATERAL unnest(array_prepend(m.application_id, COALESCE(m.also_for_application_ids, '{}'))) AS told(application_id)
        WHERE m.status IN ('sent', 'delivered') AND m.sent_at IS NOT NULL AND (m.action = 'reject' OR m.kind = ANY(${FINAL_KINDS}::text[]))
      )
      SELECT count(*) FILTER (WHERE t.application_id IS NOT NULL OR a.status IN ('hired', 'withdrawn'))::int AS "finalWord",
             count(*) FILTER (WHERE t.application_id IS NULL AND a.status = 'active')::int AS waiting,
             count(*) FILTER (WHERE t.application_id IS NULL AND a.status = 'active' AND a.promised_decision_at < ${at})::int AS overdue
      FROM applications a LEFT JOIN told t ON t.application_id = a.id`;
    return row ?? { finalWord: 0, waiting: 0, overdue: 0 };
  },
};
