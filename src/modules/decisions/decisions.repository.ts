// Loads the facts the confirmation checks judge (see checks.ts), and writes what a confirmed
// plan decides. Large sets go through `= ANY($array)`: one parameter whatever the size. Large
// sets of ids travel as one comma-separated text (`uuidArray`): a 50,000-element array parameter
// costs tens of milliseconds to encode, element by element, in the driver; a joined string does not.
import { newId } from '../../lib/ids.js';
import { runSql, sqlRows, statement } from '../../db/sql.js';
import { erasedAddressKey } from '../../lib/erased-address.js';
import type { DbClient } from '../../db/client.js';
import type { PageRequest } from '../../lib/pagination.js';
import { sqlScope, type RequisitionScope } from '../../lib/requisition-scope.js';
import { PENDING } from '../messages/message-states.js';
import type { ApplicationStatus, DecisionKind, RequisitionStatus } from '../../generated/prisma/client.js';
import type { Actor } from '../../lib/actor.js';
import type { ApplicationFact, CandidateFact, DecisionFact, MessageFact, PlanFacts } from './checks.js';

interface CandidateRow {
  id: string;
  name: string;
  person_id: string;
  phone: string | null;
  locale: string | null;
  emails: string[] | null;
  primary_address: string | null;
}

export interface PlanFilter {
  status?: 'pending' | 'confirmed' | 'expired' | undefined;
  requisitionId?: string | undefined;
  source?: 'api' | 'ats' | 'system' | undefined;
  /** Only plans on these requisitions (the caller's); all when absent. */
  requisitions?: RequisitionScope | undefined;
}

export interface PlanListRow {
  id: string;
  requisitionId: string;
  status: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  confirmedAt: Date | null;
  confirmedBy: string | null;
  itemCount: number;
}

