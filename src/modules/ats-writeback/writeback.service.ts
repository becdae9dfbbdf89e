// The ATS learns what Hearback did, through its own API. A connection gets credentials (checked
// at once with a harmless read, sealed, never shown) and a reason map; when a rejection email is
// sent, each application it tells that came from that ATS is rejected there — with the mapped
// reason and without the ATS's own email — and the candidate gets a note saying what was sent,
// when, with a link to it in Hearback (writeback.enqueue.ts queues it with the send). Status
// updates, holds and cancellations sent, talent-pool choices and data requests write a note
// only; an erasure asks the ATS to anonymize the candidate where its API can (else the activity
// says it cannot, and a person does it in the ATS).
//
// A write-back reads the application back before each write, so running it again (a retry, a
// crash after the ATS answered) writes nothing twice: `already` steps. Failures the ATS may get
// over (429, 5xx, timeouts) are tried again later through the outbox, after the ATS's
// Retry-After or a doubling delay; the rest, or the last try, end it `failed` and show on the
// connection (`lastError`) and tell the admins (failure-notices.ts, once a day per connection).
// Failures in a row open the connection's circuit: nothing is called until it has been open a
// while, then one probe closes or reopens it; opening tells the admins.
import type { DbClient, PrismaClient } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import type { Sealer } from '../../lib/crypto.js';
import { AppError, found } from '../../lib/errors.js';
import { pageRequest, toPage, type PageQuery } from '../../lib/pagination.js';
import { enqueueInTransaction } from '../../queue/outbox.js';
import { auditRepository } from '../audit/audit.repository.js';
import { credentialsSchemas, isAtsProvider, type AtsClient, type AtsEndpoints, type AtsProvider } from '../ats-api/ats-client.js';
import { atsClientFor } from '../ats-api/clients.js';
import { AtsApiError } from '../ats-api/ats-http.js';
import type { TokenCache } from '../ats-api/greenhouse.js';
import { createAtsRateLimiter, type AtsRateLimiter } from '../ats-api/rate-limit.js';
import { feedbackSchema } from '../feedback/feedback.schemas.js';
import { z } from 'zod';
import type { InboundEvent } from '../ats-inbound/providers/events.js';
import { recordFailedCall, type CircuitSettings } from './circuit.js';
import { noticeWritebackFailed } from './failure-notices.js';
import type { AtsWebhooksService } from './webhooks.service.js';
import { webhooksRepository } from './webhooks.repository.js';
import { readBackEvent, type ReadBack } from './readback.js';
import { leverSettingsSchema } from '../ats-inbound/providers/lever.js';
import { writebackRepository } from './writeback.repository.js';
import { reasonMapSchema, writebackSchema, writebackStepSchema, type AtsCatalogue, type WritebackStep } from './writeback.schemas.js';
import { readCatalogue, storedCatalogue } from './catalogue.js';

export interface WritebackSettings {
  endpoints: AtsEndpoints;
  maxAttempts: number;
  retryBaseMs: number;
  /** Failures in a row that open a connection's circuit, and how long it stays open. */
  circuit: CircuitSettings;
  publicBaseUrl: string;
  /** A pending write-back untouched this long, held by no run and with no try due, lost its job. */
  staleMs: number;
}

export type AtsWritebackService = ReturnType<typeof createAtsWritebackService>;

type ConnectionRow = NonNullable<Awaited<ReturnType<typeof writebackRepository.connectionById>>>;

const MAX_DELAY_MS = 3_600_000;
/** The most calls one run makes (Greenhouse: token, read, token again after a 401, reject, notes read, note). */
const CALLS_PER_RUN = 8;

