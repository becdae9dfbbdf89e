// Everything a test file needs: its own database, its own Redis key prefix, real deps and the app.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export const REDIS_URL = 'redis://127.0.0.1:6379';

export interface TestContext {
  config: Config;
  deps: Deps;
  app: FastifyInstance;
  database: TestDatabase;
  close(): Promise<void>;
}

/** The configuration a test app runs with; `overrides` are env-style strings. */
export function testConfig(database: TestDatabase, overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '5',
    REDIS_URL,
    REDIS_PREFIX: `test-${randomBytes(5).toString('hex')}`,
    LOG_LEVEL: 'silent',
    PUBLIC_BASE_URL: 'http://localhost:3000',
    ...overrides,
  });
}

export async function createTestContext(overrides: Record<string, string> = {}): Promise<TestContext> {
  const database = await createTestDatabase();
  const config = testConfig(database, overrides);
  const deps = createDeps(config, { role: 'api' });
  const app = await buildApp({ config, deps, logger: false });
  return {
    config,
    deps,
    app,
    database,
    async close() {
      await app.close();
      await deps.close();
      await deleteRedisPrefix(config.REDIS_PREFIX);
      await database.drop();
    },
  };
}

/** Removes every key a test wrote under its prefix. */
export async function deleteRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
