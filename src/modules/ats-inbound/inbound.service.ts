// ATS webhooks into Hearback. Receiving is fast and careful: the raw body is verified with the
// connection's secret, stored whole (accepted or not, for inspection), deduplicated on the
// provider's event id, acknowledged, and applied later by the `inbound` queue. Applying maps the
// payload to Hearback's facts (modules/webhooks/inbound/) and goes through the same services as
// the API: hires and offers update applications (and so the checks), rejections become plans
// awaiting confirmation and approval, un-rejects and un-hires cancel what is pending, merges link
// identities. Unknown event types are acknowledged and recorded, never failed. An ignored or
// failed delivery can be replayed (after a Lever connection gets its archive reasons, say).
import { randomBytes, randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { PrismaClient } from '../../db/client.js';
import type { Sealer } from '../../lib/crypto.js';
import { AppError, conflict, found } from '../../lib/errors.js';
import { pageRequest, toPage, type PageQuery } from '../../lib/pagination.js';
import { enqueueInTransaction } from '../../queue/outbox.js';
import { auditRepository, type Actor } from '../audit/audit.repository.js';
import type { DecisionsService } from '../decisions/decisions.service.js';
import type { PlansService } from '../decisions/plans.service.js';
import type { HiringService } from '../hiring/hiring.service.js';
import { applicationInputSchema, candidateInputSchema, requisitionInputSchema } from '../hiring/hiring.schemas.js';
import { ashbyApplicationId, ashbyDedupeKey, ashbyEventType, mapAshby } from '../webhooks/inbound/ashby.js';
import type { InboundEvent } from '../webhooks/inbound/events.js';
import { genericDedupeKey, genericEventType, mapGeneric } from '../webhooks/inbound/generic.js';
import { greenhouseDedupeKey, greenhouseEventType, mapGreenhouse } from '../webhooks/inbound/greenhouse.js';
import { leverDedupeKey, leverEventType, mapLever } from '../webhooks/inbound/lever.js';
import { InboundPayloadError } from '../webhooks/inbound/read.js';
import { verifyAshbySignature } from '../webhooks/signatures/ashby.js';
import { verifyGreenhouseSignature } from '../webhooks/signatures/greenhouse.js';
import { verifyLeverSignature } from '../webhooks/signatures/lever.js';
import { generateSecret, verify as verifyStandardWebhook } from '../webhooks/signatures/standard-webhooks.js';
import { ashbyContext, leverContextFromStored, PENDING_MESSAGES, settingsFor } from './inbound.context.js';
// Types only: the schemas register their OpenAPI components where the routes import them.
import type { ConnectionSettings, CreateConnectionBody, Provider, UpdateConnectionBody } from './inbound.schemas.js';

/** Lever sends `triggeredAt` as the event time and retries with it unchanged: a generous window. */
const LEVER_TOLERANCE_SECONDS = 7 * 24 * 3600;
/** What a replay can start again: a refused delivery is never applied, and the others are done or under way. */
const REPLAYABLE = ['ignored', 'failed'];
const NOT_REPLAYABLE: Record<string, string> = {
  processed: 'This delivery was applied already',
  received: 'This delivery is still waiting to be applied',
  rejected: 'This delivery was refused (unsigned, wrongly signed or not JSON) and is never applied',
};

type Headers = Record<string, string | string[] | undefined>;

export type InboundService = ReturnType<typeof createInboundService>;

export function createInboundService(deps: {
  db: PrismaClient;
  sealer: Sealer;
  hiring: HiringService;
  decisions: DecisionsService;
  plans: PlansService;
  publicBaseUrl: string;
  now?: () => Date;
}) {
  const { db, sealer, hiring, decisions, plans, publicBaseUrl, now = () => new Date() } = deps;
  const urlOf = (id: string) => new URL(`/webhooks/ats/${id}`, publicBaseUrl).toString();
  const connectionColumns = { id: true, provider: true, name: true, enabled: true, settings: true, createdAt: true } as const;
  const deliveryColumns = { id: true, connectionId: true, eventType: true, dedupeKey: true, status: true, outcome: true, receivedAt: true, processedAt: true, rawBody: true } as const;
  const view = (c: { id: string; provider: string; name: string; enabled: boolean; settings: unknown; createdAt: Date }) => ({
    ...c,
    provider: c.provider as Provider,
    settings: c.settings as ConnectionSettings,
    url: urlOf(c.id),
  });

  /** Checks the signature of the raw body; returns the dedupe key and event type, or why not. */
  function authenticate(provider: Provider, secret: string, raw: Buffer, headers: Headers, payload: unknown): { ok: true; key: string; type: string } | { ok: false; reason: string } {
    switch (provider) {
      case 'greenhouse': {
        const result = verifyGreenhouseSignature({ body: raw, headers, secret });
        if (!result.ok) return { ok: false, reason: `${result.error}: ${result.message}` };
        return { ok: true, key: result.eventId ?? greenhouseDedupeKey(payload), type: greenhouseEventType(payload) };
      }
      case 'lever': {
        const result = verifyLeverSignature({ body: payload, signatureToken: secret, now: now(), toleranceSeconds: LEVER_TOLERANCE_SECONDS });
        if (!result.ok) return { ok: false, reason: `${result.error}: ${result.message}` };
        return { ok: true, key: leverDedupeKey(payload), type: leverEventType(payload) };
      }
      case 'ashby': {
        const result = verifyAshbySignature({ body: raw, headers, secret });
        if (!result.ok) return { ok: false, reason: `${result.error}: ${result.message}` };
        return { ok: true, key: ashbyDedupeKey(payload), type: ashbyEventType(payload) };
      }
      case 'generic': {
        const result = verifyStandardWebhook({ headers, body: raw, secrets: [secret], now: now() });
        if (!result.ok) return { ok: false, reason: `${result.error}: ${result.message}` };
        return { ok: true, key: result.id ?? genericDedupeKey(payload), type: genericEventType(payload) };
      }
    }
  }

  /** The payload as an event, with what the provider leaves out: Lever's settings, Ashby's past status. */
  async function map(connection: { organizationId: string; provider: string; settings: unknown }, payload: unknown): Promise<InboundEvent> {
    switch (connection.provider as Provider) {
      case 'greenhouse':
        return mapGreenhouse(payload);
      case 'lever':
        return mapLever(payload, leverContextFromStored(connection.settings));
      case 'ashby':
        return mapAshby(payload, await ashbyContext(db, connection.organizationId, ashbyApplicationId(payload), now()));
      case 'generic':
        return mapGeneric(payload);
    }
  }

  /** The application behind an event, made or updated from what the payload carries. */
  async function application(actor: Actor, source: string, event: Exclude<InboundEvent, { kind: 'merge' | 'ignored' }>): Promise<string | null> {
    if (event.candidate && event.candidate.emails.length > 0 && event.requisition) {
      await hiring.upsertRequisition(actor, requisitionInputSchema.parse({ title: event.requisition.title ?? `Requisition ${event.requisition.externalId}`, externalIds: [{ source, id: event.requisition.externalId }] }));
      await hiring.upsertCandidate(
        actor,
        candidateInputSchema.parse({
          name: event.candidate.name ?? event.candidate.emails[0],
          emails: event.candidate.emails.slice(0, 10),
          externalIds: [{ source, id: event.candidate.externalId }],
        }),
      );
      const { application: app } = await hiring.upsertApplication(
        actor,
        applicationInputSchema.parse({
          candidate: { source, externalId: event.candidate.externalId },
          requisition: { source, externalId: event.requisition.externalId },
          externalIds: [{ source, id: event.application.externalId }],
          ...(event.stage ? { stage: event.stage } : {}),
        }),
      );
      return app.id;
    }
    const known = await db.externalId.findUnique({
      where: { organizationId_entity_source_externalId: { organizationId: actor.organizationId, entity: 'application', source, externalId: event.application.externalId } },
    });
    return known?.entityId ?? null;
  }

  async function cancelPending(actor: Actor, applicationId: string, why: string): Promise<number> {
    return db.$transaction(async (tx) => {
      const pending = await tx.message.findMany({ where: { organizationId: actor.organizationId, applicationId, status: { in: [...PENDING_MESSAGES] } }, select: { id: true, status: true } });
      if (pending.length === 0) return 0;
      await tx.message.updateMany({ where: { id: { in: pending.map((m) => m.id) }, status: { in: [...PENDING_MESSAGES] } }, data: { status: 'cancelled', sendAt: null } });
      await auditRepository.record(
        tx,
        actor,
        pending.map((m) => ({ action: 'message.cancelled', entity: 'message', entityId: m.id, before: { status: m.status }, after: { status: 'cancelled', reason: why } })),
      );
      return pending.length;
    });
  }

  /** Applies a mapped event; returns what was done, in a sentence, for the delivery's record. */
  async function apply(organizationId: string, provider: Provider, event: InboundEvent): Promise<{ status: 'processed' | 'ignored'; outcome: string }> {
    const actor: Actor = { organizationId, actor: `ats:${provider}` };
    if (event.kind === 'ignored') return { status: 'ignored', outcome: `${event.eventType}: ${event.reason}` };
    if (event.kind === 'merge') {
      const ids = await Promise.all(
        [event.winner, event.loser].map(async (ref) =>
          (await db.externalId.findUnique({ where: { organizationId_entity_source_externalId: { organizationId, entity: 'candidate', source: provider, externalId: ref.externalId } } }))?.entityId,
        ),
      );
      if (!ids[0] || !ids[1]) return { status: 'ignored', outcome: 'merge of candidates Hearback does not know' };
      await hiring.linkCandidates(actor, ids[0], ids[1], provider, `merge from ${provider}`);
      return { status: 'processed', outcome: `linked candidates ${ids[0]} and ${ids[1]} as one person` };
    }
    const applicationId = await application(actor, provider, event);
    if (!applicationId) return { status: 'ignored', outcome: `application ${event.application.externalId} is not known to Hearback and the payload does not describe it` };
    const record = async (kind: 'hire' | 'offer' | 'unreject' | 'advance' | 'withdraw') => {
      await decisions.record(actor, { application: { id: applicationId }, kind, source: provider, ...(event.occurredAt ? { occurredAt: event.occurredAt } : {}) });
    };
    switch (event.kind) {
      case 'hire':
      case 'offer':
        await record(event.kind);
        return { status: 'processed', outcome: `recorded ${event.kind} on application ${applicationId}` };
      case 'advance':
        await record('advance');
        return { status: 'processed', outcome: `recorded a stage change on application ${applicationId}` };
      case 'unreject':
      case 'unhire': {
        // Back in process: whatever was about to tell them otherwise is stopped.
        await record('unreject');
        const cancelled = await cancelPending(actor, applicationId, `${event.kind} from ${provider}`);
        return { status: 'processed', outcome: `application ${applicationId} active again (${event.kind}); ${cancelled} pending message(s) cancelled` };
      }
      case 'delete_application': {
        await record('withdraw');
        const cancelled = await cancelPending(actor, applicationId, `application deleted in ${provider}`);
        return { status: 'processed', outcome: `application ${applicationId} withdrawn; ${cancelled} pending message(s) cancelled` };
      }
      case 'offer_withdrawn':
        return { status: 'ignored', outcome: 'an offer withdrawal keeps the application as it is until the next decision' };
      case 'reject': {
        // A rejection is never sent from a webhook: it becomes a plan a person confirms, with every check.
        const app = found(await db.application.findUnique({ where: { id: applicationId }, select: { requisitionId: true } }), 'Application');
        const plan = await plans.create(actor, app.requisitionId, {
          chosen: [],
          targets: { mode: 'list', applicationIds: [applicationId] },
          action: 'reject',
          messageKind: 'rejection_after_interview',
          messageKinds: {},
          feedback: {},
          expiresInMinutes: 24 * 60,
        });
        const blocked = (plan as { summary?: { blocked?: number } }).summary?.blocked ?? 0;
        return { status: 'processed', outcome: `plan ${(plan as { id: string }).id} awaits confirmation${blocked ? ` (${blocked} blocked item(s))` : ''}` };
      }
    }
  }

  return {
    async createConnection(actor: Actor, input: CreateConnectionBody) {
      // Greenhouse and Ashby take a secret we can make; Lever shows its own token to paste here.
      const secret = input.secret ?? (input.provider === 'generic' ? generateSecret() : randomBytes(24).toString('base64url'));
      if (input.provider === 'lever' && !input.secret) throw new AppError('validation_failed', 'Lever makes the signature token: paste it as `secret`', { errors: [{ path: 'body.secret', message: 'required for lever' }] });
      const settings = settingsFor(input.provider, input.settings ?? {});
      return db.$transaction(async (tx) => {
        const connection = await tx.atsConnection.create({
          data: { organizationId: actor.organizationId, provider: input.provider, name: input.name, secret: sealer.seal(secret), settings },
          select: connectionColumns,
        });
        await auditRepository.record(tx, actor, [{ action: 'ats_connection.created', entity: 'organization', entityId: actor.organizationId, after: { connectionId: connection.id, provider: input.provider } }]);
        return { connection: view(connection), secret };
      });
    },

    async listConnections(organizationId: string, query: PageQuery) {
      const page = pageRequest(query);
      const rows = await db.atsConnection.findMany({ where: { organizationId, ...(page.after ? { id: { gt: page.after } } : {}) }, orderBy: { id: 'asc' }, take: page.take, select: connectionColumns });
      return toPage(rows.map(view), page);
    },

    /** Renames, enables or disables a connection, or replaces its settings (checked for its provider). */
    async updateConnection(actor: Actor, id: string, input: UpdateConnectionBody) {
      return db.$transaction(async (tx) => {
        const before = found(await tx.atsConnection.findFirst({ where: { id, organizationId: actor.organizationId }, select: connectionColumns }), 'ATS connection');
        const settings = input.settings === undefined ? undefined : settingsFor(before.provider as Provider, input.settings);
        const data = {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
          ...(settings !== undefined ? { settings } : {}),
        };
        const after = await tx.atsConnection.update({ where: { id }, data, select: connectionColumns });
        const changed = Object.keys(data) as (keyof typeof data)[];
        await auditRepository.record(tx, actor, [
          {
            action: 'ats_connection.updated',
            entity: 'organization',
            entityId: actor.organizationId,
            before: { connectionId: id, ...Object.fromEntries(changed.map((key) => [key, before[key]])) },
            after: { connectionId: id, ...Object.fromEntries(changed.map((key) => [key, after[key]])) },
          },
        ]);
        return view(after);
      });
    },

    async deleteConnection(actor: Actor, id: string) {
      found(await db.atsConnection.findFirst({ where: { id, organizationId: actor.organizationId } }), 'ATS connection');
      await db.atsConnection.delete({ where: { id } });
    },

    async deliveries(organizationId: string, filter: { connectionId?: string | undefined; status?: string | undefined }, query: PageQuery) {
      const page = pageRequest(query);
      return toPage(
        await db.inboundDelivery.findMany({
          where: { organizationId, ...(filter.connectionId ? { connectionId: filter.connectionId } : {}), ...(filter.status ? { status: filter.status } : {}), ...(page.after ? { id: { gt: page.after } } : {}) },
          orderBy: { id: 'asc' },
          take: page.take,
          select: deliveryColumns,
        }),
        page,
      );
    },

    /**
     * One delivery as received. Unsigned, wrongly signed and malformed deliveries are stored for
     * inspection and refused; duplicates are acknowledged and change nothing.
     */
    async receive(connectionId: string, raw: Buffer, headers: Headers): Promise<{ status: 'accepted' | 'duplicate'; id: string }> {
      const connection = await db.atsConnection.findUnique({ where: { id: connectionId } });
      if (!connection || !connection.enabled) throw new AppError('not_found', 'No such ATS connection');
      const keep = { 'content-type': headers['content-type'], 'user-agent': headers['user-agent'] };
      const store = async (status: 'received' | 'rejected', key: string, type: string, outcome: string | null) =>
        db.$transaction(async (tx) => {
          const rows = await tx.$queryRaw<{ id: string }[]>`
            INSERT INTO inbound_deliveries (id, organization_id, connection_id, dedupe_key, event_type, status, outcome, headers, raw_body, received_at)
            VALUES (${uuidv7()}::uuid, ${connection.organizationId}::uuid, ${connection.id}::uuid, ${key.slice(0, 300)}, ${type.slice(0, 100)}, ${status}, ${outcome},
                    ${JSON.stringify(keep)}::jsonb, ${raw.toString('utf8')}, ${now()})
            ON CONFLICT (connection_id, dedupe_key) DO NOTHING RETURNING id`;
          if (rows[0] && status === 'received') {
            await enqueueInTransaction(tx, [{ queue: 'inbound', name: 'apply', payload: { task: 'apply', inboundId: rows[0].id }, jobId: `inbound.${rows[0].id}` }]);
          }
          return rows[0]?.id ?? null;
        });
      let payload: unknown;
      try {
        payload = JSON.parse(raw.toString('utf8'));
      } catch {
        await store('rejected', `rejected:${randomUUID()}`, 'unparseable', 'The body is not JSON');
        throw new AppError('validation_failed', 'The body is not JSON');
      }
      const checked = authenticate(connection.provider as Provider, sealer.open(connection.secret), raw, headers, payload);
      if (!checked.ok) {
        await store('rejected', `rejected:${randomUUID()}`, 'unverified', checked.reason);
        throw new AppError('signature_invalid', `The delivery is not signed with this connection’s secret (${checked.reason})`);
      }
      const id = await store('received', checked.key, checked.type, null);
      if (id) return { status: 'accepted', id };
      const existing = await db.inboundDelivery.findUniqueOrThrow({ where: { connectionId_dedupeKey: { connectionId, dedupeKey: checked.key.slice(0, 300) } }, select: { id: true } });
      return { status: 'duplicate', id: existing.id };
    },

    /** The `inbound` queue's job: map and apply one delivery, recording what happened. */
    async applyDelivery(inboundId: string) {
      const delivery = await db.inboundDelivery.findUnique({ where: { id: inboundId } });
      if (!delivery || delivery.status !== 'received') return { skipped: delivery?.status ?? 'missing' };
      const connection = await db.atsConnection.findUniqueOrThrow({ where: { id: delivery.connectionId } });
      let result: { status: 'processed' | 'ignored' | 'failed'; outcome: string };
      try {
        result = await apply(delivery.organizationId, connection.provider as Provider, await map(connection, JSON.parse(delivery.rawBody)));
      } catch (error) {
        // A payload that cannot be understood, or a decision Hearback refuses, will not improve
        // with retries: recorded for a person. Anything else (database down) is retried.
        if (!(error instanceof AppError) && !(error instanceof InboundPayloadError)) throw error;
        result = { status: 'failed', outcome: `${error.code}: ${error.detail ?? error.message}`.slice(0, 2000) };
      }
      await db.inboundDelivery.update({ where: { id: inboundId }, data: { status: result.status, outcome: result.outcome.slice(0, 2000), processedAt: now() } });
      return result;
    },

    /**
     * Applies an ignored or failed delivery again, as received: back to `received` and queued
     * (with a job id of its own: the first job may still be kept by the queue). Anything else is
     * a 409: refused deliveries are never applied, processed ones were, received ones are pending.
     */
    async replayDelivery(actor: Actor, id: string) {
      return db.$transaction(async (tx) => {
        const before = found(await tx.inboundDelivery.findFirst({ where: { id, organizationId: actor.organizationId }, select: { status: true, outcome: true, connectionId: true } }), 'Inbound delivery');
        if (!(await tx.atsConnection.findUnique({ where: { id: before.connectionId }, select: { id: true } }))) {
          throw conflict('The ATS connection this delivery came through was deleted; it cannot be applied');
        }
        // Conditional, so two replays at once queue it once.
        const { count } = await tx.inboundDelivery.updateMany({
          where: { id, status: { in: REPLAYABLE } },
          data: { status: 'received', outcome: null, processedAt: null },
        });
        if (count === 0) {
          const current = (await tx.inboundDelivery.findUnique({ where: { id }, select: { status: true } }))?.status ?? before.status;
          throw conflict(`${NOT_REPLAYABLE[current] ?? `This delivery is ${current}`}; only ignored and failed deliveries can be replayed`, { deliveryStatus: current });
        }
        await enqueueInTransaction(tx, [{ queue: 'inbound', name: 'apply', payload: { task: 'apply', inboundId: id }, jobId: `inbound.${id}.replay.${uuidv7()}` }]);
        await auditRepository.record(tx, actor, [
          { action: 'inbound_delivery.replayed', entity: 'inbound_delivery', entityId: id, before: { status: before.status, outcome: before.outcome }, after: { status: 'received' } },
        ]);
        return tx.inboundDelivery.findUniqueOrThrow({ where: { id }, select: deliveryColumns });
      });
    },
  };
}
