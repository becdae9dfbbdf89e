// The organization's people: invited by an admin (an emailed link that expires, can be sent
// again or revoked), given a role, deactivated without losing anything they did. A role change
// or a deactivation ends their sessions and reaches their personal keys at once.
import type { PrismaClient } from '../../db/client.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { Actor } from '../../lib/actor.js';
import { AppError, conflict, found, notFound } from '../../lib/errors.js';
import { pageRequest, toPage, type PageQuery } from '../../lib/pagination.js';
import { auditRepository } from '../audit/audit.repository.js';
import type { SystemMailer } from '../delivery/system-mail.js';
import { normalizeEmail } from '../hiring/identity.js';
import type { OrganizationsService } from '../organizations/organizations.service.js';
import { newToken } from './link-token.js';
import { invitationEmail } from './people.emails.js';
import { peopleRepository as repo, userColumns } from './people.repository.js';
import type { InviteUserBody, UserPatch, UserView } from './people.schemas.js';

type UserRow = Prisma.UserGetPayload<{ select: typeof userColumns }>;

export function userView(row: UserRow): UserView {
  const { updatedAt: _updatedAt, ...rest } = row;
  return { ...rest, status: row.deactivatedAt ? 'deactivated' : row.activatedAt ? 'active' : 'invited' };
}

export interface UsersServiceDeps {
  db: PrismaClient;
  mailer: Pick<SystemMailer, 'send' | 'canSend'>;
  organizations: Pick<OrganizationsService, 'forgetKeysOf' | 'getOrganization'>;
  publicBaseUrl: string;
  invitationTtlMs: number;
  now?: () => Date;
}

export type UsersService = ReturnType<typeof createUsersService>;