export function createAtsWritebackService(deps: {
  db: PrismaClient;
  sealer: Sealer;
  settings: WritebackSettings;
  /** Credentials accepted for an ATS Hearback can list: the import starts, in the same transaction, from `at` (when the catalogue was read). */
  onConnected?: (tx: DbClient, connectionId: string, at: Date) => Promise<unknown>;
  /** Shared with imports and reconciliations, so both count against one limit per connection. */
  limiter?: AtsRateLimiter;
  /** Credentials accepted for an ATS whose API registers webhooks: queued in the same transaction; deleted before the credentials go. */
  webhooks?: Pick<AtsWebhooksService, 'startRegistration' | 'unregister'>;
  now?: () => Date;
}) {
  const { db, sealer, settings, onConnected, webhooks, limiter = createAtsRateLimiter(), now = () => new Date() } = deps;
  // Greenhouse access tokens, per connection, for this process.
  const tokens: TokenCache = new Map();

  const providerOf = (connection: { provider: string }): AtsProvider => {
    if (!isAtsProvider(connection.provider)) throw new AppError('validation_failed', `A ${connection.provider} connection has no ATS API to call`);
    return connection.provider;
  };

  const clientOf = (connection: ConnectionRow): AtsClient | null =>
    connection.apiCredentials === null
      ? null
      : atsClientFor({ id: connection.id, provider: providerOf(connection) }, JSON.parse(sealer.open(connection.apiCredentials)), settings.endpoints, tokens, limiter);

  /** The ATS's reasons and stages read now, or the problem a person can act on: refused credentials (422) or an ATS that did not answer (502). */
  async function readReasons(client: AtsClient, before: AtsCatalogue | null): Promise<AtsCatalogue> {
    try {
      return await readCatalogue(client, before, now());
    } catch (error) {
      if (!(error instanceof AtsApiError)) throw error;
      if (error.status === 401 || error.status === 403) throw new AppError('ats_credentials_refused', `The ATS refused the credentials: ${error.message}`);
      throw new AppError('ats_unavailable', error.message);
    }
  }

  /**
   * The connection's settings with what its webhooks need read from the API (Lever's archive
   * reasons and stages), over what an admin pasted; null when the ATS needs none.
   */
  async function readWebhookSettings(client: AtsClient, stored: unknown) {
    if (!client.webhookSettings) return null;
    let read: Record<string, unknown>;
    try {
      read = await client.webhookSettings();
    } catch (error) {
      if (!(error instanceof AtsApiError)) throw error;
      throw new AppError('ats_unavailable', `Reading what the webhooks need: ${error.message}`);
    }
    const merged = leverSettingsSchema.safeParse({ ...(leverSettingsSchema.safeParse(stored).data ?? {}), ...read });
    if (!merged.success) throw new AppError('ats_unavailable', `The ATS's archive reasons or stages are not what Hearback can keep: ${merged.error.issues[0]?.message}`);
    return merged.data;
  }

  async function readAndStore(client: AtsClient, connectionId: string, before: AtsCatalogue | null) {
    const catalogue = await readReasons(client, before);
    await writebackRepository.updateConnection(db, connectionId, { atsCatalogue: catalogue });
    return catalogue;
  }

  const delayFor = (attempt: number, asked: number | null) => {
    const doubled = Math.min(MAX_DELAY_MS, settings.retryBaseMs * 2 ** Math.max(0, attempt - 1));
    return Math.max(asked ?? 0, Math.round(doubled * (0.8 + Math.random() * 0.4)));
  };

  const noteText = (message: { id: string; subject: string | null; sentAt: Date | null }) =>
    `Hearback sent this candidate a rejection email on ${(message.sentAt ?? now()).toISOString()}` +
    `${message.subject ? ` (subject: “${message.subject.slice(0, 300)}”)` : ''}. ` +
    `The email and its feedback: ${new URL(`/v1/messages/${message.id}`, settings.publicBaseUrl).toString()}`;

  const failedCall = (connection: { id: string; organizationId: string; provider: string }, error: AtsApiError) => recordFailedCall(db, connection, error, settings.circuit, now());

  /**
   * Ends a write-back `failed`: its error, the connection's (unless it is not the connection's
   * doing), and the admins told (failure-notices.ts), together. A run that lost the write-back to
   * another (already ended) tells no one.
   */
  async function fail(writeback: { id: string; action: string }, connection: ConnectionRow, why: string, options: { connectionError: boolean }) {
    const at = now();
    await db.$transaction(async (tx) => {
      if ((await writebackRepository.finish(tx, writeback.id, 'failed', at, why)).count === 0) return;
      if (options.connectionError) await writebackRepository.recordConnectionError(tx, connection.id, why, at);
      await noticeWritebackFailed(tx, connection, writeback.action, at);
    });
    return { status: 'failed' };
  }

  return {
    /** Saves credentials after a harmless read with them succeeded; returns the reasons the ATS offers. */
    async setCredentials(actor: Actor, connectionId: string, body: unknown) {
      const connection = found(await writebackRepository.connection(db, actor.organizationId, connectionId), 'ATS connection');
      const provider = providerOf(connection);
      const parsed = credentialsSchemas[provider].safeParse(body);
      if (!parsed.success) {
        throw new AppError('validation_failed', `These are not ${provider} credentials`, {
          errors: parsed.error.issues.map((issue) => ({ path: ['body', ...issue.path.map(String)].join('.'), message: issue.message })),
        });
      }
      tokens.delete(connection.id);
      const client = atsClientFor({ id: connection.id, provider }, parsed.data, settings.endpoints, tokens, limiter);
      const catalogue = await readReasons(client, storedCatalogue(connection.atsCatalogue));
      const webhookSettings = await readWebhookSettings(client, connection.settings);
      const at = new Date(catalogue.readAt);
      await db.$transaction(async (tx) => {
        await writebackRepository.updateConnection(tx, connection.id, {
          apiCredentials: sealer.seal(JSON.stringify(parsed.data)),
          atsCatalogue: catalogue,
          ...(webhookSettings ? { settings: webhookSettings } : {}),
          verifiedAt: at,
          lastError: null,
          lastErrorAt: null,
        });
        await auditRepository.record(tx, actor, [
          { action: 'ats_connection.credentials_set', entity: 'organization', entityId: actor.organizationId, after: { connectionId, provider } },
        ]);
        if (client.listApplications && onConnected) await onConnected(tx, connection.id, at);
        if (client.webhooks && webhooks) await webhooks.startRegistration(tx, connection.id);
      });
      return { reasons: catalogue.reasons };
    },

    async removeCredentials(actor: Actor, connectionId: string) {
      const connection = found(await writebackRepository.connection(db, actor.organizationId, connectionId), 'ATS connection');
      tokens.delete(connection.id);
      // Deleted while the credentials that can delete them still exist: an ATS that does not answer stops the removal (502).
      const { left } = (await webhooks?.unregister(connection.id)) ?? { left: [] };
      await db.$transaction(async (tx) => {
        await writebackRepository.updateConnection(tx, connection.id, { apiCredentials: null, verifiedAt: null });
        await webhooksRepository.replace(tx, connection.id, null);
        await auditRepository.record(tx, actor, [
          {
            action: 'ats_connection.credentials_removed',
            entity: 'organization',
            entityId: actor.organizationId,
            after: { connectionId, ...(left.length > 0 ? { webhooksLeftInAts: left } : {}) },
          },
        ]);
      });
    },

    /** The reasons a rejection can carry in this ATS (and its stages): as stored when last read, or read now (and stored) when none is. */
    async reasons(organizationId: string, connectionId: string) {
      const connection = found(await writebackRepository.connection(db, organizationId, connectionId), 'ATS connection');
      const client = clientOf(connection);
      if (!client) throw new AppError('conflict', 'The connection has no API credentials: PUT them first');
      const stored = storedCatalogue(connection.atsCatalogue);
      const catalogue = stored ?? (await readAndStore(client, connection.id, null));
      return {
        data: catalogue.reasons,
        stages: catalogue.stages,
        source: stored ? ('catalogue' as const) : ('live' as const),
        readAt: catalogue.readAt,
        stagesError: catalogue.stagesError,
      };
    },

    /**
     * Replaces the reason map; each id must be one of the ATS's rejection reasons: those stored,
     * or — for an id they lack (a reason added in the ATS since) — those read now.
     */
    async setReasonMap(actor: Actor, connectionId: string, reasonMap: z.infer<typeof reasonMapSchema>) {
      const connection = found(await writebackRepository.connection(db, actor.organizationId, connectionId), 'ATS connection');
      const client = clientOf(connection);
      if (!client) throw new AppError('conflict', 'The connection has no API credentials: PUT them first');
      const stored = storedCatalogue(connection.atsCatalogue);
      const lacking = (catalogue: AtsCatalogue) => Object.entries(reasonMap).filter(([, id]) => !catalogue.reasons.some((r) => r.id === id));
      const unknown = stored && lacking(stored).length === 0 ? [] : lacking(await readAndStore(client, connection.id, stored));
      if (unknown.length > 0) {
        throw new AppError('validation_failed', 'Some reason ids are not rejection reasons of this ATS', {
          errors: unknown.map(([key]) => ({ path: `body.reasonMap.${key}`, message: 'not a rejection reason the ATS lists' })),
        });
      }
      await db.$transaction(async (tx) => {
        await writebackRepository.updateConnection(tx, connection.id, { reasonMap });
        await auditRepository.record(tx, actor, [
          {
            action: 'ats_connection.reason_map_set',
            entity: 'organization',
            entityId: actor.organizationId,
            before: { connectionId, reasonMap: connection.reasonMap },
            after: { connectionId, reasonMap },
          },
        ]);
      });
      return { reasonMap };
    },

    async activity(organizationId: string, connectionId: string, query: PageQuery) {
      found(await writebackRepository.connection(db, organizationId, connectionId), 'ATS connection');
      const page = pageRequest(query);
      return toPage(
        (await writebackRepository.activity(db, connectionId, page)).map((row) => writebackSchema.parse(row)),
        page,
      );
    },

    /**
     * The `ats` queue's job: one write-back, read back before each write. Returns what it did;
     * throws only when Hearback's own side fails (BullMQ retries that).
     */
    async run(writebackId: string) {
      const writeback = await writebackRepository.writeback(db, writebackId);
      if (!writeback || writeback.status !== 'pending') return { skipped: writeback?.status ?? 'missing' };
      // A webhook call's row (the connection's, never pending) names no application.
      const externalApplicationId = writeback.externalApplicationId;
      if (externalApplicationId === null) return { skipped: writeback.action };
      // Held for as long as a run can take, so a swept or redelivered job cannot write beside this one.
      const claimedAt = now();
      if (!(await writebackRepository.claim(db, writeback.id, new Date(claimedAt.getTime() + CALLS_PER_RUN * settings.endpoints.timeoutMs + 1_000), claimedAt))) {
        return { skipped: 'held by another run' };
      }
      const connection = await writebackRepository.connectionById(db, writeback.connectionId);
      if (!connection) {
        // Deleted meanwhile (its write-backs go with it): no one to tell about it.
        await writebackRepository.finish(db, writeback.id, 'failed', now(), 'The connection was deleted');
        return { status: 'failed' };
      }
      const client = clientOf(connection);
      if (!client) return fail(writeback, connection, 'The connection has no API credentials any more', { connectionError: false });
      const circuit = await writebackRepository.circuit(db, connection.id, now(), settings.circuit.openMs);
      if (circuit.state === 'open') {
        // Nothing is called while the circuit is open; the write-back waits for it, no try counted.
        await writebackRepository.release(db, writeback.id, circuit.until);
        await enqueueInTransaction(db, [
          {
            queue: 'ats',
            name: 'writeback',
            payload: { task: 'writeback', writebackId: writeback.id },
            jobId: `ats.writeback.${writeback.id}.circuit.${circuit.until.getTime()}`,
            runAt: circuit.until,
          },
        ]);
        return { status: 'waiting', runAt: circuit.until };
      }
      const steps: WritebackStep[] = z.array(writebackStepSchema).safeParse(writeback.steps).data ?? [];
      const did = (action: WritebackStep['action']) => steps.some((s) => s.action === action);
      const step = async (action: WritebackStep['action'], result: WritebackStep['result'], detail?: string) => {
        const entry = { at: now().toISOString(), action, result, ...(detail ? { detail } : {}) };
        steps.push(entry);
        await writebackRepository.appendStep(db, writeback.id, entry);
      };
      const done = async () => {
        await writebackRepository.finish(db, writeback.id, 'done', now(), null);
        await writebackRepository.callSucceeded(db, connection.id);
        return { status: 'done' };
      };

      try {
        const application = await client.application(externalApplicationId);
        if (!application) {
          await writebackRepository.callSucceeded(db, connection.id);
          return await fail(writeback, connection, `The ATS has no application ${externalApplicationId}`, { connectionError: false });
        }

        if (writeback.action === 'erasure') {
          if (!did('erase')) {
            const erased = await client.erase(application);
            await step('erase', erased.result, erased.result === 'unsupported' ? erased.why : `candidate ${application.candidateExternalId}`);
          }
          return await done();
        }

        if (writeback.action === 'note') {
          // The marker names the subject: finding it means a run that did not live to record it wrote it already.
          const marker = `Hearback ref ${writeback.subjectId}`;
          if (!(await client.hasNote(application, marker))) {
            const link = writeback.messageId ? ` The email: ${new URL(`/v1/messages/${writeback.messageId}`, settings.publicBaseUrl).toString()}` : '';
            await client.addNote(application, `${writeback.note ?? ''}${link} (${marker})`);
            await step('note', 'written');
          } else if (!did('note')) {
            await step('note', 'already');
          }
          return await done();
        }

        if (application.state === 'hired') {
          // The ATS says hired: a rejection written over it would be wrong, and so would the note.
          if (!did('reject')) await step('reject', 'skipped', 'the application is hired in the ATS');
          return await done();
        }
        const messageId = writeback.messageId ?? writeback.subjectId;
        const message = await writebackRepository.message(db, messageId);
        if (application.state === 'active') {
          const category = feedbackSchema.safeParse(message?.feedback).data?.reasonCategory;
          const map = reasonMapSchema.safeParse(connection.reasonMap).data ?? {};
          const reasonId = (category ? map[category] : undefined) ?? map.default;
          if (!reasonId) {
            const why = `No ATS reason is mapped for ${category ?? 'this rejection'} (nor \`default\`): set the connection's reason map`;
            return await fail(writeback, connection, why, { connectionError: true });
          }
          await client.reject(application, reasonId);
          await step('reject', 'written', `reason ${reasonId}`);
        } else if (!did('reject')) {
          await step('reject', 'already', `rejected in the ATS${application.reasonId ? ` (reason ${application.reasonId})` : ''}`);
        }
        // The note names the message's link: finding it means it was written (by a run that did not live to record it).
        const link = new URL(`/v1/messages/${messageId}`, settings.publicBaseUrl).toString();
        if (!(await client.hasNote(application, link))) {
          await client.addNote(application, noteText(message ?? { id: messageId, subject: null, sentAt: null }));
          await step('note', 'written');
        } else if (!did('note')) {
          await step('note', 'already');
        }
        return await done();
      } catch (error) {
        if (!(error instanceof AtsApiError)) throw error;
        if (error.retryable) await failedCall(connection, error);
        const due = (attempts: number) => new Date(now().getTime() + delayFor(attempts, error.retryAfterMs));
        let runAt = now();
        const attempts = await writebackRepository.countAttempt(db, writeback.id, error.message, (n) => (runAt = due(n)));
        if (error.retryable && attempts < settings.maxAttempts) {
          await enqueueInTransaction(db, [
            { queue: 'ats', name: 'writeback', payload: { task: 'writeback', writebackId: writeback.id }, jobId: `ats.writeback.${writeback.id}.${attempts}`, runAt },
          ]);
          return { status: 'retrying', runAt };
        }
        const why = error.retryable ? `${error.message} (after ${attempts} tries)` : error.message;
        return await fail(writeback, connection, why, { connectionError: true });
      }
    },

    /** Queues again the write-backs whose job was lost (the workers' clock calls it). */
    async sweep() {
      const at = now();
      const ids = await writebackRepository.takeStale(db, new Date(at.getTime() - settings.staleMs), at, 500);
      await enqueueInTransaction(
        db,
        ids.map((id) => ({
          queue: 'ats' as const,
          name: 'writeback',
          payload: { task: 'writeback' as const, writebackId: id },
          jobId: `ats.writeback.${id}.swept.${at.getTime()}`,
        })),
      );
      return ids.length;
    },

    /**
     * An inbound event checked against the ATS (readback.ts); null when the connection has no
     * credentials (unverified: the payload is taken as sent). A failure the ATS may get over is
     * thrown, for the inbound queue to retry.
     */
    async readBack(connection: ConnectionRow, event: InboundEvent): Promise<ReadBack | null> {
      if (!isAtsProvider(connection.provider)) return null;
      const client = clientOf(connection);
      if (!client) return null;
      const circuit = await writebackRepository.circuit(db, connection.id, now(), settings.circuit.openMs);
      if (circuit.state === 'open')
        throw new AtsApiError(`the circuit to ${connection.provider} is open until ${circuit.until.toISOString()}`, null, true, circuit.until.getTime() - now().getTime());
      try {
        const read = await readBackEvent(client, connection.provider, event);
        await writebackRepository.callSucceeded(db, connection.id);
        return read;
      } catch (error) {
        if (error instanceof AtsApiError) {
          if (error.retryable) await failedCall(connection, new AtsApiError(`read-back: ${error.message}`, error.status, true, error.retryAfterMs));
          else await writebackRepository.recordConnectionError(db, connection.id, `read-back: ${error.message}`, now());
        }
        throw error;
      }
    },
  };
}
