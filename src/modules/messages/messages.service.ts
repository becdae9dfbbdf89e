// Messages from confirmed plans: rendered per candidate (their language, their data only, their
// private feedback link), linted, then edited, approved, cancelled or recalled by a person.
// Every state change is one conditional update, so two people acting at once cannot both win.
import type { DbClient, PrismaClient } from '../../db/client.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { ApiScope, MessageStatus } from '../../generated/prisma/enums.js';
import { AppError, found } from '../../lib/errors.js';
import { assertVisible } from '../../lib/requisition-scope.js';
import { pageRequest, toPage, type PageQuery } from '../../lib/pagination.js';
import { auditRepository } from '../audit/audit.repository.js';
import type { Actor } from '../../lib/actor.js';
import type { Feedback } from '../feedback/feedback.schemas.js';
import { feedbackFields, lintFeedback, summarize } from '../feedback/lint/lint.js';
import { recordApprovalsWaiting } from '../notifications/notifications.record.js';
import { emitEvents, messageData } from '../outgoing-webhooks/events.js';
import { feedbackContext } from '../templates/context.js';
import { messageContext, messageContexts } from '../templates/message-context.js';
import {
  contextValues,
  isTemplateFailure,
  RENDER_TIME_LIMIT_MS,
  RETRY_RENDER_TIME_LIMIT_MS,
  RenderTimeLimitError,
  renderTemplateInPieces,
  templateLiterals,
} from '../templates/render.js';
import type { TemplatesService } from '../templates/templates.service.js';
import { feedbackTokenHash, placeholderLink } from './feedback-link.js';
import { findForeignData, foreignDataIndex, legitimateTexts, type ForeignData, type LegitimateTexts } from './foreign-data.js';
import { messageLifecycle as lifecycle } from './lifecycle.js';
import { contentHashOf, sendTime } from './message-policy.js';
import type { RenderedDraft } from './lifecycle.repository.js';
import { messagesRepository as repo, type MessageFilter, type MessageRow } from './messages.repository.js';
import type { RenderCheck } from './messages.schemas.js';
import { storedDetail, storedFeedback, storedLint, storedRenderChecks, storedSendChecks } from './stored.js';

const SEVERITY_RANK = { block: 3, warn: 2, info: 1 } as const;
type Severity = keyof typeof SEVERITY_RANK;
const highest = (...values: (Severity | null)[]) => values.reduce<Severity | null>((top, v) => (v && (!top || SEVERITY_RANK[v] > SEVERITY_RANK[top]) ? v : top), null);

/** The stored JSON columns with their real types (written only by render). */
export function messageView(row: MessageRow) {
  const {
    organizationId: _organizationId,
    contentHash: _contentHash,
    approvedContentHash: _approvedHash,
    feedbackTokenHash: _tokenHash,
    claimToken: _claimToken,
    batchId: _batchId,
    scheduledAt: _scheduledAt,
    nextAttemptAt: _nextAttemptAt,
    sendingAt: _sendingAt,
    ...rest
  } = row;
  return {
    ...rest,
    feedback: storedFeedback(row.feedback),
    lint: storedLint(row.lint),
    renderChecks: storedRenderChecks(row.renderChecks),
    sendChecks: storedSendChecks(row.sendChecks),
  };
}

/** A template's own words as legitimate texts, indexed once per template (its literals are cached). */
const indexedLiterals = new WeakMap<string[], LegitimateTexts>();
function templateTexts(literals: string[]): LegitimateTexts {
  let indexed = indexedLiterals.get(literals);
  if (!indexed) indexedLiterals.set(literals, (indexed = legitimateTexts(literals)));
  return indexed;
}

export type MessagesService = ReturnType<typeof createMessagesService>;

const feedbackTexts = (feedback: unknown) => {
  const parsed = storedFeedback(feedback);
  return parsed ? feedbackFields(parsed).map((f) => f.text) : [];
};

/** Everyone in the plan, for the foreign-data check: built once per render job. */
async function planIndex(db: DbClient, planId: string | null): Promise<ForeignData> {
  const people = planId ? await repo.planPeople(db, planId) : [];
  return foreignDataIndex(people.map((p) => ({ candidateId: p.candidateId, name: p.name, feedbackTexts: feedbackTexts(p.feedback) })));
}

