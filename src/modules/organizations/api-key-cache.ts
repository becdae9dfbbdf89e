// Authenticated API keys, kept in memory for a few seconds so a request does not pay a database
// round trip to be recognised. Revocation stays immediate everywhere: a revoke notifies every
// API process (Postgres NOTIFY in the revoking transaction), and while a process cannot hear
// those notifications it serves nothing from the cache.
import type { Logger } from 'pino';
import { listen, type PgListener } from '../../db/listen.js';
import type { Authenticated } from '../../lib/actor.js';

export const API_KEYS_CHANNEL = 'hearback_api_keys';

export interface CachedKey {
  apiKeyId: string;
  auth: Authenticated;
  lastUsedAt: Date | null;
}

export interface ApiKeyCache {
  get(hash: string): CachedKey | undefined;
  set(hash: string, entry: CachedKey): void;
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

export function createApiKeyCache({ databaseUrl, logger, ttlMs = 30_000, maxEntries = 10_000 }: ApiKeyCacheOptions): ApiKeyCache {
  const entries = new Map<string, CachedKey & { expiresAt: number }>();
  const hashById = new Map<string, string>();
  const invalidate = (apiKeyId: string) => {
    const hash = hashById.get(apiKeyId);
    if (hash) entries.delete(hash);
    hashById.delete(apiKeyId);
  };
  const clear = () => {
    entries.clear();
    hashById.clear();
  };
  const listener: PgListener = listen({
    databaseUrl,
    channel: API_KEYS_CHANNEL,
    onNotify: invalidate,
    // Revocations sent while we were not listening are unknown: start afresh.
    onReconnect: clear,
    logger,
    applicationName: 'hearback-api-key-cache',
  });

  return {
    get(hash) {
      if (!listener.connected) return undefined;
      const entry = entries.get(hash);
      if (!entry) return undefined;
      if (entry.expiresAt <= Date.now()) {
        invalidate(entry.apiKeyId);
        return undefined;
      }
      return entry;
    },
    set(hash, entry) {
      if (!listener.connected) return;
      if (entries.size >= maxEntries) {
        // Maps iterate in insertion order: the first entry is the oldest.
        const oldest = entries.values().next().value;
        if (oldest) invalidate(oldest.apiKeyId);
      }
      entries.set(hash, { ...entry, expiresAt: Date.now() + ttlMs });
      hashById.set(entry.apiKeyId, hash);
    },
    invalidate,
    close: () => listener.close(),
  };
}
