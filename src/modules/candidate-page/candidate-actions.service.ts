// The recruiter's side of the candidate page: what candidates did (events), questions to
// answer, data requests to act on, the talent pool, and revoking a link.
import { z } from 'zod';
import type { PrismaClient } from '../../db/client.js';
import { AppError, found } from '../../lib/errors.js';
import { pageRequest, toPage, type PageQuery } from '../../lib/pagination.js';
import { auditRepository } from '../audit/audit.repository.js';
import type { Actor } from '../../lib/actor.js';
import type { MessageLifecycle } from '../messages/lifecycle.js';
import type { DataRightsService } from '../data-rights/data-rights.service.js';
import { dataRequestView } from '../data-rights/data-request-view.js';
import { candidateActionsRepository as repo, type DataRequestFilter } from './candidate-actions.repository.js';
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
  now?: () => Date;
}

export function createCandidateActionsService({ db, messageLifecycle: messages, dataRights, now = () => new Date() }: CandidateActionsServiceDeps) {
  return {
    async events(organizationId: string, filter: { type?: string | undefined; messageId?: string | undefined; candidateId?: string | undefined }, query: PageQuery) {
      const page = pageRequest(query);
      const rows = await repo.events(db, organizationId, filter, page);
      return toPage(
        rows.map((r) => ({ ...r, type: eventTypeSchema.parse(r.type), detail: eventDetailSchema.parse(r.detail) })),
        page,
      );
    },

    async questions(organizationId: string, filter: { status?: 'open' | 'answered' | undefined; messageId?: string | undefined }, query: PageQuery) {
      const page = pageRequest(query);
      return toPage(await repo.questions(db, organizationId, filter, page), page);
    },

    /** The answer appears on the candidate's page; answering twice is refused (edit nothing silently). */
    async answer(actor: Actor, id: string, answer: string) {
      return db.$transaction(async (tx) => {
        const question = found(await repo.question(tx, actor.organizationId, id), 'Question');
        const count = await repo.answer(tx, id, answer, actor.actor, now());
        if (count === 0) throw new AppError('conflict', 'This question has already been answered', { extensions: { answeredAt: question.answeredAt } });
        await auditRepository.record(tx, actor, [{ action: 'question.answered', entity: 'message', entityId: question.messageId, after: { questionId: id } }]);
        return found(await repo.questionView(tx, id), 'Question');
      });
    },

    async dataRequests(organizationId: string, filter: Omit<DataRequestFilter, 'now'>, query: PageQuery) {
      const page = pageRequest(query);
      const at = now();
      return toPage(
        (await repo.dataRequests(db, organizationId, { ...filter, now: at }, page)).map((r) => dataRequestView(r, at)),
        page,
      );
    },

    async completeDataRequest(actor: Actor, id: string, note: string | null) {
      return db.$transaction(async (tx) => {
        const request = found(await repo.dataRequest(tx, actor.organizationId, id), 'Data request');
        const count = await dataRights.complete(tx, id, actor.actor, note);
        if (count === 0) throw new AppError('conflict', 'This data request is already completed');
        await auditRepository.record(tx, actor, [
          { action: 'data_request.completed', entity: 'candidate', entityId: request.candidateId, after: { dataRequestId: id, kind: request.kind } },
        ]);
        const view = found(await repo.dataRequestView(tx, id), 'Data request');
        return dataRequestView(view, now());
      });
    },

    /** Current members, each with the consent they gave (its exact text and language). */
    async talentPool(organizationId: string, query: PageQuery) {
      const page = pageRequest(query);
      const members = await repo.talentPoolMembers(db, organizationId, page);
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
