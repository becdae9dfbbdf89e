// Applying one accepted delivery: the payload mapped to an InboundEvent (ats-inbound/providers/),
// then to Hearback's facts through the same services as the API. Hires and offers update
// applications (and so the checks), rejections become plans awaiting confirmation, un-rejects and
// un-hires cancel what is pending, merges link identities. Everything runs in the transaction the
// caller gives, so a delivery is applied whole or not at all.
import type { DbClient } from '../../db/client.js';
import { found } from '../../lib/errors.js';
import { auditRepository } from '../audit/audit.repository.js';
import type { Actor } from '../../lib/actor.js';
import type { MessageLifecycle } from '../messages/lifecycle.js';
import type { DecisionsService } from '../decisions/decisions.service.js';
import type { PlansService } from '../decisions/plans.service.js';
import { applicationsRepository } from '../hiring/applications.repository.js';
import { organizationsRepository } from '../organizations/organizations.repository.js';
import { candidatesRepository } from '../hiring/candidates.repository.js';
import { externalIdsRepository } from '../hiring/external-ids.repository.js';
import type { HiringService } from '../hiring/hiring.service.js';
import { applicationInputSchema, candidateInputSchema, requisitionInputSchema } from '../hiring/hiring.schemas.js';
import { ashbyApplicationId, mapAshby } from './providers/ashby.js';
import type { ApplicationEvent, InboundEvent } from './providers/events.js';
import { mapGeneric } from './providers/generic.js';
import { mapGreenhouse } from './providers/greenhouse.js';
import { mapLever } from './providers/lever.js';
import { InboundPayloadError } from './providers/read.js';
import type { z } from 'zod';
import { ashbyContext, leverContextFromStored } from './inbound.context.js';
import { inboundRepository } from './inbound.repository.js';
// Types only: the schemas register their OpenAPI components where the routes import them.
import type { Provider } from './inbound.schemas.js';

/**
 * An event naming records that have not arrived yet (an ATS's deliveries are applied in parallel,
 * so a merge can overtake the events that create what it merges): retried, not dropped.
 */
export class NotArrivedYet extends Error {}

export interface Applied {
  status: 'processed' | 'ignored';
  /** What was done, in a sentence, for the delivery's record. */
  outcome: string;
}

export interface ApplierDeps {
  hiring: Pick<HiringService, 'bulkUpsert' | 'linkCandidates'>;
  decisions: Pick<DecisionsService, 'record'>;
  plans: Pick<PlansService, 'create'>;
  /** An un-reject, un-hire or deleted application cancels what has not left. */
  messageLifecycle: Pick<MessageLifecycle, 'cancelPending'>;
  now: () => Date;
}

/** A value for Hearback's own schema, or an InboundPayloadError naming the event's field (never a bare ZodError). */
function parsed<Schema extends z.ZodType>(schema: Schema, value: unknown, path: string): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({ path: [path, ...issue.path.map(String)].join('.'), message: issue.message }));
  throw new InboundPayloadError(errors[0]!.path, errors[0]!.message, errors);
}

