// buildApp: the HTTP API as a pure factory. It never listens and never reads the environment;
// src/server.ts does both, and tests call buildApp with their own config and deps.
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import packageJson from '../package.json' with { type: 'json' };
import type { Config } from './config.js';
import type { Deps } from './deps.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { reportsRoutes } from './modules/reports/reports.routes.js';
import { deliveryRepository } from './modules/delivery/delivery.repository.js';
import { reportsRepository } from './modules/reports/reports.repository.js';
import { deliveryRoutes } from './modules/delivery/delivery.routes.js';
import { dataRightsRoutes } from './modules/data-rights/data-rights.routes.js';
import { candidateActionsRoutes } from './modules/candidate-page/candidate-actions.routes.js';
import { feedbackPageRoutes, isPagePath, sendUnavailablePage } from './modules/candidate-page/candidate-page.routes.js';
import { endpointsRoutes } from './modules/outgoing-webhooks/endpoints.routes.js';
import { outgoingWebhooksDocument } from './modules/outgoing-webhooks/webhooks-document.js';
import { inboundRoutes } from './modules/ats-inbound/inbound.routes.js';
import { writebackRoutes } from './modules/ats-writeback/writeback.routes.js';
import { plansRoutes } from './modules/decisions/plans.routes.js';
import { feedbackRoutes } from './modules/feedback/feedback.routes.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { membersRoutes } from './modules/hiring/members.routes.js';
import { hiringRoutes } from './modules/hiring/hiring.routes.js';
import { messagesRoutes } from './modules/messages/messages.routes.js';
import { organizationsRoutes } from './modules/organizations/organizations.routes.js';
import { idempotencyRepository } from './modules/idempotency/idempotency.repository.js';
import { outboxRepository } from './modules/outbox/outbox.repository.js';
import { templatesRoutes } from './modules/templates/templates.routes.js';
import { cookiePolicy } from './modules/people/cookies.js';
import { signInRoutes } from './modules/people/sign-in.routes.js';
import { usersRoutes } from './modules/people/users.routes.js';
import { notificationsRoutes } from './modules/notifications/notifications.routes.js';
import { authPlugin } from './plugins/auth.js';
import { AppError } from './lib/errors.js';
import { redactSecrets, redactingLogOptions } from './lib/redact-secrets.js';
import { clientErrorHandler, errorHandlerPlugin, sendProblem } from './plugins/error-handler.js';
import { idempotencyPlugin } from './plugins/idempotency.js';
import { inputRulesPlugin } from './plugins/input-rules.js';
import { metricsPlugin } from './plugins/metrics.js';
import { openApiPlugin } from './plugins/openapi.js';
import { rateLimitPlugin } from './plugins/rate-limit.js';
import { webAppPlugin } from './plugins/web-app.js';

