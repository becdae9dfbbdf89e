// SQL of the recruiter's side of the candidate page: candidate events, questions, data requests,
// the talent pool, and the message a link belongs to.
import type { DbClient } from '../../db/client.js';
import type { PageRequest } from '../../lib/pagination.js';
import { onVisibleApplications, seesAll, type RequisitionScope } from '../../lib/requisition-scope.js';

export interface DataRequestFilter {
  status?: 'pending' | 'completed' | undefined;
  kind?: 'export' | 'deletion' | undefined;
  overdue?: boolean | undefined;
  dueBefore?: Date | undefined;
  now: Date;
}

/** Link secrets' hashes stay in the database. */
const dataRequestHidden = { organizationId: true, confirmationTokenHash: true, downloadTokenHash: true } as const;

const after = (cursor: string | undefined) => (cursor ? { id: { gt: cursor } } : {});

/** What hangs off a message follows its requisition: only messages on visible requisitions. */
async function onVisibleMessages(db: DbClient, organizationId: string, scope: RequisitionScope) {
  if (seesAll(scope)) return {};
  const messages = await db.message.findMany({ where: { organizationId, requisitionId: { in: [...scope] } }, select: { id: true } });
  return { messageId: { in: messages.map((m) => m.id) } };
}

export const candidateActionsRepository = {
  events: async (
    db: DbClient,
    organizationId: string,
    scope: RequisitionScope,
    filter: { type?: string | undefined; messageId?: string | undefined; candidateId?: string | undefined },
    page: PageRequest,
  ) =>
    db.candidateEvent.findMany({
      where: {
        organizationId,
        AND: [await onVisibleMessages(db, organizationId, scope)],
        ...(filter.type ? { type: filter.type } : {}),
        ...(filter.messageId ? { messageId: filter.messageId } : {}),
        ...(filter.candidateId ? { candidateId: filter.candidateId } : {}),
        ...after(page.after),
      },
      orderBy: { id: 'asc' },
      take: page.take,
      select: { id: true, type: true, messageId: true, candidateId: true, applicationId: true, detail: true, occurredAt: true },
    }),

  questions: async (
    db: DbClient,
    organizationId: string,
    scope: RequisitionScope,
    filter: { status?: 'open' | 'answered' | undefined; messageId?: string | undefined },
    page: PageRequest,
  ) =>
    db.feedbackQuestion.findMany({
      where: {
        organizationId,
        AND: [await onVisibleMessages(db, organizationId, scope)],
        ...(filter.status === 'open' ? { answer: null } : filter.status === 'answered' ? { answer: { not: null } } : {}),
        ...(filter.messageId ? { messageId: filter.messageId } : {}),
        ...after(page.after),
      },
      orderBy: { id: 'asc' },
      take: page.take,
      omit: { organizationId: true },
    }),

  /** The names of candidates (by id), for the rows of a list. */
  candidateNames: async (db: DbClient, organizationId: string, ids: string[]) =>
    new Map((await db.candidate.findMany({ where: { organizationId, id: { in: [...new Set(ids)] } }, select: { id: true, name: true } })).map((c) => [c.id, c.name])),

  question: (db: DbClient, organizationId: string, id: string) => db.feedbackQuestion.findFirst({ where: { id, organizationId } }),

  /** What the answer email needs: the question's message, its candidate, role and organization. */
  answerFacts: async (db: DbClient, id: string) =>
    (
      await db.$queryRaw<
        {
          questionId: string;
          organizationId: string;
          messageId: string;
          candidateId: string;
          recipientEmail: string;
          messageLocale: string | null;
          messageFormality: string | null;
          candidateLocale: string | null;
          candidateName: string;
          preferredName: string | null;
          title: string;
          defaultLocale: string;
          organizationName: string;
          formality: unknown;
          linkRevokedAt: Date | null;
          linkExpiresAt: Date | null;
          sentAt: Date | null;
        }[]
      >`
      SELECT q.id AS "questionId", q.organization_id AS "organizationId", m.id AS "messageId", m.candidate_id AS "candidateId", m.recipient_email AS "recipientEmail", m.locale AS "messageLocale", m.formality AS "messageFormality",
             c.locale AS "candidateLocale", c.name AS "candidateName", c.preferred_name AS "preferredName", r.title, r.default_locale AS "defaultLocale",
             o.name AS "organizationName", o.formality, m.feedback_link_revoked_at AS "linkRevokedAt", m.feedback_link_expires_at AS "linkExpiresAt", m.sent_at AS "sentAt"
      FROM feedback_questions q
      JOIN messages m ON m.id = q.message_id
      JOIN candidates c ON c.id = m.candidate_id
      JOIN requisitions r ON r.id = m.requisition_id
      JOIN organizations o ON o.id = m.organization_id
      WHERE q.id = ${id}::uuid`
    )[0] ?? null,

  questionView: (db: DbClient, id: string) => db.feedbackQuestion.findUnique({ where: { id }, omit: { organizationId: true } }),

  /** Conditional on no answer yet: two people answering at once, one wins. */
  answer: async (db: DbClient, id: string, answer: string, by: string, at: Date) =>
    (await db.feedbackQuestion.updateMany({ where: { id, answer: null }, data: { answer, answeredAt: at, answeredBy: by } })).count,

  dataRequests: (db: DbClient, organizationId: string, filter: DataRequestFilter, page: PageRequest) =>
    db.dataRequest.findMany({
      where: {
        organizationId,
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.kind ? { kind: filter.kind } : {}),
        // Overdue: still pending past its due date. Due before: pending and due by then (what a reminder reads).
        ...(filter.overdue ? { status: 'pending', dueAt: { lt: filter.now } } : {}),
        ...(filter.dueBefore ? { status: 'pending', dueAt: { lt: filter.dueBefore } } : {}),
        ...after(page.after),
      },
      orderBy: { id: 'asc' },
      take: page.take,
      omit: dataRequestHidden,
    }),

  dataRequest: (db: DbClient, organizationId: string, id: string) => db.dataRequest.findFirst({ where: { id, organizationId } }),

  dataRequestView: (db: DbClient, id: string) => db.dataRequest.findUnique({ where: { id }, omit: dataRequestHidden }),

  talentPoolMembers: (db: DbClient, organizationId: string, scope: RequisitionScope, page: PageRequest) =>
    db.candidate.findMany({
      where: { organizationId, talentPoolMember: true, ...after(page.after), ...onVisibleApplications(scope) },
      orderBy: { id: 'asc' },
      take: page.take,
      select: { id: true, name: true, talentPoolChangedAt: true },
    }),

  /** Each member's latest consent to join (its exact text and language). */
  joinConsents: (db: DbClient, organizationId: string, candidateIds: string[]) =>
    db.talentPoolConsent.findMany({
      where: { organizationId, candidateId: { in: candidateIds }, action: 'join' },
      orderBy: { id: 'desc' },
      distinct: ['candidateId'],
      select: { candidateId: true, text: true, locale: true, createdAt: true },
    }),

  messageLink: (db: DbClient, organizationId: string, id: string) => db.message.findFirst({ where: { id, organizationId }, select: { id: true, feedbackLinkRevokedAt: true } }),
};