export function createUsersService({ db, mailer, organizations, publicBaseUrl, invitationTtlMs, now = () => new Date() }: UsersServiceDeps) {
  const hours = Math.round(invitationTtlMs / 3_600_000);

  /** A new invitation token for the user (the previous one stops working) and its email. */
  async function invite(actor: Actor, user: { id: string; email: string; name: string; language: string }) {
    const { token, hash } = newToken();
    const expiresAt = new Date(now().getTime() + invitationTtlMs);
    const row = await repo.updateUser(db, user.id, { invitationHash: hash, invitationExpiresAt: expiresAt });
    const organization = await organizations.getOrganization(actor.organizationId);
    const link = new URL(`/v1/auth/invitations/${token}`, publicBaseUrl).toString();
    try {
      await mailer.send(actor.organizationId, { to: user.email, tag: 'invitation', ...invitationEmail(user.language, user.name, organization.name, link, hours) });
    } catch (error) {
      if (error instanceof AppError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new AppError('service_unavailable', `The invitation email could not be sent (${reason}); send it again with POST /v1/users/${user.id}/invitation`.slice(0, 500), {
        extensions: { userId: user.id },
      });
    }
    return row;
  }

  async function change(actor: Actor, id: string, action: string, apply: (before: UserRow, tx: Prisma.TransactionClient) => Promise<UserRow>) {
    return db.$transaction(async (tx) => {
      if (!(await repo.lockUser(tx, actor.organizationId, id))) throw notFound('User');
      const before = found(await repo.findUser(tx, actor.organizationId, id), 'User');
      const after = await apply(before, tx);
      await auditRepository.record(tx, actor, [{ action, entity: 'user', entityId: id, before: userView(before), after: userView(after) }]);
      return userView(after);
    });
  }

  /** Ends the person's sessions and makes every API process forget their keys, in `tx`. */
  async function cutOff(tx: Prisma.TransactionClient, userId: string, reason: string) {
    await repo.revokeSessionsOf(tx, userId, now(), reason);
    await organizations.forgetKeysOf(tx, userId);
  }

  return {
    async invite(actor: Actor, body: InviteUserBody) {
      // Checked first, so an organization that cannot send gets no half-made user.
      if (!(await mailer.canSend(actor.organizationId))) {
        throw conflict('Invitations are emailed through the organization’s Postmark: PUT /v1/organization/postmark first');
      }
      let row: UserRow;
      try {
        row = await db.$transaction(async (tx) => {
          const created = await repo.createUser(tx, {
            organizationId: actor.organizationId,
            // The sign-in identity: magic links and SSO look people up by the normalised address.
            email: normalizeEmail(body.email),
            name: body.name,
            role: body.role,
            language: body.language ?? 'en',
            timeZone: body.timeZone ?? 'UTC',
            invitationHash: null,
            invitationExpiresAt: null,
          });
          await auditRepository.record(tx, actor, [{ action: 'user.invited', entity: 'user', entityId: created.id, after: userView(created) }]);
          return created;
        });
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
          throw conflict('A user with this email address already exists in the organization', { field: 'email' });
        }
        throw error;
      }
      return userView(await invite(actor, row));
    },

    async list(organizationId: string, query: PageQuery) {
      const page = pageRequest(query);
      const result = toPage(await repo.listUsers(db, organizationId, page), page);
      return { ...result, data: result.data.map(userView) };
    },

    get: async (organizationId: string, id: string) => userView(found(await repo.findUser(db, organizationId, id), 'User')),

    update(actor: Actor, id: string, patch: UserPatch) {
      return change(actor, id, 'user.updated', async (before, tx) => {
        if (patch.role !== undefined && patch.role !== before.role) {
          if (before.id === actor.userId) throw conflict('You cannot change your own role: ask another admin');
          await cutOff(tx, id, 'role_changed');
        }
        return repo.updateUser(tx, id, patch);
      });
    },

    deactivate(actor: Actor, id: string) {
      return change(actor, id, 'user.deactivated', async (before, tx) => {
        if (before.id === actor.userId) throw conflict('You cannot deactivate yourself: ask another admin');
        if (before.deactivatedAt) return before;
        await cutOff(tx, id, 'deactivated');
        return repo.updateUser(tx, id, { deactivatedAt: now(), invitationHash: null, invitationExpiresAt: null });
      });
    },

    reactivate(actor: Actor, id: string) {
      return change(actor, id, 'user.reactivated', async (before, tx) => (before.deactivatedAt ? repo.updateUser(tx, id, { deactivatedAt: null }) : before));
    },

    /** Sends the invitation again with a new link (the old one stops working). */
    async resendInvitation(actor: Actor, id: string) {
      const user = found(await repo.findUser(db, actor.organizationId, id), 'User');
      if (user.activatedAt || user.deactivatedAt) throw conflict(`The user is ${user.activatedAt ? 'already active' : 'deactivated'}: there is no invitation to send`);
      const row = await invite(actor, user);
      await auditRepository.record(db, actor, [{ action: 'user.invitation_resent', entity: 'user', entityId: id }]);
      return userView(row);
    },

    /** Withdraws a pending invitation: the link stops working and the user is deactivated. */
    revokeInvitation(actor: Actor, id: string) {
      return change(actor, id, 'user.invitation_revoked', async (before, tx) => {
        if (before.activatedAt) throw conflict('The invitation was accepted already: deactivate the user instead');
        return repo.updateUser(tx, id, { invitationHash: null, invitationExpiresAt: null, deactivatedAt: before.deactivatedAt ?? now() });
      });
    },

    /**
     * An active admin with this address, without an invitation: the demo's person. (Anywhere
     * else the first person is invited with the organization's admin key.) Idempotent.
     */
    async ensureAdmin(organizationId: string, rawEmail: string, name: string) {
      const email = normalizeEmail(rawEmail);
      const existing = await repo.findUserByEmail(db, organizationId, email);
      if (existing) return userView(existing);
      return db.$transaction(async (tx) => {
        const created = await repo.createUser(tx, {
          organizationId,
          email,
          name,
          role: 'admin',
          language: 'en',
          timeZone: 'UTC',
          invitationHash: null,
          invitationExpiresAt: null,
          activatedAt: now(),
        });
        await auditRepository.record(tx, { organizationId, actor: 'cli' }, [{ action: 'user.created', entity: 'user', entityId: created.id, after: userView(created) }]);
        return userView(created);
      });
    },

    /** The person behind a session or personal key. */
    me: async (organizationId: string, userId: string) => userView(found(await repo.findUser(db, organizationId, userId), 'User')),
  };
}
