// Erasure: the person removed or irreversibly pseudonymised everywhere Hearback keeps them, in one
// Postgres transaction, each table by the module that owns it. What stays, and why:
//   - pseudonymised candidate and message rows (ids, statuses, times): reports count them;
//   - decisions: the record of what was decided, with no personal data in it;
//   - suppressions as keyed hashes (lib/erased-address.ts): they are never emailed again;
//   - the audit trail of who did what, with the person's values replaced;
//   - the data requests, without notes: the organization shows it answered;
//   - the closure report below: counts per table, no values.
import type { Prisma } from '../../generated/prisma/client.js';
import { erasurePattern } from '../../db/scrub.js';
import type { Actor } from '../../lib/actor.js';
import type { Sealer } from '../../lib/crypto.js';
import { erasedAddressKey } from '../../lib/erased-address.js';
import { storedFeedback } from '../messages/stored.js';
import { candidatePageErasureRepository as pageRows } from '../candidate-page/erasure.repository.js';
import { auditErasureRepository } from '../audit/erasure.repository.js';
import { auditRepository } from '../audit/audit.repository.js';
import { decisionsErasureRepository } from '../decisions/erasure.repository.js';
import { deliveryErasureRepository } from '../delivery/erasure.repository.js';
import { hiringErasureRepository } from '../hiring/erasure.repository.js';
import { idempotencyErasureRepository } from '../idempotency/erasure.repository.js';
import { inboundErasureRepository } from '../ats-inbound/erasure.repository.js';
import { messagesErasureRepository } from '../messages/erasure.repository.js';
import { notificationsErasureRepository } from '../notifications/erasure.repository.js';
import { outboxErasureRepository } from '../outbox/erasure.repository.js';
import { emitEvents } from '../outgoing-webhooks/events.js';
import { webhooksErasureRepository } from '../outgoing-webhooks/erasure.repository.js';
import { writebackErasureRepository } from '../ats-writeback/erasure.repository.js';
import { enqueueAtsErasure } from '../ats-writeback/writeback.enqueue.js';
import { dataRequestsRepository } from './data-requests.repository.js';
import type { Person } from './person.js';

export type ErasureReport = Record<string, number>;

/** The free text of stored feedback: what the candidate was told, to be found wherever it was copied. */
function feedbackTexts(value: unknown): string[] {
  let feedback;
  try {
    feedback = storedFeedback(value);
  } catch {
    return [];
  }
  if (!feedback) return [];
  return [
    ...feedback.strengths,
    ...feedback.areasToImprove,
    ...feedback.competencies.flatMap((c) => (c.comment ? [c.comment] : [])),
    ...(feedback.personalNote ? [feedback.personalNote] : []),
  ];
}

/** Phones as stored (E.164) and as commonly written without the plus. */
const phoneForms = (phone: string) => [phone, phone.replace(/^\+/, '')];

export async function erasePerson(
  tx: Prisma.TransactionClient,
  { actor, person, sealer, at, dataRequestId }: { actor: Actor; person: Person; sealer: Sealer; at: Date; dataRequestId: string | null },
): Promise<ErasureReport> {
  const organizationId = actor.organizationId;
  const ids = person.ids;
  const messages = await messagesErasureRepository.ofCandidates(tx, ids);
  const messageIds = messages.map((m) => m.id);
  const externalIds = await hiringErasureRepository.externalIds(tx, organizationId, ids);
  const values = [
    ...person.records.flatMap((r) => [r.name, r.preferredName ?? '', ...(r.phone ? phoneForms(r.phone) : []), ...r.emails.flatMap((e) => [e.address, e.normalized])]),
    ...messages.flatMap((m) => feedbackTexts(m.feedback)),
    ...(await pageRows.writtenBy(tx, ids)),
  ];
  const pattern = erasurePattern(values);
  const addresses = [...new Set(person.records.flatMap((r) => r.emails.map((e) => e.normalized)))];

  // Asked while the applications still say which ATS they came from; the ATS is called later.
  const atsErasures = await enqueueAtsErasure(tx, organizationId, ids, dataRequestId ?? person.candidateId);

  const report: ErasureReport = {
    ...(await messagesErasureRepository.erase(tx, ids, at)),
    ...(await pageRows.erase(tx, ids)),
    ...(await deliveryErasureRepository.eraseTransactional(tx, ids, at)),
  };
  if (pattern) {
    Object.assign(
      report,
      await deliveryErasureRepository.erase(
        tx,
        organizationId,
        messageIds,
        pattern,
        addresses.map((normalized) => ({ normalized, key: erasedAddressKey(organizationId, normalized) })),
      ),
      await inboundErasureRepository.erase(tx, organizationId, pattern),
      await decisionsErasureRepository.erase(tx, organizationId, pattern),
      await auditErasureRepository.erase(tx, organizationId, pattern),
      await webhooksErasureRepository.erase(tx, organizationId, pattern),
      await writebackErasureRepository.erase(tx, organizationId, pattern),
      await outboxErasureRepository.erase(tx, pattern),
      await notificationsErasureRepository.erase(tx, organizationId, pattern),
    );
    // Stored responses are sealed: opened here, matched with the same values.
    const matcher = new RegExp(pattern, 'i');
    const stored = await idempotencyErasureRepository.stored(tx, organizationId);
    const mention = stored.filter((r) => {
      try {
        return matcher.test(sealer.open(r.responseBody!));
      } catch {
        return false;
      }
    });
    report.idempotencyRecords = await idempotencyErasureRepository.remove(
      tx,
      organizationId,
      mention.map((r) => r.key),
    );
  }
  // Last: the rows the values above were read from.
  Object.assign(report, await hiringErasureRepository.erase(tx, ids, at));
  report.atsErasuresAsked = atsErasures;
  report.dataRequestsAnswered = await dataRequestsRepository.completeAllOf(tx, ids, dataRequestId, actor.actor, at);

  await emitEvents(tx, organizationId, [{ type: 'candidate.erased', data: { candidateIds: ids, externalIds, dataRequestId, erasedAt: at.toISOString() } }]);
  await auditRepository.record(tx, actor, [{ action: 'candidate.erased', entity: 'candidate', entityId: person.candidateId, after: { candidateIds: ids, dataRequestId, report } }]);
  return report;
}
