// OpenID Connect single sign-on, per organization, with openid-client: the provider's discovery
// document, the authorization code flow with PKCE (S256), state and nonce, and the ID token's
// checks (issuer, audience, signature, expiry, nonce) done by the library. The flow's secrets
// travel in a sealed, short-lived cookie of the browser that started it. Only addresses of the
// organization's allowed domains sign in; unknown ones get an account when just-in-time
// accounts are on.
import * as oidc from 'openid-client';
import { z } from 'zod';
import type { PrismaClient } from '../../db/client.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { UserRole } from '../../generated/prisma/enums.js';
import type { Actor } from '../../lib/actor.js';
import type { Sealer } from '../../lib/crypto.js';
import { AppError, found, notFound } from '../../lib/errors.js';
import { auditRepository } from '../audit/audit.repository.js';
import { isMailbox, normalizeEmail } from '../hiring/identity.js';
import { checkEndpointUrl } from '../outgoing-webhooks/sender.js';
import { peopleRepository as repo } from './people.repository.js';
import type { SignInService, StartedSession } from './sign-in.service.js';

export interface SsoSettings {
  publicBaseUrl: string;
  /** Providers on http or private addresses (development and tests only). */
  allowHttpIssuers: boolean;
}

export interface SsoSetup {
  issuer: string;
  clientId: string;
  clientSecret: string;
  allowedDomains: string[];
  jitRole: UserRole | null;
}

/** How long a browser has to come back from the provider. */
const FLOW_TTL_MS = 10 * 60_000;

const flowStateSchema = z.object({
  organizationId: z.uuid(),
  state: z.string().max(200),
  nonce: z.string().max(200),
  verifier: z.string().max(200),
  expiresAt: z.number(),
});
type FlowState = z.infer<typeof flowStateSchema>;

export type SsoService = ReturnType<typeof createSsoService>;

/**
 * What openid-client found wrong, in a line: its message, its code, the provider's OAuth error,
 * the claim or parameter that failed (`nonce`, `exp`, `state`...).
 */
function whyRefused(error: unknown): string {
  const parts: string[] = [];
  const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
  let current: unknown = error;
  for (let depth = 0; isRecord(current) && depth < 4; depth++) {
    const failure = current;
    for (const key of ['message', 'code', 'error', 'error_description'] as const) {
      if (typeof failure[key] === 'string' && failure[key]) parts.push(failure[key]);
    }
    if (typeof failure.claim === 'string') parts.push(`claim ${failure.claim}`);
    if (typeof failure.parameter === 'string') parts.push(`parameter ${failure.parameter}`);
    current = failure.cause;
  }
  return (parts.length ? parts.join('; ') : 'the provider’s answer did not verify').slice(0, 500);
}

const refused = (why: string) => new AppError('sign_in_failed', `Single sign-on did not succeed: ${why}`);

