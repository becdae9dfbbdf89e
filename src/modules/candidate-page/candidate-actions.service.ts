// The recruiter's side of the candidate page: what candidates did (events), questions to
// answer, data requests to act on, the talent pool, and revoking a link.
import { z } from 'zod';
import type { PrismaClient } from '../../db/client.js';
import { AppError, found } from '../../lib/errors.js';
import { pageRequest, toPage, type PageQuery } from '../../lib/pagination.js';
import { auditRepository } from '../audit/audit.repository.js';
import type { Actor } from '../../lib/actor.js';
import type { MessageLifecycle } from '../messages/lifecycle.js';
import { candidateActionsRepository as repo } from './candidate-actions.repository.js';
import type { RequisitionScope } from '../../lib/requisition-scope.js';
import type { CandidateEventType } from './candidate-page.service.js';

/** kind and status are checked strings in the table; the API names their values. */
const typed = <T extends { kind: string; status: string }>(row: T) => ({ ...row, kind: row.kind as 'export' | 'deletion', status: row.status as 'pending' | 'completed' });

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
  now?: () => Date;
}

export function createCandidateActionsService({ db, messageLifecycle: messages, now = () => new Date() }: CandidateActionsServiceDeps) {
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
        rows.map((r) => ({ ...r, type: eventTypeSchema.parse(r.type), detail: eventDetailSchema.parse(r.detail) })),
        page,
      );
    },

    async questions(organizationId: string, scope: RequisitionScope, filter: { status?: 'open' | 'answered' | undefined; messageId?: string | undefined }, query: PageQuery) {
      const page = pageRequest(query);
      return toPage(await repo.questions(db, organizationId, scope, filter, page), page);
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

    async dataRequests(organizationId: string, filter: { status?: 'pending' | 'completed' | undefined; kind?: 'export' | 'deletion' | undefined }, query: PageQuery) {
      const page = pageRequest(query);
      return toPage((await repo.dataRequests(db, organizationId, filter, page)).map(typed), page);
    },

    async completeDataRequest(actor: Actor, id: string, note: string | null) {
      return db.$transaction(async (tx) => {
        const request = found(await repo.dataRequest(tx, actor.organizationId, id), 'Data request');
        const count = await repo.completeDataRequest(tx, id, actor.actor, note, now());
        if (count === 0) throw new AppError('conflict', 'This data request is already completed');
        await auditRepository.record(tx, actor, [
          { action: 'data_request.completed', entity: 'candidate', entityId: request.candidateId, after: { dataRequestId: id, kind: request.kind } },
        ]);
        return typed(found(await repo.dataRequestView(tx, id), 'Data request'));
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
