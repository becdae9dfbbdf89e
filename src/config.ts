// The whole runtime configuration, parsed once from the environment at start-up.
// Nothing else in the code base reads process.env.
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const postgresUrl = z
  .string()
  .url()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// or postgresql:// URL');

const redisUrl = z
  .string()
  .url()
  .refine((value) => /^rediss?:\/\//.test(value), 'must be a redis:// or rediss:// URL');

/** 32 random bytes, base64: `openssl rand -base64 32`. */
const encryptionKey = z.string().refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)');

// Values for local development only. Production refuses to start without real ones: secrets,
// and the addresses that would otherwise silently point at localhost.
const developmentDefaults = {
  ENCRYPTION_KEY: Buffer.alloc(32, 'hearback-development-only').toString('base64'),
  POSTMARK_WEBHOOK_PASSWORD: 'development-only-webhook-password',
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/hearback',
  REDIS_URL: 'redis://127.0.0.1:6379',
  PUBLIC_BASE_URL: 'http://localhost:3000',
} as const;
type DefaultedName = keyof typeof developmentDefaults;

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().max(255).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Which proxies' X-Forwarded-For to believe: false, a hop count (1 = the load balancer in
   * front), or addresses/CIDRs (`10.0.0.0/8,127.0.0.1`). `true` believes every hop, so a
   * client could pick its own address: avoid it on the internet.
   */
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d{1,2}|[0-9a-fA-F:.\/, ]+)$/, 'true, false, a hop count, or addresses/CIDRs separated by commas')
    .transform((value) => (value === 'true' ? true : value === 'false' ? false : /^\d+$/.test(value) ? Number(value) : value.split(',').map((v) => v.trim())))
    .default(false),

  DATABASE_URL: postgresUrl.optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: redisUrl.optional(),
  /** Key prefix for every Redis key Hearback writes (queues, rate limits). */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9:_-]{1,64}$/, 'letters, digits, : _ - only')
    .default('hearback'),

  PUBLIC_BASE_URL: z.string().url().optional(),

  /** Postmark's API; the demo and tests point it at the local Postmark-compatible server. */
  POSTMARK_API_URL: z.string().url().default('https://api.postmarkapp.com'),
  POSTMARK_MESSAGE_STREAM: z.string().min(1).max(100).default('outbound'),
  POSTMARK_TIMEOUT_MS: z.coerce.number().int().min(1000).max(30_000).default(20_000),
  /** Basic-auth user name Postmark uses to call our webhooks. */
  POSTMARK_WEBHOOK_USER: z.string().min(1).max(100).default('postmark'),
  POSTMARK_WEBHOOK_PASSWORD: z.string().min(16, 'must be at least 16 characters').max(200).optional(),
  /** Key that encrypts secrets at rest (organizations' Postmark server tokens). */
  ENCRYPTION_KEY: encryptionKey.optional(),

  /** Delivery (src/modules/delivery): how often due messages are looked for, and batch size. */
  DELIVERY_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  DELIVERY_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(500),
  DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** Tries per message for retryable Postmark answers (429, 5xx, connection refused). */
  DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(12),
  /** First retry delay; doubles per attempt (capped at an hour), with ±20 % jitter. */
  DELIVERY_RETRY_BASE_MS: z.coerce.number().int().min(10).max(600_000).default(2000),
  /**
   * A batch that made no progress for this long lost its job (Redis restarted, a worker was
   * killed): the sweeper takes it back. Claims in flight are judged against at least the
   * Postmark timeout plus 5 s.
   */
  DELIVERY_STALE_MS: z.coerce.number().int().min(500).max(3_600_000).default(120_000),
  /** How long after an ambiguous send Postmark's outbound search is trusted to show it. */
  DELIVERY_RECONCILE_DELAY_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),

  /** Outgoing webhooks: endpoint URLs on private, loopback or link-local addresses (and http) allowed — development and tests only. */
  WEBHOOK_ALLOW_PRIVATE_URLS: bool.default(false),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(15_000),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(50),
  /** Requests in flight to one endpoint at once, so a slow one cannot take every worker slot. */
  WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT: z.coerce.number().int().min(1).max(100).default(4),
  /** Multiplies the retry schedule (1 = immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h); tests compress time with it. */
  WEBHOOK_RETRY_SCALE: z.coerce.number().min(0.00001).max(10).default(1),
  /** An endpoint failing continuously this long is disabled (with an event). */
  WEBHOOK_DISABLE_AFTER_HOURS: z.coerce
    .number()
    .min(0.0001)
    .max(24 * 60)
    .default(120),

  /**
   * ATS webhooks in: how old a Lever signature (its triggeredAt) may be. Lever signs only token +
   * triggeredAt, so this bounds how long a signature seen anywhere stays usable (each is accepted
   * once, and remembered at least 7 days: the cap). Lever publishes no retry schedule in
   * hire.lever.co/developer/documentation ("Webhooks", "Securing webhooks") nor in
   * help.lever.co/hc/en-us/articles/20087284427677-Configuring-webhooks; a third-party summary
   * (rate-limits.apis.io/rate-limits/lever/lever-rate-limits/) says only that deliveries are
   * retried on 5xx. An hour rides out a short outage; raise it if Lever retries arrive later.
   */
  LEVER_WEBHOOK_MAX_AGE_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 3600)
    .default(3600),
  /**
   * ATS APIs (credentials per connection): where each lives, how long one call may take, and how
   * often a write-back is tried (429, 5xx, timeouts; the delay doubles from the base, ±20 %, at
   * most an hour, and is at least what the ATS asked for in Retry-After). The tests point the URLs
   * at local servers.
   */
  GREENHOUSE_API_URL: z.string().url().default('https://harvest.greenhouse.io'),
  GREENHOUSE_AUTH_URL: z.string().url().default('https://auth.greenhouse.io'),
  LEVER_API_URL: z.string().url().default('https://api.lever.co'),
  ASHBY_API_URL: z.string().url().default('https://api.ashbyhq.com'),
  ATS_API_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(15_000),
  ATS_WRITEBACK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  ATS_WRITEBACK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(600_000).default(5_000),
  /** Calls to one connection's ATS that fail in a row (429, 5xx, timeouts) before its circuit opens. */
  ATS_CIRCUIT_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  /** Pages of applications one import job reads before the next job continues from the saved cursor. */
  ATS_IMPORT_PAGES_PER_JOB: z.coerce.number().int().min(1).max(1000).default(5),
  /** How often each connection with a finished import reads what changed in its ATS (a missed webhook heals within this). */
  ATS_RECONCILE_EVERY_MS: z.coerce.number().int().min(1000).max(86_400_000).default(1_800_000),
  /**
   * Calls per window each connection may make to its ATS, where it differs from the providers'
   * published limits (ats-api/rate-limit.ts: greenhouse 50/10000, lever 10/1000, ashby 10/1000),
   * e.g. `greenhouse=100/10000` for a Greenhouse integration granted more (its X-RateLimit-Limit).
   */
  ATS_RATE_LIMITS: z
    .string()
    .max(200)
    .regex(/^((greenhouse|lever|ashby)=\d{1,5}\/\d{2,7})?(,(greenhouse|lever|ashby)=\d{1,5}\/\d{2,7})*$/, 'provider=requests/windowMs, comma-separated (greenhouse, lever, ashby)')
    .default('')
    .transform((value) => {
      const limits: Partial<Record<'greenhouse' | 'lever' | 'ashby', { requests: number; windowMs: number }>> = {};
      for (const match of value.matchAll(/(greenhouse|lever|ashby)=(\d+)\/(\d+)/g)) {
        const provider = match[1] === 'greenhouse' ? 'greenhouse' : match[1] === 'lever' ? 'lever' : 'ashby';
        limits[provider] = { requests: Math.max(1, Number(match[2])), windowMs: Number(match[3]) };
      }
      return limits;
    }),
  /** How long an open circuit calls nothing; then one probe call (half-open) closes or reopens it. */
  ATS_CIRCUIT_OPEN_MS: z.coerce.number().int().min(10).max(86_400_000).default(300_000),
  /** Refused ATS deliveries (unsigned, wrongly signed, not JSON) kept per connection: the latest. */
  INBOUND_REFUSALS_KEPT: z.coerce.number().int().min(1).max(10_000).default(100),
  /** How much of a refused delivery's body is kept for inspection (accepted ones are kept whole). */
  INBOUND_REFUSED_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(64 * 1024)
    .default(4096),
  /**
   * Bearer token Prometheus sends to /metrics (which shows every organization's counts). Unset:
   * /metrics is off in production, open in development and tests.
   */
  METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters (openssl rand -hex 32)').max(200).optional(),

  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /**
   * Webhooks in (/webhooks/ats/{id}, /webhooks/postmark/{organizationId}), a minute: per URL, and
   * per client address. Providers send from addresses shared by all their customers, so the
   * address budget is the larger; they retry a 429.
   */
  INBOUND_WEBHOOK_RATE_LIMIT_PER_URL: z.coerce.number().int().min(1).max(1_000_000).default(600),
  INBOUND_WEBHOOK_RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(3000),
  /** Failed API-key authentications per client address per minute; past it the address gets 429 until the minute is over. */
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(30),
  /** Requests to the candidate page (/f/...) per client address per minute. */
  PAGE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  /**
   * People signing in. Sessions end after SESSION_IDLE_MINUTES without a request, and
   * SESSION_ABSOLUTE_HOURS after sign-in whatever happens. Cookies are `Secure` and
   * `__Host-` prefixed when PUBLIC_BASE_URL is https.
   */
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(60),
  SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 24)
    .default(12),
  MAGIC_LINK_TTL_MINUTES: z.coerce.number().int().min(5).max(60).default(15),
  /** How long a candidate's data-export download link works after they confirm by email. */
  DATA_EXPORT_LINK_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 60)
    .default(60),
  INVITATION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 24)
    .default(72),
  /** Magic links asked for per email address per hour, and sign-in requests per client address per minute. */
  SIGN_IN_LINKS_PER_EMAIL_PER_HOUR: z.coerce.number().int().min(1).max(1000).default(5),
  SIGN_IN_REQUESTS_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(20),
  /** Single sign-on providers on http (development and tests only; production providers are https). */
  SSO_ALLOW_HTTP_ISSUERS: bool.default(false),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(2 * 1024 * 1024),
  IDEMPOTENCY_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(24, 'must be at least 24')
    .max(24 * 30)
    .default(48),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /**
   * Workers: a file rewritten after every delivery pass that reached Postgres and Redis (every
   * DELIVERY_POLL_MS), for a container healthcheck to read its age. Unset: none is written.
   */
  WORKER_HEARTBEAT_FILE: z.string().min(1).max(1000).optional(),
  /** The built web app (`npm run web:build`), served at /app; relative paths start at the working directory. */
  WEB_APP_DIR: z.string().min(1).max(1000).default('web/dist'),

  /** `npm run demo` only: the port of the local Postmark-compatible server it starts (POSTMARK_API_URL follows it). */
  POSTMARK_FAKE_PORT: z.coerce.number().int().min(0).max(65535).default(3030),
  /** `npm run demo` only: where it keeps its admin API key between runs (git-ignored), so a restart shows the same key. */
  DEMO_KEY_FILE: z.string().min(1).max(1000).default('.hearback-demo-key.json'),
});

