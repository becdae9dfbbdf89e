// Bearer API keys. Every /v1 route declares the scope it needs in `config.scope` (or
// `config.public: true`); registering one that declares neither fails at start-up, so no
// route is ever open by accident.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ApiScope } from '../generated/prisma/enums.js';
import { AppError } from '../lib/errors.js';
import type { Actor } from '../lib/actor.js';
import { hasScope, type AuthContext } from '../modules/organizations/organizations.service.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope an API key needs for this route. */
    scope?: ApiScope;
    /** An unauthenticated /v1 route (candidate-facing). */
    public?: boolean;
    /** The route honours `Idempotency-Key` (every POST that creates something). */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
  }
}

export interface AuthPluginOptions {
  authenticate(presentedKey: string | undefined): Promise<AuthContext>;
}

export const authPlugin = fp<AuthPluginOptions>(
  async (app: FastifyInstance, { authenticate }) => {
    app.decorateRequest('auth', null);

    app.addHook('onRoute', (route) => {
      if (route.url.startsWith('/v1/') && !route.config?.scope && !route.config?.public) {
        throw new Error(`route ${String(route.method)} ${route.url} must declare config.scope or config.public`);
      }
    });

    app.addHook('onRequest', async (request) => {
      const scope = request.routeOptions.config.scope;
      if (!scope) return;
      const header = request.headers.authorization;
      const token = header === undefined ? undefined : /^Bearer +(\S+) *$/i.exec(header)?.[1];
      if (header !== undefined && token === undefined) {
        throw new AppError('invalid_api_key', 'The Authorization header must be `Bearer <API key>`');
      }
      const auth = await authenticate(token);
      request.auth = auth;
      if (!hasScope(auth, scope)) {
        throw new AppError('insufficient_scope', `This operation needs an API key with the "${scope}" scope`, {
          extensions: { requiredScope: scope },
        });
      }
    });
  },
  { name: 'auth', dependencies: ['error-handler'] },
);

/** The caller's auth context on a route that declared a scope (set by the onRequest hook). */
export function authOf(request: { auth: AuthContext | null }): AuthContext {
  if (!request.auth) throw new Error('authOf() used on a route without config.scope');
  return request.auth;
}

/** The caller as the audit log names it. */
export function actorOf(request: { auth: AuthContext | null; id: string }): Actor {
  const auth = authOf(request);
  return { organizationId: auth.organizationId, actor: `api_key:${auth.apiKeyId}`, requestId: request.id };
}
