// A small in-memory cache whose entries a Postgres NOTIFY forgets in every process at commit: the
// shared mechanism of the API-key and organization caches. Entries are found by a lookup key and
// forgotten by the id the notifications name (the same value when they are one). While the LISTEN
// connection is down nothing is served, and on reconnecting the cache starts afresh (what was
// notified meanwhile is unknown). A read that was in flight when a notification arrived may hold
// the value from before the change: `begin()` takes a ticket before the read and `set()` drops
// the value when anything was forgotten (or the connection came back) since.
import type { Logger } from 'pino';
import { listen, type PgListener } from './listen.js';

export interface NotifiedCache<V> {
  get(key: string): V | undefined;
  /** Call before reading what will be cached; hand the ticket to `set`. */
  begin(): number;
  /** Keeps `value` under `key`, forgotten when `id` is notified (or the TTL passes). */
  set(key: string, id: string, value: V, ticket: number): void;
  /** Forgets an id in this process (the others hear the NOTIFY); '' forgets everything. */
  forget(id: string): void;
  /** Whether notifications are heard right now (nothing is served while they are not). */
  readonly listening: boolean;
  close(): Promise<void>;
}

export interface NotifiedCacheOptions {
  databaseUrl: string;
  logger: Logger;
  /** The NOTIFY channel; each payload is an id to forget, an empty one forgets everything. */
  channel: string;
  applicationName: string;
  ttlMs?: number;
  maxEntries?: number;
}

export function createNotifiedCache<V>({ databaseUrl, logger, channel, applicationName, ttlMs = 30_000, maxEntries = 10_000 }: NotifiedCacheOptions): NotifiedCache<V> {
  const entries = new Map<string, { id: string; value: V; expiresAt: number }>();
  const keyById = new Map<string, string>();
  // Bumped by every notification and reconnection: a read begun before a bump may be stale.
  let generation = 0;
  const drop = (id: string) => {
    const key = keyById.get(id);
    if (key !== undefined) entries.delete(key);
    keyById.delete(id);
  };
  const forget = (id: string) => {
    generation++;
    if (id !== '') return drop(id);
    entries.clear();
    keyById.clear();
  };
  const listener: PgListener = listen({ databaseUrl, channel, onNotify: forget, onReconnect: () => forget(''), logger, applicationName });

  return {
    get(key) {
      if (!listener.connected) return undefined;
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= Date.now()) {
        drop(entry.id);
        return undefined;
      }
      return entry.value;
    },
    begin: () => generation,
    set(key, id, value, ticket) {
      if (!listener.connected || ticket !== generation) return;
      drop(id);
      if (entries.size >= maxEntries) {
        // Maps iterate in insertion order: the first entry is the oldest.
        const oldest = entries.values().next();
        if (!oldest.done) drop(oldest.value.id);
      }
      entries.set(key, { id, value, expiresAt: Date.now() + ttlMs });
      keyById.set(id, key);
    },
    forget,
    get listening() {
      return listener.connected;
    },
    close: () => listener.close(),
  };
}
