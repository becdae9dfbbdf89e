// Emails Hearback writes to the organization's own people (invitations, sign-in links), one at a
// time, through the organization's Postmark server and sender, as candidates' messages go.
import { Models } from 'postmark';
import type { PrismaClient } from '../../db/client.js';
import { createPostmarkSession, fromHeader, type PostmarkEndpoint } from '../../email/postmark.js';
import type { Sealer } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { deliveryRepository as repo } from './delivery.repository.js';

export interface SystemEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Postmark's tag, e.g. `sign-in`. */
  tag: string;
}

export type SystemMailer = ReturnType<typeof createSystemMailer>;

export function createSystemMailer({ db, sealer, endpoint, defaultStream }: { db: PrismaClient; sealer: Sealer; endpoint: PostmarkEndpoint; defaultStream: string }) {
  return {
    /** Whether the organization can send at all (a Postmark token and a sender). */
    async canSend(organizationId: string): Promise<boolean> {
      const sender = await repo.sender(db, organizationId);
      return sender.postmarkServerToken !== null && sender.senderEmail !== null;
    },

    /** Sends one email; a refusal or an outage throws (the caller decides whether to tell). */
    async send(organizationId: string, email: SystemEmail): Promise<void> {
      const sender = await repo.sender(db, organizationId);
      if (!sender.postmarkServerToken || !sender.senderEmail) {
        throw new AppError('conflict', 'The organization has no Postmark setup to send from: PUT /v1/organization/postmark first');
      }
      const { client } = createPostmarkSession(sealer.open(sender.postmarkServerToken), endpoint);
      await client.sendEmail({
        From: fromHeader(sender.senderEmail, sender.senderName ?? sender.name),
        To: email.to,
        Subject: email.subject,
        TextBody: email.text,
        HtmlBody: email.html,
        Tag: email.tag,
        MessageStream: sender.messageStream ?? defaultStream,
        // A sign-in link must not be rewritten by click tracking, nor the opening reported.
        TrackOpens: false,
        TrackLinks: Models.LinkTrackingOptions.None,
      });
    },
  };
}