export interface NewPlan {
  organizationId: string;
  requisitionId: string;
  input: unknown;
  /** The evaluation's items, already JSON (made once: the plan's answer sends the same text). */
  itemsJson: string;
  /** The evaluation's plan-wide checks. */
  checks: unknown[];
  itemCount: number;
  digest: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface StoredPlanHead {
  id: string;
  requisitionId: string;
  status: 'pending' | 'confirmed';
  digest: string;
  createdAt: Date;
  expiresAt: Date;
  confirmedAt: Date | null;
}

/**
 * Records one decision in a single statement: waits out a confirmation holding the requisition,
 * inserts the decision, moves the status when it changes, and writes both audit entries. No row
 * comes back when the application is not this organization's. $1 application, $2 organization,
 * $3 status after (or null), $4 decision id, $5 kind, $6 source, $7 occurred at, $8 and $11 the
 * audit entries' ids, $9 actor, $10 request id.
 */
const recordDecisionStatement = statement(
  'decision-record',
  `WITH app AS (
     SELECT a.id, a.requisition_id, a.candidate_id, a.status::text AS status
     FROM applications a JOIN requisitions r ON r.id = a.requisition_id
     WHERE a.id = $1::uuid AND a.organization_id = $2::uuid
     FOR SHARE OF r
   ), upd AS (
     -- Locked and re-read: after waiting out a confirmation, "before" is the status it left.
     UPDATE applications t SET status = $3::application_status, status_changed_at = now(), updated_at = now()
     FROM (SELECT a2.id, a2.status::text AS status FROM applications a2 JOIN app ON a2.id = app.id
           WHERE $3::text IS NOT NULL FOR UPDATE OF a2) old
     WHERE t.id = old.id AND old.status <> $3::text
     RETURNING old.status AS before
   ), dec AS (
     INSERT INTO decisions (id, organization_id, application_id, requisition_id, candidate_id, kind, source, occurred_at)
     SELECT $4::uuid, $2::uuid, app.id, app.requisition_id, app.candidate_id, $5::decision_kind, $6::text, $7::timestamptz
     FROM app
     RETURNING id, occurred_at
   ), aud AS (
     INSERT INTO audit_events (id, organization_id, actor, action, entity, entity_id, request_id, before, after)
     SELECT $8::uuid, $2::uuid, $9::text, 'decision.recorded', 'application', app.id, $10::text,
            NULL, jsonb_build_object('kind', $5::text, 'source', $6::text, 'decisionId', $4::text)
     FROM app
     UNION ALL
     SELECT $11::uuid, $2::uuid, $9::text, 'application.status_changed', 'application', app.id, $10::text,
            jsonb_build_object('status', upd.before), jsonb_build_object('status', $3::text)
     FROM app, upd
   )
   SELECT COALESCE((SELECT before FROM upd), app.status) AS "statusBefore", EXISTS (SELECT 1 FROM upd) AS "statusChanged",
          dec.id, dec.occurred_at AS "occurredAt", app.requisition_id AS "requisitionId"
   FROM app, dec`,
);

export const decisionsRepository = {
  /**
   * Active applications of a requisition, oldest first, without those a rejection is already on
   * its way to (a message that will go out unless someone stops it: the application shows
   * `rejected` only once it is sent), with what the checks read of each (a reject-all's targets).
   */
  async activeApplications(db: DbClient, organizationId: string, requisitionId: string): Promise<ApplicationFact[]> {
    return sqlRows<ApplicationFact>(db)`
      WITH pending AS (
        SELECT application_id, also_for_application_ids FROM messages
        WHERE organization_id = ${organizationId}::uuid AND requisition_id = ${requisitionId}::uuid AND action = 'reject'
          AND status = ANY(${[...PENDING]}::message_status[])
      ), told AS (
        SELECT application_id AS id FROM pending UNION SELECT unnest(also_for_application_ids) FROM pending
      )
      SELECT a.id, a.candidate_id AS "candidateId", a.requisition_id AS "requisitionId", a.status::text AS status FROM applications a
      WHERE a.organization_id = ${organizationId}::uuid AND a.requisition_id = ${requisitionId}::uuid AND a.status = 'active'
        AND a.id NOT IN (SELECT id FROM told WHERE id IS NOT NULL)
      ORDER BY a.id`;
  },

  /** The ids of activeApplications. */
  activeApplicationIds: async (db: DbClient, organizationId: string, requisitionId: string): Promise<string[]> =>
    (await decisionsRepository.activeApplications(db, organizationId, requisitionId)).map((a) => a.id),

  /** Of the given applications, those a position_on_hold message was sent to (they were told the role paused). */
  async toldOnHold(db: DbClient, organizationId: string, requisitionId: string, applicationIds: string[]): Promise<string[]> {
    const rows = await db.$queryRaw<{ id: string }[]>`
      SELECT DISTINCT told.id
      FROM messages m
      CROSS JOIN LATERAL unnest(array_prepend(m.application_id, m.also_for_application_ids)) AS told(id)
      WHERE m.organization_id = ${organizationId}::uuid AND m.requisition_id = ${requisitionId}::uuid AND m.kind = 'position_on_hold'
        AND m.sent_at IS NOT NULL AND told.id = ANY(${applicationIds}::uuid[])
      ORDER BY told.id`;
    return rows.map((row) => row.id);
  },

  /** The requisition, locked for the rest of the transaction. */
  /** What a plan depends on of its requisition (and hashes into its digest): the id and the status. */
  requisitionOfApplication: async (db: DbClient, organizationId: string, id: string) =>
    (await db.application.findFirst({ where: { organizationId, id }, select: { requisitionId: true } }))?.requisitionId ?? null,

  requisitionState: (db: DbClient, organizationId: string, id: string) => db.requisition.findFirst({ where: { id, organizationId }, select: { id: true, status: true } }),

  async requisitionForUpdate(db: DbClient, organizationId: string, id: string) {
    const [row] = await db.$queryRaw<{ id: string; status: RequisitionStatus }[]>`
      SELECT id, status::text AS status FROM requisitions WHERE id = ${id}::uuid AND organization_id = ${organizationId}::uuid FOR UPDATE`;
    return row ?? null;
  },

  /** Which of these applications had an interview. */
  async interviewedAmong(db: DbClient, ids: string[]): Promise<string[]> {
    const rows = await db.$queryRaw<{ id: string }[]>`SELECT id FROM applications WHERE id = ANY(${ids}::uuid[]) AND last_interview_at IS NOT NULL`;
    return rows.map((row) => row.id);
  },

  /** The applications among `ids` that belong to this requisition. */
  async applicationsOf(db: DbClient, organizationId: string, requisitionId: string, ids: string[]): Promise<ApplicationFact[]> {
    return sqlRows<ApplicationFact>(db)`
      SELECT id, candidate_id AS "candidateId", requisition_id AS "requisitionId", status::text AS status
      FROM applications
      WHERE organization_id = ${organizationId}::uuid AND requisition_id = ${requisitionId}::uuid AND id = ANY(string_to_array(${uuidArray(ids)}, ',')::uuid[])`;
  },

  /**
   * Everything the checks need about these applications: their candidates and every record
   * sharing an identity key with them (to a fixed point), merges, offers and hires on the
   * requisition, active applications elsewhere, latest decisions, messages, suppressions.
   */
  async loadFacts(db: DbClient, organizationId: string, requisitionId: string, planned: ApplicationFact[]): Promise<PlanFacts> {
    const candidates = new Map<string, CandidateFact>();
    let rows = await candidateRows(db, organizationId, [...new Set(planned.map((a) => a.candidateId))]);
    // To a fixed point: every round adds records, so it ends; real chains are a link or two long.
    while (rows.length > 0) {
      for (const row of rows) {
        candidates.set(row.id, {
          id: row.id,
          name: row.name,
          personId: row.person_id,
          phone: row.phone,
          emails: row.emails ?? [],
          primaryAddress: row.primary_address,
          locale: row.locale,
        });
      }
      // Who shares a person, a phone, an address or a link with this round's records, read from
      // those records in SQL: one list of ids rather than four lists of keys. Every list matched
      // with `= ANY` is expanded element by element when Postgres plans the statement (0.1–0.5 s
      // for 50,000 records, each plan and each confirmation); a semi-join on the list is not. The
      // records already known are left out below.
      const frontier = uuidArray(rows.map((row) => row.id));
      const neighbours = await sqlRows<{ id: string }>(db)`
        WITH f AS MATERIALIZED (
          SELECT c.id, c.person_id, c.phone FROM candidates c
          WHERE c.organization_id = ${organizationId}::uuid AND c.id IN (SELECT unnest(string_to_array(${frontier}, ',')::uuid[]))
        )
        SELECT c.id FROM candidates c
        WHERE c.organization_id = ${organizationId}::uuid AND c.id NOT IN (SELECT id FROM f)
          AND (c.person_id IN (SELECT person_id FROM f) OR c.phone IN (SELECT phone FROM f WHERE phone IS NOT NULL)
               OR c.id IN (SELECT other.candidate_id FROM f JOIN candidate_emails e ON e.candidate_id = f.id
                           JOIN candidate_emails other ON other.organization_id = ${organizationId}::uuid AND other.normalized = e.normalized))
        UNION
        SELECT CASE WHEN l.candidate_id IN (SELECT id FROM f) THEN l.linked_candidate_id ELSE l.candidate_id END
        FROM identity_links l
        WHERE l.organization_id = ${organizationId}::uuid AND (l.candidate_id IN (SELECT id FROM f) OR l.linked_candidate_id IN (SELECT id FROM f))`;
      rows = await candidateRows(
        db,
        organizationId,
        neighbours.map((n) => n.id).filter((id) => !candidates.has(id)),
      );
    }
    const candidateIds = uuidArray([...candidates.keys()]);
    const plannedIds = uuidArray(planned.map((a) => a.id));

    const addresses = [...new Set([...candidates.values()].flatMap((c) => c.emails))];
    // An erased person's addresses are suppressed as hashes only: look those up too. Addresses are
    // any text: the list travels as one JSON parameter (a semi-join), not as 100,000 array elements.
    const addressOfKey = new Map(addresses.map((email) => [erasedAddressKey(organizationId, email), email]));
    const [links, related, suppressions] = await Promise.all([
      sqlRows<PlanFacts['links'][number]>(db)`
        SELECT candidate_id AS "candidateId", linked_candidate_id AS "linkedCandidateId", reason::text AS reason, evidence
        FROM identity_links
        WHERE organization_id = ${organizationId}::uuid
          AND candidate_id IN (SELECT unnest(string_to_array(${candidateIds}, ',')::uuid[]))
          AND linked_candidate_id IN (SELECT unnest(string_to_array(${candidateIds}, ',')::uuid[]))
        ORDER BY id`,
      // Their other applications here and active elsewhere (the planned ones are known already).
      sqlRows<ApplicationFact>(db)`
        SELECT id, candidate_id AS "candidateId", requisition_id AS "requisitionId", status::text AS status FROM applications
        WHERE organization_id = ${organizationId}::uuid AND candidate_id IN (SELECT unnest(string_to_array(${candidateIds}, ',')::uuid[]))
          AND (requisition_id = ${requisitionId}::uuid OR status = 'active') AND id NOT IN (SELECT unnest(string_to_array(${plannedIds}, ',')::uuid[]))
        ORDER BY id`,
      sqlRows<{ email: string; reason: string }>(db)`
        SELECT email, reason FROM suppressions
        WHERE organization_id = ${organizationId}::uuid
          AND email IN (SELECT jsonb_array_elements_text(${JSON.stringify([...addresses, ...addressOfKey.keys()])}::jsonb))`,
    ]);
    // The latest decision and the messages of every application of these people on this requisition.
    const here = uuidArray([...new Set([...related.filter((a) => a.requisitionId === requisitionId).map((a) => a.id), ...planned.map((a) => a.id)])]);
    const [decisions, messages] = await Promise.all([
      sqlRows<DecisionFact>(db)`
        SELECT DISTINCT ON (application_id) id, application_id AS "applicationId", kind::text AS kind, source, occurred_at AS "occurredAt"
        FROM decisions
        WHERE organization_id = ${organizationId}::uuid AND application_id = ANY(string_to_array(${here}, ',')::uuid[])
        ORDER BY application_id, occurred_at DESC, id DESC`,
      sqlRows<MessageFact>(db)`
        SELECT id, application_id AS "applicationId", kind, status::text AS status FROM messages
        WHERE organization_id = ${organizationId}::uuid AND application_id = ANY(string_to_array(${here}, ',')::uuid[])
        ORDER BY id`,
    ]);

    // By id, as one query would list them (the checks read them in this order).
    const applications = new Map<string, ApplicationFact>();
    for (const application of [...related, ...planned].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) applications.set(application.id, application);
    return {
      requisitionId,
      applications,
      candidates,
      links,
      latestDecisions: new Map(decisions.map((d) => [d.applicationId, d])),
      messages,
      suppressed: new Map(suppressions.map((s) => [addressOfKey.get(s.email) ?? s.email, s.reason])),
    };
  },

  /** Locks the requisition: confirmations and application writes on it queue behind each other. */
  async lockRequisition(db: DbClient, organizationId: string, requisitionId: string) {
    const rows = await db.$queryRaw<{ id: string; status: string }[]>`
      SELECT id, status::text AS status FROM requisitions
      WHERE id = ${requisitionId}::uuid AND organization_id = ${organizationId}::uuid FOR UPDATE`;
    return rows[0] ?? null;
  },

  /** Records one decision in a single statement (recordDecisionStatement). */
  async recordDecision(
    db: DbClient,
    who: Actor,
    decision: { applicationId: string; kind: DecisionKind; source: string; occurredAt: Date; statusAfter: ApplicationStatus | null },
  ): Promise<{ statusBefore: string; statusChanged: boolean; id: string; occurredAt: Date; requisitionId: string } | null> {
    const [decisionId, decisionAuditId, statusAuditId] = [newId(), newId(), newId()];
    const { applicationId, kind, source, occurredAt, statusAfter } = decision;
    const rows = await runSql<{ statusBefore: string; statusChanged: boolean; id: string; occurredAt: Date; requisitionId: string }>(db, recordDecisionStatement, [
      applicationId,
      who.organizationId,
      statusAfter,
      decisionId,
      kind,
      source,
      occurredAt,
      decisionAuditId,
      who.actor,
      who.requestId ?? null,
      statusAuditId,
    ]);
    return rows[0] ?? null;
  },

  /**
   * Stores a plan. The items go in as one JSON text parameter: handed to Prisma as an object, a
   * 50,000-item plan is walked value by value before it is serialised. Postgres puts them beside
   * the checks: joined here, the 17 MB text of a reject-all would be copied once more, into a
   * string that lives until the next full collection.
   */
  async createPlan(db: DbClient, data: NewPlan): Promise<StoredPlanHead> {
    const [row] = await sqlRows<StoredPlanHead>(db)`
      INSERT INTO decision_plans (id, organization_id, requisition_id, input, items, item_count, digest, created_by, created_at, expires_at)
      VALUES (${newId()}::uuid, ${data.organizationId}::uuid, ${data.requisitionId}::uuid, ${JSON.stringify(data.input)}::jsonb,
              json_build_object('items', ${data.itemsJson}::json, 'checks', ${JSON.stringify(data.checks)}::json),
              ${data.itemCount}, ${data.digest}, ${data.createdBy}, ${data.createdAt}, ${data.expiresAt})
      RETURNING id, requisition_id AS "requisitionId", status::text AS status, digest, created_at AS "createdAt", expires_at AS "expiresAt",
                confirmed_at AS "confirmedAt"`;
    return row!;
  },

  /**
   * What a re-check reads of these plans: the chosen applications and the overrides, no more (a
   * plan confirmed before 20261207113745 stored its whole confirmation, ~17 MB for a reject-all,
   * and every send of one of its messages would read it).
   */
  storedPlans: (db: DbClient, organizationId: string, ids: string[]) =>
    db.$queryRaw<{ id: string; input: unknown; confirmation: unknown }[]>`
      SELECT id, json_build_object('chosen', input -> 'chosen') AS input,
             CASE WHEN confirmation IS NULL THEN NULL ELSE json_build_object('overrides', COALESCE(confirmation -> 'overrides', '[]'::json)) END AS confirmation
      FROM decision_plans WHERE organization_id = ${organizationId}::uuid AND id = ANY(${ids}::uuid[])`,

  findPlan: (db: DbClient, organizationId: string, id: string) => db.decisionPlan.findFirst({ where: { id, organizationId } }),

  /** Plans newest first, without their items (a reject-all's can be 50,000): counts come from SQL. */
  listPlans: (db: DbClient, organizationId: string, filter: PlanFilter, page: PageRequest, now: Date, visible = sqlScope(filter.requisitions)) =>
    db.$queryRaw<PlanListRow[]>`
      SELECT id, requisition_id AS "requisitionId", status::text AS status, created_by AS "createdBy", created_at AS "createdAt",
             expires_at AS "expiresAt", confirmed_at AS "confirmedAt", confirmed_by AS "confirmedBy",
             item_count AS "itemCount"
      FROM decision_plans
      WHERE organization_id = ${organizationId}::uuid
        AND (${filter.requisitionId ?? null}::uuid IS NULL OR requisition_id = ${filter.requisitionId ?? null}::uuid)
        AND (${visible.all} OR requisition_id = ANY(${visible.ids}::uuid[]))
        AND (${filter.status ?? null}::text IS NULL
             OR (${filter.status ?? null}::text = 'confirmed' AND status = 'confirmed')
             OR (${filter.status ?? null}::text = 'pending' AND status = 'pending' AND expires_at > ${now})
             OR (${filter.status ?? null}::text = 'expired' AND status = 'pending' AND expires_at <= ${now}))
        AND (${filter.source ?? null}::text IS NULL
             OR ${filter.source ?? null}::text = CASE WHEN created_by LIKE 'ats:%' THEN 'ats' WHEN created_by = 'system' THEN 'system' ELSE 'api' END)
        AND (${page.after ?? null}::uuid IS NULL OR id < ${page.after ?? null}::uuid)
      ORDER BY id DESC
      LIMIT ${page.take}`,

  /** The plan, locked, without its items and confirmation (tens of MB for a reject-all): `planItems` and `planConfirmation` read those. */
  async findPlanForUpdate(db: DbClient, organizationId: string, id: string) {
    await db.$executeRaw`SELECT 1 FROM decision_plans WHERE id = ${id}::uuid AND organization_id = ${organizationId}::uuid FOR UPDATE`;
    return db.decisionPlan.findFirst({
      where: { id, organizationId },
      select: { id: true, requisitionId: true, status: true, digest: true, input: true, expiresAt: true },
    });
  },

  planItems: async (db: DbClient, id: string) => (await db.decisionPlan.findUniqueOrThrow({ where: { id }, select: { items: true } })).items,

  /**
   * What confirming the plan answered (confirmationSchema). A plan confirmed since
   * 20261207113745 keeps only its head and overrides: the decisions and drafts it wrote are read
   * back from their tables (by plan, in id order: the order they were written, uuid v7), as the
   * confirmation listed them. Drafts are listed as drafts, whatever became of them since; an
   * erased person's address shows as erased. Earlier plans stored the whole answer.
   */
  async planConfirmation(db: DbClient, id: string): Promise<unknown> {
    const [row] = await sqlRows<{ confirmation: unknown }>(db)`
      SELECT (CASE WHEN p.confirmation -> 'messages' IS NOT NULL THEN p.confirmation ELSE json_build_object(
        'planId', p.id::text,
        'confirmedAt', p.confirmation ->> 'confirmedAt',
        'decisions', (SELECT COALESCE(json_agg(json_build_object('applicationId', d.application_id, 'kind', d.kind::text) ORDER BY d.id), '[]'::json)
                      FROM decisions d WHERE d.plan_id = p.id),
        'messages', (SELECT COALESCE(json_agg(json_build_object('id', m.id, 'applicationId', m.application_id, 'candidateId', m.candidate_id, 'kind', m.kind,
                                                                'recipientEmail', m.recipient_email, 'status', 'draft') ORDER BY m.id), '[]'::json)
                     FROM messages m WHERE m.plan_id = p.id),
        'overrides', COALESCE(p.confirmation -> 'overrides', '[]'::json)) END) AS confirmation
      FROM decision_plans p WHERE p.id = ${id}::uuid`;
    if (!row) throw new Error(`plan ${id} has no confirmation`);
    return row.confirmation;
  },

  /**
   * Marks the plan confirmed and stores the head of what confirming it answered: when and which
   * overrides. The decisions and drafts are in their own tables, by plan (`planConfirmation`
   * reads them back): a reject-all's whole answer is ~17 MB of JSON, 0.7–1.1 s to build and store
   * in its confirmation, and the checks before each send of its messages read the plan's
   * confirmation for the overrides.
   */
  markConfirmed: (db: DbClient, id: string, confirmedBy: string, at: Date, overrides: { applicationId: string; code: string; reason: string }[]) =>
    db.$executeRaw`
      UPDATE decision_plans SET status = 'confirmed', confirmed_at = ${at}, confirmed_by = ${confirmedBy},
        confirmation = json_build_object('planId', ${id}::text, 'confirmedAt', ${at.toISOString()}::text, 'overrides', ${JSON.stringify(overrides)}::json)
      WHERE id = ${id}::uuid`,

  /**
   * The decisions of one plan, in chunks (a reject-all can be 50,000 rows), their ids increasing
   * in the order given: the plan's confirmation lists them in id order (planConfirmation).
   */
  async recordPlanDecisions(
    db: DbClient,
    plan: { organizationId: string; requisitionId: string; planId: string; occurredAt: Date },
    rows: { applicationId: string; candidateId: string; kind: DecisionKind }[],
  ): Promise<void> {
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK);
      const chunkIds = chunk.map(() => newId());
      await sqlRows(db)`
        INSERT INTO decisions (id, organization_id, application_id, requisition_id, candidate_id, kind, source, plan_id, occurred_at)
        SELECT id, ${plan.organizationId}::uuid, application_id, ${plan.requisitionId}::uuid, candidate_id, kind::decision_kind, 'plan',
               ${plan.planId}::uuid, ${plan.occurredAt}
        FROM unnest(string_to_array(${uuidArray(chunkIds)}, ',')::uuid[], string_to_array(${uuidArray(chunk.map((r) => r.applicationId))}, ',')::uuid[],
                    string_to_array(${uuidArray(chunk.map((r) => r.candidateId))}, ',')::uuid[], ${chunk.map((r) => r.kind)}::text[])
             AS t(id, application_id, candidate_id, kind)`;
    }
  },
};

