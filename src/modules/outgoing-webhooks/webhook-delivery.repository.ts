// SQL of events and their deliveries: storing what is emitted, the pump's reads, and its writes
// (attempts and the deliveries' new states, many in one statement: they run for every delivery,
// and one statement per attempt was most of what a delivery cost); resends and recoveries.
import { newId } from '../../lib/ids.js';
import type { DbClient } from '../../db/client.js';
import { runSql, statement } from '../../db/sql.js';
import type { Prisma, WebhookDelivery } from '../../generated/prisma/client.js';

export interface AttemptRecord {
  deliveryId: string;
  /** The delivery's updatedAt when it was read: a resend since then keeps its own state. */
  loadedAt: Date;
  attemptedAt: Date;
  outcome: 'succeeded' | 'retry' | 'failed' | 'disabled';
  statusCode: number | null;
  latencyMs: number;
  responseBody: string | null;
  error: string | null;
  attempts: number;
  state: 'pending' | 'succeeded' | 'failed';
  nextAttemptAt: Date | null;
}

export interface StoredEvent {
  id: string;
  type: string;
  payload: Prisma.InputJsonValue;
}

/** A due delivery as the pump sends it: what an attempt reads, with its event's payload. */
export type DueDelivery = Pick<WebhookDelivery, 'id' | 'eventId' | 'attempts' | 'nextAttemptAt' | 'updatedAt'> & { payload: unknown };

// The pump's two statements, through the pool (they run for every delivery; Prisma's own CPU
// per statement and per row was a large part of a fast endpoint's cost).
const dueStatement = statement(
  'webhook-deliveries-due',
  // The keyset's lower bound is an index condition (next_attempt_at >= $3), so a round starts
  // where the last one stopped instead of scanning its rows again.
  `SELECT d.id, d.event_id AS "eventId", d.attempts, d.next_attempt_at AS "nextAttemptAt", d.updated_at AS "updatedAt", e.payload
   FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
   WHERE d.endpoint_id = $1::uuid AND d.status = 'pending' AND d.next_attempt_at <= $2 AND d.next_attempt_at >= $3::timestamptz
     AND (d.next_attempt_at > $3::timestamptz OR d.id > $4::uuid)
   ORDER BY d.next_attempt_at, d.id
   LIMIT $5::int`,
);

const recordAttemptsStatement = statement(
  'webhook-attempts-record',
  `WITH input AS (
     SELECT * FROM unnest($3::uuid[], $4::uuid[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::int[], $9::int[], $10::text[], $11::text[], $12::int[], $13::text[], $14::timestamptz[])
       AS t(id, delivery_id, loaded_at, attempted_at, outcome, status_code, latency_ms, response_body, error, attempts, state, next_attempt_at)
   ), logged AS (
     INSERT INTO webhook_attempts (id, organization_id, endpoint_id, delivery_id, attempted_at, outcome, status_code, latency_ms, response_body, error)
     SELECT id, $1::uuid, $2::uuid, delivery_id, attempted_at, outcome, status_code, latency_ms, response_body, error FROM input
   )
   UPDATE webhook_deliveries d SET attempts = i.attempts, last_attempt_at = i.attempted_at, last_status_code = i.status_code, status = i.state,
     next_attempt_at = i.next_attempt_at, updated_at = i.attempted_at
   FROM input i
   WHERE d.id = i.delivery_id AND d.updated_at = i.loaded_at`,
);

/** Below any uuid: the keyset's start when a run has not sent anything yet. */
const NO_ID = '00000000-0000-0000-0000-000000000000';

/** Back to pending, due at `at`, its attempts counted afresh. */
const again = (at: Date) => ({ status: 'pending', nextAttemptAt: at, attempts: 0 });

