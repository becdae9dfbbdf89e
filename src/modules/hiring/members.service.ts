// Who works on a requisition. Recruiters, hiring managers and viewers see and act only on the
// requisitions they are members of; admins and service keys on all. The visibility of a request
// is resolved here, afresh on every request, so adding or removing a member applies at once.
import type { DbClient, PrismaClient } from '../../db/client.js';
import type { Actor, Authenticated } from '../../lib/actor.js';
import { conflict, found } from '../../lib/errors.js';
import type { RequisitionEntity, RequisitionScope } from '../../lib/requisition-scope.js';
import { auditRepository } from '../audit/audit.repository.js';
import { membersRepository as repo } from './members.repository.js';
import { requisitionsRepository } from './requisitions.repository.js';

export type MembersService = ReturnType<typeof createMembersService>;

type MemberRow = NonNullable<Awaited<ReturnType<typeof repo.find>>>;

const memberView = (row: MemberRow) => ({
  userId: row.userId,
  name: row.user.name,
  email: row.user.email,
  role: row.user.role,
  active: row.user.deactivatedAt === null,
  addedBy: row.addedBy,
  addedAt: row.createdAt,
});

/** Adds a person to a requisition in the caller's transaction, audited; nothing when already there. */
export async function addMemberInTx(tx: DbClient, actor: Actor, requisitionId: string, userId: string): Promise<boolean> {
  const added = await repo.add(tx, { organizationId: actor.organizationId, requisitionId, userId, addedBy: actor.actor });
  if (added) await auditRepository.record(tx, actor, [{ action: 'requisition.member_added', entity: 'requisition', entityId: requisitionId, after: { userId } }]);
  return added;
}

export function createMembersService({ db }: { db: PrismaClient }) {
  const requisition = async (organizationId: string, id: string) => found(await requisitionsRepository.find(db, organizationId, id), 'Requisition');

  return {
    /** What a caller sees: everything for an admin or a service key, else their memberships. */
    async visibleTo(auth: Authenticated): Promise<RequisitionScope> {
      if (!auth.userId || auth.role === 'admin') return 'all';
      return repo.requisitionIdsOf(db, auth.organizationId, auth.userId);
    },

    requisitionsOf: (organizationId: string, kind: RequisitionEntity, id: string) => repo.requisitionsOf(db, organizationId, kind, id),

    async list(organizationId: string, requisitionId: string) {
      await requisition(organizationId, requisitionId);
      return { data: (await repo.list(db, organizationId, requisitionId)).map(memberView) };
    },

    /** Idempotent: adding a member again changes nothing and logs nothing. */
    async add(actor: Actor, requisitionId: string, userId: string) {
      await requisition(actor.organizationId, requisitionId);
      const user = found(await repo.userOf(db, actor.organizationId, userId), 'User');
      if (user.deactivatedAt) throw conflict('This person is deactivated: reactivate them before adding them to a requisition');
      const created = await db.$transaction((tx) => addMemberInTx(tx, actor, requisitionId, userId));
      return { member: memberView(found(await repo.find(db, requisitionId, userId), 'Member')), created };
    },

    /** Idempotent too: removing someone who is not a member changes nothing. */
    async remove(actor: Actor, requisitionId: string, userId: string): Promise<void> {
      await requisition(actor.organizationId, requisitionId);
      await db.$transaction(async (tx) => {
        if (await repo.remove(tx, actor.organizationId, requisitionId, userId)) {
          await auditRepository.record(tx, actor, [{ action: 'requisition.member_removed', entity: 'requisition', entityId: requisitionId, before: { userId } }]);
        }
      });
    },
  };
}
