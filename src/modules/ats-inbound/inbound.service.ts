// ATS webhooks into Hearback. Receiving is fast and careful: the raw body is verified with the
// connection's secret, stored (refusals too, for inspection), deduplicated on what the signature
// covers (inbound.verify.ts), acknowledged, and applied later by the `inbound` queue, in one
// transaction (inbound.apply.ts). Unknown event types are acknowledged and recorded, never
// failed. A delivery that cannot be applied ends `failed` with the reason, never stuck
// `received`; an ignored or failed one can be replayed (after a Lever connection gets its
// archive reasons, say). Connections themselves are set up in ats-connections.service.ts.
import { randomUUID } from 'node:crypto';
import { newId } from '../../lib/ids.js';
import { pgErrorCode, type PrismaClient } from '../../db/client.js';
import type { Sealer } from '../../lib/crypto.js';
import { AppError, conflict, found } from '../../lib/errors.js';
import { pageRequest, toPage, type PageQuery } from '../../lib/pagination.js';
import { enqueueInTransaction } from '../../queue/outbox.js';
import { auditRepository } from '../audit/audit.repository.js';
import type { Actor } from '../../lib/actor.js';
import { unstorableText } from './providers/events.js';
import { InboundPayloadError } from './providers/read.js';
import { createApplier, type ApplierDeps } from './inbound.apply.js';
import { inboundRepository, type DeliveryFilter } from './inbound.repository.js';
// Types only: the schemas register their OpenAPI components where the routes import them.
import type { Provider } from './inbound.schemas.js';
import { verifyDelivery } from './inbound.verify.js';
import type { AtsWritebackService } from '../ats-writeback/writeback.service.js';
import { registeredSigningTokens } from '../ats-writeback/writeback.schemas.js';

/** Long enough for a rejection's plan on a busy machine; a delivery touches one application. */
const APPLY_TRANSACTION = { timeout: 60_000, maxWait: 10_000 };

const CONNECTION_DELETED = 'The ATS connection this delivery came through was deleted';
/** What a replay can start again: a refused delivery is never applied, and the others are done or under way. */
const REPLAYABLE = ['ignored', 'failed'];
const NOT_REPLAYABLE: Record<string, string> = {
  processed: 'This delivery was applied already',
  received: 'This delivery is still waiting to be applied',
  rejected: 'This delivery was refused (unsigned, wrongly signed or not JSON) and is never applied',
};

type Headers = Record<string, string | string[] | undefined>;

export type InboundService = ReturnType<typeof createInboundService>;

