// Greenhouse Recruiting web hooks (developers.greenhouse.io/webhooks.html) → InboundEvent.
// Bodies are `{ action, payload }` with integer ids. Candidate events carry the whole
// application (candidate, jobs, current stage); offer and deletion events carry ids only.
// Greenhouse sends no event time, so occurredAt comes from the record's own timestamps.
import {
  type ApplicationEvent,
  type ApplicationEventFields,
  type ApplicationEventKind,
  ignored,
  type InboundCandidate,
  type InboundEvent,
  INBOUND_LIMITS,
  type InboundRequisition,
  notADecision,
  unknownEventType,
} from './events.js';
import { eventTypeOr, InboundPayloadError, PayloadObject } from './read.js';

/** Actions whose payload is `{ application }` with the candidate inside. */
const APPLICATION_ACTIONS = new Map<string, Exclude<ApplicationEventKind, 'offer' | 'offer_withdrawn' | 'delete_application'>>([
  ['hire_candidate', 'hire'],
  ['unhire_candidate', 'unhire'],
  ['reject_candidate', 'reject'],
  ['unreject_candidate', 'unreject'],
  ['candidate_stage_change', 'advance'],
]);

/** Documented actions that carry no decision (anything else is ignored as unknown). */
const KNOWN_OTHER_ACTIONS = new Set([
  'new_candidate_application',
  'new_prospect_application',
  'application_updated',
  'update_candidate',
  'delete_candidate', // merges fire merge_candidate; a plain deletion names no single application
  'candidate_anonymized',
  'offer_approved',
]);

// Prospects can sit on many jobs; more than this is not a payload Greenhouse sends.
const MAX_JOBS = 500;

export function mapGreenhouse(payload: unknown): InboundEvent {
  const body = PayloadObject.body(payload);
  const action = body.eventType('action');

  const kind = APPLICATION_ACTIONS.get(action);
  if (kind) return applicationEvent(kind, body.object('payload').object('application'));

  switch (action) {
    case 'merge_candidate':
      return merge(body.object('payload').object('person'));
    case 'offer_created':
    case 'offer_updated':
      return offer(action, body.object('payload'));
    case 'offer_deleted': {
      const offer = body.object('payload').object('offer');
      return { kind: 'offer_withdrawn', ...idsOnly(offer.id('application_id'), offer.optionalId('job_id')) };
    }
    case 'delete_application': {
      const application = body.object('payload').object('application');
      return { kind: 'delete_application', ...idsOnly(application.id('id'), application.optionalId('job_id')) };
    }
    case 'ping':
      // Sent when a web hook is saved; a failed ping leaves the hook disabled.
      return ignored(action, 'web hook ping');
    default:
      return KNOWN_OTHER_ACTIONS.has(action) ? notADecision(action) : unknownEventType(action);
  }
}

/** The action name, or `unknown`; never throws. */
export const greenhouseEventType = (payload: unknown): string => eventTypeOr(payload, 'action');

// ----- events -------------------------------------------------------------------------------

function applicationEvent(kind: Exclude<ApplicationEventKind, 'offer' | 'offer_withdrawn' | 'delete_application'>, application: PayloadObject): ApplicationEvent {
  const candidate = application.optionalObject('candidate');
  const fields: ApplicationEventFields = {
    application: { externalId: application.id('id') },
    candidate: candidate ? candidateOf(candidate) : null,
    requisition: requisitionOf(application),
    occurredAt: occurredAt(kind, application),
    stage: application.optionalObject('current_stage')?.optionalText('name', INBOUND_LIMITS.stage) ?? null,
  };
  if (kind !== 'reject') return { kind, ...fields };
  const reason = application.optionalObject('rejection_reason');
  return {
    kind,
    ...fields,
    reason: reason?.optionalText('name', INBOUND_LIMITS.reason) ?? null,
    rejectedBy: rejectedBy(reason?.optionalObject('type')?.optionalText('name', 100) ?? null),
  };
}

