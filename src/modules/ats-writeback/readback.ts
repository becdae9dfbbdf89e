// Read back before acting: with credentials, an inbound event is checked against the application
// as the ATS's API shows it now, not taken from the payload. Lever signs only `token` +
// `triggeredAt`, so its `data` (the opportunity id) could be swapped by whoever saw one signed
// delivery; the read-back of that other opportunity then contradicts the event and it is refused.
// The event's ids become the ATS's own (candidate, job), and what it claims (hired, rejected,
// active again, deleted) must be what the ATS holds. What the event applies of the person — the
// candidate's name, emails and phones — is read back too (the candidate the application names),
// and a rejection carries the reason the ATS shows on the application, and who ended it, never
// the payload's. Greenhouse and Ashby sign their bodies, but a body is only what the ATS said at
// the time it was sent: applied a retry later, after a merge or an edit, the ATS's record is the
// one that counts.
//
// Not re-read: the requisition's title (v3 names a job by id only, and a title is not a fact the
// event turns on; the job's id is checked and replaced), and offers. An `offer` or
// `offer_withdrawn` event keeps nothing of its offer: the mappers take the application's ids
// from it and apply records an `offer` decision (or nothing, for a withdrawal), so there are no
// offer fields to replace. What it claims of the application is checked like any other event
// (an offer leaves it active or hired). Reading the offer itself (Greenhouse's offers of the
// application, Lever's GET /opportunities/{id}/offers, Ashby's offer.list) would confirm only
// that one exists, which Hearback does not act on.
import type { AtsApplication, AtsCandidate, AtsClient } from '../ats-api/ats-client.js';
import { AtsApiError } from '../ats-api/ats-http.js';
import { INBOUND_LIMITS, type InboundEvent } from '../ats-inbound/providers/events.js';

export type ReadBack = { verdict: 'confirmed'; event: InboundEvent } | { verdict: 'refused'; reason: string };

/** The states the ATS may show after each kind of event. */
const EXPECTED: Record<string, readonly AtsApplication['state'][] | 'gone'> = {
  hire: ['hired'],
  unhire: ['active', 'rejected'],
  reject: ['rejected'],
  unreject: ['active'],
  advance: ['active'],
  offer: ['active', 'hired'],
  offer_withdrawn: ['active', 'rejected', 'hired'],
  delete_application: 'gone',
};

/**
 * The event as the ATS confirms it, or why it is refused. Throws an AtsApiError the caller may
 * retry (429, 5xx, timeouts); other API errors refuse the event.
 */
export async function readBackEvent(client: AtsClient, provider: string, event: InboundEvent): Promise<ReadBack> {
  if (event.kind === 'ignored' || event.kind === 'merge') return { verdict: 'confirmed', event };
  const id = event.application.externalId;
  let application: AtsApplication | null;
  try {
    application = await client.application(id);
  } catch (error) {
    if (error instanceof AtsApiError && !error.retryable) return { verdict: 'refused', reason: `read-back of application ${id} from ${provider} failed: ${error.message}` };
    throw error;
  }
  const expected = EXPECTED[event.kind]!;
  if (expected === 'gone') {
    return application === null ? { verdict: 'confirmed', event } : { verdict: 'refused', reason: `${provider} still has application ${id} (${application.state}): not deleted` };
  }
  if (application === null) return { verdict: 'refused', reason: `${provider} has no application ${id}` };
  if (!expected.includes(application.state)) {
    return { verdict: 'refused', reason: `${provider} shows application ${id} ${application.state}, which a ${event.kind} event cannot leave it (read back)` };
  }
  if (event.candidate && event.candidate.externalId !== application.candidateExternalId) {
    return { verdict: 'refused', reason: `the payload's candidate ${event.candidate.externalId} is not application ${id}'s (${application.candidateExternalId} in ${provider})` };
  }
  if (event.requisition && application.requisitionExternalId !== null && event.requisition.externalId !== application.requisitionExternalId) {
    return { verdict: 'refused', reason: `the payload's job ${event.requisition.externalId} is not application ${id}'s (${application.requisitionExternalId} in ${provider})` };
  }
  let candidate: AtsCandidate | null;
  try {
    candidate = await client.candidate(application.candidateExternalId);
  } catch (error) {
    if (error instanceof AtsApiError && !error.retryable)
      return { verdict: 'refused', reason: `read-back of candidate ${application.candidateExternalId} from ${provider} failed: ${error.message}` };
    throw error;
  }
  if (!candidate) return { verdict: 'refused', reason: `${provider} has no candidate ${application.candidateExternalId}, whom application ${id} names` };
  const confirmed: InboundEvent = {
    ...event,
    application: { externalId: application.externalId },
    candidate: {
      externalId: candidate.externalId,
      name: candidate.name?.slice(0, INBOUND_LIMITS.name) ?? null,
      emails: candidate.emails.filter((e) => e.length <= INBOUND_LIMITS.email).slice(0, INBOUND_LIMITS.contacts),
      phones: candidate.phones.filter((p) => p.length <= INBOUND_LIMITS.phone).slice(0, INBOUND_LIMITS.contacts),
    },
    ...(event.requisition && application.requisitionExternalId !== null ? { requisition: { ...event.requisition, externalId: application.requisitionExternalId } } : {}),
  };
  if (confirmed.kind === 'reject') {
    // The state was checked: the ATS shows it rejected, with this reason (or none it names).
    return {
      verdict: 'confirmed',
      event: { ...confirmed, reason: application.reason?.text?.slice(0, INBOUND_LIMITS.reason) ?? null, rejectedBy: application.reason?.rejectedBy ?? null },
    };
  }
  return { verdict: 'confirmed', event: confirmed };
}
