// The real Hearback app and deps on the bench database, with its own Redis prefix.
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { applyMigrations } from '../../src/db/migrations.js';
import { createDeps, type Deps } from '../../src/deps.js';
import type { BenchContext } from './types.js';
import { dropRedisPrefix, uniquePrefix } from './queue.js';

export interface BenchApp {
  config: Config;
  deps: Deps;
  close(): Promise<void>;
}

/**
 * The app's deps on the bench database. `migrate: false` in a child job: the bench process
 * migrated already, and an API or worker process does not load the migration engine (its
 * WebAssembly module alone adds ~45 MB of RSS).
 */
export async function benchDeps(ctx: BenchContext, label: string, poolSize = 10, { migrate = true } = {}): Promise<BenchApp> {
  if (migrate) await applyMigrations(ctx.databaseUrl);
  const prefix = uniquePrefix(label);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: ctx.databaseUrl,
    DATABASE_POOL_SIZE: String(poolSize),
    REDIS_URL: ctx.redisUrl,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    // The bench measures cost, not the limiter: a limited run would be all 429s.
    RATE_LIMIT_PER_MINUTE: '1000000',
    PAGE_RATE_LIMIT_PER_MINUTE: '1000000',
  });
  const deps = createDeps(config, { role: 'api' });
  return {
    config,
    deps,
    async close() {
      await deps.close();
      await dropRedisPrefix(ctx.redisUrl, prefix);
    },
  };
}

export async function benchApp(ctx: BenchContext, label: string) {
  const bench = await benchDeps(ctx, label);
  const app = await buildApp({ config: bench.config, deps: bench.deps, logger: false }).catch(async (error) => {
    await bench.close();
    throw error;
  });
  const { secret } = await bench.deps.organizations.createOrganization(`Bench ${label}`);
  return { app, apiKey: secret, close: async () => (await app.close(), await bench.close()) };
}
