import { z } from 'zod';
import { MessageStatus } from '../../generated/prisma/enums.js';
import { feedbackSchema } from '../feedback/feedback.schemas.js';
import { findingSchema } from '../feedback/lint/lint.schemas.js';

export const messageStatusSchema = z.enum(MessageStatus);

/** A check made while rendering (another candidate's data, a failed render): fixed by editing. */
export const renderCheckSchema = z.object({ code: z.string(), severity: z.string(), message: z.string(), evidence: z.array(z.record(z.string(), z.string())) });
export type RenderCheck = z.infer<typeof renderCheckSchema>;

/** A confirmation check that held the message at send time, with its evidence. */
export const sendCheckSchema = z.object({ code: z.string(), severity: z.string(), message: z.string(), evidence: z.array(z.record(z.string(), z.unknown())) });

export const messageSummarySchema = z
  .object({
    id: z.uuid(),
    planId: z.uuid().nullable(),
    requisitionId: z.uuid(),
    applicationId: z.uuid(),
    candidateId: z.uuid(),
    kind: z.string(),
    status: messageStatusSchema,
    recipientEmail: z.string(),
    locale: z.string().nullable(),
    subject: z.string().nullable(),
    severity: z.string().nullable().describe('The most severe finding: block, warn, info, or null.'),
    contentVersion: z.int32().describe('Quote it to approve: content that changed under you is refused.'),
    templateVersion: z.int32().nullable(),
    approvedAt: z.date().nullable(),
    approvedBy: z.string().nullable(),
    sendAt: z.date().nullable().describe('When it may go out: after the undo window, within the send policy.'),
    sentAt: z.date().nullable().describe('When Postmark accepted it.'),
    deliveredAt: z.date().nullable(),
    failureCode: z
      .string()
      .nullable()
      .describe(
        'Why it was held (send_check_failed, recipient_suppressed, content_changed, offer_not_accepted) or failed (inactive_recipient, postmark_rejected, postmark_unauthorized, postmark_not_configured, retries_exhausted, unknown_unresolved, bounced).',
      ),
    failureReason: z.string().nullable().describe('The reason in a sentence (for retries under way: the last attempt’s answer).'),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'MessageSummary' });

/** A row of the queue: the summary with the candidate's name, so a list reads without a request per row. */
export const messageListItemSchema = messageSummarySchema
  .extend({ candidateName: z.string().nullable().describe('The candidate’s name (null when their data was erased).') })
  .meta({ id: 'MessageListItem' });

export const messageSchema = messageSummarySchema
  .extend({
    authoredBy: z.string().nullable(),
    customSubject: z.string().nullable(),
    feedbackLinkExpiresAt: z.date().nullable(),
    sendAttempts: z.int32(),
    postmarkMessageId: z.string().nullable(),
    bouncedAt: z.date().nullable(),
    openedAt: z.date().nullable(),
    firstViewedAt: z.date().nullable().describe('When the candidate first opened their feedback page.'),
    feedbackLinkRevokedAt: z.date().nullable(),
    sendChecks: z.array(sendCheckSchema).nullable().describe('The confirmation checks that held it at send time.'),
    html: z.string().nullable(),
    text: z.string().nullable(),
    feedback: z.unknown().nullable(),
    lint: z.array(findingSchema).nullable(),
    renderChecks: z.array(renderCheckSchema).nullable(),
  })
  .meta({ id: 'Message' });

export const messageQuerySchema = z.object({
  status: messageStatusSchema.optional(),
  requisitionId: z.uuid().optional(),
  kind: z.string().max(50).optional(),
  severity: z.enum(['block', 'warn', 'info']).optional(),
});

export const approveBodySchema = z
  .object({
    contentVersion: z.int32().min(1).describe('The version you reviewed.'),
    overrideReason: z.string().trim().min(10).max(1000).optional().describe('Needed (with the override scope) when findings block.'),
  })
  .strict();

export const editBodySchema = z
  .object({
    contentVersion: z.int32().min(0).describe('The version you edited.'),
    subject: z.string().trim().min(1).max(2000).nullable().optional().describe('Your own subject; null goes back to the template’s.'),
    feedback: feedbackSchema.optional(),
  })
  .strict()
  .refine((b) => b.subject !== undefined || b.feedback !== undefined, 'change the subject, the feedback, or both');

export const approveManyBodySchema = z
  .object({
    items: z
      .array(z.strictObject({ id: z.uuid(), contentVersion: z.int32().min(1), overrideReason: z.string().trim().min(10).max(1000).optional() }))
      .min(1)
      .max(500),
  })
  .strict();

export const approveManyResultSchema = z
  .object({
    results: z.array(
      z.object({
        id: z.uuid(),
        status: z.string().nullable(),
        sendAt: z.date().nullable(),
        error: z.object({ code: z.string(), detail: z.string() }).nullable(),
      }),
    ),
  })
  .meta({ id: 'ApprovalResults' });

export const messageEventSchema = z
  .object({
    id: z.uuid(),
    messageId: z.uuid(),
    type: z.string().describe('sent, held, failed, unknown, reconciled, rescheduled, retried, delivered, bounced, opened, clicked, spam_complaint, unsubscribed'),
    source: z.enum(['hearback', 'postmark']),
    detail: z.record(z.string(), z.unknown()).nullable(),
    occurredAt: z.date(),
  })
  .meta({ id: 'MessageEvent' });

export const rescheduleBodySchema = z
  .object({ requisitionId: z.uuid().optional().describe('Only this requisition’s messages; all of the organization’s when left out.') })
  .strict();

export const rescheduleResultSchema = z
  .object({
    rescheduled: z.int32().describe('Messages whose send time changed.'),
    unchanged: z.int32().describe('Approved messages whose send time the current policy keeps.'),
  })
  .meta({ id: 'RescheduleResult' });
