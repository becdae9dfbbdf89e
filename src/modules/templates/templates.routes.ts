import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { actorOf, authOf } from '../../plugins/auth.js';
import { hasScope } from '../../lib/actor.js';
import { previewBodySchema, renderedSchema, saveTemplateBodySchema, templateParamsSchema, templateSchema, templateSummarySchema } from './templates.schemas.js';
import type { TemplatesService } from './templates.service.js';

const tags = ['templates'];

export const templatesRoutes: FastifyPluginAsyncZod<{ templates: TemplatesService }> = async (app, { templates }) => {
  app.get(
    '/v1/templates',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listTemplates',
        tags,
        summary: 'Every template in use: shipped defaults and your versions',
        response: { 200: z.object({ data: z.array(templateSummarySchema) }) },
      },
    },
    async (request) => ({ data: await templates.list(authOf(request).organizationId) }),
  );

  app.get(
    '/v1/templates/:kind/:locale',
    {
      config: { scope: 'read' },
      schema: { operationId: 'getTemplate', tags, summary: 'The template in use for a kind and locale', params: templateParamsSchema, response: { 200: templateSchema } },
    },
    async (request) => templates.current(authOf(request).organizationId, request.params.kind, request.params.locale),
  );

  app.get(
    '/v1/templates/:kind/:locale/versions',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listTemplateVersions',
        tags,
        summary: 'Every saved version, newest first',
        params: templateParamsSchema,
        response: { 200: z.object({ data: z.array(templateSchema) }) },
      },
    },
    async (request) => ({ data: await templates.versions(authOf(request).organizationId, request.params.kind, request.params.locale) }),
  );

  app.put(
    '/v1/templates/:kind/:locale',
    {
      config: { scope: 'write', errors: ['conflict', 'template_invalid'] },
      schema: {
        operationId: 'saveTemplate',
        tags,
        summary: 'Save a new version (LiquidJS, strict: unknown variables and syntax errors → 422 naming the line)',
        description:
          'Variables: candidate.{name,firstName} (firstName: the preferred name, else the first name without titles), organization.{name,accentColor,privacyPolicyUrl,careersUrl,logoUrl} (logoUrl: Hearback’s absolute URL of the logo, or null), requisition.{title,department,location}, ' +
          'recruiter.{name,email}, feedback (null or {reasonCategory, reasonLabel, strengths[], areasToImprove[], ' +
          'competencies[{name,rating,comment}], personalNote, nextSteps{otherOpenings[], talentPoolInvite}}), ' +
          'status.expectedDecisionDate, links.{feedbackPage,talentPool}. HTML output is escaped. ' +
          "A saved template is used as written, whatever the organization's `formality`; the shipped ones follow it.",
        params: templateParamsSchema,
        body: saveTemplateBodySchema,
        response: { 201: templateSchema },
      },
    },
    async (request, reply) => {
      const { baseVersion, ...parts } = request.body;
      const saved = await templates.save(actorOf(request), request.params.kind, request.params.locale, parts, baseVersion);
      return reply.code(201).send(saved);
    },
  );

  app.post(
    '/v1/templates/preview',
    {
      config: { scope: 'read', errors: ['not_found', 'template_invalid'] },
      schema: {
        operationId: 'previewTemplate',
        tags,
        summary: 'Render a template (saved or not) with sample data or a real message draft',
        body: previewBodySchema,
        response: { 200: renderedSchema },
      },
    },
    async (request) => {
      const auth = authOf(request);
      // Trying unsaved template code is template work: it needs the write scope.
      if (request.body.template && !hasScope(auth, 'write')) {
        throw new AppError('insufficient_scope', 'Previewing unsaved template parts needs the "write" scope', { extensions: { requiredScope: 'write' } });
      }
      return templates.preview(auth.organizationId, auth.requisitions, request.body);
    },
  );
};
