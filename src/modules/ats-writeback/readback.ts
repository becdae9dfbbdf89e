// Read back before acting: with credentials, an inbound event is checked against the application
// as the ATS's API shows it now, not taken from the payload. Lever signs only `token` +
// `triggeredAt`, so its `data` (the opportunity id) could be swapped by whoever saw one signed
// delivery; the read-back of that other opportunity then contradicts the event and it is refused.
// The event's ids become the ATS's own (candidate, job), and what it claims (hired, rejected,
// active again, deleted) must be what the ATS holds.
import type { AtsApplication, AtsClient } from '../ats-api/ats-client.js';
import { AtsApiError } from '../ats-api/ats-http.js';
import type { InboundEvent } from '../ats-inbound/providers/events.js';

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
  return {
    verdict: 'confirmed',
    event: {
      ...event,
      application: { externalId: application.externalId },
      ...(event.requisition && application.requisitionExternalId !== null ? { requisition: { ...event.requisition, externalId: application.requisitionExternalId } } : {}),
    },
  };
}
