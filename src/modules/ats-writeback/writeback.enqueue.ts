// The moment a rejection is told: the messages module calls `enqueueRejectionWritebacks` in the
// transaction that records the email as sent. Each application that came from an ATS this
// organization connected with credentials gets a write-back row and an outbox job, committed with
// the send or not at all; the ATS itself is called later by the `ats` queue, never inside that
// transaction.
import type { DbClient } from '../../db/client.js';
import { enqueueInTransaction } from '../../queue/outbox.js';
import { writebackRepository } from './writeback.repository.js';

export async function enqueueRejectionWritebacks(tx: DbClient, organizationId: string, told: { applicationId: string; messageId: string }[]): Promise<number> {
  const messageOf = new Map(told.map((t) => [t.applicationId, t.messageId]));
  const targets = await writebackRepository.targets(tx, organizationId, [...messageOf.keys()]);
  if (targets.length === 0) return 0;
  const ids = await writebackRepository.createWritebacks(
    tx,
    targets.map((t) => ({ organizationId, ...t, messageId: messageOf.get(t.applicationId)! })),
  );
  await enqueueInTransaction(
    tx,
    ids.map((id) => ({ queue: 'ats' as const, name: 'writeback', payload: { task: 'writeback' as const, writebackId: id }, jobId: `ats.writeback.${id}.0` })),
  );
  return ids.length;
}
