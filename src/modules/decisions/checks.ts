// The confirmation checks: never again the wrong email. A pure function of the facts (loaded by
// decisions.repository.ts) and the plan request, so plans, confirmations and the sender (which
// re-runs it right before sending) all judge with exactly the same rules.
//
// Identity is recomputed here from the raw facts (identity-graph.ts) instead of trusting any
// single one of them; one person gets one message per decision (recipients.ts).

import { isShippedLanguage } from '../templates/context.js';
import type { z } from 'zod';
import type { checkSchema } from './decisions.schemas.js';
import { components, identityGraph, identityPath, push } from './identity-graph.js';
import { carrierReasons, chooseCarriers, type CarrierOptions } from './recipients.js';

export type Check = z.infer<typeof checkSchema>;
export type CheckCode = Check['code'];
export type Evidence = Check['evidence'][number];

export interface CandidateFact {
  id: string;
  name: string;
  personId: string;
  /** Normalised addresses; the first is the primary one. */
  emails: string[];
  /** The primary address as given: where a message goes. */
  primaryAddress: string | null;
  phone: string | null;
  locale?: string | null;
}

export interface ApplicationFact {
  id: string;
  candidateId: string;
  requisitionId: string;
  status: string;
}

export interface DecisionFact {
  id: string;
  applicationId: string;
  kind: string;
  source: string;
  occurredAt: Date;
}

export interface MessageFact {
  id: string;
  applicationId: string;
  kind: string;
  status: string;
}

export interface PlanFacts {
  requisitionId: string;
  applications: Map<string, ApplicationFact>;
  candidates: Map<string, CandidateFact>;
  /** Recorded identity links between loaded candidates (ATS merges, shared emails or phones). */
  links: { candidateId: string; linkedCandidateId: string; reason: string; evidence: string }[];
  /** The latest decision of each loaded application that has one. */
  latestDecisions: Map<string, DecisionFact>;
  messages: MessageFact[];
  /** Suppressed address → reason. */
  suppressed: Map<string, string>;
}

export interface PlannedItem {
  applicationId: string;
  action: 'hire' | 'offer' | 'reject' | 'update';
  messageKind: string | null;
  /** At send time: the message being sent, judged against the person's other messages. */
  messageId?: string;
}

export interface EvaluatedItem extends PlannedItem {
  candidateId: string;
  candidateName: string;
  /** Null when no message goes out for this item (none planned, or another application's carries it). */
  recipient: string | null;
  applicationStatus: string;
  /** Another application of the same person whose message also tells this decision. */
  sharesMessageWith: string | null;
  /** The person's other applications in this plan that this item's message speaks for. */
  alsoFor: string[];
  /** The application whose feedback this item's message carries. */
  feedbackFrom: string | null;
  checks: Check[];
}

export interface PlanOptions {
  rejectAllOthers: boolean;
  /** Plans only: one message per person. Absent at send time, where each message is judged alone. */
  onePerPerson?: CarrierOptions;
}

export interface Evaluation {
  items: EvaluatedItem[];
  checks: Check[];
}

const POSITIVE_DECISIONS = new Set(['hire', 'offer', 'offer_accepted', 'advance', 'unreject']);
const POSITIVE_STATUSES = new Set(['offered', 'hired']);
/** Messages that did not reach the candidate, and will not unless a person sends them again. */
const UNDELIVERED = new Set(['cancelled', 'recalled', 'held', 'failed', 'bounced']);
/** Messages that left, or may have left. */
const OUT = new Set(['sending', 'sent', 'delivered', 'unknown']);
/** Messages on their way out: the older of two goes first. */
const QUEUED = new Set(['approved', 'scheduled']);
/**
 * Updates that stay true only until things move (a new date, a second pause): one that left does
 * not tell the next; only one still on its way does.
 */
const REPEATABLE_KINDS = new Set(['status_update', 'position_on_hold']);
const STILL_DECIDING_KINDS = new Set(['status_update', 'position_on_hold', 'position_cancelled']);

export const isRejectionKind = (kind: string | null) => kind !== null && kind.startsWith('rejection_');

