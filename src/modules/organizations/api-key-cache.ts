// Authenticated API keys, kept in memory for a few seconds so a request does not pay a database
// round trip to be recognised. Revocation stays immediate everywhere: a revoke notifies every
// API process (Postgres NOTIFY in the revoking transaction), and while a process cannot hear
// those notifications it serves nothing from the cache. A lookup that was in flight when a
// revocation arrived may hold the key as it was before: `begin()` takes a ticket before the lookup
// and `set()` drops the entry when anything was forgotten (or the connection came back) since.
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

export function createApiKeyCache({ databaseUrl, logger, ttlMs = 30_000, maxEntries = 10_000 }: ApiKeyCacheOptions): ApiKeyCache {
  const entries = new Map<string, CachedKey & { expiresAt: number }>();
  const hashById = new Map<string, string>();
  // Bumped by every revocation and reconnection: a lookup begun before a bump may be stale.
  let generation = 0;
  const drop = (apiKeyId: string) => {
    const hash = hashById.get(apiKeyId);
    if (hash) entries.delete(hash);
    hashById.delete(apiKeyId);
  };
  const invalidate = (apiKeyId: string) => {
    generation++;
    drop(apiKeyId);
  };
  const clear = () => {
    generation++;
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
        drop(entry.apiKeyId);
        return undefined;
      }
      return entry;
    },
    begin: () => generation,
    set(hash, entry, ticket) {
      if (!listener.connected || ticket !== generation) return;
      if (entries.size >= maxEntries) {
        // Maps iterate in insertion order: the first entry is the oldest.
        const oldest = entries.values().next().value;
        if (oldest) drop(oldest.apiKeyId);
      }
      entries.set(hash, { ...entry, expiresAt: Date.now() + ttlMs });
      hashById.set(entry.apiKeyId, hash);
    },
    invalidate,
    get listening() {
      return listener.connected;
    },
    close: () => listener.close(),
  };
}