export interface BuildAppOptions {
  config: Config;
  deps: Deps;
  /**
   * `false` silences the logs (tests); otherwise JSON lines at LOG_LEVEL (or `level`) to stdout
   * (or `stream`). Secrets are redacted either way.
   */
  logger?: false | { level?: string; stream?: DestinationStream };
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * `/f/<token>/...`, `/v1/feedback/<token>`, sign-in and invitation links with the token replaced,
 * and the single sign-on callback without its query (the provider's code and state).
 */
export const redactLinkTokens = (url: string) =>
  url.replace(/^(\/f\/|\/v1\/feedback\/|\/v1\/auth\/magic-link\/|\/v1\/auth\/invitations\/)[^/?#]+/, '$1[token]').replace(/^(\/v1\/auth\/sso\/callback)\?.*$/, '$1?[redacted]');

/** A request's URL for the logs: link tokens, keys and other secrets replaced. */
const loggedUrl = (url: string) => redactSecrets(redactLinkTokens(url));

export async function buildApp({ config, deps, logger }: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      logger === false
        ? false
        : {
            level: logger?.level ?? config.LOG_LEVEL,
            ...(logger?.stream ? { stream: logger.stream } : {}),
            ...redactingLogOptions,
            redact: ['req.headers.authorization'],
            serializers: { req: (request) => ({ method: request.method, url: loggedUrl(request.url), host: request.host, remoteAddress: request.ip }) },
          },
    bodyLimit: config.BODY_LIMIT_BYTES,
    // A hop count trusts that many proxies nearest to us (proxy-addr's trust function).
    trustProxy:
      typeof config.TRUST_PROXY === 'number'
        ? (
            (hops: number) => (_address: string, hop: number) =>
              hop < hops
          )(config.TRUST_PROXY)
        : config.TRUST_PROXY,
    // A caller's X-Request-Id is kept (when sane) so one id follows a request across systems.
    requestIdHeader: false,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    routerOptions: { ignoreTrailingSlash: true },
    // Errors raised before routing (malformed URL encoding, over-long parameters) get the same
    // problem+json as everything else; on the candidate's page, the page for a link that does not work.
    frameworkErrors: (error, request, reply) =>
      isPagePath(request.url) ? sendUnavailablePage(request, reply) : sendProblem(request, reply, new AppError('validation_failed', `The URL is not valid: ${error.message}`)),
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();

  // The API speaks JSON only: anything else is a clear 415, not a confusing validation error.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Hooks that run on every request and need no await take Fastify's callback: an async hook costs a promise and a turn.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  await app.register(errorHandlerPlugin);
  await app.register(inputRulesPlugin);
  await app.register(openApiPlugin, { version: packageJson.version, publicBaseUrl: config.PUBLIC_BASE_URL, webhooks: outgoingWebhooksDocument() });
  await app.register(metricsPlugin, {
    readers: {
      outboxBacklog: () => outboxRepository.backlog(deps.db),
      messageCounts: () => deliveryRepository.statusCounts(deps.db),
      deliveryLagSeconds: () => deliveryRepository.lagSeconds(deps.db),
      closureCounts: () => reportsRepository.closureGauges(deps.db, new Date()),
    },
    queues: deps.queues,
    access: config.METRICS_TOKEN ? { token: config.METRICS_TOKEN } : config.NODE_ENV === 'production' ? 'off' : 'open',
  });
  // Before auth: an address that keeps failing to authenticate is refused before its next key is looked up.
  await app.register(rateLimitPlugin, {
    redis: deps.redis,
    prefix: config.REDIS_PREFIX,
    perMinute: config.RATE_LIMIT_PER_MINUTE,
    authFailuresPerMinute: config.AUTH_FAILURES_PER_MINUTE,
    webhooks: { perUrl: config.INBOUND_WEBHOOK_RATE_LIMIT_PER_URL, perAddress: config.INBOUND_WEBHOOK_RATE_LIMIT_PER_ADDRESS },
  });
  const cookies = cookiePolicy(config.PUBLIC_BASE_URL);
  await app.register(cookie);
  await app.register(authPlugin, {
    authenticate: (key) => deps.organizations.authenticate(key),
    sessions: {
      cookieName: cookies.session,
      ownOrigin: new URL(config.PUBLIC_BASE_URL).origin,
      authenticate: (token) => deps.signIn.authenticateSession(token),
      csrfToken: (token) => deps.signIn.csrfToken(token),
    },
    requisitions: {
      visibleTo: (auth) => deps.members.visibleTo(auth),
      requisitionsOf: (organizationId, kind, id) => deps.members.requisitionsOf(organizationId, kind, id),
    },
  });
  await app.register(idempotencyPlugin, {
    store: {
      claim: (claim) => idempotencyRepository.claim(deps.db, claim),
      complete: (claim, response) => idempotencyRepository.complete(deps.db, claim, response),
      release: (claim) => idempotencyRepository.release(deps.db, claim),
    },
    ttlHours: config.IDEMPOTENCY_TTL_HOURS,
    sealer: deps.sealer,
  });

  await app.register(healthRoutes, { db: deps.db, redis: deps.redis });
  await app.register(organizationsRoutes, { organizations: deps.organizations });
  await app.register(hiringRoutes, { hiring: deps.hiring });
  await app.register(membersRoutes, { members: deps.members });
  await app.register(plansRoutes, { plans: deps.plans, decisions: deps.decisions });
  await app.register(templatesRoutes, { templates: deps.templates });
  await app.register(feedbackRoutes);
  await app.register(messagesRoutes, { messages: deps.messages });
  await app.register(deliveryRoutes, {
    setup: deps.sendingSetup,
    webhooks: deps.postmarkWebhooks,
    webhookUser: config.POSTMARK_WEBHOOK_USER,
    webhookSecret: config.POSTMARK_WEBHOOK_PASSWORD,
  });
  await app.register(feedbackPageRoutes, {
    pages: deps.feedbackPages,
    redis: deps.redis,
    redisPrefix: config.REDIS_PREFIX,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    perAddressPerMinute: config.PAGE_RATE_LIMIT_PER_MINUTE,
  });
  await app.register(candidateActionsRoutes, { actions: deps.candidateActions });
  await app.register(dataRightsRoutes, { dataRights: deps.dataRights, unavailable: sendUnavailablePage, perAddressPerMinute: config.PAGE_RATE_LIMIT_PER_MINUTE });
  await app.register(endpointsRoutes, { endpoints: deps.webhookEndpoints });
  await app.register(inboundRoutes, { connections: deps.atsConnections, inbound: deps.inbound });
  await app.register(writebackRoutes, { writeback: deps.atsWriteback, sync: deps.atsSync });
  await app.register(auditRoutes, { audit: deps.audit });
  await app.register(usersRoutes, { users: deps.users, organizations: deps.organizations });
  await app.register(signInRoutes, {
    signIn: deps.signIn,
    sso: deps.sso,
    users: deps.users,
    cookies,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    landingPath: '/app/',
    magicLinkTtlMs: config.MAGIC_LINK_TTL_MINUTES * 60_000,
    limits: { perEmailPerHour: config.SIGN_IN_LINKS_PER_EMAIL_PER_HOUR, perAddressPerMinute: config.SIGN_IN_REQUESTS_PER_ADDRESS_PER_MINUTE },
  });
  await app.register(reportsRoutes, { reports: deps.reports });
  await app.register(notificationsRoutes, { notifications: deps.notifications });
  await app.register(webAppPlugin, { root: config.WEB_APP_DIR });

  await app.ready();
  return app;
}
