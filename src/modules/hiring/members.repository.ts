// Requisition members, and the requisition each requisition-bound thing belongs to (what the
// visibility check of every request asks).
import type { DbClient } from '../../db/client.js';
import type { RequisitionEntity } from '../../lib/requisition-scope.js';

const memberColumns = {
  userId: true,
  addedBy: true,
  createdAt: true,
  user: { select: { name: true, email: true, role: true, deactivatedAt: true } },
} as const;

export const membersRepository = {
  /** The requisitions a person is a member of; a deactivated person's rows stay but count for nothing. */
  async requisitionIdsOf(db: DbClient, organizationId: string, userId: string): Promise<string[]> {
    const rows = await db.requisitionMember.findMany({
      where: { organizationId, userId, user: { deactivatedAt: null } },
      select: { requisitionId: true },
      orderBy: { requisitionId: 'asc' },
    });
    return rows.map((r) => r.requisitionId);
  },

  list: (db: DbClient, organizationId: string, requisitionId: string) =>
    db.requisitionMember.findMany({ where: { organizationId, requisitionId }, select: memberColumns, orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }] }),

  find: (db: DbClient, requisitionId: string, userId: string) =>
    db.requisitionMember.findUnique({ where: { requisitionId_userId: { requisitionId, userId } }, select: memberColumns }),

  /** True when the row is new (adding an existing member changes nothing). */
  add: async (db: DbClient, row: { organizationId: string; requisitionId: string; userId: string; addedBy: string }) =>
    (await db.requisitionMember.createMany({ data: [row], skipDuplicates: true })).count === 1,

  /** True when there was a row to remove. */
  remove: async (db: DbClient, organizationId: string, requisitionId: string, userId: string) =>
    (await db.requisitionMember.deleteMany({ where: { organizationId, requisitionId, userId } })).count === 1,

  userOf: (db: DbClient, organizationId: string, userId: string) => db.user.findFirst({ where: { organizationId, id: userId }, select: { id: true, deactivatedAt: true } }),

  /** The requisitions a thing belongs to: none when it is not this organization's. */
  async requisitionsOf(db: DbClient, organizationId: string, kind: RequisitionEntity, id: string): Promise<string[]> {
    const where = { organizationId, id };
    const select = { requisitionId: true } as const;
    switch (kind) {
      case 'requisition':
        return (await db.requisition.findFirst({ where, select: { id: true } })) ? [id] : [];
      case 'application':
        return one(await db.application.findFirst({ where, select }));
      case 'plan':
        return one(await db.decisionPlan.findFirst({ where, select }));
      case 'message':
        return one(await db.message.findFirst({ where, select }));
      case 'candidate': {
        const rows = await db.application.findMany({ where: { organizationId, candidateId: id }, select, distinct: ['requisitionId'] });
        return rows.map((r) => r.requisitionId);
      }
      case 'question': {
        const rows = await db.$queryRaw<{ requisitionId: string }[]>`
          SELECT m.requisition_id AS "requisitionId" FROM feedback_questions q JOIN messages m ON m.id = q.message_id
          WHERE q.id = ${id}::uuid AND q.organization_id = ${organizationId}::uuid`;
        return rows.map((r) => r.requisitionId);
      }
    }
  },

  /** The ids of the messages on these requisitions (what hangs off a message follows it). */
  async messageIdsOn(db: DbClient, organizationId: string, requisitionIds: readonly string[]): Promise<string[]> {
    const rows = await db.message.findMany({ where: { organizationId, requisitionId: { in: [...requisitionIds] } }, select: { id: true } });
    return rows.map((r) => r.id);
  },
};

const one = (row: { requisitionId: string } | null) => (row ? [row.requisitionId] : []);
