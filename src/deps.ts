// The composition root: every long-lived client and service, created once per process and
// handed to the app (src/app.ts) or the workers (workers/main.ts). Tests build their own.
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import { createDb, type PrismaClient } from './db/client.js';
import { createSealer, type Sealer } from './lib/crypto.js';
import { createAuditService, type AuditService } from './modules/audit/audit.service.js';
import { createDecisionsService, type DecisionsService } from './modules/decisions/decisions.service.js';
import { createPlansService, type PlansService } from './modules/decisions/plans.service.js';
import { createHiringService, type HiringService } from './modules/hiring/hiring.service.js';
import { createOrganizationsService, type OrganizationsService } from './modules/organizations/organizations.service.js';
import { createRedis, type RedisRole } from './queue/connections.js';
import { closeQueues, createQueues, type Queues } from './queue/producer.js';

export interface Deps {
  config: Config;
  db: PrismaClient;
  /** Producer-style connection (fails fast): queues, rate limits, readiness. */
  redis: Redis;
  queues: Queues;
  /** Encrypts secrets at rest with ENCRYPTION_KEY. */
  sealer: Sealer;
  organizations: OrganizationsService;
  hiring: HiringService;
  plans: PlansService;
  decisions: DecisionsService;
  audit: AuditService;
  close(): Promise<void>;
}

export interface DepsOptions {
  /** `api` or `worker`: names the connections in pg_stat_activity and Redis CLIENT LIST. */
  role: 'api' | 'worker' | 'cli';
}

export function createDeps(config: Config, { role }: DepsOptions): Deps {
  const db = createDb({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, applicationName: `hearback-${role}` });
  const redisRole: RedisRole = 'producer';
  const redis = createRedis(config.REDIS_URL, redisRole, `hearback-${role}`);
  const queues = createQueues(redis, config.REDIS_PREFIX);
  return {
    config,
    db,
    redis,
    queues,
    sealer: createSealer(config.ENCRYPTION_KEY),
    organizations: createOrganizationsService({ db }),
    hiring: createHiringService({ db }),
    plans: createPlansService({ db }),
    decisions: createDecisionsService({ db }),
    audit: createAuditService({ db }),
    async close() {
      await closeQueues(queues);
      redis.disconnect();
      await db.$disconnect();
    },
  };
}
