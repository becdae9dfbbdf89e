import type { DbClient } from '../../db/client.js';
import type { MessageStatus, Prisma } from '../../generated/prisma/client.js';
import type { PageRequest } from '../../lib/pagination.js';
import { onVisibleRequisitions, sqlScope, type RequisitionScope } from '../../lib/requisition-scope.js';
import { organizationSettingsColumns } from '../organizations/organizations.repository.js';
import { fromStates } from './message-states.js';
import { storedPlanInputSchema } from '../decisions/decisions.schemas.js';

export interface MessageFilter {
  status?: MessageStatus | undefined;
  requisitionId?: string | undefined;
  kind?: string | undefined;
  severity?: 'block' | 'warn' | 'info' | undefined;
  /** Only messages on these requisitions (the caller's); all when absent. */
  requisitions?: RequisitionScope | undefined;
}

const summary = {
  id: true,
  planId: true,
  requisitionId: true,
  applicationId: true,
  candidateId: true,
  kind: true,
  status: true,
  recipientEmail: true,
  locale: true,
  subject: true,
  severity: true,
  contentVersion: true,
  templateVersion: true,
  approvedAt: true,
  approvedBy: true,
  sendAt: true,
  sentAt: true,
  deliveredAt: true,
  failureCode: true,
  failureReason: true,
  createdAt: true,
  updatedAt: true,
} as const;

export type MessageRow = Prisma.MessageGetPayload<object>;

