// The confirmation checks again over a confirmed plan's messages: right before sending, and as
// soon as a fact arrives that may stop them (an offer, a hire, a merge into the chosen person). The
// same pure rules as at confirmation (checks.ts) judge the facts as they are now; a blocking check
// that was not overridden at confirmation holds the message.
import { z } from 'zod';
import type { DbClient } from '../../db/client.js';
import { sendingSetupRepository } from '../delivery/sending-setup.repository.js';
import { normalizeEmail } from '../hiring/identity.js';
import { blockingChecks, evaluatePlan, overrideKey, type Check, type PlannedItem } from './checks.js';
import { decisionsRepository } from './decisions.repository.js';
import { confirmationSchema, createPlanBodySchema } from './decisions.schemas.js';

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

export type SendVerdict = { ok: true } | { ok: false; code: 'send_check_failed' | 'recipient_suppressed' | 'offer_not_accepted'; reason: string; checks: Check[] };

/** What a re-check reads of a stored plan, parsed (only these fields: a reject-all's feedback can be large). */
const storedPlanSchema = z.object({
  id: z.uuid(),
  input: z.object({ chosen: createPlanBodySchema.shape.chosen }),
  confirmation: z.object({ overrides: confirmationSchema.shape.overrides }).nullable(),
});

const groupBy = <T>(items: T[], key: (item: T) => string) => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
};

/** Judges every message of a batch; one fact load per requisition, one evaluation per plan. */
export async function recheckMessages(db: DbClient, messages: SendCandidate[]): Promise<Map<string, SendVerdict>> {
  const verdicts = new Map<string, SendVerdict>();
  for (const group of groupBy(messages, (m) => `${m.organizationId}|${m.requisitionId}`).values()) {
    const { organizationId, requisitionId } = group[0]!;
    const planIds = [...new Set(group.flatMap((m) => (m.planId ? [m.planId] : [])))];
    const plans = new Map((await decisionsRepository.storedPlans(db, organizationId, planIds)).map((p) => [p.id, storedPlanSchema.parse(p)]));
    const chosenOf = (planId: string | null) => (planId ? (plans.get(planId)?.input.chosen ?? []) : []);
    const applicationIds = [...new Set([...group.map((m) => m.applicationId), ...group.flatMap((m) => chosenOf(m.planId).map((c) => c.applicationId))])];
    const planned = await decisionsRepository.applicationsOf(db, organizationId, requisitionId, applicationIds);
    // Every message of the person's on this requisition counts, this batch's too: of two messages
    // telling one person one decision, only the one that left first or is older goes (checks.ts).
    const facts = await decisionsRepository.loadFacts(db, organizationId, requisitionId, planned);
    const known = new Set(planned.map((a) => a.id));
    // The address the message goes to, whatever the candidate's records say now.
    const emails = [...new Set(group.map((m) => normalizeEmail(m.recipientEmail)))];
    const suppressed = new Map((await sendingSetupRepository.suppressionsAmong(db, organizationId, emails)).map((s) => [s.email, s.reason]));

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
      const statusOf = new Map(planned.map((a) => [a.id, a.status]));
      const offersOpen = chosen.filter((c) => c.action === 'offer' && statusOf.get(c.applicationId) === 'offered');
      const overridden = new Set((plan?.confirmation?.overrides ?? []).map(overrideKey));
      const itemOf = new Map<string, (typeof evaluation.items)[number]>();
      for (const i of evaluation.items) if (i.messageId !== undefined && !itemOf.has(i.messageId)) itemOf.set(i.messageId, i);
      for (const message of members) {
        const item = itemOf.get(message.id);
        if (!item) {
          verdicts.set(message.id, { ok: false, code: 'send_check_failed', reason: 'The application no longer belongs to this requisition', checks: [] });
          continue;
        }
        const blocking = blockingChecks(item).filter((check) => !overridden.has(overrideKey({ applicationId: message.applicationId, code: check.code })));
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
        } else if (message.action === 'reject' && offersOpen.length > 0) {
          // A runner-up hears nothing until the chosen candidate's offer is accepted (or a hire is recorded).
          verdicts.set(message.id, {
            ok: false,
            code: 'offer_not_accepted',
            reason: 'Held until the chosen candidate accepts the offer (record offer_accepted or hire; offer_declined cancels it)',
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
