// Who is calling. Every /v1 route declares the scope it needs in `config.scope` (or
// `config.public: true`); registering one that declares neither fails at start-up, so no
// route is ever open by accident. A caller is either a bearer API key (service or personal) or
// a browser session cookie; the same routes accept both.
//
// CSRF: a browser sends the session cookie on its own, so every unsafe method authenticated by
// the cookie must also carry `X-CSRF-Token`, an HMAC of the session's secret that only pages of
// this origin can read (GET /v1/me), and must not come from another origin (Origin /
// Sec-Fetch-Site). The token is a synchronizer token bound to the session and needs no storage;
// the custom header also forces a CORS preflight that no other origin passes. Bearer keys are
// never sent by a browser on its own, so they need neither.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ApiScope } from '../generated/prisma/enums.js';
import { AppError } from '../lib/errors.js';
import { actorName, hasScope, type Actor, type AuthContext, type Authenticated } from '../lib/actor.js';
import { assertVisible, seesAll, type RequisitionEntity, type RequisitionScope } from '../lib/requisition-scope.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope an API key (or a person's role) needs for this route. */
    scope?: ApiScope;
    /** An unauthenticated /v1 route (candidate-facing, sign-in). */
    public?: boolean;
    /**
     * The route honours `Idempotency-Key` (every POST that creates something); `'one-statement'`
     * when its handler writes the record with its work (respondOnce in plugins/idempotency.ts).
     */
    idempotent?: boolean | 'one-statement';
    /**
     * What the `:id` of the path names, when it belongs to a requisition: a caller who cannot see
     * that requisition gets the same 404 as for a missing one, before the handler runs.
     */
    requisitionOf?: RequisitionEntity;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
    /** The presented session cookie's value, when a session authenticated the request. */
    sessionToken: string | null;
  }
}

export interface SessionAuth {
  /** The session cookie's name (`__Host-` prefixed when served over https). */
  cookieName: string;
  /** This API's own origin: unsafe session requests from any other are refused. */
  ownOrigin: string;
  authenticate(token: string): Promise<Authenticated>;
  /** The CSRF token of a session, derived from its cookie value. */
  csrfToken(token: string): string;
}

/** Requisition membership, asked on every request (never cached, so a change applies at once). */
export interface RequisitionAccess {
  visibleTo(auth: Authenticated): Promise<RequisitionScope>;
  /** The requisitions a thing belongs to (none when it does not exist in the organization). */
  requisitionsOf(organizationId: string, kind: RequisitionEntity, id: string): Promise<string[]>;
}

export interface AuthPluginOptions {
  authenticate(presentedKey: string | undefined): Promise<Authenticated>;
  sessions: SessionAuth;
  requisitions: RequisitionAccess;
}

export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const authPlugin = fp<AuthPluginOptions>(
  async (app: FastifyInstance, { authenticate, sessions, requisitions }) => {
    app.decorateRequest('auth', null);
    app.decorateRequest('sessionToken', null);

    app.addHook('onRoute', (route) => {
      if (route.url.startsWith('/v1/') && !route.config?.scope && !route.config?.public) {
        throw new Error(`route ${String(route.method)} ${route.url} must declare config.scope or config.public`);
      }
    });

    const checkCsrf = (request: FastifyRequest, token: string) => {
      const origin = request.headers.origin;
      if ((origin !== undefined && origin !== sessions.ownOrigin) || request.headers['sec-fetch-site'] === 'cross-site') {
        throw new AppError('forbidden_origin', 'Requests signed in with a session cookie must come from this site');
      }
      const sent = request.headers[CSRF_HEADER];
      const expected = Buffer.from(sessions.csrfToken(token));
      if (typeof sent !== 'string' || sent.length !== expected.length || !timingSafeEqual(Buffer.from(sent), expected)) {
        throw new AppError('csrf_failed', `Send the session's CSRF token (from GET /v1/me) in the ${CSRF_HEADER} header`);
      }
    };

    app.addHook('onRequest', async (request) => {
      const scope = request.routeOptions.config.scope;
      if (!scope) return;
      const header = request.headers.authorization;
      const cookie = request.cookies?.[sessions.cookieName];
      let auth: Authenticated;
      if (header === undefined && cookie) {
        auth = await sessions.authenticate(cookie);
        request.sessionToken = cookie;
        if (!SAFE_METHODS.has(request.method)) checkCsrf(request, cookie);
      } else {
        const token = header === undefined ? undefined : /^Bearer +(\S+) *$/i.exec(header)?.[1];
        if (header !== undefined && token === undefined) {
          throw new AppError('invalid_api_key', 'The Authorization header must be `Bearer <API key>`');
        }
        auth = await authenticate(token);
      }
      request.auth = { ...auth, requisitions: await requisitions.visibleTo(auth) };
      if (!hasScope(auth, scope)) {
        const who = auth.sessionId ? `Your role (${auth.role})` : 'This API key';
        throw new AppError('insufficient_scope', `${who} lacks the "${scope}" scope this operation needs`, {
          extensions: { requiredScope: scope },
        });
      }
    });

    // After validation, so the id is known to be well formed; before the idempotency plugin
    // claims a key for a request that is about to be refused.
    // A callback hook: most routes name no requisition and need no await (an async hook costs each request a promise and a turn).
    app.addHook('preHandler', (request, _reply, done) => {
      const of = request.routeOptions.config.requisitionOf;
      const auth = request.auth;
      const params: unknown = request.params;
      const id: unknown = of && auth && !seesAll(auth.requisitions) && typeof params === 'object' && params !== null ? Reflect.get(params, 'id') : undefined;
      if (!of || !auth || typeof id !== 'string') {
        done();
        return;
      }
      requisitions.requisitionsOf(auth.organizationId, of, id).then((ids) => {
        try {
          assertVisible(auth.requisitions, of, ids);
        } catch (error) {
          done(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        done();
      }, done);
    });
  },
  { name: 'auth', dependencies: ['error-handler'] },
);

/** The caller's auth context on a route that declared a scope (set by the onRequest hook). */
export function authOf(request: { auth: AuthContext | null }): AuthContext {
  if (!request.auth) throw new Error('authOf() used on a route without config.scope');
  return request.auth;
}

/** The caller as the audit log names it: the person when there is one, else the service key. */
export function actorOf(request: { auth: AuthContext | null; id: string }): Actor {
  const auth = authOf(request);
  return {
    organizationId: auth.organizationId,
    actor: actorName(auth),
    userId: auth.userId ?? undefined,
    apiKeyId: auth.apiKeyId ?? undefined,
    requestId: request.id,
    requisitions: auth.requisitions,
  };
}
