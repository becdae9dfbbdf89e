// The confirmation checks again, right before sending: an offer may have arrived, an ATS may have
// merged the recipient into the chosen candidate, a newer positive decision may exist. The same
// pure rules as at confirmation (decisions/checks.ts) judge the facts as they are now; a blocking
// check that was not overridden at confirmation holds the message.
import type { DbClient } from '../../db/client.js';
import { blockingChecks, evaluatePlan, type Check, type PlannedItem } from '../decisions/checks.js';
import { decisionsRepository } from '../decisions/decisions.repository.js';
import { normalizeEmail } from '../hiring/identity.js';

export interface SendCandidate {
  id: string;
  organizationId: string;
  requisitionId: string;
  planId: string | null;
  applicationId: string;
  action: string;
  kind: string;
  recipientEmail: string;
}

export type SendVerdict = { ok: true } | { ok: false; code: 'send_check_failed' | 'recipient_suppressed'; reason: string; checks: Check[] };

interface StoredPlan {
  input: { chosen?: { applicationId: string; action: PlannedItem['action']; messageKind: string | null }[] };
  confirmation: { overrides?: { applicationId: string; code: string }[] } | null;
}

const groupBy = <T>(items: T[], key: (item: T) => string) => {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
};

/** Judges every message of a batch; one fact load per requisition, one evaluation per plan. */
export async function checkBeforeSend(db: DbClient, messages: SendCandidate[]): Promise<Map<string, SendVerdict>> {
  const verdicts = new Map<string, SendVerdict>();
  for (const group of groupBy(messages, (m) => `${m.organizationId}|${m.requisitionId}`).values()) {
    const { organizationId, requisitionId } = group[0]!;
    const planIds = [...new Set(group.flatMap((m) => (m.planId ? [m.planId] : [])))];
    const plans = new Map(
      (
        await db.decisionPlan.findMany({
          where: { organizationId, id: { in: planIds } },
          select: { id: true, input: true, confirmation: true },
        })
      ).map((p) => [p.id, p as unknown as StoredPlan & { id: string }]),
    );
    const chosenOf = (planId: string | null) => (planId ? (plans.get(planId)?.input.chosen ?? []) : []);
    const applicationIds = [...new Set([...group.map((m) => m.applicationId), ...group.flatMap((m) => chosenOf(m.planId).map((c) => c.applicationId))])];
    const planned = await decisionsRepository.applicationsOf(db, organizationId, requisitionId, applicationIds);
    // Every message of the person's on this requisition counts, this batch's too: of two messages
    // telling one person one decision, only the one that left first or is older goes (checks.ts).
    const facts = await decisionsRepository.loadFacts(db, organizationId, requisitionId, planned);
    const known = new Set(planned.map((a) => a.id));
    // The address the message goes to, whatever the candidate's records say now.
    const suppressed = new Map(
      (
        await db.suppression.findMany({
          where: { organizationId, email: { in: [...new Set(group.map((m) => normalizeEmail(m.recipientEmail)))] } },
          select: { email: true, reason: true },
        })
      ).map((s) => [s.email, s.reason]),
    );

    for (const [planId, members] of groupBy(group, (m) => m.planId ?? '')) {
      const plan = planId ? plans.get(planId) : undefined;
      const chosen: PlannedItem[] = chosenOf(planId || null)
        .filter((c) => known.has(c.applicationId))
        .map((c) => ({ applicationId: c.applicationId, action: c.action, messageKind: c.messageKind }));
      const chosenIds = new Set(chosen.map((c) => c.applicationId));
      const targets: PlannedItem[] = members
        .filter((m) => !chosenIds.has(m.applicationId) && known.has(m.applicationId))
        .map((m) => ({ applicationId: m.applicationId, action: m.action as PlannedItem['action'], messageKind: m.kind, messageId: m.id }));
      const evaluation = evaluatePlan(facts, chosen, targets, { rejectAllOthers: false });
      const overridden = new Set((plan?.confirmation?.overrides ?? []).map((o) => `${o.applicationId}\u0000${o.code}`));
      for (const message of members) {
        const item = evaluation.items.find((i) => i.messageId === message.id);
        if (!item) {
          verdicts.set(message.id, { ok: false, code: 'send_check_failed', reason: 'The application no longer belongs to this requisition', checks: [] });
          continue;
        }
        const blocking = blockingChecks(item).filter((check) => !overridden.has(`${message.applicationId}\u0000${check.code}`));
        const suppressedFor = suppressed.get(normalizeEmail(message.recipientEmail));
        if (blocking.length > 0) {
          verdicts.set(message.id, {
            ok: false,
            code: 'send_check_failed',
            reason: `Held at send time: ${blocking.map((c) => `${c.code} (${c.message})`).join('; ')}`.slice(0, 2000),
            checks: blocking,
          });
        } else if (suppressedFor !== undefined) {
          verdicts.set(message.id, {
            ok: false,
            code: 'recipient_suppressed',
            reason: `${message.recipientEmail} is on the suppression list (${suppressedFor})`,
            checks: [],
          });
        } else {
          verdicts.set(message.id, { ok: true });
        }
      }
    }
  }
  return verdicts;
}
