// Dispatch: due approved messages become batches, each with its send job; and the sweeper takes
// back work whose job was lost. Both commit their moves and their jobs together (the outbox): a
// batch exists if and only if its job does.
import { newId } from '../../lib/ids.js';
import { enqueueInTransaction } from '../../queue/outbox.js';
import { BATCH_TRANSACTION, PASS_LIMIT, messageEvent, reconcileJob, sendJob, type DeliveryContext } from './delivery-context.js';
import { deliveryRepository as repo, type DueRow } from './delivery.repository.js';

/** Chunks rows into batches of one organization and requisition each. */
function intoBatches(rows: DueRow[], size: number): { batchId: string; ids: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const row of rows) {
    const key = `${row.organizationId}|${row.requisitionId}`;
    // Pushed, not copied: a pass of 5,000 rows of one requisition copied ~12.5 million ids.
    const group = groups.get(key);
    if (group) group.push(row.id);
    else groups.set(key, [row.id]);
  }
  const batches: { batchId: string; ids: string[] }[] = [];
  for (const ids of groups.values()) {
    for (let i = 0; i < ids.length; i += size) batches.push({ batchId: newId(), ids: ids.slice(i, i + size) });
  }
  return batches;
}

const assignments = (batches: { batchId: string; ids: string[] }[]) => batches.flatMap((b) => b.ids.map((id) => ({ id, batchId: b.batchId })));

export function createDispatch({ db, settings, logger, messages, now, claimTimeoutMs }: DeliveryContext) {
  return {
    /** Moves due approved messages into batches and enqueues one job per batch. */
    async dispatchDue(): Promise<number> {
      let moved = 0;
      for (;;) {
        const at = now();
        const count = await db.$transaction(async (tx) => {
          const due = await repo.due(tx, at, PASS_LIMIT);
          const batches = intoBatches(due, settings.batchSize);
          await messages.schedule(tx, assignments(batches), 'approved', at);
          await enqueueInTransaction(
            tx,
            batches.map((b) => sendJob(b.batchId)),
          );
          return due.length;
        }, BATCH_TRANSACTION);
        moved += count;
        if (count < PASS_LIMIT) return moved;
      }
    },

    /**
     * Takes back work whose job was lost: scheduled messages that waited too long get a new batch
     * and job; claims older than any request become unknown and are reconciled; unknown messages
     * whose reconciliation was lost get a new one.
     */
    async sweep(): Promise<{ rescheduled: number; abandoned: number; reconciling: number }> {
      const at = now();
      return db.$transaction(async (tx) => {
        const stranded = await repo.stranded(tx, new Date(at.getTime() - settings.staleMs), PASS_LIMIT);
        const batches = intoBatches(stranded, settings.batchSize);
        await messages.schedule(tx, assignments(batches), 'scheduled', at);
        const jobs = batches.map((b) => sendJob(b.batchId));

        const abandoned = await repo.abandonedClaims(tx, new Date(at.getTime() - claimTimeoutMs), PASS_LIMIT);
        const reconcileAt = new Date(at.getTime() + settings.reconcileDelayMs);
        const moved = new Set(
          await messages.move(
            tx,
            'lose',
            abandoned.map((a) => a.id),
            {},
            {
              status: 'unknown',
              claimToken: null,
              nextAttemptAt: reconcileAt,
              failureReason: 'The attempt stopped before Postmark’s answer was recorded',
            },
          ),
        );
        await messages.recordEvents(
          tx,
          abandoned.filter((a) => moved.has(a.id)).map((a) => messageEvent(a, 'unknown', { reason: 'attempt abandoned' })),
        );
        const toReconcile = new Set(abandoned.map((a) => a.batchId));
        jobs.push(...[...toReconcile].map((batchId) => reconcileJob(batchId, reconcileAt)));

        const forgotten = await repo.forgottenUnknown(tx, new Date(at.getTime() - settings.staleMs), PASS_LIMIT);
        for (const { batchId } of forgotten) {
          if (toReconcile.has(batchId)) continue;
          toReconcile.add(batchId);
          jobs.push(reconcileJob(batchId, at));
        }
        await enqueueInTransaction(tx, jobs);
        if (stranded.length || abandoned.length || forgotten.length) {
          logger.warn({ rescheduled: stranded.length, abandoned: abandoned.length, reconciling: toReconcile.size }, 'delivery sweep took back lost work');
        }
        return { rescheduled: stranded.length, abandoned: abandoned.length, reconciling: toReconcile.size };
      }, BATCH_TRANSACTION);
    },
  };
}
