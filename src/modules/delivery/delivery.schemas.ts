// The delivery API's contract: Postmark setup, the suppression list, and Postmark's webhooks in.
import { z } from 'zod';
import { pageQuerySchema } from '../../lib/pagination.js';
import { emailSchema as email } from '../hiring/hiring.schemas.js';

export const postmarkSetupSchema = z
  .object({
    webhookUrl: z
      .string()
      .describe(
        'Paste into the Postmark server’s webhook settings (Delivery, Bounce, Spam Complaint, Open, Click, Subscription Change): it carries this organization’s own credentials.',
      ),
    configured: z.boolean().describe('True once a server token and a sender are set: messages can be sent.'),
    tokenHint: z.string().nullable().describe('The server token’s last four characters (the token itself is never returned).'),
    senderEmail: z.string().nullable(),
    senderName: z.string().nullable(),
    messageStream: z.string(),
  })
  .meta({ id: 'PostmarkSetup' });

export const postmarkSetupBodySchema = z
  .object({
    serverToken: z.string().trim().min(8).max(200).describe('The Postmark server API token (stored encrypted).'),
    senderEmail: email.describe('A confirmed Postmark sender signature, or an address on a verified domain.'),
    senderName: z.string().trim().min(1).max(200).nullable().optional().describe('Shown as the sender; defaults to the organization’s name.'),
    messageStream: z
      .string()
      .trim()
      .regex(/^[a-z0-9-]{1,100}$/, 'a Postmark message stream id')
      .nullable()
      .optional(),
  })
  .strict();

export const suppressionSchema = z
  .object({
    email: z.string().describe('The normalised address, or `erased:<hash>` for an erased person: kept as a hash only, still refused at every send.'),
    reason: z.string().describe('hard_bounce, spam_complaint, unsubscribed, inactive_recipient, erased, or the reason given when added by hand.'),
    source: z.string().describe('postmark (a webhook or a refused send), api, or erasure.'),
    createdAt: z.date(),
  })
  .meta({ id: 'Suppression' });

export const suppressionBodySchema = z.object({ email, reason: z.string().trim().min(3).max(50).default('requested') }).strict();

export const suppressionParamsSchema = z.object({ email: z.string().min(1).max(320) });

export const webhookParamsSchema = z.object({ organizationId: z.uuid() });

export const postmarkWebhookReceivedSchema = z.object({ received: z.literal(true), duplicate: z.boolean() });

export const suppressionQuerySchema = pageQuerySchema.extend({ email: z.string().max(320).optional().describe('Look up one address.') });
