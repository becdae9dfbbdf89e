import { z } from 'zod';
import type { Arrays } from '../../lib/large-json.js';
import { sourceSchema } from '../../lib/schemas.js';
import { feedbackSchema } from '../feedback/feedback.schemas.js';
import { recordRefSchema } from '../hiring/hiring.schemas.js';

export const builtInMessageKinds = [
  'rejection_after_interview',
  'rejection_after_application',
  'status_update',
  'position_on_hold',
  'position_cancelled',
  'talent_pool_invite',
] as const;

export const messageKindSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{2,49}$/, 'a message kind: rejection_after_interview, status_update, ... or your own (snake_case)')
  .describe(`Built in: ${builtInMessageKinds.join(', ')}; custom kinds are snake_case.`);

export const chosenActionSchema = z.enum(['hire', 'offer']);
export const targetActionSchema = z.enum(['reject', 'update']);
export type PlanAction = z.infer<typeof chosenActionSchema> | z.infer<typeof targetActionSchema>;

export const createPlanBodySchema = z
  .object({
    chosen: z
      .array(
        z.strictObject({
          applicationId: z.uuid(),
          action: chosenActionSchema.default('hire'),
          messageKind: messageKindSchema.nullable().default(null).describe('Usually none: the offer itself is not sent by Hearback.'),
        }),
      )
      .max(50)
      .default([])
      .describe('The application(s) being offered the job or hired.'),
    targets: z
      .discriminatedUnion('mode', [
        z.strictObject({ mode: z.literal('all_others_active').describe('Every other application of this requisition still active.') }),
        z.strictObject({ mode: z.literal('list'), applicationIds: z.array(z.uuid()).min(1).max(50_000) }),
      ])
      .describe('Who hears the decision.'),
    action: targetActionSchema.default('reject').describe('`reject`, or `update` for an honest status update (hold, cancellation).'),
    messageKind: messageKindSchema.default('rejection_after_interview').describe('The message for every target, unless `messageKinds` says otherwise.'),
    messageKinds: z.record(z.uuid(), messageKindSchema).default({}).describe('Per application id.'),
    feedback: z.record(z.uuid(), feedbackSchema).default({}).describe('Structured feedback per application id.'),
    recipientApplicationIds: z
      .array(z.uuid())
      .max(50_000)
      .default([])
      .describe(
        'When one person has several applications in this plan (linked candidate records), they get one message. Name here the application ' +
          'that carries it: its record’s address and language, and the feedback written for it. Unpicked, the plan chooses the application ' +
          'whose record can receive email, then the one with feedback, then the newest (the `same_person_in_plan` check says which and why).',
      ),
    expiresInMinutes: z
      .int32()
      .min(1)
      .max(24 * 60)
      .default(60),
  })
  .strict();
export type CreatePlanBody = z.infer<typeof createPlanBodySchema>;

const evidenceSchema = z
  .object({
    applicationId: z.uuid().optional(),
    candidateId: z.uuid().optional(),
    field: z.string(),
    value: z.string().optional(),
  })
  .describe('Which record, which field matched.');

export const checkSchema = z
  .object({
    code: z.enum([
      'recipient_is_chosen',
      'same_person_as_chosen',
      'has_offer_or_hire',
      'newer_positive_decision',
      'kind_mismatch',
      'already_notified',
      'missing_email',
      'active_elsewhere',
      'no_chosen_candidate',
      'suppressed_recipient',
      'same_person_in_plan',
      'language_fallback',
    ]),
    severity: z.enum(['block', 'warn']),
    message: z.string(),
    evidence: z.array(evidenceSchema),
  })
  .meta({ id: 'Check' });

export const planItemSchema = z
  .object({
    applicationId: z.uuid(),
    candidateId: z.uuid(),
    candidateName: z.string(),
    recipient: z
      .string()
      .nullable()
      .describe(
        'The record’s primary address, where its message goes; null when it has none, or when another application of the same person carries the message (`sharesMessageWith`).',
      ),
    action: z.enum(['hire', 'offer', 'reject', 'update']),
    messageKind: z.string().nullable(),
    applicationStatus: z.string(),
    sharesMessageWith: z.uuid().nullable().describe('Another application of the same person whose message also tells this decision: this one gets the decision and no email.'),
    alsoFor: z.array(z.uuid()).describe('The same person’s other applications in this plan that this item’s one message speaks for.'),
    feedbackFrom: z.uuid().nullable().describe('The application whose feedback this item’s message carries.'),
    checks: z.array(checkSchema),
  })
  .meta({ id: 'PlanItem' });