/** Two messages tell the same decision: the same kind, or two rejections of any kind. */
export const sameDecision = (a: string, b: string) => a === b || (isRejectionKind(a) && isRejectionKind(b));

/**
 * Whether `other` already tells the person this item's decision. In a plan, any message that may
 * still reach them does. When a message is being sent, one that left (or may have) does, and so
 * does an older one that is approved and on its way: of two, exactly one goes out.
 */
function notifies(other: MessageFact, item: PlannedItem): boolean {
  if (UNDELIVERED.has(other.status) || other.id === item.messageId || !sameDecision(other.kind, item.messageKind!)) return false;
  if (REPEATABLE_KINDS.has(other.kind) && OUT.has(other.status)) return false;
  if (item.messageId === undefined) return true;
  return OUT.has(other.status) || (QUEUED.has(other.status) && other.id < item.messageId);
}

// ---------------------------------------------------------------------------------------------

const evidenceOrder = (a: Evidence, b: Evidence) =>
  `${a.applicationId ?? ''}\u0000${a.candidateId ?? ''}\u0000${a.field}\u0000${a.value ?? ''}`.localeCompare(
    `${b.applicationId ?? ''}\u0000${b.candidateId ?? ''}\u0000${b.field}\u0000${b.value ?? ''}`,
  );

const block = (code: CheckCode, message: string, evidence: Evidence[]): Check => ({ code, severity: 'block', message, evidence });
const warn = (code: CheckCode, message: string, evidence: Evidence[]): Check => ({ code, severity: 'warn', message, evidence });

function kindMismatch(item: PlannedItem): Check | null {
  const { action, messageKind } = item;
  const mismatch =
    ((action === 'hire' || action === 'offer') && (isRejectionKind(messageKind) || STILL_DECIDING_KINDS.has(messageKind ?? ''))) ||
    (action === 'reject' && STILL_DECIDING_KINDS.has(messageKind ?? '')) ||
    (action === 'update' && isRejectionKind(messageKind));
  return mismatch
    ? block('kind_mismatch', `A "${messageKind}" message does not fit a ${action} decision`, [
        { applicationId: item.applicationId, field: 'messageKind', value: messageKind ?? '' },
      ])
    : null;
}

/**
 * Evaluates every item of a plan. `chosen` are the offered/hired applications, `targets` the
 * applications that hear the decision. Facts must include every candidate record that shares
 * an identity key with a chosen or target candidate, and the messages of every application of
 * theirs on this requisition.
 */
