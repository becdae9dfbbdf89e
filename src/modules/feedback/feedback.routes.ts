import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { localeSchema } from '../../lib/schemas.js';
import { builtInMessageKinds } from '../decisions/decisions.schemas.js';
import { feedbackSchema } from './feedback.schemas.js';
import { findingSchema } from './lint/lint.schemas.js';
import { lintFeedback, lintText, summarize } from './lint/lint.js';

const lintBodySchema = z
  .object({
    locale: localeSchema.default('en'),
    feedback: feedbackSchema.optional().describe('Structured feedback: every text field is linted.'),
    text: z.string().max(20_000).optional().describe('Or any free text (a draft note, an edited message).'),
    kind: z
      .enum(builtInMessageKinds)
      .optional()
      .describe('The message the feedback goes into: position_on_hold and position_cancelled are about the role, and ask for nothing to improve.'),
  })
  .strict()
  .refine((body) => (body.feedback === undefined) !== (body.text === undefined), 'give exactly one of feedback and text');

const lintResultSchema = z
  .object({
    findings: z.array(findingSchema),
    summary: z.object({
      block: z.int32(),
      warn: z.int32(),
      info: z.int32(),
      highest: z.enum(['block', 'warn', 'info']).nullable(),
    }),
  })
  .meta({ id: 'FeedbackLintResult' });

export const feedbackRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/feedback/lint',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'lintFeedback',
        tags: ['feedback'],
        summary: 'Check feedback before it reaches a candidate',
        description:
          'Findings with code, severity (block / warn / info) and character spans: protected characteristics and their ' +
          'proxies (age, gender, pregnancy and family plans, race, religion, disability and health, nationality and accent, ' +
          'marital status, sexual orientation) in English, French, German and Spanish; vague phrases; feedback with no ' +
          'actionable improvement. Blocking findings stop approval unless overridden with a reason.',
        body: lintBodySchema,
        response: { 200: lintResultSchema },
      },
    },
    async (request) => {
      const { locale, feedback, text, kind } = request.body;
      const findings = feedback ? lintFeedback(feedback, { locale, ...(kind ? { kind } : {}) }) : lintText(text!, { locale });
      return { findings, summary: summarize(findings) };
    },
  );
};
