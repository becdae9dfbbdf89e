// The confirmation checks: never again the wrong email. A pure function of the facts (loaded by
// decisions.repository.ts) and the plan request, so plans, confirmations and the sender (which
// re-runs it right before sending) all judge with exactly the same rules.
//
// Identity is recomputed here from the raw facts — shared normalised emails, shared phone
// numbers, ATS merges and stored identity groups — instead of trusting any single one of them.

import type { z } from 'zod';
import type { checkSchema } from './decisions.schemas.js';

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
}

export interface EvaluatedItem extends PlannedItem {
  candidateId: string;
  candidateName: string;
  recipient: string | null;
  applicationStatus: string;
  checks: Check[];
}

export interface Evaluation {
  items: EvaluatedItem[];
  checks: Check[];
}

const POSITIVE_DECISIONS = new Set(['hire', 'offer', 'advance', 'unreject']);
const POSITIVE_STATUSES = new Set(['offered', 'hired']);
/** Messages that did not (and will not) reach the candidate. */
const UNDELIVERED = new Set(['cancelled', 'recalled', 'failed', 'bounced']);
const STILL_DECIDING_KINDS = new Set(['status_update', 'position_on_hold', 'position_cancelled']);

export const isRejectionKind = (kind: string | null) => kind !== null && kind.startsWith('rejection_');

// ---------------------------------------------------------------------------------------------
// Identity graph

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const evidenceOrder = (a: Evidence, b: Evidence) =>
  `${a.applicationId ?? ''}\u0000${a.candidateId ?? ''}\u0000${a.field}\u0000${a.value ?? ''}`.localeCompare(
    `${b.applicationId ?? ''}\u0000${b.candidateId ?? ''}\u0000${b.field}\u0000${b.value ?? ''}`,
  );

interface Edge {
  to: string;
  field: string;
  value: string;
}

/** Candidate records as a graph: an edge wherever two records share an identity key. */
function identityGraph(facts: PlanFacts): Map<string, Edge[]> {
  const graph = new Map<string, Edge[]>();
  const connect = (a: string, b: string, field: string, value: string) => {
    if (a === b) return;
    push(graph, a, { to: b, field, value });
    push(graph, b, { to: a, field, value });
  };
  // Most specific evidence first (the shortest path prefers it): shared keys, recorded links,
  // and last the stored identity group.
  const keys = new Map<string, string[]>();
  const persons = new Map<string, string[]>();
  for (const candidate of facts.candidates.values()) {
    for (const email of candidate.emails) push(keys, `email\u0000${email}`, candidate.id);
    if (candidate.phone) push(keys, `phone\u0000${candidate.phone}`, candidate.id);
    push(persons, `person_id\u0000${candidate.personId}`, candidate.id);
  }
  const connectGroups = (groups: Map<string, string[]>) => {
    for (const [key, ids] of groups) {
      const [field, value] = key.split('\u0000') as [string, string];
      // A star is enough for reachability; it keeps large groups linear.
      for (const id of ids.slice(1)) connect(ids[0]!, id, field, value);
    }
  };
  connectGroups(keys);
  for (const link of facts.links) {
    connect(link.candidateId, link.linkedCandidateId, link.reason === 'merge' ? 'merge' : link.reason, link.evidence);
  }
  connectGroups(persons);
  return graph;
}

/** Connected components: records reachable from each other get the same label. */
function components(graph: Map<string, Edge[]>, ids: Iterable<string>): Map<string, string> {
  const label = new Map<string, string>();
  for (const start of ids) {
    if (label.has(start)) continue;
    label.set(start, start);
    const stack = [start];
    while (stack.length > 0) {
      for (const edge of graph.get(stack.pop()!) ?? []) {
        if (!label.has(edge.to)) {
          label.set(edge.to, start);
          stack.push(edge.to);
        }
      }
    }
  }
  return label;
}

/** The shortest chain of shared keys from `from` to any of `targets`, or null. */
function identityPath(graph: Map<string, Edge[]>, from: string, targets: Set<string>): Evidence[] | null {
  const previous = new Map<string, { from: string; edge: Edge }>();
  const queue = [from];
  const seen = new Set([from]);
  while (queue.length > 0) {
    const current = queue.shift()!;
    if (targets.has(current) && current !== from) {
      const path: Evidence[] = [];
      for (let at = current; at !== from; at = previous.get(at)!.from) {
        const step = previous.get(at)!;
        path.unshift({ candidateId: at, field: step.edge.field, value: step.edge.value });
      }
      return path;
    }
    for (const edge of graph.get(current) ?? []) {
      if (seen.has(edge.to)) continue;
      seen.add(edge.to);
      previous.set(edge.to, { from: current, edge });
      queue.push(edge.to);
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------

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
 * an identity key with a chosen or target candidate.
 */
export function evaluatePlan(facts: PlanFacts, chosen: PlannedItem[], targets: PlannedItem[], rejectAllOthers: boolean): Evaluation {
  const graph = identityGraph(facts);
  const person = components(graph, facts.candidates.keys());
  const personOf = (candidateId: string) => person.get(candidateId) ?? candidateId;
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
  const messagesOf = new Map<string, MessageFact[]>();
  for (const message of facts.messages) push(messagesOf, message.applicationId, message);

  const evaluate = (item: PlannedItem, isTarget: boolean): EvaluatedItem => {
    const application = facts.applications.get(item.applicationId)!;
    const candidate = facts.candidates.get(application.candidateId)!;
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

    if (item.messageKind !== null) {
      const sent = (messagesOf.get(application.id) ?? []).filter((m) => m.kind === item.messageKind && !UNDELIVERED.has(m.status));
      if (sent.length > 0) {
        checks.push(
          block(
            'already_notified',
            `This application already has a "${item.messageKind}" message`,
            sent.map((m) => ({ applicationId: application.id, field: 'message', value: `${m.id} (${m.status})` })),
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
      recipient,
      applicationStatus: application.status,
      checks,
    };
  };

  const planChecks: Check[] = [];
  if (rejectAllOthers && chosen.length === 0 && targets.some((t) => t.action === 'reject')) {
    planChecks.push(
      warn('no_chosen_candidate', 'Everyone is rejected and nobody is chosen: a hold or cancellation update may fit better', []),
    );
  }
  return { items: [...chosen.map((c) => evaluate(c, false)), ...targets.map((t) => evaluate(t, true))], checks: planChecks };
}

export const blockingChecks = (item: EvaluatedItem) => item.checks.filter((check) => check.severity === 'block');
