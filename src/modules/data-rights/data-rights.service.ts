// Candidates' data rights, served by Hearback itself: a request from the candidate's page gets
// its due date; an export is confirmed by email and downloaded through a short-lived link; an
// erasure, approved by an admin (or automatically after the organization's wait), removes the
// person everywhere in one transaction (erasure.ts). The daily retention sweep erases, the same
// way, people whose data has been kept as long as the organization keeps it.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { PrismaClient } from '../../db/client.js';
import type { Message, Prisma } from '../../generated/prisma/client.js';
import type { Actor } from '../../lib/actor.js';
import type { Sealer } from '../../lib/crypto.js';
import { AppError, found } from '../../lib/errors.js';
import { sha256Hex } from '../../lib/hash.js';
import { auditRepository } from '../audit/audit.repository.js';
import { candidatePageErasureRepository } from '../candidate-page/erasure.repository.js';
import { shippedLanguage } from '../candidate-page/view/locale.js';
import { deliveryErasureRepository } from '../delivery/erasure.repository.js';
import type { SystemMailer } from '../delivery/system-mail.js';
import { hiringErasureRepository } from '../hiring/erasure.repository.js';
import { inboundErasureRepository } from '../ats-inbound/erasure.repository.js';
import { messagesErasureRepository } from '../messages/erasure.repository.js';
import { dataRightsSettingsRepository as settingsRepo, type DataRightsSettings } from '../organizations/data-rights-settings.repository.js';
import type { SupportedLocale } from '../templates/context.js';
import { messageFormality, type Formality } from '../templates/formality.js';
import { dataRequestsRepository as repo } from './data-requests.repository.js';
import { resolveNotifications } from '../notifications/notifications.record.js';
import { dataRequestView } from './data-request-view.js';
import { confirmationEmail, renewalEmail } from './emails.js';
import { talentPoolConsentText } from '../candidate-page/view/strings.js';
import { enqueueAtsNotes } from '../ats-writeback/writeback.enqueue.js';
import { erasePerson, type ErasureReport } from './erasure.js';
import { exportBundle } from './export.js';
import { exportHtml } from './export-html.js';
import { personOf } from './person.js';

export type DataRightsService = ReturnType<typeof createDataRightsService>;
type Contact = NonNullable<Awaited<ReturnType<typeof messagesErasureRepository.contact>>>;

/** A month in the calendar sense (the GDPR's "one month"): the same day next month, or its last day. */
export function addMonths(at: Date, months: number): Date {
  const day = at.getUTCDate();
  const result = new Date(at);
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const last = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, last));
  return result;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const newToken = () => randomBytes(32).toString('base64url');
const DAY = 86_400_000;
/** Members are asked to renew their talent-pool consent this many days before it ends. */
const RENEWAL_NOTICE_DAYS = 30;

export interface DataRightsServiceDeps {
  db: PrismaClient;
  sealer: Sealer;
  mailer: Pick<SystemMailer, 'send'>;
  logger: Pick<Logger, 'warn'>;
  settings: { publicBaseUrl: string; downloadLinkMs: number; dueMonths?: number };
  now?: () => Date;
}

const system = (organizationId: string): Actor => ({ organizationId, actor: 'system' });

/** A request answered needs nobody any more: its notifications are read for everyone. */
const settled = (tx: Prisma.TransactionClient, organizationId: string, id: string, at: Date) =>
  resolveNotifications(tx, organizationId, id, ['data_request', 'data_request_due'], at);

