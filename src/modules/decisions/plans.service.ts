// Decision plans: what a hiring decision would send, to whom, with the confirmation checks on
// every item — and their confirmation, which recomputes everything against current data before
// it records a single decision.
import type { DbClient, PrismaClient } from '../../db/client.js';
import type { ApiScope } from '../../generated/prisma/enums.js';
import { AppError, found, validationFailed, type FieldError } from '../../lib/errors.js';
import { canonicalDigest, canonicalJson } from '../../lib/hash.js';
import { pageRequest, toPage, type PageQuery } from '../../lib/pagination.js';
import { emitEvents } from '../outgoing-webhooks/events.js';
import { enqueueInTransaction } from '../../queue/outbox.js';
import { auditRepository } from '../audit/audit.repository.js';
import type { Actor } from '../../lib/actor.js';
import { applicationsRepository } from '../hiring/applications.repository.js';
import type { MessageLifecycle } from '../messages/lifecycle.js';
import { blockingChecks, evaluatePlan, overrideKey, type ApplicationFact, type Evaluation, type PlannedItem } from './checks.js';
import { decisionsRepository as repo, type PlanFilter } from './decisions.repository.js';
import type { z } from 'zod';
import {
  confirmationSchema,
  roleChanges,
  storedEvaluationSchema,
  storedPlanInputSchema,
  type ConfirmPlanBody,
  type CreatePlanBody,
  type RoleChangeBody,
  type StoredPlanInput,
} from './decisions.schemas.js';
import { requisitionOps } from '../hiring/requisitions.service.js';

const OPEN_STATUSES = new Set(['open', 'on_hold']);
/** A 50,000-application plan must fit. */
const TRANSACTION = { timeout: 300_000, maxWait: 10_000 };

type StoredInput = StoredPlanInput;

/** Who made a plan: a person or client through the API, an ATS event, or Hearback itself. */
const sourceOf = (createdBy: string) => (createdBy.startsWith('ats:') ? ('ats' as const) : createdBy === 'system' ? ('system' as const) : ('api' as const));
export type Confirmation = z.infer<typeof confirmationSchema>;

export type PlansService = ReturnType<typeof createPlansService>;

export interface PlansServiceDeps {
  db: PrismaClient;
  /** A confirmation's messages are born in the messages module. */
  messageLifecycle: Pick<MessageLifecycle, 'createDrafts' | 'cancelUnsentOfKind'>;
  now?: () => Date;
}

