import type { DbClient } from '../../db/client.js';
import type { MessageStatus, Prisma } from '../../generated/prisma/client.js';
import type { PageRequest } from '../../lib/pagination.js';

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

  /** Stores a render; only a draft (never a message someone already acted on) moves on. */
  saveRender: (db: DbClient, id: string, data: Prisma.MessageUpdateManyMutationInput, fromStatus: MessageStatus[]) =>
    db.message.updateMany({
      where: { id, status: { in: fromStatus } },
      data: { ...data, contentVersion: { increment: 1 }, status: 'pending_approval', approvedAt: null, approvedBy: null },
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

  /**
   * Moves a message between states in one conditional statement: when two people act at once,
   * exactly one update matches and the other finds nothing to change.
   */
  transition: (
    db: DbClient,
    where: { organizationId: string; id: string; from: MessageStatus[]; contentVersion?: number; notSeverity?: string },
    data: Prisma.MessageUpdateManyMutationInput,
  ) =>
    db.message.updateMany({
      where: {
        id: where.id,
        organizationId: where.organizationId,
        status: { in: where.from },
        ...(where.contentVersion !== undefined ? { contentVersion: where.contentVersion } : {}),
        ...(where.notSeverity ? { OR: [{ severity: null }, { severity: { not: where.notSeverity } }] } : {}),
      },
      data,
    }),
};
