// SQL of webhook endpoints: the endpoints themselves (what the API shows, and the whole row the
// pump signs with), their failure streak and disabling, and the API's reads of attempts and
// deliveries.
import type { DbClient } from '../../db/client.js';
import type { AuditEntry } from '../audit/audit.repository.js';
import { auditRepository } from '../audit/audit.repository.js';
import type { Actor } from '../../lib/actor.js';
import type { CompletedClaim } from '../../lib/idempotency.js';
import type { PageRequest } from '../../lib/pagination.js';
import { idempotencyRepository, onceStatement } from '../idempotency/idempotency.repository.js';

/** What the API shows of an endpoint: never its secrets. */
const columns = {
  id: true,
  url: true,
  description: true,
  eventTypes: true,
  enabled: true,
  rateLimitPerSecond: true,
  failingSince: true,
  disabledAt: true,
  disabledReason: true,
  previousSecretExpiresAt: true,
  createdAt: true,
  updatedAt: true,
} as const;

export interface NewEndpoint {
  organizationId: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  enabled: boolean;
  rateLimitPerSecond: number | null;
  /** Sealed. */
  secret: string;
}

/** An endpoint made whole in the app (id and times), for the one-statement create. */
export interface MadeEndpoint extends NewEndpoint {
  id: string;
  createdAt: Date;
}

/** The endpoint and its audit entry, with its Idempotency-Key record: one statement. */
const insertEndpointOnce = onceStatement('webhook-endpoint-insert-once', {
  endpoint: `INSERT INTO webhook_endpoints (id, organization_id, url, description, event_types, enabled, rate_limit_per_second, secret, created_at, updated_at)
    SELECT $1::uuid, $2::uuid, $3::text, $4::text, $5::text[], $6::boolean, $7::int, $8::text, $9::timestamptz, $9::timestamptz FROM claimed`,
  audit: auditRepository.onceWork(10),
});

export interface EndpointChanges {
  url?: string | undefined;
  description?: string | null | undefined;
  eventTypes?: string[] | undefined;
  rateLimitPerSecond?: number | null | undefined;
  /** true also clears the failure streak and the disabling: the endpoint starts over. */
  enabled?: boolean | undefined;
}

const after = (page: PageRequest) => (page.after ? { id: { gt: page.after } } : {});
const live = { enabled: true, disabledAt: null };

export const endpointsRepository = {
  list: (db: DbClient, organizationId: string, page: PageRequest) =>
    db.webhookEndpoint.findMany({ where: { organizationId, ...after(page) }, orderBy: { id: 'asc' }, take: page.take, select: columns }),

  find: (db: DbClient, organizationId: string, id: string) => db.webhookEndpoint.findFirst({ where: { id, organizationId }, select: columns }),

  create: (db: DbClient, data: NewEndpoint) => db.webhookEndpoint.create({ data, select: columns }),

  /** An endpoint made in the app and its audit entries, under an Idempotency-Key (insertEndpointOnce). */
  createOnce: (db: DbClient, row: MadeEndpoint, who: Actor, audit: AuditEntry[], completed: CompletedClaim) =>
    idempotencyRepository.writeOnce(db, insertEndpointOnce, completed, [
      row.id,
      row.organizationId,
      row.url,
      row.description,
      row.eventTypes,
      row.enabled,
      row.rateLimitPerSecond,
      row.secret,
      row.createdAt,
      ...auditRepository.onceValues(who, audit),
    ]),

  update: (db: DbClient, id: string, { url, description, eventTypes, rateLimitPerSecond, enabled }: EndpointChanges) =>
    db.webhookEndpoint.update({
      where: { id },
      data: {
        ...(url !== undefined ? { url } : {}),
        ...(description !== undefined ? { description } : {}),
        ...(eventTypes !== undefined ? { eventTypes } : {}),
        ...(rateLimitPerSecond !== undefined ? { rateLimitPerSecond } : {}),
        ...(enabled === true ? { enabled: true, disabledAt: null, disabledReason: null, failingSince: null } : {}),
        ...(enabled === false ? { enabled: false } : {}),
      },
      select: columns,
    }),

  delete: (db: DbClient, id: string) => db.webhookEndpoint.delete({ where: { id } }),

  /** The sealed secret, to keep signing with it beside the new one. */
  secretOf: async (db: DbClient, id: string) => (await db.webhookEndpoint.findUniqueOrThrow({ where: { id }, select: { secret: true } })).secret,

  rotateSecret: (db: DbClient, id: string, secret: string, previousSecret: string, previousSecretExpiresAt: Date) =>
    db.webhookEndpoint.update({ where: { id }, data: { secret, previousSecret, previousSecretExpiresAt }, select: columns }),

  /** The whole row, secrets included (sealed): for the pump that signs with them. */
  forPump: (db: DbClient, id: string) => db.webhookEndpoint.findUnique({ where: { id } }),

  /** The organization's endpoints that take events now. */
  live: (db: DbClient, organizationId: string) => db.webhookEndpoint.findMany({ where: { organizationId, ...live }, select: { id: true, eventTypes: true } }),

  hasLive: async (db: DbClient, organizationId: string) => (await db.webhookEndpoint.count({ where: { organizationId, ...live } })) > 0,

  /** Disables it unless it already is; false when it already was. */
  disable: async (db: DbClient, id: string, reason: string, at: Date) =>
    (await db.webhookEndpoint.updateMany({ where: { id, disabledAt: null }, data: { enabled: false, disabledAt: at, disabledReason: reason } })).count > 0,

  /** Writes the failure streak's start (null: it ended) unless it already says so. */
  setFailingSince: (db: DbClient, id: string, failingSince: Date | null) =>
    db.webhookEndpoint.updateMany({ where: { id, failingSince: failingSince === null ? { not: null } : null }, data: { failingSince } }),

  failingSince: async (db: DbClient, id: string) => (await db.webhookEndpoint.findUnique({ where: { id }, select: { failingSince: true } }))?.failingSince ?? null,

  attempts: (db: DbClient, organizationId: string, endpointId: string, page: PageRequest) =>
    db.webhookAttempt.findMany({ where: { organizationId, endpointId, ...after(page) }, orderBy: { id: 'asc' }, take: page.take, omit: { organizationId: true } }),

  /** Deliveries with the type of their event. */
  async deliveries(db: DbClient, organizationId: string, filter: { endpointId?: string | undefined; status?: string | undefined }, page: PageRequest) {
    const rows = await db.webhookDelivery.findMany({
      where: { organizationId, ...(filter.endpointId ? { endpointId: filter.endpointId } : {}), ...(filter.status ? { status: filter.status } : {}), ...after(page) },
      orderBy: { id: 'asc' },
      take: page.take,
      omit: { organizationId: true },
    });
    const types = new Map((await db.webhookEvent.findMany({ where: { id: { in: rows.map((r) => r.eventId) } }, select: { id: true, type: true } })).map((e) => [e.id, e.type]));
    return rows.map((r) => ({ ...r, eventType: types.get(r.eventId) ?? 'unknown' }));
  },
};
