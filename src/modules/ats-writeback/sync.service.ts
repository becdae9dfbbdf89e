// Setup in one step and healing after: an import reads the ATS's open jobs (each a requisition,
// with its title, whether or not anyone applied yet) and then its active applications (with their
// candidates and jobs) page by page into Hearback, and a periodic reconciliation reads what
// changed since, so a webhook that never arrived is applied within the hour as if it had.
//
// Each import job reads a few pages and saves its cursor with what they held, in one
// transaction: a worker stopped mid-import loses nothing, and the next job continues from the
// cursor. A 429 or 5xx ends the job with its cursor kept; the next one is queued after the ATS's
// Retry-After (or a doubling delay), and counts against the connection's circuit (circuit.ts).
// Reconciliation turns each change into the event a webhook would have carried (a hire, a
// rejection — a plan a person confirms — or a new or moved application) and applies it through
// the same code as the webhooks (ats-inbound/inbound.apply.ts).
// Both also read the ATS's users onto the connection (GET …/users): whom the credentials can act
// on behalf of. A key without the permission to list them imports all the same. And both read
// the ATS's rejection reasons and stages again (catalogue.ts), so GET …/reasons stays fresh.
import type { PrismaClient } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { AppError, found } from '../../lib/errors.js';
import { enqueueInTransaction } from '../../queue/outbox.js';
import { atsClientFor } from '../ats-api/clients.js';
import { credentialsSchemas, isAtsProvider, type AtsClient, type AtsEndpoints, type AtsProvider } from '../ats-api/ats-client.js';
import { AtsApiError } from '../ats-api/ats-http.js';
import type { TokenCache } from '../ats-api/greenhouse.js';
import { createAtsRateLimiter, type AtsRateLimiter } from '../ats-api/rate-limit.js';
import type { Applied } from '../ats-inbound/inbound.apply.js';
import type { InboundEvent } from '../ats-inbound/providers/events.js';
import type { HiringService } from '../hiring/hiring.service.js';
import type { DbClient } from '../../db/client.js';
import { recordFailedCall, type CircuitSettings } from './circuit.js';
import { noticeSetupFailed } from './failure-notices.js';
import { syncRepository } from './sync.repository.js';
import { writebackRepository } from './writeback.repository.js';
import { atsUsersSchema, importStateSchema, type AtsUsers, type ImportState } from './writeback.schemas.js';
import { readCatalogue, storedCatalogue } from './catalogue.js';
import { createSyncRecords } from './sync.records.js';

export interface SyncSettings {
  endpoints: AtsEndpoints;
  circuit: CircuitSettings;
  retryBaseMs: number;
  /** Pages one import job reads before it queues the next (a restart loses at most these). */
  pagesPerJob: number;
  /** How often each connection is reconciled. */
  reconcileEveryMs: number;
}

export interface SyncDeps {
  db: PrismaClient;
  sealer: { open(sealed: string): string };
  settings: SyncSettings;
  hiring: Pick<HiringService, 'bulkUpsert'>;
  /** The webhooks' own applier: a change found by reconciliation is applied as its webhook would have been. */
  applier: { apply(tx: DbClient, organizationId: string, provider: AtsProvider, event: InboundEvent): Promise<Applied> };
  /** Shared with the write-backs, so both count against one limit per connection. */
  limiter?: AtsRateLimiter;
  now?: () => Date;
}

export type AtsSyncService = ReturnType<typeof createAtsSyncService>;

type Connection = NonNullable<Awaited<ReturnType<typeof writebackRepository.connectionById>>>;

const MAX_DELAY_MS = 3_600_000;
/** A page is up to 100 applications with their candidates, matched and written in one transaction. */
const PAGE_TRANSACTION = { timeout: 120_000, maxWait: 10_000 };

