// Signing in and out: magic links, invitation links, the session cookie. Thin: the rules are in
// sign-in.service.ts; the cookies' names and flags in cookies.ts.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { actorOf, authOf } from '../../plugins/auth.js';
import { normalizeEmail } from '../hiring/identity.js';
import type { CookiePolicy } from './cookies.js';
import { LINK_TOKEN, newToken } from './link-token.js';
import {
  magicLinkAnswerSchema,
  magicLinkBodySchema,
  meSchema,
  signInOptionsSchema,
  ssoCallbackQuerySchema,
  ssoSetupBodySchema,
  ssoSetupSchema,
  ssoStartParamsSchema,
  tokenParamsSchema,
} from './people.schemas.js';
import type { SignInService, StartedSession } from './sign-in.service.js';
import type { SsoService } from './sso.service.js';
import type { UsersService } from './users.service.js';

/** The address of a validated magic-link request (the limiter runs inside its handler). */
const emailOf = (body: unknown) => (typeof body === 'object' && body !== null && 'email' in body && typeof body.email === 'string' ? body.email : '');

export interface SignInRoutesOptions {
  signIn: SignInService;
  sso: SsoService;
  users: Pick<UsersService, 'me'>;
  cookies: CookiePolicy;
  publicBaseUrl: string;
  /** Where a browser lands once signed in (the web app). */
  landingPath: string;
  magicLinkTtlMs: number;
  limits: { perEmailPerHour: number; perAddressPerMinute: number };
}

