import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuerySchema, pageSchema } from '../../lib/pagination.js';
import { idParamsSchema } from '../../lib/schemas.js';
import { actorOf, authOf } from '../../plugins/auth.js';
import type { CandidateActionsService } from './candidate-actions.service.js';

const tags = ['candidate page'];

export const candidateEventTypes = [
  'feedback.viewed',
  'candidate.talent_pool_joined',
  'candidate.talent_pool_left',
  'candidate.feedback_rated',
  'candidate.question_asked',
  'candidate.data_requested',
] as const;

const candidateNameSchema = z.string().nullable().describe('The candidate’s name (`[erased]` once their data was erased).');

const candidateEventSchema = z
  .object({
    id: z.uuid(),
    type: z.enum(candidateEventTypes),
    messageId: z.uuid(),
    candidateId: z.uuid(),
    candidateName: candidateNameSchema,
    applicationId: z.uuid(),
    detail: z.record(z.string(), z.unknown()).nullable(),
    occurredAt: z.date(),
  })
  .meta({ id: 'CandidateEvent' });

const questionSchema = z
  .object({
    id: z.uuid(),
    messageId: z.uuid(),
    candidateId: z.uuid(),
    candidateName: candidateNameSchema,
    question: z.string(),
    askedAt: z.date(),
    answer: z.string().nullable(),
    answeredAt: z.date().nullable(),
    answeredBy: z.string().nullable(),
    answerEmail: z
      .object({
        status: z
          .enum(['pending', 'sending', 'unknown', 'sent', 'failed'])
          .describe('sent: Postmark accepted it; unknown: being checked with Postmark before anything is sent again; failed: see failureCode.'),
        sentAt: z.date().nullable(),
        failureCode: z.string().nullable().describe('recipient_suppressed, postmark_not_configured, postmark_rejected, retries_exhausted or unknown_unresolved.'),
      })
      .nullable()
      .describe('The email telling the candidate the answer (sent once, in their page’s language); null before an answer.'),
  })
  .meta({ id: 'FeedbackQuestion' });

const dataRequestSchema = z
  .object({
    id: z.uuid(),
    candidateId: z.uuid(),
    messageId: z.uuid(),
    kind: z.enum(['export', 'deletion']),
    status: z.enum(['pending', 'completed']),
    createdAt: z.date(),
    completedAt: z.date().nullable(),
    completedBy: z.string().nullable(),
    note: z.string().nullable(),
    dueAt: z.date().nullable().describe('When the answer is due: one month after the request.'),
    overdue: z.boolean().describe('Still pending past its due date.'),
    approvedAt: z.date().nullable().describe('Deletion: when the erasure was approved (by an admin, or automatically after the organization’s wait).'),
    approvedBy: z.string().nullable(),
    confirmationSentAt: z.date().nullable().describe('Export: when the confirmation link was emailed to the candidate.'),
    confirmedAt: z.date().nullable().describe('Export: when the candidate confirmed from that email.'),
    downloadExpiresAt: z.date().nullable().describe('Export: until when the candidate’s download link works.'),
    deliveredAt: z.date().nullable().describe('Export: when the candidate first downloaded it (the request is then completed).'),
    report: z.record(z.string(), z.number()).nullable().describe('Deletion: the closure report, rows erased or pseudonymised per kind of record.'),
  })
  .meta({ id: 'DataRequest' });

/** In lists, with the candidate's name, so a screen of them needs no request per row. */
const dataRequestListItemSchema = dataRequestSchema.extend({ candidateName: candidateNameSchema }).meta({ id: 'DataRequestListItem' });

const talentPoolMemberSchema = z
  .object({
    id: z.uuid().describe('The candidate.'),
    name: z.string(),
    joinedAt: z.date().nullable(),
    consent: z.object({ text: z.string().describe('Exactly what the candidate agreed to.'), locale: z.string(), givenAt: z.date() }).nullable(),
  })
  .meta({ id: 'TalentPoolMember' });

export { dataRequestSchema };