export function createApplier({ hiring, decisions, plans, messageLifecycle: messages, now }: ApplierDeps) {
  /** The application behind an event, made or updated from what the payload carries. */
  async function application(tx: DbClient, actor: Actor, source: string, event: ApplicationEvent): Promise<{ id: string | null; candidateErased: boolean }> {
    const candidateErased = event.candidate ? await erased(tx, actor.organizationId, source, event.candidate.externalId) : false;
    if (event.candidate && event.candidate.emails.length > 0 && event.requisition && !candidateErased) {
      const { candidate, requisition } = event;
      const upserted = await hiring.bulkUpsert(
        actor,
        {
          requisitions: [
            parsed(
              requisitionInputSchema,
              { title: requisition.title ?? `Requisition ${requisition.externalId}`, externalIds: [{ source, id: requisition.externalId }] },
              'requisition',
            ),
          ],
          candidates: [
            parsed(
              candidateInputSchema,
              { name: candidate.name ?? candidate.emails[0], emails: candidate.emails.slice(0, 10), externalIds: [{ source, id: candidate.externalId }] },
              'candidate',
            ),
          ],
          applications: [
            parsed(
              applicationInputSchema,
              {
                candidate: { source, externalId: candidate.externalId },
                requisition: { source, externalId: requisition.externalId },
                externalIds: [{ source, id: event.application.externalId }],
                ...(event.stage ? { stage: event.stage } : {}),
              },
              'application',
            ),
          ],
        },
        tx,
        // An application first seen moving forward has just arrived: it may be acknowledged.
        { acknowledge: event.kind === 'advance' },
      );
      return { id: upserted.applications[0]!.id, candidateErased };
    }
    // Only pointed at (or its candidate was erased: what the payload says about them is not taken).
    return { id: await externalIdsRepository.resolve(tx, actor.organizationId, 'application', { source, id: event.application.externalId }), candidateErased };
  }

  /** True when this ATS candidate's Hearback record was erased: it stays erased (hiring's candidate_erased). */
  async function erased(tx: DbClient, organizationId: string, source: string, externalId: string): Promise<boolean> {
    const id = await externalIdsRepository.resolve(tx, organizationId, 'candidate', { source, id: externalId });
    return id !== null && (await candidatesRepository.erased(tx, organizationId, [id])).length > 0;
  }

  async function cancelPending(tx: DbClient, actor: Actor, applicationId: string, why: string): Promise<number> {
    const pending = await inboundRepository.pendingMessages(tx, actor.organizationId, applicationId);
    if (pending.length === 0) return 0;
    const cancelled = new Set(
      await messages.cancelPending(
        tx,
        pending.map((m) => m.id),
      ),
    );
    await auditRepository.record(
      tx,
      actor,
      pending
        .filter((m) => cancelled.has(m.id))
        .map((m) => ({ action: 'message.cancelled', entity: 'message', entityId: m.id, before: { status: m.status }, after: { status: 'cancelled', reason: why } })),
    );
    return cancelled.size;
  }

  return {
    /** The payload as an event, with what the provider leaves out: Lever's settings, Ashby's past status. */
    async map(tx: DbClient, connection: { organizationId: string; provider: string; settings: unknown }, payload: unknown): Promise<InboundEvent> {
      switch (connection.provider as Provider) {
        case 'greenhouse':
          return mapGreenhouse(payload);
        case 'lever':
          return mapLever(payload, leverContextFromStored(connection.settings));
        case 'ashby':
          return mapAshby(payload, await ashbyContext(tx, connection.organizationId, ashbyApplicationId(payload), now()));
        case 'generic':
          return mapGeneric(payload);
      }
    },

    /** `lastAttempt`: no retry follows, so what has still not arrived is ignored (and can be replayed). */
    async apply(tx: DbClient, organizationId: string, provider: Provider, event: InboundEvent, { lastAttempt = true }: { lastAttempt?: boolean } = {}): Promise<Applied> {
      const actor: Actor = { organizationId, actor: `ats:${provider}` };
      if (event.kind === 'ignored') return { status: 'ignored', outcome: `${event.eventType}: ${event.reason}` };
      if (event.kind === 'merge') {
        const ids = await Promise.all(
          [event.winner, event.loser].map((ref) => externalIdsRepository.resolve(tx, organizationId, 'candidate', { source: provider, id: ref.externalId })),
        );
        if (!ids[0] || !ids[1]) {
          // Two records one person: dropping the merge could tell them twice. Wait for the records.
          if (!lastAttempt) throw new NotArrivedYet('merge of candidates Hearback does not know yet; retried until they arrive');
          return { status: 'ignored', outcome: 'merge of candidates Hearback does not know (waited for them through every retry; replay it once they exist)' };
        }
        if ((await candidatesRepository.erased(tx, organizationId, [ids[0], ids[1]])).length > 0) {
          return { status: 'ignored', outcome: 'merge of candidates one of which was erased in Hearback: an erased record is never linked again' };
        }
        await hiring.linkCandidates(actor, ids[0], ids[1], provider, `merge from ${provider}`, tx);
        return { status: 'processed', outcome: `linked candidates ${ids[0]} and ${ids[1]} as one person` };
      }
      const { id: applicationId, candidateErased } = await application(tx, actor, provider, event);
      if (!applicationId) {
        return {
          status: 'ignored',
          outcome: candidateErased
            ? `application ${event.application.externalId} is new, and its candidate ${event.candidate?.externalId ?? ''} was erased in Hearback: nothing about them is taken again`
            : `application ${event.application.externalId} is not known to Hearback and the payload does not describe it`,
        };
      }
      const record = async (kind: 'hire' | 'offer' | 'unreject' | 'advance' | 'withdraw') => {
        await decisions.record(actor, { application: { id: applicationId }, kind, source: provider, ...(event.occurredAt ? { occurredAt: event.occurredAt } : {}) }, tx);
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
          const cancelled = await cancelPending(tx, actor, applicationId, `${event.kind} from ${provider}`);
          return { status: 'processed', outcome: `application ${applicationId} active again (${event.kind}); ${cancelled} pending message(s) cancelled` };
        }
        case 'delete_application': {
          await record('withdraw');
          const cancelled = await cancelPending(tx, actor, applicationId, `application deleted in ${provider}`);
          return { status: 'processed', outcome: `application ${applicationId} withdrawn; ${cancelled} pending message(s) cancelled` };
        }
        case 'offer_withdrawn':
          return { status: 'ignored', outcome: 'an offer withdrawal keeps the application as it is until the next decision' };
        case 'reject': {
          // A rejection is never sent from a webhook: it becomes a plan a person confirms, with every check.
          const app = found(await applicationsRepository.find(tx, organizationId, applicationId), 'Application');
          const plan = await plans.create(
            actor,
            app.requisitionId,
            {
              chosen: [],
              targets: { mode: 'list', applicationIds: [applicationId] },
              action: 'reject',
              messageKind: 'rejection_after_interview',
              messageKinds: {},
              feedback: {},
              recipientApplicationIds: [],
              // The organization's window for plans from its ATS (nobody is at the screen when it arrives).
              expiresInMinutes: (await organizationsRepository.atsPlanExpiryHours(tx, organizationId)) * 60,
            },
            tx,
          );
          const blocked = plan.summary.blocked;
          // The ATS's reason, for whoever confirms the plan (read back from the ATS when the connection has credentials).
          const why = event.reason ? `; reason in ${provider}: “${event.reason.slice(0, 200)}”${event.rejectedBy ? ` (rejected by the ${event.rejectedBy})` : ''}` : '';
          return { status: 'processed', outcome: `plan ${plan.id} awaits confirmation${blocked ? ` (${blocked} blocked item(s))` : ''}${why}` };
        }
      }
    },
  };
}
