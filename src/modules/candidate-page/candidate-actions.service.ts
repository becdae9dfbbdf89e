// The recruiter's side of the candidate page: what candidates did (events), questions to
// answer, data requests to act on, the talent pool, and revoking a link.
import { z } from 'zod';
import type { DbClient, PrismaClient } from '../../db/client.js';
import { AppError, found } from '../../lib/errors.js';
import { pageRequest, toPage, type PageQuery } from '../../lib/pagination.js';
import { auditRepository } from '../audit/audit.repository.js';
import type { Actor } from '../../lib/actor.js';
import type { MessageLifecycle } from '../messages/lifecycle.js';
import type { DataRightsService } from '../data-rights/data-rights.service.js';
import { dataRequestView } from '../data-rights/data-request-view.js';
import type { TransactionalMail } from '../delivery/transactional.js';
import { fromHeader } from '../../email/postmark.js';
import { greetingName } from '../hiring/names.js';
import { placeholderLink } from '../messages/feedback-link.js';
import { messageFormality } from '../templates/formality.js';
import { answerEmail } from './view/answer-email.js';
import { resolveNotifications } from '../notifications/notifications.record.js';
import { pageLocale } from './view/locale.js';
import { candidateActionsRepository as repo, type DataRequestFilter } from './candidate-actions.repository.js';
import type { RequisitionScope } from '../../lib/requisition-scope.js';
import type { CandidateEventType } from './candidate-page.service.js';

export type CandidateActionsService = ReturnType<typeof createCandidateActionsService>;

/** A stored candidate event's type and detail, parsed as written. */
const eventTypeSchema = z.enum([
  'feedback.viewed',
  'candidate.talent_pool_joined',
  'candidate.talent_pool_left',
  'candidate.feedback_rated',
  'candidate.question_asked',
  'candidate.data_requested',
] satisfies CandidateEventType[]);
const eventDetailSchema = z.record(z.string(), z.unknown()).nullable();

export interface CandidateActionsServiceDeps {
  db: PrismaClient;
  /** Revoking a feedback link is a change to the message. */
  messageLifecycle: Pick<MessageLifecycle, 'revokeLink'>;
  /** Data requests are the data-rights module's to change. */
  dataRights: Pick<DataRightsService, 'complete'>;
  /** The answer reaches the candidate by email too, exactly once (the delivery module sends it). */
  mail: TransactionalMail;
  /** For the link to the candidate's page in that email. */
  publicBaseUrl: string;
  now?: () => Date;
}