export function createInboundService(
  deps: Omit<ApplierDeps, 'now'> & {
    db: PrismaClient;
    sealer: Sealer;
    /** How old a Lever signature may be (its triggeredAt). */
    leverMaxAgeSeconds: number;
    /** What is kept of refused deliveries: how many per connection, and how much of each body. */
    refusals: { kept: number; bodyBytes: number };
    /** With the connection's API credentials, the event as the ATS confirms it (null without credentials). */
    readBack?: Pick<AtsWritebackService, 'readBack'>['readBack'];
    now?: () => Date;
  },
) {
  const { db, sealer, leverMaxAgeSeconds, refusals, readBack, now = () => new Date() } = deps;
  const applier = createApplier({ ...deps, now });

  return {
    /** Bodies only with `withRawBody` (admin keys): they hold candidates' details. */
    async deliveries(organizationId: string, filter: DeliveryFilter, query: PageQuery, { withRawBody }: { withRawBody: boolean }) {
      const page = pageRequest(query);
      return toPage(await inboundRepository.listDeliveries(db, organizationId, filter, page, { withRawBody }), page);
    },

    /**
     * One delivery as received. Unsigned, wrongly signed and malformed deliveries are refused and
     * recorded for inspection, boundedly (the start of the body; the connection's latest only):
     * anyone can post them. A signature already accepted is acknowledged as a duplicate and
     * changes nothing, whatever else came with it (inbound.verify.ts).
     */
    async receive(connectionId: string, raw: Buffer, headers: Headers): Promise<{ status: 'accepted'; id: string } | { status: 'duplicate' }> {
      const connection = await inboundRepository.connection(db, connectionId);
      if (!connection || !connection.enabled) throw new AppError('not_found', 'No such ATS connection');
      const delivery = (fields: { status: 'received' | 'rejected'; dedupeKey: string; eventType: string; outcome: string | null; rawBody: string }) => ({
        ...fields,
        organizationId: connection.organizationId,
        connectionId: connection.id,
        headers: { 'content-type': headers['content-type']?.slice(0, 300), 'user-agent': headers['user-agent']?.slice(0, 300) },
        receivedAt: now(),
      });
      const refuse = async (eventType: 'unparseable' | 'unverified', reason: string) => {
        const kept = raw.subarray(0, refusals.bodyBytes);
        const outcome = kept.length < raw.length ? `${reason} (a body of ${raw.length} bytes, the first ${kept.length} kept)` : reason;
        await db.$transaction(async (tx) => {
          const rawBody = kept.toString('utf8').replaceAll('\u0000', '\ufffd');
          await inboundRepository.insertDelivery(tx, delivery({ status: 'rejected', dedupeKey: `rejected:${randomUUID()}`, eventType, outcome, rawBody }));
          await inboundRepository.pruneRefusals(tx, connection.id, refusals.kept);
        });
      };

      let payload: unknown;
      try {
        payload = JSON.parse(raw.toString('utf8'));
      } catch {
        await refuse('unparseable', 'The body is not JSON');
        throw new AppError('validation_failed', 'The body is not JSON');
      }
      // Lever webhooks registered through its API each sign with their own token; the others with the connection's secret.
      const leverTokens = connection.provider === 'lever' ? registeredSigningTokens(connection.webhookRegistrations) : null;
      const checked = verifyDelivery(connection.provider as Provider, sealer.open(connection.secret), raw, headers, payload, {
        now: now(),
        leverMaxAgeSeconds,
        ...(leverTokens ? { leverTokens: (event: string) => (leverTokens.has(event) ? sealer.open(leverTokens.get(event)!) : null) } : {}),
      });
      if (!checked.ok) {
        await refuse('unverified', checked.reason);
        throw new AppError('signature_invalid', `The delivery is not signed with this connection’s secret (${checked.reason})`);
      }
      const id = await db.$transaction(async (tx) => {
        if (checked.neverExpires && !(await inboundRepository.rememberReplayKey(tx, connection.id, checked.replayKey, now()))) return null;
        const stored = await inboundRepository.insertDelivery(
          tx,
          delivery({ status: 'received', dedupeKey: checked.replayKey, eventType: checked.eventType, outcome: null, rawBody: checked.storedBody }),
        );
        if (stored) await enqueueInTransaction(tx, [{ queue: 'inbound', name: 'apply', payload: { task: 'apply', inboundId: stored }, jobId: `inbound.${stored}` }]);
        return stored;
      });
      return id ? { status: 'accepted', id } : { status: 'duplicate' };
    },

    /**
     * The `inbound` queue's job: map and apply one delivery and record what happened, in one
     * transaction. What retrying cannot fix (a payload Hearback cannot read or store, a decision
     * it refuses) ends `failed` at once; anything else (the database away) is retried, and ends
     * `failed` on the `lastAttempt` — never left `received` for good. Both can be replayed.
     */
    async applyDelivery(inboundId: string, { lastAttempt = false }: { lastAttempt?: boolean } = {}) {
      const delivery = await inboundRepository.delivery(db, inboundId);
      if (!delivery || delivery.status !== 'received') return { skipped: delivery?.status ?? 'missing' };
      const connection = await inboundRepository.connection(db, delivery.connectionId);
      if (!connection) {
        // Deleted since: it will not come back, and a replay is refused for the same reason.
        const result = { status: 'failed' as const, outcome: `${CONNECTION_DELETED}; it cannot be applied` };
        await inboundRepository.finishDelivery(db, inboundId, result, now());
        return result;
      }
      try {
        // Read back from the ATS before the transaction, never inside it: an event the ATS
        // contradicts is refused, and a confirmed one is applied with the ATS's ids.
        const checked = readBack && connection.apiCredentials !== null ? await readBack(connection, await applier.map(db, connection, JSON.parse(delivery.rawBody))) : null;
        if (checked?.verdict === 'refused') {
          const result = { status: 'failed' as const, outcome: `refused: ${checked.reason}` };
          await inboundRepository.finishDelivery(db, inboundId, result, now());
          return result;
        }
        const applied = await db.$transaction(async (tx) => {
          // Locked, so a replay and a late retry cannot apply it twice.
          if (!(await inboundRepository.lockReceived(tx, inboundId))) return null;
          const event = checked ? checked.event : await applier.map(tx, connection, JSON.parse(delivery.rawBody));
          const unstorable = unstorableText(event);
          if (unstorable) throw new InboundPayloadError(unstorable.path, unstorable.problem);
          const applied = await applier.apply(tx, delivery.organizationId, connection.provider as Provider, event, { lastAttempt });
          const result = checked ? { ...applied, outcome: `${applied.outcome} (read back from ${connection.provider})` } : applied;
          await inboundRepository.finishDelivery(tx, inboundId, result, now());
          return result;
        }, APPLY_TRANSACTION);
        return applied ?? { skipped: 'applied meanwhile' };
      } catch (error) {
        const reason = permanentFailure(error) ?? (lastAttempt ? 'could not be applied: a temporary error outlasted every retry; replay it when the service is healthy' : null);
        if (reason === null) throw error;
        const result = { status: 'failed' as const, outcome: reason };
        await inboundRepository.finishDelivery(db, inboundId, result, now());
        return result;
      }
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
          throw conflict(`${CONNECTION_DELETED}; it cannot be applied`);
        }
        // Conditional, so two replays at once queue it once.
        if ((await inboundRepository.reopenDelivery(tx, id, REPLAYABLE)) === 0) {
          const current = (await inboundRepository.deliveryStatus(tx, id)) ?? before.status;
          throw conflict(`${NOT_REPLAYABLE[current] ?? `This delivery is ${current}`}; only ignored and failed deliveries can be replayed`, { deliveryStatus: current });
        }
        await enqueueInTransaction(tx, [{ queue: 'inbound', name: 'apply', payload: { task: 'apply', inboundId: id }, jobId: `inbound.${id}.replay.${newId()}` }]);
        await auditRepository.record(tx, actor, [
          {
            action: 'inbound_delivery.replayed',
            entity: 'inbound_delivery',
            entityId: id,
            before: { status: before.status, outcome: before.outcome },
            after: { status: 'received' },
          },
        ]);
        return inboundRepository.deliveryView(tx, id);
      });
    },
  };
}

/** Why retrying cannot help, or null: what Hearback refuses, and values PostgreSQL cannot store (SQLSTATE class 22). */
function permanentFailure(error: unknown): string | null {
  if (error instanceof AppError) return `${error.code}: ${error.detail ?? error.message}`;
  const sqlState = pgErrorCode(error);
  return sqlState?.startsWith('22') ? `validation_failed: a value of the payload cannot be stored (SQLSTATE ${sqlState})` : null;
}
