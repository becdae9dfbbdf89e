// GET /v1/organization's answer (the JSON text), kept in memory per organization so the read does
// not cost a database round trip. A change is seen by every API process as soon as it commits:
// triggers on `organizations` and `organization_logos` (migration organization_read_notify) NOTIFY
// this channel with the organization's id, whoever writes. While a process cannot hear those
// notifications it serves nothing from the cache, and on reconnecting it starts afresh.
//
// A read that was in flight when a notification arrived may hold the value from before the
// change: `begin()` takes a ticket before the read and `set()` drops the value when anything was
// forgotten (or the connection came back) since.
import type { Logger } from 'pino';
import { listen, type PgListener } from '../../db/listen.js';

export const ORGANIZATIONS_CHANNEL = 'hearback_organizations';

export interface OrganizationCache {
  get(organizationId: string): string | undefined;
  /** Call before reading what will be cached; hand the ticket to `set`. */
  begin(): number;
  set(organizationId: string, json: string, ticket: number): void;
  /** Forgets at once in this process, after a commit here (the others hear the triggers' NOTIFY). */
  forget(organizationId: string): void;
  /** Whether notifications are heard right now (nothing is served while they are not). */
  readonly listening: boolean;
  close(): Promise<void>;
}

export interface OrganizationCacheOptions {
  databaseUrl: string;
  logger: Logger;
  ttlMs?: number;
  maxEntries?: number;
}

export function createOrganizationCache({ databaseUrl, logger, ttlMs = 30_000, maxEntries = 10_000 }: OrganizationCacheOptions): OrganizationCache {
  const entries = new Map<string, { json: string; expiresAt: number }>();
  // Bumped by every notification and reconnection: a read begun before a bump may be stale.
  let generation = 0;
  const forget = (organizationId: string) => {
    generation++;
    if (organizationId === '') entries.clear();
    else entries.delete(organizationId);
  };
  const listener: PgListener = listen({
    databaseUrl,
    channel: ORGANIZATIONS_CHANNEL,
    onNotify: forget,
    // Changes committed while we were not listening are unknown: start afresh.
    onReconnect: () => forget(''),
    logger,
    applicationName: 'hearback-organization-cache',
  });

  return {
    get(organizationId) {
      if (!listener.connected) return undefined;
      const entry = entries.get(organizationId);
      if (!entry) return undefined;
      if (entry.expiresAt <= Date.now()) {
        entries.delete(organizationId);
        return undefined;
      }
      return entry.json;
    },
    begin: () => generation,
    set(organizationId, json, ticket) {
      if (!listener.connected || ticket !== generation) return;
      entries.delete(organizationId);
      if (entries.size >= maxEntries) {
        // Maps iterate in insertion order: the first entry is the oldest.
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
      entries.set(organizationId, { json, expiresAt: Date.now() + ttlMs });
    },
    forget,
    get listening() {
      return listener.connected;
    },
    close: () => listener.close(),
  };
}
