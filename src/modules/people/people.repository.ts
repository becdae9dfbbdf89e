// The people tables: users, their magic links and their sessions, and the organization's SSO connection. The only Prisma code of the module.
import type { DbClient } from '../../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { UserRole } from '../../generated/prisma/enums.js';
import type { PageRequest } from '../../lib/pagination.js';

export const userColumns = {
  id: true,
  email: true,
  name: true,
  language: true,
  timeZone: true,
  role: true,
  invitationExpiresAt: true,
  activatedAt: true,
  deactivatedAt: true,
  createdAt: true,
  updatedAt: true,
} as const;

export interface NewUserRow {
  organizationId: string;
  email: string;
  name: string;
  language: string;
  timeZone: string;
  role: UserRole;
  invitationHash: string | null;
  invitationExpiresAt: Date | null;
  activatedAt?: Date;
}

export const peopleRepository = {
  ssoConnection: (db: DbClient, organizationId: string) => db.ssoConnection.findUnique({ where: { organizationId } }),

  /** Creates the organization's SSO connection, or replaces its settings. */
  saveSsoConnection: (db: DbClient, organizationId: string, data: Omit<Prisma.SsoConnectionUncheckedCreateInput, 'organizationId'>) =>
    db.ssoConnection.upsert({ where: { organizationId }, create: { organizationId, ...data }, update: data }),

  createUser: (db: DbClient, row: NewUserRow) => db.user.create({ data: row, select: userColumns }),

  findUser: (db: DbClient, organizationId: string, id: string) => db.user.findFirst({ where: { id, organizationId }, select: userColumns }),

  findUserByEmail: (db: DbClient, organizationId: string, email: string) =>
    db.user.findUnique({ where: { organizationId_email: { organizationId, email } }, select: { ...userColumns, organizationId: true } }),

  /**
   * Every user with this address who may sign in, in any organization (a magic link is asked for
   * by address alone): active, or invited with an invitation that has not expired.
   */
  usersWhoMaySignIn: (db: DbClient, email: string, at: Date) =>
    db.user.findMany({
      where: { email, deactivatedAt: null, OR: [{ activatedAt: { not: null } }, { invitationExpiresAt: { gt: at } }] },
      select: { id: true, organizationId: true, name: true, language: true },
    }),

  findUserByInvitation: (db: DbClient, invitationHash: string) =>
    db.user.findUnique({ where: { invitationHash }, select: { id: true, organizationId: true, invitationExpiresAt: true, deactivatedAt: true } }),

  listUsers: (db: DbClient, organizationId: string, page: PageRequest) =>
    db.user.findMany({
      where: { organizationId, ...(page.after ? { id: { gt: page.after } } : {}) },
      orderBy: { id: 'asc' },
      take: page.take,
      select: userColumns,
    }),

  /** Locks the user's row, so concurrent changes to one person apply one after the other. */
  lockUser: async (db: DbClient, organizationId: string, id: string) =>
    (await db.$queryRaw<{ id: string }[]>`SELECT id FROM users WHERE id = ${id}::uuid AND organization_id = ${organizationId}::uuid FOR UPDATE`).length > 0,

  updateUser: (db: DbClient, id: string, data: Prisma.UserUpdateInput) => db.user.update({ where: { id }, data, select: userColumns }),

  /** Accepts an invitation once: the hash is cleared in the same statement. */
  acceptInvitation: async (db: DbClient, id: string, invitationHash: string, at: Date) =>
    (
      await db.user.updateMany({
        where: { id, invitationHash, invitationExpiresAt: { gt: at }, deactivatedAt: null },
        data: { invitationHash: null, invitationExpiresAt: null, activatedAt: at },
      })
    ).count === 1,

  markActivated: (db: DbClient, id: string, at: Date) =>
    db.user.updateMany({ where: { id, activatedAt: null }, data: { activatedAt: at, invitationHash: null, invitationExpiresAt: null } }),

  createSignInToken: (db: DbClient, row: { organizationId: string; userId: string; hash: string; nonceHash: string; expiresAt: Date }) =>
    db.signInToken.create({ data: row, select: { id: true } }),

  findSignInToken: (db: DbClient, hash: string) =>
    db.signInToken.findUnique({ where: { hash }, select: { id: true, userId: true, organizationId: true, nonceHash: true, expiresAt: true, usedAt: true } }),

  /** Uses a magic link once: of two concurrent uses, one wins. */
  useSignInToken: async (db: DbClient, id: string, at: Date) =>
    (await db.signInToken.updateMany({ where: { id, usedAt: null, expiresAt: { gt: at } }, data: { usedAt: at } })).count === 1,

  createSession: (db: DbClient, row: { organizationId: string; userId: string; hash: string; method: string; lastSeenAt: Date; expiresAt: Date }) =>
    db.session.create({ data: row, select: { id: true, expiresAt: true } }),

  findSession: (db: DbClient, hash: string) =>
    db.session.findUnique({
      where: { hash },
      select: {
        id: true,
        organizationId: true,
        userId: true,
        lastSeenAt: true,
        expiresAt: true,
        revokedAt: true,
        user: { select: { role: true, deactivatedAt: true } },
      },
    }),

  /** Records activity at most once a minute per session. */
  touchSession: (db: DbClient, id: string, at: Date) =>
    db.session.updateMany({ where: { id, revokedAt: null, lastSeenAt: { lt: new Date(at.getTime() - 60_000) } }, data: { lastSeenAt: at } }),

  revokeSessionByHash: (db: DbClient, hash: string, at: Date, reason: string) =>
    db.session.updateMany({ where: { hash, revokedAt: null }, data: { revokedAt: at, revokedReason: reason } }),

  revokeSessionsOf: (db: DbClient, userId: string, at: Date, reason: string) =>
    db.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at, revokedReason: reason } }),

  /** Deletes sign-in links and sessions that ended (expired, used, revoked) before `before`. */
  async purgeEnded(db: DbClient, before: Date): Promise<number> {
    const links = await db.signInToken.deleteMany({ where: { OR: [{ expiresAt: { lt: before } }, { usedAt: { lt: before } }] } });
    const sessions = await db.session.deleteMany({ where: { OR: [{ expiresAt: { lt: before } }, { revokedAt: { lt: before } }] } });
    return links.count + sessions.count;
  },
};
