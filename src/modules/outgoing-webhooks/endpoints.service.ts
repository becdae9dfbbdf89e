// Webhook endpoints per organization (URL, event types, description, enabled, rate limit), their
// signing secrets (shown once; a rotation keeps the old one signing for 24 hours), the log of
// deliveries and attempts, and replays: resend one delivery, or recover every failed one since a
// time.
import type { PrismaClient } from '../../db/client.js';
import type { Sealer } from '../../lib/crypto.js';
import { AppError, found, validationFailed } from '../../lib/errors.js';
import { pageRequest, toPage, type PageQuery } from '../../lib/pagination.js';
import { enqueueInTransaction } from '../../queue/outbox.js';
import { auditRepository, type AuditEntry } from '../audit/audit.repository.js';
import type { SealResponse, WrittenOnce } from '../../lib/idempotency.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../../lib/actor.js';
import { generateSecret } from '../webhook-signatures/standard-webhooks.js';
import { endpointsRepository as repo, type NewEndpoint } from './endpoints.repository.js';
import { attemptOutcomeSchema, deliveryStatusSchema, type EndpointInput } from './endpoints.schemas.js';
import { pumpJob } from './events.js';
import { checkEndpointUrl, UnsafeEndpointError } from './sender.js';
import { webhookDeliveryRepository as deliveryRepo } from './webhook-delivery.repository.js';

const ROTATION_OVERLAP_MS = 24 * 3_600_000;

/** An endpoint as the API shows it. */
type EndpointRow = Awaited<ReturnType<typeof repo.create>>;

/** What creating an endpoint answers: its secret is shown this once. */
export interface CreatedEndpoint {
  endpoint: EndpointRow;
  secret: string;
}

