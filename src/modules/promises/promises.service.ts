// No candidate left in silence when a promise passes: every active application whose promised
// decision date went by without a final word gets an `application.overdue` event, a new date
// (the requisition's promise, or five business days), and a proposed status update telling the
// candidate that new date, waiting for a person to confirm and approve it like any decision.
import type { PrismaClient } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { addBusinessDays } from '../../lib/business-days.js';
import { auditRepository } from '../audit/audit.repository.js';
import type { PlansService } from '../decisions/plans.service.js';
import { emitEvents } from '../outgoing-webhooks/events.js';
import { promisesRepository as repo, type OverdueRow } from './promises.repository.js';

/** Business days to the new date when the requisition names none. */
const DEFAULT_PROMISE_DAYS = 5;
const SWEEP_LIMIT = 500;

export type PromisesService = ReturnType<typeof createPromisesService>;

export function createPromisesService({ db, plans, now = () => new Date() }: { db: PrismaClient; plans: Pick<PlansService, 'create'>; now?: () => Date }) {
  return {
    /** One pass; returns how many applications were overdue and acted on. */
    async sweepOverdue(): Promise<number> {
      const at = now();
      return db.$transaction(
        async (tx) => {
          const overdue = await repo.overdue(tx, at, SWEEP_LIMIT);
          const groups = new Map<string, OverdueRow[]>();
          for (const row of overdue) groups.set(row.requisitionId, [...(groups.get(row.requisitionId) ?? []), row]);
          for (const rows of groups.values()) {
            const { organizationId, requisitionId, promiseDays } = rows[0]!;
            const actor: Actor = { organizationId, actor: 'system' };
            const newPromise = addBusinessDays(at, promiseDays ?? DEFAULT_PROMISE_DAYS);
            await repo.markActedOn(
              tx,
              rows.map((r) => r.applicationId),
              newPromise,
              at,
            );
            await auditRepository.record(
              tx,
              actor,
              rows.map((r) => ({
                action: 'application.overdue',
                entity: 'application',
                entityId: r.applicationId,
                before: { promisedDecisionAt: r.promisedDecisionAt },
                after: { promisedDecisionAt: newPromise },
              })),
            );
            await emitEvents(
              tx,
              organizationId,
              rows.map((r) => ({
                type: 'application.overdue' as const,
                data: {
                  applicationId: r.applicationId,
                  candidateId: r.candidateId,
                  requisitionId,
                  promisedDecisionAt: r.promisedDecisionAt.toISOString(),
                  newPromisedDecisionAt: newPromise.toISOString(),
                },
                occurredAt: at,
              })),
            );
            await plans.create(
              actor,
              requisitionId,
              {
                chosen: [],
                targets: { mode: 'list', applicationIds: rows.map((r) => r.applicationId) },
                action: 'update',
                messageKind: 'status_update',
                messageKinds: {},
                feedback: {},
                recipientApplicationIds: [],
                expiresInMinutes: 24 * 60,
              },
              tx,
            );
          }
          return overdue.length;
        },
        { timeout: 120_000 },
      );
    },
  };
}