export function createCandidateActionsService({ db, messageLifecycle: messages, dataRights, mail, publicBaseUrl, now = () => new Date() }: CandidateActionsServiceDeps) {
  /** Each question with whether its answer reached the candidate by email (null before an answer). */
  async function withAnswerEmail<Q extends { id: string; candidateId: string }>(client: DbClient, organizationId: string, questions: Q[]) {
    const emails = await mail.statuses(
      client,
      organizationId,
      'question_answered',
      questions.map((q) => q.id),
    );
    return withCandidateNames(
      client,
      organizationId,
      questions.map((q) => ({ ...q, answerEmail: emails.get(q.id) ?? null })),
    );
  }

  /** Each row's candidate name, so a list of them needs no request per row. */
  async function withCandidateNames<R extends { candidateId: string }>(client: DbClient, organizationId: string, rows: R[]) {
    const names = await repo.candidateNames(
      client,
      organizationId,
      rows.map((r) => r.candidateId),
    );
    return rows.map((r) => ({ ...r, candidateName: names.get(r.candidateId) ?? null }));
  }

  /** The answer email, in the language and register of the candidate's page, queued in the answer's transaction. */
  async function queueAnswerEmail(tx: DbClient, questionId: string, question: string, answer: string, at: Date) {
    const facts = found(await repo.answerFacts(tx, questionId), 'Question');
    const locale = pageLocale(facts.messageLocale ?? facts.candidateLocale ?? facts.defaultLocale, null);
    const linkWorks = facts.sentAt !== null && facts.linkRevokedAt === null && (facts.linkExpiresAt === null || facts.linkExpiresAt > at);
    const content = answerEmail({
      locale,
      formality: messageFormality(facts.messageFormality, facts.messageLocale, facts.formality, locale),
      firstName: greetingName({ name: facts.candidateName, preferredName: facts.preferredName }),
      name: facts.candidateName,
      company: facts.organizationName,
      role: facts.title,
      question,
      answer,
      pageLink: linkWorks ? `${placeholderLink(publicBaseUrl)}#questions` : null,
    });
    await mail.queue(tx, {
      organizationId: facts.organizationId,
      purpose: 'question_answered',
      subjectId: questionId,
      candidateId: facts.candidateId,
      messageId: facts.messageId,
      recipientEmail: facts.recipientEmail,
      toHeader: fromHeader(facts.recipientEmail, facts.candidateName),
      ...content,
      tag: 'question-answered',
    });
  }

  return {
    async events(
      organizationId: string,
      scope: RequisitionScope,
      filter: { type?: string | undefined; messageId?: string | undefined; candidateId?: string | undefined },
      query: PageQuery,
    ) {
      const page = pageRequest(query);
      const rows = await repo.events(db, organizationId, scope, filter, page);
      return toPage(
        await withCandidateNames(
          db,
          organizationId,
          rows.map((r) => ({ ...r, type: eventTypeSchema.parse(r.type), detail: eventDetailSchema.parse(r.detail) })),
        ),
        page,
      );
    },

    async questions(organizationId: string, scope: RequisitionScope, filter: { status?: 'open' | 'answered' | undefined; messageId?: string | undefined }, query: PageQuery) {
      const page = pageRequest(query);
      return toPage(await withAnswerEmail(db, organizationId, await repo.questions(db, organizationId, scope, filter, page)), page);
    },

    /** The answer appears on the candidate's page; answering twice is refused (edit nothing silently). */
    async answer(actor: Actor, id: string, answer: string) {
      return db.$transaction(async (tx) => {
        const question = found(await repo.question(tx, actor.organizationId, id), 'Question');
        const at = now();
        const count = await repo.answer(tx, id, answer, actor.actor, at);
        if (count === 0) throw new AppError('conflict', 'This question has already been answered', { extensions: { answeredAt: question.answeredAt } });
        await queueAnswerEmail(tx, id, question.question, answer, at);
        // Answered: it no longer waits for anyone.
        await resolveNotifications(tx, actor.organizationId, id, ['question_waiting'], at);
        await auditRepository.record(tx, actor, [{ action: 'question.answered', entity: 'message', entityId: question.messageId, after: { questionId: id } }]);
        return (await withAnswerEmail(tx, actor.organizationId, [found(await repo.questionView(tx, id), 'Question')]))[0]!;
      });
    },

    async dataRequests(organizationId: string, filter: Omit<DataRequestFilter, 'now'>, query: PageQuery) {
      const page = pageRequest(query);
      const at = now();
      const rows = (await repo.dataRequests(db, organizationId, { ...filter, now: at }, page)).map((r) => dataRequestView(r, at));
      return toPage(await withCandidateNames(db, organizationId, rows), page);
    },

    async completeDataRequest(actor: Actor, id: string, note: string | null) {
      return db.$transaction(async (tx) => {
        const request = found(await repo.dataRequest(tx, actor.organizationId, id), 'Data request');
        const count = await dataRights.complete(tx, actor.organizationId, id, actor.actor, note);
        if (count === 0) throw new AppError('conflict', 'This data request is already completed');
        await auditRepository.record(tx, actor, [
          { action: 'data_request.completed', entity: 'candidate', entityId: request.candidateId, after: { dataRequestId: id, kind: request.kind } },
        ]);
        const view = found(await repo.dataRequestView(tx, id), 'Data request');
        return dataRequestView(view, now());
      });
    },

    /** Current members, each with the consent they gave (its exact text and language). */
    async talentPool(organizationId: string, scope: RequisitionScope, query: PageQuery) {
      const page = pageRequest(query);
      const members = await repo.talentPoolMembers(db, organizationId, scope, page);
      const consentOf = new Map(
        (
          await repo.joinConsents(
            db,
            organizationId,
            members.map((m) => m.id),
          )
        ).map((c) => [c.candidateId, c]),
      );
      return toPage(
        members.map((m) => {
          const consent = consentOf.get(m.id);
          return { id: m.id, name: m.name, joinedAt: m.talentPoolChangedAt, consent: consent ? { text: consent.text, locale: consent.locale, givenAt: consent.createdAt } : null };
        }),
        page,
      );
    },

    /** The link stops working at once (the page then says "not available", like any unknown link). */
    async revokeLink(actor: Actor, messageId: string) {
      return db.$transaction(async (tx) => {
        found(await repo.messageLink(tx, actor.organizationId, messageId), 'Message');
        await messages.revokeLink(tx, messageId, now());
        await auditRepository.record(tx, actor, [{ action: 'message.feedback_link_revoked', entity: 'message', entityId: messageId }]);
        const message = found(await repo.messageLink(tx, actor.organizationId, messageId), 'Message');
        return { id: message.id, feedbackLinkRevokedAt: message.feedbackLinkRevokedAt! };
      });
    },
  };
}
