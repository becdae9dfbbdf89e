// Webhook endpoints per organization (URL, event types, description, enabled, rate limit), their
// signing secrets (shown once; a rotation keeps the old one signing for 24 hours), the log of
// deliveries and attempts, and replays: resend one delivery, or recover every failed one since a
// time.
import type { PrismaClient } from '../../db/client.js';
import type { Sealer } from '../../lib/crypto.js';
import { AppError, found, validationFailed } from '../../lib/errors.js';
import { pageRequest, toPage, type PageQuery } from '../../lib/pagination.js';
import { enqueueInTransaction } from '../../queue/outbox.js';
import { auditRepository } from '../audit/audit.repository.js';
import type { Actor } from '../../lib/actor.js';
import { generateSecret } from '../webhooks/signatures/standard-webhooks.js';
import { pumpJob, type EventType } from './events.js';
import { checkEndpointUrl, UnsafeEndpointError } from './sender.js';

const ROTATION_OVERLAP_MS = 24 * 3_600_000;

export interface EndpointInput {
  url: string;
  description?: string | null | undefined;
  eventTypes?: EventType[] | undefined;
  enabled?: boolean | undefined;
  rateLimitPerSecond?: number | null | undefined;
}

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

export type EndpointsService = ReturnType<typeof createEndpointsService>;

