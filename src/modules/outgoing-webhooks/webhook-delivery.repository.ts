// The pump's writes: attempts and the deliveries' new states, many in one statement. They run
// for every delivery, and one statement per attempt was most of what a delivery cost.
import { v7 as uuidv7 } from 'uuid';
import type { DbClient } from '../../db/client.js';

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

export const webhookDeliveryRepository = {
  /**
   * Logs the attempts (always) and moves each delivery to its new state, unless it was changed
   * since the pump read it (resent or recovered meanwhile: that newer request stands).
   */
  async recordAttempts(db: DbClient, scope: { organizationId: string; endpointId: string }, records: AttemptRecord[]): Promise<void> {
    if (records.length === 0) return;
    await db.$executeRaw`
      WITH input AS (
        SELECT * FROM unnest(${records.map(() => uuidv7())}::uuid[], ${records.map((r) => r.deliveryId)}::uuid[], ${records.map((r) => r.loadedAt)}::timestamptz[],
                             ${records.map((r) => r.attemptedAt)}::timestamptz[], ${records.map((r) => r.outcome)}::text[], ${records.map((r) => r.statusCode)}::int[],
                             ${records.map((r) => r.latencyMs)}::int[], ${records.map((r) => r.responseBody)}::text[], ${records.map((r) => r.error)}::text[],
                             ${records.map((r) => r.attempts)}::int[], ${records.map((r) => r.state)}::text[], ${records.map((r) => r.nextAttemptAt)}::timestamptz[])
          AS t(id, delivery_id, loaded_at, attempted_at, outcome, status_code, latency_ms, response_body, error, attempts, state, next_attempt_at)
      ), logged AS (
        INSERT INTO webhook_attempts (id, organization_id, endpoint_id, delivery_id, attempted_at, outcome, status_code, latency_ms, response_body, error)
        SELECT id, ${scope.organizationId}::uuid, ${scope.endpointId}::uuid, delivery_id, attempted_at, outcome, status_code, latency_ms, response_body, error FROM input
      )
      UPDATE webhook_deliveries d SET attempts = i.attempts, last_attempt_at = i.attempted_at, last_status_code = i.status_code, status = i.state,
        next_attempt_at = i.next_attempt_at, updated_at = i.attempted_at
      FROM input i
      WHERE d.id = i.delivery_id AND d.updated_at = i.loaded_at`;
  },
};
