// Webhooks registered in the ATS through its API, where the API allows it (Ashby: ats-api/
// ashby.ts, signed with the connection's own secret; Lever: ats-api/lever.ts, signed with a token
// Lever makes per webhook, kept sealed on the type's entry and chosen per event when a delivery
// is verified): one per event type Hearback handles, to the connection's URL, so nothing is typed
// into the ATS by hand. Saving credentials queues a registration (the `ats` queue's `webhooks`
// task, through the outbox); removing the credentials or the connection deletes what was
// registered first.
//
// Never two webhooks for a type: each type is marked `creating` before the create call and
// `created`, with the ATS's id, after it. A run that finds a type still `creating` (a worker that
// stopped, or a call that timed out, between the two) cannot know from its own records whether
// the ATS made it. Where the ATS lists its webhooks (Lever), the list says: what the lost create
// made (the connection's URL, that type, an id Hearback never stored) is deleted — its token came
// only in the lost answer — and the type is created again. Ashby lists nothing: the run creates
// nothing for the type and marks the registration `uncertain`, for an admin to look in the ATS
// (and save the credentials again, which creates the missing ones). A type `created` is checked
// on every run (webhook.info, or the list): one deleted in the ATS is created again. Failures the
// ATS may get over go through the connection's circuit and are tried again later; the state and
// its error show on the connection (`api.webhooks`), never a token. Every create and delete call
// is also a row of the connection's activity (`webhook`), answered or not, and a registration
// that ends `failed` tells the admins (failure-notices.ts).
import type { DbClient, PrismaClient } from '../../db/client.js';
import type { Sealer } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { enqueueInTransaction } from '../../queue/outbox.js';
import { credentialsSchemas, isAtsProvider, type AtsWebhookApi } from '../ats-api/ats-client.js';
import { atsClientFor } from '../ats-api/clients.js';
import { AtsApiError } from '../ats-api/ats-http.js';
import type { TokenCache } from '../ats-api/greenhouse.js';
import { createAtsRateLimiter, type AtsRateLimiter } from '../ats-api/rate-limit.js';
import { recordFailedCall } from './circuit.js';
import { noticeSetupFailed } from './failure-notices.js';
import type { WritebackSettings } from './writeback.service.js';
import { webhooksRepository } from './webhooks.repository.js';
import { writebackRepository } from './writeback.repository.js';
import { webhookRegistrationsSchema, type WebhookRegistrations } from './writeback.schemas.js';

/** What registration needs of the write-back's settings (the same ATS endpoints, circuit and retries). */
export type WebhooksSettings = Pick<WritebackSettings, 'endpoints' | 'circuit' | 'retryBaseMs' | 'maxAttempts' | 'publicBaseUrl'>;

export type AtsWebhooksService = ReturnType<typeof createAtsWebhooksService>;

type Connection = NonNullable<Awaited<ReturnType<typeof writebackRepository.connectionById>>>;

const MAX_DELAY_MS = 3_600_000;

