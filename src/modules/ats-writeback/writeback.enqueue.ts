// The moments the ATS is told something, each called inside the transaction that records it:
// a rejection sent (the messages module), a status update, hold or cancellation sent (the
// messages module), a talent-pool choice (the candidate's page), a data request (data rights) and
// an erasure (data rights). Each application that came from an ATS this organization connected
// with credentials gets a write-back row and an outbox job, committed with the change or not at
// all; the ATS itself is called later by the `ats` queue, never inside these transactions.
import type { DbClient } from '../../db/client.js';
import { enqueueInTransaction } from '../../queue/outbox.js';
import { writebackRepository, type NewWriteback } from './writeback.repository.js';

async function create(tx: DbClient, rows: NewWriteback[]): Promise<number> {
  if (rows.length === 0) return 0;
  const ids = await writebackRepository.createWritebacks(tx, rows);
  await enqueueInTransaction(
    tx,
    ids.map((id) => ({ queue: 'ats' as const, name: 'writeback', payload: { task: 'writeback' as const, writebackId: id }, jobId: `ats.writeback.${id}.0` })),
  );
  return ids.length;
}

export async function enqueueRejectionWritebacks(tx: DbClient, organizationId: string, told: { applicationId: string; messageId: string }[]): Promise<number> {
  const messageOf = new Map(told.map((t) => [t.applicationId, t.messageId]));
  const targets = await writebackRepository.targets(tx, organizationId, [...messageOf.keys()]);
  return create(
    tx,
    targets.map((t) => {
      const messageId = messageOf.get(t.applicationId)!;
      return { organizationId, ...t, action: 'rejection', subjectId: messageId, messageId, note: null };
    }),
  );
}

export interface AtsNote {
  applicationId: string;
  /** What the note tells (a message, a consent, a data request): one note per subject and application. */
  subjectId: string;
  /** The message it is about, linked from the note. */
  messageId?: string;
  /** What happened, with no personal data: the ATS holds the person already. */
  text: string;
}

/** A note on each application's candidate in its ATS (written once, however often the job runs). */
export async function enqueueAtsNotes(tx: DbClient, organizationId: string, notes: AtsNote[]): Promise<number> {
  if (notes.length === 0) return 0;
  const targets = await writebackRepository.targets(tx, organizationId, [...new Set(notes.map((n) => n.applicationId))]);
  return create(
    tx,
    notes.flatMap((n) =>
      targets
        .filter((t) => t.applicationId === n.applicationId)
        .map((t) => ({ organizationId, ...t, action: 'note' as const, subjectId: n.subjectId, messageId: n.messageId ?? null, note: n.text.slice(0, 1500) })),
    ),
  );
}

/**
 * An erasure: each ATS that holds one of these candidate records is asked to anonymize it (one
 * write-back per connection and record). Called before the records are pseudonymised, while their
 * applications' external ids still say where they came from.
 */
export async function enqueueAtsErasure(tx: DbClient, organizationId: string, candidateIds: string[], subjectId: string): Promise<number> {
  const targets = await writebackRepository.erasureTargets(tx, organizationId, candidateIds);
  return create(
    tx,
    targets.map((t) => ({ organizationId, ...t, action: 'erasure' as const, subjectId, messageId: null, note: null })),
  );
}
