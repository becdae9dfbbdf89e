// The template context of one real message: only that candidate's data.
import { logoPath } from '../organizations/logo-image.js';
import type { DbClient } from '../../db/client.js';
import { found } from '../../lib/errors.js';
import { assertVisible, type RequisitionScope } from '../../lib/requisition-scope.js';
import { storedFeedback } from '../messages/stored.js';
import { greetingName } from '../hiring/names.js';
import { baseLocale, feedbackContext, type SupportedLocale, type TemplateContext } from './context.js';
import { templatesRepository } from './templates.repository.js';

type ContextFacts = Awaited<ReturnType<typeof templatesRepository.contextFacts>>;

/** The context built from one message's facts (the same for one message or a batch of them). */
function contextOf(
  { candidate, requisition, application, organization }: ContextFacts,
  message: { kind: string; feedback: unknown },
  publicBaseUrl: string,
  feedbackPage: string,
): { context: TemplateContext; locale: SupportedLocale; kind: string } {
  const locale = baseLocale(candidate.locale ?? requisition.defaultLocale);
  const decisionDate = application.promisedDecisionAt
    ? new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: candidate.timezone ?? 'UTC' }).format(application.promisedDecisionAt)
    : null;
  return {
    kind: message.kind,
    locale,
    context: {
      candidate: { name: candidate.name, firstName: greetingName(candidate) },
      organization: {
        name: organization.name,
        accentColor: organization.accentColor,
        privacyPolicyUrl: organization.privacyPolicyUrl,
        careersUrl: organization.careersUrl,
        logoUrl: organization.logo ? `${publicBaseUrl}${logoPath(organization.logo.sha256)}` : null,
      },
      requisition: { title: requisition.title, department: requisition.department, location: requisition.location },
      recruiter: { name: requisition.hiringContactName, email: requisition.hiringContactEmail },
      feedback: feedbackContext(storedFeedback(message.feedback), locale),
      status: { expectedDecisionDate: decisionDate },
      links: { feedbackPage, talentPool: null },
    },
  };
}

export async function messageContext(
  db: DbClient,
  organizationId: string,
  messageId: string,
  publicBaseUrl: string,
  /** The candidate's real link; previews show the page's address without a token. */
  feedbackPage: string = `${publicBaseUrl}/f/preview`,
  /** The caller's requisitions: a message on another one is not found. */
  visible: RequisitionScope = 'all',
): Promise<{ context: TemplateContext; locale: SupportedLocale; kind: string }> {
  const message = found(await templatesRepository.messageFacts(db, organizationId, messageId), 'Message');
  assertVisible(visible, 'message', [message.requisitionId]);
  return contextOf(await templatesRepository.contextFacts(db, organizationId, message), message, publicBaseUrl, feedbackPage);
}

/**
 * The contexts of many messages of one organization (a render job's chunk), in four queries
 * instead of four per message. A message whose candidate, application or requisition is gone
 * is left out: the caller renders it with messageContext, which fails it as before.
 */
export async function messageContexts(
  db: DbClient,
  organizationId: string,
  messages: { id: string; kind: string; feedback: unknown; candidateId: string; requisitionId: string; applicationId: string }[],
  publicBaseUrl: string,
  feedbackPage: string,
): Promise<Map<string, { context: TemplateContext; locale: SupportedLocale; kind: string }>> {
  const facts = await templatesRepository.contextFactsMany(db, organizationId, messages);
  const contexts = new Map<string, { context: TemplateContext; locale: SupportedLocale; kind: string }>();
  if (!facts.organization) return contexts;
  for (const message of messages) {
    const candidate = facts.candidates.get(message.candidateId);
    const requisition = facts.requisitions.get(message.requisitionId);
    const application = facts.applications.get(message.applicationId);
    if (!candidate || !requisition || !application) continue;
    contexts.set(message.id, contextOf({ candidate, requisition, application, organization: facts.organization }, message, publicBaseUrl, feedbackPage));
  }
  return contexts;
}
