// The template context of one real message: only that candidate's data.
import { logoPath } from '../organizations/logo-image.js';
import type { DbClient } from '../../db/client.js';
import { found } from '../../lib/errors.js';
import { assertVisible, type RequisitionScope } from '../../lib/requisition-scope.js';
import { storedFeedback } from '../messages/stored.js';
import { greetingName } from '../hiring/names.js';
import { baseLocale, feedbackContext, type SupportedLocale, type TemplateContext } from './context.js';
import { templatesRepository } from './templates.repository.js';

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
  const { candidate, requisition, application, organization } = await templatesRepository.contextFacts(db, organizationId, message);
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
