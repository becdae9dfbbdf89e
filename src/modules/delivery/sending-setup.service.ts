// What an organization sends with (its own Postmark server token, sealed at rest, and sender)
// and whom it must not write to (its suppression list).
import { z } from 'zod';
import type { PrismaClient } from '../../db/client.js';
import type { Sealer } from '../../lib/crypto.js';
import { found, notFound } from '../../lib/errors.js';
import { pageRequest, toPage, type PageQuery } from '../../lib/pagination.js';
import { auditRepository } from '../audit/audit.repository.js';
import type { Actor } from '../../lib/actor.js';
import { normalizeEmail } from '../hiring/identity.js';
import { organizationWebhookPassword } from './postmark-webhooks.js';
import { sendingSetupRepository as repo, type SetupRow } from './sending-setup.repository.js';

export interface PostmarkSetup {
  serverToken: string;
  senderEmail: string;
  senderName?: string | null | undefined;
  messageStream?: string | null | undefined;
}

export type SendingSetupService = ReturnType<typeof createSendingSetupService>;

export interface WebhookSettings {
  publicBaseUrl: string;
  user: string;
  /** POSTMARK_WEBHOOK_PASSWORD: each organization's password is derived from it. */
  secret: string;
}

/** Where this organization's Postmark server posts its webhooks, credentials included. */
export function webhookUrl(settings: WebhookSettings, organizationId: string): string {
  const url = new URL(`/webhooks/postmark/${organizationId}`, settings.publicBaseUrl);
  url.username = settings.user;
  url.password = organizationWebhookPassword(settings.secret, organizationId);
  return url.toString();
}

function view(row: SetupRow, defaultStream: string, hook: string) {
  return {
    webhookUrl: hook,
    configured: row.postmarkServerToken !== null && row.senderEmail !== null,
    tokenHint: row.postmarkTokenHint,
    senderEmail: row.senderEmail,
    senderName: row.senderName,
    messageStream: row.messageStream ?? defaultStream,
  };
}

export function createSendingSetupService({ db, sealer, defaultStream, webhooks }: { db: PrismaClient; sealer: Sealer; defaultStream: string; webhooks: WebhookSettings }) {
  const show = (row: SetupRow, organizationId: string) => view(row, defaultStream, webhookUrl(webhooks, organizationId));
  return {
    async getPostmark(organizationId: string) {
      return show(found(await repo.setup(db, organizationId), 'Organization'), organizationId);
    },

    /** Stores the token sealed with ENCRYPTION_KEY; only its last four characters are ever shown. */
    async setPostmark(actor: Actor, setup: PostmarkSetup) {
      return db.$transaction(async (tx) => {
        const row = await repo.saveSetup(tx, actor.organizationId, {
          postmarkServerToken: sealer.seal(setup.serverToken),
          postmarkTokenHint: setup.serverToken.slice(-4),
          senderEmail: setup.senderEmail,
          senderName: setup.senderName ?? null,
          messageStream: setup.messageStream ?? null,
        });
        await auditRepository.record(tx, actor, [
          {
            action: 'organization.postmark_configured',
            entity: 'organization',
            entityId: actor.organizationId,
            after: { tokenHint: row.postmarkTokenHint, senderEmail: row.senderEmail, messageStream: row.messageStream },
          },
        ]);
        return show(row, actor.organizationId);
      });
    },

    async listSuppressions(organizationId: string, query: PageQuery & { email?: string | undefined }) {
      const page = pageRequest(query, z.string().min(1).max(320));
      // Ordered by address; the cursor is the last address seen.
      const rows = await repo.listSuppressions(db, organizationId, query.email ? normalizeEmail(query.email) : undefined, page);
      return toPage(rows, page, (row) => row.email);
    },

    async addSuppression(actor: Actor, email: string, reason: string) {
      const address = normalizeEmail(email);
      return db.$transaction(async (tx) => {
        const row = await repo.addSuppression(tx, actor.organizationId, address, reason);
        await auditRepository.record(tx, actor, [{ action: 'suppression.added', entity: 'organization', entityId: actor.organizationId, after: { email: address, reason } }]);
        return row;
      });
    },

    async removeSuppression(actor: Actor, email: string) {
      const address = normalizeEmail(email);
      await db.$transaction(async (tx) => {
        const count = await repo.removeSuppression(tx, actor.organizationId, address);
        if (count === 0) throw notFound('Suppression');
        await auditRepository.record(tx, actor, [{ action: 'suppression.removed', entity: 'organization', entityId: actor.organizationId, before: { email: address } }]);
      });
    },
  };
}