export function createDataRightsService({ db, sealer, mailer, logger, settings, now = () => new Date() }: DataRightsServiceDeps) {
  const dueMonths = settings.dueMonths ?? 1;

  async function organizationName(organizationId: string) {
    return (await hiringErasureRepository.organization(db, organizationId)).name;
  }

  /** Erases the person behind `candidateId` in one transaction; null when already erased. */
  async function erase(actor: Actor, candidateId: string, dataRequest: { id: string; note: string | null } | null): Promise<ErasureReport | null> {
    return db.$transaction(
      async (tx) => {
        const person = await personOf(tx, actor.organizationId, candidateId);
        if (person.ids.length === 0) return null;
        const at = now();
        const report = await erasePerson(tx, { actor, person, sealer, at, dataRequestId: dataRequest?.id ?? null });
        if (dataRequest) {
          await repo.complete(tx, dataRequest.id, { by: actor.actor, note: dataRequest.note, at, approved: true, report });
          await settled(tx, actor.organizationId, dataRequest.id, at);
        }
        return report;
      },
      { timeout: 60_000 },
    );
  }

  /** The candidate's language for what we write them (their message's, else English). */
  const localeOf = (tag: string | null | undefined): SupportedLocale => shippedLanguage(tag) ?? 'en';

  /**
   * The register for what we write them in `locale`: their message's when it speaks that
   * language, else the organization's current choice, so these emails and pages never switch
   * from the tú/du/tu/je of the message and page that led the candidate here.
   */
  async function registerOf(organizationId: string, contact: Contact | null, locale: SupportedLocale): Promise<Formality> {
    return messageFormality(contact?.formality ?? null, contact?.locale ?? null, await settingsRepo.formality(db, organizationId), locale);
  }

  return {
    addMonths,

    /** Called by the candidate's page in its transaction: records the request with its due date (once while one is pending). */
    async open(tx: Prisma.TransactionClient, message: Pick<Message, 'id' | 'organizationId' | 'candidateId' | 'applicationId'>, kind: 'export' | 'deletion') {
      const pending = await repo.pending(tx, message.id, kind);
      if (pending) return { id: pending.id, created: false };
      const at = now();
      const created = await repo.create(tx, {
        organizationId: message.organizationId,
        candidateId: message.candidateId,
        messageId: message.id,
        kind,
        createdAt: at,
        dueAt: addMonths(at, dueMonths),
      });
      await enqueueAtsNotes(tx, message.organizationId, [
        {
          applicationId: message.applicationId,
          subjectId: created.id,
          text: `The candidate asked Hearback on ${at.toISOString()} for ${kind === 'deletion' ? 'the deletion' : 'a copy'} of their data (due ${created.dueAt?.toISOString() ?? 'in a month'}).${kind === 'deletion' ? ' When it is carried out, Hearback asks this ATS to anonymize them where its API allows.' : ''}`,
        },
      ]);
      return { id: created.id, created: true };
    },

    /** Marks a request done without Hearback doing it (an answer given another way). */
    async complete(tx: Prisma.TransactionClient, organizationId: string, id: string, by: string, note: string | null) {
      const at = now();
      const count = await repo.complete(tx, id, { by, note, at });
      if (count > 0) await settled(tx, organizationId, id, at);
      return count;
    },

    /** Approves a deletion request: the erasure runs now and completes it with its closure report. */
    async approve(actor: Actor, id: string, note: string | null) {
      const request = found(await repo.find(db, actor.organizationId, id), 'Data request');
      if (request.kind !== 'deletion') throw new AppError('conflict', 'Only a deletion request is approved; an export is confirmed by the candidate');
      if (request.status !== 'pending') throw new AppError('conflict', 'This data request is already completed');
      await erase(actor, request.candidateId, { id, note });
      return dataRequestView(await repo.view(db, id), now());
    },

    /** Erases a person outright (an admin acting on a request made elsewhere). */
    async erase(actor: Actor, candidateId: string) {
      found(await hiringErasureRepository.candidate(db, actor.organizationId, candidateId), 'Candidate');
      const report = await erase(actor, candidateId, null);
      if (!report) throw new AppError('conflict', 'This candidate has already been erased');
      return { candidateId, report };
    },

    /** The export as the organization sees it (an admin answering a request by hand). */
    async export(actor: Actor, candidateId: string) {
      found(await hiringErasureRepository.candidate(db, actor.organizationId, candidateId), 'Candidate');
      const person = await personOf(db, actor.organizationId, candidateId);
      const bundle = await exportBundle(db, { id: actor.organizationId, name: await organizationName(actor.organizationId) }, person, now());
      await auditRepository.record(db, actor, [{ action: 'candidate.exported', entity: 'candidate', entityId: candidateId, after: { candidateIds: person.ids } }]);
      return bundle;
    },

    settings: (organizationId: string) => settingsRepo.get(db, organizationId),

    async updateSettings(actor: Actor, data: Partial<DataRightsSettings>) {
      return db.$transaction(async (tx) => {
        const before = await settingsRepo.get(tx, actor.organizationId);
        const after = await settingsRepo.set(tx, actor.organizationId, data);
        await auditRepository.record(tx, actor, [{ action: 'organization.data_rights_updated', entity: 'organization', entityId: actor.organizationId, before, after }]);
        return after;
      });
    },

    /** Emails each new export request its confirmation link (to the address its message went to). Returns how many went. */
    async sendConfirmations(limit = 50): Promise<number> {
      let sent = 0;
      for (const request of await repo.awaitingConfirmationEmail(db, limit)) {
        const contact = await messagesErasureRepository.contact(db, request.messageId);
        if (!contact) continue;
        const token = newToken();
        const locale = localeOf(contact.locale);
        const email = confirmationEmail(
          locale,
          await registerOf(request.organizationId, contact, locale),
          await organizationName(request.organizationId),
          `${settings.publicBaseUrl}/f/export/${token}`,
        );
        try {
          await mailer.send(request.organizationId, { to: contact.recipientEmail, tag: 'data-export-confirmation', ...email });
        } catch (error) {
          logger.warn({ err: error, dataRequestId: request.id }, 'data export confirmation could not be sent; retried on the next sweep');
          continue;
        }
        sent += await repo.markConfirmationSent(db, request.id, sha256Hex(token), now());
        await auditRepository.record(db, system(request.organizationId), [
          { action: 'data_request.confirmation_sent', entity: 'candidate', entityId: request.candidateId, after: { dataRequestId: request.id } },
        ]);
      }
      return sent;
    },

    /** The request behind a confirmation link that still works, with its language; null otherwise. */
    async confirmation(token: string) {
      if (!TOKEN.test(token)) return null;
      const request = await repo.byConfirmationHash(db, sha256Hex(token));
      if (!request || request.status !== 'pending' || (request.dueAt && request.dueAt.getTime() < now().getTime())) return null;
      const contact = await messagesErasureRepository.contact(db, request.messageId);
      const locale = localeOf(contact?.locale);
      return { request, locale, formality: await registerOf(request.organizationId, contact, locale), company: await organizationName(request.organizationId) };
    },

    /** The candidate confirmed: a download link valid for a short while. */
    async confirm(token: string) {
      const confirmation = await this.confirmation(token);
      if (!confirmation) return null;
      const download = newToken();
      const at = now();
      const expiresAt = new Date(at.getTime() + settings.downloadLinkMs);
      await db.$transaction(async (tx) => {
        await repo.confirm(tx, confirmation.request.id, sha256Hex(download), expiresAt, at);
        await auditRepository.record(tx, system(confirmation.request.organizationId), [
          { action: 'data_request.confirmed', entity: 'candidate', entityId: confirmation.request.candidateId, after: { dataRequestId: confirmation.request.id } },
        ]);
      });
      return { ...confirmation, download, expiresAt };
    },

    /** The export behind a download link that still works (the first download delivers the request); null otherwise. */
    async download(token: string, format: 'json' | 'html') {
      if (!TOKEN.test(token)) return null;
      const request = await repo.byDownloadHash(db, sha256Hex(token));
      if (!request || !request.downloadExpiresAt || request.downloadExpiresAt.getTime() <= now().getTime()) return null;
      const contact = await messagesErasureRepository.contact(db, request.messageId);
      const locale = localeOf(contact?.locale);
      const person = await personOf(db, request.organizationId, request.candidateId);
      if (person.ids.length === 0) return null;
      const bundle = await exportBundle(db, { id: request.organizationId, name: await organizationName(request.organizationId) }, person, now());
      await db.$transaction(async (tx) => {
        const at = now();
        if ((await repo.delivered(tx, request.id, at)) > 0) {
          await settled(tx, request.organizationId, request.id, at);
          await auditRepository.record(tx, system(request.organizationId), [
            { action: 'data_request.export_delivered', entity: 'candidate', entityId: request.candidateId, after: { dataRequestId: request.id, candidateIds: person.ids } },
          ]);
        }
      });
      return format === 'json'
        ? { contentType: 'application/json; charset=utf-8', filename: 'hearback-export.json', body: JSON.stringify(bundle, null, 2) }
        : {
            contentType: 'text/html; charset=utf-8',
            filename: 'hearback-export.html',
            body: exportHtml(bundle, locale, await registerOf(request.organizationId, contact, locale), null),
          };
    },

    /**
     * Pending requests due within `withinMs` (or already overdue), every organization: what a
     * reminder to the organization's owners reads before the legal deadline.
     */
    dueSoon: (withinMs: number, limit = 500) => repo.dueBefore(db, new Date(now().getTime() + withinMs), limit),

    /** Deletion requests past their organization's wait are approved by Hearback. Returns how many ran. */
    async autoApprove(): Promise<number> {
      let done = 0;
      for (const { id, organizationId } of await repo.autoApprovable(db, now())) {
        const request = await repo.find(db, organizationId, id);
        if (!request || request.status !== 'pending') continue;
        await erase(system(organizationId), request.candidateId, { id, note: 'approved automatically after the organization’s wait' });
        done++;
      }
      return done;
    },

    /**
     * Asks talent-pool members whose consent ends within RENEWAL_NOTICE_DAYS to renew it (once
     * per consent), by email to the address their consent's message went to. Returns how many went.
     */
    async sendRenewals(): Promise<number> {
      const at = now();
      let sent = 0;
      for (const org of await settingsRepo.all(db)) {
        const due = await candidatePageErasureRepository.renewalsDue(db, org.id, addMonths(new Date(at.getTime() + RENEWAL_NOTICE_DAYS * DAY), -org.talentPoolConsentMonths));
        for (const member of due) {
          const contact = await messagesErasureRepository.contact(db, member.messageId);
          if (!contact) continue;
          const consent = await candidatePageErasureRepository.latestJoin(db, member.candidateId);
          const token = newToken();
          const locale = localeOf(member.locale);
          const email = renewalEmail(
            locale,
            await registerOf(org.id, contact, locale),
            await organizationName(org.id),
            addMonths(consent!.createdAt, org.talentPoolConsentMonths),
            `${settings.publicBaseUrl}/f/talent-pool/renew/${token}`,
          );
          try {
            await mailer.send(org.id, { to: contact.recipientEmail, tag: 'talent-pool-renewal', ...email });
          } catch (error) {
            logger.warn({ err: error, candidateId: member.candidateId }, 'talent-pool renewal could not be sent; retried on the next sweep');
            continue;
          }
          await candidatePageErasureRepository.renewalSent(db, member.candidateId, sha256Hex(token), now());
          sent++;
        }
      }
      return sent;
    },

    /** The member behind a renewal link that still works, with the consent text to show; null otherwise. */
    async renewal(token: string) {
      if (!TOKEN.test(token)) return null;
      const candidate = await candidatePageErasureRepository.byRenewalHash(db, sha256Hex(token));
      if (!candidate || !candidate.talentPoolMember || candidate.erasedAt) return null;
      const consent = await candidatePageErasureRepository.latestJoin(db, candidate.id);
      if (!consent) return null;
      const locale = localeOf(consent.locale);
      const formality = await registerOf(candidate.organizationId, await messagesErasureRepository.contact(db, consent.messageId), locale);
      return { candidate, consent, locale, formality, text: talentPoolConsentText(locale, await organizationName(candidate.organizationId)) };
    },

    /** Records the renewed consent (the exact text shown, in the language shown). */
    async renew(token: string) {
      const renewal = await this.renewal(token);
      if (!renewal) return null;
      await db.$transaction(async (tx) => {
        await candidatePageErasureRepository.renew(tx, {
          organizationId: renewal.candidate.organizationId,
          candidateId: renewal.candidate.id,
          messageId: renewal.consent.messageId,
          text: renewal.text,
          locale: renewal.locale,
          createdAt: now(),
        });
        await auditRepository.record(tx, system(renewal.candidate.organizationId), [
          { action: 'talent_pool.consent_renewed', entity: 'candidate', entityId: renewal.candidate.id },
        ]);
      });
      return { locale: renewal.locale, formality: renewal.formality };
    },

    /**
     * The retention sweep, per organization: people whose final word is older than the
     * organization keeps data (and who are not in the talent pool with a consent still running)
     * are erased; talent-pool members whose consent ran out are erased once their data is past
     * retention too (else they only leave the pool); raw provider payloads go after their own,
     * shorter, retention. Reported in the audit log (`retention.swept`) and returned.
     */
    async retention() {
      const at = now();
      const results = [];
      for (const org of await settingsRepo.all(db)) {
        const consentSince = addMonths(at, -org.talentPoolConsentMonths);
        const consentEnded = await candidatePageErasureRepository.consentsEndedBefore(db, org.id, consentSince);
        if (consentEnded.length > 0)
          await candidatePageErasureRepository.leavePool(
            db,
            consentEnded.map((c) => c.candidateId),
            at,
          );
        const expired = await hiringErasureRepository.finishedMonthsBefore(db, org.id, org.dataRetentionMonths, at);
        const expiredIds = new Set(expired.map((e) => e.id));
        const erased = new Set<string>();
        let people = 0;
        for (const { id } of expired) {
          if (erased.has(id)) continue;
          const person = await personOf(db, org.id, id);
          // One person, one final word: a record of theirs still inside retention keeps them all.
          const inside = person.ids.filter((c) => !expiredIds.has(c));
          if (inside.length > 0) {
            person.ids.forEach((c) => erased.add(c));
            continue;
          }
          await erase(system(org.id), id, null);
          person.ids.forEach((c) => erased.add(c));
          people++;
        }
        const payloadsBefore = new Date(at.getTime() - org.rawPayloadRetentionDays * DAY);
        const inboundBodies = await inboundErasureRepository.purgeBefore(db, org.id, payloadsBefore);
        const postmarkPayloads = await deliveryErasureRepository.purgePayloads(db, org.id, payloadsBefore);
        const result = { organizationId: org.id, peopleErased: people, talentPoolConsentsEnded: consentEnded.length, inboundBodies, postmarkPayloads };
        if (people + consentEnded.length + inboundBodies + postmarkPayloads > 0) {
          await auditRepository.record(db, system(org.id), [{ action: 'retention.swept', entity: 'organization', entityId: org.id, after: { ...result, at: at.toISOString() } }]);
        }
        results.push(result);
      }
      return results;
    },
  };
}