export interface MessagesServiceDeps {
  db: PrismaClient;
  templates: TemplatesService;
  publicBaseUrl: string;
  /** Derives the candidates' feedback-link tokens (ENCRYPTION_KEY). */
  linkSecret: string;
  /**
   * Wall-clock milliseconds one message may take to render: on a render job's first try, and on
   * its retries and edits (a cold or busy worker is slow once; the retry gets more time).
   */
  renderLimits?: { firstTryMs: number; retryMs: number };
  now?: () => Date;
  /** Drafts a render job loads, renders and stores at a time (memory stays bounded). */
  renderChunk?: number;
  /**
   * false: each draft's context read and its render stored one message at a time, as before
   * batching: the reference the batched job is tested against (same results, field for field).
   */
  batchRender?: boolean;
}

/** Where a render job stands: 0 attempts made is its first try; `last` when no retry follows. */
export interface RenderRun {
  attemptsMade: number;
  last: boolean;
}

/**
 * A render failure that will happen again: the template's own (see isTemplateFailure), or data
 * that is gone. Anything else (the time limit, the database) may pass, and is retried.
 */
const isDeterministic = (error: unknown) =>
  isTemplateFailure(error) || error instanceof AppError || (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025');

export interface ApprovalRequest {
  id: string;
  contentVersion: number;
  overrideReason?: string | undefined;
}

export function createMessagesService({
  db,
  templates,
  publicBaseUrl,
  linkSecret,
  renderLimits = { firstTryMs: RENDER_TIME_LIMIT_MS, retryMs: RETRY_RENDER_TIME_LIMIT_MS },
  now = () => new Date(),
  renderChunk = 500,
  batchRender = true,
}: MessagesServiceDeps) {
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
    const past: Record<string, string> = { approve: 'approved', edit: 'edited', cancel: 'cancelled', recall: 'recalled', retry: 'retried' };
    return new AppError('message_state', `A ${message.status} message cannot be ${past[action] ?? action}`, {
      extensions: { status: message.status },
    });
  }

  /**
   * What every message of one render job shares (the organization's settings, each template),
   * read once per job instead of once per message: a reject-all plan has thousands.
   */
  function jobCache(client: DbClient) {
    const memo = new Map<string, Promise<unknown>>();
    const once = <T>(key: string, load: () => Promise<T>) => {
      if (!memo.has(key)) memo.set(key, load());
      return memo.get(key) as Promise<T>;
    };
    return {
      policy: (organizationId: string) => once(`policy|${organizationId}`, () => repo.policy(client, organizationId)),
      template: (organizationId: string, kind: string, locale: string) =>
        once(`template|${organizationId}|${kind}|${locale}`, () => templates.current(organizationId, kind, locale)),
    };
  }
  type JobCache = ReturnType<typeof jobCache>;

  /**
   * Renders one message with its current template, feedback and link; checks and lints it. A
   * deterministic failure becomes a blocking `render_failed` check; a transient one is thrown
   * for the caller to retry, and blocks only when it held on the last try.
   */
  async function render(
    client: DbClient,
    message: MessageRow,
    index: ForeignData,
    run: { timeLimitMs: number; lastTry: boolean },
    cache: JobCache = jobCache(client),
    /** The context loaded with its job's chunk (messageContexts); read alone when absent. */
    preloaded?: Awaited<ReturnType<typeof messageContext>>,
  ) {
    const policy = await cache.policy(message.organizationId);
    const common = {
      feedbackTokenHash: feedbackTokenHash(linkSecret, message.id),
      feedbackLinkExpiresAt: message.feedbackLinkExpiresAt ?? new Date(now().getTime() + policy.feedbackLinkDays * 86_400_000),
    };
    try {
      const loaded = preloaded ?? (await messageContext(client, message.organizationId, message.id, publicBaseUrl, placeholderLink(publicBaseUrl)));
      const { locale } = loaded;
      // The feedback of this version (an edit renders before it is stored).
      const feedback = storedFeedback(message.feedback);
      const context = { ...loaded.context, feedback: feedbackContext(feedback, locale) };
      const template = await cache.template(message.organizationId, message.kind, locale);
      // One try per job attempt: the job's retry, after its backoff, is the one with more time.
      const { content: rendered, htmlPieces } = renderTemplateInPieces(template, context, { timeLimitMs: run.timeLimitMs, retryTimeLimitMs: run.timeLimitMs });
      // A subject a person typed is text, not a template.
      const content = message.customSubject ? { ...rendered, subject: message.customSubject } : rendered;
      const own = { candidateId: message.candidateId, name: context.candidate.name, feedbackTexts: feedbackTexts(message.feedback) };
      const legitimate = () => legitimateTexts(contextValues(context), templateTexts(templateLiterals(template)));
      const foreign = findForeignData(index, own, content, legitimate, htmlPieces);
      const renderChecks: RenderCheck[] = foreign.length
        ? [
            {
              code: 'foreign_candidate_data',
              severity: 'block',
              message: 'The message contains another candidate’s name or feedback from the same plan',
              evidence: foreign.map((f) => ({ ...f })),
            },
          ]
        : [];
      const findings = feedback ? lintFeedback(feedback, { locale, kind: message.kind }) : [];
      return {
        ...common,
        locale,
        ...content,
        templateVersion: template.version,
        formality: template.formality,
        contentHash: contentHashOf(content),
        lint: findings,
        renderChecks: renderChecks as unknown as Prisma.InputJsonValue,
        severity: highest(summarize(findings).highest, renderChecks.length ? 'block' : null),
      } satisfies Prisma.MessageUpdateManyMutationInput;
    } catch (error) {
      if (!isDeterministic(error) && !(run.lastTry && error instanceof RenderTimeLimitError)) throw error;
      const reason =
        error instanceof AppError ? (error.detail ?? error.title) : error instanceof RenderTimeLimitError ? `${error.message}, on every try` : (error as Error).message;
      const failed: RenderCheck[] = [{ code: 'render_failed', severity: 'block', message: `The message could not be rendered: ${reason}`.slice(0, 1000), evidence: [] }];
      return {
        ...common,
        subject: null,
        html: null,
        text: null,
        contentHash: null,
        lint: [],
        renderChecks: failed as unknown as Prisma.InputJsonValue,
        severity: 'block',
      } satisfies Prisma.MessageUpdateManyMutationInput;
    }
  }

  /** `automatic`: Hearback approving its own status update (the organization allows it): no second person to wait for. */
  async function approveOne(actor: Actor, scopes: readonly ApiScope[], request: ApprovalRequest, { automatic = false }: { automatic?: boolean } = {}) {
    const { id, contentVersion, overrideReason } = request;
    if (overrideReason && !scopes.includes('override') && !scopes.includes('admin')) {
      throw new AppError('insufficient_scope', 'Approving over blocking findings needs the "override" scope', { extensions: { requiredScope: 'override' } });
    }
    const message = found(await repo.find(db, actor.organizationId, id), 'Message');
    assertVisible(actor.requisitions ?? 'all', 'message', [message.requisitionId]);
    const policy = await repo.policy(db, actor.organizationId);
    const fourEyes = policy.fourEyesApproval && !automatic;
    if (fourEyes && (message.authoredBy === actor.actor || (await repo.planConfirmer(db, message.planId)) === actor.actor)) {
      throw new AppError('four_eyes', 'This organization requires a second person to approve what someone wrote or confirmed');
    }
    // Another candidate's data, or a failed render, is fixed by editing, never by an override.
    // (The version condition below ties this reading to the content being approved.)
    const renderChecks = storedRenderChecks(message.renderChecks) ?? [];
    if (message.contentVersion === contentVersion && renderChecks.length > 0) {
      throw new AppError('message_blocked', `${renderChecks.map((c) => c.code).join(', ')}: edit the message; this cannot be overridden`, {
        extensions: { renderChecks },
      });
    }
    const at = now();
    const sendAt = sendTime(at, { action: message.action, ...(await repo.sendFacts(db, message)) }, policy);
    return db.$transaction(async (tx) => {
      const { count } = await lifecycle.transition(
        tx,
        'approve',
        {
          organizationId: actor.organizationId,
          id,
          contentVersion,
          ...(overrideReason ? {} : { notSeverity: 'block' }),
          ...(fourEyes ? { notAuthoredBy: actor.actor } : {}),
        },
        { status: 'approved', approvedAt: at, approvedBy: actor.actor, approvedContentHash: message.contentHash, sendAt },
      );
      if (count === 0) throw await refusal(actor.organizationId, id, 'approve', contentVersion);
      await auditRepository.record(tx, actor, [
        {
          action: 'message.approved',
          entity: 'message',
          entityId: id,
          after: { contentVersion, sendAt: sendAt.toISOString(), ...(overrideReason ? { overrideReason } : {}) },
        },
      ]);
      await emitEvents(tx, actor.organizationId, [{ type: 'message.approved', data: { ...messageData(message), sendAt: sendAt.toISOString() }, occurredAt: at }]);
      return messageView(found(await repo.find(tx, actor.organizationId, id), 'Message'));
    });
  }

  async function stop(actor: Actor, id: string, action: 'cancel' | 'recall') {
    const to: MessageStatus = action === 'cancel' ? 'cancelled' : 'recalled';
    const verb = action;
    return db.$transaction(async (tx) => {
      const before = found(await repo.find(tx, actor.organizationId, id), 'Message');
      const { count } = await lifecycle.transition(tx, action, { organizationId: actor.organizationId, id }, { status: to, sendAt: null });
      if (count === 0) throw await refusal(actor.organizationId, id, verb);
      await auditRepository.record(tx, actor, [{ action: `message.${to}`, entity: 'message', entityId: id, before: { status: before.status }, after: { status: to } }]);
      if (to === 'recalled') await emitEvents(tx, actor.organizationId, [{ type: 'message.recalled', data: messageData(before) }]);
      return messageView(found(await repo.find(tx, actor.organizationId, id), 'Message'));
    });
  }

  return {
    /**
     * Renders every draft of a confirmed plan (the `messages` queue's render-plan job). A
     * transient failure is thrown after saving what was rendered: the job's retry renders the
     * drafts left, with more time. Called outside a job, it is a last try with that time.
     */
    async renderPlan(planId: string, job: RenderRun = { attemptsMade: 1, last: true }): Promise<{ rendered: number }> {
      // The ids up front (small, from the plan's own index), the rows a page at a time by primary
      // key: memory stays bounded however large the plan.
      const ids = await repo.draftIdsOfPlan(db, planId);
      if (ids.length === 0) return { rendered: 0 };
      const index = await planIndex(db, planId);
      const cache = jobCache(db);
      const author = await repo.planConfirmer(db, planId);
      const run = { timeLimitMs: job.attemptsMade === 0 ? renderLimits.firstTryMs : renderLimits.retryMs, lastTry: job.last };
      let rendered = 0;
      let where: { organizationId: string; requisitionId: string } | undefined;
      // In chunks: the contexts of a chunk in a few queries, rendered in memory, stored in one
      // statement. What a chunk rendered before a transient failure is stored before it is
      // thrown; the retry (or a re-run after a crash) renders only the drafts left.
      for (let start = 0; start < ids.length; start += renderChunk) {
        const chunk = await repo.draftsByIds(db, ids.slice(start, start + renderChunk));
        if (chunk.length === 0) continue;
        where ??= { organizationId: chunk[0]!.organizationId, requisitionId: chunk[0]!.requisitionId };
        const contexts = batchRender
          ? await messageContexts(db, chunk[0]!.organizationId, chunk, publicBaseUrl, placeholderLink(publicBaseUrl))
          : new Map<string, Awaited<ReturnType<typeof messageContext>>>();
        const done: RenderedDraft[] = [];
        let failure: { error: unknown } | null = null;
        for (const draft of chunk) {
          try {
            const data = await render(db, draft, index, run, cache, contexts.get(draft.id));
            if (!batchRender) {
              rendered += (await lifecycle.saveRender(db, draft.id, 'render', { ...data, authoredBy: author })).count;
              continue;
            }
            done.push({
              id: draft.id,
              rendered: 'locale' in data,
              feedbackTokenHash: data.feedbackTokenHash,
              feedbackLinkExpiresAt: data.feedbackLinkExpiresAt,
              locale: 'locale' in data ? data.locale : null,
              templateVersion: 'templateVersion' in data ? data.templateVersion : null,
              formality: 'formality' in data ? data.formality : null,
              subject: data.subject,
              html: data.html,
              text: data.text,
              contentHash: data.contentHash,
              lint: data.lint,
              renderChecks: data.renderChecks,
              severity: data.severity,
              authoredBy: author,
            });
          } catch (error) {
            failure = { error };
            break;
          }
        }
        rendered += await lifecycle.saveRenders(db, done);
        if (failure) throw failure.error;
      }
      if (!where) return { rendered };
      const { organizationId, requisitionId } = where;
      if (rendered > 0 && (await repo.planAutoApproved(db, planId))) {
        // Hearback's own status update, which the organization lets it send: approved as rendered,
        // unless a finding blocks it (then it waits for a person like any draft).
        const system: Actor = { organizationId, actor: 'system' };
        for (const draft of await repo.pendingOfPlan(db, planId)) {
          if (draft.severity === 'block') continue;
          await approveOne(system, ['approve'], { id: draft.id, contentVersion: draft.contentVersion }, { automatic: true }).catch((error: unknown) => {
            if (!(error instanceof AppError)) throw error;
          });
        }
        return { rendered };
      }
      if (rendered > 0 && (await repo.policy(db, organizationId)).fourEyesApproval) {
        await db.$transaction((tx) => recordApprovalsWaiting(tx, organizationId, { planId, requisitionId, author, count: rendered }));
      }
      return { rendered };
    },

    async list(organizationId: string, filter: MessageFilter, query: PageQuery) {
      const page = pageRequest(query);
      const rows = await repo.list(db, organizationId, filter, page);
      const names = await repo.candidateNames(
        db,
        organizationId,
        rows.map((row) => row.candidateId),
      );
      return toPage(
        rows.map((row) => ({ ...row, candidateName: names.get(row.candidateId) ?? null })),
        page,
      );
    },

    get: async (organizationId: string, id: string) => messageView(found(await repo.find(db, organizationId, id), 'Message')),

    /**
     * Edits the subject and/or the feedback of the version the editor saw: re-rendered,
     * re-linted, a new version, and back to pending approval (an approval never carries over).
     */
    async edit(actor: Actor, id: string, edit: { contentVersion: number; subject?: string | null | undefined; feedback?: Feedback | undefined }) {
      const message = found(await repo.find(db, actor.organizationId, id), 'Message');
      const edited: MessageRow = {
        ...message,
        ...(edit.subject !== undefined ? { customSubject: edit.subject } : {}),
        ...(edit.feedback !== undefined ? { feedback: edit.feedback } : {}),
      };
      const index = await planIndex(db, message.planId);
      const data = await render(db, edited, index, { timeLimitMs: renderLimits.retryMs, lastTry: false }).catch((error: unknown) => {
        // Nothing is stored: the person tries again, and the message is never blocked by it.
        if (error instanceof RenderTimeLimitError)
          throw new AppError('service_unavailable', `The message could not be rendered in time (${error.message}); try again`, { headers: { 'retry-after': '1' } });
        throw error;
      });
      return db.$transaction(async (tx) => {
        const { count } = await lifecycle.saveRender(
          tx,
          id,
          'edit',
          {
            ...data,
            customSubject: edited.customSubject,
            ...(edit.feedback !== undefined ? { feedback: edit.feedback } : {}),
            authoredBy: actor.actor,
          },
          edit.contentVersion,
        );
        if (count === 0) throw await refusal(actor.organizationId, id, 'edit', edit.contentVersion);
        await auditRepository.record(tx, actor, [
          {
            action: 'message.edited',
            entity: 'message',
            entityId: id,
            before: { contentVersion: message.contentVersion, status: message.status },
            after: { contentVersion: message.contentVersion + 1, subjectEdited: edit.subject !== undefined, feedbackEdited: edit.feedback !== undefined },
          },
        ]);
        if ((await repo.policy(tx, actor.organizationId)).fourEyesApproval) {
          await recordApprovalsWaiting(tx, actor.organizationId, {
            messageId: id,
            contentVersion: message.contentVersion + 1,
            requisitionId: message.requisitionId,
            author: actor.actor,
            count: 1,
          });
        }
        return messageView(found(await repo.find(tx, actor.organizationId, id), 'Message'));
      });
    },

    /** Approves the version the approver saw; blocking findings need an override reason and scope. */
    approve: approveOne,

    /** Approves many, each on its own: one refusal does not stop the others. */
    async approveMany(actor: Actor, scopes: readonly ApiScope[], requests: ApprovalRequest[]) {
      const results = [];
      for (const request of requests) {
        try {
          const message = await approveOne(actor, scopes, request);
          results.push({ id: request.id, status: message.status, sendAt: message.sendAt, error: null });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          results.push({ id: request.id, status: null, sendAt: null, error: { code: error.code, detail: error.detail ?? error.title } });
        }
      }
      return { results };
    },

    cancel: (actor: Actor, id: string) => stop(actor, id, 'cancel'),

    /**
     * Sends a held or failed message again, now (within the send policy): every send-time check runs
     * again, so a message held for a reason that still holds fails again with that reason.
     */
    async retry(actor: Actor, id: string) {
      return db.$transaction(async (tx) => {
        const before = found(await repo.find(tx, actor.organizationId, id), 'Message');
        // Content that changed behind the approval goes back to a person first.
        const reapprove = before.failureCode === 'content_changed';
        const { count } = await lifecycle.transition(
          tx,
          'retry',
          { organizationId: actor.organizationId, id },
          {
            ...(reapprove ? { status: 'pending_approval', approvedAt: null, approvedBy: null, approvedContentHash: null, sendAt: null } : { status: 'approved', sendAt: now() }),
            sendAttempts: 0,
            reconcileRounds: 0,
            failureCode: null,
            failureReason: null,
            sendChecks: Prisma.DbNull,
            batchId: null,
            nextAttemptAt: null,
          },
        );
        if (count === 0) throw await refusal(actor.organizationId, id, 'retry');
        await auditRepository.record(tx, actor, [
          {
            action: 'message.retried',
            entity: 'message',
            entityId: id,
            before: { status: before.status, failureCode: before.failureCode },
            after: { status: reapprove ? 'pending_approval' : 'approved' },
          },
        ]);
        await lifecycle.recordEvents(tx, [{ organizationId: actor.organizationId, messageId: id, type: 'retried', source: 'hearback', detail: { by: actor.actor } }]);
        return messageView(found(await repo.find(tx, actor.organizationId, id), 'Message'));
      });
    },

    async events(organizationId: string, id: string, query: PageQuery) {
      found(await repo.find(db, organizationId, id), 'Message');
      const page = pageRequest(query);
      const rows = await repo.events(db, organizationId, id, page);
      return toPage(
        rows.map((r) => ({ ...r, detail: storedDetail(r.detail), source: r.source === 'postmark' ? ('postmark' as const) : ('hearback' as const) })),
        page,
      );
    },
    recall: (actor: Actor, id: string) => stop(actor, id, 'recall'),

    /**
     * A send policy changed: every approved message waiting for its time gets the time the current
     * policy gives it (from its approval, as if approved under it). Messages already in a batch are
     * on their way and keep going; the batch re-checks their time anyway.
     */
    async reschedule(actor: Actor, filter: { requisitionId?: string | undefined }) {
      const policy = await repo.policy(db, actor.organizationId);
      return db.$transaction(
        async (tx) => {
          const waiting = await repo.approvedWithFacts(tx, actor.organizationId, filter.requisitionId, actor.requisitions);
          const moves = waiting.flatMap((m) => {
            const sendAt = sendTime(m.approvedAt, m, policy);
            return m.sendAt?.getTime() === sendAt.getTime() ? [] : [{ id: m.id, before: m.sendAt, sendAt }];
          });
          for (const move of moves) await lifecycle.transition(tx, 'reschedule', { organizationId: actor.organizationId, id: move.id }, { sendAt: move.sendAt });
          await lifecycle.recordEvents(
            tx,
            moves.map((m) => ({
              organizationId: actor.organizationId,
              messageId: m.id,
              type: 'rescheduled',
              source: 'hearback' as const,
              detail: { sendAt: m.sendAt.toISOString(), by: actor.actor },
            })),
          );
          await auditRepository.record(
            tx,
            actor,
            moves.map((m) => ({
              action: 'message.rescheduled',
              entity: 'message',
              entityId: m.id,
              before: { sendAt: m.before?.toISOString() ?? null },
              after: { sendAt: m.sendAt.toISOString() },
            })),
          );
          return { rescheduled: moves.length, unchanged: waiting.length - moves.length };
        },
        { timeout: 120_000 },
      );
    },
  };
}