export const candidateActionsRoutes: FastifyPluginAsyncZod<{ actions: CandidateActionsService }> = async (app, { actions }) => {
  app.get(
    '/v1/candidate-events',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listCandidateEvents',
        tags,
        summary: 'What candidates did on their pages: views (first and later), talent pool, ratings, questions, data requests',
        querystring: pageQuerySchema.extend({ type: z.enum(candidateEventTypes).optional(), messageId: z.uuid().optional(), candidateId: z.uuid().optional() }),
        response: { 200: pageSchema(candidateEventSchema) },
      },
    },
    async (request) => {
      const { type, messageId, candidateId, ...page } = request.query;
      const { organizationId, requisitions } = authOf(request);
      return actions.events(organizationId, requisitions, { type, messageId, candidateId }, page);
    },
  );

  app.get(
    '/v1/questions',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listQuestions',
        tags,
        summary: 'Candidates’ follow-up questions (open ones await an answer)',
        querystring: pageQuerySchema.extend({ status: z.enum(['open', 'answered']).optional(), messageId: z.uuid().optional() }),
        response: { 200: pageSchema(questionSchema) },
      },
    },
    async (request) => {
      const { status, messageId, ...page } = request.query;
      const { organizationId, requisitions } = authOf(request);
      return actions.questions(organizationId, requisitions, { status, messageId }, page);
    },
  );

  app.post(
    '/v1/questions/:id/answer',
    {
      config: { scope: 'write', requisitionOf: 'question', errors: ['conflict'] },
      schema: {
        operationId: 'answerQuestion',
        tags,
        summary: 'Answer a question: the answer shows on the candidate’s page and is emailed to them once (409 if already answered)',
        params: idParamsSchema,
        body: z.object({ answer: z.string().trim().min(1).max(5000) }).strict(),
        response: { 200: questionSchema },
      },
    },
    async (request) => actions.answer(actorOf(request), request.params.id, request.body.answer),
  );

  app.get(
    '/v1/data-requests',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listDataRequests',
        tags,
        summary: 'Candidates’ requests for a copy or the deletion of their data: the organization must act on pending ones',
        querystring: pageQuerySchema.extend({
          status: z.enum(['pending', 'completed']).optional(),
          kind: z.enum(['export', 'deletion']).optional(),
          overdue: z.enum(['true', 'false']).optional().describe('true: only pending requests past their due date; false: only the others.'),
          dueBefore: z.coerce.date().optional().describe('Only pending requests due before this time (ISO 8601): what needs an answer soon.'),
        }),
        response: { 200: pageSchema(dataRequestListItemSchema) },
      },
    },
    async (request) => {
      const { status, kind, overdue, dueBefore, ...page } = request.query;
      return actions.dataRequests(authOf(request).organizationId, { status, kind, overdue: overdue === undefined ? undefined : overdue === 'true', dueBefore }, page);
    },
  );

  app.post(
    '/v1/data-requests/:id/complete',
    {
      config: { scope: 'admin', errors: ['conflict'] },
      schema: {
        operationId: 'completeDataRequest',
        tags,
        summary: 'Mark a data request done (the candidate’s page shows it completed)',
        params: idParamsSchema,
        body: z.object({ note: z.string().trim().max(2000).optional() }).strict(),
        response: { 200: dataRequestSchema },
      },
    },
    async (request) => actions.completeDataRequest(actorOf(request), request.params.id, request.body.note ?? null),
  );

  app.get(
    '/v1/talent-pool',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listTalentPool',
        tags,
        summary: 'Candidates who asked to be kept in mind, with the consent they gave',
        querystring: pageQuerySchema,
        response: { 200: pageSchema(talentPoolMemberSchema) },
      },
    },
    async (request) => {
      const { organizationId, requisitions } = authOf(request);
      return actions.talentPool(organizationId, requisitions, request.query);
    },
  );

  app.post(
    '/v1/messages/:id/feedback-link/revoke',
    {
      config: { scope: 'write', requisitionOf: 'message' },
      schema: {
        operationId: 'revokeFeedbackLink',
        tags,
        summary: 'Stop the candidate’s private link from working (it then shows “not available”)',
        params: idParamsSchema,
        response: { 200: z.object({ id: z.uuid(), feedbackLinkRevokedAt: z.date() }) },
      },
    },
    async (request) => actions.revokeLink(actorOf(request), request.params.id),
  );
};
