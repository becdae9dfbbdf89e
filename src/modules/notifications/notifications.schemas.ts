// The notifications API contract: a notification as listed, the list's filters, and the email preference.
import { z } from 'zod';
import { pageQuerySchema } from '../../lib/pagination.js';
import { notificationTypes, subjectKinds } from './notifications.catalogue.js';
import { emailModeSchema, typeModesSchema } from './notifications.preferences.js';

export const notificationTypeSchema = z
  .enum(notificationTypes)
  .describe(
    'question_waiting, data_request (with its legal due date), data_request_due (reminder), message_held, message_failed, plan_waiting (from an ATS), ' +
      'plan_expiring (reminder), approval_waiting (four-eyes: a second approver is needed), endpoint_disabled, postmark_refused, ' +
      'promise_passed, offer_declined, offer_hold_long, promise_due_soon, ats_unreachable (a connection’s circuit opened: its ATS API failed again and again), ' +
      'ats_writeback_failed (a write-back to an ATS failed for good; once a day per connection), ats_setup_failed (an import from an ATS, or the registration of its webhooks, failed).',
  );

export const notificationSchema = z
  .object({
    id: z.uuid(),
    type: notificationTypeSchema,
    title: z.string().describe('In the reader’s language (en, fr, de, es, pt, it, nl; English otherwise).'),
    summary: z.string(),
    link: z
      .object({
        kind: z.enum(subjectKinds),
        id: z.uuid(),
        apiPath: z.string().describe('Where the API shows the thing, e.g. /v1/messages/{id}.'),
      })
      .describe('The thing it is about.'),
    requisitionId: z.uuid().nullable(),
    dueAt: z.date().nullable().describe('A data request’s legal deadline, a plan’s expiry.'),
    createdAt: z.date(),
    readAt: z.date().nullable(),
  })
  .meta({ id: 'Notification' });

export const notificationsQuerySchema = pageQuerySchema.extend({
  unread: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('true: only unread; false: only read.'),
  type: notificationTypeSchema.optional(),
});

export const markAllReadBodySchema = z
  .object({ upToId: z.uuid().optional().describe('Mark read up to and including this notification (what the reader saw); all when left out.') })
  .strict();

export const markAllReadResultSchema = z.object({ marked: z.int32(), unread: z.int32() });

export const notificationPreferencesSchema = z
  .object({
    email: emailModeSchema.describe(
      'immediately: one email per notification; daily_digest: one email a day at 08:00 in your time zone, in your language, gathering what is still unread; off: in the app only.',
    ),
    types: typeModesSchema.describe('Per notification type, overriding `email`: {"message_failed": "off"}.'),
    digestHour: z.int32().describe('The local hour of the daily digest.'),
  })
  .meta({ id: 'NotificationPreferences' });

export const notificationPreferencesBodySchema = z.object({ email: emailModeSchema, types: typeModesSchema.optional() }).strict();