export function createSsoService({
  db,
  sealer,
  signIn,
  settings,
  now = () => new Date(),
}: {
  db: PrismaClient;
  sealer: Sealer;
  signIn: Pick<SignInService, 'startSession'>;
  settings: SsoSettings;
  now?: () => Date;
}) {
  const redirectUri = new URL('/v1/auth/sso/callback', settings.publicBaseUrl).toString();

  async function connection(organizationId: string) {
    return repo.ssoConnection(db, organizationId);
  }

  /** The provider's configuration (its discovery document), as this organization's client. */
  async function client(row: { issuer: string; clientId: string; clientSecret: string }) {
    try {
      return await oidc.discovery(
        new URL(row.issuer),
        sealer.open(row.clientId),
        { client_secret: sealer.open(row.clientSecret), [oidc.clockSkew]: Math.round((now().getTime() - Date.now()) / 1000) },
        undefined,
        settings.allowHttpIssuers ? { execute: [oidc.allowInsecureRequests] } : {},
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new AppError('service_unavailable', `The identity provider’s discovery document could not be read: ${reason}`.slice(0, 500));
    }
  }

  const view = (row: { issuer: string; clientId: string; allowedDomains: string[]; jitRole: UserRole | null }) => ({
    issuer: row.issuer,
    clientIdHint: sealer.open(row.clientId).slice(-4),
    allowedDomains: row.allowedDomains,
    jitRole: row.jitRole,
    redirectUri,
  });

  return {
    redirectUri,

    async get(organizationId: string) {
      return view(found(await connection(organizationId), 'Single sign-on setup'));
    },

    /** Whether the organization signs people in through its identity provider (for a sign-in page's button). */
    async available(organizationId: string) {
      return { singleSignOn: (await connection(organizationId)) !== null };
    },

    async set(actor: Actor, setup: SsoSetup) {
      // The same rule as webhook endpoints: https, and no private, loopback or internal hosts
      // (the discovery document is fetched from here), unless SSO_ALLOW_HTTP_ISSUERS.
      try {
        checkEndpointUrl(setup.issuer, settings.allowHttpIssuers);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new AppError('validation_failed', `The issuer URL is not allowed: ${message}`, { errors: [{ path: 'body.issuer', message }] });
      }
      const data = {
        issuer: setup.issuer,
        clientId: sealer.seal(setup.clientId),
        clientSecret: sealer.seal(setup.clientSecret),
        allowedDomains: setup.allowedDomains,
        jitRole: setup.jitRole,
      };
      return db.$transaction(async (tx) => {
        const row = await repo.saveSsoConnection(tx, actor.organizationId, data);
        const shown = view(row);
        await auditRepository.record(tx, actor, [{ action: 'sso.configured', entity: 'organization', entityId: actor.organizationId, after: shown }]);
        return shown;
      });
    },

    /** Where to send the browser, and the sealed flow state for its cookie. */
    async start(organizationId: string): Promise<{ url: string; cookie: string }> {
      const row = await connection(organizationId);
      if (!row) throw notFound('Single sign-on setup');
      const config = await client(row);
      const flow: FlowState = {
        organizationId,
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        verifier: oidc.randomPKCECodeVerifier(),
        expiresAt: now().getTime() + FLOW_TTL_MS,
      };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
        code_challenge_method: 'S256',
        state: flow.state,
        nonce: flow.nonce,
      });
      return { url: url.toString(), cookie: sealer.seal(JSON.stringify(flow)) };
    },

    /** The provider sent the browser back: check everything, then sign the person in. */
    async finish(callbackUrl: string, sealedFlow: string | undefined, previousSession: string | undefined): Promise<StartedSession> {
      let flow: FlowState;
      try {
        flow = flowStateSchema.parse(JSON.parse(sealer.open(sealedFlow ?? '')));
      } catch {
        throw refused('this browser did not start a sign-in (or its cookie was lost)');
      }
      if (flow.expiresAt <= now().getTime()) throw refused('the sign-in took too long; start again');
      const row = await connection(flow.organizationId);
      if (!row) throw refused('the organization has no single sign-on any more');
      const config = await client(row);
      let claims: { sub: string; email?: unknown; email_verified?: unknown; name?: unknown };
      try {
        const tokens = await oidc.authorizationCodeGrant(config, new URL(callbackUrl), {
          pkceCodeVerifier: flow.verifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
          idTokenExpected: true,
        });
        const idToken = tokens.claims()!;
        claims = idToken;
        // A provider that follows the spec to the letter puts the email in userinfo, not the ID token.
        if (typeof idToken.email !== 'string') claims = await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub);
      } catch (error) {
        throw refused(whyRefused(error));
      }
      if (typeof claims.email !== 'string' || !isMailbox(claims.email)) throw refused('the provider gave no email address');
      if (claims.email_verified === false) throw refused('the provider has not verified this email address');
      const email = normalizeEmail(claims.email);
      const domain = email.slice(email.lastIndexOf('@') + 1);
      if (!row.allowedDomains.includes(domain)) throw refused(`addresses at ${domain} may not sign in to this organization`);

      let user = await repo.findUserByEmail(db, flow.organizationId, email);
      if (!user && row.jitRole) {
        const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : email;
        try {
          user = await db.$transaction(async (tx) => {
            const created = await repo.createUser(tx, {
              organizationId: flow.organizationId,
              email,
              name,
              role: row.jitRole!,
              language: 'en',
              timeZone: 'UTC',
              invitationHash: null,
              invitationExpiresAt: null,
            });
            await auditRepository.record(tx, { organizationId: flow.organizationId, actor: 'system' }, [
              { action: 'user.created_by_sso', entity: 'user', entityId: created.id, after: created },
            ]);
            return { ...created, organizationId: flow.organizationId };
          });
        } catch (error) {
          if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')) throw error;
          user = await repo.findUserByEmail(db, flow.organizationId, email);
        }
      }
      if (!user) throw refused('there is no account for this address; ask an administrator to invite you');
      if (user.deactivatedAt) throw refused('this account is deactivated');
      return signIn.startSession({ id: user.id, organizationId: flow.organizationId }, 'oidc', previousSession);
    },
  };
}