/** Rows per INSERT: each column is one array parameter, and memory stays flat. */
const CHUNK = 5_000;

/**
 * Ids as one text parameter, read in SQL as `string_to_array($n, ',')::uuid[]` (a uuid has no
 * comma; an empty list is an empty array). Postgres folds it into a constant array, so the
 * planner still hashes `= ANY(...)` over 50,000 ids.
 */
const uuidArray = (ids: readonly string[]): string => ids.join(',');

async function candidateRows(db: DbClient, organizationId: string, ids: string[]): Promise<CandidateRow[]> {
  if (ids.length === 0) return [];
  return sqlRows<CandidateRow>(db)`
    SELECT c.id, c.name, c.person_id, c.phone, c.locale,
           json_agg(e.normalized ORDER BY e.is_primary DESC, e.id) FILTER (WHERE e.id IS NOT NULL) AS emails,
           (array_agg(e.address ORDER BY e.is_primary DESC, e.id) FILTER (WHERE e.id IS NOT NULL))[1] AS primary_address
    FROM candidates c LEFT JOIN candidate_emails e ON e.candidate_id = c.id
    WHERE c.organization_id = ${organizationId}::uuid AND c.id = ANY(string_to_array(${uuidArray(ids)}, ',')::uuid[])
    GROUP BY c.id
    ORDER BY c.id`;
}
