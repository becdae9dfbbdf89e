// data_requests: a candidate's request for a copy or the erasure of their data, from the moment
// their page records it to its answer. Every write is conditional on the state it moves from, so
// two admins, a sweep and the candidate acting at once move a request once.
import type { DbClient } from '../../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';

const view = { organizationId: false } as const;

export const dataRequestsRepository = {
  pending: (db: DbClient, messageId: string, kind: 'export' | 'deletion') => db.dataRequest.findFirst({ where: { messageId, kind, status: 'pending' } }),

  create: (db: DbClient, data: { organizationId: string; candidateId: string; messageId: string; kind: 'export' | 'deletion'; createdAt: Date; dueAt: Date }) =>
    db.dataRequest.create({ data }),

  find: (db: DbClient, organizationId: string, id: string) => db.dataRequest.findFirst({ where: { id, organizationId } }),

  view: (db: DbClient, id: string) => db.dataRequest.findUniqueOrThrow({ where: { id }, omit: { ...view, confirmationTokenHash: true, downloadTokenHash: true } }),

  byConfirmationHash: (db: DbClient, hash: string) => db.dataRequest.findUnique({ where: { confirmationTokenHash: hash } }),

  byDownloadHash: (db: DbClient, hash: string) => db.dataRequest.findUnique({ where: { downloadTokenHash: hash } }),

  /** Export requests whose confirmation email has not gone yet (oldest first). */
  awaitingConfirmationEmail: (db: DbClient, limit: number) =>
    db.dataRequest.findMany({ where: { kind: 'export', status: 'pending', confirmationSentAt: null }, orderBy: { id: 'asc' }, take: limit }),

  markConfirmationSent: async (db: DbClient, id: string, tokenHash: string, at: Date) =>
    (await db.dataRequest.updateMany({ where: { id, confirmationSentAt: null }, data: { confirmationTokenHash: tokenHash, confirmationSentAt: at } })).count,

  /** The candidate confirmed: a new short-lived download link replaces any earlier one. */
  confirm: async (db: DbClient, id: string, downloadHash: string, expiresAt: Date, at: Date) =>
    (
      await db.dataRequest.updateMany({
        where: { id, kind: 'export' },
        data: { confirmedAt: at, downloadTokenHash: downloadHash, downloadExpiresAt: expiresAt },
      })
    ).count,

  /** The first download delivers the export and completes the request. */
  delivered: async (db: DbClient, id: string, at: Date) =>
    (await db.dataRequest.updateMany({ where: { id, deliveredAt: null }, data: { deliveredAt: at, status: 'completed', completedAt: at, completedBy: 'candidate' } })).count,

  /** Pending requests due before `before`, every organization, soonest first (what a reminder reads). */
  dueBefore: (db: DbClient, before: Date, limit: number) =>
    db.dataRequest.findMany({
      where: { status: 'pending', dueAt: { lt: before } },
      orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
      take: limit,
      select: { id: true, organizationId: true, candidateId: true, kind: true, createdAt: true, dueAt: true },
    }),

  /** Deletion requests waiting longer than their organization's automatic-approval wait. */
  autoApprovable: (db: DbClient, now: Date) => db.$queryRaw<{ id: string; organizationId: string }[]>`
    SELECT d.id, d.organization_id AS "organizationId" FROM data_requests d JOIN organizations o ON o.id = d.organization_id
    WHERE d.kind = 'deletion' AND d.status = 'pending' AND o.erasure_auto_approve_days IS NOT NULL
      AND d.created_at + make_interval(days => o.erasure_auto_approve_days) <= ${now}
    ORDER BY d.id`,

  /** Conditional on still pending. */
  complete: async (db: DbClient, id: string, data: { by: string; note: string | null; at: Date; approved?: boolean; report?: Prisma.InputJsonValue }) =>
    (
      await db.dataRequest.updateMany({
        where: { id, status: 'pending' },
        data: {
          status: 'completed',
          completedAt: data.at,
          completedBy: data.by,
          note: data.note,
          ...(data.approved ? { approvedAt: data.at, approvedBy: data.by } : {}),
          ...(data.report !== undefined ? { report: data.report } : {}),
        },
      })
    ).count,

  /** Other pending requests of erased records (all but `except`, completed by its caller): the erasure answered them. */
  completeAllOf: async (db: DbClient, candidateIds: string[], except: string | null, by: string, at: Date) =>
    (
      await db.dataRequest.updateMany({
        where: { candidateId: { in: candidateIds }, status: 'pending', ...(except ? { id: { not: except } } : {}) },
        data: { status: 'completed', completedAt: at, completedBy: by },
      })
    ).count,
};
