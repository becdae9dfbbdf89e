// The composition root: every long-lived client and service, created once per process and
// handed to the app (src/app.ts) or the workers (workers/main.ts). Tests build their own.
import type { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import type { Config } from './config.js';
import { closeDb, createDb, type PrismaClient } from './db/client.js';
import { createSealer, type Sealer } from './lib/crypto.js';
import { redactingLogOptions } from './lib/redact-secrets.js';
import { createAuditService, type AuditService } from './modules/audit/audit.service.js';
import { createDeliveryService, type DeliveryService } from './modules/delivery/delivery.service.js';
import { createPostmarkWebhooksService, type PostmarkWebhooksService } from './modules/delivery/postmark-webhooks.js';
import { createSendingSetupService, type SendingSetupService } from './modules/delivery/sending-setup.service.js';
import { createCandidateActionsService, type CandidateActionsService } from './modules/candidate-page/candidate-actions.service.js';
import { createDataRightsService, type DataRightsService } from './modules/data-rights/data-rights.service.js';
import { createFeedbackPageService, type FeedbackPageService } from './modules/candidate-page/candidate-page.service.js';
import { createEndpointsService, type EndpointsService } from './modules/outgoing-webhooks/endpoints.service.js';
import { createWebhookDeliveryService, type WebhookDeliveryService } from './modules/outgoing-webhooks/webhook-delivery.service.js';
import { createAtsConnectionsService, type AtsConnectionsService } from './modules/ats-inbound/ats-connections.service.js';
import { createInboundService, type InboundService } from './modules/ats-inbound/inbound.service.js';
import { createAtsWritebackService, type AtsWritebackService } from './modules/ats-writeback/writeback.service.js';
import { createAtsSyncService, type AtsSyncService } from './modules/ats-writeback/sync.service.js';
import { createAtsWebhooksService, type AtsWebhooksService } from './modules/ats-writeback/webhooks.service.js';
import { createApplier } from './modules/ats-inbound/inbound.apply.js';
import { ATS_RATE_LIMITS, createSharedAtsRateLimiter } from './modules/ats-api/rate-limit.js';
import { createDecisionsService, type DecisionsService } from './modules/decisions/decisions.service.js';
import { createPlansService, type PlansService } from './modules/decisions/plans.service.js';
import { createHiringService, type HiringService } from './modules/hiring/hiring.service.js';
import { createMembersService, type MembersService } from './modules/hiring/members.service.js';
import { createApiKeyCache } from './modules/organizations/api-key-cache.js';
import { createOrganizationCache, type OrganizationCache } from './modules/organizations/organization-cache.js';
import { createOrganizationsService, type OrganizationsService } from './modules/organizations/organizations.service.js';
import { messageLifecycle, type MessageLifecycle } from './modules/messages/lifecycle.js';
import { createMessagesService, type MessagesService } from './modules/messages/messages.service.js';
import { createNotificationsService, type NotificationsService } from './modules/notifications/notifications.service.js';
import { createPromisesService, type PromisesService } from './modules/promises/promises.service.js';
import { createReportsService, type ReportsService } from './modules/reports/reports.service.js';
import { createTemplatesService, type TemplatesService } from './modules/templates/templates.service.js';
import { createSystemMailer } from './modules/delivery/system-mail.js';
import { transactionalMail } from './modules/delivery/transactional.js';
import { createSignInService, type SignInService } from './modules/people/sign-in.service.js';
import { createSsoService, type SsoService } from './modules/people/sso.service.js';
import { createUsersService, type UsersService } from './modules/people/users.service.js';
import { createRedis } from './queue/connections.js';
import { closeQueues, createQueues, type Queues } from './queue/producer.js';

export interface Deps {
  config: Config;
  db: PrismaClient;
  /** Producer-style connection (fails fast): queues, rate limits, readiness. */
  redis: Redis;
  queues: Queues;
  /** For messages outside a request (listeners, background loops). */
  logger: Logger;
  /** Encrypts secrets at rest with ENCRYPTION_KEY. */
  sealer: Sealer;
  organizations: OrganizationsService;
  /** The API's in-memory GET /v1/organization answers (none in workers); `listening` says whether it serves. */
  organizationCache?: OrganizationCache;
  hiring: HiringService;
  /** Requisition membership: who sees and acts on which requisition. */
  members: MembersService;
  plans: PlansService;
  decisions: DecisionsService;
  templates: TemplatesService;
  messages: MessagesService;
  /** Every change to a message, for the modules that cause one (messages/lifecycle.ts). */
  messageLifecycle: MessageLifecycle;
  delivery: DeliveryService;
  atsConnections: AtsConnectionsService;
  inbound: InboundService;
  /** The ATS APIs: credentials, write-back of sent rejections, read-back of inbound events. */
  atsWriteback: AtsWritebackService;
  atsSync: AtsSyncService;
  /** Webhooks registered in the ATS through its API (Ashby). */
  atsWebhooks: AtsWebhooksService;
  webhookEndpoints: EndpointsService;
  webhookDeliveries: WebhookDeliveryService;
  feedbackPages: FeedbackPageService;
  candidateActions: CandidateActionsService;
  /** Candidates' exports and erasures, request deadlines and retention. */
  dataRights: DataRightsService;
  sendingSetup: SendingSetupService;
  postmarkWebhooks: PostmarkWebhooksService;
  audit: AuditService;
  users: UsersService;
  signIn: SignInService;
  sso: SsoService;
  reports: ReportsService;
  promises: PromisesService;
  /** What needs a person: their list, their emails and digests, the reminders. */
  notifications: NotificationsService;
  close(): Promise<void>;
}

export interface DepsOptions {
  /** `api` or `worker`: names the connections in pg_stat_activity and Redis CLIENT LIST. */
  role: 'api' | 'worker' | 'cli';
}

export function createDeps(config: Config, { role }: DepsOptions): Deps {
  const logger = pino({ level: config.LOG_LEVEL, base: { process: role }, ...redactingLogOptions });
  const db = createDb({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, applicationName: `hearback-${role}` });
  // Only the API authenticates keys on every request.
  const apiKeyCache = role === 'api' ? createApiKeyCache({ databaseUrl: config.DATABASE_URL, logger }) : undefined;
  const organizationCache = role === 'api' ? createOrganizationCache({ databaseUrl: config.DATABASE_URL, logger }) : undefined;
  const redis = createRedis(config.REDIS_URL, 'producer', `hearback-${role}`);
  const queues = createQueues(redis, config.REDIS_PREFIX);
  const templates = createTemplatesService({ db, publicBaseUrl: config.PUBLIC_BASE_URL });
  const sealer = createSealer(config.ENCRYPTION_KEY);
  const hiring = createHiringService({ db, messageLifecycle, mail: transactionalMail });
  const plans = createPlansService({ db, messageLifecycle });
  const decisions = createDecisionsService({ db, messageLifecycle });
  // One limit per ATS connection, shared through Redis by every process calling it (ats-api/rate-limit.ts).
  const atsLimiter = createSharedAtsRateLimiter(redis, config.REDIS_PREFIX, { ...ATS_RATE_LIMITS, ...config.ATS_RATE_LIMITS });
  const atsSync = createAtsSyncService({
    db,
    sealer,
    limiter: atsLimiter,
    settings: syncSettings(config),
    hiring,
    applier: createApplier({ hiring, decisions, plans, messageLifecycle, now: () => new Date() }),
  });
  const atsWebhooks = createAtsWebhooksService({ db, sealer, settings: writebackSettings(config), limiter: atsLimiter });
  const atsWriteback = createAtsWritebackService({
    db,
    sealer,
    settings: writebackSettings(config),
    limiter: atsLimiter,
    onConnected: (tx, id, at) => atsSync.startImport(tx, id, at),
    webhooks: atsWebhooks,
  });
  const organizations = createOrganizationsService({ db, ...(apiKeyCache ? { cache: apiKeyCache } : {}), ...(organizationCache ? { organizationCache } : {}) });
  const mailer = createSystemMailer({
    db,
    sealer,
    endpoint: { apiUrl: config.POSTMARK_API_URL, timeoutMs: config.POSTMARK_TIMEOUT_MS },
    defaultStream: config.POSTMARK_MESSAGE_STREAM,
  });
  const signIn = createSignInService({
    db,
    mailer,
    logger,
    settings: {
      publicBaseUrl: config.PUBLIC_BASE_URL,
      magicLinkTtlMs: config.MAGIC_LINK_TTL_MINUTES * 60_000,
      sessionIdleMs: config.SESSION_IDLE_MINUTES * 60_000,
      sessionAbsoluteMs: config.SESSION_ABSOLUTE_HOURS * 3_600_000,
      secret: config.ENCRYPTION_KEY,
    },
  });
  const dataRights = createDataRightsService({
    db,
    sealer,
    mailer,
    logger,
    settings: { publicBaseUrl: config.PUBLIC_BASE_URL, downloadLinkMs: config.DATA_EXPORT_LINK_MINUTES * 60_000 },
  });
  return {
    config,
    db,
    redis,
    queues,
    sealer,
    logger,
    organizations,
    ...(organizationCache ? { organizationCache } : {}),
    users: createUsersService({ db, mailer, organizations, publicBaseUrl: config.PUBLIC_BASE_URL, invitationTtlMs: config.INVITATION_TTL_HOURS * 3_600_000 }),
    signIn,
    sso: createSsoService({ db, sealer, signIn, settings: { publicBaseUrl: config.PUBLIC_BASE_URL, allowHttpIssuers: config.SSO_ALLOW_HTTP_ISSUERS } }),
    hiring,
    members: createMembersService({ db }),
    plans,
    decisions,
    messageLifecycle,
    atsWriteback,
    atsSync,
    atsWebhooks,
    atsConnections: createAtsConnectionsService({ db, sealer, publicBaseUrl: config.PUBLIC_BASE_URL, webhooks: atsWebhooks }),
    inbound: createInboundService({
      db,
      sealer,
      hiring,
      decisions,
      plans,
      messageLifecycle,
      leverMaxAgeSeconds: config.LEVER_WEBHOOK_MAX_AGE_SECONDS,
      refusals: { kept: config.INBOUND_REFUSALS_KEPT, bodyBytes: config.INBOUND_REFUSED_BODY_BYTES },
      readBack: (connection, event) => atsWriteback.readBack(connection, event),
    }),
    templates,
    messages: createMessagesService({ db, templates, publicBaseUrl: config.PUBLIC_BASE_URL, linkSecret: config.ENCRYPTION_KEY }),
    delivery: createDeliveryService({ db, sealer, linkSecret: config.ENCRYPTION_KEY, settings: deliverySettings(config), logger, messageLifecycle, decisions }),
    webhookEndpoints: createEndpointsService({ db, sealer, allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_URLS }),
    webhookDeliveries: createWebhookDeliveryService({
      db,
      redis,
      redisPrefix: config.REDIS_PREFIX,
      sealer,
      logger,
      settings: {
        timeoutMs: config.WEBHOOK_TIMEOUT_MS,
        allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_URLS,
        retryScale: config.WEBHOOK_RETRY_SCALE,
        disableAfterMs: config.WEBHOOK_DISABLE_AFTER_HOURS * 3_600_000,
        maxInFlight: config.WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT,
        staleMs: config.DELIVERY_STALE_MS,
      },
    }),
    dataRights,
    feedbackPages: createFeedbackPageService({ db, linkSecret: config.ENCRYPTION_KEY, messageLifecycle, dataRights }),
    candidateActions: createCandidateActionsService({ db, messageLifecycle, dataRights, mail: transactionalMail, publicBaseUrl: config.PUBLIC_BASE_URL }),
    sendingSetup: createSendingSetupService({
      db,
      sealer,
      defaultStream: config.POSTMARK_MESSAGE_STREAM,
      webhooks: { publicBaseUrl: config.PUBLIC_BASE_URL, user: config.POSTMARK_WEBHOOK_USER, secret: config.POSTMARK_WEBHOOK_PASSWORD },
    }),
    postmarkWebhooks: createPostmarkWebhooksService({ db, messageLifecycle }),
    audit: createAuditService({ db }),
    reports: createReportsService({ db }),
    promises: createPromisesService({ db, plans }),
    notifications: createNotificationsService({ db, mailer, publicBaseUrl: config.PUBLIC_BASE_URL, logger }),
    async close() {
      await apiKeyCache?.close();
      await organizationCache?.close();
      await closeQueues(queues);
      redis.disconnect();
      await closeDb(db);
    },
  };
}

export function deliverySettings(config: Config) {
  return {
    postmarkApiUrl: config.POSTMARK_API_URL,
    postmarkTimeoutMs: config.POSTMARK_TIMEOUT_MS,
    defaultStream: config.POSTMARK_MESSAGE_STREAM,
    batchSize: config.DELIVERY_BATCH_SIZE,
    maxAttempts: config.DELIVERY_MAX_ATTEMPTS,
    retryBaseMs: config.DELIVERY_RETRY_BASE_MS,
    staleMs: config.DELIVERY_STALE_MS,
    reconcileDelayMs: config.DELIVERY_RECONCILE_DELAY_MS,
  };
}

export function syncSettings(config: Config) {
  const { endpoints, circuit, retryBaseMs } = writebackSettings(config);
  return { endpoints, circuit, retryBaseMs, pagesPerJob: config.ATS_IMPORT_PAGES_PER_JOB, reconcileEveryMs: config.ATS_RECONCILE_EVERY_MS };
}

export function writebackSettings(config: Config) {
  return {
    endpoints: {
      greenhouseApiUrl: config.GREENHOUSE_API_URL,
      greenhouseAuthUrl: config.GREENHOUSE_AUTH_URL,
      leverApiUrl: config.LEVER_API_URL,
      ashbyApiUrl: config.ASHBY_API_URL,
      timeoutMs: config.ATS_API_TIMEOUT_MS,
    },
    maxAttempts: config.ATS_WRITEBACK_MAX_ATTEMPTS,
    retryBaseMs: config.ATS_WRITEBACK_RETRY_BASE_MS,
    circuit: { failures: config.ATS_CIRCUIT_FAILURES, openMs: config.ATS_CIRCUIT_OPEN_MS },
    publicBaseUrl: config.PUBLIC_BASE_URL,
    staleMs: config.DELIVERY_STALE_MS,
  };
}
