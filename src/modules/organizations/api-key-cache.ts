// Authenticated API keys, kept in memory for a few seconds so a request does not pay a database
// round trip to be recognised. Revocation stays immediate everywhere: a revoke notifies every
// API process (Postgres NOTIFY in the revoking transaction), and while a process cannot hear
// those notifications it serves nothing from the cache; a lookup in flight when a revocation
// arrived is not kept (the mechanism is db/notified-cache.ts).
import type { Logger } from 'pino';
import { createNotifiedCache } from '../../db/notified-cache.js';
import type { Authenticated } from '../../lib/actor.js';

export const API_KEYS_CHANNEL = 'hearback_api_keys';

export interface CachedKey {
  apiKeyId: string;
  auth: Authenticated;
  lastUsedAt: Date | null;
}

export interface ApiKeyCache {
  get(hash: string): CachedKey | undefined;
  /** Call before looking up what will be cached; hand the ticket to `set`. */
  begin(): number;
  set(hash: string, entry: CachedKey, ticket: number): void;
  /** Whether revocations are heard right now (nothing is served while they are not). */
  readonly listening: boolean;
  /** Forgets a key (by id) in this process; other processes hear the revoke's NOTIFY. */
  invalidate(apiKeyId: string): void;
  close(): Promise<void>;
}

export interface ApiKeyCacheOptions {
  databaseUrl: string;
  logger: Logger;
  ttlMs?: number;
  maxEntries?: number;
}

/** Keys found by their hash, forgotten by their id (what a revocation notifies). */
export function createApiKeyCache(options: ApiKeyCacheOptions): ApiKeyCache {
  const cache = createNotifiedCache<CachedKey>({ ...options, channel: API_KEYS_CHANNEL, applicationName: 'hearback-api-key-cache' });
  return {
    get: (hash) => cache.get(hash),
    begin: () => cache.begin(),
    set: (hash, entry, ticket) => cache.set(hash, entry.apiKeyId, entry, ticket),
    invalidate: (apiKeyId) => cache.forget(apiKeyId),
    get listening() {
      return cache.listening;
    },
    close: () => cache.close(),
  };
}
