// Messages from confirmed plans: rendered per candidate (their language, their data only),
// linted, then approved, cancelled or recalled by a person. Every state change is one
// conditional update, so two people acting at once cannot both win.
import type { PrismaClient } from '../../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { ApiScope, MessageStatus } from '../../generated/prisma/enums.js';
import { AppError, found } from '../../lib/errors.js';
import { sha256Hex } from '../../lib/hash.js';
import { pageRequest, toPage, type PageQuery } from '../../lib/pagination.js';
import { auditRepository, type Actor } from '../audit/audit.repository.js';
import type { Feedback } from '../feedback/feedback.schemas.js';
import { feedbackFields, lintFeedback, summarize, type Finding } from '../feedback/lint/lint.js';
import { messageContext } from '../templates/message-context.js';
import { renderTemplate } from '../templates/render.js';
import type { TemplatesService } from '../templates/templates.service.js';
import { findForeignData, foreignDataIndex } from './foreign-data.js';
import { messagesRepository as repo, type MessageFilter, type MessageRow } from './messages.repository.js';

const SEVERITY_RANK = { block: 3, warn: 2, info: 1 } as const;
type Severity = keyof typeof SEVERITY_RANK;
const highest = (...values: (Severity | null)[]) =>
  values.reduce<Severity | null>((top, v) => (v && (!top || SEVERITY_RANK[v] > SEVERITY_RANK[top]) ? v : top), null);

/** States from which a message may still be stopped, and by which action. */
const CANCELLABLE: MessageStatus[] = ['draft', 'pending_approval', 'approved', 'scheduled'];
const RECALLABLE: MessageStatus[] = ['approved', 'scheduled'];

export type MessagesService = ReturnType<typeof createMessagesService>;

interface RenderCheck {
  code: string;
  severity: string;
  message: string;
  evidence: Record<string, string>[];
}

/** The stored JSON columns with their real types (written only by renderPlan). */
export function messageView(row: MessageRow) {
  const { organizationId: _organizationId, contentHash: _contentHash, ...rest } = row;
  return { ...rest, lint: row.lint as Finding[] | null, renderChecks: row.renderChecks as RenderCheck[] | null };
}

export interface MessagesServiceDeps {
  db: PrismaClient;
  templates: TemplatesService;
  publicBaseUrl: string;
  now?: () => Date;
}

export function createMessagesService({ db, templates, publicBaseUrl, now = () => new Date() }: MessagesServiceDeps) {
  /** Why a conditional update matched nothing: the caller gets the precise refusal. */
  async function refusal(organizationId: string, id: string, action: string, contentVersion?: number): Promise<AppError> {
    const message = found(await repo.find(db, organizationId, id), 'Message');
    if (contentVersion !== undefined && message.contentVersion !== contentVersion) {
      return new AppError('message_changed', `The message is at version ${message.contentVersion}, not ${contentVersion}; review it again`, {
        extensions: { contentVersion: message.contentVersion },
      });
    }
    if (message.severity === 'block' && action === 'approve' && message.status === 'pending_approval') {
      return new AppError('message_blocked', 'The message has blocking findings; fix them or approve with an override reason', {
        extensions: { lint: message.lint, renderChecks: message.renderChecks },
      });
    }
    return new AppError('message_state', `A ${message.status} message cannot be ${action}d`, { extensions: { status: message.status } });
  }

  return {
    /** Renders every draft of a confirmed plan (the `messages` queue's render-plan job). */
    async renderPlan(planId: string): Promise<{ rendered: number }> {
      const drafts = await repo.draftsOfPlan(db, planId);
      if (drafts.length === 0) return { rendered: 0 };
      const people = await repo.planPeople(db, planId);
      let rendered = 0;
      for (const draft of drafts) {
        const { context, locale } = await messageContext(db, draft.organizationId, draft.id, publicBaseUrl);
        const template = await templates.current(draft.organizationId, draft.kind, locale);
        const content = renderTemplate(template, context);
        const others = people
          .filter((p) => p.candidateId !== draft.candidateId)
          .map((p) => ({ candidateId: p.candidateId, name: p.name, feedbackTexts: p.feedback ? feedbackFields(p.feedback as Feedback).map((f) => f.text) : [] }));
        const foreign = findForeignData(foreignDataIndex(others, { name: context.candidate.name }), content);
        const renderChecks = foreign.length
          ? [
              {
                code: 'foreign_candidate_data',
                severity: 'block' as const,
                message: 'The message contains another candidate’s name or feedback from the same plan',
                evidence: foreign,
              },
            ]
          : [];
        const findings = draft.feedback ? lintFeedback(draft.feedback as Feedback, { locale }) : [];
        const { count } = await repo.saveRender(
          db,
          draft.id,
          {
            locale,
            ...content,
            templateVersion: template.version,
            contentHash: sha256Hex(`${content.subject}\u0000${content.html}\u0000${content.text}`),
            lint: findings,
            renderChecks: renderChecks as unknown as Prisma.InputJsonValue,
            severity: highest(summarize(findings).highest, renderChecks.length ? 'block' : null),
          },
          ['draft'],
        );
        rendered += count;
      }
      return { rendered };
    },

    async list(organizationId: string, filter: MessageFilter, query: PageQuery) {
      const page = pageRequest(query);
      return toPage(await repo.list(db, organizationId, filter, page), page);
    },

    get: async (organizationId: string, id: string) => messageView(found(await repo.find(db, organizationId, id), 'Message')),

    /** Approves the version the approver saw; blocking findings need an override reason and scope. */
    async approve(actor: Actor, scopes: readonly ApiScope[], id: string, contentVersion: number, overrideReason: string | undefined) {
      if (overrideReason && !scopes.includes('override') && !scopes.includes('admin')) {
        throw new AppError('insufficient_scope', 'Approving over blocking findings needs the "override" scope', { extensions: { requiredScope: 'override' } });
      }
      const at = now();
      const { count } = await repo.transition(
        db,
        { organizationId: actor.organizationId, id, from: ['pending_approval'], contentVersion, ...(overrideReason ? {} : { notSeverity: 'block' }) },
        { status: 'approved', approvedAt: at, approvedBy: actor.actor },
      );
      if (count === 0) throw await refusal(actor.organizationId, id, 'approve', contentVersion);
      await auditRepository.record(db, actor, [
        { action: 'message.approved', entity: 'message', entityId: id, after: { contentVersion, ...(overrideReason ? { overrideReason } : {}) } },
      ]);
      return messageView(found(await repo.find(db, actor.organizationId, id), 'Message'));
    },

    async cancel(actor: Actor, id: string) {
      return stop(actor, id, CANCELLABLE, 'cancelled', 'cancel');
    },

    async recall(actor: Actor, id: string) {
      return stop(actor, id, RECALLABLE, 'recalled', 'recall');
    },
  };

  async function stop(actor: Actor, id: string, from: MessageStatus[], to: MessageStatus, verb: string) {
    const before = found(await repo.find(db, actor.organizationId, id), 'Message');
    const { count } = await repo.transition(db, { organizationId: actor.organizationId, id, from }, { status: to });
    if (count === 0) throw await refusal(actor.organizationId, id, verb);
    await auditRepository.record(db, actor, [
      { action: `message.${to}`, entity: 'message', entityId: id, before: { status: before.status }, after: { status: to } },
    ]);
    return messageView(found(await repo.find(db, actor.organizationId, id), 'Message'));
  }
}
