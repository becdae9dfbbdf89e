import type { DbClient } from '../../db/client.js';
import type { MessageStatus, Prisma } from '../../generated/prisma/client.js';
import type { PageRequest } from '../../lib/pagination.js';
import { organizationSettingsColumns } from '../organizations/organizations.repository.js';

export interface MessageFilter {
  status?: MessageStatus | undefined;
  requisitionId?: string | undefined;
  kind?: string | undefined;
  severity?: 'block' | 'warn' | 'info' | undefined;
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
  draftsOfPlan: (db: DbClient, planId: string) =>
    db.message.findMany({ where: { planId, status: 'draft' }, orderBy: { id: 'asc' } }),

  /** Every candidate of a plan with the feedback it gave them: what other messages must not show. */
  async planPeople(db: DbClient, planId: string) {
    return db.$queryRaw<{ candidateId: string; name: string; feedback: unknown }[]>`
      SELECT m.candidate_id AS "candidateId", c.name, m.feedback
      FROM messages m JOIN candidates c ON c.id = m.candidate_id
      WHERE m.plan_id = ${planId}::uuid`;
  },

  /**
   * Stores a render as the next content version, waiting for approval again. Conditional on the
   * state (and on the version the editor saw), so it never overwrites content someone acted on.
   */
  saveRender: (db: DbClient, id: string, data: Prisma.MessageUpdateManyMutationInput, from: { status: MessageStatus[]; contentVersion?: number }) =>
    db.message.updateMany({
      where: { id, status: { in: from.status }, ...(from.contentVersion !== undefined ? { contentVersion: from.contentVersion } : {}) },
      data: { ...data, contentVersion: { increment: 1 }, status: 'pending_approval', approvedAt: null, approvedBy: null, approvedContentHash: null, sendAt: null },
    }),

  list: (db: DbClient, organizationId: string, filter: MessageFilter, page: PageRequest) =>
    db.message.findMany({
      where: {
        organizationId,
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.requisitionId ? { requisitionId: filter.requisitionId } : {}),
        ...(filter.kind ? { kind: filter.kind } : {}),
        ...(filter.severity ? { severity: filter.severity } : {}),
        ...(page.after ? { id: { gt: page.after } } : {}),
      },
      orderBy: { id: 'asc' },
      take: page.take,
      select: summary,
    }),

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

  policy: (db: DbClient, organizationId: string) =>
    db.organization.findUniqueOrThrow({ where: { id: organizationId }, select: organizationSettingsColumns }),

  /** What the send time depends on: the interview, and where the candidate lives. */
  async sendFacts(db: DbClient, message: { applicationId: string; candidateId: string }) {
    const [application, candidate] = await Promise.all([
      db.application.findUniqueOrThrow({ where: { id: message.applicationId }, select: { lastInterviewAt: true } }),
      db.candidate.findUniqueOrThrow({ where: { id: message.candidateId }, select: { timezone: true } }),
    ]);
    return { lastInterviewAt: application.lastInterviewAt, timezone: candidate.timezone };
  },

  /**
   * Moves a message between states in one conditional statement: when two people act at once,
   * exactly one update matches and the other finds nothing to change.
   */
  transition: (
    db: DbClient,
    where: { organizationId: string; id: string; from: MessageStatus[]; contentVersion?: number; notSeverity?: string; notAuthoredBy?: string },
    data: Prisma.MessageUpdateManyMutationInput,
  ) =>
    db.message.updateMany({
      where: {
        id: where.id,
        organizationId: where.organizationId,
        status: { in: where.from },
        ...(where.contentVersion !== undefined ? { contentVersion: where.contentVersion } : {}),
        AND: [
          ...(where.notSeverity ? [{ OR: [{ severity: null }, { severity: { not: where.notSeverity } }] }] : []),
          // Four-eyes, in the same statement: an edit landing just before cannot slip through.
          ...(where.notAuthoredBy ? [{ OR: [{ authoredBy: null }, { authoredBy: { not: where.notAuthoredBy } }] }] : []),
        ],
      },
      data,
    }),
};
