// The transactional outbox. Business code calls `enqueueInTransaction` with the same transaction
// that makes its change, so the job exists if and only if the change committed; the relay
// (outbox-relay.ts) moves committed rows to BullMQ. A crash between commit and enqueue loses
// nothing: the row is still there for the next relay pass.
import type { DbClient } from '../db/client.js';
import { parsePayload, type QueueName, type QueuePayload } from './queues.js';

export const OUTBOX_CHANNEL = 'hearback_outbox';

export interface OutboxEntry<Q extends QueueName> {
  queue: Q;
  name: string;
  payload: QueuePayload<Q>;
  /** Deterministic job id, e.g. `send.<messageId>.v3`. */
  jobId: string;
  runAt?: Date;
}

/** BullMQ refuses integer ids and `:` in ids; refuse them here, where the bug is. */
export const JOB_ID = /^(?!\d+$)[A-Za-z0-9._-]{1,200}$/;

export async function enqueueInTransaction<Q extends QueueName>(tx: DbClient, entries: OutboxEntry<Q>[]): Promise<void> {
  if (entries.length === 0) return;
  const badId = entries.find((entry) => !JOB_ID.test(entry.jobId));
  if (badId) throw new Error(`outbox job id "${badId.jobId}" must match ${JOB_ID}`);
  // One set-based statement: Prisma's createMany of 1,000 rows cost ~20× this (a bulk send or a
  // webhook fan-out writes hundreds of rows at a time).
  const payloads = entries.map((entry) => JSON.stringify(parsePayload(entry.queue, entry.payload)));
  await tx.$executeRaw`
    INSERT INTO outbox_jobs (queue, name, payload, job_id, run_at)
    SELECT queue, name, payload::jsonb, job_id, coalesce(run_at::timestamptz, now())
    FROM unnest(
      ${entries.map((entry) => entry.queue)}::text[], ${entries.map((entry) => entry.name)}::text[], ${payloads}::text[],
      ${entries.map((entry) => entry.jobId)}::text[], ${entries.map((entry) => entry.runAt?.toISOString() ?? null)}::text[]
    ) AS entry(queue, name, payload, job_id, run_at)
    -- The same job id twice is the same job: the second write is a no-op, not an error.
    ON CONFLICT DO NOTHING`;
  // Delivered on commit only: wakes the relay at once instead of at its next poll.
  await tx.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`;
}