export function createPlansService({ db, messageLifecycle: lifecycle, now = () => new Date() }: PlansServiceDeps) {
  /** The plan's items and checks from current data, and the digest over them. */
  async function compute(client: DbClient, organizationId: string, requisition: { id: string; status: string }, input: StoredInput) {
    const chosenIds = input.chosen.map((c) => c.applicationId);
    const chosenSet = new Set(chosenIds);
    // The applications of the plan that belong to the requisition (a reject-all's targets are read with their facts).
    let targetIds: string[];
    let planned: ApplicationFact[];
    if (input.targets.mode === 'list') {
      targetIds = input.targets.applicationIds;
      planned = await repo.applicationsOf(client, organizationId, requisition.id, [...new Set([...chosenIds, ...targetIds])]);
    } else {
      const active = (await repo.activeApplications(client, organizationId, requisition.id)).filter((a) => !chosenSet.has(a.id));
      targetIds = active.map((a) => a.id);
      planned = chosenIds.length > 0 ? [...active, ...(await repo.applicationsOf(client, organizationId, requisition.id, chosenIds))] : active;
    }
    const inPlan = new Set([...chosenIds, ...targetIds]);
    const known = new Set(planned.map((a) => a.id));
    const errors: FieldError[] = [
      ...input.chosen.flatMap((c, i) => (known.has(c.applicationId) ? [] : [{ path: `body.chosen.${i}.applicationId`, message: 'not an application of this requisition' }])),
      ...(input.targets.mode === 'list'
        ? input.targets.applicationIds.flatMap((id, i) => (known.has(id) ? [] : [{ path: `body.targets.applicationIds.${i}`, message: 'not an application of this requisition' }]))
        : []),
      ...[...Object.keys(input.messageKinds), ...Object.keys(input.feedback)].flatMap((id) =>
        inPlan.has(id) ? [] : [{ path: `body`, message: `${id} is not an application of this plan` }],
      ),
    ];
    if (errors.length > 0) throw validationFailed(errors, 'Some applications are not part of this requisition or plan');

    const facts = await repo.loadFacts(client, organizationId, requisition.id, planned);
    const chosen: PlannedItem[] = input.chosen.map((c) => ({ applicationId: c.applicationId, action: c.action, messageKind: c.messageKind }));
    const targets: PlannedItem[] = targetIds.map((id) => ({
      applicationId: id,
      action: input.action,
      messageKind: input.messageKinds[id] ?? input.messageKind,
    }));
    const picked = input.recipientApplicationIds ?? [];
    const evaluation = evaluatePlan(facts, chosen, targets, {
      rejectAllOthers: input.targets.mode === 'all_others_active',
      onePerPerson: { picked: new Set(picked), withFeedback: new Set(Object.keys(input.feedback)) },
    });
    const targetSet = new Set(targetIds);
    const carrierOf = new Map(evaluation.items.map((item) => [item.applicationId, item.sharesMessageWith ?? item.applicationId]));
    const pickedFor = new Map<string, number>();
    const pickErrors = picked.flatMap((id, i): FieldError[] => {
      const path = `body.recipientApplicationIds.${i}`;
      if (!targetSet.has(id)) return [{ path, message: 'not a target of this plan' }];
      const group = carrierOf.get(id)!;
      const earlier = pickedFor.get(group);
      pickedFor.set(group, i);
      return earlier === undefined ? [] : [{ path, message: `the same person as recipientApplicationIds.${earlier}: pick one application per person` }];
    });
    if (pickErrors.length > 0) throw validationFailed(pickErrors, 'Some picked applications cannot carry a message');
    const digest = canonicalDigest({ requisition, input, evaluation });
    return { evaluation, digest };
  }

  type PlanHead = { id: string; requisitionId: string; status: 'pending' | 'confirmed'; digest: string; expiresAt: Date; createdAt: Date; confirmedAt: Date | null };

  /** A stored plan as the API shows it. */
  const view = (plan: PlanHead & { input: unknown; items: unknown }) => viewOf(plan, storedPlanInputSchema.parse(plan.input), storedEvaluationSchema.parse(plan.items));

  /** A plan as the API shows it, from its parsed input and items (a new plan's are in memory: no need to parse 50,000 items again). */
  function viewOf(plan: PlanHead, input: StoredInput, evaluation: Evaluation) {
    return {
      id: plan.id,
      requisitionId: plan.requisitionId,
      status: plan.status,
      digest: plan.digest,
      chosenApplicationIds: input.chosen.map((c) => c.applicationId),
      items: evaluation.items,
      checks: evaluation.checks,
      summary: {
        items: evaluation.items.length,
        messages: evaluation.items.filter((item) => item.messageKind !== null && item.recipient !== null && !item.sharesMessageWith).length,
        blocked: evaluation.items.filter((item) => blockingChecks(item).length > 0).length,
        warnings: evaluation.items.filter((item) => item.checks.some((c) => c.severity === 'warn')).length + evaluation.checks.length,
      },
      expiresAt: plan.expiresAt,
      createdAt: plan.createdAt,
      confirmedAt: plan.confirmedAt,
    };
  }

  /** Computes and stores a plan: its view as the API shows it, and its items as the JSON text stored. */
  async function createPlan(actor: Actor, requisitionId: string, body: CreatePlanBody, outer?: DbClient, roleChange?: StoredInput['roleChange'], autoApprove = false) {
    const client = outer ?? db;
    const { expiresInMinutes, ...given } = body;
    const input: StoredInput = { ...given, ...(roleChange ? { roleChange } : {}), ...(autoApprove ? { autoApprove } : {}) };
    const duplicate = firstRepeat(input.chosen.map((c) => c.applicationId));
    if (duplicate >= 0) throw validationFailed([{ path: `body.chosen.${duplicate}.applicationId`, message: 'listed twice' }]);
    if (input.targets.mode === 'list') {
      // Twice in the list would be two decisions and two emails to one person.
      const repeated = firstRepeat(input.targets.applicationIds);
      if (repeated >= 0) throw validationFailed([{ path: `body.targets.applicationIds.${repeated}`, message: 'listed twice' }]);
    }
    const requisition = found(await repo.requisitionState(client, actor.organizationId, requisitionId), 'Requisition');
    if (!OPEN_STATUSES.has(requisition.status)) {
      throw new AppError('requisition_closed', `This requisition is ${requisition.status}; decisions on it are closed`);
    }
    const { evaluation, digest } = await compute(client, actor.organizationId, requisition, input);
    // Serialised once: stored as the plan's items, and sent as they are by the plan's route.
    const itemsJson = JSON.stringify(evaluation.items);
    const createdAt = now();
    const store = async (tx: DbClient) => {
      const created = await repo.createPlan(tx, {
        organizationId: actor.organizationId,
        requisitionId,
        input: input,
        itemsJson,
        checks: evaluation.checks,
        itemCount: evaluation.items.length,
        digest,
        createdBy: actor.actor,
        createdAt,
        expiresAt: new Date(createdAt.getTime() + expiresInMinutes * 60_000),
      });
      await auditRepository.record(tx, actor, [{ action: 'plan.created', entity: 'plan', entityId: created.id, after: { requisitionId, digest, items: evaluation.items.length } }]);
      const view = viewOf(created, input, evaluation);
      const { summary } = view;
      await emitEvents(tx, actor.organizationId, [
        {
          type: 'plan.created',
          data: {
            planId: created.id,
            requisitionId,
            source: sourceOf(actor.actor),
            items: summary.items,
            messages: summary.messages,
            blocked: summary.blocked,
            expiresAt: created.expiresAt.toISOString(),
          },
          occurredAt: createdAt,
        },
      ]);
      return view;
    };
    const plan = outer ? await store(outer) : await db.$transaction(store, TRANSACTION);
    return { plan, itemsJson };
  }

  return {
    /** Computes and stores a plan. Nothing is sent and nothing changes. `outer`: the caller's transaction, if any. */
    async create(actor: Actor, requisitionId: string, body: CreatePlanBody, outer?: DbClient, roleChange?: StoredInput['roleChange'], autoApprove = false) {
      return (await createPlan(actor, requisitionId, body, outer, roleChange, autoApprove)).plan;
    },

    /** `create`, with the items as the JSON text made to store them: the route sends them as they are (planJson). */
    async createWithItemsJson(actor: Actor, requisitionId: string, body: CreatePlanBody) {
      return createPlan(actor, requisitionId, body);
    },

    async get(organizationId: string, id: string) {
      return view(found(await repo.findPlan(db, organizationId, id), 'Plan'));
    },

    /**
     * A role put on hold, frozen, cancelled or filled internally: proposes, in one call, the honest
     * message for everyone still waiting for a final word (the real reason as each message's
     * personal note). Confirming the plan changes the requisition's status and queues the
     * messages, through the same checks and approvals as any decision. Nobody waiting: the status
     * changes at once.
     */
    async proposeRoleChange(actor: Actor, requisitionId: string, body: RoleChangeBody) {
      const change = roleChanges[body.change];
      return db.$transaction(async (tx) => {
        const requisition = found(await repo.requisitionForUpdate(tx, actor.organizationId, requisitionId), 'Requisition');
        if (!OPEN_STATUSES.has(requisition.status)) throw new AppError('requisition_closed', `This requisition is ${requisition.status}; decisions on it are closed`);
        if (body.change === 'reopened' && requisition.status !== 'on_hold') {
          throw new AppError('requisition_not_on_hold', `Only a requisition on hold can be reopened; this one is ${requisition.status}`);
        }
        const active = await repo.activeApplicationIds(tx, actor.organizationId, requisitionId);
        // Reopening speaks to those who were told the role paused; the others heard nothing to take back.
        const waiting = body.change === 'reopened' ? await repo.toldOnHold(tx, actor.organizationId, requisitionId, active) : active;
        if (waiting.length === 0) {
          const updated = await requisitionOps.updateInTx(tx, actor, requisitionId, { status: change.status });
          if (body.change === 'reopened') await lifecycle.cancelUnsentOfKind(tx, actor, requisitionId, 'position_on_hold', 'role reopened', now());
          return { plan: null, requisitionStatus: updated.status };
        }
        const interviewed = new Set(await repo.interviewedAmong(tx, waiting));
        const kindOf = (id: string) => change.kind ?? (interviewed.has(id) ? 'rejection_after_interview' : 'rejection_after_application');
        const feedback = { reasonCategory: change.reasonCategory, strengths: [], areasToImprove: [], competencies: [], ...(body.reason ? { personalNote: body.reason } : {}) };
        const plan = await this.create(
          actor,
          requisitionId,
          {
            chosen: [],
            targets: { mode: 'list', applicationIds: waiting },
            action: change.action,
            messageKind: kindOf(waiting[0]!),
            messageKinds: Object.fromEntries(waiting.map((id) => [id, kindOf(id)])),
            feedback: Object.fromEntries(waiting.map((id) => [id, feedback])),
            recipientApplicationIds: [],
            expiresInMinutes: body.expiresInMinutes,
          },
          tx,
          { change: body.change, status: change.status },
        );
        return { plan, requisitionStatus: requisition.status };
      }, TRANSACTION);
    },

    /** Plans newest first: what waits for a confirmation (an ATS's rejections too), and what was done. */
    async list(organizationId: string, filter: PlanFilter, query: PageQuery) {
      const page = pageRequest(query);
      const at = now();
      const rows = await repo.listPlans(db, organizationId, filter, page, at);
      return toPage(
        rows.map((row) => ({
          id: row.id,
          requisitionId: row.requisitionId,
          status: row.status === 'confirmed' ? ('confirmed' as const) : row.expiresAt <= at ? ('expired' as const) : ('pending' as const),
          source: sourceOf(row.createdBy),
          createdBy: row.createdBy,
          items: row.itemCount,
          createdAt: row.createdAt,
          expiresAt: row.expiresAt,
          confirmedAt: row.confirmedAt,
          confirmedBy: row.confirmedBy,
        })),
        page,
      );
    },

    /**
     * Confirms a plan: refused when anything it depends on changed (plan_stale), when the chosen
     * ids typed again differ (chosen_mismatch), or while an item is blocked without a written
     * override (blocked_items). Otherwise records the decisions, updates the applications and
     * creates one message draft per recipient, atomically. Confirming twice returns the first result.
     */
    async confirm(actor: Actor, scopes: readonly ApiScope[], planId: string, body: ConfirmPlanBody) {
      return db.$transaction(async (tx) => {
        const plan = found(await repo.findPlanForUpdate(tx, actor.organizationId, planId), 'Plan');
        const input = storedPlanInputSchema.parse(plan.input);
        const plannedChosen = input.chosen.map((c) => c.applicationId).sort();
        const namedChosen = [...new Set(body.chosenApplicationIds)].sort();
        const sameChosen = canonicalJson(plannedChosen) === canonicalJson(namedChosen);

        if (plan.status === 'confirmed') {
          if (body.digest === plan.digest && sameChosen) return confirmationSchema.parse(await repo.planConfirmation(tx, plan.id));
          throw new AppError('conflict', 'This plan was already confirmed with another digest or other chosen candidates');
        }
        if (plan.expiresAt.getTime() <= now().getTime()) {
          throw new AppError('plan_expired', `This plan expired at ${plan.expiresAt.toISOString()}; make a new one`);
        }
        const requisition = found(await repo.lockRequisition(tx, actor.organizationId, plan.requisitionId), 'Requisition');
        if (!OPEN_STATUSES.has(requisition.status)) {
          throw new AppError('requisition_closed', `This requisition is ${requisition.status}; decisions on it are closed`);
        }
        const { evaluation, digest } = await compute(tx, actor.organizationId, requisition, input);
        if (body.digest !== plan.digest || digest !== plan.digest) {
          throw new AppError('plan_stale', 'The data this plan was computed from has changed (or the digest is not this plan’s); make a new plan and review it', {
            extensions: { changedApplicationIds: changedItems(storedEvaluationSchema.parse(await repo.planItems(tx, plan.id)), evaluation) },
          });
        }
        if (!sameChosen) {
          throw new AppError('chosen_mismatch', 'The chosen application ids you typed differ from the plan’s', {
            extensions: { planned: plannedChosen, named: namedChosen },
          });
        }

        const blocked = evaluation.items.flatMap((item) =>
          blockingChecks(item).map((check) => ({ applicationId: item.applicationId, candidateName: item.candidateName, code: check.code, message: check.message })),
        );
        const blockedKeys = new Set(blocked.map(overrideKey));
        const stray = body.overrides.findIndex((o) => !blockedKeys.has(overrideKey(o)));
        if (stray >= 0) throw validationFailed([{ path: `body.overrides.${stray}`, message: 'no such blocking check in this plan' }]);
        // Choosing and rejecting the same person at once is never what anyone means.
        const chosenAndTarget = body.overrides.findIndex((o) => o.code === 'recipient_is_chosen');
        if (chosenAndTarget >= 0) {
          throw validationFailed([
            { path: `body.overrides.${chosenAndTarget}`, message: 'recipient_is_chosen cannot be overridden: take the chosen application out of the targets' },
          ]);
        }
        if (body.overrides.length > 0 && !scopes.includes('override') && !scopes.includes('admin')) {
          throw new AppError('insufficient_scope', 'Overriding a blocking check needs an API key with the "override" scope', {
            extensions: { requiredScope: 'override' },
          });
        }
        const overridden = new Set(body.overrides.map(overrideKey));
        const unresolved = blocked.filter((b) => !overridden.has(overrideKey(b)));
        if (unresolved.length > 0) {
          throw new AppError('blocked_items', `${unresolved.length} blocking check(s) need a written override to confirm`, {
            extensions: { blocked: unresolved },
          });
        }
        return apply(tx, actor, plan, input, evaluation, body.overrides);
      }, TRANSACTION);
    },
  };

  async function apply(
    tx: DbClient,
    actor: Actor,
    plan: { id: string; requisitionId: string },
    input: StoredInput,
    evaluation: Evaluation,
    overrides: ConfirmPlanBody['overrides'],
  ): Promise<Confirmation> {
    const at = now();
    const decisions: { applicationId: string; kind: 'hire' | 'offer' | 'reject' }[] = [];
    const statusOf = { hire: 'hired', offer: 'offered', reject: 'rejected' } as const;
    const changes: { applicationId: string; from: string; to: 'hired' | 'offered' | 'rejected' }[] = [];
    // A rejection a message will tell becomes the application's status when that message is sent
    // (messages/lifecycle.ts): until then nothing an ATS syncs can show the candidate a decision
    // they were never sent, even if the message is then held or cancelled.
    const toldLater = (item: Evaluation['items'][number]) => item.action === 'reject' && item.messageKind !== null && (item.recipient !== null || item.sharesMessageWith !== null);
    for (const item of evaluation.items) {
      if (item.action === 'update') continue;
      decisions.push({ applicationId: item.applicationId, kind: item.action });
      const to = statusOf[item.action];
      if (item.applicationStatus !== to && !toldLater(item)) changes.push({ applicationId: item.applicationId, from: item.applicationStatus, to });
    }
    // One statement per new status, however many applications (a reject-all can be 50,000).
    for (const to of ['hired', 'offered', 'rejected'] as const) {
      const ids = changes.filter((c) => c.to === to).map((c) => c.applicationId);
      if (ids.length > 0) await applicationsRepository.setStatus(tx, ids, to, at);
    }
    await auditRepository.record(
      tx,
      actor,
      changes.map((c) => ({
        action: 'application.status_changed',
        entity: 'application',
        entityId: c.applicationId,
        before: { status: c.from },
        after: { status: c.to, planId: plan.id },
      })),
    );
    const byId = new Map(evaluation.items.map((item) => [item.applicationId, item]));
    const scope = { organizationId: actor.organizationId, requisitionId: plan.requisitionId, planId: plan.id };
    await repo.recordPlanDecisions(
      tx,
      { ...scope, occurredAt: at },
      decisions.map((d) => ({ applicationId: d.applicationId, candidateId: byId.get(d.applicationId)!.candidateId, kind: d.kind })),
    );
    const messages = await lifecycle.createDrafts(
      tx,
      scope,
      evaluation.items
        // One per person: an item whose decision another application's message tells has no recipient.
        .filter((item) => item.messageKind !== null && item.recipient !== null && !item.sharesMessageWith)
        .map((item) => ({
          applicationId: item.applicationId,
          candidateId: item.candidateId,
          kind: item.messageKind!,
          action: item.action,
          recipientEmail: item.recipient!,
          feedback: item.feedbackFrom ? input.feedback[item.feedbackFrom] : undefined,
          alsoFor: item.alsoFor,
        })),
    );
    // Rendering 50,000 messages does not belong in this transaction: the job is committed with
    // the drafts (outbox) and renders them in the workers.
    if (messages.length > 0) {
      await enqueueInTransaction(tx, [{ queue: 'messages', name: 'render-plan', payload: { task: 'render-plan', planId: plan.id }, jobId: `render-plan.${plan.id}` }]);
    }
    // A role change takes effect with the messages that tell it.
    if (input.roleChange) await requisitionOps.updateInTx(tx, actor, plan.requisitionId, { status: input.roleChange.status });
    if (input.roleChange?.change === 'reopened') await lifecycle.cancelUnsentOfKind(tx, actor, plan.requisitionId, 'position_on_hold', 'role reopened', at);
    const confirmation: Confirmation = { planId: plan.id, confirmedAt: at.toISOString(), decisions, messages, overrides };
    await repo.markConfirmed(tx, plan.id, actor.actor, at, overrides);
    await emitEvents(tx, actor.organizationId, [
      {
        type: 'plan.confirmed',
        data: {
          planId: plan.id,
          requisitionId: plan.requisitionId,
          // Only what is visible now: rejections a message will tell are announced when it is sent.
          decisions: decisions.filter((d) => !toldLater(byId.get(d.applicationId)!)),
          messages: messages.length,
        },
        occurredAt: at,
      },
      // Rejections recorded without a message are the outcome already.
      ...changes
        .filter((c) => c.to === 'rejected')
        .map((c) => ({
          type: 'application.rejected' as const,
          data: {
            applicationId: c.applicationId,
            candidateId: byId.get(c.applicationId)!.candidateId,
            requisitionId: plan.requisitionId,
            messageId: null,
            rejectedAt: at.toISOString(),
          },
          occurredAt: at,
        })),
    ]);
    await auditRepository.record(tx, actor, [
      { action: 'plan.confirmed', entity: 'plan', entityId: plan.id, after: { decisions: decisions.length, messages: messages.length } },
      ...overrides.map((o) => ({
        action: 'check.overridden',
        entity: 'application',
        entityId: o.applicationId,
        after: { planId: plan.id, code: o.code, reason: o.reason },
      })),
    ]);
    return confirmation;
  }
}

/** Index of the first value that already appeared, or -1. */
function firstRepeat(values: string[]): number {
  const seen = new Set<string>();
  return values.findIndex((value) => seen.size === seen.add(value).size);
}

/** Application ids whose item differs between two evaluations (or exists in one only). */
function changedItems(before: Evaluation, after: Evaluation): string[] {
  const index = (evaluation: Evaluation) => new Map(evaluation.items.map((item) => [item.applicationId, canonicalJson(item)]));
  const [a, b] = [index(before), index(after)];
  return [...new Set([...a.keys(), ...b.keys()])].filter((id) => a.get(id) !== b.get(id)).sort();
}
