import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { pageSchema } from '../../lib/pagination.js';
import { actorOf, authOf } from '../../plugins/auth.js';
import {
  postmarkSetupBodySchema,
  postmarkSetupSchema,
  postmarkWebhookReceivedSchema,
  suppressionBodySchema,
  suppressionParamsSchema,
  suppressionQuerySchema,
  suppressionSchema,
  webhookParamsSchema,
} from './delivery.schemas.js';
import { basicAuthMatches, organizationWebhookPassword, postmarkWebhookSchema, type PostmarkWebhooksService } from './postmark-webhooks.js';
import type { SendingSetupService } from './sending-setup.service.js';

export const deliveryRoutes: FastifyPluginAsyncZod<{
  setup: SendingSetupService;
  webhooks: PostmarkWebhooksService;
  webhookUser: string;
  /** POSTMARK_WEBHOOK_PASSWORD: each organization's webhook password is derived from it. */
  webhookSecret: string;
}> = async (app, { setup, webhooks, webhookUser, webhookSecret }) => {
  const tags = ['delivery'];

  app.get(
    '/v1/organization/postmark',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'getPostmarkSetup',
        tags,
        summary: 'How this organization sends (token hint, sender, stream) and its webhook URL (admin: it holds a credential)',
        response: { 200: postmarkSetupSchema },
      },
    },
    async (request) => setup.getPostmark(authOf(request).organizationId),
  );

  app.put(
    '/v1/organization/postmark',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'setPostmarkSetup',
        tags,
        summary: 'Set the Postmark server token (encrypted at rest), sender and message stream',
        body: postmarkSetupBodySchema,
        response: { 200: postmarkSetupSchema },
      },
    },
    async (request) => setup.setPostmark(actorOf(request), request.body),
  );

  app.get(
    '/v1/suppressions',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listSuppressions',
        tags,
        summary: 'Addresses Hearback will not write to (plans warn, sends are held), by address',
        querystring: suppressionQuerySchema,
        response: { 200: pageSchema(suppressionSchema) },
      },
    },
    async (request) => setup.listSuppressions(authOf(request).organizationId, request.query),
  );

  app.post(
    '/v1/suppressions',
    {
      config: { scope: 'write' },
      schema: {
        operationId: 'addSuppression',
        tags,
        summary: 'Stop writing to an address (e.g. the candidate asked not to be contacted)',
        body: suppressionBodySchema,
        response: { 200: suppressionSchema },
      },
    },
    async (request) => setup.addSuppression(actorOf(request), request.body.email, request.body.reason),
  );

  app.delete(
    '/v1/suppressions/:email',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'removeSuppression',
        tags,
        summary: 'Write to an address again (Postmark keeps its own list: reactivate it there too)',
        // Any stored address, well-formed or not (Postmark reports addresses as it saw them): matched on the normalised form.
        params: suppressionParamsSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await setup.removeSuppression(actorOf(request), request.params.email);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/webhooks/postmark/:organizationId',
    {
      // The organization id picks the Basic-auth password; a wrong one is a 401, never a 404.
      config: { errors: ['webhook_unauthorized'], notFound: false },
      schema: {
        operationId: 'receivePostmarkWebhook',
        tags,
        summary: 'Postmark’s webhooks (Delivery, Bounce, SpamComplaint, Open, Click, SubscriptionChange), Basic auth per organization',
        description:
          'Set in Postmark to the `webhookUrl` of GET /v1/organization/postmark. Deduplicated per organization on (MessageID, RecordType); ' +
          'bounces also on their ID, subscription changes on their time and direction. A MessageID of another organization’s message is acknowledged and ignored.',
        security: [{ postmarkBasic: [] }],
        params: webhookParamsSchema,
        body: postmarkWebhookSchema,
        response: { 200: postmarkWebhookReceivedSchema },
      },
      preValidation: async (request, reply) => {
        const { organizationId } = request.params;
        if (!basicAuthMatches(request.headers.authorization, webhookUser, organizationWebhookPassword(webhookSecret, organizationId))) {
          reply.header('www-authenticate', 'Basic realm="hearback-postmark-webhooks", charset="UTF-8"');
          throw new AppError('webhook_unauthorized', 'The webhook credentials are missing or wrong');
        }
      },
    },
    async (request) => {
      const { duplicate, foreign } = await webhooks.receive(request.params.organizationId, request.body);
      // Acknowledged like any other (the answer tells nobody whose MessageID it is), but worth a look.
      if (foreign)
        request.log.warn({ organizationId: request.params.organizationId, recordType: request.body.RecordType }, 'Postmark webhook about another organization’s message ignored');
      return { received: true as const, duplicate };
    },
  );
};