export const messagesRepository = {
  /** The ids of a plan's drafts, in order: a render job reads the rows a page at a time (draftsByIds). */
  draftIdsOfPlan: async (db: DbClient, planId: string) =>
    (await db.message.findMany({ where: { planId, status: 'draft' }, orderBy: { id: 'asc' }, select: { id: true } })).map((row) => row.id),

  /** These messages that are still drafts, by id (one primary-key lookup each). */
  draftsByIds: (db: DbClient, ids: string[]) => db.message.findMany({ where: { id: { in: ids }, status: 'draft' }, orderBy: { id: 'asc' } }),

  /** Every candidate of a plan with the feedback it gave them: what other messages must not show. */
  async planPeople(db: DbClient, planId: string) {
    return db.$queryRaw<{ candidateId: string; name: string; feedback: unknown }[]>`
      SELECT m.candidate_id AS "candidateId", c.name, m.feedback
      FROM messages m JOIN candidates c ON c.id = m.candidate_id
      WHERE m.plan_id = ${planId}::uuid`;
  },

  list: (db: DbClient, organizationId: string, filter: MessageFilter, page: PageRequest) =>
    db.message.findMany({
      where: {
        organizationId,
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.requisitionId ? { requisitionId: filter.requisitionId } : {}),
        ...(filter.kind ? { kind: filter.kind } : {}),
        ...(filter.severity ? { severity: filter.severity } : {}),
        ...(page.after ? { id: { gt: page.after } } : {}),
        AND: [onVisibleRequisitions(filter.requisitions ?? 'all')],
      },
      orderBy: { id: 'asc' },
      take: page.take,
      select: summary,
    }),

  /** The names of candidates (by id), for the rows of a list. */
  candidateNames: async (db: DbClient, organizationId: string, ids: string[]) =>
    new Map((await db.candidate.findMany({ where: { organizationId, id: { in: [...new Set(ids)] } }, select: { id: true, name: true } })).map((c) => [c.id, c.name])),

  find: (db: DbClient, organizationId: string, id: string) => db.message.findFirst({ where: { id, organizationId } }),

  events: (db: DbClient, organizationId: string, messageId: string, page: PageRequest) =>
    db.messageEvent.findMany({
      where: { organizationId, messageId, ...(page.after ? { id: { gt: page.after } } : {}) },
      orderBy: { id: 'asc' },
      take: page.take,
      select: { id: true, messageId: true, type: true, source: true, detail: true, occurredAt: true },
    }),

  planConfirmer: async (db: DbClient, planId: string | null) =>
    planId ? ((await db.decisionPlan.findUnique({ where: { id: planId }, select: { confirmedBy: true } }))?.confirmedBy ?? null) : null,

  /** Whether a plan is Hearback's own status update that it approves itself (stored with the plan's input). */
  planAutoApproved: async (db: DbClient, planId: string) => {
    const plan = await db.decisionPlan.findUnique({ where: { id: planId }, select: { input: true } });
    return storedPlanInputSchema.safeParse(plan?.input).data?.autoApprove === true;
  },

  /** A plan's rendered messages waiting for approval. */
  pendingOfPlan: (db: DbClient, planId: string) =>
    db.message.findMany({ where: { planId, status: 'pending_approval' }, select: { id: true, contentVersion: true, severity: true }, orderBy: { id: 'asc' } }),

  policy: (db: DbClient, organizationId: string) => db.organization.findUniqueOrThrow({ where: { id: organizationId }, select: organizationSettingsColumns }),

  /** What the send time depends on: the interview, and where the candidate lives. */
  async sendFacts(db: DbClient, message: { applicationId: string; candidateId: string }) {
    const [application, candidate] = await Promise.all([
      db.application.findUniqueOrThrow({ where: { id: message.applicationId }, select: { lastInterviewAt: true } }),
      db.candidate.findUniqueOrThrow({ where: { id: message.candidateId }, select: { timezone: true } }),
    ]);
    return { lastInterviewAt: application.lastInterviewAt, timezone: candidate.timezone };
  },

  /**
   * Approved messages not yet sent on the requisitions these applications or candidates (with
   * everyone linked to them) are part of: what a new hire, offer or merge may have to hold.
   */
  waitingAround: (db: DbClient, organizationId: string, about: { applicationIds?: string[]; candidateIds?: string[] }) =>
    db.$queryRaw<
      { id: string; organizationId: string; requisitionId: string; planId: string | null; applicationId: string; action: string; kind: string; recipientEmail: string }[]
    >`
      SELECT m.id, m.organization_id AS "organizationId", m.requisition_id AS "requisitionId", m.plan_id AS "planId", m.application_id AS "applicationId",
             m.action, m.kind, m.recipient_email AS "recipientEmail"
      FROM messages m
      WHERE m.organization_id = ${organizationId}::uuid AND m.status IN ('approved', 'scheduled')
        AND m.requisition_id IN (
          SELECT a.requisition_id FROM applications a
          WHERE a.organization_id = ${organizationId}::uuid AND (
            a.id = ANY(${about.applicationIds ?? []}::uuid[])
            OR a.candidate_id IN (
              SELECT c.id FROM candidates c WHERE c.person_id IN (
                SELECT person_id FROM candidates WHERE id = ANY(${about.candidateIds ?? []}::uuid[]))))
        )
      ORDER BY m.id`,

  /** The rejections among these messages, with every application each one speaks for. */
  /** Sent messages of these kinds (a status update, a hold, a cancellation): what the ATS is told in a note. */
  /**
   * What sent messages tell beyond themselves (a rejection its applications' status, other kinds
   * an ATS note), for a whole batch in one statement with the ids as one array parameter.
   */
  toldBy: (db: DbClient, ids: string[]) =>
    db.$queryRaw<{ id: string; organizationId: string; applicationId: string; alsoForApplicationIds: string[]; kind: string; action: string; sentAt: Date | null }[]>`
      SELECT id, organization_id AS "organizationId", application_id AS "applicationId", also_for_application_ids::text[] AS "alsoForApplicationIds",
             kind, action, sent_at AS "sentAt"
      FROM messages WHERE id = ANY(${ids}::uuid[])`,

  /** Approved messages not yet being sent, with what their send time depends on. */
  approvedWithFacts: (db: DbClient, organizationId: string, requisitionId: string | undefined, scope?: RequisitionScope, visible = sqlScope(scope)) =>
    db.$queryRaw<{ id: string; status: MessageStatus; action: string; approvedAt: Date; sendAt: Date | null; lastInterviewAt: Date | null; timezone: string | null }[]>`
      SELECT m.id, m.status, m.action, m.approved_at AS "approvedAt", m.send_at AS "sendAt", a.last_interview_at AS "lastInterviewAt", c.timezone
      FROM messages m JOIN applications a ON a.id = m.application_id JOIN candidates c ON c.id = m.candidate_id
      WHERE m.organization_id = ${organizationId}::uuid AND m.status = 'approved' AND m.approved_at IS NOT NULL
        AND (${requisitionId ?? null}::uuid IS NULL OR m.requisition_id = ${requisitionId ?? null}::uuid)
        AND (${visible.all} OR m.requisition_id = ANY(${visible.ids}::uuid[]))
      ORDER BY m.id
      FOR UPDATE OF m`,

  /** Rejections held until this chosen application's offer is accepted. */
  heldForOffer: (db: DbClient, organizationId: string, chosenApplicationId: string) =>
    db.$queryRaw<{ id: string }[]>`
      SELECT m.id FROM messages m JOIN decision_plans p ON p.id = m.plan_id
      WHERE m.organization_id = ${organizationId}::uuid AND m.status = 'held' AND m.failure_code = 'offer_not_accepted'
        AND p.input -> 'chosen' @> jsonb_build_array(jsonb_build_object('applicationId', ${chosenApplicationId}::text))
      ORDER BY m.id`,

  /** A requisition's messages of one kind that have not left (any status a cancel may leave). */
  unsentOfKind: (db: DbClient, organizationId: string, requisitionId: string, kind: string) =>
    db.message.findMany({
      where: { organizationId, requisitionId, kind, status: { in: fromStates('cancel') } },
      select: { id: true },
      orderBy: { id: 'asc' },
    }),
};