export const signInRoutes: FastifyPluginAsyncZod<SignInRoutesOptions> = async (app, { signIn, sso, users, cookies, publicBaseUrl, landingPath, magicLinkTtlMs, limits }) => {
  const tags = ['people'];
  const home = new URL(landingPath, publicBaseUrl).toString();
  const perAddress = app.addressLimiter('sign-in', limits.perAddressPerMinute);
  const perEmail = app.createRateLimit({
    max: limits.perEmailPerHour,
    timeWindow: 3_600_000,
    allowList: [],
    keyGenerator: (request) => `sign-in-email:${normalizeEmail(emailOf(request.body))}`,
  });

  const refuse = (retryAfterSeconds: number, per: string) => {
    throw new AppError('rate_limited', `Too many sign-in requests ${per}; retry in ${retryAfterSeconds} s`, { headers: { 'retry-after': String(retryAfterSeconds) } });
  };

  /** Sets the new session's cookie (the previous one, if any, ended at the sign-in) and opens the web app. */
  const signedIn = (reply: FastifyReply, session: StartedSession) =>
    reply
      .setCookie(cookies.session, session.token, { ...cookies.options, expires: session.expiresAt })
      .clearCookie(cookies.nonce, cookies.options)
      .clearCookie(cookies.sso, cookies.options)
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .redirect(home, 303);

  const previousSession = (request: FastifyRequest) => request.cookies[cookies.session];

  app.post(
    '/v1/auth/magic-link',
    {
      config: { public: true },
      schema: {
        operationId: 'requestMagicLink',
        tags,
        summary: 'Email a sign-in link (single use, short-lived, for this browser only); the answer is the same whether or not the address has an account',
        body: magicLinkBodySchema,
        response: { 202: magicLinkAnswerSchema },
      },
    },
    async (request, reply) => {
      const byAddress = await perAddress(request);
      if (byAddress.limited) refuse(byAddress.retryAfterSeconds, 'from this address');
      const byEmail = await perEmail(request);
      if (!byEmail.isAllowed && byEmail.isExceeded) refuse(Math.max(1, byEmail.ttlInSeconds), 'for this email address');
      // One nonce per browser: a second request from the same browser keeps the first link working.
      const existing = request.cookies[cookies.nonce];
      const nonce = existing && LINK_TOKEN.test(existing) ? existing : newToken().token;
      await signIn.requestMagicLink(request.body.email, nonce);
      reply.setCookie(cookies.nonce, nonce, { ...cookies.options, maxAge: Math.round(magicLinkTtlMs / 1000) });
      return reply.code(202).send({ message: 'If this address belongs to someone who may sign in, a link is on its way. Open it in this browser.' });
    },
  );

  app.get(
    '/v1/auth/magic-link/:token',
    {
      config: { public: true },
      schema: {
        operationId: 'completeMagicLink',
        tags,
        summary: 'The link from the email: signs in (a new session cookie) and redirects to the web app (/app/)',
        params: tokenParamsSchema,
        response: { 303: z.null().describe('Signed in: the session cookie is set.') },
      },
    },
    async (request, reply) => signedIn(reply, await signIn.completeMagicLink(request.params.token, request.cookies[cookies.nonce], previousSession(request))),
  );

  app.get(
    '/v1/auth/invitations/:token',
    {
      config: { public: true },
      schema: {
        operationId: 'acceptInvitation',
        tags,
        summary: 'The link from an invitation email: activates the account, signs in and redirects to the web app (/app/)',
        params: tokenParamsSchema,
        response: { 303: z.null().describe('Signed in: the session cookie is set.') },
      },
    },
    async (request, reply) => signedIn(reply, await signIn.acceptInvitation(request.params.token, previousSession(request))),
  );

  app.put(
    '/v1/organization/sso',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'setSingleSignOn',
        tags,
        summary: 'Set up OpenID Connect single sign-on: issuer, client id and secret (sealed), allowed domains, just-in-time accounts',
        body: ssoSetupBodySchema,
        response: { 200: ssoSetupSchema },
      },
    },
    async (request) => sso.set(actorOf(request), request.body),
  );

  app.get(
    '/v1/organization/sso',
    {
      config: { scope: 'admin' },
      schema: { operationId: 'getSingleSignOn', tags, summary: 'The single sign-on setup (the client secret is never shown)', response: { 200: ssoSetupSchema } },
    },
    async (request) => sso.get(authOf(request).organizationId),
  );

  app.get(
    '/v1/auth/sso/:organizationId',
    {
      config: { public: true },
      schema: {
        operationId: 'startSingleSignOn',
        tags,
        summary: 'Start single sign-on: redirects to the organization’s identity provider',
        params: ssoStartParamsSchema,
        response: { 303: z.null().describe('To the identity provider.') },
      },
    },
    async (request, reply) => {
      const byAddress = await perAddress(request);
      if (byAddress.limited) refuse(byAddress.retryAfterSeconds, 'from this address');
      const started = await sso.start(request.params.organizationId);
      return reply
        .setCookie(cookies.sso, started.cookie, { ...cookies.options, maxAge: 600 })
        .header('cache-control', 'no-store')
        .redirect(started.url, 303);
    },
  );

  app.get(
    '/v1/auth/sso/:organizationId/options',
    {
      config: { public: true },
      schema: {
        operationId: 'getSignInOptions',
        tags,
        summary: 'How people of an organization may sign in: whether single sign-on is set up (for a sign-in page’s button)',
        params: ssoStartParamsSchema,
        response: { 200: signInOptionsSchema },
      },
    },
    async (request) => {
      const byAddress = await perAddress(request);
      if (byAddress.limited) refuse(byAddress.retryAfterSeconds, 'from this address');
      return sso.available(request.params.organizationId);
    },
  );

  app.get(
    '/v1/auth/sso/callback',
    {
      config: { public: true },
      schema: {
        operationId: 'completeSingleSignOn',
        tags,
        summary: 'Where the identity provider sends the browser back: signs in and redirects to the web app (/app/)',
        querystring: ssoCallbackQuerySchema,
        response: { 303: z.null().describe('Signed in: the session cookie is set.') },
      },
    },
    async (request, reply) => {
      const callback = new URL(request.url, publicBaseUrl).toString();
      return signedIn(reply, await sso.finish(callback, request.cookies[cookies.sso], previousSession(request)));
    },
  );

  app.post(
    '/v1/auth/sign-out',
    {
      config: { scope: 'read' },
      schema: { operationId: 'signOut', tags, summary: 'End this session (with an API key: nothing to end)', response: { 204: z.null() } },
    },
    async (request, reply) => {
      if (request.sessionToken) await signIn.signOut(request.sessionToken);
      return reply.clearCookie(cookies.session, cookies.options).code(204).send(null);
    },
  );

  app.get(
    '/v1/me',
    {
      config: { scope: 'read' },
      schema: { operationId: 'getMe', tags, summary: 'Who is calling: the person, the key, the scopes, and the CSRF token of a session', response: { 200: meSchema } },
    },
    async (request, reply) => {
      const auth = authOf(request);
      reply.header('cache-control', 'no-store');
      return {
        organizationId: auth.organizationId,
        user: auth.userId ? await users.me(auth.organizationId, auth.userId) : null,
        apiKeyId: auth.apiKeyId,
        scopes: [...auth.scopes],
        requisitions: auth.requisitions === 'all' ? ('all' as const) : [...auth.requisitions],
        csrfToken: request.sessionToken ? signIn.csrfToken(request.sessionToken) : null,
      };
    },
  );
};