export function createAtsWebhooksService(deps: { db: PrismaClient; sealer: Sealer; settings: WebhooksSettings; limiter?: AtsRateLimiter; now?: () => Date }) {
  const { db, sealer, settings, limiter = createAtsRateLimiter(), now = () => new Date() } = deps;
  const tokens: TokenCache = new Map();

  /** The ATS's webhook API with the connection's credentials; null without credentials or where Hearback registers nothing. */
  function apiOf(connection: Connection): AtsWebhookApi | null {
    if (connection.apiCredentials === null || !isAtsProvider(connection.provider)) return null;
    const credentials = credentialsSchemas[connection.provider].parse(JSON.parse(sealer.open(connection.apiCredentials)));
    return atsClientFor({ id: connection.id, provider: connection.provider }, credentials, settings.endpoints, tokens, limiter).webhooks ?? null;
  }

  const urlOf = (connectionId: string) => new URL(`/webhooks/ats/${connectionId}`, settings.publicBaseUrl).toString();
  const stateOf = (raw: unknown): WebhookRegistrations | null => webhookRegistrationsSchema.safeParse(raw).data ?? null;
  const delay = (tries: number, asked: number | null) =>
    Math.max(asked ?? 0, Math.round(Math.min(MAX_DELAY_MS, settings.retryBaseMs * 2 ** Math.max(0, tries - 1)) * (0.8 + Math.random() * 0.4)));

  const queue = (tx: DbClient, connectionId: string, key: string, runAt?: Date) =>
    enqueueInTransaction(tx, [
      { queue: 'ats', name: 'webhooks', payload: { task: 'webhooks', connectionId }, jobId: `ats.webhooks.${connectionId}.${key}`, ...(runAt ? { runAt } : {}) },
    ]);

  /**
   * Makes one create or delete call and records it in the connection's activity, whatever its
   * outcome: what the ATS was asked to change is there beside the write-backs.
   */
  async function recorded<T>(connection: Connection, action: 'create_webhook' | 'delete_webhook', detail: (result: T) => string, call: () => Promise<T>): Promise<T> {
    const base = { organizationId: connection.organizationId, connectionId: connection.id };
    let result: T;
    try {
      result = await call();
    } catch (error) {
      const at = now();
      const failure = error instanceof Error ? error : new Error(String(error));
      await writebackRepository.recordWebhookCall(db, { ...base, status: 'failed', step: null, lastError: `${action}: ${failure.message}`, at });
      throw error;
    }
    const at = now();
    await writebackRepository.recordWebhookCall(db, {
      ...base,
      status: 'done',
      step: { at: at.toISOString(), action, result: 'written', detail: detail(result) },
      lastError: null,
      at,
    });
    return result;
  }

  /**
   * Deletes what a create whose answer was lost made. A refusal means it is not Hearback's (the
   * ATS lets an API key change only the webhooks made through the API, and one set up by hand to
   * the same URL looks alike): it is left, and signs with a token Hearback does not hold.
   */
  async function deleteUnanswered(connection: Connection, api: AtsWebhookApi, type: string, webhookId: string) {
    try {
      await recorded(
        connection,
        'delete_webhook',
        () => `${type}: ${webhookId}, made by a create whose answer was lost`,
        () => api.delete(webhookId),
      );
    } catch (error) {
      if (!(error instanceof AtsApiError && error.status !== null && !error.retryable)) throw error;
    }
  }

  /** register's work once it holds the connection's registration; every outcome it handles releases the hold. */
  async function registerClaimed(connection: Connection, state: WebhookRegistrations, api: AtsWebhookApi) {
    const circuit = await writebackRepository.circuit(db, connection.id, now(), settings.circuit.openMs);
    if (circuit.state === 'open') {
      await webhooksRepository.patch(db, connection.id, { claimedUntil: null });
      await queue(db, connection.id, `circuit.${circuit.until.getTime()}`, circuit.until);
      return { status: 'waiting', runAt: circuit.until };
    }

    const url = urlOf(connection.id);
    const secret = sealer.open(connection.secret);
    const uncertain: string[] = [];
    let created = 0;
    try {
      // One list per run where the ATS has one: what is still there, and what a lost create made.
      const listed = api.list ? await api.list() : null;
      const lookUp = async (id: string) => (listed ? (listed.find((hook) => hook.id === id) ?? null) : api.info(id));
      const known = new Set(Object.values(state.types).map((entry) => entry.webhookId));
      for (const type of api.types) {
        const entry = state.types[type];
        if (entry?.webhookId) {
          const hook = await lookUp(entry.webhookId);
          if (hook && hook.url === url && hook.type === type) {
            // A removal that stopped half-way left it `deleting`: it is still there, so still registered.
            if (entry.state !== 'created') await webhooksRepository.setType(db, connection.id, type, { ...entry, state: 'created' });
            continue;
          }
          // Deleted in the ATS, or pointing elsewhere (PUBLIC_BASE_URL changed): made again below.
          if (hook)
            await recorded(
              connection,
              'delete_webhook',
              () => `${type}: ${entry.webhookId}, no longer pointing at this connection`,
              () => api.delete(entry.webhookId!),
            );
          await webhooksRepository.setType(db, connection.id, type, null);
        } else if (entry && !listed) {
          uncertain.push(type);
          continue;
        } else if (entry && listed) {
          for (const hook of listed) if (hook.url === url && hook.type === type && !known.has(hook.id)) await deleteUnanswered(connection, api, type, hook.id);
          await webhooksRepository.setType(db, connection.id, type, null);
        }
        await webhooksRepository.setType(db, connection.id, type, { state: 'creating', webhookId: null, at: now().toISOString() });
        let hook;
        try {
          hook = await recorded(
            connection,
            'create_webhook',
            (made) => `${type}: ${made.id}`,
            () => api.create(type, url, secret),
          );
        } catch (error) {
          // The ATS answered (an error status or a refusal): it made nothing. No answer at all
          // (a timeout, a cut connection) leaves the type `creating`: it may have.
          if (error instanceof AtsApiError && error.status !== null) await webhooksRepository.setType(db, connection.id, type, null);
          throw error;
        }
        await webhooksRepository.setType(db, connection.id, type, {
          state: 'created',
          webhookId: hook.id,
          at: now().toISOString(),
          ...(hook.signingToken ? { signingToken: sealer.seal(hook.signingToken) } : {}),
        });
        created++;
      }
    } catch (error) {
      if (!(error instanceof AtsApiError)) throw error;
      const why = `webhooks: ${error.message}`.slice(0, 1000);
      const tries = state.tries + 1;
      if (error.retryable) {
        await recordFailedCall(db, connection, new AtsApiError(why, error.status, true, error.retryAfterMs), settings.circuit, now());
        if (tries < settings.maxAttempts) {
          const runAt = new Date(now().getTime() + delay(tries, error.retryAfterMs));
          await db.$transaction(async (tx) => {
            await webhooksRepository.patch(tx, connection.id, { tries, error: why, errorAt: now().toISOString(), claimedUntil: null });
            await queue(tx, connection.id, `retry.${Date.parse(state.requestedAt)}.${tries}`, runAt);
          });
          return { status: 'retrying', runAt };
        }
      }
      const retryable = error.retryable;
      await db.$transaction(async (tx) => {
        if (!retryable) await writebackRepository.recordConnectionError(tx, connection.id, why, now());
        await webhooksRepository.patch(tx, connection.id, {
          status: 'failed',
          tries,
          error: retryable ? `${why} (after ${tries} tries)` : why,
          errorAt: now().toISOString(),
          claimedUntil: null,
        });
        await noticeSetupFailed(tx, connection, 'webhooks', now());
      });
      return { status: 'failed' };
    }
    await writebackRepository.callSucceeded(db, connection.id);
    if (uncertain.length > 0) {
      const why =
        `webhooks: a create call for ${uncertain.join(', ')} got no answer; the ATS may hold a webhook Hearback does not know. ` +
        `Look in the ATS's webhook settings for ${url}, delete any for these types, then save the credentials again.`;
      await writebackRepository.recordConnectionError(db, connection.id, why, now());
      await webhooksRepository.patch(db, connection.id, { status: 'uncertain', error: why, errorAt: now().toISOString(), claimedUntil: null });
      return { status: 'uncertain', created, uncertain };
    }
    await webhooksRepository.patch(db, connection.id, { status: 'registered', tries: 0, error: null, errorAt: null, claimedUntil: null });
    return { status: 'registered', created };
  }

  return {
    /**
     * Credentials were saved (in the caller's transaction): a registration is queued. What was
     * registered stays (checked by the run); types left `uncertain` before are dropped, as the
     * admin was asked to look in the ATS before saving again.
     */
    async startRegistration(tx: DbClient, connectionId: string) {
      const before = stateOf(await webhooksRepository.registrations(tx, connectionId));
      const at = now();
      const types = Object.fromEntries(Object.entries(before?.types ?? {}).filter(([, entry]) => !(before?.status === 'uncertain' && entry.state === 'creating')));
      await webhooksRepository.replace(tx, connectionId, {
        status: 'registering',
        requestedAt: at.toISOString(),
        tries: 0,
        error: null,
        errorAt: null,
        claimedUntil: before?.claimedUntil ?? null,
        types,
      });
      await queue(tx, connectionId, `start.${at.getTime()}`);
    },

    /** The `ats` queue's `webhooks` task: one webhook per type Hearback handles, none twice. */
    async register(connectionId: string) {
      const connection = await writebackRepository.connectionById(db, connectionId);
      const state = stateOf(connection?.webhookRegistrations);
      if (!connection || state?.status !== 'registering') return { skipped: state?.status ?? 'nothing to register' };
      const api = apiOf(connection);
      if (!api) {
        await db.$transaction(async (tx) => {
          await webhooksRepository.patch(tx, connection.id, { status: 'failed', error: 'The connection has no API credentials any more', errorAt: now().toISOString() });
          await noticeSetupFailed(tx, connection, 'webhooks', now());
        });
        return { status: 'failed' };
      }
      // Held for as long as a run can take: a second job for the connection creates nothing beside this one.
      const claimedAt = now();
      // Per type: a look-up or a delete, a create, and a delete of what a lost create made; and the list.
      const holdMs = (api.types.length * 3 + 2) * settings.endpoints.timeoutMs + 1_000;
      if (!(await webhooksRepository.claim(db, connection.id, claimedAt, new Date(claimedAt.getTime() + holdMs)))) return { skipped: 'held by another run' };
      try {
        return await registerClaimed(connection, state, api);
      } catch (error) {
        // Hearback's own side failed (the job is retried by BullMQ): the next run must not wait out the hold.
        await webhooksRepository.patch(db, connection.id, { claimedUntil: null }).catch(() => undefined);
        throw error;
      }
    },

    /**
     * Deletes what was registered, before the credentials or the connection go. An ATS that does
     * not answer stops the removal (502 `ats_unavailable`: nothing is left behind registered);
     * one that refuses (a revoked key) does not: its webhooks can no longer be deleted by Hearback,
     * and their deliveries find no connection. Returns the ids left in the ATS.
     */
    async unregister(connectionId: string): Promise<{ left: string[] }> {
      const connection = await writebackRepository.connectionById(db, connectionId);
      const state = stateOf(connection?.webhookRegistrations);
      const registered = Object.entries(state?.types ?? {}).filter(([, entry]) => entry.webhookId !== null);
      const unanswered = Object.entries(state?.types ?? {}).filter(([, entry]) => entry.webhookId === null);
      if (!connection || registered.length + unanswered.length === 0) return { left: [] };
      const api = apiOf(connection);
      if (!api) return { left: registered.map(([, entry]) => entry.webhookId!) };
      // Without a list (Ashby), what a lost create made cannot be found: nothing to call.
      if (registered.length === 0 && !api.list) return { left: [] };
      const circuit = await writebackRepository.circuit(db, connection.id, now(), settings.circuit.openMs);
      if (circuit.state === 'open')
        throw new AppError('ats_unavailable', `The ATS's circuit is open until ${circuit.until.toISOString()}: its webhooks cannot be deleted now; try again then`);
      // What creates whose answer was lost made, where the list shows it (Lever): deleted too, first.
      if (api.list && unanswered.length > 0) {
        const url = urlOf(connection.id);
        const types = new Set(unanswered.map(([type]) => type));
        const known = new Set(registered.map(([, entry]) => entry.webhookId));
        try {
          for (const hook of await api.list()) if (hook.url === url && types.has(hook.type) && !known.has(hook.id)) await deleteUnanswered(connection, api, hook.type, hook.id);
        } catch (error) {
          if (!(error instanceof AtsApiError)) throw error;
          const why = `webhooks: listing them to delete: ${error.message}`.slice(0, 1000);
          // Refused (a revoked key): as for a refused delete, what cannot be deleted stays.
          if (!error.retryable) await writebackRepository.recordConnectionError(db, connection.id, why, now());
          else {
            await recordFailedCall(db, connection, new AtsApiError(why, error.status, true, error.retryAfterMs), settings.circuit, now());
            throw new AppError('ats_unavailable', `${why}. Nothing was removed: try again`);
          }
        }
      }
      const left: string[] = [];
      for (const [type, entry] of registered) {
        await webhooksRepository.setType(db, connection.id, type, { ...entry, state: 'deleting', at: now().toISOString() });
        try {
          await recorded(
            connection,
            'delete_webhook',
            () => `${type}: ${entry.webhookId}`,
            () => api.delete(entry.webhookId!),
          );
        } catch (error) {
          if (!(error instanceof AtsApiError)) throw error;
          const why = `webhooks: deleting ${type} (${entry.webhookId}): ${error.message}`.slice(0, 1000);
          if (error.retryable) {
            await webhooksRepository.setType(db, connection.id, type, entry);
            await recordFailedCall(db, connection, new AtsApiError(why, error.status, true, error.retryAfterMs), settings.circuit, now());
            throw new AppError('ats_unavailable', `${why}. Nothing was removed: try again`);
          }
          await writebackRepository.recordConnectionError(db, connection.id, why, now());
          left.push(entry.webhookId!);
          continue;
        }
        await webhooksRepository.setType(db, connection.id, type, null);
      }
      await writebackRepository.callSucceeded(db, connection.id);
      return { left };
    },
  };
}
