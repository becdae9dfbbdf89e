// SQL of the sending setup: an organization's Postmark columns and its suppression list.
import type { DbClient } from '../../db/client.js';
import type { PageRequest } from '../../lib/pagination.js';

const setupColumns = { postmarkTokenHint: true, senderEmail: true, senderName: true, messageStream: true, postmarkServerToken: true } as const;
const suppressionColumns = { email: true, reason: true, source: true, createdAt: true } as const;

export interface SetupRow {
  postmarkTokenHint: string | null;
  senderEmail: string | null;
  senderName: string | null;
  messageStream: string | null;
  postmarkServerToken: string | null;
}

export const sendingSetupRepository = {
  setup: (db: DbClient, organizationId: string) => db.organization.findUnique({ where: { id: organizationId }, select: setupColumns }),

  saveSetup: (db: DbClient, organizationId: string, data: SetupRow) => db.organization.update({ where: { id: organizationId }, data, select: setupColumns }),

  /** Ordered by address; the cursor is the last address seen. */
  listSuppressions: (db: DbClient, organizationId: string, email: string | undefined, page: PageRequest) =>
    db.suppression.findMany({
      where: { organizationId, AND: [email ? { email } : {}, page.after ? { email: { gt: page.after } } : {}] },
      orderBy: { email: 'asc' },
      take: page.take,
      select: suppressionColumns,
    }),

  /** The suppressed addresses among `emails` (normalized), with why each is. */
  suppressionsAmong: (db: DbClient, organizationId: string, emails: string[]) =>
    db.suppression.findMany({ where: { organizationId, email: { in: emails } }, select: { email: true, reason: true } }),

  /** Kept as it was when already there (its first reason stands). */
  addSuppression: (db: DbClient, organizationId: string, email: string, reason: string) =>
    db.suppression.upsert({
      where: { organizationId_email: { organizationId, email } },
      create: { organizationId, email, reason, source: 'api' },
      update: {},
      select: suppressionColumns,
    }),

  removeSuppression: async (db: DbClient, organizationId: string, email: string) => (await db.suppression.deleteMany({ where: { organizationId, email } })).count,
};
