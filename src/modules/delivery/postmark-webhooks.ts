// Postmark's webhooks into Hearback: Delivery, Bounce, SpamComplaint, Open, Click and
// SubscriptionChange. Each delivery is stored whole (for inspection) and deduplicated per
// organization on (MessageID, RecordType), so Postmark's retries change nothing twice. Hard bounces, spam
// complaints and unsubscribes put the address on the organization's suppression list, which
// later plans (a warning) and sends (a hold) respect.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { DbClient, PrismaClient } from '../../db/client.js';
import type { Message, Prisma } from '../../generated/prisma/client.js';
import { canonicalJson, sha256Hex } from '../../lib/hash.js';
import { normalizeEmail } from '../hiring/identity.js';
import { METADATA_MESSAGE_ID } from '../../email/postmark.js';
import type { MessageEventInput, MessageLifecycle } from '../messages/lifecycle.js';
import { deliveryRepository } from './delivery.repository.js';

/**
 * The fields we read; everything else is kept in the stored payload. Bounds are generous (what
 * Postmark sends is far shorter) but there: the payload is stored whole. A bounce's numeric ID
 * can pass 2^53 (Postmark's own examples do), so it is any finite number.
 */
const text = (max: number) => z.string().max(max).nullish();
const DATE = 100;
export const postmarkWebhookSchema = z
  .looseObject({
    RecordType: z.string().min(1).max(40),
    MessageID: z.string().max(64).nullish(),
    Metadata: z.record(z.string(), z.unknown()).nullish(),
    // Bounce / SpamComplaint
    Type: text(100),
    Inactive: z.boolean().nullish(),
    Email: text(1000),
    Description: text(10_000),
    BouncedAt: text(DATE),
    // Delivery / Open / Click / SubscriptionChange
    Recipient: text(1000),
    DeliveredAt: text(DATE),
    ReceivedAt: text(DATE),
    OriginalLink: text(10_000),
    SuppressSending: z.boolean().nullish(),
    SuppressionReason: text(100),
    ChangedAt: text(DATE),
    ID: z.union([z.number(), z.string().max(100)]).nullish(),
  })
  .describe('A Postmark webhook (https://postmarkapp.com/developer/webhooks/webhooks-overview).');
export type PostmarkWebhook = z.infer<typeof postmarkWebhookSchema>;

/** Bounce types after which Postmark will not deliver to the address again. */
const HARD_BOUNCES = new Set(['HardBounce', 'BadEmailAddress', 'ManuallyDeactivated', 'Unsubscribe', 'SpamComplaint', 'Blocked', 'DMARCPolicy']);
const SUPPRESSION_REASONS: Record<string, string> = { HardBounce: 'hard_bounce', SpamComplaint: 'spam_complaint', ManualSuppression: 'unsubscribed' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Each organization's webhook password, derived from POSTMARK_WEBHOOK_PASSWORD: the credential one
 * organization types into its Postmark server opens no other organization's webhook.
 */
export const organizationWebhookPassword = (secret: string, organizationId: string) =>
  createHmac('sha256', secret).update(`postmark-webhook|${organizationId}`).digest('base64url');

/** Basic auth compared in constant time (over digests, so lengths leak nothing either). */
export function basicAuthMatches(header: string | undefined, user: string, password: string): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  const given = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
  const a = Buffer.from(sha256Hex(given), 'hex');
  const b = Buffer.from(sha256Hex(`${user}:${password}`), 'hex');
  return timingSafeEqual(a, b) && match !== null;
}

/** A candidate's link token is a credential: clicks on it are kept without it. */
const withoutLinkToken = (link: string | null | undefined) => (link ? link.replace(/\/f\/[A-Za-z0-9_-]{20,}/g, '/f/[token]') : null);

const dateOr = (value: string | null | undefined, fallback: Date) => {
  const date = value ? new Date(value) : fallback;
  return Number.isNaN(date.getTime()) ? fallback : date;
};

export type PostmarkWebhooksService = ReturnType<typeof createPostmarkWebhooksService>;

export interface PostmarkWebhooksServiceDeps {
  db: PrismaClient;
  /** Delivered, bounced and opened are changes to the message, with their events and webhooks. */
  messageLifecycle: Pick<MessageLifecycle, 'deliver' | 'bounce' | 'markOpened' | 'recordEvents'>;
  now?: () => Date;
}

