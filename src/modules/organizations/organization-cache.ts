// GET /v1/organization's answer (the JSON text), kept in memory per organization so the read does
// not cost a database round trip. A change is seen by every API process as soon as it commits:
// triggers on `organizations` and `organization_logos` (migration organization_read_notify) NOTIFY
// this channel with the organization's id, whoever writes. While a process cannot hear those
// notifications it serves nothing from the cache, and on reconnecting it starts afresh; a read in
// flight when a notification arrived is not kept (the mechanism is db/notified-cache.ts).
import type { Logger } from 'pino';
import { createNotifiedCache } from '../../db/notified-cache.js';

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

export function createOrganizationCache(options: OrganizationCacheOptions): OrganizationCache {
  const cache = createNotifiedCache<string>({ ...options, channel: ORGANIZATIONS_CHANNEL, applicationName: 'hearback-organization-cache' });
  return {
    get: (organizationId) => cache.get(organizationId),
    begin: () => cache.begin(),
    set: (organizationId, json, ticket) => cache.set(organizationId, organizationId, json, ticket),
    forget: (organizationId) => cache.forget(organizationId),
    get listening() {
      return cache.listening;
    },
    close: () => cache.close(),
  };
}
