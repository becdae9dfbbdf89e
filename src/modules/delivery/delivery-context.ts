// What the three delivery jobs (dispatch, send, reconcile) share: settings, the clock, the
// organization's Postmark session, retry timing, and bookkeeping that survives a brief outage.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { PrismaClient } from '../../db/client.js';
import type { Sealer } from '../../lib/crypto.js';
import type { OutboxEntry } from '../../queue/outbox.js';
import { createPostmarkSession } from '../../email/postmark.js';
import type { DecisionsService } from '../decisions/decisions.service.js';
import type { MessageEventInput, MessageLifecycle } from '../messages/lifecycle.js';
import { deliveryRepository as repo } from './delivery.repository.js';

/**
 * A batch's bookkeeping (hundreds of rows, their events, the rejections they tell) in one
 * transaction: Prisma's default 5 s is too short on a starved machine, and a transaction cut
 * there after Postmark accepted the batch leaves its messages to be reconciled minutes later.
 */
export const BATCH_TRANSACTION = { maxWait: 10_000, timeout: 60_000 } as const;

export interface DeliverySettings {
  postmarkApiUrl: string;
  postmarkTimeoutMs: number;
  defaultStream: string;
  batchSize: number;
  maxAttempts: number;
  retryBaseMs: number;
  staleMs: number;
  reconcileDelayMs: number;
}

export interface DeliveryServiceDeps {
  db: PrismaClient;
  sealer: Sealer;
  /** Derives the feedback-link tokens (ENCRYPTION_KEY). */
  linkSecret: string;
  settings: DeliverySettings;
  logger: Logger;
  /** Every message write goes through the messages module. */
  messageLifecycle: Pick<MessageLifecycle, 'schedule' | 'claim' | 'markSent' | 'markReconciled' | 'move' | 'leaseUnknown' | 'stop' | 'recordEvents'>;
  /** The confirmation checks again, right before sending. */
  decisions: Pick<DecisionsService, 'recheck'>;
  now?: () => Date;
  random?: () => number;
}

/** The most messages one dispatch or sweep pass moves (it loops while there are more). */
export const PASS_LIMIT = 5000;
/** Retries of the bookkeeping after Postmark answered, before the sweeper has to reconcile. */
const RECORD_ATTEMPTS = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const sendJob = (batchId: string, runAt?: Date): OutboxEntry<'delivery'> => ({
  queue: 'delivery',
  name: 'send-batch',
  payload: { task: 'send-batch', batchId },
  // Unique per enqueue: BullMQ keeps finished jobs for a day and would ignore a repeated id.
  jobId: `send-batch.${batchId}.${randomUUID()}`,
  ...(runAt ? { runAt } : {}),
});

export const reconcileJob = (batchId: string, runAt: Date): OutboxEntry<'delivery'> => ({
  queue: 'delivery',
  name: 'reconcile',
  payload: { task: 'reconcile', batchId },
  jobId: `reconcile.${batchId}.${randomUUID()}`,
  runAt,
});

export const messageEvent = (message: { id: string; organizationId: string }, type: string, detail?: Record<string, unknown>): MessageEventInput => ({
  organizationId: message.organizationId,
  messageId: message.id,
  type,
  source: 'hearback',
  ...(detail ? { detail: detail as never } : {}),
});

export type DeliveryContext = ReturnType<typeof deliveryContext>;

export function deliveryContext(deps: DeliveryServiceDeps) {
  const { db, sealer, settings, logger, now = () => new Date(), random = Math.random } = deps;
  const endpoint = { apiUrl: settings.postmarkApiUrl, timeoutMs: settings.postmarkTimeoutMs };
  return {
    ...deps,
    messages: deps.messageLifecycle,
    now,
    /** A claim older than any request could be is abandoned. */
    claimTimeoutMs: Math.max(settings.staleMs, settings.postmarkTimeoutMs + 5_000),

    /** Exponential from the base, capped at an hour, ±20 % jitter; Retry-After when longer. */
    retryDelay(attempt: number, retryAfterMs: number | null): number {
      const exponential = Math.min(settings.retryBaseMs * 2 ** Math.max(0, attempt - 1), 3_600_000);
      const jittered = exponential * (0.8 + 0.4 * random());
      return Math.round(Math.max(jittered, retryAfterMs ?? 0));
    },

    /** Bookkeeping after Postmark answered must not be lost to a brief database outage. */
    async persist(what: string, write: () => Promise<unknown>): Promise<void> {
      for (let attempt = 1; ; attempt++) {
        try {
          await write();
          return;
        } catch (error) {
          if (attempt >= RECORD_ATTEMPTS) throw error;
          logger.warn({ err: error, attempt, what }, 'delivery bookkeeping failed; retrying');
          await sleep(250 * 2 ** attempt);
        }
      }
    },

    async sessionFor(organizationId: string) {
      const sender = await repo.sender(db, organizationId);
      if (!sender.postmarkServerToken || !sender.senderEmail) return { sender, session: null };
      return { sender, session: createPostmarkSession(sealer.open(sender.postmarkServerToken), endpoint) };
    },
  };
}