/** What happens to a role, and the requisition status confirming it sets. */
export const roleChanges = {
  on_hold: { status: 'on_hold', action: 'update', kind: 'position_on_hold', reasonCategory: 'role_on_hold' },
  budget_frozen: { status: 'on_hold', action: 'update', kind: 'position_on_hold', reasonCategory: 'hiring_freeze' },
  cancelled: { status: 'cancelled', action: 'update', kind: 'position_cancelled', reasonCategory: 'role_cancelled' },
  filled_internally: { status: 'filled', action: 'reject', kind: null, reasonCategory: 'internal_candidate' },
  // Back from hold: those who were told it was on hold hear that it moves again.
  reopened: { status: 'open', action: 'update', kind: 'status_update', reasonCategory: 'other' },
} as const;
export type RoleChange = keyof typeof roleChanges;

export const roleChangeBodySchema = z
  .object({
    change: z
      .enum(['on_hold', 'budget_frozen', 'cancelled', 'filled_internally', 'reopened'] satisfies RoleChange[])
      .describe(
        'on_hold and budget_frozen put the requisition on hold and tell everyone still waiting (position_on_hold); cancelled and filled_internally close it and tell them it is over; ' +
          'reopened (a requisition on hold) opens it again and sends a status update to everyone who was told it was on hold and is still waiting.',
      ),
    reason: z.string().trim().min(1).max(2000).optional().describe('The real reason, in words the candidates read: it reaches every message as its personal note.'),
    expiresInMinutes: z
      .int32()
      .min(1)
      .max(24 * 60)
      .default(60),
  })
  .strict();
export type RoleChangeBody = z.infer<typeof roleChangeBodySchema>;

/** A plan's request as stored (confirmation recomputes the plan from it). */
export const storedPlanInputSchema = createPlanBodySchema.omit({ expiresInMinutes: true }).extend({
  roleChange: z.object({ change: roleChangeBodySchema.shape.change, status: z.enum(['open', 'on_hold', 'cancelled', 'filled']) }).optional(),
  /** Hearback's own status update, to be approved by Hearback once rendered (the organization allows it). */
  autoApprove: z.boolean().optional(),
});
export type StoredPlanInput = z.infer<typeof storedPlanInputSchema>;

/** A plan's items and checks as stored; plans stored before one message per person lack its fields. */
export const storedEvaluationSchema = z.object({
  items: z.array(
    planItemSchema.extend({
      sharesMessageWith: planItemSchema.shape.sharesMessageWith.default(null),
      alsoFor: planItemSchema.shape.alsoFor.default([]),
      feedbackFrom: planItemSchema.shape.feedbackFrom.default(null),
    }),
  ),
  checks: z.array(checkSchema),
});

export const planSchema = z
  .object({
    id: z.uuid(),
    requisitionId: z.uuid(),
    status: z.enum(['pending', 'confirmed']),
    digest: z.string().describe('Quote it to confirm: it covers the plan and the data it was computed from.'),
    chosenApplicationIds: z.array(z.uuid()),
    items: z.array(planItemSchema),
    checks: z.array(checkSchema).describe('Checks on the plan as a whole.'),
    summary: z.object({
      items: z.number(),
      messages: z.number().describe('Emails that would go out: one per person, however many applications they have here.'),
      blocked: z.number(),
      warnings: z.number(),
    }),
    expiresAt: z.date(),
    createdAt: z.date(),
    confirmedAt: z.date().nullable(),
  })
  .meta({ id: 'DecisionPlan' });

const planHeadSchema = planSchema.omit({ items: true });
/** How a large answer is written: as one text (withArrays) or as a stream of that text (withArraysStream). */
type ArraysWriter<T> = (head: string, arrays: Arrays) => T;

/** A plan as its route sends it: the items as the JSON text made to store them (lib/large-json.ts). */
export const planJson = <T>(view: z.output<typeof planSchema>, itemsJson: string, write: ArraysWriter<T>) =>
  write(JSON.stringify(z.encode(planHeadSchema, view)), { items: itemsJson });

