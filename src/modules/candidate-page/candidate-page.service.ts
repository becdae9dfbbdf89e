// The candidate's side: their private link opens their page (or its JSON twin), and what they
// do there — the talent pool, a rating, a question, a data request — is stored, recorded as a
// candidate event (for the API and outgoing webhooks) and shown back to them.
//
// A link works when its token hashes to a message's feedback_token_hash, it is not revoked and
// not expired, and the message was not stopped before sending. Everything else answers the same
// "not available", so nobody learns what exists.
import { logoPath } from '../organizations/logo-image.js';
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import type { PrismaClient } from '../../db/client.js';
import type { Message, Prisma } from '../../generated/prisma/client.js';
import { sha256Hex } from '../../lib/hash.js';
import { storedFeedback } from '../messages/stored.js';
import { greetingName } from '../hiring/names.js';
import { feedbackContext, supportedLocales, type SupportedLocale } from '../templates/context.js';
import { messageFormality } from '../templates/formality.js';
import type { FeedbackPageModel, NoticeKey, PageDataRequest } from './view/model.js';
import { talentPoolConsentText } from './view/strings.js';
import type { MessageLifecycle } from '../messages/lifecycle.js';
import type { DataRightsService } from '../data-rights/data-rights.service.js';
import { emitEvents, type EmittedEvent } from '../outgoing-webhooks/events.js';
import { enqueueAtsNotes } from '../ats-writeback/writeback.enqueue.js';
import { feedbackPageRepository, type PageData, type PageMessage } from './candidate-page.repository.js';

/** 256 bits, base64url: what feedbackToken() makes. Anything else is not a token. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** Messages stopped before sending never reached anyone: their links do not exist. */
const NEVER_SENT_STATUSES = ['cancelled', 'recalled', 'held', 'draft', 'pending_approval'] as const;
const NEVER_SENT: ReadonlySet<string> = new Set(NEVER_SENT_STATUSES);
/** How long a page's forms stay valid. */
const FORM_LIFETIME_MS = 12 * 3_600_000;

export type CandidateEventType =
  'feedback.viewed' | 'candidate.talent_pool_joined' | 'candidate.talent_pool_left' | 'candidate.feedback_rated' | 'candidate.question_asked' | 'candidate.data_requested';

export type FeedbackPageService = ReturnType<typeof createFeedbackPageService>;

export class PageActionRefused extends Error {
  constructor(readonly notice: NoticeKey) {
    super(notice);
  }
}

export interface FeedbackPageServiceDeps {
  db: PrismaClient;
  linkSecret: string;
  /**
   * The first view is kept on the message, by the module that owns it: through markFirstView
   * for the JSON twin, and its firstViewWrite inside the page's own statement for page views.
   */
  messageLifecycle: Pick<MessageLifecycle, 'markFirstView'>;
  /** A data request is the data-rights module's from the moment it is made (its due date, its answer). */
  dataRights: Pick<DataRightsService, 'open'>;
  now?: () => Date;
}