function occurredAt(kind: ApplicationEventKind, application: PayloadObject): Date | null {
  const lastActivity = () => application.optionalInstant('last_activity_at');
  // The hire payload has no last_activity_at; its offer's resolved_at is "the date the offer was accepted".
  if (kind === 'hire') return application.optionalObject('offer')?.optionalInstant('resolved_at') ?? lastActivity();
  if (kind === 'reject') return application.optionalInstant('rejected_at') ?? lastActivity();
  return lastActivity();
}

/** Rejection reason types are fixed in Greenhouse: "We rejected them", "They rejected us", "None specified". */
export function rejectedBy(typeName: string | null): 'organization' | 'candidate' | null {
  const name = typeName?.toLowerCase();
  if (name === 'we rejected them') return 'organization';
  if (name === 'they rejected us') return 'candidate';
  return null;
}

function merge(person: PayloadObject): InboundEvent {
  // "new_candidate_id: the ID of the candidate to whom this candidate has been merged".
  const loser = person.id('id');
  const winner = person.id('new_candidate_id');
  if (winner === loser) throw new InboundPayloadError(person.pathOf('new_candidate_id'), 'is the merged candidate’s own id');
  return { kind: 'merge', winner: { externalId: winner }, loser: { externalId: loser } };
}

function offer(action: string, offer: PayloadObject): InboundEvent {
  // offer_status is "one of Created, Accepted, Rejected, or Deprecated".
  const status = offer.optionalText('offer_status', 50)?.toLowerCase() ?? null;
  // offer_updated fires on the old version when a new one is made (which fires offer_created):
  // taking it as an offer could bring back an offer that was deleted since.
  if (status === 'deprecated') return ignored(action, 'superseded offer version (offer_status Deprecated)');
  // A declined offer is not an offer; the application's outcome arrives as its own event.
  if (status === 'rejected') return ignored(action, 'declined offer (offer_status Rejected)');
  return {
    kind: 'offer',
    ...idsOnly(offer.id('application_id'), offer.optionalId('job_id')),
    // resolved_at is when this version was accepted, rejected or deprecated: an event time only once accepted.
    occurredAt: status === 'accepted' ? offer.optionalInstant('resolved_at') : null,
  };
}

/** Offer and deletion payloads name the application and job, nothing more. */
const idsOnly = (applicationId: string, jobId: string | null): ApplicationEventFields => ({
  application: { externalId: applicationId },
  candidate: null,
  requisition: jobId === null ? null : { externalId: jobId, title: null },
  occurredAt: null,
  stage: null,
});

// ----- records ------------------------------------------------------------------------------

function candidateOf(candidate: PayloadObject): InboundCandidate {
  const first = candidate.optionalText('first_name', INBOUND_LIMITS.name);
  const last = candidate.optionalText('last_name', INBOUND_LIMITS.name);
  const name = [first, last].filter((part) => part !== null).join(' ');
  if (name.length > INBOUND_LIMITS.name) {
    throw new InboundPayloadError(candidate.pathOf('last_name'), `makes the name longer than ${INBOUND_LIMITS.name} characters`);
  }
  return {
    externalId: candidate.id('id'),
    name: name === '' ? null : name,
    emails: contactValues(candidate, 'email_addresses', INBOUND_LIMITS.email),
    phones: contactValues(candidate, 'phone_numbers', INBOUND_LIMITS.phone),
  };
}

/** `[{ value, type }]` → the values, as given, blanks skipped. */
const contactValues = (candidate: PayloadObject, key: string, max: number): string[] =>
  candidate.objects(key, INBOUND_LIMITS.contacts).flatMap((entry) => entry.optionalText('value', max, { keepAsGiven: true }) ?? []);

/**
 * "Candidates will have one job. Prospects will have 0 or more jobs." One job is the
 * requisition; several have no single requisition. `job` is the deprecated singular form.
 */
function requisitionOf(application: PayloadObject): InboundRequisition | null {
  const jobs = application.objects('jobs', MAX_JOBS);
  const job = jobs.length === 1 ? jobs[0]! : jobs.length === 0 ? application.optionalObject('job') : null;
  return job ? { externalId: job.id('id'), title: job.optionalText('name', INBOUND_LIMITS.title) } : null;
}
