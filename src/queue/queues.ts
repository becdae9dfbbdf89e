// Every BullMQ queue Hearback uses: its payload schema and its job options. Job data holds ids
// and small values only, never candidate data. Handlers live in src/modules/*/*.jobs.ts and are
// wired in workers/main.ts, which refuses to start when one is missing.
import type { JobsOptions } from 'bullmq';
import { z } from 'zod';

export const queueDefinitions = {
  maintenance: {
    payload: z.discriminatedUnion('task', [
      z.object({ task: z.literal('purge-idempotency-records') }),
      z.object({ task: z.literal('purge-relayed-outbox'), olderThanDays: z.number().int().min(1).max(365).default(7) }),
      // ATS deliveries are kept (and deduplicated) 30 days, well past the 7 days dedupe needs.
      z.object({ task: z.literal('purge-inbound-deliveries'), olderThanDays: z.number().int().min(7).max(365).default(30) }),
      // Sign-in links and sessions ended this long ago (kept a while to answer "who was signed in when").
      z.object({ task: z.literal('purge-ended-sign-ins'), olderThanDays: z.number().int().min(1).max(365).default(30) }),
    ]),
    options: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 10_000 },
      removeOnComplete: { age: 24 * 3600, count: 1000 },
      removeOnFail: { age: 14 * 24 * 3600 },
    },
  },
  messages: {
    payload: z.discriminatedUnion('task', [
      // Render every draft of a confirmed plan into its candidate's message.
      z.object({ task: z.literal('render-plan'), planId: z.uuid() }),
    ]),
    options: {
      attempts: 8,
      backoff: { type: 'exponential', delay: 2_000 },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 14 * 24 * 3600 },
    },
  },
  delivery: {
    payload: z.discriminatedUnion('task', [
      // Send the messages of one batch (≤ 500, one organization and requisition) through Postmark.
      z.object({ task: z.literal('send-batch'), batchId: z.uuid() }),
      // Find out whether Postmark accepted the batch's messages whose outcome is unknown.
      z.object({ task: z.literal('reconcile'), batchId: z.uuid() }),
      // Send (or search for) one email to a candidate outside a batch, e.g. an answer to their question.
      z.object({ task: z.literal('send-transactional'), emailId: z.uuid() }),
    ]),
    // Postgres is the source of truth: a job that fails for good (or vanishes with Redis) is
    // taken back by the sweeper from the messages' own state.
    options: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 14 * 24 * 3600 },
    },
  },
  webhooks: {
    payload: z.discriminatedUnion('task', [
      // Send one endpoint's due deliveries (the delivery rows hold the state, ids only here).
      z.object({ task: z.literal('pump'), endpointId: z.uuid() }),
    ]),
    // Retries follow the webhook schedule in the delivery row, not BullMQ's: a job that throws
    // (database down) is retried briefly, then the sweeper takes the delivery back.
    options: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  },
  inbound: {
    payload: z.discriminatedUnion('task', [
      // Apply one accepted ATS delivery (the row holds the raw body; nothing else travels).
      z.object({ task: z.literal('apply'), inboundId: z.uuid() }),
    ]),
    options: {
      attempts: 8,
      backoff: { type: 'exponential', delay: 2_000 },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 14 * 24 * 3600 },
    },
  },
  ats: {
    payload: z.discriminatedUnion('task', [
      // Tell the ATS about one sent rejection (the write-back row holds the state and its tries).
      z.object({ task: z.literal('writeback'), writebackId: z.uuid() }),
      // Read the next pages of a connection's import (its cursor is on the connection).
      z.object({ task: z.literal('import'), connectionId: z.uuid() }),
      // Read what changed in the connection's ATS since the last reconciliation.
      z.object({ task: z.literal('reconcile'), connectionId: z.uuid() }),
      // Register the connection's webhooks in the ATS through its API (Ashby), none twice.
      z.object({ task: z.literal('webhooks'), connectionId: z.uuid() }),
    ]),
    // The ATS's own failures are retried by the write-back (a later job, after its Retry-After);
    // a job throws only when Hearback's side fails (the database away), and is retried briefly.
    options: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 2_000 },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 14 * 24 * 3600 },
    },
  },
  notifications: {
    payload: z.discriminatedUnion('task', [
      // Email one notification to its person (at most once: the row remembers it was emailed).
      z.object({ task: z.literal('email'), notificationId: z.uuid() }),
    ]),
    // Postmark refusing is not retried (the notification stays in the app); a job throws only
    // when the database is away.
    options: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 2_000 },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  },
} as const satisfies Record<string, { payload: z.ZodType; options: JobsOptions }>;

export type QueueName = keyof typeof queueDefinitions;
export type QueuePayload<Q extends QueueName> = z.infer<(typeof queueDefinitions)[Q]['payload']>;
export const queueNames = Object.keys(queueDefinitions) as QueueName[];

export function isQueueName(name: string): name is QueueName {
  return Object.hasOwn(queueDefinitions, name);
}

/** Validates a payload before it is stored: a bad job is refused at its source, not in a worker. */
export function parsePayload<Q extends QueueName>(queue: Q, payload: unknown): QueuePayload<Q> {
  return queueDefinitions[queue].payload.parse(payload) as QueuePayload<Q>;
}
