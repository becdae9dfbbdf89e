// Acknowledging a new application: when the organization (or the requisition) wants it, the
// candidate gets a short email, once, in their language, saying it arrived, that a person will
// read it, and when they will hear back. Queued in the transaction that created the application;
// the delivery module sends it exactly once (a suppressed address is refused there).
import type { DbClient } from '../../db/client.js';
import { fromHeader } from '../../email/postmark.js';
import { acknowledgementEmail } from '../candidate-page/view/acknowledgement-email.js';
import { pageLocale } from '../candidate-page/view/locale.js';
import type { TransactionalMail } from '../delivery/transactional.js';
import { formalityFor } from '../templates/formality.js';
import { applicationsRepository } from './applications.repository.js';
import { greetingName } from './names.js';

/** Queues the acknowledgement of a just-created application when one is wanted; returns whether it was. */
export async function acknowledgeApplication(tx: DbClient, mail: Pick<TransactionalMail, 'queue'>, applicationId: string): Promise<boolean> {
  const facts = await applicationsRepository.acknowledgementFacts(tx, applicationId);
  if (!facts) return false;
  const locale = pageLocale(facts.locale ?? facts.defaultLocale, null);
  const content = acknowledgementEmail({
    locale,
    formality: formalityFor(facts.formality, locale),
    firstName: greetingName({ name: facts.name, preferredName: facts.preferredName }),
    name: facts.name,
    company: facts.organizationName,
    role: facts.title,
    promisedDecisionAt: facts.promisedDecisionAt,
    timeZone: facts.timezone,
  });
  const id = await mail.queue(tx, {
    organizationId: facts.organizationId,
    purpose: 'application_received',
    subjectId: applicationId,
    candidateId: facts.candidateId,
    messageId: null,
    recipientEmail: facts.address,
    toHeader: fromHeader(facts.address, facts.name),
    ...content,
    tag: 'application-received',
  });
  return id !== null;
}