export function createEndpointsService({ db, sealer, allowPrivate, now = () => new Date() }: { db: PrismaClient; sealer: Sealer; allowPrivate: boolean; now?: () => Date }) {
  function checkUrl(url: string) {
    try {
      checkEndpointUrl(url, allowPrivate);
    } catch (error) {
      if (error instanceof UnsafeEndpointError) throw validationFailed([{ path: 'body.url', message: error.message }]);
      throw error;
    }
  }

  const get = async (organizationId: string, id: string) => found(await db.webhookEndpoint.findFirst({ where: { id, organizationId }, select: columns }), 'Webhook endpoint');

  return {
    list: async (organizationId: string, query: PageQuery) => {
      const page = pageRequest(query);
      return toPage(await db.webhookEndpoint.findMany({ where: { organizationId, ...(page.after ? { id: { gt: page.after } } : {}) }, orderBy: { id: 'asc' }, take: page.take, select: columns }), page);
    },
    get,

    /** Creates an endpoint; its secret is in this answer only. */
    async create(actor: Actor, input: EndpointInput) {
      checkUrl(input.url);
      const secret = generateSecret();
      return db.$transaction(async (tx) => {
        const endpoint = await tx.webhookEndpoint.create({
          data: {
            organizationId: actor.organizationId,
            url: input.url,
            description: input.description ?? null,
            eventTypes: input.eventTypes ?? [],
            enabled: input.enabled ?? true,
            rateLimitPerSecond: input.rateLimitPerSecond ?? null,
            secret: sealer.seal(secret),
          },
          select: columns,
        });
        await auditRepository.record(tx, actor, [{ action: 'webhook_endpoint.created', entity: 'webhook_endpoint', entityId: endpoint.id, after: { url: endpoint.url, eventTypes: endpoint.eventTypes } }]);
        return { endpoint, secret };
      });
    },

    /** Re-enabling clears the failure streak: the endpoint starts over. */
    async update(actor: Actor, id: string, input: Partial<EndpointInput>) {
      if (input.url !== undefined) checkUrl(input.url);
      const before = await get(actor.organizationId, id);
      return db.$transaction(async (tx) => {
        const endpoint = await tx.webhookEndpoint.update({
          where: { id },
          data: {
            ...(input.url !== undefined ? { url: input.url } : {}),
            ...(input.description !== undefined ? { description: input.description } : {}),
            ...(input.eventTypes !== undefined ? { eventTypes: input.eventTypes } : {}),
            ...(input.rateLimitPerSecond !== undefined ? { rateLimitPerSecond: input.rateLimitPerSecond } : {}),
            ...(input.enabled === true ? { enabled: true, disabledAt: null, disabledReason: null, failingSince: null } : {}),
            ...(input.enabled === false ? { enabled: false } : {}),
          },
          select: columns,
        });
        await auditRepository.record(tx, actor, [
          { action: 'webhook_endpoint.updated', entity: 'webhook_endpoint', entityId: id, before: { url: before.url, enabled: before.enabled }, after: { url: endpoint.url, enabled: endpoint.enabled } },
        ]);
        return endpoint;
      });
    },

    async remove(actor: Actor, id: string) {
      await get(actor.organizationId, id);
      await db.$transaction(async (tx) => {
        await tx.webhookDelivery.updateMany({ where: { endpointId: id, status: 'pending' }, data: { status: 'cancelled', nextAttemptAt: null } });
        await tx.webhookEndpoint.delete({ where: { id } });
        await auditRepository.record(tx, actor, [{ action: 'webhook_endpoint.deleted', entity: 'webhook_endpoint', entityId: id }]);
      });
    },

    /** A new secret (shown once); the old one keeps signing alongside it for 24 hours. */
    async rotateSecret(actor: Actor, id: string) {
      await get(actor.organizationId, id);
      const secret = generateSecret();
      return db.$transaction(async (tx) => {
        const current = await tx.webhookEndpoint.findUniqueOrThrow({ where: { id }, select: { secret: true } });
        const endpoint = await tx.webhookEndpoint.update({
          where: { id },
          data: { secret: sealer.seal(secret), previousSecret: current.secret, previousSecretExpiresAt: new Date(now().getTime() + ROTATION_OVERLAP_MS) },
          select: columns,
        });
        await auditRepository.record(tx, actor, [{ action: 'webhook_endpoint.secret_rotated', entity: 'webhook_endpoint', entityId: id }]);
        return { endpoint, secret };
      });
    },

    async attempts(organizationId: string, endpointId: string, query: PageQuery) {
      await get(organizationId, endpointId);
      const page = pageRequest(query);
      return toPage(
        await db.webhookAttempt.findMany({
          where: { organizationId, endpointId, ...(page.after ? { id: { gt: page.after } } : {}) },
          orderBy: { id: 'asc' },
          take: page.take,
          omit: { organizationId: true },
        }),
        page,
      );
    },

    async deliveries(organizationId: string, filter: { endpointId?: string | undefined; status?: string | undefined }, query: PageQuery) {
      const page = pageRequest(query);
      const rows = await db.webhookDelivery.findMany({
        where: { organizationId, ...(filter.endpointId ? { endpointId: filter.endpointId } : {}), ...(filter.status ? { status: filter.status } : {}), ...(page.after ? { id: { gt: page.after } } : {}) },
        orderBy: { id: 'asc' },
        take: page.take,
        omit: { organizationId: true },
      });
      const events = new Map((await db.webhookEvent.findMany({ where: { id: { in: rows.map((r) => r.eventId) } }, select: { id: true, type: true } })).map((e) => [e.id, e.type]));
      return toPage(rows.map((r) => ({ ...r, eventType: events.get(r.eventId) ?? 'unknown' })), page);
    },

    /** Sends one delivery again now, whatever its state (a new attempt, the same webhook-id). */
    async resend(actor: Actor, deliveryId: string) {
      const delivery = found(await db.webhookDelivery.findFirst({ where: { id: deliveryId, organizationId: actor.organizationId } }), 'Webhook delivery');
      const endpoint = await get(actor.organizationId, delivery.endpointId);
      if (!endpoint.enabled || endpoint.disabledAt) throw new AppError('conflict', 'The endpoint is disabled; enable it first');
      const at = now();
      await db.$transaction(async (tx) => {
        await tx.webhookDelivery.update({ where: { id: deliveryId }, data: { status: 'pending', nextAttemptAt: at, attempts: 0 } });
        await enqueueInTransaction(tx, [pumpJob(endpoint.id, at)]);
        await auditRepository.record(tx, actor, [{ action: 'webhook_delivery.resent', entity: 'webhook_endpoint', entityId: endpoint.id, after: { deliveryId } }]);
      });
      return { id: deliveryId, status: 'pending' as const };
    },

    /** Every failed (or cancelled) delivery of an endpoint since a time, sent again. */
    async recover(actor: Actor, endpointId: string, since: Date) {
      const endpoint = await get(actor.organizationId, endpointId);
      if (!endpoint.enabled || endpoint.disabledAt) throw new AppError('conflict', 'The endpoint is disabled; enable it first');
      const at = now();
      return db.$transaction(async (tx) => {
        const rows = await tx.webhookDelivery.findMany({ where: { endpointId, status: { in: ['failed', 'cancelled'] }, createdAt: { gte: since } }, select: { id: true } });
        const ids = rows.map((r) => r.id);
        await tx.webhookDelivery.updateMany({ where: { id: { in: ids } }, data: { status: 'pending', nextAttemptAt: at, attempts: 0 } });
        if (ids.length > 0) await enqueueInTransaction(tx, [pumpJob(endpointId, at)]);
        await auditRepository.record(tx, actor, [{ action: 'webhook_endpoint.recovered', entity: 'webhook_endpoint', entityId: endpointId, after: { since: since.toISOString(), deliveries: ids.length } }]);
        return { recovered: ids.length };
      });
    },
  };
}