export function evaluatePlan(facts: PlanFacts, chosen: PlannedItem[], targets: PlannedItem[], options: PlanOptions): Evaluation {
  const graph = identityGraph(facts);
  const person = components(graph, facts.candidates.keys());
  const personOf = (candidateId: string) => person.get(candidateId) ?? candidateId;
  const candidateOf = (applicationId: string) => facts.candidates.get(facts.applications.get(applicationId)!.candidateId)!;
  const chosenApplicationIds = new Set(chosen.map((c) => c.applicationId));
  const chosenCandidateIds = new Set(chosen.map((c) => facts.applications.get(c.applicationId)!.candidateId));
  const chosenPersons = new Set([...chosenCandidateIds].map(personOf));

  // By person: offers and hires here, newest positive decisions here, active applications
  // elsewhere (the chosen applications themselves are the decision being made, not evidence).
  const positiveHere = new Map<string, ApplicationFact[]>();
  const positiveDecisionsHere = new Map<string, DecisionFact[]>();
  const activeElsewhere = new Map<string, ApplicationFact[]>();
  for (const a of facts.applications.values()) {
    const person = personOf(a.candidateId);
    if (a.requisitionId !== facts.requisitionId) {
      if (a.status === 'active') push(activeElsewhere, person, a);
      continue;
    }
    if (chosenApplicationIds.has(a.id)) continue;
    if (POSITIVE_STATUSES.has(a.status)) push(positiveHere, person, a);
    const latest = facts.latestDecisions.get(a.id);
    if (latest && POSITIVE_DECISIONS.has(latest.kind)) push(positiveDecisionsHere, person, latest);
  }
  // Messages on this requisition by person: one person, one message per decision.
  const messagesOf = new Map<string, MessageFact[]>();
  for (const message of facts.messages) {
    const application = facts.applications.get(message.applicationId);
    if (application) push(messagesOf, personOf(application.candidateId), message);
  }

  // Who carries each person's one message in this plan (chosen and targets apart).
  const carriers = options.onePerPerson
    ? chooseCarriers(
        [...chosen.map((c) => ['chosen', c] as const), ...targets.map((t) => ['target', t] as const)]
          .filter(([, item]) => item.messageKind !== null)
          .map(([side, item]) => {
            const candidate = candidateOf(item.applicationId);
            return { applicationId: item.applicationId, candidate, groupKey: `${side}|${personOf(candidate.id)}` };
          }),
        facts.suppressed,
        options.onePerPerson,
      )
    : null;

  const evaluate = (item: PlannedItem, isTarget: boolean): EvaluatedItem => {
    const application = facts.applications.get(item.applicationId)!;
    const candidate = facts.candidates.get(application.candidateId)!;
    const carrier = carriers?.carrierOf.get(application.id) ?? application.id;
    const sends = item.messageKind !== null && carrier === application.id;
    const recipient = candidate.primaryAddress;
    const recipientKey = candidate.emails[0] ?? null;
    const checks: Check[] = [];
    const self: Evidence = { applicationId: application.id, candidateId: candidate.id, field: 'application' };

    if (isTarget) {
      if (chosenApplicationIds.has(application.id) || chosenCandidateIds.has(candidate.id)) {
        checks.push(block('recipient_is_chosen', `${candidate.name} is the chosen candidate`, [{ ...self, field: 'candidate_id', value: candidate.id }]));
      } else if (chosenPersons.has(personOf(candidate.id))) {
        const path = identityPath(graph, candidate.id, chosenCandidateIds) ?? [{ candidateId: candidate.id, field: 'person' }];
        checks.push(block('same_person_as_chosen', `${candidate.name} is the same person as a chosen candidate under another record`, path));
      }

      if (item.action === 'reject') {
        const offers = positiveHere.get(personOf(candidate.id)) ?? [];
        if (offers.length > 0) {
          checks.push(
            block(
              'has_offer_or_hire',
              `${candidate.name} has an offer or a hire on this requisition`,
              offers.map((a) => ({ applicationId: a.id, candidateId: a.candidateId, field: 'status', value: a.status })),
            ),
          );
        }
        const positive = positiveDecisionsHere.get(personOf(candidate.id)) ?? [];
        if (positive.length > 0) {
          checks.push(
            block(
              'newer_positive_decision',
              `The latest decision on ${candidate.name}'s application here is positive (${positive.map((d) => `${d.kind}, ${d.source}`).join('; ')})`,
              positive.map((d) => ({
                applicationId: d.applicationId,
                field: 'decision',
                value: `${d.kind} from ${d.source} at ${new Date(d.occurredAt).toISOString()}`,
              })),
            ),
          );
        }
      }
    }

    const mismatch = kindMismatch(item);
    if (mismatch) checks.push(mismatch);

    const group = carriers?.groups.get(carrier);
    if (group) checks.push(sharedMessageCheck(item, candidate, carrier, group));

    if (sends) {
      const sent = (messagesOf.get(personOf(candidate.id)) ?? []).filter((m) => notifies(m, item));
      if (sent.length > 0) {
        const elsewhere = sent.some((m) => m.applicationId !== application.id);
        checks.push(
          block(
            'already_notified',
            elsewhere
              ? `${candidate.name} already has a "${sent[0]!.kind}" message for this requisition, under another application of the same person`
              : `This application already has a "${item.messageKind}" message`,
            sent.map((m) => ({ applicationId: m.applicationId, field: 'message', value: `${m.id} (${m.status})` })),
          ),
        );
      }
      if (!recipient) {
        checks.push(block('missing_email', `${candidate.name} has no email address`, [{ ...self, field: 'emails' }]));
      } else if (recipientKey && facts.suppressed.has(recipientKey)) {
        checks.push(
          warn('suppressed_recipient', `${recipient} is on the suppression list (${facts.suppressed.get(recipientKey)})`, [
            { candidateId: candidate.id, field: 'email', value: recipient },
          ]),
        );
      }
      // A language with no shipped templates is said, not silently replaced.
      if (recipient && candidate.locale && !isShippedLanguage(candidate.locale)) {
        checks.push(
          warn(
            'language_fallback',
            `${candidate.name}'s language (${candidate.locale}) has no shipped templates: the message goes in English unless the organization adds its own`,
            [{ candidateId: candidate.id, field: 'locale', value: candidate.locale }],
          ),
        );
      }
    }

    if (isTarget) {
      const elsewhere = activeElsewhere.get(personOf(candidate.id)) ?? [];
      if (elsewhere.length > 0) {
        checks.push(
          warn(
            'active_elsewhere',
            `${candidate.name} is still in process for another requisition`,
            elsewhere.map((a) => ({ applicationId: a.id, candidateId: a.candidateId, field: 'requisition', value: a.requisitionId })),
          ),
        );
      }
    }

    for (const check of checks) check.evidence.sort(evidenceOrder);
    return {
      ...item,
      candidateId: candidate.id,
      candidateName: candidate.name,
      recipient: carrier === application.id ? recipient : null,
      applicationStatus: application.status,
      sharesMessageWith: item.messageKind !== null && carrier !== application.id ? carrier : null,
      alsoFor: sends && group ? group.members.filter((id) => id !== application.id) : [],
      feedbackFrom: sends ? (group ? group.feedbackFrom : options.onePerPerson?.withFeedback.has(application.id) ? application.id : null) : null,
      checks,
    };
  };

  /** Says who carries the person's one message, to what address, in what language, with what feedback, and why. */
  function sharedMessageCheck(
    item: PlannedItem,
    candidate: CandidateFact,
    carrierId: string,
    group: { members: string[]; reason: keyof typeof carrierReasons; feedbackFrom: string | null },
  ): Check {
    const carrier = candidateOf(carrierId);
    const others = group.members.filter((id) => id !== carrierId);
    const path = (from: string, to: string) => identityPath(graph, from, new Set([to])) ?? [];
    if (item.applicationId !== carrierId) {
      return warn(
        'same_person_in_plan',
        `${candidate.name} is the same person as ${carrier.name} (application ${carrierId}): this application gets the same decision, and no email of its own`,
        [{ applicationId: carrierId, candidateId: carrier.id, field: 'carrier' }, ...path(candidate.id, carrier.id)],
      );
    }
    const unsent = group.members.filter((id) => id !== group.feedbackFrom && options.onePerPerson!.withFeedback.has(id));
    return warn(
      'same_person_in_plan',
      `${carrier.name} has ${group.members.length} applications in this plan under linked records: one message goes to ` +
        `${carrier.primaryAddress ?? 'no address'}, in ${carrier.locale ?? 'the requisition’s language'}, ` +
        (group.feedbackFrom ? `with the feedback written for application ${group.feedbackFrom}` : 'without feedback') +
        ` (this application: ${carrierReasons[group.reason]}).` +
        (unsent.length > 0 ? ` The feedback written for ${unsent.join(', ')} is not sent.` : '') +
        ' Pick another with recipientApplicationIds.',
      others.flatMap((id) => {
        const other = candidateOf(id);
        return [{ applicationId: id, candidateId: other.id, field: 'same_person' }, ...path(carrier.id, other.id)];
      }),
    );
  }

  const planChecks: Check[] = [];
  if (options.rejectAllOthers && chosen.length === 0 && targets.some((t) => t.action === 'reject')) {
    planChecks.push(warn('no_chosen_candidate', 'Everyone is rejected and nobody is chosen: a hold or cancellation update may fit better', []));
  }
  return { items: [...chosen.map((c) => evaluate(c, false)), ...targets.map((t) => evaluate(t, true))], checks: planChecks };
}

export const blockingChecks = (item: EvaluatedItem) => item.checks.filter((check) => check.severity === 'block');

/** How an override names the check it lets through: at confirmation, and at every re-check after. */
export const overrideKey = (o: { applicationId: string; code: string }) => `${o.applicationId}\u0000${o.code}`;
