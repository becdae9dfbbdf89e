// ATS webhooks into Hearback. Receiving is fast and careful: the raw body is verified with the
// connection's secret, stored (refusals too, for inspection), deduplicated on what the signature
// covers (inbound.verify.ts), acknowledged, and applied later by the `inbound` queue. Applying maps the
// payload to Hearback's facts (modules/webhooks/inbound/) and goes through the same services as
// the API: hires and offers update applications (and so the checks), rejections become plans
// awaiting confirmation and approval, un-rejects and un-hires cancel what is pending, merges link
// identities. Unknown event types are acknowledged and recorded, never failed. An ignored or
// failed delivery can be replayed (after a Lever connection gets its archive reasons, say).
// Connections themselves are set up in ats-connections.service.ts.
import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { PrismaClient } from '../../db/client.js';
import type { Sealer } from '../../lib/crypto.js';
import { AppError, conflict, found } from '../../lib/errors.js';
import { pageRequest, toPage, type PageQuery } from '../../lib/pagination.js';
import { enqueueInTransaction } from '../../queue/outbox.js';
import { auditRepository, type Actor } from '../audit/audit.repository.js';
import type { DecisionsService } from '../decisions/decisions.service.js';
import type { PlansService } from '../decisions/plans.service.js';
import { applicationsRepository } from '../hiring/applications.repository.js';
import { externalIdsRepository } from '../hiring/external-ids.repository.js';
import type { HiringService } from '../hiring/hiring.service.js';
import { applicationInputSchema, candidateInputSchema, requisitionInputSchema } from '../hiring/hiring.schemas.js';
import { ashbyApplicationId, mapAshby } from '../webhooks/inbound/ashby.js';
import type { InboundEvent } from '../webhooks/inbound/events.js';
import { mapGeneric } from '../webhooks/inbound/generic.js';
import { mapGreenhouse } from '../webhooks/inbound/greenhouse.js';
import { mapLever } from '../webhooks/inbound/lever.js';
import { InboundPayloadError } from '../webhooks/inbound/read.js';
import { ashbyContext, leverContextFromStored } from './inbound.context.js';
import { inboundRepository, type DeliveryFilter } from './inbound.repository.js';
// Types only: the schemas register their OpenAPI components where the routes import them.
import type { Provider } from './inbound.schemas.js';
import { verifyDelivery } from './inbound.verify.js';
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
  /** How old a Lever signature may be (its triggeredAt). */
  leverMaxAgeSeconds: number;
  now?: () => Date;
}) {
  const { db, sealer, hiring, decisions, plans, leverMaxAgeSeconds, now = () => new Date() } = deps;

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
    return externalIdsRepository.resolve(db, actor.organizationId, 'application', { source, id: event.application.externalId });
  }

  async function cancelPending(actor: Actor, applicationId: string, why: string): Promise<number> {
    return db.$transaction(async (tx) => {
      const pending = await inboundRepository.pendingMessages(tx, actor.organizationId, applicationId);
      if (pending.length === 0) return 0;
      await inboundRepository.cancelMessages(tx, pending.map((m) => m.id));
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
      const ids = await Promise.all([event.winner, event.loser].map((ref) => externalIdsRepository.resolve(db, organizationId, 'candidate', { source: provider, id: ref.externalId })));
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
        const app = found(await applicationsRepository.find(db, organizationId, applicationId), 'Application');
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
    /** Bodies only with `withRawBody` (admin keys): they hold candidates' details. */
    async deliveries(organizationId: string, filter: DeliveryFilter, query: PageQuery, { withRawBody }: { withRawBody: boolean }) {
      const page = pageRequest(query);
      return toPage(await inboundRepository.listDeliveries(db, organizationId, filter, page, { withRawBody }), page);
    },

    /**
     * One delivery as received. Unsigned, wrongly signed and malformed deliveries are stored for
     * inspection and refused. A signature already accepted is acknowledged as a duplicate and
     * changes nothing, whatever else came with it (inbound.verify.ts).
     */
    async receive(connectionId: string, raw: Buffer, headers: Headers): Promise<{ status: 'accepted'; id: string } | { status: 'duplicate' }> {
      const connection = await inboundRepository.connection(db, connectionId);
      if (!connection || !connection.enabled) throw new AppError('not_found', 'No such ATS connection');
      const keep = { 'content-type': headers['content-type'], 'user-agent': headers['user-agent'] };
      const store = async (status: 'received' | 'rejected', key: string, type: string, outcome: string | null, body = raw.toString('utf8'), remember = false) =>
        db.$transaction(async (tx) => {
          if (remember && !(await inboundRepository.rememberReplayKey(tx, connection.id, key, now()))) return null;
          const id = await inboundRepository.insertDelivery(tx, {
            organizationId: connection.organizationId,
            connectionId: connection.id,
            dedupeKey: key,
            eventType: type.slice(0, 100),
            status,
            outcome,
            headers: keep,
            rawBody: body,
            receivedAt: now(),
          });
          if (id && status === 'received') {
            await enqueueInTransaction(tx, [{ queue: 'inbound', name: 'apply', payload: { task: 'apply', inboundId: id }, jobId: `inbound.${id}` }]);
          }
          return id;
        });
      let payload: unknown;
      try {
        payload = JSON.parse(raw.toString('utf8'));
      } catch {
        await store('rejected', `rejected:${randomUUID()}`, 'unparseable', 'The body is not JSON');
        throw new AppError('validation_failed', 'The body is not JSON');
      }
      const checked = verifyDelivery(connection.provider as Provider, sealer.open(connection.secret), raw, headers, payload, { now: now(), leverMaxAgeSeconds });
      if (!checked.ok) {
        await store('rejected', `rejected:${randomUUID()}`, 'unverified', checked.reason);
        throw new AppError('signature_invalid', `The delivery is not signed with this connection’s secret (${checked.reason})`);
      }
      const id = await store('received', checked.replayKey, checked.eventType, null, checked.storedBody, checked.neverExpires);
      return id ? { status: 'accepted', id } : { status: 'duplicate' };
    },

    /** The `inbound` queue's job: map and apply one delivery, recording what happened. */
    async applyDelivery(inboundId: string) {
      const delivery = await inboundRepository.delivery(db, inboundId);
      if (!delivery || delivery.status !== 'received') return { skipped: delivery?.status ?? 'missing' };
      const connection = await inboundRepository.connectionOfDelivery(db, delivery.connectionId);
      let result: { status: 'processed' | 'ignored' | 'failed'; outcome: string };
      try {
        result = await apply(delivery.organizationId, connection.provider as Provider, await map(connection, JSON.parse(delivery.rawBody)));
      } catch (error) {
        // A payload that cannot be understood, or a decision Hearback refuses, will not improve
        // with retries: recorded for a person. Anything else (database down) is retried.
        if (!(error instanceof AppError) && !(error instanceof InboundPayloadError)) throw error;
        result = { status: 'failed', outcome: `${error.code}: ${error.detail ?? error.message}`.slice(0, 2000) };
      }
      await inboundRepository.finishDelivery(db, inboundId, { status: result.status, outcome: result.outcome.slice(0, 2000) }, now());
      return result;
    },

    /**
     * Applies an ignored or failed delivery again, as received: back to `received` and queued
     * (with a job id of its own: the first job may still be kept by the queue). Anything else is
     * a 409: refused deliveries are never applied, processed ones were, received ones are pending.
     */
    async replayDelivery(actor: Actor, id: string) {
      return db.$transaction(async (tx) => {
        const before = found(await inboundRepository.findDelivery(tx, actor.organizationId, id), 'Inbound delivery');
        if (!(await inboundRepository.connection(tx, before.connectionId))) {
          throw conflict('The ATS connection this delivery came through was deleted; it cannot be applied');
        }
        // Conditional, so two replays at once queue it once.
        if ((await inboundRepository.reopenDelivery(tx, id, REPLAYABLE)) === 0) {
          const current = (await inboundRepository.deliveryStatus(tx, id)) ?? before.status;
          throw conflict(`${NOT_REPLAYABLE[current] ?? `This delivery is ${current}`}; only ignored and failed deliveries can be replayed`, { deliveryStatus: current });
        }
        await enqueueInTransaction(tx, [{ queue: 'inbound', name: 'apply', payload: { task: 'apply', inboundId: id }, jobId: `inbound.${id}.replay.${uuidv7()}` }]);
        await auditRepository.record(tx, actor, [
          { action: 'inbound_delivery.replayed', entity: 'inbound_delivery', entityId: id, before: { status: before.status, outcome: before.outcome }, after: { status: 'received' } },
        ]);
        return inboundRepository.deliveryView(tx, id);
      });
    },
  };
}