export function createFeedbackPageService({ db, linkSecret, messageLifecycle: messages, dataRights, now = () => new Date() }: FeedbackPageServiceDeps) {
  // Imported once: an HMAC given the bytes imports the key again on every page view.
  const key = createSecretKey(Buffer.from(linkSecret, 'base64'));

  /**
   * Whether a link to this message works: not revoked, not expired, not stopped before sending.
   * (loadPageRecordingView applies the same rules in SQL: change both together.)
   */
  function usable(message: PageMessage, at = now()): boolean {
    if (message.feedbackLinkRevokedAt) return false;
    if (message.feedbackLinkExpiresAt && message.feedbackLinkExpiresAt.getTime() <= at.getTime()) return false;
    return !(NEVER_SENT.has(message.status) || (message.status === 'failed' && !message.sentAt));
  }

  /** The message behind a working link, or null (unknown, expired, revoked, never sent). */
  async function open(token: string): Promise<Message | null> {
    if (!TOKEN.test(token)) return null;
    const message = await feedbackPageRepository.messageByTokenHash(db, sha256Hex(token));
    return message && usable(message) ? message : null;
  }

  /** A working link's message and all its page shows, in one query; null otherwise. */
  async function openPage(token: string) {
    if (!TOKEN.test(token)) return null;
    const found = await feedbackPageRepository.loadPage(db, sha256Hex(token));
    return found && usable(found.message) ? found : null;
  }

  /**
   * openPage for a view, which it records in the same statement as the read, the first view of
   * the message included (one round trip). Should the statement not have recorded a working
   * link's view, recordView does.
   */
  async function openPageForView(token: string, via: 'page' | 'api') {
    if (!TOKEN.test(token)) return null;
    const at = now();
    const found = await feedbackPageRepository.loadPageRecordingView(db, sha256Hex(token), { at, neverSent: NEVER_SENT_STATUSES, via });
    if (!found || !usable(found.message, at)) return null;
    const { message, data, viewRecorded, firstView } = found;
    return { message, data, record: () => (viewRecorded ? afterView(message, data, firstView) : recordView(message, data, via)) };
  }

  /**
   * A form token bound to the message, the language the page was shown in (what a consent is
   * recorded in) and its issue time: forms from another page, language or long ago fail.
   */
  function csrfToken(messageId: string, locale: SupportedLocale, at = now()): string {
    const issued = Math.floor(at.getTime() / 1000).toString(36);
    return `${issued}.${locale}.${createHmac('sha256', key).update(`feedback-page-form|${messageId}|${locale}|${issued}`).digest('base64url')}`;
  }

  /** The page's language when the token is valid, else null. */
  function checkCsrf(messageId: string, token: unknown): SupportedLocale | null {
    if (typeof token !== 'string') return null;
    const [issued, locale, signature] = token.split('.');
    if (!issued || !signature || !/^[0-9a-z]{1,10}$/.test(issued) || !supportedLocales.includes(locale as SupportedLocale)) return null;
    const age = now().getTime() - parseInt(issued, 36) * 1000;
    if (!(age >= -60_000 && age <= FORM_LIFETIME_MS)) return null;
    const expected = Buffer.from(csrfToken(messageId, locale as SupportedLocale, new Date(parseInt(issued, 36) * 1000)).split('.')[2]!);
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected) ? (locale as SupportedLocale) : null;
  }

  async function event(tx: Prisma.TransactionClient | PrismaClient, message: Message, type: CandidateEventType, detail: Record<string, unknown> = {}) {
    const ref = { messageId: message.id, applicationId: message.applicationId, candidateId: message.candidateId };
    // The outgoing webhook carries ids and choices only, never what the candidate wrote.
    const data: Record<CandidateEventType, Record<string, unknown>> = {
      'feedback.viewed': { ...ref, first: detail.first === true },
      'candidate.talent_pool_joined': { ...ref, locale: detail.locale },
      'candidate.talent_pool_left': ref,
      'candidate.question_asked': { ...ref, questionId: detail.questionId },
      'candidate.feedback_rated': { ...ref, rating: detail.rating },
      'candidate.data_requested': { ...ref, dataRequestId: detail.dataRequestId, kind: detail.kind },
    };
    await emitEvents(tx, message.organizationId, [{ type, data: data[type] } as EmittedEvent]);
    await feedbackPageRepository.recordEvent(tx, message, type, detail as Prisma.InputJsonValue, now());
  }

  function model(message: PageMessage, loaded: PageData, locale: SupportedLocale, token: string, notice: NoticeKey | null): FeedbackPageModel {
    const { candidate, requisition, organization, rating, questions, dataRequests } = loaded;
    const feedback = feedbackContext(storedFeedback(message.feedback), locale);
    return {
      companyName: organization.name,
      accentColor: organization.accentColor,
      logoPath: organization.logoSha256 ? logoPath(organization.logoSha256) : null,
      roleTitle: requisition.title,
      formality: messageFormality(message.formality, message.locale, organization.formality, locale),
      candidateFirstName: greetingName(candidate),
      candidateName: candidate.name,
      action: message.action,
      kind: message.kind,
      // The decision shows once the email has actually gone out.
      decisionVisible: message.sentAt !== null,
      sentAt: message.sentAt,
      feedback,
      contact: { name: requisition.hiringContactName, email: requisition.hiringContactEmail },
      talentPool: {
        offered: message.kind === 'talent_pool_invite' || feedback?.nextSteps.talentPoolInvite === true,
        member: candidate.talentPoolMember,
      },
      rating: rating ? { value: rating.value, comment: rating.comment } : null,
      questions: questions.map((q) => ({ question: q.question, askedAt: q.askedAt, answer: q.answer, answeredAt: q.answeredAt })),
      openQuestion: questions.some((q) => q.answer === null),
      dataRequests: dataRequests.map((r) => ({ kind: r.kind as PageDataRequest['kind'], createdAt: r.createdAt, status: r.status as PageDataRequest['status'] })),
      notice,
      csrf: csrfToken(message.id, locale),
      actionBase: `/f/${token}`,
      timeZone: candidate.timezone,
      opensTracked: organization.trackOpens,
      links: { privacyPolicy: organization.privacyPolicyUrl, careers: organization.careersUrl },
    };
  }

  /**
   * A view: every one is an event, the first is also kept on the message. No counter on the
   * message row: a page opened by many at once must not queue on one row lock. The webhook
   * (ids only) goes out when the organization has endpoints to take it.
   */
  async function recordView(message: PageMessage, data: PageData, via: 'page' | 'api') {
    const at = now();
    // Most views are not the first: they skip the message row (and its lock) entirely.
    const first = message.firstViewedAt === null && (await messages.markFirstView(db, message.id, at));
    await feedbackPageRepository.recordView(db, message, via, first, at);
    await afterView(message, data, first);
  }

  /** What follows a recorded view: the webhook (ids only), when the organization has endpoints to take it. */
  async function afterView(message: PageMessage, data: PageData, first: boolean) {
    if (data.hasWebhookEndpoints) {
      const ref = { messageId: message.id, applicationId: message.applicationId, candidateId: message.candidateId };
      await emitEvents(db, message.organizationId, [{ type: 'feedback.viewed', data: { ...ref, first } }]);
    }
  }

  /** Runs one candidate action on a working link with a valid form token. */
  async function act<T>(
    token: string,
    csrf: unknown,
    run: (message: Message, tx: Prisma.TransactionClient, locale: SupportedLocale) => Promise<T>,
  ): Promise<{ message: Message; result: T } | null> {
    const message = await open(token);
    if (!message) return null;
    if (message.sentAt === null) return null;
    const locale = checkCsrf(message.id, csrf);
    if (!locale) throw new PageActionRefused('form_expired');
    return { message, result: await db.$transaction((tx) => run(message, tx, locale)) };
  }

  return {
    open,
    csrfToken,
    checkCsrf,
    model,

    /** The page's model, or null for the unavailable page. Records the view. */
    async page(token: string, locale: (candidateLocale: string | null) => SupportedLocale, notice: NoticeKey | null, recordAView = true) {
      const found: { message: PageMessage; data: PageData; record?: () => Promise<void> } | null = recordAView ? await openPageForView(token, 'page') : await openPage(token);
      if (!found) return null;
      const { message, data: loaded } = found;
      const pageLocale = locale(message.locale ?? loaded.candidate.locale ?? loaded.requisition.defaultLocale);
      await found.record?.();
      return { locale: pageLocale, model: model(message, loaded, pageLocale, token, notice) };
    },

    /** The JSON twin for ATS candidate portals: the same content, no forms. */
    async json(token: string, locale: (candidateLocale: string | null) => SupportedLocale) {
      // The view is recorded after the model is built, as it always was (openPageForView would record it first).
      const found = await openPage(token);
      if (!found) return null;
      const { message, data: loaded } = found;
      const pageLocale = locale(message.locale ?? loaded.candidate.locale ?? loaded.requisition.defaultLocale);
      const m = model(message, loaded, pageLocale, token, null);
      await recordView(message, loaded, 'api');
      // Before the email is sent, nothing that hints at the decision.
      const visible = m.decisionVisible;
      return {
        locale: pageLocale,
        company: m.companyName,
        role: m.roleTitle,
        candidateName: m.candidateName,
        decision: m.decisionVisible ? { action: m.action, kind: m.kind, sentAt: m.sentAt! } : null,
        feedback: m.decisionVisible ? m.feedback : null,
        contact: visible ? m.contact : { name: null, email: null },
        talentPool: visible ? m.talentPool : { offered: false, member: false },
        rating: m.rating,
        questions: m.questions,
        dataRequests: m.dataRequests,
      };
    },

    /**
     * Join or leave, recording the exact consent text shown, in the language the page was shown
     * in (signed into the form token, never taken from a field). Only the invited may join.
     */
    joinOrLeave: (token: string, csrf: unknown, action: 'join' | 'leave') =>
      act(token, csrf, async (message, tx, locale) => {
        const organizationName = await feedbackPageRepository.organizationName(tx, message.organizationId);
        const member = action === 'join';
        const isMember = await feedbackPageRepository.talentPoolMember(tx, message.candidateId);
        const invited = message.kind === 'talent_pool_invite' || storedFeedback(message.feedback)?.nextSteps?.talentPoolInvite === true;
        if (member && !invited && !isMember) throw new PageActionRefused('invalid_input');
        if (member === isMember) return member ? ('talent_pool_joined' as const) : ('talent_pool_left' as const);
        await feedbackPageRepository.setTalentPoolMember(tx, message.candidateId, member, now());
        const consent = await feedbackPageRepository.recordConsent(tx, {
          organizationId: message.organizationId,
          candidateId: message.candidateId,
          messageId: message.id,
          action,
          // Rebuilt here, never taken from the request: what the page showed in that language.
          text: member ? talentPoolConsentText(locale, organizationName) : '',
          locale,
          createdAt: now(),
        });
        await event(tx, message, member ? 'candidate.talent_pool_joined' : 'candidate.talent_pool_left', { consentId: consent.id, locale });
        await enqueueAtsNotes(tx, message.organizationId, [
          {
            applicationId: message.applicationId,
            subjectId: consent.id,
            text: member
              ? `The candidate joined the talent pool through Hearback on ${consent.createdAt.toISOString()} (consent for ${organizationName} recorded in Hearback, with the text they agreed to).`
              : `The candidate left the talent pool through Hearback on ${consent.createdAt.toISOString()}: do not contact them for other roles.`,
          },
        ]);
        return member ? ('talent_pool_joined' as const) : ('talent_pool_left' as const);
      }),

    rate: (token: string, csrf: unknown, value: number, comment: string | null) =>
      act(token, csrf, async (message, tx) => {
        await feedbackPageRepository.rate(tx, message, value, comment);
        await event(tx, message, 'candidate.feedback_rated', { rating: value, comment });
        return 'rating_saved' as const;
      }),

    /** One open question at a time: the next waits for the recruiter's answer. */
    ask: (token: string, csrf: unknown, question: string) =>
      act(token, csrf, async (message, tx) => {
        await feedbackPageRepository.lockMessage(tx, message.id);
        const open = await feedbackPageRepository.openQuestions(tx, message.id);
        if (open > 0) throw new PageActionRefused('question_already_open');
        const created = await feedbackPageRepository.createQuestion(tx, message, question, now());
        await event(tx, message, 'candidate.question_asked', { questionId: created.id, question });
        return 'question_sent' as const;
      }),

    requestData: (token: string, csrf: unknown, kind: 'export' | 'deletion') =>
      act(token, csrf, async (message, tx) => {
        await feedbackPageRepository.lockMessage(tx, message.id);
        // Asking twice while one is pending changes nothing.
        const request = await dataRights.open(tx, message, kind);
        if (request.created) await event(tx, message, 'candidate.data_requested', { dataRequestId: request.id, kind });
        return kind === 'export' ? ('data_export_requested' as const) : ('data_deletion_requested' as const);
      }),
  };
}