export function createAtsSyncService({ db, sealer, settings, hiring, applier, limiter = createAtsRateLimiter(), now = () => new Date() }: SyncDeps) {
  const tokens: TokenCache = new Map();
  const { upsertActive, upsertJobs } = createSyncRecords(hiring);

  function clientOf(connection: Connection): AtsClient | null {
    if (connection.apiCredentials === null || !isAtsProvider(connection.provider)) return null;
    const credentials: unknown = JSON.parse(sealer.open(connection.apiCredentials));
    credentialsSchemas[connection.provider].parse(credentials);
    return atsClientFor({ id: connection.id, provider: connection.provider }, credentials, settings.endpoints, tokens, limiter);
  }

  /** Reads the ATS's reasons and stages onto the connection; a failure is thrown for the caller (catalogue.ts keeps a refused stages read). */
  async function refreshCatalogue(connection: Connection, client: AtsClient) {
    await syncRepository.saveCatalogue(db, connection.id, await readCatalogue(client, storedCatalogue(connection.atsCatalogue), now()));
  }

  /**
   * Reads the ATS's users onto the connection. A refusal (a key without the permission) is kept
   * as the list's error, the users read before stay, and the caller goes on; a failure worth
   * trying again is thrown for the caller's retry.
   */
  async function readUsers(connection: Connection, client: AtsClient) {
    const before = atsUsersSchema.safeParse(connection.atsUsers).data;
    let users: AtsUsers;
    try {
      users = { readAt: now().toISOString(), error: null, data: (await client.users()).map((u) => ({ ...u })) };
    } catch (error) {
      if (!(error instanceof AtsApiError) || error.retryable) throw error;
      // The ATS's refusal in its words (named so, not `error.message`, which reads like a query of
      // the messages table to the layering test).
      const refusal = error.message;
      users = { readAt: before?.readAt ?? null, error: refusal.slice(0, 1000), data: before?.data ?? [] };
    }
    await syncRepository.saveUsers(db, connection.id, users);
  }

  const usersReadSince = (connection: Connection, since: string) => {
    const readAt = atsUsersSchema.safeParse(connection.atsUsers).data?.readAt;
    return !!readAt && readAt >= since;
  };

  const catalogueReadSince = (connection: Connection, since: string) => (storedCatalogue(connection.atsCatalogue)?.readAt ?? '') >= since;

  const delay = (tries: number, asked: number | null) => Math.max(asked ?? 0, Math.min(MAX_DELAY_MS, settings.retryBaseMs * 2 ** Math.max(0, tries - 1)));

  const queueImport = (tx: DbClient, connectionId: string, key: string, runAt?: Date) =>
    enqueueInTransaction(tx, [
      { queue: 'ats', name: 'import', payload: { task: 'import', connectionId }, jobId: `ats.import.${connectionId}.${key}`, ...(runAt ? { runAt } : {}) },
    ]);

  /** Whether the circuit lets a call through now; when not, the job is queued again for when it will. */
  async function circuitLets(connection: Connection, requeue: (until: Date) => Promise<void>): Promise<boolean> {
    const circuit = await writebackRepository.circuit(db, connection.id, now(), settings.circuit.openMs);
    if (circuit.state !== 'open') return true;
    await requeue(circuit.until);
    return false;
  }

  return {
    /** Starts (or restarts) the import from the first page, in the caller's transaction when given. */
    async startImport(tx: DbClient, connectionId: string, startedAt: Date = now()) {
      const state: ImportState = {
        status: 'running',
        phase: 'jobs',
        cursor: null,
        jobs: 0,
        imported: 0,
        pages: 0,
        tries: 0,
        startedAt: startedAt.toISOString(),
        error: null,
      };
      await syncRepository.saveImport(tx, connectionId, state);
      await queueImport(tx, connectionId, `start.${now().getTime()}`);
      return state;
    },

    /** POST …/import: the connection must have credentials, and its ATS a way to list applications. */
    async requestImport(actor: Actor, connectionId: string) {
      const connection = found(await writebackRepository.connection(db, actor.organizationId, connectionId), 'ATS connection');
      const client = clientOf(connection);
      if (!client) throw new AppError('conflict', 'The connection has no API credentials: PUT them first');
      if (!client.listApplications) throw new AppError('conflict', `Hearback does not import from ${connection.provider} yet: its webhooks and the API bring the records`);
      return db.$transaction((tx) => this.startImport(tx, connectionId));
    },

    /** The `ats` queue's import job: a few pages, their records and the cursor saved together. */
    async runImport(connectionId: string) {
      const connection = await writebackRepository.connectionById(db, connectionId);
      let state = importStateSchema.safeParse(connection?.importState).data;
      if (!connection || state?.status !== 'running') return { skipped: state?.status ?? 'no import' };
      const client = clientOf(connection);
      if (!client?.listApplications) {
        const failed = { ...state, status: 'failed' as const, error: 'The connection cannot list applications (no credentials, or an ATS Hearback does not import from)' };
        await db.$transaction(async (tx) => {
          await syncRepository.saveImport(tx, connection.id, failed);
          await noticeSetupFailed(tx, connection, 'import', now());
        });
        return { status: 'failed' };
      }
      const pages = state.pages;
      if (!(await circuitLets(connection, (until) => queueImport(db, connection.id, `${pages}.circuit.${until.getTime()}`, until)))) return { status: 'waiting' };
      try {
        // Once per import, before its first page (a retry after a failed read reads them again);
        // credentials just saved read the catalogue a moment before this import started.
        if (state.pages === 0 && !usersReadSince(connection, state.startedAt)) await readUsers(connection, client);
        if (state.pages === 0 && !catalogueReadSince(connection, state.startedAt)) await refreshCatalogue(connection, client);
        for (let read = 0; read < settings.pagesPerJob; read++) {
          if (state.phase === 'jobs') {
            const jobs = await client.listOpenJobs(state.cursor);
            const current: ImportState = state;
            state = await db.$transaction(async (tx) => {
              const upserted = await upsertJobs(tx, connection, jobs.items);
              // The last page of jobs hands over to the applications, from their first page.
              const next: ImportState = {
                ...current,
                jobs: current.jobs + upserted,
                pages: current.pages + 1,
                tries: 0,
                ...(jobs.next ? { cursor: jobs.next } : { phase: 'applications', cursor: null }),
              };
              await syncRepository.saveImport(tx, connection.id, next);
              return next;
            }, PAGE_TRANSACTION);
            await writebackRepository.callSucceeded(db, connection.id);
            continue;
          }
          const page = await client.listApplications({ cursor: state.cursor, syncToken: null });
          const current: ImportState = state;
          state = await db.$transaction(async (tx) => {
            const imported = await upsertActive(tx, connection, page.items);
            const next: ImportState = {
              ...current,
              cursor: page.next,
              imported: current.imported + imported,
              pages: current.pages + 1,
              tries: 0,
              status: page.next ? 'running' : 'done',
            };
            await syncRepository.saveImport(tx, connection.id, next);
            // An ATS with no sync token of its own reads the changes since the import began.
            if (!page.next) await syncRepository.imported(tx, connection.id, now(), page.syncToken ?? String(Date.parse(current.startedAt)));
            return next;
          }, PAGE_TRANSACTION);
          await writebackRepository.callSucceeded(db, connection.id);
          if (state.status === 'done') return { status: 'done', imported: state.imported };
        }
        await queueImport(db, connection.id, String(state.pages));
        return { status: 'continuing', imported: state.imported };
      } catch (error) {
        if (!(error instanceof AtsApiError)) throw error;
        const tries = state.tries + 1;
        const { message } = error;
        const why = message.slice(0, 1000);
        if (!error.retryable) {
          const failed: ImportState = { ...state, status: 'failed', tries, error: why };
          await db.$transaction(async (tx) => {
            await syncRepository.saveImport(tx, connection.id, failed);
            await writebackRepository.recordConnectionError(tx, connection.id, `import: ${message}`, now());
            await noticeSetupFailed(tx, connection, 'import', now());
          });
          return { status: 'failed' };
        }
        await recordFailedCall(db, connection, new AtsApiError(`import: ${error.message}`, error.status, true, error.retryAfterMs), settings.circuit, now());
        const runAt = new Date(now().getTime() + delay(tries, error.retryAfterMs));
        await db.$transaction(async (tx) => {
          await syncRepository.saveImport(tx, connection.id, { ...state!, tries, error: why });
          await queueImport(tx, connection.id, `${state!.pages}.retry.${tries}.${runAt.getTime()}`, runAt);
        });
        return { status: 'retrying', runAt };
      }
    },

    /**
     * The `ats` queue's reconciliation of one connection: every change since the last read,
     * applied as its webhook would have been. Needs a finished import (its sync token).
     */
    async reconcile(connectionId: string) {
      const connection = await writebackRepository.connectionById(db, connectionId);
      if (!connection?.syncToken) return { skipped: 'nothing to reconcile from (no finished import)' };
      const client = clientOf(connection);
      if (!client?.listApplications) return { skipped: 'the connection cannot list applications' };
      if (!(await circuitLets(connection, async () => {}))) return { status: 'waiting' };
      if (!isAtsProvider(connection.provider)) return { skipped: 'not an ATS Hearback calls' };
      const provider = connection.provider;
      let cursor: string | null = null;
      let applied = 0;
      const startedAt = now();
      try {
        for (;;) {
          const page = await client.listApplications({ cursor, syncToken: connection.syncToken });
          await db.$transaction(async (tx) => {
            const erased = await syncRepository.erased(tx, connection.organizationId, provider, [...new Set(page.items.map((a) => a.candidate.externalId))]);
            const known = new Map(
              (
                await syncRepository.statuses(
                  tx,
                  connection.organizationId,
                  provider,
                  page.items.map((a) => a.externalId),
                )
              ).map((r) => [r.externalId, r.status]),
            );
            for (const item of page.items) {
              if (erased.has(item.candidate.externalId)) continue;
              const status = known.get(item.externalId);
              const event = {
                application: { externalId: item.externalId },
                candidate: { externalId: item.candidate.externalId, name: item.candidate.name, emails: item.candidate.emails, phones: [] },
                requisition: item.requisition,
                occurredAt: null,
                stage: item.stage,
              };
              if (item.state === 'hired' && status !== undefined && status !== 'hired') {
                await applier.apply(tx, connection.organizationId, provider, { kind: 'hire', ...event });
                applied++;
              } else if (item.state === 'rejected' && status === 'active') {
                await applier.apply(tx, connection.organizationId, provider, { kind: 'reject', ...event, reason: null, rejectedBy: null });
                applied++;
              } else if (item.state === 'active') {
                applied += await upsertActive(tx, connection, [item]);
              }
            }
            if (!page.next) await syncRepository.reconciled(tx, connection.id, now(), page.syncToken ?? String(startedAt.getTime()));
          }, PAGE_TRANSACTION);
          if (!page.next) break;
          cursor = page.next;
        }
        await writebackRepository.callSucceeded(db, connection.id);
        // Best effort: the changes are applied and marked; a users or catalogue read that failed waits for the next round.
        const laterIfAts = (error: unknown) => {
          if (!(error instanceof AtsApiError)) throw error;
        };
        await readUsers(connection, client).catch(laterIfAts);
        await refreshCatalogue(connection, client).catch(laterIfAts);
        return { status: 'done', applied };
      } catch (error) {
        if (!(error instanceof AtsApiError)) throw error;
        if (error.retryable) await recordFailedCall(db, connection, new AtsApiError(`reconciliation: ${error.message}`, error.status, true), settings.circuit, now());
        else await writebackRepository.recordConnectionError(db, connection.id, `reconciliation: ${error.message}`, now());
        // The next round reads the same changes again: nothing was marked reconciled.
        return { status: 'failed', error: error.message };
      }
    },

    /** GET …/users: the ATS's users as last read (empty until an import or a reconciliation read them). */
    async users(organizationId: string, connectionId: string): Promise<AtsUsers> {
      const connection = found(await writebackRepository.connection(db, organizationId, connectionId), 'ATS connection');
      return atsUsersSchema.safeParse(connection.atsUsers).data ?? { readAt: null, error: null, data: [] };
    },

    /** The workers' clock: a reconciliation queued for each connection due one (at most one per connection and round). */
    async reconcileDue() {
      const at = now();
      const due = await syncRepository.dueForReconciliation(db, new Date(at.getTime() - settings.reconcileEveryMs));
      const round = Math.floor(at.getTime() / settings.reconcileEveryMs);
      await enqueueInTransaction(
        db,
        due.map((id) => ({ queue: 'ats' as const, name: 'reconcile', payload: { task: 'reconcile' as const, connectionId: id }, jobId: `ats.reconcile.${id}.${round}` })),
      );
      return due.length;
    },
  };
}
