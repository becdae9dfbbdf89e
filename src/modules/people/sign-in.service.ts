// Signing people in without passwords (magic links, invitations; SSO in sso.service.ts) and the
// sessions that follow: server-side rows, a new one at every sign-in (the previous cookie's
// session ended with it, so a planted cookie is never promoted), idle and absolute expiry.
import type { Logger } from 'pino';
import type { PrismaClient } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import type { AuthContext } from '../../lib/actor.js';
import type { SystemMailer } from '../delivery/system-mail.js';
import { normalizeEmail } from '../hiring/identity.js';
import { csrfTokenOf, hashOf, newToken } from './link-token.js';
import { peopleRepository as repo } from './people.repository.js';
import { roleScopes } from './roles.js';
import { signInEmail } from './people.emails.js';

export interface SignInSettings {
  publicBaseUrl: string;
  magicLinkTtlMs: number;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  /** Keys the CSRF tokens (ENCRYPTION_KEY). */
  secret: string;
}

export interface SignInServiceDeps {
  db: PrismaClient;
  mailer: Pick<SystemMailer, 'send'>;
  settings: SignInSettings;
  logger: Logger;
  now?: () => Date;
}

export interface StartedSession {
  token: string;
  expiresAt: Date;
}

export type SignInMethod = 'magic_link' | 'invitation' | 'oidc';

export type SignInService = ReturnType<typeof createSignInService>;

/** One answer for every link that does not work: unknown, used, expired, or another browser's. */
const linkRefused = () => new AppError('sign_in_failed', 'This sign-in link does not work (any more): ask for a new one');

export function createSignInService({ db, mailer, settings, logger, now = () => new Date() }: SignInServiceDeps) {
  async function startSession(user: { id: string; organizationId: string }, method: SignInMethod, previousToken: string | undefined): Promise<StartedSession> {
    const at = now();
    const { token, hash } = newToken();
    const expiresAt = new Date(at.getTime() + settings.sessionAbsoluteMs);
    await db.$transaction(async (tx) => {
      const previous = previousToken ? hashOf(previousToken) : null;
      if (previous) await repo.revokeSessionByHash(tx, previous, at, 'replaced');
      await repo.markActivated(tx, user.id, at);
      await repo.createSession(tx, { organizationId: user.organizationId, userId: user.id, hash, method, lastSeenAt: at, expiresAt });
    });
    return { token, expiresAt };
  }

  return {
    startSession,

    /**
     * Sends a link to every user with this address who may sign in (one per organization). Answers the
     * same whether or not there is one: the emails leave after the answer, and a failure is
     * only logged.
     */
    async requestMagicLink(rawEmail: string, nonce: string): Promise<void> {
      const nonceHash = hashOf(nonce);
      if (!nonceHash) throw new Error('the sign-in nonce is a link token');
      const email = normalizeEmail(rawEmail);
      const at = now();
      const users = await repo.usersWhoMaySignIn(db, email, at);
      const expiresAt = new Date(at.getTime() + settings.magicLinkTtlMs);
      const minutes = Math.round(settings.magicLinkTtlMs / 60_000);
      void Promise.all(
        users.map(async (user) => {
          try {
            const { token, hash } = newToken();
            await repo.createSignInToken(db, { organizationId: user.organizationId, userId: user.id, hash, nonceHash, expiresAt });
            const link = new URL(`/v1/auth/magic-link/${token}`, settings.publicBaseUrl).toString();
            await mailer.send(user.organizationId, { to: email, tag: 'sign-in', ...signInEmail(user.language, user.name, link, minutes) });
          } catch (error) {
            logger.error({ err: error, userId: user.id }, 'a sign-in link could not be sent');
          }
        }),
      );
    },

    /** Uses a magic link, in the browser that asked for it (its nonce cookie), once. */
    async completeMagicLink(token: string, nonce: string | undefined, previousToken: string | undefined): Promise<StartedSession> {
      const hash = hashOf(token);
      const link = hash ? await repo.findSignInToken(db, hash) : null;
      // The nonce is checked before the link is used: a mail scanner opening it does not burn it.
      if (!link || !nonce || hashOf(nonce) !== link.nonceHash) throw linkRefused();
      if (!(await repo.useSignInToken(db, link.id, now()))) throw linkRefused();
      const user = await repo.findUser(db, link.organizationId, link.userId);
      if (!user || user.deactivatedAt) throw linkRefused();
      return startSession({ id: user.id, organizationId: link.organizationId }, 'magic_link', previousToken);
    },

    /** Accepts an invitation (once, before it expires) and signs the person in. */
    async acceptInvitation(token: string, previousToken: string | undefined): Promise<StartedSession> {
      const hash = hashOf(token);
      const user = hash ? await repo.findUserByInvitation(db, hash) : null;
      if (!user || !hash || !(await repo.acceptInvitation(db, user.id, hash, now()))) {
        throw new AppError('sign_in_failed', 'This invitation does not work (any more): ask an administrator to send it again');
      }
      return startSession(user, 'invitation', previousToken);
    },

    /** The caller of a session cookie; a stale, ended or unknown one is a 401. */
    async authenticateSession(token: string): Promise<AuthContext> {
      const hash = hashOf(token);
      const session = hash ? await repo.findSession(db, hash) : null;
      const at = now();
      if (!session || session.revokedAt || session.user.deactivatedAt || session.expiresAt <= at || session.lastSeenAt.getTime() + settings.sessionIdleMs <= at.getTime()) {
        throw new AppError('session_invalid', 'Your session has ended: sign in again');
      }
      // Bookkeeping only: a failure here must not fail the request.
      if (at.getTime() - session.lastSeenAt.getTime() > 60_000) void repo.touchSession(db, session.id, at).catch(() => {});
      return {
        organizationId: session.organizationId,
        scopes: roleScopes[session.user.role],
        userId: session.userId,
        role: session.user.role,
        apiKeyId: null,
        sessionId: session.id,
      };
    },

    csrfToken: (sessionToken: string) => csrfTokenOf(settings.secret, sessionToken),

    async signOut(sessionToken: string): Promise<void> {
      const hash = hashOf(sessionToken);
      if (hash) await repo.revokeSessionByHash(db, hash, now(), 'sign_out');
    },
  };
}
