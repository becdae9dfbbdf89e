// Ashby webhooks (developers.ashbyhq.com, webhook payload reference) → InboundEvent. Bodies are
// `{ action, data }`; the application events carry the application as pushToHRIS has it
// (candidate with primary email and phone, current interview stage, job, archive reason).
// Events key on application ids: Ashby can change a candidate's id when it merges duplicates.
//
// candidateHire and candidateStageChange also fire applicationUpdate, and applicationUpdate
// fires for any edit, so the kind follows the application's status rather than the action:
// the same state read twice gives the same event.
import { type ApplicationEventFields, ignored, type InboundCandidate, type InboundEvent, INBOUND_LIMITS, notADecision, unknownEventType } from './events.js';
import { eventTypeOr, InboundPayloadError, PayloadObject } from './read.js';

export interface AshbyContext {
  /**
   * Whether Hearback holds this application as archived (rejected). An Ashby payload shows the
   * status now, not before, so an unarchive is only recognised with this; without it an active
   * application is an `advance`. Guessing from leftover archive fields could turn an offer back
   * into a plain active application.
   */
  wasArchived?: boolean;
}

const APPLICATION_ACTIONS = new Set(['candidateHire', 'applicationUpdate', 'candidateStageChange']);

/** The webhook types Hearback acts on: what it registers in Ashby through the API (ats-api/ashby.ts). */
export const ASHBY_HANDLED_ACTIONS: readonly string[] = ['applicationUpdate', 'candidateHire', 'candidateStageChange', 'candidateMerge'];

const KNOWN_OTHER_ACTIONS = new Set([
  'applicationSubmit',
  'candidateDelete', // names the candidate only, not its applications
  'interviewPlanTransition',
  'interviewScheduleCreate',
  'interviewScheduleUpdate',
  'jobCreate',
  'jobUpdate',
  'jobPostingUpdate',
  'jobPostingPublish',
  'jobPostingUnpublish',
  'offerCreate',
  'offerUpdate',
  'offerDelete',
  'openingCreate',
  'pushToHRIS',
  'signatureRequestUpdate',
  'surveySubmit',
]);

export function mapAshby(payload: unknown, context: AshbyContext = {}): InboundEvent {
  const body = PayloadObject.body(payload);
  const action = body.eventType('action');

  if (action === 'ping') return ignored(action, 'webhook ping');
  if (action === 'candidateMerge') return merge(body.object('data'));
  if (!APPLICATION_ACTIONS.has(action)) return KNOWN_OTHER_ACTIONS.has(action) ? notADecision(action) : unknownEventType(action);

  const application = body.object('data').object('application');
  const fields = applicationFields(application);
  if (action === 'candidateHire') return { kind: 'hire', ...fields };

  // "Hired", "Archived", "Active", "Lead" in the payload schema.
  const status = application.text('status', 50);
  switch (status) {
    case 'Hired':
      return { kind: 'hire', ...fields };
    case 'Archived': {
      const reason = application.optionalObject('archiveReason');
      return {
        kind: 'reject',
        ...fields,
        occurredAt: application.optionalInstant('archivedAt') ?? fields.occurredAt,
        reason: reason?.optionalText('text', INBOUND_LIMITS.reason) ?? null,
        rejectedBy: rejectedBy(reason?.optionalText('reasonType', 50) ?? null),
      };
    }
    case 'Active':
    case 'Lead':
      return { kind: context.wasArchived ? 'unreject' : 'advance', ...fields };
    default:
      return ignored(action, `application status ${status.slice(0, 50)} is not one Hearback knows`);
  }
}

/** The action name, or `unknown`; never throws. */
export const ashbyEventType = (payload: unknown): string => eventTypeOr(payload, 'action');

/**
 * The application id an application event is about, or null when the body has none readable:
 * for looking up what Hearback holds before mapping. Never throws; the mapper reports the flaw.
 */
export function ashbyApplicationId(payload: unknown): string | null {
  try {
    return PayloadObject.body(payload).object('data').object('application').id('id');
  } catch (error) {
    if (!(error instanceof InboundPayloadError)) throw error;
    return null;
  }
}

// ----- events -------------------------------------------------------------------------------

function applicationFields(application: PayloadObject): ApplicationEventFields {
  const candidate = application.optionalObject('candidate');
  const job = application.optionalObject('job');
  return {
    application: { externalId: application.id('id') },
    candidate: candidate ? candidateOf(candidate) : null,
    requisition: job ? { externalId: job.id('id'), title: job.optionalText('title', INBOUND_LIMITS.title) } : null,
    occurredAt: application.optionalInstant('updatedAt'),
    stage: application.optionalObject('currentInterviewStage')?.optionalText('title', INBOUND_LIMITS.stage) ?? null,
  };
}

/** Archive reason types: RejectedByOrg, RejectedByCandidate, Other (archiveReason.list). */
export function rejectedBy(reasonType: string | null): 'organization' | 'candidate' | null {
  if (reasonType === 'RejectedByOrg') return 'organization';
  if (reasonType === 'RejectedByCandidate') return 'candidate';
  return null;
}

function merge(data: PayloadObject): InboundEvent {
  // "Includes the deleted candidate's id and merged candidate data."
  const winner = data.object('mergedCandidate').id('id');
  const loser = data.object('deletedCandidate').id('id');
  if (winner === loser) throw new InboundPayloadError('data.mergedCandidate.id', 'is the deleted candidate’s own id');
  return { kind: 'merge', winner: { externalId: winner }, loser: { externalId: loser } };
}

// ----- records ------------------------------------------------------------------------------

function candidateOf(candidate: PayloadObject): InboundCandidate {
  const contact = (key: string, max: number): string[] => {
    const value = candidate.optionalObject(key)?.optionalText('value', max, { keepAsGiven: true }) ?? null;
    return value === null ? [] : [value];
  };
  return {
    externalId: candidate.id('id'),
    name: candidate.optionalText('name', INBOUND_LIMITS.name),
    emails: contact('primaryEmailAddress', INBOUND_LIMITS.email),
    phones: contact('primaryPhoneNumber', INBOUND_LIMITS.phone),
  };
}
