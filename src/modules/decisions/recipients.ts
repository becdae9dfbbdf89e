// One person, one message. When someone has several applications in one plan (linked candidate
// records: the same address written twice, an ATS duplicate, a merge), one application carries
// their single message and the others get the same decision without an email of their own.
//
// Which one, unless the recruiter picks (`recipientApplicationIds`): the application whose
// record has an address that can receive email, then the one with feedback written for it, then
// the newest (its record most likely holds the person's current address and language). The
// message uses the carrier's address and language, and the carrier's feedback, or else the
// feedback written for the next application in that order.
import type { CandidateFact } from './checks.js';
import { push } from './identity-graph.js';

export type CarrierReason = 'picked' | 'deliverable' | 'feedback' | 'newest';

export interface MessageGroup {
  /** The carrier first, then the others in the order they would have been chosen. */
  members: string[];
  reason: CarrierReason;
  /** The application whose feedback the message carries. */
  feedbackFrom: string | null;
}

export interface CarrierChoice {
  /** Application id → the application whose message speaks for it (itself for a carrier). */
  carrierOf: Map<string, string>;
  /** Carrier application id → its group, for people with two or more applications only. */
  groups: Map<string, MessageGroup>;
}

export interface CarrierOptions {
  picked: ReadonlySet<string>;
  withFeedback: ReadonlySet<string>;
}

export const carrierReasons: Record<CarrierReason, string> = {
  picked: 'picked by you in recipientApplicationIds',
  deliverable: 'the only record with an address that can receive email',
  feedback: 'the application with feedback written for it',
  newest: 'the newest application, whose record most likely holds the current address and language',
};

/**
 * Groups the applications that would get a message by person (`groupOf` says who is who) and
 * chooses each group's carrier.
 */
export function chooseCarriers(
  items: { applicationId: string; candidate: CandidateFact; groupKey: string }[],
  suppressed: ReadonlyMap<string, string>,
  options: CarrierOptions,
): CarrierChoice {
  const byGroup = new Map<string, typeof items>();
  for (const item of items) push(byGroup, item.groupKey, item);
  const carrierOf = new Map<string, string>();
  const groups = new Map<string, MessageGroup>();
  const deliverable = (c: CandidateFact) => c.primaryAddress !== null && !suppressed.has(c.emails[0] ?? '');
  for (const members of byGroup.values()) {
    const traits = (item: (typeof items)[number]) => ({
      picked: options.picked.has(item.applicationId),
      deliverable: deliverable(item.candidate),
      feedback: options.withFeedback.has(item.applicationId),
    });
    const ranked = [...members].sort((a, b) => {
      const [x, y] = [traits(a), traits(b)];
      return (
        Number(y.picked) - Number(x.picked) ||
        Number(y.deliverable) - Number(x.deliverable) ||
        Number(y.feedback) - Number(x.feedback) ||
        // uuid v7: the larger id is the newer application.
        (a.applicationId < b.applicationId ? 1 : a.applicationId > b.applicationId ? -1 : 0)
      );
    });
    const carrier = ranked[0]!;
    for (const member of ranked) carrierOf.set(member.applicationId, carrier.applicationId);
    if (ranked.length < 2) continue;
    const [first, second] = [traits(carrier), traits(ranked[1]!)];
    const reason: CarrierReason = first.picked ? 'picked' : first.deliverable && !second.deliverable ? 'deliverable' : first.feedback && !second.feedback ? 'feedback' : 'newest';
    groups.set(carrier.applicationId, {
      members: ranked.map((m) => m.applicationId),
      reason,
      feedbackFrom: ranked.find((m) => options.withFeedback.has(m.applicationId))?.applicationId ?? null,
    });
  }
  return { carrierOf, groups };
}