export const webhookDeliveryRepository = {
  /** Events and their deliveries (each due now). */
  async store(db: DbClient, organizationId: string, events: StoredEvent[], deliveries: { id: string; endpointId: string; eventId: string }[], now: Date): Promise<void> {
    // Set-based: a fan-out of 1,000 events took Prisma's createMany ~20× as long.
    if (events.length > 0) {
      await db.$executeRaw`
        INSERT INTO webhook_events (id, organization_id, type, payload)
        SELECT id, ${organizationId}::uuid, type, payload::jsonb
        FROM unnest(${events.map((e) => e.id)}::uuid[], ${events.map((e) => e.type)}::text[], ${events.map((e) => JSON.stringify(e.payload))}::text[]) AS e(id, type, payload)`;
    }
    if (deliveries.length > 0) {
      await db.$executeRaw`
        INSERT INTO webhook_deliveries (id, organization_id, endpoint_id, event_id, next_attempt_at, updated_at)
        SELECT id, ${organizationId}::uuid, endpoint_id, event_id, ${now}, ${now}
        FROM unnest(${deliveries.map((d) => d.id)}::uuid[], ${deliveries.map((d) => d.endpointId)}::uuid[], ${deliveries.map((d) => d.eventId)}::uuid[]) AS d(id, endpoint_id, event_id)`;
    }
  },

  find: (db: DbClient, organizationId: string, id: string) => db.webhookDelivery.findFirst({ where: { id, organizationId } }),

  resend: (db: DbClient, id: string, at: Date) => db.webhookDelivery.update({ where: { id }, data: again(at) }),

  /** An endpoint's failed or cancelled deliveries made since `since`, pending again; their ids. */
  async recover(db: DbClient, endpointId: string, since: Date, at: Date): Promise<string[]> {
    const ids = (await db.webhookDelivery.findMany({ where: { endpointId, status: { in: ['failed', 'cancelled'] }, createdAt: { gte: since } }, select: { id: true } })).map(
      (r) => r.id,
    );
    await db.webhookDelivery.updateMany({ where: { id: { in: ids } }, data: again(at) });
    return ids;
  },

  /** What was still to go to an endpoint that takes nothing any more. */
  cancelPending: (db: DbClient, endpointId: string) =>
    db.webhookDelivery.updateMany({ where: { endpointId, status: 'pending' }, data: { status: 'cancelled', nextAttemptAt: null } }),

  /**
   * An endpoint's due deliveries with their payloads, earliest first, from where a run left off
   * (`after`): the index entries of rows just sent stay until vacuum, and scanning them again on
   * every round made long backlogs quadratic.
   */
  due: (db: DbClient, endpointId: string, now: Date, after: { at: Date; id: string } | null, take: number): Promise<DueDelivery[]> =>
    runSql<DueDelivery>(db, dueStatement, [endpointId, now, after?.at ?? '-infinity', after?.id ?? NO_ID, take]),

  /** When the endpoint's next pending delivery is due, if it has one. */
  nextDueAt: async (db: DbClient, endpointId: string) =>
    (await db.webhookDelivery.findFirst({ where: { endpointId, status: 'pending' }, orderBy: { nextAttemptAt: 'asc' }, select: { nextAttemptAt: true } }))?.nextAttemptAt ?? null,

  /**
   * Pending deliveries due before `before` (their job was lost), locked and made due at `at`:
   * how many, and their endpoints.
   */
  async takeStale(db: DbClient, before: Date, at: Date, limit: number): Promise<{ count: number; endpointIds: string[] }> {
    const stale = await db.$queryRaw<{ id: string }[]>`
      SELECT id FROM webhook_deliveries
      WHERE status = 'pending' AND next_attempt_at < ${before}
      ORDER BY next_attempt_at LIMIT ${limit}::int FOR UPDATE SKIP LOCKED`;
    if (stale.length === 0) return { count: 0, endpointIds: [] };
    const ids = stale.map((s) => s.id);
    await db.webhookDelivery.updateMany({ where: { id: { in: ids } }, data: { nextAttemptAt: at } });
    const endpoints = await db.webhookDelivery.findMany({ where: { id: { in: ids } }, distinct: ['endpointId'], select: { endpointId: true } });
    return { count: stale.length, endpointIds: endpoints.map((e) => e.endpointId) };
  },

  /**
   * Logs the attempts (always) and moves each delivery to its new state, unless it was changed
   * since the pump read it (resent or recovered meanwhile: that newer request stands).
   */
  async recordAttempts(db: DbClient, scope: { organizationId: string; endpointId: string }, records: AttemptRecord[]): Promise<void> {
    if (records.length === 0) return;
    await runSql(db, recordAttemptsStatement, [
      scope.organizationId,
      scope.endpointId,
      records.map(() => newId()),
      records.map((r) => r.deliveryId),
      records.map((r) => r.loadedAt),
      records.map((r) => r.attemptedAt),
      records.map((r) => r.outcome),
      records.map((r) => r.statusCode),
      records.map((r) => r.latencyMs),
      records.map((r) => r.responseBody),
      records.map((r) => r.error),
      records.map((r) => r.attempts),
      records.map((r) => r.state),
      records.map((r) => r.nextAttemptAt),
    ]);
  },
};