export function createPostmarkWebhooksService({ db, messageLifecycle: messages, now = () => new Date() }: PostmarkWebhooksServiceDeps) {
  /**
   * The message this webhook is about, only within the organization whose webhook this is:
   * payloads are not trusted to name it. A MessageID is unique across Postmark (and across our
   * messages), so one that belongs to another organization's message makes the webhook
   * `foreign`: it is not applied, stored or counted, whatever its metadata says.
   */
  async function findMessage(tx: DbClient, organizationId: string, hook: PostmarkWebhook): Promise<{ message: Message | null; foreign: boolean }> {
    if (hook.MessageID) {
      const byPostmarkId = await deliveryRepository.messageByPostmarkId(tx, hook.MessageID);
      if (byPostmarkId) return byPostmarkId.organizationId === organizationId ? { message: byPostmarkId, foreign: false } : { message: null, foreign: true };
    }
    const ours = hook.Metadata?.[METADATA_MESSAGE_ID];
    const message = typeof ours === 'string' && UUID.test(ours) ? await deliveryRepository.messageOf(tx, organizationId, ours) : null;
    return { message, foreign: false };
  }

  /**
   * (MessageID, RecordType) within the organization, made finer where one message has several
   * distinct events of a type: bounces carry their own ID, subscription changes their time and
   * direction.
   */
  function dedupeKey(hook: PostmarkWebhook): { messageKey: string; recordKey: string } {
    // Manual suppressions made in Postmark’s UI have no MessageID: keyed by their content.
    const messageKey = hook.MessageID ?? sha256Hex(canonicalJson(hook));
    if ((hook.RecordType === 'Bounce' || hook.RecordType === 'SpamComplaint') && hook.ID !== null && hook.ID !== undefined) {
      return { messageKey, recordKey: `${hook.RecordType}:${String(hook.ID).slice(0, 25)}` };
    }
    if (hook.RecordType === 'SubscriptionChange') {
      return { messageKey, recordKey: `SubscriptionChange:${sha256Hex(`${hook.ChangedAt ?? ''}|${hook.SuppressSending}`).slice(0, 16)}` };
    }
    return { messageKey, recordKey: hook.RecordType };
  }

  return {
    /**
     * Applies one webhook; `duplicate` when this organization saw this (MessageID, RecordType)
     * before, `foreign` (nothing done) when the MessageID is another organization's message.
     */
    async receive(organizationId: string, received: PostmarkWebhook): Promise<{ duplicate: boolean; foreign: boolean; messageId: string | null }> {
      const at = now();
      const hook = received.OriginalLink ? { ...received, OriginalLink: withoutLinkToken(received.OriginalLink) } : received;
      const { messageKey, recordKey } = dedupeKey(hook);
      return db.$transaction(async (tx) => {
        const { message, foreign } = await findMessage(tx, organizationId, hook);
        if (foreign) return { duplicate: false, foreign: true, messageId: null };
        const inserted = await deliveryRepository.storeWebhook(tx, { messageKey, recordKey, organizationId, messageId: message?.id ?? null, payload: hook, at });
        if (!inserted) return { duplicate: true, foreign: false, messageId: message?.id ?? null };

        const events: MessageEventInput[] = [];
        const record = (type: string, detail: Record<string, unknown>, occurredAt: Date) => {
          if (message)
            events.push({ organizationId: message.organizationId, messageId: message.id, type, source: 'postmark', detail: detail as Prisma.InputJsonValue, occurredAt });
        };
        const suppress = async (address: string | null | undefined, reason: string) => {
          if (address) await deliveryRepository.suppress(tx, organizationId, [{ email: normalizeEmail(address), reason, source: 'postmark' }]);
        };

        switch (hook.RecordType) {
          case 'Delivery': {
            const deliveredAt = dateOr(hook.DeliveredAt, at);
            // Proof of sending, whatever our bookkeeping says yet (unknown, or back to scheduled).
            if (message) await messages.deliver(tx, message.id, deliveredAt, hook.MessageID && !message.postmarkMessageId ? hook.MessageID : null);
            record('delivered', { recipient: hook.Recipient ?? null }, deliveredAt);
            break;
          }
          case 'Bounce': {
            const bouncedAt = dateOr(hook.BouncedAt, at);
            const hard = hook.Inactive === true || HARD_BOUNCES.has(hook.Type ?? '');
            if (hard) {
              await suppress(hook.Email ?? message?.recipientEmail, 'hard_bounce');
              if (message) await messages.bounce(tx, message.id, bouncedAt, `${hook.Type ?? 'Bounce'}: ${hook.Description ?? ''}`);
            }
            record(hard ? 'bounced' : 'soft_bounce', { type: hook.Type ?? null, description: hook.Description ?? null, inactive: hook.Inactive ?? null }, bouncedAt);
            break;
          }
          case 'SpamComplaint':
            await suppress(hook.Email ?? message?.recipientEmail, 'spam_complaint');
            record('spam_complaint', { type: hook.Type ?? null }, dateOr(hook.BouncedAt, at));
            break;
          case 'Open': {
            const openedAt = dateOr(hook.ReceivedAt, at);
            if (message && !message.openedAt) await messages.markOpened(tx, message.id, openedAt);
            record('opened', {}, openedAt);
            break;
          }
          case 'Click':
            record('clicked', { link: hook.OriginalLink }, dateOr(hook.ReceivedAt, at));
            break;
          case 'SubscriptionChange': {
            const changedAt = dateOr(hook.ChangedAt, at);
            const address = hook.Recipient ?? message?.recipientEmail;
            if (hook.SuppressSending === true) {
              await suppress(address, SUPPRESSION_REASONS[hook.SuppressionReason ?? ''] ?? 'unsubscribed');
              record('unsubscribed', { reason: hook.SuppressionReason ?? null }, changedAt);
            } else if (hook.SuppressSending === false && address) {
              // Reactivated in Postmark: lift what Postmark put there, never a recruiter's own entry.
              await deliveryRepository.liftPostmarkSuppression(tx, organizationId, normalizeEmail(address));
              record('resubscribed', {}, changedAt);
            }
            break;
          }
          default:
            // Other record types are stored above and otherwise ignored.
            break;
        }
        // A soft bounce is only an event; a hard one is what message.bounced means.
        await messages.recordEvents(tx, events);
        return { duplicate: false, foreign: false, messageId: message?.id ?? null };
      });
    },
  };
}