const createdEntry = (endpoint: Pick<EndpointRow, 'id' | 'url' | 'eventTypes'>): AuditEntry => ({
  action: 'webhook_endpoint.created',
  entity: 'webhook_endpoint',
  entityId: endpoint.id,
  after: { url: endpoint.url, eventTypes: endpoint.eventTypes },
});

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

  const newEndpoint = (actor: Actor, input: EndpointInput, secret: string): NewEndpoint => ({
    organizationId: actor.organizationId,
    url: input.url,
    description: input.description ?? null,
    eventTypes: input.eventTypes ?? [],
    enabled: input.enabled ?? true,
    rateLimitPerSecond: input.rateLimitPerSecond ?? null,
    secret: sealer.seal(secret),
  });

  /** Creates an endpoint; its secret is in this answer only. */
  async function create(actor: Actor, input: EndpointInput): Promise<CreatedEndpoint> {
    checkUrl(input.url);
    const secret = generateSecret();
    return db.$transaction(async (tx) => {
      const endpoint = await repo.create(tx, newEndpoint(actor, input, secret));
      await auditRepository.record(tx, actor, [createdEntry(endpoint)]);
      return { endpoint, secret };
    });
  }

  const get = async (organizationId: string, id: string) => found(await repo.find(db, organizationId, id), 'Webhook endpoint');

  return {
    list: async (organizationId: string, query: PageQuery) => {
      const page = pageRequest(query);
      return toPage(await repo.list(db, organizationId, page), page);
    },
    get,

    create,

    /** create for the route: with `seal` (an Idempotency-Key), made in the app and written in one statement with its record. */
    async createOnce(actor: Actor, input: EndpointInput, seal: SealResponse<CreatedEndpoint> | undefined): Promise<WrittenOnce<CreatedEndpoint>> {
      if (!seal) return { kind: 'written', value: await create(actor, input) };
      checkUrl(input.url);
      const secret = generateSecret();
      const row = { ...newEndpoint(actor, input, secret), id: newId(), createdAt: now() };
      const endpoint = {
        id: row.id,
        url: row.url,
        description: row.description,
        eventTypes: row.eventTypes,
        enabled: row.enabled,
        rateLimitPerSecond: row.rateLimitPerSecond,
        failingSince: null,
        disabledAt: null,
        disabledReason: null,
        previousSecretExpiresAt: null,
        createdAt: row.createdAt,
        updatedAt: row.createdAt,
      };
      const created = { endpoint, secret };
      const outcome = await repo.createOnce(db, row, actor, [createdEntry(endpoint)], seal(created));
      return outcome.kind === 'written' ? { kind: 'written', value: created } : outcome;
    },

    /** Re-enabling clears the failure streak: the endpoint starts over. */
    async update(actor: Actor, id: string, input: Partial<EndpointInput>) {
      if (input.url !== undefined) checkUrl(input.url);
      const before = await get(actor.organizationId, id);
      return db.$transaction(async (tx) => {
        const endpoint = await repo.update(tx, id, input);
        await auditRepository.record(tx, actor, [
          {
            action: 'webhook_endpoint.updated',
            entity: 'webhook_endpoint',
            entityId: id,
            before: { url: before.url, enabled: before.enabled },
            after: { url: endpoint.url, enabled: endpoint.enabled },
          },
        ]);
        return endpoint;
      });
    },

    async remove(actor: Actor, id: string) {
      await get(actor.organizationId, id);
      await db.$transaction(async (tx) => {
        await deliveryRepo.cancelPending(tx, id);
        await repo.delete(tx, id);
        await auditRepository.record(tx, actor, [{ action: 'webhook_endpoint.deleted', entity: 'webhook_endpoint', entityId: id }]);
      });
    },

    /** A new secret (shown once); the old one keeps signing alongside it for 24 hours. */
    async rotateSecret(actor: Actor, id: string) {
      await get(actor.organizationId, id);
      const secret = generateSecret();
      return db.$transaction(async (tx) => {
        const current = await repo.secretOf(tx, id);
        const endpoint = await repo.rotateSecret(tx, id, sealer.seal(secret), current, new Date(now().getTime() + ROTATION_OVERLAP_MS));
        await auditRepository.record(tx, actor, [{ action: 'webhook_endpoint.secret_rotated', entity: 'webhook_endpoint', entityId: id }]);
        return { endpoint, secret };
      });
    },

    async attempts(organizationId: string, endpointId: string, query: PageQuery) {
      await get(organizationId, endpointId);
      const page = pageRequest(query);
      const rows = await repo.attempts(db, organizationId, endpointId, page);
      return toPage(
        rows.map((row) => ({ ...row, outcome: attemptOutcomeSchema.parse(row.outcome) })),
        page,
      );
    },

    async deliveries(organizationId: string, filter: { endpointId?: string | undefined; status?: string | undefined }, query: PageQuery) {
      const page = pageRequest(query);
      const rows = await repo.deliveries(db, organizationId, filter, page);
      return toPage(
        rows.map((row) => ({ ...row, status: deliveryStatusSchema.parse(row.status) })),
        page,
      );
    },

    /** Sends one delivery again now, whatever its state (a new attempt, the same webhook-id). */
    async resend(actor: Actor, deliveryId: string) {
      const delivery = found(await deliveryRepo.find(db, actor.organizationId, deliveryId), 'Webhook delivery');
      const endpoint = await get(actor.organizationId, delivery.endpointId);
      if (!endpoint.enabled || endpoint.disabledAt) throw new AppError('conflict', 'The endpoint is disabled; enable it first');
      const at = now();
      await db.$transaction(async (tx) => {
        await deliveryRepo.resend(tx, deliveryId, at);
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
        const ids = await deliveryRepo.recover(tx, endpointId, since, at);
        if (ids.length > 0) await enqueueInTransaction(tx, [pumpJob(endpointId, at)]);
        await auditRepository.record(tx, actor, [
          { action: 'webhook_endpoint.recovered', entity: 'webhook_endpoint', entityId: endpointId, after: { since: since.toISOString(), deliveries: ids.length } },
        ]);
        return { recovered: ids.length };
      });
    },
  };
}
