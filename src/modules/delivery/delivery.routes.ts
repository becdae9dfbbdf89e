import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { pageQuerySchema, pageSchema } from '../../lib/pagination.js';
import { actorOf, authOf } from '../../plugins/auth.js';
import { emailSchema as email } from '../hiring/hiring.schemas.js';
import { basicAuthMatches, organizationWebhookPassword, postmarkWebhookSchema, type PostmarkWebhooksService } from './postmark-webhooks.js';
import type { SendingSetupService } from './sending-setup.service.js';

const postmarkSetupSchema = z
  .object({
    webhookUrl: z
      .string()
      .describe('Paste into the Postmark server’s webhook settings (Delivery, Bounce, Spam Complaint, Open, Click, Subscription Change): it carries this organization’s own credentials.'),
    configured: z.boolean().describe('True once a server token and a sender are set: messages can be sent.'),
    tokenHint: z.string().nullable().describe('The server token’s last four characters (the token itself is never returned).'),
    senderEmail: z.string().nullable(),
    senderName: z.string().nullable(),
    messageStream: z.string(),
  })
  .meta({ id: 'PostmarkSetup' });

const postmarkSetupBodySchema = z
  .object({
    serverToken: z.string().trim().min(8).max(200).describe('The Postmark server API token (stored encrypted).'),
    senderEmail: email.describe('A confirmed Postmark sender signature, or an address on a verified domain.'),
    senderName: z.string().trim().min(1).max(200).nullable().optional().describe('Shown as the sender; defaults to the organization’s name.'),
    messageStream: z.string().trim().regex(/^[a-z0-9-]{1,100}$/, 'a Postmark message stream id').nullable().optional(),
  })
  .strict();

const suppressionSchema = z
  .object({
    email: z.string(),
    reason: z.string().describe('hard_bounce, spam_complaint, unsubscribed, inactive_recipient, or the reason given when added by hand.'),
    source: z.string().describe('postmark (a webhook or a refused send) or api.'),
    createdAt: z.date(),
  })
  .meta({ id: 'Suppression' });

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
        querystring: pageQuerySchema.extend({ email: z.string().max(320).optional().describe('Look up one address.') }),
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
        body: z.object({ email, reason: z.string().trim().min(3).max(50).default('requested') }).strict(),
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
        params: z.object({ email: z.string().min(1).max(320) }),
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
      schema: {
        operationId: 'receivePostmarkWebhook',
        tags,
        summary: 'Postmark’s webhooks (Delivery, Bounce, SpamComplaint, Open, Click, SubscriptionChange), Basic auth per organization',
        description:
          'Set in Postmark to the `webhookUrl` of GET /v1/organization/postmark. Deduplicated per organization on (MessageID, RecordType); ' +
          'bounces also on their ID, subscription changes on their time and direction. A MessageID of another organization’s message is acknowledged and ignored.',
        security: [{ postmarkBasic: [] }],
        params: z.object({ organizationId: z.uuid() }),
        body: postmarkWebhookSchema,
        response: { 200: z.object({ received: z.literal(true), duplicate: z.boolean() }) },
      },
      preValidation: async (request, reply) => {
        const { organizationId } = request.params as { organizationId: string };
        if (!basicAuthMatches(request.headers.authorization, webhookUser, organizationWebhookPassword(webhookSecret, organizationId))) {
          reply.header('www-authenticate', 'Basic realm="hearback-postmark-webhooks", charset="UTF-8"');
          throw new AppError('webhook_unauthorized', 'The webhook credentials are missing or wrong');
        }
      },
    },
    async (request) => {
      const { duplicate, foreign } = await webhooks.receive(request.params.organizationId, request.body);
      // Acknowledged like any other (the answer tells nobody whose MessageID it is), but worth a look.
      if (foreign) request.log.warn({ organizationId: request.params.organizationId, recordType: request.body.RecordType }, 'Postmark webhook about another organization’s message ignored');
      return { received: true as const, duplicate };
    },
  );
};