export const confirmPlanBodySchema = z
  .object({
    digest: z.string().regex(/^[0-9a-f]{64}$/, 'the plan digest'),
    chosenApplicationIds: z.array(z.uuid()).max(50).describe('The chosen application ids, typed again.'),
    overrides: z
      .array(
        z.strictObject({
          applicationId: z.uuid(),
          code: checkSchema.shape.code,
          reason: z.string().trim().min(10, 'say why, in at least 10 characters').max(1000),
        }),
      )
      .max(1000)
      .default([])
      .describe('A written reason per blocking check to send anyway. Needs the `override` scope.'),
  })
  .strict();
export type ConfirmPlanBody = z.infer<typeof confirmPlanBodySchema>;

export const confirmationSchema = z
  .object({
    planId: z.uuid(),
    confirmedAt: z.string().describe('ISO 8601'),
    decisions: z.array(z.object({ applicationId: z.uuid(), kind: z.string() })),
    messages: z.array(z.object({ id: z.uuid(), applicationId: z.uuid(), candidateId: z.uuid(), kind: z.string(), recipientEmail: z.string(), status: z.string() })),
    overrides: z.array(z.object({ applicationId: z.uuid(), code: z.string(), reason: z.string() })),
  })
  .meta({ id: 'PlanConfirmation' });

const confirmationHeadSchema = confirmationSchema.omit({ decisions: true, messages: true });
/** A confirmation as its route sends it: a reject-all's 50,000 decisions and drafts written with JSON.stringify (lib/large-json.ts). */
export const confirmationJson = <T>(confirmation: z.output<typeof confirmationSchema>, write: ArraysWriter<T>) =>
  write(JSON.stringify(z.encode(confirmationHeadSchema, confirmation)), { decisions: confirmation.decisions, messages: confirmation.messages });

export const decisionKindSchema = z.enum(['hire', 'offer', 'offer_accepted', 'offer_declined', 'reject', 'advance', 'unreject', 'withdraw', 'hold']);

export const recordDecisionBodySchema = z
  .object({
    application: recordRefSchema.describe('`{ id }` or `{ source, externalId }`.'),
    kind: decisionKindSchema.describe(
      'hire → hired, offer → offered, offer_accepted → hired, offer_declined → withdrawn, reject → rejected, withdraw → withdrawn, unreject → active; ' +
        'advance and hold keep the status. While an offer is not accepted, the runner-ups’ rejections are held (offer_not_accepted); ' +
        'offer_accepted (or hire) releases them, offer_declined cancels them so the recruiter can choose again.',
    ),
    source: sourceSchema.default('api').describe('Where the decision was made: `api`, `greenhouse`, ...'),
    occurredAt: z.iso
      .datetime({ offset: true })
      .transform((v) => new Date(v))
      .optional()
      .describe('When it was made; defaults to now.'),
  })
  .strict();
export type RecordDecisionBody = z.infer<typeof recordDecisionBodySchema>;

export const decisionSchema = z
  .object({
    id: z.uuid(),
    applicationId: z.uuid(),
    kind: decisionKindSchema,
    source: z.string(),
    occurredAt: z.date(),
    applicationStatus: z.string().describe('The application status after the decision.'),
  })
  .meta({ id: 'Decision' });

export const planListQuerySchema = z.object({
  status: z.enum(['pending', 'confirmed', 'expired']).optional().describe('pending: waiting for confirmation and not expired.'),
  requisitionId: z.uuid().optional(),
  source: z
    .enum(['api', 'ats', 'system'])
    .optional()
    .describe('ats: created from an ATS event (a rejection arriving from Greenhouse, Lever, Ashby or a generic webhook); system: proposed by Hearback (a promise that passed).'),
});

export const planSummarySchema = z
  .object({
    id: z.uuid(),
    requisitionId: z.uuid(),
    status: z.enum(['pending', 'confirmed', 'expired']),
    source: z.enum(['api', 'ats', 'system']),
    createdBy: z.string().describe('api_key:<id>, ats:<provider>, system, ...'),
    items: z.int32(),
    createdAt: z.date(),
    expiresAt: z.date(),
    confirmedAt: z.date().nullable(),
    confirmedBy: z.string().nullable(),
  })
  .meta({ id: 'DecisionPlanSummary' });

export const roleChangeResultSchema = z
  .object({
    plan: planSchema
      .nullable()
      .describe(
        'The messages to everyone still waiting for a final word; confirm it to change the requisition’s status and queue them. Null when nobody is waiting: the status changed at once.',
      ),
    requisitionStatus: z.enum(['open', 'on_hold', 'cancelled', 'filled']),
  })
  .meta({ id: 'RoleChangeResult' });
