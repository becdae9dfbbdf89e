// No candidate left in silence. Two timers, one treatment:
// - a promise that passes: an active application whose promised decision date went by without a
//   final word sent or on its way;
// - silence: an active application that heard nothing for the organization's number of business
//   days (when it set one), with nothing on its way.
// Each is acted on once (until it happens again): an `application.overdue` event saying which,
// a new date (the requisition's promise, or five business days, counted where the candidate lives),
// and a proposed status update telling the candidate that date, waiting for a person to confirm
// and approve it like any decision. The silence threshold counts business days in UTC.
import type { DbClient, PrismaClient } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { AppError } from '../../lib/errors.js';
import { addBusinessDays, subtractBusinessDays } from '../../lib/business-days.js';
import { auditRepository } from '../audit/audit.repository.js';
import type { PlansService } from '../decisions/plans.service.js';
import { recordNotifications } from '../notifications/notifications.record.js';
import { emitEvents } from '../outgoing-webhooks/events.js';
import { promisesRepository as repo } from './promises.repository.js';

/** Business days to the new date when the requisition names none. */
const DEFAULT_PROMISE_DAYS = 5;
const SWEEP_LIMIT = 500;
/** How long before a promise falls due its requisition's people are told (once a day per requisition). */
export const PROMISE_REMINDER_LEAD_MS = 24 * 3_600_000;

interface Waiting {
  applicationId: string;
  organizationId: string;
  requisitionId: string;
  candidateId: string;
  promiseDays: number | null;
  timezone: string | null;
  /** The organization lets Hearback confirm and approve its own status updates. */
  autoApprove: boolean;
  promisedDecisionAt?: Date;
}

export type PromisesService = ReturnType<typeof createPromisesService>;

export function createPromisesService({ db, plans, now = () => new Date() }: { db: PrismaClient; plans: Pick<PlansService, 'create' | 'confirm'>; now?: () => Date }) {
  /** Plans Hearback confirms itself (the organization allows it), after the transaction that made them. */
  type Proposed = { organizationId: string; planId: string; digest: string };
  /** The treatment, per requisition: event, new date, a status update proposed. */
  async function actOn(tx: DbClient, rows: Waiting[], reason: 'promise_passed' | 'silence', at: Date): Promise<Proposed[]> {
    const proposed: Proposed[] = [];
    const groups = new Map<string, Waiting[]>();
    for (const row of rows) groups.set(row.requisitionId, [...(groups.get(row.requisitionId) ?? []), row]);
    for (const group of groups.values()) {
      const { organizationId, requisitionId, promiseDays } = group[0]!;
      const actor: Actor = { organizationId, actor: 'system' };
      // The new date counts business days where each candidate lives.
      const promises = group.map((r) => ({ id: r.applicationId, promise: addBusinessDays(at, promiseDays ?? DEFAULT_PROMISE_DAYS, r.timezone) }));
      const newPromise = new Map(promises.map((p) => [p.id, p.promise]));
      const ids = group.map((r) => r.applicationId);
      if (reason === 'promise_passed') await repo.markActedOn(tx, promises, at);
      else await repo.markSilenceActedOn(tx, promises, at);
      await auditRepository.record(
        tx,
        actor,
        group.map((r) => ({
          action: 'application.overdue',
          entity: 'application',
          entityId: r.applicationId,
          before: { promisedDecisionAt: r.promisedDecisionAt ?? null },
          after: { reason, promisedDecisionAt: newPromise.get(r.applicationId) },
        })),
      );
      await emitEvents(
        tx,
        organizationId,
        group.map((r) => ({
          type: 'application.overdue' as const,
          data: {
            applicationId: r.applicationId,
            candidateId: r.candidateId,
            requisitionId,
            reason,
            promisedDecisionAt: r.promisedDecisionAt?.toISOString() ?? null,
            newPromisedDecisionAt: newPromise.get(r.applicationId)!.toISOString(),
          },
          occurredAt: at,
        })),
      );
      const plan = await plans.create(
        actor,
        requisitionId,
        {
          chosen: [],
          targets: { mode: 'list', applicationIds: ids },
          action: 'update',
          messageKind: 'status_update',
          messageKinds: {},
          feedback: {},
          recipientApplicationIds: [],
          expiresInMinutes: 24 * 60,
        },
        tx,
        undefined,
        group[0]!.autoApprove,
      );
      if (group[0]!.autoApprove) proposed.push({ organizationId, planId: plan.id, digest: plan.digest });
    }
    return proposed;
  }

  /** Confirms, as Hearback, the status updates the organization lets it send on its own (rendering then approves them). */
  async function confirmOwn(proposed: Proposed[]) {
    for (const { organizationId, planId, digest } of proposed) {
      try {
        await plans.confirm({ organizationId, actor: 'system' }, ['admin'], planId, { digest, chosenApplicationIds: [], overrides: [] });
      } catch (error) {
        // A check blocks it, or the facts moved: it waits for a person, like any plan.
        if (!(error instanceof AppError)) throw error;
      }
    }
  }

  const inTransaction = <T>(work: (tx: DbClient) => Promise<T>) => db.$transaction(work, { timeout: 120_000 });

  return {
    /** Promises that passed; returns how many applications were acted on. */
    async sweepOverdue(): Promise<number> {
      const at = now();
      const { count, proposed } = await inTransaction(async (tx) => {
        const overdue = await repo.overdue(tx, at, SWEEP_LIMIT);
        return { count: overdue.length, proposed: await actOn(tx, overdue, 'promise_passed', at) };
      });
      await confirmOwn(proposed);
      return count;
    },

    /**
     * Promises about to pass with no final word: the requisition's people hear how many fall due
     * within a day, once a day per requisition. Returns how many requisitions were told about.
     */
    async sweepDueSoon(): Promise<number> {
      const at = now();
      const due = await repo.dueSoon(db, at, new Date(at.getTime() + PROMISE_REMINDER_LEAD_MS));
      for (const group of due) {
        await db.$transaction((tx) =>
          recordNotifications(
            tx,
            group.organizationId,
            [
              {
                type: 'promise_due_soon',
                subjectKind: 'requisition',
                subjectId: group.requisitionId,
                requisitionId: group.requisitionId,
                detail: { count: group.count },
                dueAt: group.firstDue,
                dedupeKey: `promise_due_soon.${group.requisitionId}.${at.toISOString().slice(0, 10)}`,
                audience: { requisitionId: group.requisitionId },
              },
            ],
            at,
          ),
        );
      }
      return due.length;
    },

    /** Silences longer than each organization allows; returns how many applications were acted on. */
    async sweepSilence(): Promise<number> {
      const at = now();
      let acted = 0;
      for (const timer of await repo.silenceTimers(db)) {
        const since = subtractBusinessDays(at, timer.silenceBusinessDays!);
        const { count, proposed } = await inTransaction(async (tx) => {
          const silent = await repo.silent(tx, timer.id, since, SWEEP_LIMIT);
          return { count: silent.length, proposed: await actOn(tx, silent, 'silence', at) };
        });
        await confirmOwn(proposed);
        acted += count;
      }
      return acted;
    },
  };
}