type ParsedEnv = z.infer<typeof envSchema>;

/** Every environment variable Hearback reads. */
export const configVariables = Object.keys(envSchema.shape) as (keyof ParsedEnv)[];
export type Config = Readonly<Omit<ParsedEnv, DefaultedName> & Record<DefaultedName, string>>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses and freezes the configuration. Throws a ConfigError whose message is one line naming
 * each bad variable, e.g. `invalid configuration: PORT: Too big: expected number to be <=65535`.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means "not set", as in most deployment tools.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const parsed = result.data;
  const resolved = {} as Record<DefaultedName, string>;
  const missing: string[] = [];
  // Moving the API to another port moves its links, docs and origin checks with it.
  const defaults = { ...developmentDefaults, PUBLIC_BASE_URL: `http://localhost:${parsed.PORT}` };
  for (const name of Object.keys(developmentDefaults) as DefaultedName[]) {
    const value = parsed[name];
    if (value !== undefined) resolved[name] = value;
    else if (parsed.NODE_ENV === 'production') missing.push(name);
    else resolved[name] = defaults[name];
  }
  if (missing.length > 0) {
    throw new ConfigError(`invalid configuration: ${missing.map((name) => `${name}: required when NODE_ENV=production`).join('; ')}`);
  }
  return Object.freeze({ ...parsed, ...resolved });
}

/**
 * The process's configuration for an entry point (the API, the workers): a bad one ends the
 * process with its one-line reason instead of a stack trace.
 */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`hearback: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
