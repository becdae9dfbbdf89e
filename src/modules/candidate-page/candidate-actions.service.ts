// The recruiter's side of the candidate page: what candidates did (events), questions to
// answer, data requests to act on, the talent pool, and revoking a link.
import type { PrismaClient } from '../../db/client.js';
import { AppError, found } from '../../lib/errors.js';
import { pageRequest, toPage, type PageQuery } from '../../lib/pagination.js';
import { auditRepository } from '../audit/audit.repository.js';
import type { Actor } from '../../lib/actor.js';
import type { MessageLifecycle } from '../messages/lifecycle.js';
import type { CandidateEventType } from './candidate-page.service.js';

/** kind and status are checked strings in the table; the API names their values. */
const typed = <T extends { kind: string; status: string }>(row: T) => ({ ...row, kind: row.kind as 'export' | 'deletion', status: row.status as 'pending' | 'completed' });

export type CandidateActionsService = ReturnType<typeof createCandidateActionsService>;

const after = (cursor: string | undefined) => (cursor ? { id: { gt: cursor } } : {});

export interface CandidateActionsServiceDeps {
  db: PrismaClient;
  /** Revoking a feedback link is a change to the message. */
  messageLifecycle: Pick<MessageLifecycle, 'revokeLink'>;
  now?: () => Date;
}

export function createCandidateActionsService({ db, messageLifecycle: messages, now = () => new Date() }: CandidateActionsServiceDeps) {
  return {
    async events(organizationId: string, filter: { type?: string | undefined; messageId?: string | undefined; candidateId?: string | undefined }, query: PageQuery) {
      const page = pageRequest(query);
      const rows = await db.candidateEvent.findMany({
        where: {
          organizationId,
          ...(filter.type ? { type: filter.type } : {}),
          ...(filter.messageId ? { messageId: filter.messageId } : {}),
          ...(filter.candidateId ? { candidateId: filter.candidateId } : {}),
          ...after(page.after),
        },
        orderBy: { id: 'asc' },
        take: page.take,
        select: { id: true, type: true, messageId: true, candidateId: true, applicationId: true, detail: true, occurredAt: true },
      });
      return toPage(
        rows.map((r) => ({ ...r, type: r.type as CandidateEventType, detail: r.detail as Record<string, unknown> | null })),
        page,
      );
    },

    async questions(organizationId: string, filter: { status?: 'open' | 'answered' | undefined; messageId?: string | undefined }, query: PageQuery) {
      const page = pageRequest(query);
      return toPage(
        await db.feedbackQuestion.findMany({
          where: {
            organizationId,
            ...(filter.status === 'open' ? { answer: null } : filter.status === 'answered' ? { answer: { not: null } } : {}),
            ...(filter.messageId ? { messageId: filter.messageId } : {}),
            ...after(page.after),
          },
          orderBy: { id: 'asc' },
          take: page.take,
          omit: { organizationId: true },
        }),
        page,
      );
    },

    /** The answer appears on the candidate's page; answering twice is refused (edit nothing silently). */
    async answer(actor: Actor, id: string, answer: string) {
      return db.$transaction(async (tx) => {
        const question = found(await tx.feedbackQuestion.findFirst({ where: { id, organizationId: actor.organizationId } }), 'Question');
        const { count } = await tx.feedbackQuestion.updateMany({ where: { id, answer: null }, data: { answer, answeredAt: now(), answeredBy: actor.actor } });
        if (count === 0) throw new AppError('conflict', 'This question has already been answered', { extensions: { answeredAt: question.answeredAt } });
        await auditRepository.record(tx, actor, [{ action: 'question.answered', entity: 'message', entityId: question.messageId, after: { questionId: id } }]);
        return found(await tx.feedbackQuestion.findUnique({ where: { id }, omit: { organizationId: true } }), 'Question');
      });
    },

    async dataRequests(organizationId: string, filter: { status?: 'pending' | 'completed' | undefined; kind?: 'export' | 'deletion' | undefined }, query: PageQuery) {
      const page = pageRequest(query);
      const rows = await db.dataRequest.findMany({
        where: { organizationId, ...(filter.status ? { status: filter.status } : {}), ...(filter.kind ? { kind: filter.kind } : {}), ...after(page.after) },
        orderBy: { id: 'asc' },
        take: page.take,
        omit: { organizationId: true },
      });
      return toPage(rows.map(typed), page);
    },

    async completeDataRequest(actor: Actor, id: string, note: string | null) {
      return db.$transaction(async (tx) => {
        const request = found(await tx.dataRequest.findFirst({ where: { id, organizationId: actor.organizationId } }), 'Data request');
        const { count } = await tx.dataRequest.updateMany({ where: { id, status: 'pending' }, data: { status: 'completed', completedAt: now(), completedBy: actor.actor, note } });
        if (count === 0) throw new AppError('conflict', 'This data request is already completed');
        await auditRepository.record(tx, actor, [
          { action: 'data_request.completed', entity: 'candidate', entityId: request.candidateId, after: { dataRequestId: id, kind: request.kind } },
        ]);
        return typed(found(await tx.dataRequest.findUnique({ where: { id }, omit: { organizationId: true } }), 'Data request'));
      });
    },

    /** Current members, each with the consent they gave (its exact text and language). */
    async talentPool(organizationId: string, query: PageQuery) {
      const page = pageRequest(query);
      const members = await db.candidate.findMany({
        where: { organizationId, talentPoolMember: true, ...after(page.after) },
        orderBy: { id: 'asc' },
        take: page.take,
        select: { id: true, name: true, talentPoolChangedAt: true },
      });
      const consents = await db.talentPoolConsent.findMany({
        where: { organizationId, candidateId: { in: members.map((m) => m.id) }, action: 'join' },
        orderBy: { id: 'desc' },
        distinct: ['candidateId'],
        select: { candidateId: true, text: true, locale: true, createdAt: true },
      });
      const consentOf = new Map(consents.map((c) => [c.candidateId, c]));
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
        found(await tx.message.findFirst({ where: { id: messageId, organizationId: actor.organizationId }, select: { id: true } }), 'Message');
        await messages.revokeLink(tx, messageId, now());
        await auditRepository.record(tx, actor, [{ action: 'message.feedback_link_revoked', entity: 'message', entityId: messageId }]);
        const message = await tx.message.findUniqueOrThrow({ where: { id: messageId }, select: { id: true, feedbackLinkRevokedAt: true } });
        return { id: message.id, feedbackLinkRevokedAt: message.feedbackLinkRevokedAt! };
      });
    },
  };
}
